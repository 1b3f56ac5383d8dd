package match

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// TestCalibrateAgreesWithFind: the candidates Calibrate measures, cut at the thresholds,
// are exactly the near-duplicates Find reports, with the same similarities and distances.
func TestCalibrateAgreesWithFind(t *testing.T) {
	docs, _, err := corpus.Load([]string{filepath.Join("..", "testdata", "corpus")}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Reposts of the planted kind, so that some pairs sit near each threshold.
	base := docs[0].Text
	docs = append(docs,
		&corpus.Document{Path: "edited", Text: base[:len(base)/2] + "本报记者另据报道称" + base[len(base)/2:]},
		&corpus.Document{Path: "half", Text: base[:len(base)/2]})
	for _, opt := range []Options{DefaultOptions(), {MinSimilarity: 0.3, DocDistance: 3, MinPassage: 30, MaxDF: 10, N: 3, PassageDistance: 6}} {
		cal := Calibrate(docs, opt)
		found := Find(docs, opt)
		opt = withDefaults(opt)
		if cal.MaxDistance != min(opt.DocDistance+CalibrationMargin, 16) {
			t.Errorf("MaxDistance %d", cal.MaxDistance)
		}
		var fromCal, fromFind []Duplicate
		for _, c := range cal.Candidates {
			if c.Similarity >= opt.MinSimilarity && (c.WithoutDistance || c.Distance <= opt.DocDistance) {
				fromCal = append(fromCal, Duplicate{A: c.A, B: c.B, Similarity: c.Similarity, Distance: c.Distance})
			}
			if !c.WithoutDistance && c.Distance > cal.MaxDistance {
				t.Errorf("pair %d,%d at %d bits has no reason to be a candidate", c.A, c.B, c.Distance)
			}
		}
		// Calibrate measures Jaccard and distance: Find's near-copies by Jaccard, as such.
		for _, d := range found.Duplicates {
			if d.Relation == NearCopy && d.Similarity >= opt.MinSimilarity {
				fromFind = append(fromFind, Duplicate{A: d.A, B: d.B, Similarity: d.Similarity, Distance: d.Distance})
			}
		}
		byPair := func(x, y Duplicate) int {
			if x.A != y.A {
				return x.A - y.A
			}
			return x.B - y.B
		}
		slices.SortFunc(fromFind, byPair)
		if len(fromFind) == 0 {
			t.Fatal("the corpus has no near-duplicates to compare")
		}
		if !slices.Equal(fromCal, fromFind) {
			t.Errorf("MinSimilarity %.2f, DocDistance %d:\ncalibrate %v\nfind      %v", opt.MinSimilarity, opt.DocDistance, fromCal, fromFind)
		}
		if !slices.IsSortedFunc(cal.Candidates, func(x, y Candidate) int {
			return byPair(Duplicate{A: x.A, B: x.B}, Duplicate{A: y.A, B: y.B})
		}) {
			t.Error("candidates are not sorted by pair")
		}
	}
}
