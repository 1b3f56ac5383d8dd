package match

import (
	"unicode/utf8"

	"github.com/neardup/neardup/internal/corpus"
)

// Passages are found in whole clauses, but a copy need not start or end at a clause mark: a
// sentence pasted into the middle of another ("社会风" + the copy) or cut from the middle of
// one leaves text that was not copied in the first and last clauses. Each edge of a passage is
// trimmed on the text: the first clauses of both sides are aligned, and the passage starts
// where the aligned text starts with a run of equal characters; the same at the end.
const (
	// edgeRun is how many equal characters in a row the alignment needs before an edge is
	// taken as copied: two equal characters in foreign text are common in Chinese (的, 中国),
	// three far less so, and an edit within the first three copied characters costs at most
	// those characters.
	edgeRun = 3
	// An edge window holds the longer first (or last) clause of the two sides plus
	// edgeMargin characters, at least edgeMinWindow and at most edgeMaxWindow: the text that
	// may be foreign lies in the edge clause, or in a short clause next to it that a growth
	// step took together with its neighbour. The cap bounds the alignment at 128x128 cells.
	edgeMargin    = 24
	edgeMinWindow = 32
	edgeMaxWindow = 128
)

// Directions of the alignment's traceback.
const (
	stepMatch uint8 = iota
	stepMismatch
	stepUp   // a character of the first text against nothing
	stepLeft // a character of the second text against nothing
)

// alignedReach aligns two edge windows that are in the same order: index 0 is the inside of
// the passage (the anchor, where both sides are copied) and the ends of the slices are the
// passage's outer edge. Of every alignment that starts at the anchor it picks the best scoring
// one (+1 for an equal character, -1 for a different one or a gap), which stops where the
// texts stop agreeing; then it walks back from the outer end of that alignment to the first
// run of edgeRun equal characters, so that a coincidental match or two at the edge is not
// taken as copied. It returns how many characters of each window that run reaches, and false
// when the windows hold no such run.
func alignedReach(a, b []rune, sc *scratch) (int, int, bool) {
	m, n := len(a), len(b)
	w := n + 1
	if cap(sc.steps) < (m+1)*w {
		sc.steps = make([]uint8, (m+1)*w)
	}
	steps := sc.steps[:(m+1)*w]
	if cap(sc.row) < 2*w {
		sc.row = make([]int32, 2*w)
	}
	prev, cur := sc.row[:w], sc.row[w:2*w]
	for j := range prev {
		prev[j] = -int32(j)
		steps[j] = stepLeft
	}
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= m; i++ {
		cur[0] = -int32(i)
		steps[i*w] = stepUp
		ai := a[i-1]
		for j := 1; j <= n; j++ {
			s, step := prev[j-1]-1, stepMismatch
			if ai == b[j-1] {
				s, step = prev[j-1]+1, stepMatch
			}
			if v := prev[j] - 1; v > s {
				s, step = v, stepUp
			}
			if v := cur[j-1] - 1; v > s {
				s, step = v, stepLeft
			}
			cur[j] = s
			steps[i*w+j] = step
			// Of equal scores the longer alignment: what it adds at the outside nets zero,
			// and the run rule below drops it unless it holds a run of equal characters.
			if s > best || s == best && i+j > bi+bj {
				best, bi, bj = s, i, j
			}
		}
		prev, cur = cur, prev
	}
	run := 0
	ri, rj := 0, 0
	for i, j := bi, bj; i > 0 || j > 0; {
		switch steps[i*w+j] {
		case stepMatch:
			if run == 0 {
				ri, rj = i, j
			}
			run++
			if run >= edgeRun {
				return ri, rj, true
			}
			i, j = i-1, j-1
		case stepMismatch:
			run = 0
			i, j = i-1, j-1
		case stepUp:
			run = 0
			i--
		default:
			run = 0
			j--
		}
	}
	return 0, 0, false
}

// span is one side of a passage: the normalised bytes [nb, ne) of the document's normalised
// text and the original code points [start, end).
type span struct {
	nb, ne     int32
	start, end int32
}

// trimEdges narrows the two sides of a passage to what aligns at their edges (see
// alignedReach). firstA and lastA (firstB, lastB) are the normalised lengths in runes of the
// first and last clauses of each side. A side is only ever narrowed; an edge where nothing is
// dropped keeps its clause boundary, and the offsets of a narrowed edge come from
// corpus.Normalize, so they fall on the boundaries of what the normalised characters were
// made from (never inside a combining sequence).
func trimEdges(docA, docB *corpus.Document, normA, normB []byte, pa, pb *span, firstA, lastA, firstB, lastB int, sc *scratch) {
	ta, tb := normA[pa.nb:pa.ne], normB[pb.nb:pb.ne]
	sc.ra, sc.rb = appendRunes(sc.ra[:0], ta), appendRunes(sc.rb[:0], tb)
	ra, rb := sc.ra, sc.rb
	window := func(first, second int) int {
		return min(edgeMaxWindow, max(edgeMinWindow, max(first, second)+edgeMargin))
	}

	// The start: the windows reversed, so that the anchor comes first.
	wa := min(len(ra), window(firstA, firstB))
	wb := min(len(rb), window(firstA, firstB))
	sc.ea = reverseInto(sc.ea[:0], ra[:wa])
	sc.eb = reverseInto(sc.eb[:0], rb[:wb])
	dropA0, dropB0 := 0, 0
	if ka, kb, ok := alignedReach(sc.ea, sc.eb, sc); ok {
		dropA0, dropB0 = wa-ka, wb-kb
	}
	// The end: the windows as they are, from the inside out.
	wa = min(len(ra), window(lastA, lastB))
	wb = min(len(rb), window(lastA, lastB))
	dropA1, dropB1 := 0, 0
	if ka, kb, ok := alignedReach(ra[len(ra)-wa:], rb[len(rb)-wb:], sc); ok {
		dropA1, dropB1 = wa-ka, wb-kb
	}
	if dropA0+dropA1 >= len(ra) || dropB0+dropB1 >= len(rb) {
		return // the edges crossed: nothing aligned, leave the clauses as they are
	}
	if dropA0+dropA1 > 0 {
		narrow(docA, ta, pa, dropA0, len(ra)-dropA1)
	}
	if dropB0+dropB1 > 0 {
		narrow(docB, tb, pb, dropB0, len(rb)-dropB1)
	}
}

// narrow keeps the normalised runes [from, to) of one side's text norm. The normalised text
// of the document is not kept with its map, so the span's original text is normalised again
// here, for the few passages that are narrowed; should that differ from the document's own
// normalisation (a clause that starts with a combining mark), the side is left as it was.
func narrow(doc *corpus.Document, norm []byte, p *span, from, to int) {
	nz := corpus.Normalize(doc.Slice(int(p.start), int(p.end)))
	if string(nz.Text) != string(norm) || to > nz.Len() {
		return
	}
	start, end := p.start, p.end
	if from > 0 {
		start = p.start + nz.Start[from]
	}
	if to < nz.Len() {
		end = p.start + nz.End[to-1]
	}
	p.nb, p.ne = p.nb+nz.Byte[from], p.nb+nz.Byte[to]
	p.start, p.end = start, end
}

func reverseInto(dst, src []rune) []rune {
	for i := len(src) - 1; i >= 0; i-- {
		dst = append(dst, src[i])
	}
	return dst
}

// runeLen is the number of runes of normalised text in bytes [nb, ne).
func runeLen(norm []byte, nb, ne int32) int { return utf8.RuneCount(norm[nb:ne]) }
