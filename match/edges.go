package match

import (
	"github.com/neardup/neardup/text"
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
	ka, kb, _, ok := alignedReachScore(a, b, sc)
	return ka, kb, ok
}

// alignedReachScore is alignedReach that also returns the score of the alignment from the
// anchor to the reach: equal characters less different ones and gaps.
func alignedReachScore(a, b []rune, sc *scratch) (int, int, int, bool) {
	m, n := len(a), len(b)
	if m == n && string(a) == string(b) {
		// Equal windows, as the edges of exact clause copies mostly are: the diagonal scores
		// one more per character than any other cell can, (m, m) is the best cell, and the
		// walk back takes the diagonal, all equal characters.
		if m < edgeRun {
			return 0, 0, 0, false
		}
		return m, m, m, true
	}
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
		row := steps[i*w : i*w+w]
		row[0] = stepUp
		ai := a[i-1]
		// Cells are written left to right: left holds cur[j-1].
		up, left := prev[1:w], cur[0]
		diag := prev[:n]
		out := cur[1:w]
		rs := row[1:w]
		rowMax := cur[0]
		for j, bj1 := range b {
			s, step := diag[j]-1, stepMismatch
			if ai == bj1 {
				s, step = diag[j]+1, stepMatch
			}
			if v := up[j] - 1; v > s {
				s, step = v, stepUp
			}
			if v := left - 1; v > s {
				s, step = v, stepLeft
			}
			out[j], rs[j], left = s, step, s
			rowMax = max(rowMax, s)
			// Of equal scores the longer alignment: what it adds at the outside nets zero,
			// and the run rule below drops it unless it holds a run of equal characters.
			if s >= best && (s > best || i+j+1 > bi+bj) {
				best, bi, bj = s, i, j+1
			}
		}
		// No cell of a row scores more than one above the best of the row before: once the
		// rows left cannot reach best, none of them can be the best cell, and the walk back
		// from it never reads them.
		if int(rowMax)+m-i < int(best) {
			break
		}
		prev, cur = cur, prev
	}
	run := 0
	ri, rj := 0, 0
	found := false
	score := 0 // of the path from the reach back to the anchor, once the run is found
	for i, j := bi, bj; i > 0 || j > 0; {
		step := steps[i*w+j]
		switch {
		case found && step == stepMatch:
			score++
		case found:
			score--
		case step == stepMatch:
			if run == 0 {
				ri, rj = i, j
			}
			run++
			if run >= edgeRun {
				found, score = true, run
			}
		default:
			run = 0
		}
		switch step {
		case stepMatch, stepMismatch:
			i, j = i-1, j-1
		case stepUp:
			i--
		default:
			j--
		}
	}
	if !found {
		return 0, 0, 0, false
	}
	return ri, rj, score, true
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
// text.Normalize, so they fall on the boundaries of what the normalised characters were
// made from (never inside a combining sequence).
//
// It reports whether each edge, start and end, aligned up to the clause boundary on both
// sides: only there can the copy run on into the clauses outside (see extendEdges).
//
// ra and rb are the two sides' texts decoded to runes.
func trimEdges(docA, docB *text.Offsets, normA, normB []byte, ra, rb []rune, pa, pb *span, firstA, lastA, firstB, lastB int, sc *scratch) (bool, bool) {
	ta, tb := normA[pa.nb:pa.ne], normB[pb.nb:pb.ne]
	window := func(first, second int) int {
		return min(edgeMaxWindow, max(edgeMinWindow, max(first, second)+edgeMargin))
	}

	// The start: the windows reversed, so that the anchor comes first.
	wa := min(len(ra), window(firstA, firstB))
	wb := min(len(rb), window(firstA, firstB))
	sc.ea = reverseInto(sc.ea[:0], ra[:wa])
	sc.eb = reverseInto(sc.eb[:0], rb[:wb])
	dropA0, dropB0 := 0, 0
	ka, kb, okStart := alignedReach(sc.ea, sc.eb, sc)
	if okStart {
		dropA0, dropB0 = wa-ka, wb-kb
	}
	// The end: the windows as they are, from the inside out.
	wa = min(len(ra), window(lastA, lastB))
	wb = min(len(rb), window(lastA, lastB))
	dropA1, dropB1 := 0, 0
	ka, kb, okEnd := alignedReach(ra[len(ra)-wa:], rb[len(rb)-wb:], sc)
	if okEnd {
		dropA1, dropB1 = wa-ka, wb-kb
	}
	if dropA0+dropA1 >= len(ra) || dropB0+dropB1 >= len(rb) {
		return false, false // the edges crossed: nothing aligned, leave the clauses as they are
	}
	startWhole := okStart && dropA0 == 0 && dropB0 == 0
	endWhole := okEnd && dropA1 == 0 && dropB1 == 0
	if dropA0+dropA1 > 0 && !narrow(docA, ta, pa, dropA0, len(ra)-dropA1) {
		startWhole, endWhole = false, false
	}
	if dropB0+dropB1 > 0 && !narrow(docB, tb, pb, dropB0, len(rb)-dropB1) {
		startWhole, endWhole = false, false
	}
	return startWhole, endWhole
}

// narrow keeps the normalised runes [from, to) of one side's text norm. The normalised text
// of the document is not kept with its map, so the span's original text is normalised again
// here, for the few passages that are narrowed; should that differ from the document's own
// normalisation (a clause that starts with a combining mark), the side is left as it was.
// It reports whether it could.
func narrow(doc *text.Offsets, norm []byte, p *span, from, to int) bool {
	nz := text.Normalize(doc.Slice(int(p.start), int(p.end)))
	if string(nz.Text) != string(norm) || to > nz.Len() {
		return false
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
	return true
}

func reverseInto(dst, src []rune) []rune {
	for i := len(src) - 1; i >= 0; i-- {
		dst = append(dst, src[i])
	}
	return dst
}

// extendMinScore is the least score (equal characters less different ones and gaps) the
// text outside a passage edge must align with before the edge is moved out to it: the copy's
// part of a clause that is mostly foreign text. It lies above edgeRun so that the three equal
// characters the run rule needs are not enough alone; foreign text on both sides of an edge
// that is already right rarely agrees on four characters from the edge on.
const extendMinScore = 4

// extendEdges moves an edge of a passage out into the clauses next to it, on both sides, as
// far as the texts there align from the edge on (see alignedReach). Growth takes whole
// clauses only, so a copy pasted into the middle of a sentence loses the copied part of the
// clause it was pasted into, which is mostly foreign text and not similar as a whole; that
// part aligns from the passage edge on and stops where the foreign text starts. Only edges
// that trimEdges left at their clause boundaries on both sides are tried (atStart, atEnd):
// elsewhere the copy starts or ends inside the passage's own clauses. [a0, a1] and [b0, b1]
// are the passage's clauses, ra and rb the documents' normalised texts decoded to runes.
func extendEdges(docA, docB *text.Offsets, sa, sb *docState, ra, rb []rune, pa, pb *span, a0, a1, b0, b1 int32, atStart, atEnd bool, sc *scratch) {
	window := func(x, y int) int {
		return min(edgeMaxWindow, max(edgeMinWindow, max(x, y)+edgeMargin))
	}
	if atStart && a0 > 0 && b0 > 0 {
		// The clauses before the edge, up to maxStepClauses of them, as growth would take.
		ka0, kb0 := max(0, a0-maxStepClauses), max(0, b0-maxStepClauses)
		ca, cb := sa.clauses[ka0], sb.clauses[kb0]
		na, nb := sa.norm[ca.nb:pa.nb], sb.norm[cb.nb:pb.nb]
		// The edge is still the clause boundary (trimEdges kept it): the runes before it.
		xa, xb := ra[ca.rs:sa.clauses[a0].rs], rb[cb.rs:sb.clauses[b0].rs]
		w := window(clauseRunes(sa, a0-1), clauseRunes(sb, b0-1))
		wa, wb := min(len(xa), w), min(len(xb), w)
		sc.ea = reverseInto(sc.ea[:0], xa[len(xa)-wa:])
		sc.eb = reverseInto(sc.eb[:0], xb[len(xb)-wb:])
		if ka, kb, score, ok := alignedReachScore(sc.ea, sc.eb, sc); ok && score >= extendMinScore {
			ea, okA := widen(docA, na, ca.start, pa.start, len(xa)-ka, -1)
			eb, okB := widen(docB, nb, cb.start, pb.start, len(xb)-kb, -1)
			if okA && okB {
				pa.nb, pa.start = ca.nb+ea.nb, ea.start
				pb.nb, pb.start = cb.nb+eb.nb, eb.start
			}
		}
	}
	if atEnd && int(a1)+1 < len(sa.clauses) && int(b1)+1 < len(sb.clauses) {
		ka1 := min(int32(len(sa.clauses))-1, a1+maxStepClauses)
		kb1 := min(int32(len(sb.clauses))-1, b1+maxStepClauses)
		ca, cb := sa.clauses[ka1], sb.clauses[kb1]
		na, nb := sa.norm[pa.ne:ca.ne], sb.norm[pb.ne:cb.ne]
		xa, xb := ra[sa.clauses[a1].re:ca.re], rb[sb.clauses[b1].re:cb.re]
		w := window(clauseRunes(sa, a1+1), clauseRunes(sb, b1+1))
		wa, wb := min(len(xa), w), min(len(xb), w)
		if ka, kb, score, ok := alignedReachScore(xa[:wa], xb[:wb], sc); ok && score >= extendMinScore {
			ea, okA := widen(docA, na, pa.end, ca.end, ka, +1)
			eb, okB := widen(docB, nb, pb.end, cb.end, kb, +1)
			if okA && okB {
				pa.ne, pa.end = pa.ne+ea.nb, ea.end
				pb.ne, pb.end = pb.ne+eb.nb, eb.end
			}
		}
	}
}

// widen finds where a passage edge moves to in the original text. norm is the normalised text
// of the original code points [start, end) next to the passage, at is a normalised rune
// offset in it; dir -1 says the passage lies after end and its new start is at, +1 that it
// lies before start and its new end is at. It returns the new edge as a span: for dir -1 its
// nb (bytes into norm) and start, for +1 its nb (bytes into norm) and end. As in narrow, the
// text is normalised again and the edge is not moved should that differ.
func widen(doc *text.Offsets, norm []byte, start, end int32, at, dir int) (span, bool) {
	nz := text.Normalize(doc.Slice(int(start), int(end)))
	if string(nz.Text) != string(norm) || at < 0 || at > nz.Len() {
		return span{}, false
	}
	if dir < 0 {
		if at == nz.Len() {
			return span{nb: int32(len(norm)), start: end}, true
		}
		return span{nb: nz.Byte[at], start: start + nz.Start[at]}, true
	}
	if at == 0 {
		return span{nb: 0, end: start}, true
	}
	return span{nb: nz.Byte[at], end: start + nz.End[at-1]}, true
}

// clauseRunes is the length in normalised runes of clause i.
func clauseRunes(st *docState, i int32) int {
	c := st.clauses[i]
	return int(c.re - c.rs)
}
