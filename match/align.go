package match

import "slices"

// indelWithin returns the insert/delete edit distance of a and b (the characters of either
// not in their longest common subsequence) when it is at most k, and k+1 otherwise. Myers'
// greedy algorithm (1986): O((len(a)+len(b))·d) time for distance d, so a heavily edited
// repost (d a fifth of the length) costs a few hundred thousand steps and a pair that shares
// little stops at k. v is scratch, returned for reuse.
func indelWithin(a, b []rune, k int, v []int32) (int, []int32) {
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return k + 1, v
	}
	off := k + 1
	if cap(v) < 2*k+3 {
		v = make([]int32, 2*k+3)
	}
	v = v[:2*k+3]
	v[off+1] = 0
	for d := 0; d <= k; d++ {
		for diag := -d; diag <= d; diag += 2 {
			var x int
			if diag == -d || (diag != d && v[off+diag-1] < v[off+diag+1]) {
				x = int(v[off+diag+1]) // a step down: a character of b inserted
			} else {
				x = int(v[off+diag-1]) + 1 // a step right: a character of a deleted
			}
			y := x - diag
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+diag] = int32(x)
			if x >= n && y >= m {
				return d, v
			}
		}
	}
	return k + 1, v
}

// alignedAtLeast reports whether two normalised texts align with an indel similarity
// 1 - d/(len(a)+len(b)) of at least least.
func alignedAtLeast(a, b []byte, least float64, sc *scratch) (float64, bool) {
	sc.ra, sc.rb = appendDecoded(sc.ra[:0], a), appendDecoded(sc.rb[:0], b)
	total := len(sc.ra) + len(sc.rb)
	if total == 0 {
		return 0, false
	}
	k := int((1 - least) * float64(total))
	var d int
	d, sc.v = indelWithin(sc.ra, sc.rb, k, sc.v)
	sim := 1 - float64(d)/float64(total)
	return sim, d <= k && sim >= least
}

// X-drop extension (as BLAST's gapped extension, Zhang et al. 2000): from an anchor where
// both texts are equal, align outwards in a band around the anchor's diagonal, +1 for an
// equal character and -1 for a different one or a gap, and stop once every cell of a row is
// xDrop below the best score seen; the extension ends at the best score. A copy's edit costs
// one or two points and the copy goes on; foreign text past the copy loses a point a
// character, so the extension stops within xDrop characters of the copy's end and ends on its
// last aligned character.
const (
	xDrop = 8
	xBand = 8 // the alignment may drift this many characters off the anchor's diagonal
)

// xdropExtendText extends from the starts of a and b, runes in the direction of extension
// decoded only as far as the alignment reads them, and returns how many runes of each the
// alignment takes: up to its best score, then back to the last run of edgeRun equal
// characters (or fewer that join the anchor), so that a chance match or two in foreign text
// past the copy is not taken (as in alignedReach). sc holds the rows and the traceback.
func xdropExtendText(a, b *runeCursor, sc *scratch) (int, int) {
	const w = 2*xBand + 1
	// dead marks a cell that no alignment reaches or that dropped: far enough below any
	// live score that a step from it never beats a step from a live cell and always drops.
	const dead = -1 << 28
	// The rows have a dead cell at each end, so that the band's edges need no tests: cell d
	// of a row is at index d+1.
	if cap(sc.row) < 2*(w+2) {
		sc.row = make([]int32, 2*(w+2))
	}
	prev, cur := sc.row[:w+2:w+2], sc.row[w+2:2*(w+2):2*(w+2)]
	steps := sc.steps[:0]
	// Cell (i, j) with j = i + d - xBand, d in [0, w): prev holds row i-1. Row 0 holds the
	// gaps along b.
	b.fill(xBand)
	for d := range prev {
		prev[d], cur[d] = dead, dead
	}
	for range w {
		steps = append(steps, stepLeft)
	}
	for j := 0; j <= xBand && j <= len(b.r); j++ {
		prev[j+xBand+1] = -int32(j)
	}
	best, bi, bj := int32(0), 0, 0
	// Live cells of the row before: only they, and the cells right of a live one in the same
	// row, can be live in this row.
	pLo, pHi := xBand, xBand+min(xBand, len(b.r))
	for i := 1; a.fill(i); i++ {
		b.fill(i + xBand)
		ai, br := a.r[i-1], b.r
		steps = slices.Grow(steps, w)
		row := steps[len(steps) : len(steps)+w : len(steps)+w]
		steps = steps[:len(steps)+w]
		for d := 1; d <= w; d++ {
			cur[d] = dead
		}
		// Only cells with 0 <= j <= len(b) exist, and only those from pLo-1 on can be
		// reached; past pHi only a gap from the left reaches a cell. At j = 0 the diagonal
		// and the left neighbour lie outside, dead.
		lo, hi := max(0, xBand-i, pLo-1), min(w-1, len(br)-i+xBand)
		nLo, nHi := w, -1
		for d := lo; d <= hi; d++ {
			j := i + d - xBand
			bc := rune(-1)
			if j > 0 {
				bc = br[j-1]
			}
			// Of equal scores the diagonal step, then a gap in b, then a gap in a.
			s, st := prev[d+1]-1, stepMismatch
			if ai == bc {
				s, st = s+2, stepMatch
			}
			if v := cur[d] - 1; v > s {
				s, st = v, stepLeft
			}
			if v := prev[d+2] - 1; v > s {
				s, st = v, stepUp
			}
			if s < best-xDrop {
				if d > pHi {
					break // cur[d] and all the cells right of it stay dead
				}
				continue
			}
			cur[d+1] = s
			row[d] = st
			nLo, nHi = min(nLo, d), d
			if s > best {
				best, bi, bj = s, i, j
			}
		}
		if nHi < 0 {
			break
		}
		pLo, pHi = nLo, nHi
		prev, cur = cur, prev
	}
	sc.steps = steps
	// Back from the best cell to the first run of edgeRun equal characters.
	run, ri, rj := 0, 0, 0
	for i, j := bi, bj; i > 0 && j > 0; {
		d := j - i + xBand
		step := steps[i*w+d]
		if step == stepMatch {
			if run == 0 {
				ri, rj = i, j
			}
			run++
			if run >= edgeRun {
				return ri, rj
			}
		} else {
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
		if i == 0 && j == 0 && run > 0 {
			return ri, rj // the run goes on into the anchor, itself equal on both sides
		}
	}
	return 0, 0
}
