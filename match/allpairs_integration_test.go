//go:build integration

package match

import (
	"os"
	"testing"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// Run with: go test -tags integration -run TestRecallAgainstExact -v ./match
// TestRecallAgainstExact compares what Find reports on the real corpora with an exact
// all-pairs computation of 3-gram Jaccard >= 0.55: every such pair must be reported. It
// takes about ten seconds for xinwenlianbo, hence the build tag; the corpora are beside the checkout here and in CI.
func TestRecallAgainstExact(t *testing.T) {
	for _, dir := range []string{"../../shared/corpora/xinwenlianbo/texts", "../../shared/corpora/sogou-news-smarty/texts"} {
		t.Run(dir[len("../../shared/corpora/"):], func(t *testing.T) {
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("shared corpora not present (%v)", err)
			}
			if testing.Short() {
				t.Skip("the exact computation takes seconds: not in -short")
			}
			docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			truth := exactPairs(docs, 3, 0.55)
			exactTime := time.Since(start)
			opt := DefaultOptions()
			opt.Jobs = 2
			start = time.Now()
			res := Find(docs, opt)
			findTime := time.Since(start)
			reported := map[[2]int]bool{}
			for _, d := range res.Duplicates {
				reported[[2]int{d.A, d.B}] = true
			}
			// Find requires simhash.MinFeatures n-grams of a document before it compares it
			// (see Find): a title of a few characters equals many others without being a
			// copy. Such pairs are left out of the truth and counted.
			grams := func(d int) int { return len(gramSet(text.AppendNormalized(nil, docs[d].Text), nil, 3, nil)) }
			missed, short := 0, 0
			for _, p := range truth {
				if min(grams(p.a), grams(p.b)) < simhash.MinFeatures {
					short++
					continue
				}
				if !reported[[2]int{p.a, p.b}] {
					missed++
					t.Logf("missed: %s ~ %s, Jaccard %.3f, %d / %d characters", docs[p.a].Path, docs[p.b].Path, p.sim, docs[p.a].Chars(), docs[p.b].Chars())
				}
			}
			t.Logf("%d documents: %d pairs at 3-gram Jaccard >= 0.55 (exact, %v), %d of them between documents of fewer than %d n-grams; %d of the other %d reported; Find took %v and reported %d duplicates",
				len(docs), len(truth), exactTime.Round(time.Millisecond), short, simhash.MinFeatures, len(truth)-short-missed, len(truth)-short, findTime.Round(time.Millisecond), len(res.Duplicates))
			if missed > 0 {
				t.Errorf("%d of %d exact pairs not reported", missed, len(truth)-short)
			}
		})
	}
}
