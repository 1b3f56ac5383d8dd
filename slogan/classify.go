package slogan

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"os"
)

// spilledClasses is what classes keeps of the pieces when they are classed once all are
// read: the hash of every piece's text goes to a file, and classify reads it back in as
// many passes as it takes for the table of each pass to stay within classTableBytes, each
// pass classing the pieces whose hash falls in its part (the passes are counted from the
// pieces, as how many texts are distinct is not known before). A text's id is the number of
// distinct texts whose first piece comes before its own, which is the id that classing each
// piece as it comes gives: in a pass, a piece is given the index of the first piece of its
// text, and once all passes are done, those indexes are ranked.
type spilledClasses struct {
	spillFile
	pieces int32 // pieces written
	live   int   // pieces written that are not ignored
	short  []spilledShortening
	first  []uint64 // per piece, a bit: it is the first piece of its text
	before []int32  // per word of first: the bits set in the words before it
}

// spilledShortening is a piece cut before an opener whose text ends in characters that may
// dangle there (see classes.shortenDangling): the hash of its text without them, and the
// first piece of that text, or -1.
type spilledShortening struct {
	p, cut, to int32
	hash       textHash
}

// hashRecord is the size of a piece's record in the file: a byte that is 1 for an ignored
// piece, then the two halves of its hash.
const hashRecord = 17

// classTableBytes bounds the table of a pass of classify; a variable so that a test can class
// a small corpus in many passes.
var classTableBytes = 128 << 20

// tableBytesPerText is about what a table holds per text: its hash, its first piece and, at
// a quarter to a half full, two to four slots.
const tableBytesPerText = 16 + 4 + 12

// write records the hash of the next piece; nil for an ignored one.
func (s *spilledClasses) write(h *textHash) {
	s.pieces++
	if !s.ready("hashes") {
		return
	}
	var rec [hashRecord]byte
	if h == nil {
		rec[0] = 1
	} else {
		s.live++
		binary.LittleEndian.PutUint64(rec[1:], h.a)
		binary.LittleEndian.PutUint64(rec[9:], h.b)
	}
	_, s.err = s.w.Write(rec[:])
}

// part is the pass, of parts, that classes the texts of hash h.
func part(h textHash, parts int) int { return int((h.b >> 32) * uint64(parts) >> 32) }

// rank is the number of first pieces before piece p.
func (s *spilledClasses) rank(p int32) int32 {
	return s.before[p>>6] + int32(bits.OnesCount64(s.first[p>>6]&(1<<(p&63)-1)))
}

// classifySpilled classes the pieces recorded, gives those cut before an opener to shorter
// texts (see shortenDangling), and makes the texts' store read the first of each text only.
func (c *classes) classifySpilled(pt *pieceTable) error {
	s := c.spilled
	defer func() {
		if s.file != nil {
			s.file.Close()
			os.Remove(s.file.Name())
		}
	}()
	if s.err == nil && s.w != nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return fmt.Errorf("spilling to a temporary folder: %w", s.err)
	}
	n := s.pieces
	pt.class = make([]int32, n)
	s.first = make([]uint64, (n+63)/64)
	parts := max(1, (s.live*tableBytesPerText+classTableBytes-1)/classTableBytes)
	for pass := range parts {
		t := newTextTable()
		var firstPiece []int32 // per entry of t
		r := bufio.NewReaderSize(io.NewSectionReader(s.file, 0, hashRecord*int64(n)), 1<<16)
		var rec [hashRecord]byte
		for p := range n {
			if _, err := io.ReadFull(r, rec[:]); err != nil {
				return fmt.Errorf("reading spilled hashes: %w", err)
			}
			if rec[0] != 0 {
				pt.class[p] = -1
				continue
			}
			h := textHash{binary.LittleEndian.Uint64(rec[1:]), binary.LittleEndian.Uint64(rec[9:])}
			if part(h, parts) != pass {
				continue
			}
			i, isNew := t.find(h, true)
			if isNew {
				firstPiece = append(firstPiece, p)
				s.first[p>>6] |= 1 << (p & 63)
			}
			pt.class[p] = firstPiece[i]
		}
		for k := range s.short {
			if sh := &s.short[k]; part(sh.hash, parts) == pass {
				if i, _ := t.find(sh.hash, false); i >= 0 {
					sh.to = firstPiece[i]
				}
			}
		}
	}
	for _, sh := range s.short {
		if sh.to >= 0 {
			pt.shorten(sh.p, sh.to, sh.cut)
		}
	}
	s.short = nil
	s.before = make([]int32, len(s.first)+1)
	for w, bits64 := range s.first {
		s.before[w+1] = s.before[w] + int32(bits.OnesCount64(bits64))
	}
	c.distinct = s.before[len(s.first)]
	for p, f := range pt.class {
		if f >= 0 {
			pt.class[p] = s.rank(f)
		}
	}
	c.texts.keep = func(p int32) (int32, bool) {
		if s.first[p>>6]&(1<<(p&63)) == 0 {
			return 0, false
		}
		return s.rank(p), true
	}
	return nil
}
