package scan

import (
	"cmp"
	"slices"
	"time"

	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/family"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
)

// addFamilies groups the duplicates into families (package family) and records them and the
// identical groups in res, whose Documents are filled in. It returns whether a pair is left
// out of the duplicates: it lies inside a family too large to list its pairs, unless allPairs.
func addFamilies(res *report.Result, dups []match.Duplicate, identical [][]int, allPairs bool) func(a, b int) bool {
	n := len(res.Documents)
	in := family.Input{Identical: identical, Dates: make([]time.Time, n), Chars: make([]int, n)}
	for i, d := range res.Documents {
		in.Chars[i] = d.Chars
		if d.Date != "" {
			in.Dates[i], _ = time.Parse(dates.Layout, d.Date) // written by documents in that layout
		}
	}
	for _, d := range dups {
		if d.Relation != match.NearCopy {
			continue // a story inside a longer page is not a repost of it
		}
		in.Pairs = append(in.Pairs, family.Pair{A: d.A, B: d.B, Similarity: d.Similarity})
	}
	fams := family.Group(n, in)

	big := make([]int32, n) // 1 + index of the document's family when its pairs are omitted
	for k, f := range fams {
		rf := report.Family{
			Source: res.Documents[f.Source].Path, SourceRule: string(f.Rule), Size: len(f.Members),
			PairsListed: allPairs || len(f.Members) <= report.MaxFamilyPairs,
		}
		for _, m := range f.Members {
			d := res.Documents[m.Doc]
			rf.Members = append(rf.Members, report.FamilyMember{Path: d.Path, Similarity: report.Round3(m.Similarity), Date: d.Date, Chars: d.Chars})
			if !rf.PairsListed {
				big[m.Doc] = int32(k + 1)
			}
		}
		res.Families = append(res.Families, rf)
	}
	omit := func(a, b int) bool { return big[a] != 0 && big[a] == big[b] }
	for _, d := range dups {
		if omit(d.A, d.B) {
			res.Families[big[d.A]-1].PairsOmitted++
		}
	}

	for _, g := range identical {
		ig := report.IdenticalGroup{}
		for _, d := range g {
			ig.Members = append(ig.Members, res.Documents[d].Path)
		}
		res.Identical = append(res.Identical, ig)
	}
	slices.SortStableFunc(res.Identical, func(x, y report.IdenticalGroup) int {
		return cmp.Compare(len(y.Members), len(x.Members))
	})
	return omit
}
