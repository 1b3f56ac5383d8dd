package text

import "unicode/utf8"

// offsetsStep is how many code points lie between two marks of an Offsets: 4 bytes per 64
// code points, and a lookup decodes at most 63 of them.
const offsetsStep = 64

// Offsets is a text with the byte offset of every offsetsStep-th code point, so that
// cutting a span out of it by code points (Slice) costs the span's length, not the length of
// the text before it. Passages are sought in long documents many times over.
type Offsets struct {
	Text  string
	marks []int32 // marks[k]: byte offset of code point k*offsetsStep
	runes int     // code points in Text
}

// NewOffsets indexes s.
func NewOffsets(s string) *Offsets {
	o := &Offsets{Text: s, marks: make([]int32, 0, len(s)/offsetsStep/2+1)}
	n := 0
	for i := 0; i < len(s); {
		if n%offsetsStep == 0 {
			o.marks = append(o.marks, int32(i))
		}
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			i = nextRune(s, i)
		}
		n++
	}
	o.runes = n
	return o
}

// Len is the number of code points of the text.
func (o *Offsets) Len() int { return o.runes }

// byteAt is the byte offset of code point cp, 0 <= cp <= Len.
func (o *Offsets) byteAt(cp int) int {
	if cp >= o.runes {
		return len(o.Text)
	}
	i := int(o.marks[cp/offsetsStep])
	for k := cp % offsetsStep; k > 0; k-- {
		if o.Text[i] < utf8.RuneSelf {
			i++
		} else {
			i = nextRune(o.Text, i)
		}
	}
	return i
}

// nextRune is the byte offset of the code point after the one at byte i of s, as
// utf8.DecodeRuneInString counts them, with valid three-byte sequences (Han) told inline.
func nextRune(s string, i int) int {
	switch c := s[i]; {
	case c&0xF0 == 0xE0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 &&
		(c != 0xE0 || s[i+1] >= 0xA0) && (c != 0xED || s[i+1] < 0xA0):
		return i + 3 // not overlong, not a surrogate
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return i + size
}

// Slice is Slice(o.Text, start, end).
func (o *Offsets) Slice(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end <= start || start >= o.runes {
		return ""
	}
	from := o.byteAt(start)
	to := len(o.Text)
	if end < o.runes {
		// The end lies at most a few code points past the start in most spans: walk on from
		// it when that is shorter than from the mark.
		if end/offsetsStep == start/offsetsStep || end-start < end%offsetsStep {
			to = from
			for k := end - start; k > 0; k-- {
				if o.Text[to] < utf8.RuneSelf {
					to++
				} else {
					to = nextRune(o.Text, to)
				}
			}
		} else {
			to = o.byteAt(end)
		}
	}
	return o.Text[from:to]
}
