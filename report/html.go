package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/diff"
)

// Limits that keep an HTML report for a large corpus a file a browser opens quickly. The
// left-out items stay in the text and JSON reports; the page says how many it left out.
const (
	// MaxHTMLDiffs is how many pairs, most similar first, get an inline side-by-side diff.
	MaxHTMLDiffs = 200
	// MaxHTMLPairs is how many pairs are listed at all.
	MaxHTMLPairs = 5000
	// MaxHTMLPassages is how many copied passages are shown with their context.
	MaxHTMLPassages = 1000
	// MaxHTMLSlogans is how many slogans, in the result's order (most widespread first), are listed.
	MaxHTMLSlogans = 1000
	// MaxHTMLLocations is how many locations are listed under one slogan.
	MaxHTMLLocations = 30
	// maxDiffBytes skips the inline diff of a pair whose texts together are larger: such a
	// pair is better read with neardup diff than inside a report.
	maxDiffBytes = 1 << 20
	// contextRunes is how much text is shown either side of a copied passage.
	contextRunes = 40
	// maxPassageRunes is the most of a passage shown; the middle of a longer one is elided.
	maxPassageRunes = 600
)

// Texts gives the original decoded text of a document by its path.
type Texts func(path string) (string, error)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

var pageTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"percent": func(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) },
	"clean":   cleanHTML,
}).ParseFS(templateFS, "templates/report.html.tmpl"))

// page is what the template renders: a report or a single diff.
type page struct {
	Title  string
	Report *htmlReport
	Diff   *htmlDiff
}

type htmlReport struct {
	Result       *Result
	Slogans      int // slogans proper
	Boilerplate  int // recurring page chrome
	Pairs        []htmlPair
	PairsLeftOut int
	DiffsShown   int
	Passages     []htmlPassage
	PassagesLeft int
	SloganRows   []htmlSlogan
	SlogansLeft  int
}

type htmlPair struct {
	N          int
	A, B       string
	Similarity float64
	Distance   int
	Diff       *htmlDiff
	Note       string // why there is no diff
}

type htmlPassage struct {
	N          int
	A, B       htmlExcerpt
	Similarity float64
}

type htmlExcerpt struct {
	Path                string
	Start, End          int
	Before, Text, After string
	CutBefore, CutAfter bool
	Note                string // offsets that do not fit the text, or a text that could not be read
}

type htmlSlogan struct {
	Slogan
	Bar           string // percent of the most widespread slogan's document count
	Locations     []Location
	LocationsLeft int
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

// WriteHTML writes r as one self-contained HTML page: inline style and script, no requests.
// texts supplies the documents' text for the side-by-side diffs and passage context; it may be
// nil, and a text it cannot give is noted on the page instead of failing the report.
func WriteHTML(w io.Writer, r *Result, texts Texts) error {
	cache := map[string]textOrErr{}
	text := func(path string) ([]rune, string, error) {
		if t, ok := cache[path]; ok {
			return t.runes, t.text, t.err
		}
		var t textOrErr
		if texts == nil {
			t.err = fmt.Errorf("no texts given")
		} else {
			t.text, t.err = texts(path)
			t.runes = []rune(t.text)
		}
		cache[path] = t
		return t.runes, t.text, t.err
	}

	rep := &htmlReport{Result: r}
	for _, s := range r.Slogans {
		if s.Kind != "boilerplate" {
			rep.Slogans++
		} else {
			rep.Boilerplate++
		}
	}
	for i, d := range r.Duplicates {
		if i == MaxHTMLPairs {
			rep.PairsLeftOut = len(r.Duplicates) - i
			break
		}
		p := htmlPair{N: i + 1, A: d.A, B: d.B, Similarity: d.Similarity, Distance: d.Distance}
		switch {
		case i >= MaxHTMLDiffs:
			p.Note = fmt.Sprintf("Only the %d most similar pairs have their diff in this page.", MaxHTMLDiffs)
		default:
			_, ta, errA := text(d.A)
			_, tb, errB := text(d.B)
			switch {
			case errA != nil:
				p.Note = "Text unavailable: " + errA.Error()
			case errB != nil:
				p.Note = "Text unavailable: " + errB.Error()
			case len(ta)+len(tb) > maxDiffBytes:
				p.Note = fmt.Sprintf("The texts are too large to show here (%d bytes).", len(ta)+len(tb))
			default:
				p.Diff = newHTMLDiff(d.A, d.B, diff.Rows(ta, tb))
				rep.DiffsShown++
			}
		}
		rep.Pairs = append(rep.Pairs, p)
	}
	for i, ps := range r.Passages {
		if i == MaxHTMLPassages {
			rep.PassagesLeft = len(r.Passages) - i
			break
		}
		rep.Passages = append(rep.Passages, htmlPassage{
			N:          i + 1,
			A:          excerpt(text, ps.A, ps.AStart, ps.AEnd),
			B:          excerpt(text, ps.B, ps.BStart, ps.BEnd),
			Similarity: ps.Similarity,
		})
	}
	most := 1
	for _, s := range r.Slogans {
		most = max(most, s.Documents)
	}
	for i, s := range r.Slogans {
		if i == MaxHTMLSlogans {
			rep.SlogansLeft = len(r.Slogans) - i
			break
		}
		row := htmlSlogan{Slogan: s, Bar: strconv.FormatFloat(100*float64(s.Documents)/float64(most), 'f', 1, 64)}
		row.Locations = s.Locations
		if len(row.Locations) > MaxHTMLLocations {
			row.LocationsLeft = len(row.Locations) - MaxHTMLLocations
			row.Locations = row.Locations[:MaxHTMLLocations]
		}
		row.Text = cleanHTML(row.Text)
		rep.SloganRows = append(rep.SloganRows, row)
	}
	return pageTemplate.ExecuteTemplate(w, "page", page{Title: "neardup report", Report: rep})
}

type textOrErr struct {
	runes []rune
	text  string
	err   error
}

// excerpt cuts the passage [start,end) (code points) and its context out of a document.
func excerpt(text func(string) ([]rune, string, error), path string, start, end int) htmlExcerpt {
	e := htmlExcerpt{Path: path, Start: start, End: end}
	rs, _, err := text(path)
	if err != nil {
		e.Note = "Text unavailable: " + err.Error()
		return e
	}
	if start < 0 || end < start || end > len(rs) {
		e.Note = fmt.Sprintf("Offsets %d–%d do not fit the text (%d characters).", start, end, len(rs))
		return e
	}
	from, to := max(0, start-contextRunes), min(len(rs), end+contextRunes)
	e.CutBefore, e.CutAfter = from > 0, to < len(rs)
	e.Before = cleanHTML(string(rs[from:start]))
	e.After = cleanHTML(string(rs[end:to]))
	body := rs[start:end]
	if len(body) > maxPassageRunes {
		half := maxPassageRunes / 2
		e.Text = cleanHTML(string(body[:half])) + fmt.Sprintf(" … (%d characters) … ", len(body)-2*half) +
			cleanHTML(string(body[len(body)-half:]))
	} else {
		e.Text = cleanHTML(string(body))
	}
	return e
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
