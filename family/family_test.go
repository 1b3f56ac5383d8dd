package family

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// A chain A~B~C without A~C is not one family: B goes with the better connected side.
func TestNoChaining(t *testing.T) {
	fams := Group(4, Input{
		Pairs: []Pair{{0, 1, 0.9}, {1, 2, 0.8}, {2, 3, 0.7}, {1, 3, 0.6}},
		Chars: []int{10, 10, 10, 10},
	})
	// 1, best connected, takes 0 (0.9); 2 and 3 are refused, never verified with 0, and
	// form the second family.
	if len(fams) != 2 {
		t.Fatalf("got %d families, want 2: %+v", len(fams), fams)
	}
	for _, f := range fams {
		for i, a := range f.Members {
			for _, b := range f.Members[i+1:] {
				if !linked(a.Doc, b.Doc) {
					t.Errorf("family %+v holds %d and %d, never verified as a pair", f, a.Doc, b.Doc)
				}
			}
		}
	}
}

func linked(a, b int) bool {
	if a > b {
		a, b = b, a
	}
	switch [2]int{a, b} {
	case [2]int{0, 1}, [2]int{1, 2}, [2]int{2, 3}, [2]int{1, 3}:
		return true
	}
	return false
}

func TestSourceEarliestThenLongest(t *testing.T) {
	pairs := []Pair{{0, 1, 0.9}, {0, 2, 0.8}, {1, 2, 0.85}}
	fams := Group(3, Input{Pairs: pairs, Dates: []time.Time{day("2024-03-02"), {}, day("2024-03-01")}, Chars: []int{100, 200, 50}})
	if len(fams) != 1 || fams[0].Source != 2 || fams[0].Rule != RuleEarliest {
		t.Fatalf("dated: got %+v, want source 2 by earliest-date", fams)
	}
	// Similarities are to the source: 0 and 1 are at 0.8 and 0.85 of document 2.
	want := []Member{{2, 1}, {1, 0.85}, {0, 0.8}}
	for i, m := range fams[0].Members {
		if m != want[i] {
			t.Errorf("member %d = %+v, want %+v", i, m, want[i])
		}
	}
	fams = Group(3, Input{Pairs: pairs, Chars: []int{100, 200, 50}})
	if len(fams) != 1 || fams[0].Source != 1 || fams[0].Rule != RuleLongest {
		t.Fatalf("undated: got %+v, want source 1 by longest", fams)
	}
}

// An identical group is one family even with no pair, and a pair with its first member
// brings the whole group into the family at the pair's similarity.
func TestIdenticalGroups(t *testing.T) {
	fams := Group(6, Input{
		Identical: [][]int{{1, 3, 5}},
		Pairs:     []Pair{{0, 1, 0.7}},
		Chars:     []int{90, 80, 10, 80, 10, 80},
	})
	if len(fams) != 1 || len(fams[0].Members) != 4 {
		t.Fatalf("got %+v, want one family of 0,1,3,5", fams)
	}
	f := fams[0]
	if f.Source != 0 {
		t.Errorf("source %d, want 0 (the longest)", f.Source)
	}
	for _, m := range f.Members[1:] {
		if m.Similarity != 0.7 {
			t.Errorf("member %+v: want similarity 0.7 to the source", m)
		}
	}
	fams = Group(4, Input{Identical: [][]int{{2, 0}}, Chars: []int{5, 5, 5, 5}})
	if len(fams) != 1 || fams[0].Source != 0 || len(fams[0].Members) != 2 || fams[0].Members[1] != (Member{2, 1}) {
		t.Fatalf("got %+v, want one family {0, 2}", fams)
	}
}

// Largest first; a document is in one family only.
func TestOrderAndDisjoint(t *testing.T) {
	fams := Group(7, Input{
		Pairs: []Pair{{0, 1, 0.9}, {2, 3, 0.9}, {2, 4, 0.9}, {3, 4, 0.9}, {4, 5, 0.9}},
		Chars: make([]int, 7),
	})
	if len(fams) != 2 || len(fams[0].Members) != 3 || len(fams[1].Members) != 2 {
		t.Fatalf("got %+v, want families of 3 then 2", fams)
	}
	seen := map[int]bool{}
	for _, f := range fams {
		for _, m := range f.Members {
			if seen[m.Doc] {
				t.Errorf("document %d in two families", m.Doc)
			}
			seen[m.Doc] = true
		}
	}
	if seen[5] {
		t.Errorf("5 is only similar to 4, whose family is 2,3,4: it must stay out")
	}
}
