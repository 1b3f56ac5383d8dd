package corpus

import "unicode/utf8"

// Chars is the length of the text in code points, the unit of every offset neardup reports.
func (d *Document) Chars() int { return utf8.RuneCountInString(d.Text) }

// Slice returns the text between two code point offsets, clamped to the text.
func (d *Document) Slice(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end <= start {
		return ""
	}
	i, from, to := 0, len(d.Text), len(d.Text)
	for off := range d.Text {
		if i == start {
			from = off
		}
		if i == end {
			to = off
			break
		}
		i++
	}
	if from > to {
		return ""
	}
	return d.Text[from:to]
}
