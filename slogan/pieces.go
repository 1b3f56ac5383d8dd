package slogan

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/neardup/neardup/internal/unionfind"
	"github.com/neardup/neardup/text"
)

// piece is a clause, or the part of a clause between quotation marks or brackets.
type piece struct {
	start, end   int32    // original code points, trimmed of spaces, punctuation and symbols
	nStart, nEnd int32    // normalised runes
	class        int32    // class id after classify; -1 for a piece inside an ignored phrase
	hash         textHash // of its normalised text, for classing (see classes.hashPieces)
	quoted       bool     // the piece is the whole text between a pair of quotation marks
	beforeOpener bool     // the piece is cut where a quotation mark or bracket opens, and not quoted
}

// pieceTable holds what mining needs of every piece of every document, in flat arrays in
// document order: per-document structs with spans and lines cost three times as much, and
// locate cuts the few documents it needs again for those.
type pieceTable struct {
	first        []int32 // per document: index of its first piece; one more entry ends the last
	class        []int32 // per piece: as piece.class; nil once the miner has laid them out
	nStart, nEnd []int32 // per piece: normalised runes
	start, end   []int32 // per piece: original code points, for recut
	cutEnd       []int32 // per piece: nEnd as cut, before classes.shortenDangling
	quoted       []bool  // per piece: as piece.quoted
	count        int32   // pieces added
	// spill, when set, holds every piece's record (start, end, nStart, cutEnd and quoted) in
	// a file, read a document at a time by recut: no array is then kept while documents are
	// read, class is made by classes.classify, and nStart, nEnd and quoted are read back at
	// their exact size by loadMined, once runs are grown; start, end and cutEnd never are,
	// and nStart, nEnd and quoted are dropped once runs of pieces are mined (see dropMined).
	spill *pieceSpill
	// shortened lists, when spilled, the pieces given to a shorter text by
	// classes.shortenDangling, for loadMined to move their ends and, once nEnd is dropped,
	// minedEnd to tell them.
	shortened []shortenedPiece
}

type shortenedPiece struct{ p, cut int32 }

// pieceSpill is the file of a piece table's records, made in dir at the first piece.
type pieceSpill struct {
	spillFile // its err: the first error writing or reading
}

// pieceRecord is the size of a piece's record: start, end, nStart and cutEnd, then quoted.
const pieceRecord = 17

func (s *pieceSpill) write(p piece) {
	if !s.ready("pieces") {
		return
	}
	var rec [pieceRecord]byte
	binary.LittleEndian.PutUint32(rec[0:], uint32(p.start))
	binary.LittleEndian.PutUint32(rec[4:], uint32(p.end))
	binary.LittleEndian.PutUint32(rec[8:], uint32(p.nStart))
	binary.LittleEndian.PutUint32(rec[12:], uint32(p.nEnd))
	if p.quoted {
		rec[16] = 1
	}
	_, s.err = s.w.Write(rec[:])
}

// flush makes what write wrote readable.
func (s *pieceSpill) flush() error {
	if s.err == nil && s.w != nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return fmt.Errorf("spilling to a temporary folder: %w", s.err)
	}
	return nil
}

// read returns the pieces [first, last) as cut, without their classes.
func (s *pieceSpill) read(first, last int32) ([]piece, error) {
	buf := make([]byte, pieceRecord*int(last-first))
	if len(buf) == 0 {
		return nil, nil
	}
	if _, err := s.file.ReadAt(buf, pieceRecord*int64(first)); err != nil {
		return nil, fmt.Errorf("reading spilled pieces: %w", err)
	}
	out := make([]piece, last-first)
	for i := range out {
		rec := buf[pieceRecord*i:]
		out[i] = piece{
			start: int32(binary.LittleEndian.Uint32(rec[0:])), end: int32(binary.LittleEndian.Uint32(rec[4:])),
			nStart: int32(binary.LittleEndian.Uint32(rec[8:])), nEnd: int32(binary.LittleEndian.Uint32(rec[12:])),
			quoted: rec[16] != 0,
		}
	}
	return out, nil
}

func (s *pieceSpill) close() {
	if s != nil && s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
}

// each calls fn with every piece's record, in order.
func (s *pieceSpill) each(pieces int32, fn func(p int32, rec []byte)) error {
	if err := s.flush(); err != nil {
		return err
	}
	if pieces == 0 {
		return nil
	}
	r := bufio.NewReaderSize(io.NewSectionReader(s.file, 0, pieceRecord*int64(pieces)), 1<<16)
	var rec [pieceRecord]byte
	for p := range pieces {
		if _, err := io.ReadFull(r, rec[:]); err != nil {
			return fmt.Errorf("reading spilled pieces: %w", err)
		}
		fn(p, rec[:])
	}
	return nil
}

// shorten gives piece p to class, the text without its last cut runes (see
// classes.shortenDangling).
func (pt *pieceTable) shorten(p, class, cut int32) {
	pt.class[p] = class
	if pt.spill != nil {
		pt.shortened = append(pt.shortened, shortenedPiece{p, cut})
		return
	}
	pt.nEnd[p] -= cut
}

// setClasses gives every piece that is not ignored the root in parent of its class.
func (pt *pieceTable) setClasses(parent []int32) {
	for i, class := range pt.class {
		if class >= 0 {
			pt.class[i] = unionfind.Find(parent, class)
		}
	}
}

// loadMined reads back, when they are spilled, what mining runs of pieces needs of them.
func (pt *pieceTable) loadMined() error {
	if pt.spill == nil {
		return nil
	}
	pt.nStart, pt.nEnd, pt.quoted = make([]int32, pt.count), make([]int32, pt.count), make([]bool, pt.count)
	err := pt.spill.each(pt.count, func(p int32, rec []byte) {
		pt.nStart[p] = int32(binary.LittleEndian.Uint32(rec[8:]))
		pt.nEnd[p] = int32(binary.LittleEndian.Uint32(rec[12:]))
		pt.quoted[p] = rec[16] != 0
	})
	if err != nil {
		return err
	}
	for _, s := range pt.shortened {
		pt.nEnd[s.p] -= s.cut
	}
	// Kept, in order, for minedEnd once nEnd is dropped.
	slices.SortStableFunc(pt.shortened, func(a, b shortenedPiece) int { return cmp.Compare(a.p, b.p) })
	return nil
}

// minedEnd is the end of piece p as mined, in normalised runes, given its end as cut, cutEnd:
// the two differ for a piece given to a shorter text (see shorten).
func (pt *pieceTable) minedEnd(p, cutEnd int32) int32 {
	if pt.nEnd != nil {
		return pt.nEnd[p]
	}
	i, _ := slices.BinarySearchFunc(pt.shortened, p, func(s shortenedPiece, p int32) int { return cmp.Compare(s.p, p) })
	for ; i < len(pt.shortened) && pt.shortened[i].p == p; i++ {
		cutEnd -= pt.shortened[i].cut
	}
	return cutEnd
}

// dropMined makes the pieces' records readable and, when they are spilled, drops what only
// mining runs of pieces needed: recut reads the rest from the file.
func (pt *pieceTable) dropMined() error {
	if pt.spill == nil {
		return nil
	}
	if err := pt.spill.flush(); err != nil {
		return err
	}
	// nEnd too: placing occurrences reads the pieces' ends from the file and minedEnd tells
	// where they were shortened.
	pt.nStart, pt.nEnd, pt.quoted = nil, nil, nil
	return nil
}

func newPieceTable(docs int) *pieceTable {
	return &pieceTable{first: make([]int32, 1, docs+1)}
}

// add appends the pieces of the next document.
func (pt *pieceTable) add(t *docText) {
	pt.count += int32(len(t.pieces))
	pt.first = append(pt.first, pt.count)
	if pt.spill != nil {
		for _, p := range t.pieces {
			pt.spill.write(p)
		}
		return
	}
	for _, p := range t.pieces {
		pt.class = append(pt.class, p.class)
		pt.nStart = append(pt.nStart, p.nStart)
		pt.nEnd = append(pt.nEnd, p.nEnd)
		pt.quoted = append(pt.quoted, p.quoted)
		pt.start = append(pt.start, p.start)
		pt.end = append(pt.end, p.end)
		pt.cutEnd = append(pt.cutEnd, p.nEnd)
	}
}

// line is a non-blank line: its span up to the line break and its normalised rune range.
type line struct {
	span         text.Span
	nStart, nEnd int
	sentence     bool // the line ends with a sentence terminator
}

// docText is one document cut for mining: kept only while it is classed (see pieceTable), and
// made again by locate for the documents that hold a slogan.
type docText struct {
	runes   []rune
	norm    *text.Normalized
	pieces  []piece
	lines   []line      // non-blank lines
	ignored []text.Span // original spans of ignored phrases
	tokens  *docTokens  // made by tokenize, for the mining pass only
	hashed  bool        // the pieces' hashes are set (see classes.hashPieces)
}

// Quotation marks and brackets cut a clause: what they enclose is a phrase of its own, like
// “平安浙江” or 《人民警察训练条令》, or an aside, like (记者 周静莉).
// Brackets are paired by the common marks of text.Punct; a straight quote, which opens and
// closes alike, only cuts.
func isOpener(r rune) bool { return flagsOf(r)&flagOpener != 0 }

func isCloser(r rune) bool { return flagsOf(r)&flagCloser != 0 }

// isQuote reports openers whose content counts as quoted: a set phrase, not an aside.
func isQuote(r rune) bool { return flagsOf(r)&flagQuote != 0 }

func isCut(r rune) bool { return flagsOf(r)&flagCut != 0 }

// isTrim reports runes left off the ends of a piece or line: they are not part of a phrase.
func isTrim(r rune) bool { return flagsOf(r)&flagTrim != 0 }

// isSpacedWord is spacedWordRune, from the table.
func isSpacedWord(r rune) bool { return flagsOf(r)&flagSpacedWord != 0 }

// runeFlag holds the answers to the questions cutting and tokenising ask of every rune. Each
// is a few searches of package unicode's tables, and together they were a third of the cost
// of cutting a document, which is done twice (see finder.resolve); flagsOf looks them up in
// blocks of 256 runes, each filled when a text first holds one of its runes.
type runeFlag uint8

const (
	flagTrim runeFlag = 1 << iota
	flagCut
	flagOpener
	flagCloser
	flagQuote
	flagSpacedWord
)

func computeFlags(r rune) runeFlag {
	var f runeFlag
	c := text.Punct(r)
	if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.In(r, unicode.So, unicode.Cf, unicode.Cc) {
		f |= flagTrim
	}
	opener := c.Has(text.Opener | text.Common)
	closer := c.Has(text.Closer|text.Common) && !c.Has(text.Straight)
	if opener {
		f |= flagOpener
	}
	if closer {
		f |= flagCloser
	}
	if r == '"' || opener || closer {
		f |= flagCut
	}
	if c.Has(text.Quote) {
		f |= flagQuote
	}
	if spacedWordRune(r) {
		f |= flagSpacedWord
	}
	return f
}

var flagBlocks [(unicode.MaxRune + 1) >> 8]atomic.Pointer[[256]runeFlag]

func flagsOf(r rune) runeFlag {
	if r < 0 || r > unicode.MaxRune {
		return computeFlags(r)
	}
	b := flagBlocks[r>>8].Load()
	if b == nil {
		// Goroutines filling the same block at once fill it alike.
		b = new([256]runeFlag)
		for i := range b {
			b[i] = computeFlags(r&^0xff | rune(i))
		}
		flagBlocks[r>>8].Store(b)
	}
	return b[r&0xff]
}

// cutPieces cuts text into pieces and marks the pieces that overlap an ignored phrase.
func cutPieces(s string, ignore [][]byte) *docText {
	t := &docText{runes: []rune(s), norm: text.Normalize(s)}
	ignoredRunes := t.findIgnored(ignore)
	for _, c := range text.Clauses(s) {
		a := c.Start
		for i := c.Start; i <= c.End; i++ {
			if i < c.End && !isCut(t.runes[i]) {
				continue
			}
			t.addPiece(a, i, ignoredRunes)
			a = i + 1
		}
	}
	t.findLines()
	return t
}

// findLines sets t.lines.
func (t *docText) findLines() {
	lineStart := 0
	for i := 0; i <= len(t.runes); i++ {
		if i < len(t.runes) && t.runes[i] != '\n' && t.runes[i] != '\r' {
			continue
		}
		if s, e := t.trim(lineStart, i); s < e {
			l := line{span: text.Span{Start: lineStart, End: i}}
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
	beforeOpener := !quoted && b < len(t.runes) && isOpener(t.runes[b])
	if !quoted {
		s, e = t.trimDangling(a, s, e, b)
	}
	if s >= e {
		return
	}
	i, j := t.norm.Runes(s, e)
	if i >= j {
		return
	}
	p := piece{start: int32(s), end: int32(e), nStart: int32(i), nEnd: int32(j), quoted: quoted, beforeOpener: beforeOpener}
	for _, r := range ignoredRunes {
		if r[0] < j && i < r[1] {
			p.class = -1
			break
		}
	}
	t.pieces = append(t.pieces, p)
}

// A cut at a quotation mark or bracket, unlike one at clause punctuation, may fall inside a
// clause, between a preposition or particle and the quoted words it belongs with:
// 国家主席习近平在《人民日报》发表, 习近平总书记对“掌上明珠”澳门. The piece before the opener
// would end in 在 or 对, a text no clause ends with, and, searched bare inside other clauses
// (国家主席习近平在人民大会堂…), would take hundreds of occurrences from the whole phrase
// 国家主席习近平. So these characters are left off the edge of a piece that faces such a cut.
//
// Only characters that rarely end a word are in the list: 为, 向, 同, 就 end 作为, 方向, 共同,
// 成就, and leaving them off would split 波克罗夫斯克方向（… from 波克罗夫斯克方向，…. Those
// are left off only when the rest is itself the text of a piece elsewhere (see
// classes.shortenDangling): 国家主席习近平向“全球南方”… then counts for 国家主席习近平. At the
// start of a piece after a closing mark only 的 is left off: a clause may well begin with
// 在, 以 or 和 (在北京人民大会堂举行, 以色列国防军, 和平), but never with 的.
func danglingBeforeOpener(r rune) bool {
	return strings.ContainsRune("在的了和与及是对将把被从以于让", r)
}

// mayDangleBeforeOpener reports the function characters that also end common words.
func mayDangleBeforeOpener(r rune) bool {
	return strings.ContainsRune("为向同就给由跟而并也都还又已使即或之", r)
}

func danglingAfterCloser(r rune) bool { return r == '的' }

// trimDangling narrows the piece [s, e), cut from [a, b) of the clause, by the characters
// that dangle towards a quotation mark or bracket (see danglingBeforeOpener). A quoted
// piece is never narrowed: what stands in quotes is a phrase as the writer marked it.
func (t *docText) trimDangling(a, s, e, b int) (int, int) {
	if b < len(t.runes) && isOpener(t.runes[b]) {
		for e > s && danglingBeforeOpener(t.runes[e-1]) {
			e--
		}
	}
	if a > 0 && isCloser(t.runes[a-1]) {
		for s < e && danglingAfterCloser(t.runes[s]) {
			s++
		}
	}
	return t.trim(s, e)
}

// findIgnored records the original spans of the ignored phrases and returns their normalised
// rune ranges.
func (t *docText) findIgnored(ignore [][]byte) [][2]int {
	var ranges [][2]int
	normText := t.norm.Text
	for _, p := range ignore {
		for off := 0; ; {
			k := bytes.Index(normText[off:], p)
			if k < 0 {
				break
			}
			b0, b1 := off+k, off+k+len(p)
			i := sort.Search(len(t.norm.Byte), func(x int) bool { return int(t.norm.Byte[x]) >= b0 })
			j := sort.Search(len(t.norm.Byte), func(x int) bool { return int(t.norm.Byte[x]) >= b1 })
			if i < j {
				ranges = append(ranges, [2]int{i, j})
				t.ignored = append(t.ignored, text.Span{Start: int(t.norm.Start[i]), End: int(t.norm.End[j-1])})
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
