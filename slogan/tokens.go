package slogan

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"unicode/utf8"
)

// Phrase units are mined over tokens, not bytes: a Han (or kana, Thai …) character is a
// token, and so is a whole word of a script written with spaces, so that a unit can never
// start or end inside an English word. Pieces are laid end to end with a separator token
// between them, so that no unit crosses a clause, quotation mark or bracket.

// rawToken is a token before it is given a dense id: a rune, or the hash of a word with the
// top bit set.
type rawToken = uint64

const wordBit = 1 << 63

var wordSeed = maphash.MakeSeed()

// docTokens is what one document contributes to the token stream, made while it is cut.
type docTokens struct {
	raw        []rawToken // tokens; sepToken between pieces (when mined)
	start, end []int32    // per token: original code points (when resolved, as the rest)
	quoted     []bool     // per token: it is in a quoted piece
	lineStart  []bool     // per token: it is the first token of one of the first two lines
	sep        []bool     // per token: it is a separator (when resolved)
	soft       []int32    // separators (indices into raw) that cut before a quotation mark or bracket
	piece      []int32    // per piece of docText.pieces: index of its first token, or -1
	words      map[rawToken][]byte
}

const sepToken rawToken = 1<<63 - 1

// tokenize fills t.tokens from its pieces with where each token stands, for resolve, reusing
// the arrays of dt, which it returns to t.tokens.
func (t *docText) tokenize(dt *docTokens) {
	dt.start, dt.end, dt.quoted, dt.lineStart = dt.start[:0], dt.end[:0], dt.quoted[:0], dt.lineStart[:0]
	dt.sep = dt.sep[:0]
	dt.soft = dt.soft[:0]
	dt.piece = slices.Grow(dt.piece[:0], len(t.pieces))[:len(t.pieces)]
	t.tokenizeInto(dt, true)
}

// tokenizeWith fills t.tokens: with positions, where each token stands (what resolve needs);
// else the tokens themselves (what the token stream needs, which keeps no positions).
func (t *docText) tokenizeWith(positions bool) {
	size := 0
	for _, p := range t.pieces {
		size += int(p.nEnd-p.nStart) + 1
	}
	dt := &docTokens{piece: make([]int32, len(t.pieces))}
	if positions {
		dt.start, dt.end = make([]int32, 0, size), make([]int32, 0, size)
		dt.quoted, dt.lineStart = make([]bool, 0, size), make([]bool, 0, size)
		dt.sep = make([]bool, 0, size)
	} else {
		dt.raw = make([]rawToken, 0, size)
	}
	t.tokenizeInto(dt, positions)
}

func (t *docText) tokenizeInto(dt *docTokens, positions bool) {
	count := int32(0) // tokens so far
	firstLines := [2]int{-1, -1}
	for i := 0; i < len(t.lines) && i < 2; i++ {
		s, _ := t.trim(t.lines[i].span.Start, t.lines[i].span.End)
		firstLines[i] = s
	}
	n := t.norm
	runeAt := func(k int32) rune {
		r, _ := utf8.DecodeRune(n.Text[n.Byte[k]:])
		return r
	}
	for pi, p := range t.pieces {
		dt.piece[pi] = -1
		if p.class < 0 {
			continue
		}
		dt.piece[pi] = count
		for k := p.nStart; k < p.nEnd; {
			r := runeAt(k)
			e := k + 1
			word := isSpacedWord(r)
			if word {
				for e < p.nEnd && isSpacedWord(runeAt(e)) && n.End[e-1] == n.Start[e] {
					e++
				}
			}
			count++
			if positions {
				s := n.Start[k]
				dt.start = append(dt.start, s)
				dt.end = append(dt.end, n.End[e-1])
				dt.quoted = append(dt.quoted, p.quoted)
				dt.lineStart = append(dt.lineStart, int(s) == firstLines[0] || int(s) == firstLines[1])
				dt.sep = append(dt.sep, false)
			} else if word {
				text := n.Text[n.Byte[k]:n.Byte[e]]
				tok := maphash.Bytes(wordSeed, text) | wordBit
				if tok == sepToken {
					tok--
				}
				if dt.words == nil {
					dt.words = make(map[rawToken][]byte)
				}
				dt.words[tok] = text
				dt.raw = append(dt.raw, tok)
			} else {
				dt.raw = append(dt.raw, rawToken(r))
			}
			k = e
		}
		if p.beforeOpener {
			dt.soft = append(dt.soft, count)
		}
		count++
		if positions {
			dt.start = append(dt.start, 0)
			dt.end = append(dt.end, 0)
			dt.quoted = append(dt.quoted, false)
			dt.lineStart = append(dt.lineStart, false)
			dt.sep = append(dt.sep, true)
		} else {
			dt.raw = append(dt.raw, sepToken)
		}
	}
	t.tokens = dt
}

// tokenStream is every document's tokens end to end, with dense ids. Where a token stands
// in the original text is not kept (it would double the stream): the documents holding an
// occurrence are cut and tokenised again to find it (see finder.resolve).
type tokenStream struct {
	tok []int32 // dense id; sep between pieces and documents; nil once released
	// tok16 holds the stream instead of tok when every dense id fits in 16 bits (Chinese
	// has about 10,000 characters), sep16 between pieces: it is the largest table while
	// the suffixes are sorted.
	tok16  []uint16
	chunks [][]int32 // tok while documents are added (see finish)
	// spill, when set, takes each chunk once full, until finish reads them back: the stream
	// is not read while pieces are classed and runs of pieces mined, when the classes' texts
	// are held. Its file then stands for tok once the suffixes are sorted (see release).
	spill *chunkSpill
	// soft marks the separators where a piece was cut before a quotation mark or bracket
	// inside a clause (高质量共建“一带一路”): what follows still continues the phrase.
	soft     bitset
	docFirst []int32 // per document: its first token; one more entry ends the last
	// blockDoc: per block of docBlock tokens, the document of its first token, so that
	// docOf searches a few documents rather than all: an array of the document of every
	// token was as large as the stream itself.
	blockDoc []int32
	pieceTok []int32 // per piece of the piece table: its first token, or -1
	text     [][]byte
	runeID   []int32 // dense id of rune r < len(runeID), or -1
	otherID  map[rawToken]int32
	isWord   []bool // per dense id: a word of a spaced script
	isDigits []bool // per dense id: only digits
	startOK  []bool // per dense id: a unit may start with it (see edges)
	endOK    []bool // per dense id: a unit may end with it
	particle []bool // per dense id: one of hanParticles
	// verbEnd: per dense id, it may end a policy verb (see signals); nounOrVerbFirst: it
	// starts with the first character of a speech verb or a programme noun
	verbEnd, nounOrVerbFirst []bool
	single                   []rune // per dense id: its one rune, or -1 (a word of several)
}

const (
	sep   = -1
	sep16 = 1<<16 - 1
)

// narrowIDs is the most dense ids a stream held in 16 bits may have; a variable so that a
// test can hold a small corpus in 32.
var narrowIDs = sep16

// newTokenStream makes an empty stream for docs documents.
func newTokenStream(docs int) *tokenStream {
	ts := &tokenStream{docFirst: make([]int32, 1, docs+1), runeID: make([]int32, 0x30000), otherID: make(map[rawToken]int32)}
	for i := range ts.runeID {
		ts.runeID[i] = -1
	}
	return ts
}

// collectBeforeTokens is the smallest stream before which finish collects garbage.
const collectBeforeTokens = 1 << 26

// finish lays the tokens added, kept in chunks, end to end in tok16 (tok when the dense ids
// do not fit in 16 bits), the last chunks written to the file first if the stream is spilled:
// the stream's size is not known until every document is cut, and appending 5 million tokens
// to one slice would copy them over and over and leave much of its room unused.
func (ts *tokenStream) finish() error {
	// The soft separators' bits grew a word at a time, and their array up to twice its
	// length; it is cut to size before the stream is read back.
	ts.soft = slices.Clone(ts.soft)
	if ts.size() >= collectBeforeTokens {
		// The stream is the largest array of the mining, made at once: made on top of what
		// the collector has not yet freed, it took the heap past its limit (1.85 GB for a
		// limit of 1.77 on a gigabyte of text). A collection first costs about a second there.
		runtime.GC()
	}
	var err error
	if len(ts.text) <= narrowIDs {
		ts.tok16, err = finishAs(ts, make([]uint16, 0, ts.size()), sep16)
	} else {
		ts.tok, err = finishAs(ts, make([]int32, 0, ts.size()), sep)
	}
	if err != nil {
		return err
	}
	ts.blockDoc = make([]int32, (ts.size()+docBlock-1)/docBlock+1)
	d := int32(0)
	for b := range ts.blockDoc {
		p := min(int32(b*docBlock), ts.size())
		for d+1 < int32(len(ts.docFirst)-1) && ts.docFirst[d+1] <= p {
			d++
		}
		ts.blockDoc[b] = d
	}
	return nil
}

// finishAs appends the stream to tok, with separator sepT.
func finishAs[T token](ts *tokenStream, tok []T, sepT T) ([]T, error) {
	if ts.spill != nil && (ts.spill.file != nil || ts.spill.err != nil) {
		// The whole stream goes to the file, to be read from there once released.
		for i, c := range ts.chunks {
			ts.spill.write(c)
			ts.chunks[i] = nil
		}
		ts.chunks = nil
		return readAll(ts.spill, tok, sepT)
	}
	for i, c := range ts.chunks {
		tok = appendAs(tok, c, sepT)
		ts.chunks[i] = nil
	}
	ts.chunks = nil
	return tok, nil
}

// appendAs appends the tokens src to dst, with separator sepT.
func appendAs[T token](dst []T, src []int32, sepT T) []T {
	for _, t := range src {
		if t == sep {
			dst = append(dst, sepT)
		} else {
			dst = append(dst, T(t))
		}
	}
	return dst
}

// at is the token at p, while the stream is held.
func (ts *tokenStream) at(p int32) int32 {
	if ts.tok16 != nil {
		if t := ts.tok16[p]; t != sep16 {
			return int32(t)
		}
		return sep
	}
	return ts.tok[p]
}

// size is the number of tokens in the stream.
func (ts *tokenStream) size() int32 { return ts.docFirst[len(ts.docFirst)-1] }

// release drops the stream from memory when its file holds it: once the suffixes are sorted,
// only the tokens around each occurrence (see finder.contexts) and the lookups of cohesion
// read it, a few at a time, and the stream was the largest table left while the occurrences
// are placed.
func (ts *tokenStream) release() {
	if ts.spill != nil && ts.spill.file != nil {
		ts.tok, ts.tok16 = nil, nil
	}
}

// widen16 appends the tokens [lo, hi) of tok16 to dst as int32s.
func (ts *tokenStream) widen16(dst []int32, lo, hi int32) []int32 {
	for _, t := range ts.tok16[lo:hi] {
		if t == sep16 {
			dst = append(dst, sep)
		} else {
			dst = append(dst, int32(t))
		}
	}
	return dst
}

// held reports whether the stream is in memory.
func (ts *tokenStream) held() bool { return ts.tok != nil || ts.tok16 != nil }

// tokensAt returns the tokens [p, p+n) of the stream, fewer at its end; read from its file
// into buf once the stream is released.
func (ts *tokenStream) tokensAt(p, n int32, buf []int32) []int32 {
	n = max(0, min(n, ts.size()-p))
	switch {
	case ts.tok != nil:
		return ts.tok[p : p+n]
	case ts.tok16 != nil:
		return ts.widen16(buf[:0], p, p+n)
	}
	return ts.spill.readAt(p, buf[:n])
}

// err is the first error reading the stream's file (see tokensAt).
func (ts *tokenStream) err() error {
	if ts.spill == nil {
		return nil
	}
	ts.spill.mu.Lock()
	defer ts.spill.mu.Unlock()
	return ts.spill.readErr
}

// chunkSpill is a file the chunks of a token stream are written to in order, made in dir at
// the first write: a stream of one chunk is never written.
type chunkSpill struct {
	spillFile
	mu      sync.Mutex
	readErr error // the first error of readAt
}

func (c *chunkSpill) write(chunk []int32) {
	if c.ready("tokens") {
		_, c.err = c.w.Write(appendInt32s(nil, chunk))
	}
}

// appendInt32s appends xs to b, 4 bytes each, little-endian.
func appendInt32s(b []byte, xs []int32) []byte {
	b = slices.Grow(b, 4*len(xs))
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return b
}

func (c *chunkSpill) close() {
	if c != nil && c.file != nil {
		c.file.Close()
		os.Remove(c.file.Name())
		c.file = nil
	}
}

// readAll appends the tokens written to c to tok, with separator sepT; the file stays, for
// readAt.
func readAll[T token](c *chunkSpill, tok []T, sepT T) ([]T, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.file == nil {
		return tok, nil
	}
	if err := c.w.Flush(); err != nil {
		return nil, fmt.Errorf("spilling to a temporary folder: %w", err)
	}
	r := bufio.NewReaderSize(io.NewSectionReader(c.file, 0, 1<<62), 1<<16)
	var buf [4096]byte
	for {
		n, err := io.ReadFull(r, buf[:])
		for i := 0; i+4 <= n; i += 4 {
			if t := int32(binary.LittleEndian.Uint32(buf[i:])); t == sep {
				tok = append(tok, sepT)
			} else {
				tok = append(tok, T(t))
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return tok, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading spilled tokens: %w", err)
		}
	}
}

// readAt reads the tokens from p into buf, which the file holds. An error is kept for err,
// and buf is then separators, which end every comparison.
func (c *chunkSpill) readAt(p int32, buf []int32) []int32 {
	b := make([]byte, 4*len(buf))
	if _, err := c.file.ReadAt(b, 4*int64(p)); err != nil {
		c.mu.Lock()
		if c.readErr == nil {
			c.readErr = fmt.Errorf("reading spilled tokens: %w", err)
		}
		c.mu.Unlock()
		for i := range buf {
			buf[i] = sep
		}
		return buf
	}
	for i := range buf {
		buf[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return buf
}

// tokenSpans reads spans of the stream in increasing order of their starts: the stream itself
// while it is held, else its file, from end to end through a buffer.
type tokenSpans struct {
	ts   *tokenStream
	r    *bufio.Reader
	buf  []int32
	from int32 // position of buf[0]
	raw  []byte
}

// spans reads spans from start on.
func (ts *tokenStream) spans(start int32) *tokenSpans {
	start = max(start, 0)
	s := &tokenSpans{ts: ts, from: start}
	if !ts.held() {
		s.r = bufio.NewReaderSize(io.NewSectionReader(ts.spill.file, 4*int64(start), 4*int64(ts.size()-start)), 1<<16)
	}
	return s
}

// span returns the tokens [lo, hi) of the stream, cut to its ends; lo is at least that of the
// call before. A read error is kept for tokenStream.err, and its tokens are separators.
func (s *tokenSpans) span(lo, hi int32) []int32 {
	lo, hi = max(lo, 0), min(hi, s.ts.size())
	if s.ts.tok != nil {
		return s.ts.tok[lo:hi]
	}
	if s.ts.tok16 != nil {
		s.buf = s.ts.widen16(s.buf[:0], lo, hi)
		return s.buf
	}
	// What lies before lo is never asked for again.
	if drop := min(lo-s.from, int32(len(s.buf))); drop > 0 {
		s.buf = s.buf[:copy(s.buf, s.buf[drop:])]
		s.from += drop
	}
	var err error
	if skip := lo - s.from; skip > 0 {
		_, err = s.r.Discard(4 * int(skip))
		s.from = lo
	}
	if more := int(hi - s.from - int32(len(s.buf))); more > 0 && err == nil {
		s.raw = slices.Grow(s.raw[:0], 4*more)[:4*more]
		if _, err = io.ReadFull(s.r, s.raw); err == nil {
			for i := 0; i < len(s.raw); i += 4 {
				s.buf = append(s.buf, int32(binary.LittleEndian.Uint32(s.raw[i:])))
			}
		}
	}
	if err != nil {
		c := s.ts.spill
		c.mu.Lock()
		if c.readErr == nil {
			c.readErr = fmt.Errorf("reading spilled tokens: %w", err)
		}
		c.mu.Unlock()
		for len(s.buf) < int(hi-s.from) {
			s.buf = append(s.buf, sep)
		}
	}
	return s.buf[lo-s.from : hi-s.from]
}

// docBlock is how many tokens make a block of tokenStream.blockDoc.
const docBlock = 1 << 9

// docOf is the document holding the token at p.
func (ts *tokenStream) docOf(p int32) int32 {
	b := p / docBlock
	lo, hi := ts.blockDoc[b], ts.blockDoc[min(int(b)+1, len(ts.blockDoc)-1)]+1
	// The last document in [lo, hi] that starts at p or before.
	for hi-lo > 1 {
		mid := int32(uint32(lo+hi) >> 1)
		if ts.docFirst[mid] <= p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func (ts *tokenStream) id(r rawToken, words map[rawToken][]byte) int32 {
	if r < rawToken(len(ts.runeID)) {
		if id := ts.runeID[r]; id >= 0 {
			return id
		}
	} else if id, ok := ts.otherID[r]; ok {
		return id
	}
	id := int32(len(ts.text))
	var text []byte
	word := r&wordBit != 0
	if word {
		// A copy: the word is a slice of its document's normalised text.
		text = slices.Clone(words[r])
	} else {
		text = utf8.AppendRune(nil, rune(r))
	}
	digits := len(text) > 0
	for _, c := range text {
		digits = digits && c >= '0' && c <= '9'
	}
	ts.text = append(ts.text, text)
	ts.isWord = append(ts.isWord, word)
	ts.isDigits = append(ts.isDigits, digits)
	if r < rawToken(len(ts.runeID)) {
		ts.runeID[r] = id
	} else {
		ts.otherID[r] = id
	}
	return id
}

// add appends the tokens of the next document, to a chunk of room for about tokens more
// tokens (see finish).
func (ts *tokenStream) add(dt *docTokens, room int) {
	d := int32(len(ts.docFirst) - 1)
	base := ts.docFirst[d]
	if len(ts.chunks) == 0 || cap(ts.chunks[len(ts.chunks)-1])-len(ts.chunks[len(ts.chunks)-1]) < len(dt.raw)+1 {
		if ts.spill != nil && len(ts.chunks) > 0 {
			ts.spill.write(ts.chunks[0])
			ts.chunks = ts.chunks[:0]
		}
		ts.chunks = append(ts.chunks, make([]int32, 0, max(room, len(dt.raw)+1)))
	}
	chunk := ts.chunks[len(ts.chunks)-1]
	from := len(chunk)
	for _, r := range dt.raw {
		if r == sepToken {
			chunk = append(chunk, sep)
		} else {
			chunk = append(chunk, ts.id(r, dt.words))
		}
	}
	for _, p := range dt.piece {
		if p >= 0 {
			p += base
		}
		ts.pieceTok = append(ts.pieceTok, p)
	}
	// Every document ends with a separator, even one without pieces.
	if len(chunk) == from || chunk[len(chunk)-1] != sep {
		chunk = append(chunk, sep)
	}
	ts.chunks[len(ts.chunks)-1] = chunk
	for _, x := range dt.soft {
		ts.soft.set(base + x)
	}
	ts.docFirst = append(ts.docFirst, base+int32(len(chunk)-from))
}

// normText is the normalised text of tokens.
func (ts *tokenStream) normText(toks []int32) string {
	var b []byte
	for _, t := range toks {
		b = append(b, ts.text[t]...)
	}
	return string(b)
}

// runes is the length of tokens in normalised runes.
func (ts *tokenStream) runes(toks []int32) int {
	n := 0
	for _, t := range toks {
		n += utf8.RuneCount(ts.text[t])
	}
	return n
}

// pair is the text of two tokens, without allocating for two runes.
func (ts *tokenStream) pair(a, b int32) string {
	var buf [8]byte
	x, y := ts.text[a], ts.text[b]
	if len(x)+len(y) > len(buf) {
		return string(x) + string(y)
	}
	n := copy(buf[:], x)
	n += copy(buf[n:], y)
	return string(buf[:n])
}

// bitset is a set of token positions, a bit each.
type bitset []uint64

func (b *bitset) set(i int32) {
	for int(i>>6) >= len(*b) {
		*b = append(*b, 0)
	}
	(*b)[i>>6] |= 1 << (i & 63)
}

func (b bitset) has(i int32) bool { return int(i>>6) < len(b) && b[i>>6]&(1<<(i&63)) != 0 }
