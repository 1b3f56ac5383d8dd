package main

import (
	"math/bits"

	"github.com/neardup/neardup/simhash"
)

// bands are the permuted tables of a SimHash index (Manku, Jain and Das Sarma, as package
// simhash builds them) turned into group keys: the 64 bits are cut into b blocks, and two
// fingerprints at most k bits apart agree exactly on at least b-k of them, so for every
// choice of b-k key blocks (a table) a fingerprint is keyed by its bits in those blocks.
// Every pair within k bits then meets in at least one group; it is reported from the first
// table it agrees on only (first), so that no pair is reported twice.
type bands struct {
	k      int
	masks  []uint64 // per block, its bits in place
	tables []uint64 // per table, the bits of its key blocks
	sets   []uint32 // per table, its key blocks as a set
}

// newBands cuts k+1 blocks, the fewest that pigeonhole allows, so that each fingerprint is
// emitted under k+1 keys only: a key is then short (one block, 5 to 32 bits) and a group
// large, and the members of a group are paired by a simhash.Index of their own, which finds
// the close ones without comparing all pairs.
func newBands(k int) bands {
	b := k + 1
	bd := bands{k: k}
	shift := 0
	for i := range b {
		width := 64 / b
		if i < 64%b {
			width++
		}
		bd.masks = append(bd.masks, (uint64(1)<<width-1)<<shift)
		shift += width
	}
	for _, set := range simhash.Combinations(b, b-k) {
		var mask uint64
		for i := range b {
			if set>>i&1 == 1 {
				mask |= bd.masks[i]
			}
		}
		bd.tables = append(bd.tables, mask)
		bd.sets = append(bd.sets, set)
	}
	return bd
}

// key is fp's group key in table t. Keys of different tables may collide after mixing;
// a group then holds more fingerprints, which costs comparisons, never a wrong result,
// since members carry their table and fingerprint.
func (bd bands) key(fp uint64, t int) uint64 {
	return simhash.Mix64(fp&bd.tables[t] ^ uint64(t+1)*0x9E3779B97F4A7C15)
}

// first reports whether t is the table that reports the pair a, b: the one of the b-k
// lowest numbered blocks on which they agree.
func (bd bands) first(a, b uint64, t int) bool {
	diff := a ^ b
	var agree uint32
	for i, m := range bd.masks {
		if diff&m == 0 {
			agree |= 1 << i
		}
	}
	if bits.OnesCount32(agree) < len(bd.masks)-bd.k {
		return false
	}
	var set uint32
	for range len(bd.masks) - bd.k {
		low := agree & -agree
		set |= low
		agree &^= low
	}
	return set == bd.sets[t]
}
