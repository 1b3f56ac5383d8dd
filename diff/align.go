package diff

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// units cuts text into the pieces aligned as rows: paragraphs, each with the blank lines that
// follow it, cut into pieces of at most MaxParagraph non-space runes after a sentence end (or
// anywhere, if a paragraph has none). A paragraph is a run of lines joined by wrapped line
// breaks (see softBreaks); blank lines at the very start are a unit of their own.
func units(text string) []string {
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	soft := softBreaks(lines)
	var out []string
	for i := 0; i < len(lines); {
		j := i + 1
		if !isBlank(lines[i]) {
			for j < len(lines) && soft[j-1] {
				j++
			}
		}
		for j < len(lines) && isBlank(lines[j]) {
			j++
		}
		out = appendCut(out, strings.Join(lines[i:j], ""))
		i = j
	}
	return out
}

// appendCut appends para to out in pieces of at most MaxParagraph non-space runes, cut after
// the last sentence end that fits (and the space after it), so that a one-line article still
// aligns. Counting only non-space runes cuts a paragraph at the same sentence however it is wrapped.
func appendCut(out []string, para string) []string {
	for {
		cut, lastSentence, n := -1, 0, 0
		for i, r := range para {
			if unicode.IsSpace(r) {
				continue
			}
			if n == MaxParagraph {
				cut = i
				break
			}
			n++
			if sentencePunct(r) {
				lastSentence = i + utf8.RuneLen(r)
			}
		}
		if cut < 0 {
			return append(out, para)
		}
		if lastSentence > 0 {
			cut = lastSentence + spaceRun(para[lastSentence:])
		}
		out = append(out, para[:cut])
		para = para[cut:]
	}
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }

// minWrapCells is the narrowest line that is joined to the next in a text not found to be
// hard-wrapped: wrappers fill 60 cells or more, short lines are lists, verse and forms.
const minWrapCells = 40

// softBreaks says for each line whether the break after it only wraps the paragraph.
//
// A text is taken as hard-wrapped when at least three, and at least half, of its lines
// followed by another non-blank line are full: the first word of the next line would not have
// fitted in W, the widest line width that makes the most lines full (greedy wrapping, measured
// in runes or in display cells, whichever explains more lines), fewer than half of those full
// lines end a sentence, and some line, the end of a paragraph, is narrower than W. In such a text a full line is
// joined to the next. Any text also joins a line that is at least half as wide as W (if it is
// not hard-wrapped: half its widest line and at least minWrapCells, in cells) and does not end
// a sentence. Titles, bylines and list items stay lines of their own.
func softBreaks(lines []string) []bool {
	soft := make([]bool, len(lines))
	type candidate struct {
		line         int
		runes, cells int // width of the line without its trailing spaces
		nextR, nextC int // width of the separator and the first word of the next line
		ends         bool
	}
	var cands []candidate
	var bodies []candidate // every non-blank line's widths, to find paragraph ends
	maxC := 0
	for i, line := range lines {
		body := strings.TrimRightFunc(line, unicode.IsSpace)
		r, c := utf8.RuneCountInString(body), cellCount(body)
		maxC = max(maxC, c)
		if body != "" {
			bodies = append(bodies, candidate{runes: r, cells: c})
		}
		if body == "" || i+1 == len(lines) || isBlank(lines[i+1]) {
			continue
		}
		next := strings.TrimLeftFunc(lines[i+1], unicode.IsSpace)
		word := firstWord(next)
		sep := len(breakSeparator(body, line[len(body):]+lines[i+1][:len(lines[i+1])-len(next)], next))
		cands = append(cands, candidate{i, r, c, sep + utf8.RuneCountInString(word), sep + cellCount(word), endsSentence(body)})
	}
	if len(cands) == 0 {
		return soft
	}
	// A line is full for widths from its own to one less than with the next word added.
	bestWidth := func(width, next func(candidate) int) (w, covered int) {
		type event struct{ at, delta int }
		var ev []event
		for _, c := range cands {
			ev = append(ev, event{width(c), 1}, event{width(c) + next(c), -1})
		}
		slices.SortFunc(ev, func(a, b event) int {
			if a.at != b.at {
				return a.at - b.at
			}
			return a.delta - b.delta
		})
		n := 0
		for _, e := range ev {
			n += e.delta
			if e.delta > 0 && n >= covered { // the widest of equals: no full line is wider
				w, covered = e.at, n
			}
		}
		return w, covered
	}
	byRunes := func(c candidate) int { return c.runes }
	byCells := func(c candidate) int { return c.cells }
	wR, nR := bestWidth(byRunes, func(c candidate) int { return c.nextR })
	wC, nC := bestWidth(byCells, func(c candidate) int { return c.nextC })
	width, w, next := byRunes, wR, func(c candidate) int { return c.nextR }
	if nC > nR {
		width, w, next = byCells, wC, func(c candidate) int { return c.nextC }
		nR = nC
	}
	// Paragraphs end before the wrap width; lines all of one width are one-line paragraphs.
	shorter := slices.ContainsFunc(bodies, func(c candidate) bool { return width(c) < w })
	// A wrapper cuts sentences anywhere; full lines that mostly end sentences are paragraphs.
	endsFull := 0
	for _, c := range cands {
		if cw := width(c); cw <= w && cw+next(c) > w && c.ends {
			endsFull++
		}
	}
	wrapped := nR >= 3 && 2*nR >= len(cands) && shorter && 2*endsFull < nR
	if !wrapped {
		// How long a line looks is its display width; runes would rate Chinese lines half as long.
		width, w = byCells, maxC
	}
	for _, c := range cands {
		cw := width(c)
		soft[c.line] = (wrapped && cw <= w && cw+next(c) > w) ||
			(!c.ends && 2*cw >= w && (wrapped || c.cells >= minWrapCells))
	}
	return soft
}

// firstWord is the start of a line that a wrapper could not have split: one Chinese or
// Japanese character, or a run of other non-space characters.
func firstWord(s string) string {
	for i, r := range s {
		if unicode.IsSpace(r) || isCJK(r) {
			if i == 0 {
				return string(r)
			}
			return s[:i]
		}
	}
	return s
}

// endsSentence reports a line that ends a sentence (or a clause before a list), looking past
// closing quotes and brackets.
func endsSentence(body string) bool {
	for body != "" {
		r, n := utf8.DecodeLastRuneInString(body)
		switch {
		case closingPunct(r):
			body = body[:len(body)-n]
			continue
		case sentencePunct(r), r == '.', r == ':', r == '：':
			return true
		}
		return false
	}
	return false
}

// cellCount is the display width of s: two cells for East Asian wide and full-width characters.
func cellCount(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r < 0x1100 { // no wide characters below Hangul Jamo
			continue
		}
		if k := width.LookupRune(r).Kind(); k == width.EastAsianWide || k == width.EastAsianFullwidth {
			n++
		}
	}
	return n
}

// key is what units are aligned on: the text without any whitespace, so that a paragraph
// faces itself however it is wrapped or indented. Rows diffs each pair whose texts differ.
func key(unit string) string {
	if strings.IndexFunc(unit, unicode.IsSpace) < 0 {
		return unit
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, unit)
}

// block is a run of aligned units: equal (dels[k] and ins[k] have the same key) or changed.
type block struct {
	equal     bool
	dels, ins []string
}

// alignUnits diffs the unit sequences by key with go-diff, one rune standing for each distinct key.
func alignUnits(ua, ub []string, key func(string) string) []block {
	ka, kb := keys(ua, key), keys(ub, key)
	if len(ua)+len(ub) > maxUnits {
		return coarseUnits(ua, ub, ka, kb)
	}
	ids := map[string]rune{}
	encode := func(ks []string) []rune {
		rs := make([]rune, len(ks))
		for i, k := range ks {
			id, ok := ids[k]
			if !ok {
				id = unitRune(len(ids))
				ids[k] = id
			}
			rs[i] = id
		}
		return rs
	}
	ra, rb := encode(ka), encode(kb)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var blocks []block
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		if d.Type == diffmatchpatch.DiffEqual {
			blocks = append(blocks, block{equal: true, dels: ua[i : i+n], ins: ub[j : j+n]})
			i, j = i+n, j+n
			continue
		}
		if k := len(blocks); k == 0 || blocks[k-1].equal {
			blocks = append(blocks, block{})
		}
		b := &blocks[len(blocks)-1]
		if d.Type == diffmatchpatch.DiffDelete {
			b.dels = append(b.dels, ua[i:i+n]...)
			i += n
		} else {
			b.ins = append(b.ins, ub[j:j+n]...)
			j += n
		}
	}
	return blocks
}

func keys(us []string, key func(string) string) []string {
	ks := make([]string, len(us))
	for i, u := range us {
		ks[i] = key(u)
	}
	return ks
}

// unitRune maps a unit number to a rune that survives go-diff's string round trip: the
// surrogate range is not a valid rune, so numbers from there on are moved past it.
func unitRune(n int) rune {
	if n >= 0xD800 {
		return rune(n + 0x800)
	}
	return rune(n)
}

// coarseUnits keeps the common leading and trailing units and marks the middle as changed.
func coarseUnits(ua, ub, ka, kb []string) []block {
	p := 0
	for p < len(ka) && p < len(kb) && ka[p] == kb[p] {
		p++
	}
	s := 0
	for s < len(ka)-p && s < len(kb)-p && ka[len(ka)-1-s] == kb[len(kb)-1-s] {
		s++
	}
	var blocks []block
	if p > 0 {
		blocks = append(blocks, block{equal: true, dels: ua[:p], ins: ub[:p]})
	}
	if mid := (block{dels: ua[p : len(ua)-s], ins: ub[p : len(ub)-s]}); len(mid.dels)+len(mid.ins) > 0 {
		blocks = append(blocks, mid)
	}
	if s > 0 {
		blocks = append(blocks, block{equal: true, dels: ua[len(ua)-s:], ins: ub[len(ub)-s:]})
	}
	return blocks
}

// group is what one changed paragraph became: dels[d0:d1] faces ins[i0:i1]. One side holds a
// single unit when both are present (a paragraph edited, split or merged); a side may be
// empty (a paragraph deleted or inserted).
type group struct{ d0, d1, i0, i1 int }

// Limits of the pairing of a changed block.
const (
	// maxGroup is the most paragraphs that one paragraph can be split into or merged from.
	maxGroup = 4
	// minContained is the share of a split piece's bigrams that must occur in the paragraph it
	// came from, so that an unrelated paragraph next to a split is not taken into it.
	minContained = 0.6
)

// pairUnits decides which deleted units became which inserted units. It keeps order and
// maximises a summed similarity: an edited paragraph (one to one) scores its bigram
// similarity; a split or merge (one to k, each of the k mostly contained in the one) scores the
// similarity of the one with the k together, times (k+1)/2, so that it wins over pairing the
// one with the largest piece. Units not similar enough to anything stand alone, deletions
// before insertions.
func pairUnits(dels, ins []string, key func(string) string) []group {
	n, m := len(dels), len(ins)
	var matched []group
	if n*m > maxPairing {
		for i := range min(n, m) {
			matched = append(matched, group{i, i + 1, i, i + 1})
		}
	} else if n > 0 && m > 0 {
		gd, gi := make([][]uint64, n), make([][]uint64, m)
		for i, u := range dels {
			gd[i] = bigrams(key(u))
		}
		for j, u := range ins {
			gi[j] = bigrams(key(u))
		}
		common := make([]int, n*m)
		for i := range n {
			for j := range m {
				common[i*m+j] = commonCount(gd[i], gi[j])
			}
		}
		// groupScore rates dels[i] facing ins[j:j+k] (or dels[i:i+k] facing ins[j] if merge).
		groupScore := func(i, j, k int, merge bool) float64 {
			one, size, shared := len(gd[i]), 0, 0
			if merge {
				one = len(gi[j])
			}
			for t := range k {
				var ci, cj, piece int
				if merge {
					ci, cj, piece = i+t, j, len(gd[i+t])
				} else {
					ci, cj, piece = i, j+t, len(gi[j+t])
				}
				c := common[ci*m+cj]
				if k > 1 && (piece == 0 || float64(c) < minContained*float64(piece)) {
					return 0
				}
				size += piece
				shared += c
			}
			if one+size == 0 {
				return 0
			}
			s := min(2*float64(shared)/float64(one+size), 1)
			if s < minPairSimilarity {
				return 0
			}
			return s * float64(k+1) / 2
		}
		// score[i][j]: best total over dels[i:] and ins[j:]; choice[i][j]: how it starts (0 skip).
		w := m + 1
		score := make([]float64, (n+1)*w)
		choice := make([]int8, (n+1)*w) // k > 0: dels[i] faces k inserted units; k < 0: -k deleted units face ins[j]
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				best := max(score[(i+1)*w+j], score[i*w+j+1])
				for k := 1; k <= maxGroup && j+k <= m; k++ {
					if s := groupScore(i, j, k, false); s > 0 && score[(i+1)*w+j+k]+s > best {
						best, choice[i*w+j] = score[(i+1)*w+j+k]+s, int8(k)
					}
				}
				for k := 2; k <= maxGroup && i+k <= n; k++ {
					if s := groupScore(i, j, k, true); s > 0 && score[(i+k)*w+j+1]+s > best {
						best, choice[i*w+j] = score[(i+k)*w+j+1]+s, int8(-k)
					}
				}
				score[i*w+j] = best
			}
		}
		for i, j := 0, 0; i < n && j < m; {
			switch k := int(choice[i*w+j]); {
			case k > 0:
				matched = append(matched, group{i, i + 1, j, j + k})
				i, j = i+1, j+k
			case k < 0:
				matched = append(matched, group{i, i - k, j, j + 1})
				i, j = i-k, j+1
			case score[(i+1)*w+j] >= score[i*w+j+1]:
				i++
			default:
				j++
			}
		}
	}
	var out []group
	i, j := 0, 0
	flush := func(toI, toJ int) {
		for ; i < toI; i++ {
			out = append(out, group{i, i + 1, j, j})
		}
		for ; j < toJ; j++ {
			out = append(out, group{i, i, j, j + 1})
		}
	}
	for _, g := range matched {
		flush(g.d0, g.i0)
		out = append(out, g)
		i, j = g.d1, g.i1
	}
	flush(n, m)
	return out
}

// bigrams returns the sorted rune bigrams of s (the single rune for a one-rune text).
func bigrams(s string) []uint64 {
	rs := []rune(s)
	if len(rs) == 1 {
		return []uint64{uint64(rs[0])}
	}
	g := make([]uint64, 0, len(rs))
	for k := 1; k < len(rs); k++ {
		g = append(g, uint64(rs[k-1])<<32|uint64(rs[k]))
	}
	slices.Sort(g)
	return g
}

// commonCount is the size of the intersection of two sorted bigram multisets.
func commonCount(a, b []uint64) int {
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i, j = i+1, j+1
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return common
}
