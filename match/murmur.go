package match

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// murmur32 is murmur3.Sum32(data), bit for bit (MurmurHash3 x86 32, seed 0), written out so
// that the n-grams of a few bytes hashed by the million skip the library's generic entry:
// n-gram sets, and so every similarity, depend on these exact values.
func murmur32(data []byte) uint32 {
	const (
		c1 = 0xcc9e2d51
		c2 = 0x1b873593
	)
	h := uint32(0)
	n := len(data)
	p := data
	for len(p) >= 4 {
		k := binary.LittleEndian.Uint32(p)
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
		h = bits.RotateLeft32(h, 13)
		h = h*5 + 0xe6546b64
		p = p[4:]
	}
	k := uint32(0)
	switch len(p) {
	case 3:
		k ^= uint32(p[2]) << 16
		fallthrough
	case 2:
		k ^= uint32(p[1]) << 8
		fallthrough
	case 1:
		k ^= uint32(p[0])
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
	}
	h ^= uint32(n)
	return mix32(h)
}

// runeSize is the length of the rune at byte off of b as ranging over string(b) steps it:
// one for an invalid byte, with ASCII and valid three-byte sequences (Han) told inline.
func runeSize(b []byte, off int) int {
	c := b[off]
	if c < utf8.RuneSelf {
		return 1
	}
	if c&0xF0 == 0xE0 && off+2 < len(b) && b[off+1]&0xC0 == 0x80 && b[off+2]&0xC0 == 0x80 &&
		(c != 0xE0 || b[off+1] >= 0xA0) && (c != 0xED || b[off+1] < 0xA0) {
		return 3
	}
	_, size := utf8.DecodeRune(b[off:])
	return size
}
