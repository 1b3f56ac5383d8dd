package slogan

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
)

// textStore holds the distinct texts that may have variants (of variantMin to maxPhraseRunes
// runes), grouped by their length in runes, each with its id: merging variants reads them a
// range of lengths at a time (see mergeVariants). A group is kept in memory, or, given a
// folder, written to a file of its own whenever textFlush bytes of it are pending, so that
// the texts of a large corpus, most of its normalised text, are not held while its documents
// are classed.
type textStore struct {
	min    int
	dir    *spillDir
	groups [maxPhraseRunes + 1]textGroup
	err    error // the first error writing
	// keep, when set, says which of the texts added are read, and under which id: texts are
	// then added under keys that increase as their ids do, and may be added more than once.
	keep func(key int32) (int32, bool)
}

// textGroup is the texts of one length: records of the id (4 bytes, little-endian), the
// length in bytes (uvarint) and the bytes, in increasing id.
type textGroup struct {
	pending []byte // records not written yet: all of them, when kept in memory
	file    *os.File
	written int64
	count   int
}

// textFlush is how many bytes of a group are gathered before they are written; a variable so
// that a test can spill the texts of a small corpus.
var textFlush = 1 << 15

func newTextStore(min int, dir *spillDir) *textStore { return &textStore{min: min, dir: dir} }

// add records text, of the given length in runes, under id, if it may have variants. Ids are
// added in increasing order.
func (s *textStore) add(id int32, runes int, text []byte) {
	if runes < s.min || runes > maxPhraseRunes {
		return
	}
	g := &s.groups[runes]
	g.count++
	g.pending = binary.LittleEndian.AppendUint32(g.pending, uint32(id))
	g.pending = binary.AppendUvarint(g.pending, uint64(len(text)))
	g.pending = append(g.pending, text...)
	if s.dir != nil && len(g.pending) >= textFlush && s.err == nil {
		if g.file == nil {
			if g.file, s.err = s.dir.create(fmt.Sprintf("texts-%d", runes)); s.err != nil {
				return
			}
		}
		if _, err := g.file.Write(g.pending); err != nil {
			s.err = fmt.Errorf("spilling to a temporary folder: %w", err)
			return
		}
		g.written += int64(len(g.pending))
		g.pending = g.pending[:0]
	}
}

// count is the number of texts of n runes (added, whether kept or not).
func (s *textStore) count(n int) int {
	if n < 0 || n >= len(s.groups) {
		return 0
	}
	return s.groups[n].count
}

// rangeTexts is the texts of a range of lengths, in increasing id: each entry names its text
// in the bytes of its group, as the 16 bytes of an entry are half those of an id and a slice.
type rangeTexts struct {
	groups  [][]byte
	entries []rangeText
}

type rangeText struct {
	id    int32
	size  uint16 // bytes: at most 4 per rune of maxPhraseRunes
	group uint16
	off   int
}

func (r *rangeTexts) text(x int32) []byte {
	e := &r.entries[x]
	return r.groups[e.group][e.off : e.off+int(e.size)]
}

// load returns the texts of lo to hi runes (both included).
func (s *textStore) load(lo, hi int) (*rangeTexts, error) {
	if s.err != nil {
		return nil, s.err
	}
	r := &rangeTexts{}
	count := 0
	for n := max(lo, 0); n <= min(hi, maxPhraseRunes); n++ {
		count += s.groups[n].count
	}
	r.entries = make([]rangeText, 0, count)
	for n := max(lo, 0); n <= min(hi, maxPhraseRunes); n++ {
		g := &s.groups[n]
		if g.count == 0 {
			continue
		}
		data := g.pending
		if g.file != nil {
			data = make([]byte, g.written+int64(len(g.pending)))
			if _, err := g.file.ReadAt(data[:g.written], 0); err != nil && err != io.EOF {
				return nil, fmt.Errorf("reading spilled texts: %w", err)
			}
			copy(data[g.written:], g.pending)
		}
		group := uint16(len(r.groups))
		r.groups = append(r.groups, data)
		for off := 0; off < len(data); {
			id := int32(binary.LittleEndian.Uint32(data[off:]))
			size, k := binary.Uvarint(data[off+4:])
			off += 4 + k
			keep := true
			if s.keep != nil {
				id, keep = s.keep(id)
			}
			if keep {
				r.entries = append(r.entries, rangeText{id: id, size: uint16(size), group: group, off: off})
			}
			off += int(size)
		}
	}
	// Each group is in increasing id, so a range of one group is.
	if len(r.groups) > 1 {
		slices.SortFunc(r.entries, func(a, b rangeText) int { return cmp.Compare(a.id, b.id) })
	}
	return r, nil
}

// close removes the files and drops the texts.
func (s *textStore) close() {
	for i := range s.groups {
		g := &s.groups[i]
		if g.file != nil {
			g.file.Close()
			os.Remove(g.file.Name())
		}
		*g = textGroup{}
	}
}
