package match

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/text"
)

// streamCorpora are the corpora the streaming search is compared on: planted copies of the
// seed articles (everywhere), the test corpus, and real news when the shared corpora are there.
func streamCorpora(t *testing.T) map[string][]*corpus.Document {
	t.Helper()
	out := map[string][]*corpus.Document{}
	seeds := baseArticles(readTexts(t, "../testdata/corpus/00*.txt", 0), 300)
	out["planted-seeds"] = plant(1, seeds, len(seeds)/4, len(seeds)/6, false).docs
	docs, _, err := corpus.Load([]string{"../testdata/corpus"}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Copies of the corpus's first documents, for the identical groups.
	docs = append(docs, &corpus.Document{Path: "copy-0.txt", Text: docs[0].Text}, &corpus.Document{Path: "copy-1.txt", Text: docs[1].Text + "。"})
	out["testdata"] = docs
	if dir := "../../shared/corpora/xinwenlianbo/texts"; !testing.Short() {
		if _, err := os.Stat(dir); err == nil {
			out["planted-xinwenlianbo"] = plant(2, xinwenlianboBases(t), 300, 300, true).docs
			if docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{Jobs: 2}); err == nil {
				out["xinwenlianbo"] = docs
			} else {
				t.Fatal(err)
			}
		} else {
			t.Logf("xinwenlianbo not compared: shared corpora not present (%v)", err)
		}
	}
	return out
}

// excludeSome makes an ExcludeFromPassages that leaves out the first clause of every
// document in a pair, as slogans would be left out: deterministic, and it changes passages.
func excludeSome(docs []*corpus.Document) func([]Duplicate) [][]text.Span {
	return func(dups []Duplicate) [][]text.Span {
		out := make([][]text.Span, len(docs))
		for _, d := range dups {
			for _, x := range []int{d.A, d.B} {
				if cl := text.Clauses(docs[x].Text); len(cl) > 0 && out[x] == nil {
					out[x] = []text.Span{cl[0]}
				}
			}
		}
		return out
	}
}

// TestFindTextsAsFind shows that the search over texts read when needed, cut into chunks of
// one candidate each (a budget of one byte) or not cut at all, finds what Find finds.
func TestFindTextsAsFind(t *testing.T) {
	defer func(m int) { minRunRecords = m }(minRunRecords)
	minRunRecords = 64 // runs of a few documents: the small corpora spill too
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the runs are spilled, seen by this test alone
	for name, docs := range streamCorpora(t) {
		t.Run(name, func(t *testing.T) {
			opt := DefaultOptions()
			opt.Jobs = 2
			opt.Exclude = make([][]text.Span, len(docs))
			if cl := text.Clauses(docs[0].Text); len(cl) > 1 {
				opt.Exclude[0] = []text.Span{cl[1]}
			}
			opt.ExcludeFromPassages = excludeSome(docs)
			want := Find(docs, opt)
			wantC := FindCollapsed(docs, opt)
			// One candidate a chunk costs a reading of both texts per candidate: on the
			// real corpus a few megabytes make hundreds of chunks.
			budgets := []int64{0, 1, 200_000}
			if len(docs) > 1000 {
				budgets = []int64{4 << 20}
			}
			for _, budget := range budgets {
				o := opt
				o.TextBudget = budget
				got, err := FindTexts(corpus.DocumentTexts(docs), o)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("budget %d: FindTexts differs from Find: %d duplicates, %d passages, %d capped; want %d, %d, %d",
						budget, len(got.Duplicates), len(got.Passages), len(got.Capped), len(want.Duplicates), len(want.Passages), len(want.Capped))
				}
				gotC, err := FindCollapsedTexts(corpus.DocumentTexts(docs), o)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(gotC, wantC) {
					t.Errorf("budget %d: FindCollapsedTexts differs from FindCollapsed: %d duplicates, %d passages, %d groups; want %d, %d, %d",
						budget, len(gotC.Duplicates), len(gotC.Passages), len(gotC.Identical), len(wantC.Duplicates), len(wantC.Passages), len(wantC.Identical))
				}
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "neardup-spill-*")); len(left) > 0 {
				t.Errorf("spilled runs left behind: %v", left)
			}
			t.Logf("%d documents: %d duplicates, %d passages, %d capped, %d identical groups",
				len(docs), len(want.Duplicates), len(want.Passages), len(want.Capped), len(wantC.Identical))
		})
	}
}

// failingTexts fails to read one document.
type failingTexts struct {
	corpus.DocumentTexts
	bad int
}

func (f failingTexts) Text(i int) (string, error) {
	if i == f.bad {
		return "", errors.New("doc changed during the scan")
	}
	return f.DocumentTexts.Text(i)
}

func TestFindTextsReportsAReadError(t *testing.T) {
	docs, _, err := corpus.Load([]string{"../testdata/corpus"}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []int{0, len(docs) - 1} {
		if _, err := FindTexts(failingTexts{docs, bad}, DefaultOptions()); err == nil {
			t.Errorf("document %d unreadable: no error", bad)
		}
	}
}
