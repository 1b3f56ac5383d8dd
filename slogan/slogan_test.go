package slogan

import (
	"github.com/neardup/neardup/internal/golden"

	"bytes"
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

func docsOf(texts ...string) []*corpus.Document {
	docs := make([]*corpus.Document, len(texts))
	for i, t := range texts {
		docs[i] = &corpus.Document{Path: fmt.Sprintf("d%d.txt", i), Text: t}
	}
	return docs
}

func bySloganText(res *Result, text string) *Slogan {
	for i := range res.Slogans {
		if res.Slogans[i].Text == text {
			return &res.Slogans[i]
		}
	}
	return nil
}

// lead gives each document its own words before a planted phrase, so that the phrase is not
// merged with them.
var lead = []string{"记者了解到", "据介绍", "会上大家一致认为", "他说", "调查显示"}

// filler gives each document its own text, so that only what a test plants recurs.
var filler = []string{
	"今年春天，城东新区新建了三座社区图书馆。",
	"河道整治工程已经进入收尾阶段，沿岸步道将在月底开放。",
	"农技人员走进田间地头，指导农户做好春耕备播。",
	"全市中小学开展消防演练，师生有序疏散到操场。",
	"新开通的公交线路连接了高铁站和大学城。",
}

func TestWithinDocumentRepetition(t *testing.T) {
	phrase := "群众利益无小事件件都要办好"
	docs := docsOf(
		filler[0]+phrase+"。"+filler[1]+phrase+"。"+phrase+"。",
		filler[2]+phrase+"。",
		filler[3]+phrase+"。",
		filler[4]+phrase+"，"+phrase+"。",
	)
	tests := []struct {
		name    string
		minDocs int
		want    bool
	}{
		{"four documents reach min-docs 4", 4, true},
		{"repeats do not raise document frequency", 5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Find(docs, Options{MinDocs: tt.minDocs})
			s := bySloganText(res, phrase)
			if (s != nil) != tt.want {
				t.Fatalf("slogan found = %v, want %v; slogans %v", s != nil, tt.want, res.Slogans)
			}
			if s == nil {
				return
			}
			if s.Documents != 4 || s.Occurrences != 7 || len(s.Locations) != 7 {
				t.Errorf("documents %d, occurrences %d, locations %d; want 4, 7, 7", s.Documents, s.Occurrences, len(s.Locations))
			}
			for _, l := range s.Locations {
				var d int
				fmt.Sscanf(l.Path, "d%d.txt", &d)
				if got := string([]rune(docs[d].Text)[l.Start:l.End]); got != phrase {
					t.Errorf("location %v holds %q", l, got)
				}
			}
		})
	}
}

func TestBoilerplate(t *testing.T) {
	header := "滨江日报网 首页 新闻 评论"
	footer := "返回顶部 返回列表"
	slogan := "把为民服务落实到每一件小事上"
	var texts []string
	for i, f := range filler {
		texts = append(texts, header+"\n"+f+"\n"+lead[i]+"，"+slogan+"。"+filler[(i+1)%len(filler)]+"\n"+footer+"\n")
	}
	res := Find(docsOf(texts...), Options{})
	tests := []struct {
		text, kind string
	}{
		{header, KindBoilerplate},
		{footer, KindBoilerplate},
		{slogan, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s := bySloganText(res, tt.text)
			if s == nil {
				t.Fatalf("not reported; slogans %v", res.Slogans)
			}
			if (tt.kind == KindBoilerplate) != (s.Kind == KindBoilerplate) {
				t.Errorf("kind %q, want %q", s.Kind, tt.kind)
			}
			if s.Documents != len(filler) {
				t.Errorf("documents %d, want %d", s.Documents, len(filler))
			}
		})
	}
}

func TestClosingSentenceIsNotBoilerplate(t *testing.T) {
	closing := "外交部部长王毅参加了上述活动。"
	var texts []string
	for _, f := range filler {
		texts = append(texts, "标题\n\n"+f+"\n"+closing+"\n")
	}
	res := Find(docsOf(texts...), Options{})
	s := bySloganText(res, "外交部部长王毅参加了上述活动")
	if s == nil {
		t.Fatalf("not reported; slogans %v", res.Slogans)
	}
	if s.Kind == KindBoilerplate {
		t.Errorf("a closing sentence was marked %q", s.Kind)
	}
}

func TestIgnore(t *testing.T) {
	stock := "坚持人民至上、生命至上"
	kept := "守好群众身边的安全防线"
	var texts []string
	for i, f := range filler {
		texts = append(texts, f+lead[i]+"，"+stock+"。"+lead[(i+1)%len(lead)]+"，"+kept+"。")
	}
	docs := docsOf(texts...)
	list := []string{"坚持人民至上，生命至上"} // other punctuation than in the text
	tests := []struct {
		name        string
		ignore      []string
		wantStock   bool
		wantCovered int // covered spans per document
	}{
		{"without ignore list", nil, true, 2},
		{"with ignore list", list, false, 2},
		{"ignore list, without the phrase", []string{"与本文无关的话"}, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Find(docs, Options{Ignore: tt.ignore})
			if got := bySloganText(res, kept) != nil; !got {
				t.Errorf("%q not reported", kept)
			}
			found := false
			for _, s := range res.Slogans {
				if strings.Contains(s.Text, "人民至上") {
					found = true
				}
			}
			if found != tt.wantStock {
				t.Errorf("stock phrase reported = %v, want %v; slogans %v", found, tt.wantStock, res.Slogans)
			}
			for d, spans := range res.Excluded {
				if len(spans) != tt.wantCovered {
					t.Errorf("document %d: covered %v, want %d spans", d, spans, tt.wantCovered)
				}
				runes := []rune(docs[d].Text)
				for _, sp := range spans {
					got := string(runes[sp.Start:sp.End])
					if got != stock && got != kept {
						t.Errorf("document %d: covered %q", d, got)
					}
				}
			}
		})
	}
}

func TestShortPiecesAreNotSlogans(t *testing.T) {
	var texts []string
	for i, f := range filler {
		texts = append(texts, "会议强调，"+f+"同时，"+lead[i]+"“枫桥经验”"+filler[(i+2)%len(filler)])
	}
	res := Find(docsOf(texts...), Options{})
	tests := []struct {
		text string
		want bool
	}{
		{"会议强调", false}, // four runes, not quoted
		{"同时", false},
		{"枫桥经验", true}, // four runes, quoted
		{"新开通的公交线路连接了高铁站和大学城", false}, // in two documents
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			// A short generic clause may recur as a phrase, but is never a slogan.
			found := false
			for _, s := range res.Slogans {
				if strings.Trim(s.Text, "“”") == tt.text && (s.Kind == KindSlogan || len([]rune(tt.text)) > 4) {
					found = true
				}
			}
			if found != tt.want {
				t.Errorf("reported = %v, want %v; slogans %v", found, tt.want, res.Slogans)
			}
		})
	}
}

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"关键时刻能冲得出来", "关键时刻能冲得出来", true},
		{"关键时刻能冲得出来", "关键时刻能闯得出来", true},
		{"关键时刻能冲得出来", "关键时刻冲得出来", true},
		{"关键时刻能冲得出来", "关键时刻能冲得出来了", true},
		{"关键时刻能冲得出来", "危急时刻能豁得出来", false},
		{"关键时刻能冲得出来", "关键时刻冲得出", false},
		{"abc", "acb", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := withinOneEdit([]byte(tt.a), []byte(tt.b)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if got := withinOneEdit([]byte(tt.b), []byte(tt.a)); got != tt.want {
				t.Errorf("reversed: got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	docs, _ := plantedCorpus(t, 42)
	var first bytes.Buffer
	for i := range 3 {
		var buf bytes.Buffer
		res := Find(docs, Options{MinDocs: 2})
		if err := writeSlogans(&buf, res.Slogans); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf
		} else if !bytes.Equal(first.Bytes(), buf.Bytes()) {
			t.Fatal("two runs gave different output")
		}
	}
}

// TestSeedsGolden runs on the five seed articles with min-docs 2: the 三能 campaign lines shared
// by two articles must come out whole, and the text report is kept as a golden for people to read.
func TestSeedsGolden(t *testing.T) {
	seeds, err := filepath.Glob(filepath.Join("..", "testdata", "corpus", "00*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	docs, skipped, err := corpus.Load(seeds, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 5 || len(skipped) != 0 {
		t.Fatalf("loaded %d documents, skipped %v; want the 5 seeds", len(docs), skipped)
	}
	for _, d := range docs {
		d.Path = filepath.ToSlash(filepath.Join("testdata", "corpus", filepath.Base(d.Path)))
	}
	res := Find(docs, Options{MinDocs: 2})
	for _, line := range []string{"平常时间能看得出来", "关键时刻能冲得出来", "危急时刻能豁得出来"} {
		found := false
		for _, s := range res.Slogans {
			if strings.Contains(s.Text, line) && s.Documents == 2 {
				found = true
			}
			for _, v := range s.Variants {
				// Whole: no reported text may end or begin inside the line.
				// (A word of two or fewer characters may end another phrase: 看似平常.)
				for i := 3; i < len([]rune(line))-2; i++ {
					head, tail := string([]rune(line)[:i]), string([]rune(line)[i:])
					if strings.HasSuffix(strings.Trim(v.Text, "“”"), head) || strings.HasPrefix(strings.Trim(v.Text, "“”"), tail) {
						t.Errorf("variant %q cuts %q", v.Text, line)
					}
				}
			}
		}
		if !found {
			t.Errorf("%q not reported in 2 documents", line)
		}
	}
	// 人民公安为人民 is quoted in one article and bare inside a clause of another.
	if s := bySloganText(res, "人民公安为人民"); s == nil || s.Documents != 2 {
		t.Errorf("人民公安为人民 not reported in 2 documents: %v", s)
	} else {
		for _, l := range s.Locations {
			var d int
			for d = range docs {
				if docs[d].Path == l.Path {
					break
				}
			}
			if got := string([]rune(docs[d].Text)[l.Start:l.End]); got != "人民公安为人民" {
				t.Errorf("location %v holds %q", l, got)
			}
		}
	}
	for d, spans := range res.Excluded {
		for i := 1; i < len(spans); i++ {
			if spans[i].Start <= spans[i-1].End {
				t.Errorf("document %d: covered spans overlap or touch: %v", d, spans)
			}
		}
	}
	var buf bytes.Buffer
	if err := writeSlogans(&buf, res.Slogans); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("..", "testdata", "slogans", "seeds.golden"), buf.Bytes())
}

// TestSortKeys: the radix sort gives the order of a comparison sort by key, then id.
func TestSortKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var keys []delKey
	for id := range int32(3000) {
		for range r.IntN(4) {
			k := r.Uint64()
			if r.IntN(3) == 0 {
				k &= 0xff // many equal keys
			}
			keys = append(keys, delKey{k, id})
		}
	}
	want := slices.Clone(keys)
	slices.SortFunc(want, func(a, b delKey) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
	})
	if got, _ := sortKeys(keys, nil); !slices.Equal(got, want) {
		t.Fatal("sortKeys differs from a comparison sort by key, then id")
	}
}

// TestDanglingAtQuoteCut plants phrases next to quotation marks and brackets, where the cut
// would leave a preposition or particle on the phrase's edge: the phrase must be reported
// whole, once, with the documents of every form, and a character that ends a word must stay.
func TestDanglingAtQuoteCut(t *testing.T) {
	// 青溪河长办主任 is seven runes, below DefaultVariantMinChars: only the rule, not variant
	// merging, can join 青溪河长办主任在 and 青溪河长办主任.
	bodies := []string{
		"青溪河长办主任在《青溪日报》发表文章",
		"青溪河长办主任对“清水行动”提出要求",
		"青溪河长办主任向“护河志愿者”致信",   // 向 ends words too; the rest is a piece elsewhere
		"青溪河长办主任在河堤上检查工作",     // bare inside a clause
		"上午，青溪河长办主任，带队巡河",     // a clause of its own
		"北线战场推进方向（据前方报道）出现变化", // 北线战场推进方 is no piece: 向 stays
		"北线战场推进方向（据当地媒体）交火激烈",
		"北线战场推进方向，局势仍然紧张",
		"会议学习了《青溪治水条例》的实施细则草案",
		"大家讨论《青溪护岸办法》的实施细则草案",
		"群众关心《青溪节水公约》的实施细则草案",
		"实施细则草案，已经向社会公开",
	}
	var texts []string
	for i, b := range bodies {
		texts = append(texts, fmt.Sprintf("%s第%d篇，%s。%s", lead[i%len(lead)], i, b, filler[i%len(filler)]))
	}
	docs := docsOf(texts...)
	res := Find(docs, Options{})
	// Read as asked for, the pieces are spilled, and a shortened piece's end is told from
	// the list of those shortened.
	t.Run("spilled", func(t *testing.T) { checkFindTexts(t, docs, Options{}, res) })
	tests := []struct {
		text string
		docs int
	}{
		{"青溪河长办主任", 5},
		{"北线战场推进方向", 3},
		{"实施细则草案", 4},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s := bySloganText(res, tt.text)
			if s == nil {
				t.Fatalf("not reported; slogans %v", res.Slogans)
			}
			if s.Documents != tt.docs {
				t.Errorf("documents = %d, want %d", s.Documents, tt.docs)
			}
			for _, v := range s.Variants {
				if v.Text != tt.text {
					t.Errorf("variant %q (%d), want only the phrase itself", v.Text, v.Count)
				}
			}
			for _, l := range s.Locations {
				var d int
				if _, err := fmt.Sscanf(l.Path, "d%d.txt", &d); err != nil {
					t.Fatal(err)
				}
				if got := string([]rune(texts[d])[l.Start:l.End]); got != tt.text {
					t.Errorf("%s [%d,%d) reads %q", l.Path, l.Start, l.End, got)
				}
			}
		})
	}
	for _, s := range res.Slogans {
		if strings.HasPrefix(s.Text, "青溪河长办主任") && s.Text != "青溪河长办主任" || strings.HasPrefix(s.Text, "的") {
			t.Errorf("fragment %q reported (%d documents)", s.Text, s.Documents)
		}
	}
}

// writeSlogans is a plain text listing of slogans for goldens and comparisons: the report
// package renders its own form of them.
func writeSlogans(w io.Writer, slogans []Slogan) error {
	for i, s := range slogans {
		fmt.Fprintf(w, "%d. %s [%s]\n   %d documents, %d occurrences\n", i+1, s.Text, s.Kind, s.Documents, s.Occurrences)
		for _, v := range s.Variants {
			if v.Text != s.Text {
				fmt.Fprintf(w, "   also %s (%d)\n", v.Text, v.Count)
			}
		}
		for _, f := range s.Fillers {
			fmt.Fprintf(w, "   filler %s (%d)\n", f.Text, f.Count)
		}
		for _, f := range s.Forms {
			fmt.Fprintf(w, "   form %s (%d documents)\n", f.Text, f.Documents)
		}
		for _, l := range s.Locations {
			if _, err := fmt.Fprintf(w, "   at %s [%d,%d)\n", l.Path, l.Start, l.End); err != nil {
				return err
			}
		}
	}
	return nil
}
