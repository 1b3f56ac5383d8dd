package text

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalized is a text after Normalize, with a map from every normalised
// rune back to the original text.
type Normalized struct {
	Text  []byte  // normalised UTF-8
	Start []int32 // per normalised rune i: code point offset in the original where its source starts
	End   []int32 // per normalised rune i: exclusive end (code points) of its source
	Byte  []int32 // len = runes+1: byte offset of normalised rune i in Text; last = len(Text)
}

// Len is the number of normalised runes.
func (n *Normalized) Len() int { return len(n.Start) }

// Runes returns the normalised rune range [i, j) whose source lies inside
// the original code point range [start, end).
func (n *Normalized) Runes(start, end int) (i, j int) {
	i = sort.Search(len(n.Start), func(k int) bool { return int(n.Start[k]) >= start })
	j = sort.Search(len(n.End), func(k int) bool { return int(n.End[k]) > end })
	if j < i {
		j = i
	}
	return i, j
}

// Normalize folds text for comparison (see AppendNormalized) and keeps,
// per normalised rune, where it came from in the original.
func Normalize(text string) *Normalized {
	n := &Normalized{}
	// Most runes survive one for one; sizing for that avoids regrowth.
	runes := utf8.RuneCountInString(text)
	n.Text = make([]byte, 0, len(text))
	n.Start = make([]int32, 0, runes)
	n.End = make([]int32, 0, runes)
	n.Byte = make([]int32, 0, runes+1)
	n.Text = normalize(n.Text, text, n)
	n.Byte = append(n.Byte, int32(len(n.Text)))
	return n
}

// NormalizeInto is Normalize into n, reusing its memory: what n held before is overwritten.
// For callers that normalise many texts and keep nothing of n between them.
func NormalizeInto(n *Normalized, text string) {
	n.Text, n.Start, n.End, n.Byte = n.Text[:0], n.Start[:0], n.End[:0], n.Byte[:0]
	n.Text = normalize(n.Text, text, n)
	n.Byte = append(n.Byte, int32(len(n.Text)))
}

// AppendNormalized appends the normalised form of text to dst: NFKC (which
// also folds full-width and half-width forms), simple case folding,
// Traditional Han characters folded to Simplified one for one (see FoldHan),
// and every punctuation mark, separator, control and format character removed.
// A repost that only changed punctuation style, spacing or line wrapping
// normalises to the same bytes. It is Normalize(text).Text without the map,
// and allocates nothing when dst has room.
func AppendNormalized(dst []byte, text string) []byte {
	return normalize(dst, text, nil)
}

// asciiFold maps an ASCII byte to its folded form, or 0 to drop it.
var asciiFold = func() (t [128]byte) {
	for c := 0; c < 128; c++ {
		r := rune(c)
		switch {
		case unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsControl(r):
			// dropped
		case 'A' <= r && r <= 'Z':
			t[c] = byte(r + 'a' - 'A')
		default:
			t[c] = byte(r)
		}
	}
	return t
}()

// isPlainHan reports runes that NFKC leaves alone, that never combine
// with a neighbour and that have no case: the CJK Unified Ideographs and
// Extension A, which are nearly all of a Chinese text.
func isPlainHan(r rune) bool {
	return (0x4E00 <= r && r <= 0x9FFF) || (0x3400 <= r && r <= 0x4DBF)
}

// Flags of a BMP rune in bmpTable.
const (
	bmpBoundary = 1 << iota // starts a normalisation segment (norm's BoundaryBefore)
	bmpKeep                 // alone in its segment, it normalises to itself
	bmpDrop                 // alone in its segment, it normalises to nothing
	bmpFold                 // alone in its segment, it normalises to FoldHan of itself (another Han rune)
	bmpValid                // not in the table: marks an entry read for a valid three-byte sequence
)

// bmpTable caches, per BMP rune, what the general path would conclude, so
// the common runes of any script cost one table load instead of a trie
// lookup and a category search. Built on first use (a few milliseconds).
var bmpTable = sync.OnceValue(func() *[0x10000]uint8 {
	var t [0x10000]uint8
	var buf [4]byte
	var out []byte
	for r := rune(0); r < 0x10000; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue // surrogates never come out of a UTF-8 decode
		}
		n := utf8.EncodeRune(buf[:], r)
		if norm.NFKC.Properties(buf[:n]).BoundaryBefore() {
			t[r] |= bmpBoundary
		}
		out = appendSegment(out[:0], string(buf[:n]), 0, 1, nil)
		switch {
		case len(out) == 0:
			t[r] |= bmpDrop
		case string(out) == string(buf[:n]):
			t[r] |= bmpKeep
		case isPlainHan(r) && string(out) == string(FoldHan(r)):
			t[r] |= bmpFold
		}
	}
	return &t
})

// startsSegment reports whether the rune at the start of s begins a new
// normalisation segment, i.e. cannot combine with anything before it.
// Normalising segment by segment then gives the same result as normalising
// the whole text, and each segment is the source of its output runes.
func startsSegment(t *[0x10000]uint8, s string) bool {
	c := s[0]
	if c < utf8.RuneSelf {
		return true
	}
	if r, size := bmpRune(s); size > 0 {
		return t[uint16(r)]&bmpBoundary != 0
	}
	// Invalid bytes have zero properties, which also start a segment.
	return norm.NFKC.PropertiesString(s).BoundaryBefore()
}

// bmpRune decodes a valid two- or three-byte UTF-8 sequence at the start
// of s, small enough to inline; size 0 for anything else.
func bmpRune(s string) (r rune, size int) {
	if len(s) >= 3 && s[0]&0xF0 == 0xE0 && s[1]&0xC0 == 0x80 && s[2]&0xC0 == 0x80 {
		r = rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
		return 0, 0
	}
	if len(s) >= 2 && s[0]&0xE0 == 0xC0 && s[1]&0xC0 == 0x80 && s[0] >= 0xC2 {
		return rune(s[0]&0x1F)<<6 | rune(s[1]&0x3F), 2
	}
	return 0, 0
}

// normalize appends the normalised text to dst and, when m is not nil,
// records the map in m.
func normalize(dst []byte, s string, m *Normalized) []byte {
	t := bmpTable()
	cp := int32(0) // code point offset of s[i] in the original
	for i := 0; i < len(s); {
		c := s[i]
		// ASCII fast path: an ASCII byte is a segment of its own unless a
		// combining mark follows.
		if c < utf8.RuneSelf {
			if i+1 == len(s) || s[i+1] < utf8.RuneSelf || startsSegment(t, s[i+1:]) {
				if f := asciiFold[c]; f != 0 {
					if m != nil {
						m.add(cp, cp+1, len(dst))
					}
					dst = append(dst, f)
				}
				i++
				cp++
				continue
			}
		} else {
			// Han fast path: a run of three-byte runes that normalise to
			// themselves, each followed by a rune that starts a new segment,
			// is copied in one piece; the rune that ends the run takes the
			// paths below.
			if from := i; c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				// f is the table entry of the rune at i, a valid three-byte
				// sequence; each rune's entry is looked up once, as the next
				// rune of the one before.
				r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
				f := uint8(0)
				if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
					f = t[uint16(r)]
				}
				for f&bmpKeep != 0 {
					j := i + 3
					f2 := uint8(0) // the next rune's entry, when it is a valid three-byte sequence
					if j < len(s) && s[j] >= utf8.RuneSelf {
						if s[j]&0xF0 == 0xE0 && j+2 < len(s) && s[j+1]&0xC0 == 0x80 && s[j+2]&0xC0 == 0x80 {
							if r2 := rune(s[j]&0x0F)<<12 | rune(s[j+1]&0x3F)<<6 | rune(s[j+2]&0x3F); r2 >= 0x800 && (r2 < 0xD800 || r2 > 0xDFFF) {
								f2 = t[uint16(r2)] | bmpValid
							}
						}
						if f2&bmpBoundary == 0 && (f2 != 0 || !startsSegment(t, s[j:])) {
							break
						}
					}
					if m != nil {
						m.add(cp, cp+1, len(dst)+i-from)
					}
					i = j
					cp++
					f = f2
				}
				if i > from {
					dst = append(dst, s[from:i]...)
					continue
				}
			}
			// BMP fast path: runes that normalise to themselves or to
			// nothing, when the next rune starts a new segment. The
			// three-byte decodes are written out because they do not inline.
			var r rune
			size := 0
			if c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				r, size = rune(c&0x0F)<<12|rune(s[i+1]&0x3F)<<6|rune(s[i+2]&0x3F), 3
				if r < 0x800 || (0xD800 <= r && r <= 0xDFFF) {
					size = 0
				}
			} else {
				r, size = bmpRune(s[i:])
			}
			if f := t[uint16(r)]; size > 0 && f&(bmpKeep|bmpDrop|bmpFold) != 0 {
				next := true
				if j := i + size; j < len(s) && s[j] >= utf8.RuneSelf {
					if s[j]&0xF0 == 0xE0 && j+2 < len(s) && s[j+1]&0xC0 == 0x80 && s[j+2]&0xC0 == 0x80 {
						r2 := rune(s[j]&0x0F)<<12 | rune(s[j+1]&0x3F)<<6 | rune(s[j+2]&0x3F)
						next = r2 >= 0x800 && (r2 < 0xD800 || r2 > 0xDFFF) && t[uint16(r2)]&bmpBoundary != 0 || startsSegment(t, s[j:])
					} else {
						next = startsSegment(t, s[j:])
					}
				}
				if next {
					switch {
					case f&bmpKeep != 0:
						if m != nil {
							m.add(cp, cp+1, len(dst))
						}
						dst = append(dst, s[i:i+size]...)
					case f&bmpFold != 0:
						if m != nil {
							m.add(cp, cp+1, len(dst))
						}
						dst = utf8.AppendRune(dst, FoldHan(r))
					}
					i += size
					cp++
					continue
				}
			}
		}
		// General case: find the segment, normalise it, fold each rune.
		_, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		n := int32(1)
		for j < len(s) && !startsSegment(t, s[j:]) {
			_, size := utf8.DecodeRuneInString(s[j:])
			j += size
			n++
		}
		dst = appendSegment(dst, s[i:j], cp, cp+n, m)
		i = j
		cp += n
	}
	return dst
}

func (m *Normalized) add(start, end int32, at int) {
	m.Start = append(m.Start, start)
	m.End = append(m.End, end)
	m.Byte = append(m.Byte, int32(at))
}

// appendSegment normalises one segment, the original code points
// [start, end), and appends its folded runes.
func appendSegment(dst []byte, seg string, start, end int32, m *Normalized) []byte {
	r, size := utf8.DecodeRuneInString(seg)
	if size == len(seg) {
		if r == utf8.RuneError {
			// An invalid byte stands for itself as U+FFFD, so the output is valid UTF-8.
			return appendFolded(dst, r, start, end, m)
		}
		dec := norm.NFKC.PropertiesString(seg).Decomposition()
		if dec == nil {
			// Nothing to compose with and nothing to decompose (Hangul
			// syllables too): NFKC leaves it alone.
			return appendFolded(dst, r, start, end, m)
		}
		if !recomposes(dec) {
			// Full-width forms, compatibility characters: the
			// decomposition is the NFKC form. It points into norm's
			// tables, so this path allocates nothing.
			for k := 0; k < len(dec); {
				r, size := utf8.DecodeRune(dec[k:])
				dst = appendFolded(dst, r, start, end, m)
				k += size
			}
			return dst
		}
	}
	// Combining sequences: the full algorithm, into scratch memory (norm
	// may merge with a non-empty destination, so it cannot be dst).
	if !utf8.ValidString(seg) {
		// norm passes invalid bytes through and leaves what follows them
		// unnormalised; each invalid byte is one U+FFFD everywhere else, so
		// it is here too (a combining mark after it then normalises).
		seg = replaceInvalid(seg)
	}
	bp := scratch.Get().(*[]byte)
	out := norm.NFKC.AppendString((*bp)[:0], seg)
	for k := 0; k < len(out); {
		r, size := utf8.DecodeRune(out[k:])
		dst = appendFolded(dst, r, start, end, m)
		k += size
	}
	*bp = out
	scratch.Put(bp)
	return dst
}

// replaceInvalid returns s with every byte that is not part of a valid UTF-8
// sequence replaced by U+FFFD, one for each byte, as []rune(s) counts them.
func replaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r) // RuneError for an invalid byte, with size 1
		i += size
	}
	return b.String()
}

var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 128); return &b }}

// recomposes reports whether canonical composition could change a
// decomposition: whether any rune after the first is a non-starter or
// combines with what precedes it.
func recomposes(dec []byte) bool {
	_, size := utf8.DecodeRune(dec)
	for k := size; k < len(dec); {
		p := norm.NFC.Properties(dec[k:])
		if !p.BoundaryBefore() {
			return true
		}
		k += p.Size()
	}
	return false
}

// appendFolded appends r case-folded, unless it is punctuation, a
// separator, a control or a format character.
func appendFolded(dst []byte, r rune, start, end int32, m *Normalized) []byte {
	if r < utf8.RuneSelf {
		f := asciiFold[r]
		if f == 0 {
			return dst
		}
		r = rune(f)
	} else if isPlainHan(r) {
		r = FoldHan(r)
	} else {
		if unicode.IsPunct(r) || unicode.Is(unicode.Z, r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return dst
		}
		// Lower of upper is simple case folding for nearly every rune,
		// including those without a lower mapping of their own (final sigma).
		r = FoldHan(unicode.ToLower(unicode.ToUpper(r)))
	}
	if m != nil {
		m.add(start, end, len(dst))
	}
	return utf8.AppendRune(dst, r)
}
