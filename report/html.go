package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/diff"
)

// Limits of the HTML report. Every family, pair, passage and slogan is in the page; the
// page renders lists a hundred rows at a time and diffs when they are opened, from the
// texts embedded once, so that it opens quickly at 10,000 documents.
const (
	// MaxHTMLLocations is how many locations are listed under one slogan; the JSON lists all.
	MaxHTMLLocations = 5
	// MaxHTMLVariants is how many spellings are listed under one slogan; the JSON lists all.
	MaxHTMLVariants = 3
	// MaxHTMLSlogans is how many slogans the page holds, in the result's order (kinds that
	// matter first, most widespread first); a corpus of 10,000 stories has tens of thousands
	// of recurring phrases, most of them in a handful of documents, and the JSON lists all.
	MaxHTMLSlogans = 3000
	// maxDiffBytes skips the diff of a pair whose texts together are larger: such a pair is
	// better read with neardup diff than inside a report.
	maxDiffBytes = 1 << 20
	// diffBudget bounds the text diffed for one page; pairs past it say so and name the
	// command that shows them.
	diffBudget = 64 << 20
	// headlineRunes is the most of a document's first line shown as its headline.
	headlineRunes = 60
)

// Texts gives the original decoded text of a document by its path.
type Texts func(path string) (string, error)

//go:embed templates/report.html.tmpl templates/app.js.tmpl
var templateFS embed.FS

var pageTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"percent": func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) },
	"clean":   cleanHTML,
	// Constants the page states, so that its words follow the code.
	"maxFamilyPairs": func() int { return MaxFamilyPairs },
	"maxLocations":   func() int { return MaxHTMLLocations },
	"maxVariants":    func() int { return MaxHTMLVariants },
	"foldedNote":     func() string { return foldedNote },
}).ParseFS(templateFS, "templates/report.html.tmpl", "templates/app.js.tmpl"))

// page is what the template renders: a report or a single diff.
type page struct {
	Title  string
	Report *htmlReport
	Diff   *htmlDiff
}

type htmlReport struct {
	Result      *Result
	Slogans     int // slogans proper
	Boilerplate int // recurring page chrome
	SlogansLeft int // slogans beyond MaxHTMLSlogans, in the JSON only
	Data        *pageData
}

// pageData is what the page's script renders, embedded once as JSON (html/template escapes
// it for the script element). Documents, texts and diffs are referred to by index; keys are
// short because a report of 10,000 documents repeats them often.
type pageData struct {
	MinSimilarity float64 `json:"min_similarity"`
	Prefix        string  `json:"prefix"` // the folder all document paths share, left out of Docs

	Docs     []pageDoc         `json:"docs"`
	Texts    []string          `json:"texts"` // distinct texts of the documents in findings
	Families []pageFamily      `json:"families"`
	Pairs    []pagePair        `json:"pairs"`
	Passages []pagePassage     `json:"passages"`
	Slogans  []json.RawMessage `json:"slogans"`
	// Diffs are side-by-side diffs: rows of [left, right], each side a list of operation
	// (0 equal, 1 deleted, 2 inserted) and length (code points) pairs that cover the side's
	// whole text in order; a side is null where the row has no text on it.
	Diffs [][][2][]int `json:"diffs"`
	// PassageDiffs are character diffs of two passages: operation, length pairs.
	PassageDiffs [][]int `json:"passage_diffs"`
	MaxLocations int     `json:"max_locations"`
	MaxVariants  int     `json:"max_variants"`
}

type pageDoc struct {
	Path     string `json:"p"`
	Headline string `json:"h,omitempty"`
	Date     string `json:"d,omitempty"`
	Chars    int    `json:"c"`
	Text     int    `json:"t"`           // index in Texts, -1 when not embedded
	Note     string `json:"n,omitempty"` // why the text is missing
}

type pageFamily struct {
	Source  int          `json:"s"`
	Rule    string       `json:"r"`
	Listed  bool         `json:"l"`
	Omitted int          `json:"o"`
	Members []pageMember `json:"m"`
}

type pageMember struct {
	Doc        int     `json:"d"`
	Similarity float64 `json:"s"`
	Diff       int     `json:"x"` // index in Diffs of source against member, -1 for none
	Note       string  `json:"n,omitempty"`
}

type pagePair struct {
	A          int      `json:"a"`
	B          int      `json:"b"`
	Similarity float64  `json:"s"`
	Distance   int      `json:"k"`
	Diff       int      `json:"x"`
	Note       string   `json:"n,omitempty"`
	Remarks    []string `json:"r,omitempty"` // containment and script, see relationParts
}

type pagePassage struct {
	A          int     `json:"a"`
	AStart     int     `json:"as"`
	AEnd       int     `json:"ae"`
	B          int     `json:"b"`
	BStart     int     `json:"bs"`
	BEnd       int     `json:"be"`
	Similarity float64 `json:"s"`
	Diff       int     `json:"x"` // index in PassageDiffs, -1 when offsets do not fit
	Note       string  `json:"n,omitempty"`
	Folded     bool    `json:"f,omitempty"`
}

// WriteHTML writes r as one self-contained HTML page: inline style and script, no requests.
// texts supplies the documents' text for the diffs, passages and search; it may be nil, and a
// text it cannot give is noted on the page instead of failing the report.
func WriteHTML(w io.Writer, r *Result, texts Texts) error {
	b := newPageBuilder(r, texts)
	rep := &htmlReport{Result: r, Data: b.data}
	for _, s := range r.Slogans {
		if s.Kind != "boilerplate" {
			rep.Slogans++
		} else {
			rep.Boilerplate++
		}
	}
	for _, f := range r.Families {
		pf := pageFamily{Source: b.doc(f.Source), Rule: f.SourceRule, Listed: f.PairsListed, Omitted: f.PairsOmitted}
		for _, m := range f.Members {
			pm := pageMember{Doc: b.doc(m.Path), Similarity: m.Similarity, Diff: -1}
			if m.Path != f.Source {
				pm.Diff, pm.Note = b.diff(f.Source, m.Path)
			}
			pf.Members = append(pf.Members, pm)
		}
		b.data.Families = append(b.data.Families, pf)
	}
	for _, d := range r.Duplicates {
		p := pagePair{A: b.doc(d.A), B: b.doc(d.B), Similarity: d.Similarity, Distance: d.Distance, Remarks: relationParts(d)}
		p.Diff, p.Note = b.diff(d.A, d.B)
		b.data.Pairs = append(b.data.Pairs, p)
	}
	for _, ps := range r.Passages {
		b.data.Passages = append(b.data.Passages, b.passage(ps))
	}
	shown := r.Slogans[:min(len(r.Slogans), MaxHTMLSlogans)]
	rep.SlogansLeft = len(r.Slogans) - len(shown)
	for _, s := range shown {
		raw, err := b.slogan(s)
		if err != nil {
			return err
		}
		b.data.Slogans = append(b.data.Slogans, raw)
	}
	b.data.Prefix = sharedFolder(b.data.Docs)
	for i := range b.data.Docs {
		b.data.Docs[i].Path = b.data.Docs[i].Path[len(b.data.Prefix):]
	}
	return pageTemplate.ExecuteTemplate(w, "page", page{Title: "neardup report", Report: rep})
}

// sharedFolder is the longest folder prefix, up to and including a slash, of every path.
func sharedFolder(docs []pageDoc) string {
	if len(docs) == 0 {
		return ""
	}
	prefix := docs[0].Path
	for _, d := range docs[1:] {
		for !strings.HasPrefix(d.Path, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix[:strings.LastIndexByte(prefix, '/')+1]
}

// pageBuilder numbers documents and texts as the page refers to them.
type pageBuilder struct {
	data     *pageData
	texts    Texts
	docIndex map[string]int
	textOf   map[string]int // text -> index in data.Texts
	runes    map[int][]rune
	diffs    map[[2]int]int // text pair -> index in data.Diffs
	budget   int
}

func newPageBuilder(r *Result, texts Texts) *pageBuilder {
	b := &pageBuilder{
		data: &pageData{MinSimilarity: r.Settings.MinSimilarity, MaxLocations: MaxHTMLLocations, MaxVariants: MaxHTMLVariants,
			Docs: []pageDoc{}, Texts: []string{}, Families: []pageFamily{}, Pairs: []pagePair{}, Passages: []pagePassage{},
			Slogans: []json.RawMessage{}, Diffs: [][][2][]int{}, PassageDiffs: [][]int{}},
		texts: texts, docIndex: map[string]int{}, textOf: map[string]int{}, runes: map[int][]rune{},
		diffs: map[[2]int]int{}, budget: diffBudget,
	}
	for _, d := range r.Documents {
		b.docIndex[d.Path] = len(b.data.Docs)
		b.data.Docs = append(b.data.Docs, pageDoc{Path: d.Path, Date: d.Date, Chars: d.Chars, Text: -1})
	}
	return b
}

// doc returns the index of the document at path, adding it if the result did not list it.
func (b *pageBuilder) doc(path string) int {
	i, ok := b.docIndex[path]
	if !ok {
		i = len(b.data.Docs)
		b.docIndex[path] = i
		b.data.Docs = append(b.data.Docs, pageDoc{Path: path, Text: -1})
	}
	return i
}

// text embeds the text of the document at path once and returns the document's index and
// the text's, -1 with the document's note when it cannot be had.
func (b *pageBuilder) text(path string) (int, int) {
	i := b.doc(path)
	d := &b.data.Docs[i]
	if d.Text >= 0 || d.Note != "" {
		return i, d.Text
	}
	if b.texts == nil {
		d.Note = "Text unavailable: no texts given"
		return i, -1
	}
	t, err := b.texts(path)
	if err != nil {
		d.Note = "Text unavailable: " + err.Error()
		return i, -1
	}
	t = strings.ToValidUTF8(t, "\uFFFD")
	k, ok := b.textOf[t]
	if !ok {
		k = len(b.data.Texts)
		b.textOf[t] = k
		b.data.Texts = append(b.data.Texts, t)
	}
	d.Text = k
	d.Headline = headline(t)
	return i, k
}

// headline is the first non-blank line of a text, cut to headlineRunes.
func headline(t string) string {
	for line := range strings.Lines(t) {
		if line = strings.TrimSpace(line); line != "" {
			return Excerpt(line, headlineRunes)
		}
	}
	return ""
}

func (b *pageBuilder) textRunes(k int) []rune {
	rs, ok := b.runes[k]
	if !ok {
		rs = []rune(b.data.Texts[k])
		b.runes[k] = rs
	}
	return rs
}

// diff returns the index of the side-by-side diff of two documents, or -1 and why not.
func (b *pageBuilder) diff(pathA, pathB string) (int, string) {
	ia, ta := b.text(pathA)
	ib, tb := b.text(pathB)
	switch {
	case ta < 0:
		return -1, b.data.Docs[ia].Note
	case tb < 0:
		return -1, b.data.Docs[ib].Note
	case ta == tb:
		return -1, "The two texts are the same."
	}
	if x, ok := b.diffs[[2]int{ta, tb}]; ok {
		return x, ""
	}
	size := len(b.data.Texts[ta]) + len(b.data.Texts[tb])
	if size > maxDiffBytes {
		return -1, fmt.Sprintf("The texts are too large to show here (%d bytes): run neardup diff on them.", size)
	}
	if size > b.budget {
		return -1, "This page holds as many diffs as it can: run neardup diff on these two."
	}
	b.budget -= size
	var rows [][2][]int
	for _, r := range diff.Rows(b.data.Texts[ta], b.data.Texts[tb]) {
		rows = append(rows, [2][]int{encodeEdits(r.Left), encodeEdits(r.Right)})
	}
	x := len(b.data.Diffs)
	b.data.Diffs = append(b.data.Diffs, rows)
	b.diffs[[2]int{ta, tb}] = x
	return x, ""
}

// encodeEdits writes edits as operation, length pairs; nil stays nil (no text on that side).
func encodeEdits(edits []diff.Edit) []int {
	if edits == nil {
		return nil
	}
	out := make([]int, 0, 2*len(edits))
	for _, e := range edits {
		out = append(out, int(e.Op), utf8.RuneCountInString(e.Text))
	}
	return out
}

// passage records a passage and the character diff of its two sides.
func (b *pageBuilder) passage(ps Passage) pagePassage {
	ia, ta := b.text(ps.A)
	ib, tb := b.text(ps.B)
	p := pagePassage{A: ia, AStart: ps.AStart, AEnd: ps.AEnd, B: ib, BStart: ps.BStart, BEnd: ps.BEnd, Similarity: ps.Similarity, Diff: -1, Folded: ps.Folded}
	switch {
	case ta < 0:
		p.Note = b.data.Docs[ia].Note
		return p
	case tb < 0:
		p.Note = b.data.Docs[ib].Note
		return p
	}
	ra, rb := b.textRunes(ta), b.textRunes(tb)
	if bad := fits(ps.AStart, ps.AEnd, len(ra)) + fits(ps.BStart, ps.BEnd, len(rb)); bad != "" {
		p.Note = bad
		return p
	}
	p.Diff = len(b.data.PassageDiffs)
	b.data.PassageDiffs = append(b.data.PassageDiffs, encodeEdits(diff.Chars(string(ra[ps.AStart:ps.AEnd]), string(rb[ps.BStart:ps.BEnd]))))
	return p
}

// fits says, when they do not fit, that offsets [start,end) are outside a text of n runes.
func fits(start, end, n int) string {
	if start < 0 || end < start || end > n {
		return fmt.Sprintf("Offsets %d–%d do not fit the text (%d characters). ", start, end, n)
	}
	return ""
}

// slogan is s as the JSON report writes it, every field kept (so that fields added to
// Slogan reach the page), with its locations as [document, start, end] and both lists cut
// to what the page shows.
func (b *pageBuilder) slogan(s Slogan) (json.RawMessage, error) {
	locs := make([][3]int, 0, min(len(s.Locations), MaxHTMLLocations))
	for _, l := range s.Locations[:min(len(s.Locations), MaxHTMLLocations)] {
		locs = append(locs, [3]int{b.doc(l.Path), l.Start, l.End})
	}
	total, variants := len(s.Locations), len(s.Variants)
	s.Locations = nil
	s.Variants = s.Variants[:min(len(s.Variants), MaxHTMLVariants)]
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	delete(fields, "locations")
	if variants == 1 && s.Variants[0].Text == s.Text {
		delete(fields, "variants") // the text says it; most slogans have one spelling
	}
	enc := func(v any) json.RawMessage { m, _ := json.Marshal(v); return m }
	if len(s.ByMonth) > 0 { // [month, documents] pairs: the verbose form was a third of the page
		months := make([][2]any, len(s.ByMonth))
		for i, m := range s.ByMonth {
			months[i] = [2]any{m.Month, m.Documents}
		}
		fields["by_month"] = enc(months)
	}
	if len(s.Forms) > MaxHTMLVariants {
		fields["forms"] = enc(s.Forms[:MaxHTMLVariants])
		fields["forms_total"] = enc(len(s.Forms))
	}
	fields["loc"] = enc(locs)
	fields["locations_total"] = enc(total)
	fields["variants_total"] = enc(variants)
	return json.Marshal(fields) // map keys sorted: deterministic
}

type htmlDiff struct {
	NameA, NameB      string
	Rows              []htmlRow
	Deleted, Inserted int // runes
	Changed           int // rows that differ
}

type htmlRow struct {
	Class       string // "eq", "chg", "del" (left only), "ins" (right only)
	NumA, NumB  string
	Left, Right []htmlSpan
	NoLeft      bool
	NoRight     bool
}

type htmlSpan struct {
	Op   string // "", "del", "ins"
	Text string
}

// WriteDiffHTML writes the side-by-side comparison of two texts as one self-contained page.
func WriteDiffHTML(w io.Writer, nameA, nameB string, rows []diff.Row) error {
	return pageTemplate.ExecuteTemplate(w, "page", page{
		Title: "neardup diff " + nameA + " " + nameB,
		Diff:  newHTMLDiff(nameA, nameB, rows),
	})
}

func newHTMLDiff(nameA, nameB string, rows []diff.Row) *htmlDiff {
	d := &htmlDiff{NameA: nameA, NameB: nameB}
	lineA, lineB := 1, 1
	startA, startB := true, true
	for _, r := range rows {
		hr := htmlRow{
			NumA:    number(r.Left, &lineA, &startA),
			NumB:    number(r.Right, &lineB, &startB),
			Left:    spans(r.Left, &d.Deleted),
			Right:   spans(r.Right, &d.Inserted),
			NoLeft:  r.Left == nil,
			NoRight: r.Right == nil,
		}
		switch gutter(r) {
		case ' ':
			hr.Class = "eq"
		case '<':
			hr.Class = "del"
		case '>':
			hr.Class = "ins"
		default:
			hr.Class = "chg"
		}
		if hr.Class != "eq" {
			d.Changed++
		}
		d.Rows = append(d.Rows, hr)
	}
	return d
}

// spans turns one side's edits into highlighted text, counting changed runes into changed.
func spans(edits []diff.Edit, changed *int) []htmlSpan {
	var out []htmlSpan
	// A row is a paragraph: shown re-flowed, without the line breaks and blank lines that end
	// it (the table separates rows).
	edits, _ = diff.Reflow(edits)
	for _, e := range edits {
		t := cleanHTML(e.Text)
		if t == "" {
			continue
		}
		var op string
		switch e.Op {
		case diff.Delete:
			op = "del"
			*changed += utf8.RuneCountInString(t)
		case diff.Insert:
			op = "ins"
			*changed += utf8.RuneCountInString(t)
		}
		out = append(out, htmlSpan{Op: op, Text: t})
	}
	return out
}

// cleanHTML replaces control characters (not valid in HTML text, and some browsers act on
// bidi controls) with U+FFFD. Markup characters are left to html/template, which escapes them.
func cleanHTML(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r == '\r':
			return -1
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029':
			return '\uFFFD'
		}
		return r
	}, s)
}
