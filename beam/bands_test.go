package main

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// Every pair within k bits must meet under exactly one table (same key, first), and no pair
// beyond k bits may be taken for one by the caller's distance check: checked on random
// fingerprints and on neighbours made by flipping up to k+2 bits.
func TestBandsFindEveryPairOnce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{0, 3, 6, 10} {
		bd := newBands(k)
		for range 2000 {
			a := r.Uint64()
			b := a
			for range r.IntN(k + 3) {
				b ^= 1 << r.IntN(64)
			}
			d := bits.OnesCount64(a ^ b)
			reported := 0
			for ti := range bd.tables {
				if bd.key(a, ti) == bd.key(b, ti) && bd.first(a, b, ti) {
					reported++
				}
			}
			switch {
			case d <= k && reported != 1:
				t.Fatalf("k=%d: pair at distance %d reported %d times", k, d, reported)
			case d > k && reported > 1:
				t.Fatalf("k=%d: pair at distance %d reported %d times", k, d, reported)
			}
		}
	}
}

func TestBandsKeyLength(t *testing.T) {
	for _, tt := range []struct{ k, blocks, tables int }{{0, 1, 1}, {6, 7, 7}, {10, 11, 11}} {
		bd := newBands(tt.k)
		if len(bd.masks) != tt.blocks || len(bd.tables) != tt.tables {
			t.Errorf("k=%d: %d blocks, %d tables; want %d, %d", tt.k, len(bd.masks), len(bd.tables), tt.blocks, tt.tables)
		}
	}
}
