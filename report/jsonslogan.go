package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Slogans are most of a report's bytes (each lists its locations), and encoding them through
// reflection and then indenting the result was most of the cost of writing a report. They
// are written by hand here, byte for byte as encodeIndented writes them (tested against it).

// sloganJSON appends s to b as encodeIndented(b, listElement(s), prefix) would.
func sloganJSON(b *bytes.Buffer, s *Slogan, prefix string) {
	in1, in2, in3 := prefix+"  ", prefix+"    ", prefix+"      "
	b.WriteString("{\n")
	str(b, in1, "text", s.Text)
	b.WriteString(",\n")
	str(b, in1, "kind", s.Kind)
	b.WriteString(",\n")
	num(b, in1, "documents", s.Documents)
	b.WriteString(",\n")
	num(b, in1, "occurrences", s.Occurrences)
	b.WriteString(",\n")
	field(b, in1, "variants")
	variantsJSON(b, nonNil(s.Variants), in1, in2, in3)
	b.WriteString(",\n")
	if len(s.Fillers) > 0 {
		field(b, in1, "fillers")
		variantsJSON(b, s.Fillers, in1, in2, in3)
		b.WriteString(",\n")
	}
	field(b, in1, "forms")
	list(b, s.Forms, in1, in2, func(f *Form) {
		str(b, in3, "text", f.Text)
		b.WriteString(",\n")
		num(b, in3, "documents", f.Documents)
		b.WriteString(",\n")
		num(b, in3, "occurrences", f.Occurrences)
	})
	b.WriteString(",\n")
	field(b, in1, "locations")
	locationsJSON(b, nonNil(s.Locations), in1, in2, in3)
	b.WriteString(",\n")
	if s.FirstSeen != "" {
		str(b, in1, "first_seen", s.FirstSeen)
		b.WriteString(",\n")
	}
	if s.LastSeen != "" {
		str(b, in1, "last_seen", s.LastSeen)
		b.WriteString(",\n")
	}
	field(b, in1, "by_month")
	list(b, s.ByMonth, in1, in2, func(m *MonthCount) {
		str(b, in3, "month", m.Month)
		b.WriteString(",\n")
		num(b, in3, "documents", m.Documents)
	})
	b.WriteString("\n")
	b.WriteString(prefix)
	b.WriteString("}")
}

// locationsJSON is list of the locations, each object's fields written as str and num write
// them: a slogan's locations are most of a report, written with a few pieces each.
func locationsJSON(b *bytes.Buffer, ls []Location, in1, in2, in3 string) {
	if len(ls) == 0 {
		list(b, ls, in1, in2, func(*Location) {})
		return
	}
	open := "\n" + in2 + "{\n" + in3 + `"path": `
	start := ",\n" + in3 + `"start": `
	end := ",\n" + in3 + `"end": `
	closing := "\n" + in2 + "}"
	b.WriteString("[")
	for i := range ls {
		l := &ls[i]
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(open)
		jsonString(b, l.Path)
		b.WriteString(start)
		jsonInt(b, l.Start)
		b.WriteString(end)
		jsonInt(b, l.End)
		b.WriteString(closing)
	}
	b.WriteString("\n")
	b.WriteString(in1)
	b.WriteString("]")
}

func variantsJSON(b *bytes.Buffer, vs []Variant, in1, in2, in3 string) {
	list(b, vs, in1, in2, func(v *Variant) {
		str(b, in3, "text", v.Text)
		b.WriteString(",\n")
		num(b, in3, "count", v.Count)
	})
}

// list writes a list of objects whose fields body writes, the list's own line indented by
// outer and its elements by inner: null when nil, [] when empty, as encoding/json does.
func list[T any](b *bytes.Buffer, xs []T, outer, inner string, body func(*T)) {
	switch {
	case xs == nil:
		b.WriteString("null")
		return
	case len(xs) == 0:
		b.WriteString("[]")
		return
	}
	b.WriteString("[")
	for i := range xs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.WriteString(inner)
		b.WriteString("{\n")
		body(&xs[i])
		b.WriteString("\n")
		b.WriteString(inner)
		b.WriteString("}")
	}
	b.WriteString("\n")
	b.WriteString(outer)
	b.WriteString("]")
}

// str and num write a field of an object on a line of its own.
func str(b *bytes.Buffer, indent, key, value string) {
	field(b, indent, key)
	jsonString(b, value)
}

func num(b *bytes.Buffer, indent, key string, value int) {
	field(b, indent, key)
	jsonInt(b, value)
}

// field writes an object key at the start of its line.
func field(b *bytes.Buffer, indent, key string) {
	b.WriteString(indent)
	b.WriteByte('"')
	b.WriteString(key)
	b.WriteString(`": `)
}

func jsonInt(b *bytes.Buffer, n int) {
	b.Write(strconv.AppendInt(b.AvailableBuffer(), int64(n), 10))
}

// jsonString writes s quoted. Text that needs no escaping (nearly all: Chinese, English,
// paths) is copied; anything else goes through encoding/json, so escapes stay its own.
func jsonString(b *bytes.Buffer, s string) {
	if plainJSON(s) {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// plainJSON reports whether encoding/json writes s between quotes unchanged: valid UTF-8
// without quotes, backslashes, control characters or the line and paragraph separators it
// escapes for JavaScript. It is asked of every string of a report, a hundred megabytes on a
// large corpus: ASCII is checked eight bytes at a time and Han decoded inline.
func plainJSON(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte of x below 0x20, equal to '"' or '\\', or not ASCII sets its high bit here.
		quote, backslash := x^('"'*ones), x^('\\'*ones)
		if ((x-0x20*ones)|(quote-ones)|(backslash-ones)|x)&highs != 0 {
			break
		}
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				return false
			}
			i++
			continue
		}
		// A valid three-byte sequence: not overlong (E0 80-9F), not a surrogate (ED A0-BF),
		// and not U+2028 or U+2029 (E2 80 A8-A9).
		if c&0xF0 == 0xE0 && i+2 < len(s) {
			c1, c2 := s[i+1], s[i+2]
			if c1&0xC0 == 0x80 && c2&0xC0 == 0x80 && (c != 0xE0 || c1 >= 0xA0) && (c != 0xED || c1 < 0xA0) {
				if c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9) {
					return false
				}
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}
