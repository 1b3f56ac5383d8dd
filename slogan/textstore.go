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

// count is the number of texts of n runes.
func (s *textStore) count(n int) int {
	if n < 0 || n >= len(s.groups) {
		return 0
	}
	return s.groups[n].count
}

// rangeText is a text of a range of lengths, with its id.
type rangeText struct {
	id   int32
	text []byte
}

// load returns the texts of lo to hi runes (both included), in increasing id.
func (s *textStore) load(lo, hi int) ([]rangeText, error) {
	if s.err != nil {
		return nil, s.err
	}
	var all []rangeText
	sorted := true // by id: each group is, so a range of one group is
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
		sorted = sorted && len(all) == 0
		all = slices.Grow(all, g.count)
		for len(data) > 0 {
			id := int32(binary.LittleEndian.Uint32(data))
			size, k := binary.Uvarint(data[4:])
			data = data[4+k:]
			all = append(all, rangeText{id, data[:size:size]})
			data = data[size:]
		}
	}
	if !sorted {
		slices.SortFunc(all, func(a, b rangeText) int { return cmp.Compare(a.id, b.id) })
	}
	return all, nil
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
