package match

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortHashesSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, bucketMin - 1, bucketMin, 100, 1000, 5000, 70000} {
		for _, mask := range []uint32{^uint32(0), 0xFF, 0xFF00FF00, 0xFFFF, 0x0F0F0F0F, 0} {
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

func TestGramFilterBoundsIntersection(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	set := func(n int, from []uint32, share float64) []uint32 {
		s := make([]uint32, 0, n)
		for i := range n {
			if i < len(from) && r.Float64() < share {
				s = append(s, from[i])
			} else {
				s = append(s, r.Uint32()>>uint(r.IntN(8))) // some sets crowd the low buckets
			}
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	var f gramFilter
	for range 300 {
		a := set(r.IntN(900), nil, 0)
		for range 5 {
			b := set(r.IntN(900), a, r.Float64())
			bound := 0 // elements of b in a bucket of a
			for _, x := range b {
				if slices.ContainsFunc(a, func(y uint32) bool { return x>>16 == y>>16 }) {
					bound++
				}
			}
			if inter := intersection(a, b); bound < inter {
				t.Fatalf("|a|=%d |b|=%d: bound %d below the intersection %d", len(a), len(b), bound, inter)
			}
			if !f.use(a).reaches(b, bound) || f.use(a).reaches(b, bound+1) {
				t.Fatalf("|a|=%d |b|=%d: reaches disagrees with the bound %d", len(a), len(b), bound)
			}
			inter := intersection(a, b)
			for _, need := range []int{0, 1, inter - 1, inter, inter + 1, len(a)} {
				if got := gallopReaches(a, b, need); got != (inter >= need) {
					t.Fatalf("|a|=%d |b|=%d: gallopReaches(need %d) = %v, intersection %d", len(a), len(b), need, got, inter)
				}
			}
		}
	}
}
