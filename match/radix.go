package match

import (
	"cmp"
	"math/bits"
	"slices"
	"sync"
)

// bucketMin is the shortest slice sortHashes sorts by buckets; below it insertion sort is
// quicker than counting.
const bucketMin = 24

// hashSorter is sortHashes' scratch: the bucketed copy and the bucket counters.
type hashSorter struct {
	buf    []uint32
	counts []int32
}

var hashSorters = sync.Pool{New: func() any { return new(hashSorter) }}

// sortHashes sorts s ascending, as slices.Sort does. N-gram hashes are uniform, so it
// scatters them into about len(s) buckets by their top bits (one counting pass, one
// scattering pass) and sorts each bucket, of one or two elements on average, by insertion.
func sortHashes(s []uint32) {
	if len(s) < bucketMin {
		insertionSort(s)
		return
	}
	k := min(bits.Len(uint(len(s))), 16) // 2^k buckets: between len(s) and twice it
	shift := 32 - k
	hs := hashSorters.Get().(*hashSorter)
	counts := slices.Grow(hs.counts[:0], 1<<k+1)[:1<<k+1]
	clear(counts)
	for _, x := range s {
		counts[x>>shift+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	buf := slices.Grow(hs.buf[:0], len(s))[:len(s)]
	for _, x := range s {
		b := x >> shift
		buf[counts[b]] = x
		counts[b]++
	}
	// counts[b] is now the end of bucket b, the start of bucket b+1.
	lo := int32(0)
	for b := range 1 << k {
		hi := counts[b]
		switch n := hi - lo; {
		case n <= 1:
		case n <= 32:
			insertionSort(buf[lo:hi])
		default: // hashes crowding a bucket (never seen on real n-grams): no quadratic time
			slices.Sort(buf[lo:hi])
		}
		lo = hi
	}
	copy(s, buf)
	hs.buf, hs.counts = buf, counts
	hashSorters.Put(hs)
}

func insertionSort(s []uint32) {
	for i := 1; i < len(s); i++ {
		x := s[i]
		j := i
		for j > 0 && s[j-1] > x {
			s[j] = s[j-1]
			j--
		}
		s[j] = x
	}
}

// compare3 orders by (x1, x2, x3) against (y1, y2, y3), as cmp.Or of cmp.Compare does, but
// looks at a later key only when the earlier ones tie: the large sorts of the candidate search
// spend most of their time comparing.
func compare3[A, B, C cmp.Ordered](x1, y1 A, x2, y2 B, x3, y3 C) int {
	switch {
	case x1 < y1:
		return -1
	case x1 > y1:
		return 1
	case x2 < y2:
		return -1
	case x2 > y2:
		return 1
	case x3 < y3:
		return -1
	case x3 > y3:
		return 1
	}
	return 0
}

// compare4 is compare3 of four int32 keys.
func compare4(x1, y1, x2, y2, x3, y3, x4, y4 int32) int {
	if c := compare3(x1, y1, x2, y2, x3, y3); c != 0 {
		return c
	}
	return cmp.Compare(x4, y4)
}
