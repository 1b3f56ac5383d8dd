package match

import (
	"cmp"
	"slices"
	"sync"
)

// radixMin is the shortest slice sortHashes sorts by radix; below it the counting costs more
// than comparing.
const radixMin = 256

var radixBuffers = sync.Pool{New: func() any { return new([]uint32) }}

// sortHashes sorts s ascending, as slices.Sort does, by four passes of 8-bit radix sort for
// long slices: n-gram hashes are uniform, and a document's set is sorted once per stage.
func sortHashes(s []uint32) {
	if len(s) < radixMin {
		slices.Sort(s)
		return
	}
	bp := radixBuffers.Get().(*[]uint32)
	buf := slices.Grow((*bp)[:0], len(s))[:len(s)]
	var counts [4][256]int32
	for _, x := range s {
		counts[0][x&0xFF]++
		counts[1][x>>8&0xFF]++
		counts[2][x>>16&0xFF]++
		counts[3][x>>24]++
	}
	in, out := s, buf
	for p := range 4 {
		c := &counts[p]
		shift := 8 * p
		if int(c[in[0]>>shift&0xFF]) == len(s) {
			continue // every element has the same digit here
		}
		sum := int32(0)
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		for _, x := range in {
			d := x >> shift & 0xFF
			out[c[d]] = x
			c[d]++
		}
		in, out = out, in
	}
	if &in[0] != &s[0] {
		copy(s, in)
	}
	*bp = buf
	radixBuffers.Put(bp)
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
