package slogan

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/text"
)

// xinwenDir holds 10,300 CCTV news stories (see its SOURCE.md).
var xinwenDir = filepath.Join("..", "..", "..", "shared", "corpora", "xinwenlianbo", "texts")

func loadXinwen(tb testing.TB) []*corpus.Document {
	tb.Helper()
	if _, err := os.Stat(xinwenDir); err != nil {
		tb.Skipf("corpus absent: %v", err)
	}
	docs, _, err := corpus.Load([]string{xinwenDir}, nil, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// xinwenFound is Find's result on xinwenlianbo, mined once for the tests that read it.
var xinwenFound struct {
	once sync.Once
	docs []*corpus.Document
	res  *Result
}

func findXinwen(t *testing.T) ([]*corpus.Document, *Result) {
	t.Helper()
	docs := loadXinwen(t)
	xinwenFound.once.Do(func() {
		xinwenFound.docs = docs
		xinwenFound.res = Find(docs, Options{Jobs: 2})
	})
	return xinwenFound.docs, xinwenFound.res
}

func BenchmarkFindXinwenlianbo(b *testing.B) {
	docs := loadXinwen(b)
	size := 0
	for _, d := range docs {
		size += len(d.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		Find(docs, Options{Jobs: 2})
	}
}

// TestXinwenlianboSetPhrases checks, on 10,300 real stories, that every story holding one of
// these set phrases has it inside a slogan occurrence: as the phrase itself, quoted or bare, or
// within a longer recurring phrase that claims it. Before bare occurrences were searched, most
// stories that wrote them inside a longer clause were missed.
func TestXinwenlianboSetPhrases(t *testing.T) {
	if testing.Short() {
		t.Skip("mines 10,300 stories")
	}
	docs, res := findXinwen(t)
	for _, phrase := range []string{"中国式现代化", "新质生产力", "枫桥经验", "总体国家安全观"} {
		t.Run(phrase, func(t *testing.T) {
			holding, covered := 0, 0
			for d, doc := range docs {
				runes := []rune(doc.Text)
				in := false
				for _, sp := range res.Excluded[d] {
					if strings.Contains(string(runes[sp.Start:sp.End]), phrase) {
						in = true
						break
					}
				}
				if strings.Contains(doc.Text, phrase) {
					holding++
					if in {
						covered++
					}
				}
			}
			own := 0
			if s := bySloganText(res, phrase); s != nil {
				own = s.Documents
			}
			t.Logf("%s: in %d stories, covered in %d, reported itself in %d", phrase, holding, covered, own)
			if holding == 0 || covered != holding || own == 0 {
				t.Errorf("in %d stories, covered in %d, reported itself in %d; want all covered and the phrase reported", holding, covered, own)
			}
		})
	}
}

// TestXinwenlianboKinds checks the kinds and counts a reader of the news would check: the
// best-known formulas are slogans of their own, each counted in every story that holds it
// (within 10% of grep -l on the normalised texts); generic phrases and meeting names that
// verbs of policy stand before are not slogans; and no item of the top 100 ends where one
// character follows most of its occurrences (inside a word).
func TestXinwenlianboKinds(t *testing.T) {
	if testing.Short() {
		t.Skip("mines 10,300 stories")
	}
	docs, res := findXinwen(t)
	norms := make([]string, len(docs))
	for i, d := range docs {
		norms[i] = string(text.AppendNormalized(nil, d.Text))
	}

	for _, phrase := range []string{"中国式现代化", "高质量发展", "新质生产力", "一带一路", "两个确立", "四个意识", "平安中国"} {
		holding := 0
		for _, n := range norms {
			if strings.Contains(n, phrase) {
				holding++
			}
		}
		s := bySloganText(res, phrase)
		switch {
		case s == nil:
			t.Errorf("%s (in %d stories) is no item", phrase, holding)
		case s.Kind != KindSlogan:
			t.Errorf("%s: kind %s, want slogan", phrase, s.Kind)
		case math.Abs(float64(s.Documents-holding)) > 0.1*float64(holding):
			t.Errorf("%s: %d documents, grep finds %d", phrase, s.Documents, holding)
		}
	}
	for _, phrase := range []string{"双边关系", "体制改革", "改革创新", "开放合作", "传统产业", "更高水平", "两位数增长", "二十届三中全会", "党的二十大"} {
		if s := bySloganText(res, phrase); s != nil && s.Kind == KindSlogan {
			t.Errorf("%s is a slogan; it is a generic phrase or a meeting", phrase)
		}
	}
	// Past a particle (人与自然|和谐共生, 两个确立|的) or a punctuation mark the phrase may end.
	runes := make([][]rune, len(docs))
	for _, s := range res.Slogans[:min(100, len(res.Slogans))] {
		if s.Kind == KindTemplate {
			continue
		}
		next := make(map[rune]int)
		for _, l := range s.Locations {
			if runes[l.Doc] == nil {
				runes[l.Doc] = []rune(docs[l.Doc].Text)
			}
			if rs := runes[l.Doc]; l.End < len(rs) && unicode.Is(unicode.Han, rs[l.End]) && !strings.ContainsRune(hanParticles, rs[l.End]) {
				next[rs[l.End]]++
			}
		}
		for r, c := range next {
			if c >= 2 && 2*c > len(s.Locations) {
				t.Errorf("%s [%s] goes on with %c in %d of %d occurrences", s.Text, s.Kind, r, c, len(s.Locations))
			}
		}
	}
}
