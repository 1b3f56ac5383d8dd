package slogan

import (
	"bytes"
	"sort"
	"unicode"

	"github.com/neardup/neardup/internal/corpus"
)

// piece is a clause, or the part of a clause between quotation marks or brackets.
type piece struct {
	start, end   int32 // original code points, trimmed of spaces, punctuation and symbols
	nStart, nEnd int32 // normalised runes
	class        int32 // class id after classify; -1 for a piece inside an ignored phrase
	quoted       bool  // the piece is the whole text between a pair of quotation marks
}

// pieceTable holds what mining needs of every piece of every document, in flat arrays in
// document order: per-document structs with spans and lines cost three times as much, and
// locate cuts the few documents it needs again for those.
type pieceTable struct {
	first        []int32 // per document: index of its first piece; one more entry ends the last
	class        []int32 // per piece: as piece.class; nil once the miner has laid them out
	nStart, nEnd []int32 // per piece: normalised runes
	quoted       []bool  // per piece: as piece.quoted
}

func newPieceTable(docs int) *pieceTable {
	return &pieceTable{first: make([]int32, 1, docs+1)}
}

// add appends the pieces of the next document.
func (pt *pieceTable) add(t *docText) {
	for _, p := range t.pieces {
		pt.class = append(pt.class, p.class)
		pt.nStart = append(pt.nStart, p.nStart)
		pt.nEnd = append(pt.nEnd, p.nEnd)
		pt.quoted = append(pt.quoted, p.quoted)
	}
	pt.first = append(pt.first, int32(len(pt.nStart)))
}

// line is a non-blank line: its span up to the line break and its normalised rune range.
type line struct {
	span         corpus.Span
	nStart, nEnd int
	sentence     bool // the line ends with a sentence terminator
}

// docText is one document cut for mining: kept only while it is classed (see pieceTable), and
// made again by locate for the documents that hold a slogan.
type docText struct {
	runes   []rune
	norm    *corpus.Normalized
	pieces  []piece
	lines   []line        // non-blank lines
	ignored []corpus.Span // original spans of ignored phrases
}

// Quotation marks and brackets cut a clause: what they enclose is a phrase of its own, like
// “平安浙江” or 《人民警察训练条令》, or an aside, like (记者 周静莉).
func isOpener(r rune) bool {
	switch r {
	case '“', '「', '『', '《', '〈', '‘', '【', '〔', '〖', '[', '（', '(':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '」', '』', '》', '〉', '’', '】', '〕', '〗', ']', '）', ')':
		return true
	}
	return false
}

// isQuote reports openers whose content counts as quoted: a set phrase, not an aside.
func isQuote(r rune) bool {
	switch r {
	case '“', '「', '『', '《', '〈', '‘', '"':
		return true
	}
	return false
}

func isCut(r rune) bool { return r == '"' || isOpener(r) || isCloser(r) }

// isTrim reports runes left off the ends of a piece or line: they are not part of a phrase.
func isTrim(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.In(r, unicode.So, unicode.Cf, unicode.Cc)
}

// cutPieces cuts text into pieces and marks the pieces that overlap an ignored phrase.
func cutPieces(text string, ignore [][]byte) *docText {
	t := &docText{runes: []rune(text), norm: corpus.Normalize(text)}
	ignoredRunes := t.findIgnored(ignore)
	for _, c := range corpus.Clauses(text) {
		a := c.Start
		for i := c.Start; i <= c.End; i++ {
			if i < c.End && !isCut(t.runes[i]) {
				continue
			}
			t.addPiece(a, i, ignoredRunes)
			a = i + 1
		}
	}
	lineStart := 0
	for i := 0; i <= len(t.runes); i++ {
		if i < len(t.runes) && t.runes[i] != '\n' && t.runes[i] != '\r' {
			continue
		}
		if s, e := t.trim(lineStart, i); s < e {
			l := line{span: corpus.Span{Start: lineStart, End: i}}
			l.nStart, l.nEnd = t.norm.Runes(lineStart, i)
			for j := i - 1; j >= lineStart && !l.sentence && isTrim(t.runes[j]); j-- {
				l.sentence = isTerminal(t.runes[j])
			}
			if l.nStart < l.nEnd {
				t.lines = append(t.lines, l)
			}
		}
		lineStart = i + 1
	}
	return t
}

func (t *docText) trim(s, e int) (int, int) {
	for s < e && isTrim(t.runes[s]) {
		s++
	}
	for e > s && isTrim(t.runes[e-1]) {
		e--
	}
	return s, e
}

func (t *docText) addPiece(a, b int, ignoredRunes [][2]int) {
	quoted := a > 0 && b < len(t.runes) && isQuote(t.runes[a-1]) && isCut(t.runes[b])
	s, e := t.trim(a, b)
	if s >= e {
		return
	}
	i, j := t.norm.Runes(s, e)
	if i >= j {
		return
	}
	p := piece{start: int32(s), end: int32(e), nStart: int32(i), nEnd: int32(j), quoted: quoted}
	for _, r := range ignoredRunes {
		if r[0] < j && i < r[1] {
			p.class = -1
			break
		}
	}
	t.pieces = append(t.pieces, p)
}

// findIgnored records the original spans of the ignored phrases and returns their normalised
// rune ranges.
func (t *docText) findIgnored(ignore [][]byte) [][2]int {
	var ranges [][2]int
	text := t.norm.Text
	for _, p := range ignore {
		for off := 0; ; {
			k := bytes.Index(text[off:], p)
			if k < 0 {
				break
			}
			b0, b1 := off+k, off+k+len(p)
			i := sort.Search(len(t.norm.Byte), func(x int) bool { return int(t.norm.Byte[x]) >= b0 })
			j := sort.Search(len(t.norm.Byte), func(x int) bool { return int(t.norm.Byte[x]) >= b1 })
			if i < j {
				ranges = append(ranges, [2]int{i, j})
				t.ignored = append(t.ignored, corpus.Span{Start: int(t.norm.Start[i]), End: int(t.norm.End[j-1])})
			}
			off = b1
		}
	}
	return ranges
}

// text returns the normalised bytes of normalised runes [i, j).
func (t *docText) text(i, j int32) []byte {
	return t.norm.Text[t.norm.Byte[i]:t.norm.Byte[j]]
}

// occSpan returns the original span of the run of k pieces from piece p, widened to take in
// a quotation mark or bracket that would otherwise be left unpaired, so that the text reads
// “关键时刻能冲得出来”、“危急时刻能豁得出来” and not 关键时刻能冲得出来”、“危急时刻能豁得出来.
func (t *docText) occSpan(p, k int) (int, int) {
	s, e := int(t.pieces[p].start), int(t.pieces[p+k-1].end)
	depth, low := 0, 0
	for _, r := range t.runes[s:e] {
		switch {
		case isOpener(r):
			depth++
		case isCloser(r):
			depth--
			low = min(low, depth)
		}
	}
	for need := -low; need > 0 && s > 0 && isOpener(t.runes[s-1]); need-- {
		s--
	}
	for need := depth - low; need > 0 && e < len(t.runes) && isCloser(t.runes[e]); need-- {
		e++
	}
	return s, e
}

// lineOf returns the index of the non-blank line holding original offset x, or -1.
func (t *docText) lineOf(x int) int {
	i := sort.Search(len(t.lines), func(i int) bool { return t.lines[i].span.End > x })
	if i < len(t.lines) && t.lines[i].span.Start <= x {
		return i
	}
	return -1
}
