package text

// Slice returns the text between two code point offsets, clamped to the text: the one way
// neardup cuts a span it reports (offsets are code points) out of a document.
func Slice(s string, start, end int) string {
	if start < 0 {
		start = 0
	}
	if end <= start {
		return ""
	}
	i, from, to := 0, len(s), len(s)
	for off := range s {
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
	return s[from:to]
}
