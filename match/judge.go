package match

import "slices"

// Relation says how the two documents of a Duplicate are related.
type Relation string

const (
	// NearCopy: the documents are one text, edited. Their n-gram Jaccard reaches
	// MinSimilarity, or it reaches heavyJaccard and the texts align end to end with an
	// alignment similarity of at least heavyAligned (a heavily edited repost).
	NearCopy Relation = "near-copy"
	// AContainsB: B is not a near-copy of A, but at least ContainedShare of B's n-grams
	// are in A (an abridged repost of A, or one of several stories on A's page).
	AContainsB Relation = "a-contains-b"
	// BContainsA is AContainsB the other way round.
	BContainsA Relation = "b-contains-a"
)

// ContainedShare is the share of a document's n-grams that must be found in another for it
// to count as contained in it; heavyJaccard and heavyAligned set the second route to a
// near-copy (see NearCopy). The README ("Near-duplicates and containment") gives the
// measurements behind them.
const (
	ContainedShare = 0.75
	heavyJaccard   = 0.3
	heavyAligned   = 0.85
	// maxAlignRunes bounds the texts the alignment is computed for: it costs up to
	// (1-heavyAligned)·n² steps for n characters on both sides.
	maxAlignRunes = 12000
)

// judgePair verifies one candidate pair of documents on their n-gram sets (and, for a pair
// below MinSimilarity, on their alignment) and returns its verdict, Relation empty when they
// are neither near-copies nor one contained in the other.
func judgePair(sa, sb *docState, opt Options, sc *scratch) Duplicate {
	la, lb := len(sa.grams), len(sb.grams)
	small := min(la, lb)
	// The fewest common n-grams that could give a verdict: the Jaccard floor of a heavy
	// edit, or containment of the smaller document.
	need := min(jaccardNeed(la, lb, min(opt.MinSimilarity, heavyJaccard)), ceilInt(ContainedShare*float64(small)))
	if min(la, lb) < need {
		return Duplicate{}
	}
	// Nearly all candidates share far fewer n-grams than a verdict needs: a bound from A's
	// buckets tells most of them, at a fraction of the cost of the merge. When B is much the
	// larger, looking A's n-grams up in B costs less than passing over B.
	if lb >= gallopRatio*la {
		if !gallopReaches(sa.grams, sb.grams, need) {
			return Duplicate{}
		}
	} else {
		if sc.grams == nil {
			sc.grams = new(gramFilter)
		}
		if !sc.grams.use(sa.grams).reaches(sb.grams, need) {
			return Duplicate{}
		}
	}
	inter, ok := intersectAtLeast(sa.grams, sb.grams, need)
	if !ok {
		return Duplicate{}
	}
	v := Duplicate{
		Similarity:   float64(inter) / float64(la+lb-inter),
		ContainmentA: float64(inter) / float64(la),
		ContainmentB: float64(inter) / float64(lb),
	}
	switch {
	case v.Similarity >= opt.MinSimilarity:
		v.Relation = NearCopy
		return v
	case v.Similarity >= heavyJaccard && sa.runes+sb.runes <= maxAlignRunes:
		if al, ok := alignedAtLeast(sa.norm, sb.norm, heavyAligned, sc); ok {
			v.Aligned, v.Relation = al, NearCopy
			return v
		}
	}
	switch {
	case v.ContainmentB >= ContainedShare:
		v.Relation = AContainsB
	case v.ContainmentA >= ContainedShare:
		v.Relation = BContainsA
	}
	return v
}

// jaccardNeed is the smallest intersection of sets of sizes la and lb whose Jaccard
// similarity, computed as judgePair computes it, reaches least.
func jaccardNeed(la, lb int, least float64) int {
	reaches := func(inter int) bool { return float64(inter)/float64(la+lb-inter) >= least }
	need := int(least * float64(la+lb) / (1 + least))
	for need > 0 && reaches(need-1) {
		need--
	}
	for need <= min(la, lb) && !reaches(need) {
		need++
	}
	return need
}

func ceilInt(x float64) int {
	i := int(x)
	if float64(i) < x {
		i++
	}
	return i
}

// intersectAtLeast returns the size of the intersection of two sorted distinct sets, and
// false as soon as the elements left cannot bring it up to need.
func intersectAtLeast(a, b []uint32, need int) (int, bool) {
	if min(len(a), len(b)) < need {
		return 0, false
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
			if inter+min(len(a)-i, len(b)-j) < need {
				return 0, false
			}
		case a[i] > b[j]:
			j++
			if inter+min(len(a)-i, len(b)-j) < need {
				return 0, false
			}
		default:
			inter++
			i++
			j++
		}
	}
	return inter, inter >= need
}

// gramFilter marks the buckets (the top 16 bits) of the n-grams of one set, to bound its
// intersection with others from above: an n-gram two sets share lies in a bucket of the
// first, so at most as many n-grams of the second as fall in its buckets are shared. For
// unrelated sets of a few hundred n-grams the bound exceeds the intersection by a few.
// Candidates come sorted by their first document, so the marks serve many pairs.
type gramFilter struct {
	set  []uint32 // the set marked
	bits [1 << 10]uint64
}

// use marks the buckets of a, unless they are marked already, and returns f.
func (f *gramFilter) use(a []uint32) *gramFilter {
	if len(a) == len(f.set) && (len(a) == 0 || &a[0] == &f.set[0]) {
		return f
	}
	for _, x := range f.set {
		f.bits[x>>22] = 0
	}
	for _, x := range a {
		f.bits[x>>22] |= 1 << (x >> 16 & 63)
	}
	f.set = a
	return f
}

// reaches reports whether at least need elements of b fall in a marked bucket, which the
// intersection of b with the set marked needs. It stops once the elements left cannot make
// up the difference: most candidates share a handful of n-grams and need hundreds.
func (f *gramFilter) reaches(b []uint32, need int) bool {
	// Counted in blocks, so that the bound is checked once per block and the count of a
	// block runs without a branch.
	const block = 32
	n := 0
	for i := 0; i < len(b); i += block {
		if n+len(b)-i < need {
			return false
		}
		if n >= need {
			return true
		}
		part := b[i:min(i+block, len(b))]
		// Four counters, so that the loads of four elements overlap.
		var c0, c1, c2, c3 uint64
		k := 0
		for ; k+4 <= len(part); k += 4 {
			x0, x1, x2, x3 := part[k], part[k+1], part[k+2], part[k+3]
			c0 += f.bits[x0>>22] >> (x0 >> 16 & 63) & 1
			c1 += f.bits[x1>>22] >> (x1 >> 16 & 63) & 1
			c2 += f.bits[x2>>22] >> (x2 >> 16 & 63) & 1
			c3 += f.bits[x3>>22] >> (x3 >> 16 & 63) & 1
		}
		for _, x := range part[k:] {
			c0 += f.bits[x>>22] >> (x >> 16 & 63) & 1
		}
		n += int(c0 + c1 + c2 + c3)
	}
	return n >= need
}

// gallopRatio is how many times larger than A's set B's must be for judgePair to look A's
// n-grams up in B (gallopReaches) instead of passing B over A's buckets.
const gallopRatio = 4

// gallopReaches reports whether the sorted distinct sets a and b share at least need
// elements, looking each element of a, the smaller, up in b by galloping from where the
// previous one was found; it stops once the elements of a left cannot make up the
// difference.
func gallopReaches(a, b []uint32, need int) bool {
	inter, lo := 0, 0
	for i, x := range a {
		if inter+len(a)-i < need {
			return false
		}
		if inter >= need {
			return true
		}
		// Find the first element of b[lo:] not below x: double the step until past it,
		// then search the last step.
		hi, step := lo, 1
		for hi < len(b) && b[hi] < x {
			lo = hi + 1
			hi += step
			step *= 2
		}
		k, found := slices.BinarySearch(b[lo:min(hi+1, len(b))], x)
		lo += k
		if found {
			inter++
			lo++
		}
	}
	return inter >= need
}
