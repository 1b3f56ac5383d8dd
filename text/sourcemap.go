package text

import "sort"

// sourceMapStep is about how many normalised runes lie between two marks of a SourceMap.
const sourceMapStep = 64

// SourceMap tells where a normalised rune came from in the original text, as Normalized.Start
// and End do, while keeping 8 bytes per sourceMapStep runes instead of 12 bytes per rune: it
// marks the first rune of a normalisation segment about every sourceMapStep runes, and
// normalises again from the mark before the rune asked for up to the mark after it.
// Normalising segment by segment gives the same result as normalising the whole text (see
// startsSegment), so the answer is the whole text's.
type SourceMap struct {
	src   *Offsets
	runes []int32 // normalised index of each mark's rune, the first of its segment
	cps   []int32 // code point offset in the original where that segment starts
	len   int
}

// NewSourceMap marks n, which is Normalize(src.Text).
func NewSourceMap(src *Offsets, n *Normalized) *SourceMap {
	m := &SourceMap{src: src, len: n.Len()}
	next := 0
	for k := range n.Start {
		// Runes of one segment share its start; consecutive segments start apart.
		if k >= next && (k == 0 || n.Start[k-1] != n.Start[k]) {
			m.runes = append(m.runes, int32(k))
			m.cps = append(m.cps, n.Start[k])
			next = k + sourceMapStep
		}
	}
	return m
}

// Source returns Start[k] and End[k] of the text's normalisation, 0 <= k < its length.
// scratch is reused for the normalisation from the mark.
func (m *SourceMap) Source(k int, scratch *Normalized) (start, end int32) {
	j := sort.Search(len(m.runes), func(i int) bool { return int(m.runes[i]) > k }) - 1
	from, to := m.src.byteAt(int(m.cps[j])), len(m.src.Text)
	if j+1 < len(m.cps) {
		to = m.src.byteAt(int(m.cps[j+1]))
	}
	scratch.Text, scratch.Start, scratch.End, scratch.Byte = scratch.Text[:0], scratch.Start[:0], scratch.End[:0], scratch.Byte[:0]
	scratch.Text = normalize(scratch.Text, m.src.Text[from:to], scratch)
	i := k - int(m.runes[j])
	return m.cps[j] + scratch.Start[i], m.cps[j] + scratch.End[i]
}
