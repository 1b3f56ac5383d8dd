package match

import (
	"cmp"
	"slices"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// On a corpus with no capped clause, verifying every pair with VerifyPair must find what
// Find finds from its candidates: a pair Find never considered must not verify either.
func TestVerifyPairAllPairsEqualsFind(t *testing.T) {
	docs, _, err := corpus.Load([]string{"../testdata/corpus"}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	want := Find(docs, opt)
	if len(want.Capped) > 0 || len(want.Duplicates) == 0 || len(want.Passages) == 0 {
		t.Fatalf("testdata/corpus no longer fits this test: %d capped, %d duplicates, %d passages",
			len(want.Capped), len(want.Duplicates), len(want.Passages))
	}
	none := Evidence{}
	var dups []Duplicate
	var pass []Passage
	for a := range docs {
		for b := a + 1; b < len(docs); b++ {
			d, ps := VerifyPair(docs[a], docs[b], none, opt)
			if d != nil {
				d.A, d.B = a, b
				dups = append(dups, *d)
			}
			for _, p := range ps {
				p.A, p.B = a, b
				pass = append(pass, p)
			}
		}
	}
	slices.SortFunc(dups, func(x, y Duplicate) int {
		return cmp.Or(cmp.Compare(y.Similarity, x.Similarity), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	slices.SortFunc(pass, func(x, y Passage) int {
		return cmp.Or(cmp.Compare(max(y.ALength, y.BLength), max(x.ALength, x.BLength)),
			cmp.Compare(y.Similarity, x.Similarity),
			cmp.Compare(x.A, y.A), cmp.Compare(x.AStart, y.AStart), cmp.Compare(x.B, y.B), cmp.Compare(x.BStart, y.BStart))
	})
	if !slices.Equal(dups, want.Duplicates) {
		t.Errorf("duplicates:\n got %v\nwant %v", dups, want.Duplicates)
	}
	if !slices.Equal(pass, want.Passages) {
		t.Errorf("passages:\n got %v\nwant %v", pass, want.Passages)
	}
}

// A capped clause no longer seeds a passage: capping every clause leaves only duplicates.
func TestVerifyPairCappedSeedsNothing(t *testing.T) {
	docs, _, err := corpus.Load([]string{"../testdata/corpus"}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := Evidence{Capped: func(uint64) bool { return true }}
	found := 0
	for a := range docs {
		for b := a + 1; b < len(docs); b++ {
			if _, ps := VerifyPair(docs[a], docs[b], all, DefaultOptions()); len(ps) > 0 {
				t.Errorf("%s, %s: %d passages from capped clauses", docs[a].Path, docs[b].Path, len(ps))
			}
			if _, ps := VerifyPair(docs[a], docs[b], Evidence{}, DefaultOptions()); len(ps) > 0 {
				found++
			}
		}
	}
	if found == 0 {
		t.Fatal("no passages without capping: the test proves nothing")
	}
}

func TestCappedCandidates(t *testing.T) {
	opt := DefaultOptions()
	small := []int{1, 2, 3}
	if got := CappedCandidates(small, []int{100, 100, 100}, 5, opt); !slices.Equal(got, small) {
		t.Errorf("small group: got %v", got)
	}
	var docs, runes []int
	for i := range docPairFactor*opt.MaxDF + 1 {
		docs = append(docs, i)
		runes = append(runes, 1000)
	}
	runes[7] = 40 // the 10-character clause is a quarter of document 7
	if got := CappedCandidates(docs, runes, 10, opt); !slices.Equal(got, []int{7}) {
		t.Errorf("big group: got %v, want [7]", got)
	}
}
