package match

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortHashesSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, radixMin - 1, radixMin, 1000, 5000} {
		for _, mask := range []uint32{^uint32(0), 0xFF, 0xFF00FF00, 0} {
			s := make([]uint32, n)
			for i := range s {
				s[i] = r.Uint32() & mask
			}
			want := slices.Clone(s)
			slices.Sort(want)
			sortHashes(s)
			if !slices.Equal(s, want) {
				t.Fatalf("n=%d mask=%x: not sorted as slices.Sort sorts", n, mask)
			}
		}
	}
}
