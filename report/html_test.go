package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/neardup/neardup/internal/golden"
)

// goldenDir holds the goldens shared by the diff renderers and the neardup diff command.
const goldenDir = "../testdata/diff"

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join(goldenDir, name), got)
}

// Attack strings a hostile article might hold. None may become markup.
const (
	attackScript = `<script>alert("pwned")</script>`
	attackAttr   = `"><img src=x onerror=alert(1)>`
	attackQuote  = `' onmouseover='alert(2)`
)

// fixtureTexts are the documents of fixtureResult.
var fixtureTexts = map[string]string{
	"news/a.txt": "新华社北京3月5日电 国务院总理今天在人民大会堂作政府工作报告。\n" +
		"报告指出，今年发展主要预期目标是：国内生产总值增长5%左右。\n" +
		"会议强调，要坚持稳中求进工作总基调，推动高质量发展。\n",
	"news/b.txt": "新华社北京3月5日电（记者张三）国务院总理5日在人民大会堂作政府工作报告。\n" +
		"报告指出，今年发展主要预期目标是：国内生产总值增长5%左右。\n" +
		"会议指出，要坚持稳中求进工作总基调，推动经济高质量发展。\n" +
		"这是新加的一段，用来说明只在一边出现的行。\n",
	"web/<b>evil</b>.html": "这篇文章含有恶意内容 " + attackScript + " 以及 " + attackAttr + " 还有 " + attackQuote + "。\n" +
		"会议强调，要坚持稳中求进工作总基调，推动高质量发展。\n",
	"web/copy.txt": "转载：这篇文章含有恶意内容 " + attackScript + " 以及 " + attackAttr + " 还有 " + attackQuote + "。\n" +
		"会议强调，要坚持稳中求进工作总基调。\n",
}

func fixtureResult() *Result {
	evil, cp := "web/<b>evil</b>.html", "web/copy.txt"
	shared := "报告指出，今年发展主要预期目标是：国内生产总值增长5%左右。"
	sa, sb := runeIndex(fixtureTexts["news/a.txt"], shared), runeIndex(fixtureTexts["news/b.txt"], shared)
	n := len([]rune(shared))
	return &Result{
		Schema: Schema,
		Settings: Settings{NGram: 3, DocDistance: 10, PassageDistance: 6, MinSimilarity: 0.5,
			MinPassage: 20, MaxDF: 50, MinDocs: 3},
		Documents: []Document{
			{Path: "news/a.txt", Chars: 97, Fingerprint: "0123456789abcdef", Encoding: "utf-8"},
			{Path: "news/b.txt", Chars: 120, Fingerprint: "0123456789abcdee", Encoding: "utf-8"},
			{Path: evil, Chars: 110, Fingerprint: "fedcba9876543210", Encoding: "utf-8"},
			{Path: cp, Chars: 100, Fingerprint: "fedcba9876543211", Encoding: "gb18030"},
		},
		Duplicates: []Duplicate{
			{A: "news/a.txt", B: "news/b.txt", Similarity: 0.812, Distance: 4},
			{A: evil, B: cp, Similarity: 0.74, Distance: 6, Relation: "b-contains-a", ContainmentA: 0.9, Folded: true},
		},
		Passages: []Passage{
			{A: "news/a.txt", AStart: sa, AEnd: sa + n, B: "news/b.txt", BStart: sb, BEnd: sb + n, Similarity: 1},
			{A: evil, AStart: 0, AEnd: 60, B: cp, BStart: 3, BEnd: 63, Similarity: 0.95, Folded: true},
			{A: "news/a.txt", AStart: 500, AEnd: 520, B: cp, BStart: 0, BEnd: 5, Similarity: 0.9},
		},
		Slogans: []Slogan{
			{Text: "坚持稳中求进工作总基调", Kind: "slogan", Documents: 4, Occurrences: 4,
				FirstSeen: "2024-01-05", LastSeen: "2024-02-11",
				ByMonth:  []MonthCount{{Month: "2024-01", Documents: 3}, {Month: "2024-02", Documents: 1}},
				Variants: []Variant{{Text: "坚持稳中求进工作总基调", Count: 4}},
				Locations: []Location{{Path: "news/a.txt", Start: 68, End: 79}, {Path: "news/b.txt", Start: 80, End: 91},
					{Path: evil, Start: 80, End: 91}, {Path: cp, Start: 80, End: 91}}},
			{Text: attackScript, Documents: 2, Occurrences: 2,
				Variants:  []Variant{{Text: attackScript, Count: 1}, {Text: attackAttr, Count: 1}},
				Locations: []Location{{Path: evil, Start: 11, End: 41}, {Path: cp, Start: 14, End: 44}}},
			{Text: "版权所有 © 新华网", Kind: "boilerplate", Documents: 1, Occurrences: 1,
				Variants:  []Variant{{Text: "版权所有 © 新华网", Count: 1}},
				Locations: []Location{{Path: evil, Start: 0, End: 10}}},
		},
		Capped:  []Capped{{Text: attackAttr + "责任编辑：王五", Documents: 120}},
		Skipped: []Skip{{Path: "bin/" + attackScript + ".png", Reason: "binary file"}},
	}
}

// runeIndex is the code point offset of sub in s, as Result offsets count.
func runeIndex(s, sub string) int {
	i := strings.Index(s, sub)
	if i < 0 {
		panic("fixture text lacks " + sub)
	}
	return len([]rune(s[:i]))
}

func fixtureTextsFunc(path string) (string, error) {
	t, ok := fixtureTexts[path]
	if !ok {
		return "", fmt.Errorf("no document %s", path)
	}
	return t, nil
}

func renderFixture(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, fixtureResult(), fixtureTextsFunc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteHTMLGolden(t *testing.T) {
	checkGolden(t, "report.html", renderFixture(t))
}

// templateElements are the only elements the templates write. Anything else in a page came
// from corpus text.
var templateElements = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"header": true, "main": true, "h1": true, "h2": true, "dl": true, "dt": true, "dd": true,
	"div": true, "p": true, "nav": true, "a": true, "input": true, "span": true, "details": true,
	"summary": true, "table": true, "colgroup": true, "col": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "del": true, "ins": true, "mark": true, "ul": true, "li": true,
	"code": true, "br": true, "script": true, "label": true, "select": true, "option": true,
}

// checkNoInjection parses page and fails if corpus text became an element or an attribute.
func checkNoInjection(t *testing.T, page []byte, wantScripts int) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	scripts := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !templateElements[n.Data] {
				t.Errorf("element <%s> is not one the template writes", n.Data)
			}
			if n.Data == "script" {
				scripts++
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "src" || a.Key == "srcdoc" {
					t.Errorf("<%s> has attribute %s=%q", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != wantScripts {
		t.Errorf("page has %d script elements, want the template's %d", scripts, wantScripts)
	}
}

// visibleText is the text of the page outside script and style, as a reader sees it.
func visibleText(t *testing.T, page []byte) string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// pageDataOf decodes the data a report page embeds for its script.
func pageDataOf(t *testing.T, page []byte) *pageData {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var raw string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == "data" && n.FirstChild != nil {
					raw = n.FirstChild.Data
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if raw == "" {
		t.Fatal("the page has no data script")
	}
	var d pageData
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatalf("the page's data is not JSON: %v", err)
	}
	return &d
}

// Corpus text reaches the page only as data (escaped JSON inside the data script) or as
// escaped text; the script renders it with textContent, never as markup.
func TestHTMLEscaping(t *testing.T) {
	page := renderFixture(t)
	checkNoInjection(t, page, 2) // the data and the code
	if strings.Contains(string(page), attackScript) || strings.Contains(string(page), "<b>evil</b>") {
		t.Error("an attack string is in the page unescaped")
	}
	data := pageDataOf(t, page)
	all := strings.Join(data.Texts, "\n")
	for _, d := range data.Docs {
		all += "\n" + d.Path
	}
	for _, s := range data.Slogans {
		all += "\n" + string(s)
	}
	text := visibleText(t, page)
	for _, attack := range []string{attackScript, attackAttr, attackQuote, "<b>evil</b>"} {
		t.Run(attack, func(t *testing.T) {
			if !strings.Contains(all, attack) && !strings.Contains(text, attack) {
				t.Errorf("the page does not carry %q", attack)
			}
		})
	}
	// Capped passages and skipped files are written by the template, as text.
	if !strings.Contains(text, attackAttr+"责任编辑：王五") || !strings.Contains(text, "bin/"+attackScript+".png") {
		t.Error("capped or skipped text is not shown as text")
	}
}

func TestWriteHTMLContents(t *testing.T) {
	page := string(renderFixture(t))
	data := pageDataOf(t, []byte(page))
	text := visibleText(t, []byte(page))
	doc := func(i int) string { return data.Docs[i].Path }
	// The diff of pair 1 rebuilds both texts exactly, and marks what changed.
	rebuilt := func(x, side int, text string) (string, bool) {
		rs, pos := []rune(text), 0
		var b strings.Builder
		changed := false
		for _, row := range data.Diffs[x] {
			ops := row[side]
			for i := 0; i+1 < len(ops); i += 2 {
				b.WriteString(string(rs[pos : pos+ops[i+1]]))
				pos += ops[i+1]
				changed = changed || ops[i] != 0
			}
		}
		return b.String(), changed
	}
	p1 := data.Pairs[0]
	left, delA := rebuilt(p1.Diff, 0, fixtureTexts[doc(p1.A)])
	right, insB := rebuilt(p1.Diff, 1, fixtureTexts[doc(p1.B)])
	tests := []struct {
		name string
		ok   bool
	}{
		{"summary counts documents", strings.Contains(page, "<dt>Documents</dt><dd>4</dd>")},
		{"summary counts slogans apart from boilerplate", strings.Contains(page, "<dt>Slogans</dt><dd>2</dd>") && strings.Contains(page, "<dt>Boilerplate</dt><dd>1</dd>")},
		{"pairs most similar first", len(data.Pairs) == 2 && data.Pairs[0].Similarity > data.Pairs[1].Similarity && doc(p1.A) == "news/a.txt"},
		{"every pair has its diff", data.Pairs[0].Diff >= 0 && data.Pairs[1].Diff >= 0 && len(data.Diffs) == 2},
		{"a diff covers both texts", left == fixtureTexts["news/a.txt"] && right == fixtureTexts["news/b.txt"] && delA && insB},
		{"texts embedded once", len(data.Texts) == 4},
		{"headlines", data.Docs[0].Headline == "新华社北京3月5日电 国务院总理今天在人民大会堂作政府工作报告。"},
		{"passage diff for every passage that fits", data.Passages[0].Diff >= 0 && data.Passages[1].Diff >= 0},
		{"containment and script remarked on a pair", slices.Equal(data.Pairs[1].Remarks, []string{"the second contains 90% of the first", foldedNote}) && len(data.Pairs[0].Remarks) == 0},
		{"script remarked on a passage", data.Passages[1].Folded && !data.Passages[0].Folded},
		{"bad offsets noted", data.Passages[2].Diff < 0 && strings.Contains(data.Passages[2].Note, fmt.Sprintf("Offsets 500–520 do not fit the text (%d characters).", len([]rune(fixtureTexts["news/a.txt"]))))},
		{"slogan locations by document", strings.Contains(string(data.Slogans[0]), `"loc":[[0,68,79],[1,80,91],[2,80,91],[3,80,91]]`) && strings.Contains(string(data.Slogans[0]), `"locations_total":4`)},
		{"slogan kind kept", strings.Contains(string(data.Slogans[2]), `"kind":"boilerplate"`)},
		{"settings shown", strings.Contains(text, "n-gram 3 characters") && strings.Contains(text, "similarity ≥ 0.5")},
		{"no external resource", !strings.Contains(page, "http://") && !strings.Contains(page, "https://")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Error("not so in the page")
			}
		})
	}
}

func TestWriteHTMLMissingTexts(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, fixtureResult(), nil); err != nil {
		t.Fatal(err)
	}
	data := pageDataOf(t, b.Bytes())
	notes := 0
	for _, p := range data.Pairs {
		if p.Diff < 0 && p.Note == "Text unavailable: no texts given" {
			notes++
		}
	}
	for _, p := range data.Passages {
		if p.Diff < 0 && p.Note == "Text unavailable: no texts given" {
			notes++
		}
	}
	if notes != 2+3 || len(data.Texts) != 0 {
		t.Errorf("%d notes of missing text and %d texts, want one note per pair and passage (5) and none", notes, len(data.Texts))
	}
}

// A result with families: each member carries a diff against the source, the same text is
// noted, not diffed, and identical texts are embedded once.
func TestWriteHTMLFamilies(t *testing.T) {
	r := fixtureResult()
	r.Documents = append(r.Documents, Document{Path: "news/a-copy.txt", Chars: 97})
	r.Families = []Family{{Source: "news/b.txt", SourceRule: "longest", Size: 3, PairsListed: true, Members: []FamilyMember{
		{Path: "news/b.txt", Similarity: 1}, {Path: "news/a.txt", Similarity: 0.812}, {Path: "news/a-copy.txt", Similarity: 0.812}}}}
	texts := func(path string) (string, error) {
		if path == "news/a-copy.txt" {
			path = "news/a.txt"
		}
		return fixtureTextsFunc(path)
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, r, texts); err != nil {
		t.Fatal(err)
	}
	data := pageDataOf(t, b.Bytes())
	if len(data.Families) != 1 || len(data.Families[0].Members) != 3 {
		t.Fatalf("families %+v", data.Families)
	}
	m := data.Families[0].Members
	if m[0].Diff != -1 || m[1].Diff < 0 || m[2].Diff != m[1].Diff {
		t.Errorf("member diffs %d %d %d: want none for the source, one shared by the two copies", m[0].Diff, m[1].Diff, m[2].Diff)
	}
	if len(data.Texts) != 4 {
		t.Errorf("%d texts embedded, want 4 (the copy's text is a's)", len(data.Texts))
	}
}

func FuzzHTML(f *testing.F) {
	f.Add(attackScript, attackAttr)
	f.Add(attackQuote, "</td></tr></table><script>x</script>")
	f.Add("<!--", "]]><svg onload=alert(1)>")
	f.Add("\x00\x1b[31m\u202e", "<style>body{}</style>")
	f.Fuzz(func(t *testing.T, a, b string) {
		texts := func(path string) (string, error) {
			if path == a {
				return a + "\n" + b, nil
			}
			return b + "\n" + a, nil
		}
		n := len([]rune(a))
		r := &Result{
			Documents:  []Document{{Path: a}, {Path: b}},
			Duplicates: []Duplicate{{A: a, B: b, Similarity: 0.5}},
			Passages:   []Passage{{A: a, AStart: 0, AEnd: n, B: b, BStart: 0, BEnd: n}},
			Slogans:    []Slogan{{Text: a, Kind: b, Documents: 2, Locations: []Location{{Path: b}}}},
			Capped:     []Capped{{Text: b}},
			Skipped:    []Skip{{Path: a, Reason: b}},
		}
		var page bytes.Buffer
		if err := WriteHTML(&page, r, texts); err != nil {
			t.Fatal(err)
		}
		checkNoInjection(t, page.Bytes(), 2)
		page.Reset()
		if err := WriteDiffHTML(&page, a, b, nil); err != nil {
			t.Fatal(err)
		}
		checkNoInjection(t, page.Bytes(), 0)
	})
}

// BenchmarkWriteHTMLCorpus renders a report the size of a scan of the 10,300-story
// xinwenlianbo corpus, on its real texts, and reports the page size: 3,000 pairs (stories of
// the same day, so their diffs are large), 20,000 passages and 500 slogans of 1,000 locations.
func BenchmarkWriteHTMLCorpus(b *testing.B) {
	dir := "../../shared/corpora/xinwenlianbo/texts"
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		b.Skipf("corpus %s is absent; this benchmark measures the report size on it", dir)
	}
	texts := make(map[string]string, len(names))
	r := &Result{Schema: Schema}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		texts[name] = string(data)
		r.Documents = append(r.Documents, Document{Path: name, Chars: len([]rune(string(data))), Fingerprint: "0123456789abcdef"})
	}
	for i := 0; len(r.Duplicates) < 3000 && i+1 < len(names); i += 3 {
		r.Duplicates = append(r.Duplicates, Duplicate{A: names[i], B: names[i+1], Similarity: 1 - float64(i)/1e5, Distance: 3})
	}
	for i := 0; len(r.Passages) < 20000; i++ {
		a, c := names[i%len(names)], names[(i*7+1)%len(names)]
		na, nc := len([]rune(texts[a])), len([]rune(texts[c]))
		n := min(80, na, nc)
		r.Passages = append(r.Passages, Passage{A: a, AStart: na - n, AEnd: na, B: c, BStart: 0, BEnd: n, Similarity: 0.9})
	}
	for i := range 500 {
		s := Slogan{Text: fmt.Sprintf("推进中国式现代化第%d条", i), Documents: 1000 - i, Occurrences: 1200}
		for j := range 1000 {
			s.Locations = append(s.Locations, Location{Path: names[(i+j)%len(names)], Start: 10, End: 20})
		}
		r.Slogans = append(r.Slogans, s)
	}
	get := func(path string) (string, error) { return texts[path], nil }
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var page bytes.Buffer
		if err := WriteHTML(&page, r, get); err != nil {
			b.Fatal(err)
		}
		size = page.Len()
	}
	b.ReportMetric(float64(size), "bytes/report")
}

func TestSharedFolder(t *testing.T) {
	for _, tt := range []struct {
		paths []string
		want  string
	}{
		{[]string{"a/b/c.txt", "a/b/d.txt"}, "a/b/"},
		{[]string{"a/bc.txt", "a/bd.txt"}, "a/"},
		{[]string{"x.txt", "y.txt"}, ""},
		{[]string{"新闻/甲.txt", "新闻/乙.txt"}, "新闻/"},
		{[]string{"a/b.txt"}, "a/"},
	} {
		var docs []pageDoc
		for _, p := range tt.paths {
			docs = append(docs, pageDoc{Path: p})
		}
		if got := sharedFolder(docs); got != tt.want {
			t.Errorf("sharedFolder(%q) = %q, want %q", tt.paths, got, tt.want)
		}
	}
}
