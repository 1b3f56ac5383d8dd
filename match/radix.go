package match

import (
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
