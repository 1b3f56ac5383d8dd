package unionfind

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Roots are the smallest member of each set, whatever the order of the unions, and two
// elements share a root exactly when a chain of unions joins them (checked by flooding).
func TestUnionKeepsSmallestRoot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		n := 1 + rng.IntN(40)
		type pair struct{ a, b int32 }
		var pairs []pair
		for range rng.IntN(2 * n) {
			pairs = append(pairs, pair{int32(rng.IntN(n)), int32(rng.IntN(n))})
		}
		var got [2][]int32
		for k := range got {
			parent := New[int32](n)
			for _, p := range pairs {
				Union(parent, p.a, p.b)
			}
			got[k] = Roots(parent)
			slices.Reverse(pairs)
		}
		if !slices.Equal(got[0], got[1]) {
			t.Fatalf("roots depend on the order of unions: %v vs %v", got[0], got[1])
		}
		// Flood: the smallest element reachable from each.
		want := make([]int32, n)
		for i := range want {
			seen := map[int32]bool{int32(i): true}
			for changed := true; changed; {
				changed = false
				for _, p := range pairs {
					if seen[p.a] != seen[p.b] {
						seen[p.a], seen[p.b], changed = true, true, true
					}
				}
			}
			want[i] = int32(n)
			for x := range seen {
				want[i] = min(want[i], x)
			}
		}
		if !slices.Equal(got[0], want) {
			t.Fatalf("roots %v, want %v", got[0], want)
		}
	}
}
