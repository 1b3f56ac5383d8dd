package simhash

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/spaolacci/murmur3"
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

// Hasher computes SimHash fingerprints of rune n-grams. It keeps scratch
// counters that Sum reuses, so Sum allocates nothing and a Hasher is not safe
// for concurrent use: keep one per goroutine.
type Hasher struct {
	n int
	// counts is the voter's scratch for texts long enough to need exact
	// counters; keeping it here spares short texts zeroing it.
	counts [64]int32
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

	if n <= maxInlineN && len(text) < shortLen {
		return sumShort(text, hi)
	}
	v := voter{counts: &h.counts}
	var k int
	if n <= maxInlineN {
		k = v.addShortGrams(text, hi)
	} else {
		k = v.addGrams(text, hi)
	}
	return v.result(k), k
}

// shortLen bounds the texts that sumShort takes: fewer than 256 bytes make
// fewer than 256 votes, so every count fits eight bit-sliced digits.
const shortLen = 256

// sumShort is Sum for n <= maxInlineN and a text shorter than shortLen bytes
// (a clause or a sentence, which scan fingerprints by the hundred thousand),
// whose first n-gram ends at hi. For such a text the fixed costs of the
// general path (the voter, a padded copy of up to 112 bytes, the byte-lane
// tables and the majority through them) weigh as much as the hashing, so
// here the counts stay bit-sliced from start to end: the carry-save tree's
// digits 1 to 8, a ripple counter of its sixteens for digits 16 to 128, and
// the majority is one bit-sliced comparison with a constant. Keys are read
// straight from text while 16 bytes are left, and only the last 16 bytes
// are copied, into a zero-padded array on the stack.
func sumShort(text []byte, hi int) (uint64, int) {
	var batch [16]uint64
	var digits [8]uint64 // bit-sliced counts: digits[j] holds digit 2^j of each bit's votes
	lo, m, k := 0, 0, 0
	last := len(text) - 16
	for lo <= last {
		batch[m] = murmurFinish(murmurMix(loadKey(text[lo:], hi-lo)))
		lo += leadLen(text[lo])
		hi += leadLen(text[hi])
		if m++; m == len(batch) {
			addSliced(&digits, &batch)
			k += m
			m = 0
		}
	}
	// The rest starts in the last 16 bytes. As in addShortGrams, an n-gram
	// of invalid UTF-8 may be clipped at the end, but not the cursor.
	var pad [32]byte
	base := max(last, 0)
	end := copy(pad[:16], text[base:])
	lo -= base
	hi -= base
	for {
		batch[m] = murmurFinish(murmurMix(loadKey(pad[lo:], min(hi, end)-lo)))
		m++
		if hi >= end {
			break
		}
		if m == len(batch) {
			addSliced(&digits, &batch)
			k += m
			m = 0
		}
		lo += leadLen(pad[lo])
		hi += leadLen(pad[hi])
	}
	// Zero hashes add nothing to any count: the last, partial batch goes
	// through the same tree with its stale slots cleared.
	clear(batch[m:])
	addSliced(&digits, &batch)
	k += m

	return majority8(&digits, k), k
}

// majority8 returns the bit positions whose count, given as eight bit-sliced
// digits, is above total/2: count > total/2 exactly when count + 255 -
// total/2 carries out of eight bits. It adds that constant digit by digit,
// keeping only the carry; unrolled, since it runs once per short text.
func majority8(digits *[8]uint64, total int) uint64 {
	add := uint64(255 - total/2)
	// digit j of the constant, in every position: 0 or all ones.
	all := func(j uint) uint64 { return uint64(int64(add<<(63-j)) >> 63) }
	carry := digits[0] & all(0)
	carry = digits[1]&carry | all(1)&(digits[1]|carry)
	carry = digits[2]&carry | all(2)&(digits[2]|carry)
	carry = digits[3]&carry | all(3)&(digits[3]|carry)
	carry = digits[4]&carry | all(4)&(digits[4]|carry)
	carry = digits[5]&carry | all(5)&(digits[5]|carry)
	carry = digits[6]&carry | all(6)&(digits[6]|carry)
	return digits[7]&carry | all(7)&(digits[7]|carry)
}

// addSliced adds sixteen votes to bit-sliced counts below 256: a carry-save
// tree into digits 1 to 8 and a ripple-carry increment of digits 16 to 128
// by the tree's sixteens.
func addSliced(digits *[8]uint64, d *[16]uint64) {
	ones, twos, fours, eights := digits[0], digits[1], digits[2], digits[3]
	var twosA, twosB, foursA, foursB, eightsA, eightsB, c uint64
	twosA, ones = csa(ones, d[0], d[1])
	twosB, ones = csa(ones, d[2], d[3])
	foursA, twos = csa(twos, twosA, twosB)
	twosA, ones = csa(ones, d[4], d[5])
	twosB, ones = csa(ones, d[6], d[7])
	foursB, twos = csa(twos, twosA, twosB)
	eightsA, fours = csa(fours, foursA, foursB)
	twosA, ones = csa(ones, d[8], d[9])
	twosB, ones = csa(ones, d[10], d[11])
	foursA, twos = csa(twos, twosA, twosB)
	twosA, ones = csa(ones, d[12], d[13])
	twosB, ones = csa(ones, d[14], d[15])
	foursB, twos = csa(twos, twosA, twosB)
	eightsB, fours = csa(fours, foursA, foursB)
	c, eights = csa(eights, eightsA, eightsB)
	digits[0], digits[1], digits[2], digits[3] = ones, twos, fours, eights
	for j := 4; j < len(digits); j++ {
		digits[j], c = digits[j]^c, digits[j]&c
	}
}

// maxInlineN is the largest n whose n-grams are always shorter than one
// murmur3 block (16 bytes), even in 4-byte runes, so that addShortGrams can
// hash them with the inlined murmurMix and murmurFinish.
const maxInlineN = 3

// addShortGrams votes with every n-gram of text, n <= maxInlineN, the first
// one ending at hi, and returns how many there were. Both cursors step by the
// length their lead byte announces: no branch, so mixed ASCII and Han text
// costs no mispredictions.
func (v *voter) addShortGrams(text []byte, hi int) int {
	var batch [16]uint64
	lo, k := 0, 0
	// Far from the end, 16 steps of at most 4 bytes cannot take hi past
	// len(text)-16, so neither the 16-byte key loads nor the steps need a
	// check, and the inner loop has no call: lo and hi stay in registers.
	for hi <= len(text)-80 {
		for i := range batch {
			batch[i] = murmurFinish(murmurMix(loadKey(text[lo:], hi-lo)))
			lo += leadLen(text[lo])
			hi += leadLen(text[hi])
		}
		v.add16(&batch)
		k += 16
	}
	// The rest starts less than 80+12 bytes before the end (an n-gram is at
	// most 12 bytes); hash it from a zero-padded copy, so that the same loads
	// stay in bounds. A lead byte near the end of invalid UTF-8 can announce
	// more bytes than are left: the n-gram is clipped to the end, but not the
	// cursor, which keeps the min off the chain of dependent steps.
	var pad [112]byte
	end := copy(pad[:], text[lo:])
	hi -= lo
	lo = 0
	m := 0
	for {
		batch[m] = murmurFinish(murmurMix(loadKey(pad[lo:], min(hi, end)-lo)))
		m++
		if m == len(batch) {
			v.add16(&batch)
			k += m
			m = 0
		}
		if hi >= end {
			break
		}
		lo += leadLen(pad[lo])
		hi += leadLen(pad[hi])
	}
	for _, x := range batch[:m] {
		v.add1(x)
	}
	return k + m
}

// addGrams is addShortGrams for any n, calling the murmur3 library.
func (v *voter) addGrams(text []byte, hi int) int {
	var batch [16]uint64
	lo, k := 0, 0
	// While hi is at least 4 bytes from the end no step can overshoot, so
	// the hot loop needs no clipping; lo < hi never overshoots.
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
	return k
}

// murmur64 returns murmur3.Sum64(buf[lo:hi]), bit for bit: murmur3 x64 128
// with seed 0, first half. Keys of 16 bytes or more, and keys that start
// fewer than 16 bytes before the end of buf, go to the library; the others
// are read with two 8-byte loads and finished by murmurMix and murmurFinish.
//
// Those two exist because the library's Sum64 is a call that the compiler
// will not inline into the vote loop, and that picks its tail loads with a
// jump table; an n-gram of 3 runes is only 3 to 12 bytes, so the call and the
// table cost as much as the arithmetic. Sum reads the key the same way as
// murmur64 and inlines both halves. The whole of murmur3 for such a key does
// not fit the inliner's budget, hence two halves.
func murmur64(buf []byte, lo, hi int) uint64 {
	n := hi - lo
	if n >= 16 || len(buf)-lo < 16 {
		return murmur3.Sum64(buf[lo:hi])
	}
	return murmurFinish(murmurMix(loadKey(buf[lo:], n)))
}

// loadKey returns the first min(n, 8) and the next max(n-8, 0) bytes of b,
// n < 16, as little-endian words, and n. The bytes past n are masked off by
// keyMasks (a table: a variable shift by 64 or more needs extra instructions
// in Go); a zero word mixes to zero, which is what murmur3 gets by skipping
// an absent one.
func loadKey(b []byte, n int) (k1, k2, length uint64) {
	_ = b[15]
	m := &keyMasks[n&15]
	k1 = binary.LittleEndian.Uint64(b) & m[0]
	k2 = binary.LittleEndian.Uint64(b[8:]) & m[1]
	return k1, k2, uint64(n)
}

// keyMasks[n] keeps the first n bytes of two little-endian words.
var keyMasks = func() (t [16][2]uint64) {
	for n := range t {
		t[n][0] = ^(^uint64(0) << (8 * min(n, 8)))
		t[n][1] = ^(^uint64(0) << (8 * max(n-8, 0)))
	}
	return t
}()

// murmurMix mixes the tail words of a key shorter than one block, and its
// length, into murmur3's two running hashes (which start at the seed, 0).
func murmurMix(k1, k2, n uint64) (h1, h2 uint64) {
	h2 = bits.RotateLeft64(k2*c2, 33)*c1 ^ n
	h1 = bits.RotateLeft64(k1*c1, 31)*c2 ^ n + h2
	return h1, h2 + h1
}

// murmurFinish is murmur3's finalisation, first half only.
func murmurFinish(h1, h2 uint64) uint64 {
	h1 = (h1 ^ h1>>33) * f1
	h2 = (h2 ^ h2>>33) * f1
	h1 = (h1 ^ h1>>33) * f2
	h2 = (h2 ^ h2>>33) * f2
	return (h1 ^ h1>>33) + (h2 ^ h2>>33)
}

// Mix64 is murmur3's 64-bit finaliser, a bijection that spreads every input bit over the
// word: what the band keys, anchors and other hashes of hashes in neardup use.
func Mix64(h uint64) uint64 {
	h = (h ^ h>>33) * f1
	h = (h ^ h>>33) * f2
	return h ^ h>>33
}

const (
	c1, c2 = 0x87c37b91114253d5, 0x4cf5ad432745937f
	f1, f2 = 0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53
)

// leadLen is the byte length of a UTF-8 sequence by the high nibble of its
// first byte: 1 for 0x0-0xB, 2 for 0xC-0xD, 3 for 0xE, 4 for 0xF. A 16-byte
// table: the hot loop is bound by instruction count, and the table takes fewer
// instructions than computing the length (measured: 9 instructions instead of
// 4 made Sum about 15% slower at 16 KB). For valid UTF-8 this cuts exactly at rune boundaries. Invalid input (which the
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
//
// The fewer than 16 votes left over after the last full batch are counted
// apart, bit-sliced in four more words by a ripple-carry increment (seven word
// operations each). A text with fewer than 16 n-grams (a clause) then never
// touches a table: its majority is a bit-sliced comparison with a constant.

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
	tail                      [4]uint64 // bit-sliced digits 1, 2, 4, 8: fewer than 16 single votes
	blocks                    int       // batches added to sixteens since the last flush
	flushed                   bool
	counts                    *[64]int32 // votes per bit position, flushed from the lanes; zeroed at the first flush
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

// add1 counts one vote outside a full batch; at most 15 may be added.
func (v *voter) add1(x uint64) {
	t := &v.tail
	c := t[0] & x
	t[0] ^= x
	c2 := t[1] & c
	t[1] ^= c
	t[2], t[3] = t[2]^c2, t[3]^(t[2]&c2)
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
	if !v.flushed {
		*v.counts = [64]int32{}
		v.flushed = true
	}
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
	if total < 16 {
		// No full batch: the counts are the tail's four digits. count >
		// total/2 exactly when count + 15 - total/2 carries out of four
		// bits; add that constant digit by digit, keeping only the carry.
		add := uint64(15 - total/2)
		var carry uint64
		for j, digit := range v.tail {
			all := -(add >> j & 1) // the constant's digit j, in every position
			carry = digit&carry | all&(digit|carry)
		}
		return carry
	}
	// The tree's digits plus the tail's, five digits: at most 15 + 15.
	c1, d1 := v.ones&v.tail[0], v.ones^v.tail[0]
	c2, d2 := csa(v.twos, v.tail[1], c1)
	c4, d4 := csa(v.fours, v.tail[2], c2)
	d16, d8 := csa(v.eights, v.tail[3], c4)
	var small [8]uint64
	addSpread(&small, d16, 16)
	addSpread(&small, d8, 8)
	addSpread(&small, d4, 4)
	addSpread(&small, d2, 2)
	addSpread(&small, d1, 1)

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
