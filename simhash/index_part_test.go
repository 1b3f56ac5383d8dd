package simhash

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type closePair struct {
	a, b int32
	dist int
}

// clusteredPrints is n fingerprints in clusters of close ones, some repeated, as clause
// prints bunch.
func clusteredPrints(n int) []uint64 {
	rng := rand.New(rand.NewPCG(1, 2))
	fps := make([]uint64, 0, n)
	for len(fps) < n {
		base := rng.Uint64()
		for range 1 + rng.IntN(4) {
			fp := base
			for range rng.IntN(5) {
				fp ^= 1 << rng.IntN(64)
			}
			fps = append(fps, fp)
		}
	}
	return fps[:n]
}

func pairsOf(x *Index, jobs int) []closePair {
	var out []closePair
	x.PairsJobs(jobs, func(a, b int32, dist int) { out = append(out, closePair{a, b, dist}) })
	return out
}

// A table walked in parts calls back with the pairs, in the order, of a walk of the whole.
func TestPairsInPartsAsWhole(t *testing.T) {
	fps := clusteredPrints(20000)
	defer func(n int) { walkPart = n }(walkPart)
	for _, k := range []int{3, 6} {
		for _, jobs := range []int{1, 2} {
			whole := NewIndex(k)
			parts := NewIndex(k)
			for i, fp := range fps {
				whole.Add(fp, int32(i))
				parts.Add(fp, int32(i))
			}
			want := pairsOf(whole, jobs)
			walkPart = 300
			got := pairsOf(parts, jobs)
			walkPart = 1 << 20
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("k=%d jobs=%d: %d pairs in parts, %d whole, or in another order", k, jobs, len(got), len(want))
			}
		}
	}
}

// Entries added after a search are searched with the others, as by an index that had them all.
func TestAddAfterPairs(t *testing.T) {
	fps := clusteredPrints(3000)
	all, late := NewIndex(3), NewIndex(3)
	for i, fp := range fps {
		all.Add(fp, int32(i))
		if i < 2000 {
			late.Add(fp, int32(i))
		}
	}
	pairsOf(late, 1)
	for i, fp := range fps[2000:] {
		late.Add(fp, int32(2000+i))
	}
	if got, want := pairsOf(late, 1), pairsOf(all, 1); !slices.Equal(got, want) {
		t.Errorf("added after a search: %d pairs, want %d", len(got), len(want))
	}
	if got, want := late.PostingLen(fps[2500]), all.PostingLen(fps[2500]); got != want {
		t.Errorf("PostingLen after a late Add = %d, want %d", got, want)
	}
}
