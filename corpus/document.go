package corpus

import (
	"unicode/utf8"

	"github.com/neardup/neardup/text"
)

// Chars is the length of the text in code points, the unit of every offset neardup reports.
func (d *Document) Chars() int { return utf8.RuneCountInString(d.Text) }

// Slice returns the text between two code point offsets, clamped to the text (text.Slice).
func (d *Document) Slice(start, end int) string { return text.Slice(d.Text, start, end) }
