package family_test

import (
	"fmt"
	"time"

	"github.com/neardup/neardup/family"
)

// Four documents: 0, 1 and 2 are near-duplicates of each other; 3 is like 2 only. Document 2
// is dated first, so it is the source; 3 stays out, as it was never verified against 0 or 1.
func ExampleGroup() {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	fams := family.Group(4, family.Input{
		Pairs: []family.Pair{{A: 0, B: 1, Similarity: 0.9}, {A: 0, B: 2, Similarity: 0.7}, {A: 1, B: 2, Similarity: 0.8}, {A: 2, B: 3, Similarity: 0.6}},
		Dates: []time.Time{day("2024-03-02"), day("2024-03-03"), day("2024-03-01"), {}},
		Chars: []int{900, 950, 800, 700},
	})
	for _, f := range fams {
		fmt.Printf("source %d (%s)\n", f.Source, f.Rule)
		for _, m := range f.Members {
			fmt.Printf("  %d %.2f\n", m.Doc, m.Similarity)
		}
	}
	// Output:
	// source 2 (earliest-date)
	//   2 1.00
	//   1 0.80
	//   0 0.70
}
