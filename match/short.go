package match

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/parallel"
)

// Short documents need a second candidate source. A fingerprint of a few dozen n-grams moves
// far with a few edits: on xinwenlianbo, pairs of stories under 200 characters at 3-gram
// Jaccard 0.55-0.82 lie 11 to 21 bits apart, beyond DocDistance, and share no clause when
// every clause carries an edit. For them the candidates come from MinHash: the smallest of
// the document's n-gram hashes under each of minHashes hash functions; two documents agree
// on one of them with probability equal to their Jaccard similarity, so a pair at 0.55 is
// missed by all sixteen with probability about 0.45^16, 3e-6 (fewer for the shortest
// documents, whose 8 to 16 n-grams leave buckets empty).
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

// minHash returns the MinHash signature of a set of n-gram hashes, made with one hash
// function as one-permutation hashing does (Li, Owen and Zhang 2012): the hashed n-grams are
// cut into minHashes buckets by their top bits and each bucket keeps its smallest. Two sets
// agree on a bucket that is not empty in both with probability their Jaccard similarity; an
// empty bucket (^0) matches nothing.
func minHash(grams []uint32) []uint32 {
	sig := make([]uint32, minHashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for _, g := range grams {
		addMinHash(sig, g)
	}
	return sig
}

func addMinHash(sig []uint32, g uint32) {
	h := mix32(g)
	k := h >> (32 - 4) // minHashes = 16 buckets
	if v := h << 4; v < sig[k] {
		sig[k] = v
	}
}

// minHashText is minHash of the n-gram set of a normalised text (as gramSet makes it), without
// making the set: a repeated n-gram changes no minimum.
func minHashText(norm []byte, n int) []uint32 {
	sig := make([]uint32, minHashes)
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var starts [17]int
	if n+1 > len(starts) {
		return minHash(gramSet(norm, nil, n, nil))
	}
	// The ring of rune starts as in gramSet.
	runes, next := 0, 0
	for off := 0; off < len(norm); {
		last := next
		starts[last] = off
		if next++; next > n {
			next = 0
		}
		runes++
		if c := norm[off]; c < utf8.RuneSelf {
			off++
		} else if c&0xF0 == 0xE0 && off+2 < len(norm) && norm[off+1]&0xC0 == 0x80 && norm[off+2]&0xC0 == 0x80 && c != 0xE0 && c != 0xED {
			off += 3 // Han: a lead byte that makes any continuation valid
		} else {
			off += runeSize(norm, off)
		}
		if runes > n {
			addMinHash(sig, murmur32(norm[starts[next]:starts[last]]))
		}
	}
	switch {
	case runes == 0:
	case runes < n:
		addMinHash(sig, murmur32(norm))
	default:
		starts[next] = len(norm)
		last := next
		if next++; next > n {
			next = 0
		}
		addMinHash(sig, murmur32(norm[starts[next]:starts[last]]))
	}
	return sig
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
func shortCandidates(states []docState, minSim float64, jobs int) []pairSeed {
	// Each of the minHashes values of the signatures is a table of its own, its pairs found
	// on their own: the tables go to jobs goroutines.
	type entry struct {
		value uint32
		doc   int32
	}
	tableSeeds := make([][]pairSeed, minHashes)
	parallel.For(minHashes, jobs, func(t int) {
		var all []entry
		for d := range states {
			if sig := states[d].minHash; len(sig) > t && sig[t] != ^uint32(0) {
				all = append(all, entry{sig[t], int32(d)})
			}
		}
		slices.SortFunc(all, func(x, y entry) int { return cmp.Or(cmp.Compare(x.value, y.value), cmp.Compare(x.doc, y.doc)) })
		var seeds []pairSeed
		for i := 0; i < len(all); {
			j := i + 1
			for j < len(all) && all[j].value == all[i].value {
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
		tableSeeds[t] = seeds
	})
	seeds := concatReleasing(tableSeeds)
	// Unrelated short stories agree on one bucket often (a common n-gram is the smallest of
	// its bucket in many of them); a pair at Jaccard 0.55 agrees on at most one of sixteen
	// buckets with probability 5e-5. Pairs of documents with fewer than twoBucketGrams
	// n-grams, which leave buckets empty, need one.
	parallel.SortFunc(seeds, func(x, y pairSeed) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) }, jobs)
	out := seeds[:0]
	for i := 0; i < len(seeds); {
		j := i + 1
		for j < len(seeds) && seeds[j] == seeds[i] {
			j++
		}
		if j-i >= 2 || min(states[seeds[i].a].feats, states[seeds[i].b].feats) < twoBucketGrams {
			out = append(out, seeds[i])
		}
		i = j
	}
	return out
}

// twoBucketGrams is the size from which a pair must agree on two MinHash buckets.
const twoBucketGrams = 48
