package diff

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// units cuts text into the pieces aligned as rows: lines with their line break, and pieces of
// at most MaxParagraph runes cut after a sentence end (or anywhere, if a line has none).
func units(text string) []string {
	var out []string
	for text != "" {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		text = text[len(line):]
		for utf8.RuneCountInString(line) > MaxParagraph {
			cut, lastSentence, n := 0, 0, 0
			for i, r := range line {
				if n == MaxParagraph {
					cut = i
					break
				}
				n++
				if sentencePunct(r) {
					lastSentence = i + utf8.RuneLen(r)
				}
			}
			if lastSentence > 0 {
				cut = lastSentence
			}
			out = append(out, line[:cut])
			line = line[cut:]
		}
		out = append(out, line)
	}
	return out
}

// block is a run of aligned units: equal (dels holds the shared units) or changed.
type block struct {
	equal     bool
	dels, ins []string
}

// alignUnits diffs the unit sequences with go-diff, one rune standing for each distinct unit.
func alignUnits(ua, ub []string) []block {
	if len(ua)+len(ub) > maxUnits {
		return coarseUnits(ua, ub)
	}
	ids := map[string]rune{}
	var byID []string
	encode := func(us []string) []rune {
		rs := make([]rune, len(us))
		for i, u := range us {
			id, ok := ids[u]
			if !ok {
				id = unitRune(len(byID))
				ids[u] = id
				byID = append(byID, u)
			}
			rs[i] = id
		}
		return rs
	}
	ra, rb := encode(ua), encode(ub)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var blocks []block
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		var us []string
		for _, r := range d.Text {
			us = append(us, byID[runeUnit(r)])
		}
		if d.Type == diffmatchpatch.DiffEqual {
			blocks = append(blocks, block{equal: true, dels: us})
			continue
		}
		if n := len(blocks); n == 0 || blocks[n-1].equal {
			blocks = append(blocks, block{})
		}
		b := &blocks[len(blocks)-1]
		if d.Type == diffmatchpatch.DiffDelete {
			b.dels = append(b.dels, us...)
		} else {
			b.ins = append(b.ins, us...)
		}
	}
	return blocks
}

// unitRune maps a unit number to a rune that survives go-diff's string round trip: the
// surrogate range is not a valid rune, so numbers from there on are moved past it.
func unitRune(n int) rune {
	if n >= 0xD800 {
		return rune(n + 0x800)
	}
	return rune(n)
}

func runeUnit(r rune) int {
	if r >= 0xE000 {
		return int(r) - 0x800
	}
	return int(r)
}

// coarseUnits keeps the common leading and trailing units and marks the middle as changed.
func coarseUnits(ua, ub []string) []block {
	p := 0
	for p < len(ua) && p < len(ub) && ua[p] == ub[p] {
		p++
	}
	s := 0
	for s < len(ua)-p && s < len(ub)-p && ua[len(ua)-1-s] == ub[len(ub)-1-s] {
		s++
	}
	var blocks []block
	if p > 0 {
		blocks = append(blocks, block{equal: true, dels: ua[:p]})
	}
	if mid := (block{dels: ua[p : len(ua)-s], ins: ub[p : len(ub)-s]}); len(mid.dels)+len(mid.ins) > 0 {
		blocks = append(blocks, mid)
	}
	if s > 0 {
		blocks = append(blocks, block{equal: true, dels: ua[len(ua)-s:]})
	}
	return blocks
}

// pair is one row of a changed block: indexes into dels and ins, -1 for a missing side.
type pair struct{ del, ins int }

// pairUnits decides which deleted unit became which inserted unit. It keeps order and
// maximises the summed bigram similarity of the pairs, pairing only units similar enough to
// be one edited paragraph; the rest become one-sided rows, deletions before insertions.
func pairUnits(dels, ins []string) []pair {
	n, m := len(dels), len(ins)
	var matched []pair
	if n*m > maxPairing {
		for i := range min(n, m) {
			matched = append(matched, pair{i, i})
		}
	} else if n > 0 && m > 0 {
		gd, gi := make([][]uint64, n), make([][]uint64, m)
		for i, u := range dels {
			gd[i] = bigrams(u)
		}
		for j, u := range ins {
			gi[j] = bigrams(u)
		}
		// score[i][j]: best total over dels[i:] and ins[j:].
		w := m + 1
		score := make([]float64, (n+1)*w)
		take := make([]bool, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				best := max(score[(i+1)*w+j], score[i*w+j+1])
				if s := similarity(gd[i], gi[j]); s >= minPairSimilarity && score[(i+1)*w+j+1]+s > best {
					best = score[(i+1)*w+j+1] + s
					take[i*w+j] = true
				}
				score[i*w+j] = best
			}
		}
		for i, j := 0, 0; i < n && j < m; {
			switch {
			case take[i*w+j]:
				matched = append(matched, pair{i, j})
				i, j = i+1, j+1
			case score[(i+1)*w+j] >= score[i*w+j+1]:
				i++
			default:
				j++
			}
		}
	}
	var out []pair
	i, j := 0, 0
	flush := func(toI, toJ int) {
		for ; i < toI; i++ {
			out = append(out, pair{i, -1})
		}
		for ; j < toJ; j++ {
			out = append(out, pair{-1, j})
		}
	}
	for _, p := range matched {
		flush(p.del, p.ins)
		out = append(out, p)
		i, j = p.del+1, p.ins+1
	}
	flush(n, m)
	return out
}

// bigrams returns the sorted rune bigrams of s (the single rune for a one-rune text).
func bigrams(s string) []uint64 {
	rs := []rune(strings.TrimSpace(s))
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

// similarity is the Dice coefficient of two sorted bigram multisets.
func similarity(a, b []uint64) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
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
	return 2 * float64(common) / float64(len(a)+len(b))
}
