package slogan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
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
	docs := loadXinwen(t)
	res := Find(docs, Options{Jobs: 2})
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
