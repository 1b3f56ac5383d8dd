package match

import (
	"cmp"
	"slices"
)

// Short documents need a second candidate source. A fingerprint of a few dozen n-grams moves
// far with a few edits: on xinwenlianbo, pairs of stories under 200 characters at 3-gram
// Jaccard 0.55-0.82 lie 11 to 21 bits apart, beyond DocDistance, and share no clause when
// every clause carries an edit. For them the candidates come from MinHash: the smallest of
// the document's n-gram hashes under each of minHashes hash functions; two documents agree
// on one of them with probability equal to their Jaccard similarity, so a pair at 0.55 is
// missed by all sixteen with probability 0.45^16, 3e-6.
const (
	// shortGrams is the most n-grams the smaller document of a pair may have for MinHash to
	// make it a candidate; a pair at MinSimilarity has the larger one within
	// shortGrams/MinSimilarity. Longer documents have fingerprints stable enough and clauses
	// to share.
	shortGrams = 256
	minHashes  = 16
	// maxMinHashBucket bounds the documents that one MinHash value makes candidates of each
	// other: past it the value is a stock phrase's n-gram shared by many short items.
	maxMinHashBucket = 200
)

// minHash returns the MinHash signature of a sorted set of n-gram hashes.
func minHash(grams []uint32) []uint32 {
	sig := make([]uint32, minHashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, g := range grams {
		for i := range sig {
			if h := mix32(g ^ minHashSeeds[i]); h < sig[i] {
				sig[i] = h
			}
		}
	}
	return sig
}

var minHashSeeds = [minHashes]uint32{
	0x9E3779B9, 0x7F4A7C15, 0x85EBCA6B, 0xC2B2AE35, 0x27D4EB2F, 0x165667B1, 0xD3A2646C, 0xFD7046C5,
	0xB55A4F09, 0x68E31DA4, 0x1B873593, 0xCC9E2D51, 0xE6546B64, 0x4CF5AD43, 0x2127599B, 0xF4A6D8E1,
}

// mix32 is murmur3's 32-bit finaliser: a bijection that spreads every input bit.
func mix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85EBCA6B
	h ^= h >> 13
	h *= 0xC2B2AE35
	h ^= h >> 16
	return h
}

// shortCandidates returns the document pairs that agree on a MinHash value, as document-only
// seeds, for the documents that carry a signature; sizes must allow minSim.
func shortCandidates(states []docState, minSim float64) []pairSeed {
	type entry struct {
		table uint8
		value uint32
		doc   int32
	}
	var all []entry
	for d := range states {
		for i, v := range states[d].minHash {
			all = append(all, entry{uint8(i), v, int32(d)})
		}
	}
	slices.SortFunc(all, func(x, y entry) int {
		return cmp.Or(cmp.Compare(x.table, y.table), cmp.Compare(x.value, y.value), cmp.Compare(x.doc, y.doc))
	})
	var seeds []pairSeed
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && all[j].table == all[i].table && all[j].value == all[i].value {
			j++
		}
		if j-i <= maxMinHashBucket {
			for x := i; x < j; x++ {
				for y := x + 1; y < j; y++ {
					fa, fb := states[all[x].doc].feats, states[all[y].doc].feats
					if min(fa, fb) <= shortGrams && float64(min(fa, fb)) >= minSim*float64(max(fa, fb))*0.9 {
						seeds = append(seeds, docPair(all[x].doc, all[y].doc))
					}
				}
			}
		}
		i = j
	}
	return seeds
}
