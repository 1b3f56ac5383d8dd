package simhash

import (
	"fmt"
	"math/bits"

	"github.com/twmb/murmur3"
)

// DefaultN is the n-gram size in runes. Chosen by measurement on Chinese news
// (see doc.go and measure_test.go): 3-grams separate edited copies from
// unrelated text best for both whole stories and sentence-sized passages.
const DefaultN = 3

// MinFeatures is the fewest n-grams a fingerprint should have before it is put
// in an index: 8 features is a 10-rune clause at n = 3. Below that one edit
// replaces at least 3 of 8 or fewer votes, so an edited copy is about as far
// away as an unrelated text and only exact copies could be found; exact copies
// that short are mostly bylines, dates and stock phrases ("央视网消息"), which
// would crowd the posting lists without saying anything about reuse.
const MinFeatures = 8

// MaxN is the largest n-gram size NewHasher accepts; longer grams only make
// every edit destroy more features.
const MaxN = 16

// Hasher computes SimHash fingerprints of rune n-grams. It holds no per-call
// memory, so Sum allocates nothing; keep one per goroutine anyway, since the
// agreed contract is "not safe for concurrent use" and a future version may
// keep scratch space in it.
type Hasher struct {
	n int
}

// NewHasher returns a Hasher over n-rune grams. It panics unless 1 <= n <= MaxN:
// the size is a programming decision, not input.
func NewHasher(n int) *Hasher {
	if n < 1 || n > MaxN {
		panic(fmt.Sprintf("simhash: n-gram size %d out of range 1..%d", n, MaxN))
	}
	return &Hasher{n: n}
}

// N reports the n-gram size in runes.
func (h *Hasher) N() int { return h.n }

// Sum returns the 64-bit Charikar SimHash of the rune n-grams of text, which
// must already be normalised (Sum does no case folding or punctuation
// stripping). Every occurrence of an n-gram votes once with its murmur3 64-bit
// hash; bit i of fp is set when more than half of the votes have bit i set.
// features is the number of votes: runes-n+1, or 1 for a non-empty text shorter
// than n runes (the whole text is then the only feature, and fp is its hash).
// An empty text gives 0, 0. Runes are found from lead bytes only (see leadLen):
// invalid UTF-8 is hashed deterministically but its "runes" need not match
// utf8.DecodeRune.
func (h *Hasher) Sum(text []byte) (fp uint64, features int) {
	if len(text) == 0 {
		return 0, 0
	}
	n := h.n
	hi := 0
	for r := 0; r < n; r++ {
		if hi >= len(text) {
			return murmur3.Sum64(text), 1
		}
		hi = min(hi+leadLen(text[hi]), len(text))
	}

	var v voter
	var batch [16]uint64
	lo, k := 0, 0
	// Both cursors step by the length their lead byte announces: no branch,
	// so mixed ASCII and Han text costs no mispredictions. While hi is at
	// least 4 bytes from the end no step can overshoot, so the hot loop
	// needs no clipping; lo < hi never overshoots.
	for last := len(text) - 4; hi <= last; k++ {
		batch[k&15] = murmur3.Sum64(text[lo:hi])
		if k&15 == 15 {
			v.add16(&batch)
		}
		lo += leadLen(text[lo])
		hi += leadLen(text[hi])
	}
	for {
		batch[k&15] = murmur3.Sum64(text[lo:hi])
		k++
		if k&15 == 0 {
			v.add16(&batch)
		}
		if hi >= len(text) {
			break
		}
		lo += leadLen(text[lo])
		hi = min(hi+leadLen(text[hi]), len(text))
	}
	for _, x := range batch[:k&15] {
		v.add1(x)
	}
	return v.result(k), k
}

// leadLen is the byte length of a UTF-8 sequence by the high nibble of its
// first byte: 1 for 0x0-0xB, 2 for 0xC-0xD, 3 for 0xE, 4 for 0xF, packed four
// bits per nibble into one constant so the lookup is two shifts, no load. For
// valid UTF-8 this cuts exactly at rune boundaries. Invalid input (which the
// normaliser never produces) is cut deterministically: a stray continuation
// byte is one unit, a lead byte claims its announced length.
func leadLen(c byte) int {
	return int(leadLens[c>>4])
}

var leadLens = [16]uint8{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4}

// Vote counting without a branch per bit.
//
// Sixteen hashes at a time go through a Harley-Seal carry-save adder tree that
// keeps bit-sliced counters: ones, twos, fours and eights hold, for each of the
// 64 bit positions, one binary digit of that position's count, and the tree
// emits a "sixteens" word whose set bits are positions that gained 16 votes.
// That costs about five word operations per hash. The sixteens are spread into
// eight uint64 accumulators of byte lanes (lane i of sixteens[j] counts bit
// 8j+i) with a 256-entry table, one lookup per byte. Byte lanes are flushed into
// int32 counters before they could overflow.

// spread[b] has byte lane i equal to bit i of b.
var spread = func() (t [256]uint64) {
	for b := range t {
		for i := range 8 {
			t[b] |= uint64(b>>i&1) << (8 * i)
		}
	}
	return t
}()

type voter struct {
	ones, twos, fours, eights uint64
	sixteens                  [8]uint64 // byte lanes, each counting blocks of 16 votes
	tail                      [8]uint64 // byte lanes, single votes outside full batches
	blocks                    int       // batches added to sixteens since the last flush
	flushed                   bool
	counts                    [64]int32 // votes per bit position, flushed from the lanes
}

// csa is a carry-save adder: per bit position, a+b+c = 2*carry + sum.
func csa(a, b, c uint64) (carry, sum uint64) {
	u := a ^ b
	return a&b | u&c, u ^ c
}

func (v *voter) add16(d *[16]uint64) {
	var twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens uint64
	twosA, v.ones = csa(v.ones, d[0], d[1])
	twosB, v.ones = csa(v.ones, d[2], d[3])
	foursA, v.twos = csa(v.twos, twosA, twosB)
	twosA, v.ones = csa(v.ones, d[4], d[5])
	twosB, v.ones = csa(v.ones, d[6], d[7])
	foursB, v.twos = csa(v.twos, twosA, twosB)
	eightsA, v.fours = csa(v.fours, foursA, foursB)
	twosA, v.ones = csa(v.ones, d[8], d[9])
	twosB, v.ones = csa(v.ones, d[10], d[11])
	foursA, v.twos = csa(v.twos, twosA, twosB)
	twosA, v.ones = csa(v.ones, d[12], d[13])
	twosB, v.ones = csa(v.ones, d[14], d[15])
	foursB, v.twos = csa(v.twos, twosA, twosB)
	eightsB, v.fours = csa(v.fours, foursA, foursB)
	sixteens, v.eights = csa(v.eights, eightsA, eightsB)

	// A lane holds at most 255 blocks; flushing only then keeps the flush
	// cost (64 extractions) below 0.02 per vote.
	if v.blocks == 255 {
		v.flush(&v.sixteens, 16)
		v.blocks = 0
	}
	v.blocks++
	addSpread(&v.sixteens, sixteens, 1)
}

func (v *voter) add1(x uint64) {
	addSpread(&v.tail, x, 1)
}

// addSpread adds weight (< 256, and small enough for the lanes) to lane i of
// acc[j] for every set bit 8j+i of x.
func addSpread(acc *[8]uint64, x uint64, weight uint64) {
	acc[0] += spread[uint8(x)] * weight
	acc[1] += spread[uint8(x>>8)] * weight
	acc[2] += spread[uint8(x>>16)] * weight
	acc[3] += spread[uint8(x>>24)] * weight
	acc[4] += spread[uint8(x>>32)] * weight
	acc[5] += spread[uint8(x>>40)] * weight
	acc[6] += spread[uint8(x>>48)] * weight
	acc[7] += spread[uint8(x>>56)] * weight
}

// flush moves byte lanes times weight into the int32 counters and clears them.
func (v *voter) flush(acc *[8]uint64, weight int32) {
	v.flushed = true
	for j, a := range acc {
		c := v.counts[8*j : 8*j+8 : 8*j+8]
		for i := range c {
			c[i] += int32(a>>(8*i)&0xFF) * weight
		}
		acc[j] = 0
	}
}

// result returns the fingerprint of total votes.
func (v *voter) result(total int) uint64 {
	// The bit-sliced digits and the tail sum to at most 15 + 15 per lane.
	small := v.tail
	addSpread(&small, v.eights, 8)
	addSpread(&small, v.fours, 4)
	addSpread(&small, v.twos, 2)
	addSpread(&small, v.ones, 1)

	var fp uint64
	if !v.flushed && total <= 127 {
		// Short text (a sentence): at most 7 blocks, so every exact count,
		// 16*sixteens + small, fits in its byte lane, below 128. Compare all
		// eight lanes of a word at once: count > total/2 exactly when
		// count + 127 - total/2 reaches 128, which cannot carry out of the
		// lane; the multiply gathers the eight lane top bits into one byte,
		// lane i to bit i.
		bias := (127 - uint64(total)/2) * 0x0101010101010101
		for j, s := range small {
			l := v.sixteens[j]<<4 + s
			top := (l + bias) & 0x8080808080808080 >> 7
			fp |= (top * 0x0102040810204080 >> 56) << (8 * j)
		}
		return fp
	}
	v.flush(&v.sixteens, 16)
	v.flush(&small, 1)
	for i, c := range v.counts {
		// Ties (an even total split evenly) leave the bit clear.
		if 2*int(c) > total {
			fp |= 1 << i
		}
	}
	return fp
}

// Distance is the Hamming distance between two fingerprints: the number of
// bit positions where they differ.
func Distance(a, b uint64) int {
	return bits.OnesCount64(a ^ b)
}

// Fingerprint is a SimHash with the number of n-grams that voted for it.
type Fingerprint struct {
	FP       uint64
	Features int32
}

// Span is a byte range [Start, End) of a buffer.
type Span struct {
	Start, End int32
}

// AppendSums appends the fingerprints of text[s.Start:s.End] for each span, in
// order, for callers that fingerprint many passages of one normalised buffer.
// It allocates only when dst must grow. A span out of range panics, like a
// slice expression.
func (h *Hasher) AppendSums(dst []Fingerprint, text []byte, spans []Span) []Fingerprint {
	for _, s := range spans {
		fp, n := h.Sum(text[s.Start:s.End])
		dst = append(dst, Fingerprint{FP: fp, Features: int32(n)})
	}
	return dst
}

// Default distances, chosen by measurement (see doc.go).
const (
	// DefaultDocDistance keeps 98% of whole stories with 1% of their
	// characters edited, 84% with 3%, and no unrelated story (0.1% of
	// same-template ones).
	DefaultDocDistance = 10
	// DefaultPassageDistance is for sentence-sized passages: it finds every
	// verbatim copy and a sixth of one-edit copies, and is small enough for
	// the index to stay selective (28 tables with 16-bit keys).
	DefaultPassageDistance = 6
)
