package index

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/bits"
	"sync"
	"unicode/utf8"
)

// view reads an index file in place, section by section, for a check: it looks up what a
// query needs (by binary search, fan-out tables and offsets) and decodes nothing else, so
// that a check costs about the same against ten thousand documents as against a million.
// Every block of the file it reads is verified against its block checksum first; a
// mismatch, or a record that does not fit its section, is remembered (Err) and read as
// zeros, so that a damaged index neither crashes a check nor passes one unnoticed.
type view struct {
	data []byte
	h    *Head
	crcs []byte // the block checksums

	mu       sync.Mutex
	verified []uint64 // a bit per block
	err      error
}

func newView(data []byte, h *Head) (*view, error) {
	if err := checkLength(data); err != nil {
		return nil, err
	}
	covered := h.bodyStart + h.bodyLen
	blocks := (covered + h.block - 1) / h.block
	if covered > len(data) || covered+4*blocks+trailerLen != len(data) {
		return nil, fmt.Errorf("%w: the block checksums do not fit the file", ErrDamaged)
	}
	crcs := data[covered : covered+4*blocks]
	if crc32.Checksum(crcs, castagnoli) != binary.LittleEndian.Uint32(data[covered+4*blocks:]) {
		return nil, fmt.Errorf("%w: checksum mismatch in the block checksums", ErrDamaged)
	}
	return &view{data: data, h: h, crcs: crcs, verified: make([]uint64, (blocks+63)/64)}, nil
}

// Err is the damage found by the reads so far, or nil.
func (v *view) Err() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.err
}

func (v *view) fail(err error) {
	v.mu.Lock()
	if v.err == nil {
		v.err = err
	}
	v.mu.Unlock()
}

// read returns n bytes at offset off of section s, verified; zeros if they are damaged or
// outside the section.
func (v *view) read(s, off, n int) []byte {
	sec := v.h.secs[s]
	if off < 0 || n < 0 || off+n > sec[1] {
		v.fail(fmt.Errorf("%w: a record outside its section", ErrDamaged))
		return make([]byte, n)
	}
	at := v.h.bodyStart + sec[0] + off
	if n > 0 && !v.verify(at, at+n) {
		return make([]byte, n)
	}
	return v.data[at : at+n : at+n]
}

// verify checks the blocks of [from, to) that were not checked yet.
func (v *view) verify(from, to int) bool {
	b0, b1 := from/v.h.block, (to-1)/v.h.block
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil {
		return false
	}
	covered := v.h.bodyStart + v.h.bodyLen
	for b := b0; b <= b1; b++ {
		if v.verified[b/64]&(1<<(b%64)) != 0 {
			continue
		}
		block := v.data[b*v.h.block : min(covered, (b+1)*v.h.block)]
		if crc32.Checksum(block, castagnoli) != binary.LittleEndian.Uint32(v.crcs[4*b:]) {
			v.err = fmt.Errorf("%w: checksum mismatch in block %d", ErrDamaged, b)
			return false
		}
		v.verified[b/64] |= 1 << (b % 64)
	}
	return true
}

// blocksRead counts the blocks read (and verified) so far.
func (v *view) blocksRead() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, w := range v.verified {
		n += bits.OnesCount64(w)
	}
	return n
}

// verifyAll checks every block.
func (v *view) verifyAll() error {
	if covered := v.h.bodyStart + v.h.bodyLen; covered > 0 {
		v.verify(0, covered)
	}
	return v.Err()
}

func (v *view) u32(s, off int) uint32 { return binary.LittleEndian.Uint32(v.read(s, off, 4)) }
func (v *view) u64(s, off int) uint64 { return binary.LittleEndian.Uint64(v.read(s, off, 8)) }

// The clause columns, as laid out in secClauses.
func (v *view) clauseHash(c int) uint64 { return v.u64(secClauses, 8*c) }
func (v *view) clauseDF(c int) int {
	return int(v.u32(secClauses, 16*v.h.clauses+4*c))
}
func (v *view) clauseEntry(c int) int {
	return int(v.u32(secClauses, (clauseSize)*v.h.clauses+4*c))
}

// slot returns the records [lo, hi) of fan-out slot s of the table that starts at off in
// section sec, and where its records start.
func (v *view) slot(sec, off int, key uint64) (lo, hi, records int, bits uint) {
	bits = uint(v.u32(sec, off))
	if bits > 24 {
		v.fail(fmt.Errorf("%w: bad fan-out", ErrDamaged))
		return 0, 0, 0, 0
	}
	s := 0
	if bits > 0 {
		s = int(key >> (64 - bits))
	}
	lo = int(v.u32(sec, off+4+4*s))
	hi = int(v.u32(sec, off+4+4*(s+1)))
	if hi < lo {
		v.fail(fmt.Errorf("%w: bad fan-out", ErrDamaged))
		hi = lo
	}
	return lo, hi, off + 4 + 4*((1<<bits)+1), bits
}

// clausesWithHash calls fn with each clause whose hash is hash.
func (v *view) clausesWithHash(hash uint64, fn func(c int) bool) {
	lo, hi, records, _ := v.slot(secHashes, 0, hash)
	recs := v.read(secHashes, records+12*lo, 12*(hi-lo))
	for i := 0; i+12 <= len(recs); i += 12 {
		rec := recs[i : i+12]
		h := binary.LittleEndian.Uint64(rec)
		if h < hash {
			continue
		}
		if h > hash {
			return
		}
		if !fn(int(binary.LittleEndian.Uint32(rec[8:]))) {
			return
		}
	}
}

// bandTable returns where band table b starts in secBands.
func (v *view) bandTable(b int) int {
	off := 0
	for range b {
		bits := uint(v.u32(secBands, off))
		if bits > 24 {
			v.fail(fmt.Errorf("%w: bad fan-out", ErrDamaged))
			return 0
		}
		off += 4 + 4*((1<<bits)+1) + 12*v.h.clauses
	}
	return off
}

// clausesInBand calls fn with the fingerprint and the number of each clause that may share
// quarter b with fp: those in the same fan-out slot of band table b, read in one piece.
func (v *view) clausesInBand(b int, fp uint64, fn func(fp uint64, c int)) {
	quarter := fp >> (16 * b) & 0xffff
	lo, hi, records, _ := v.slot(secBands, v.bandTable(b), quarter<<48)
	recs := v.read(secBands, records+12*lo, 12*(hi-lo))
	for i := 0; i+12 <= len(recs); i += 12 {
		fn(binary.LittleEndian.Uint64(recs[i:]), int(binary.LittleEndian.Uint32(recs[i+8:])))
	}
}

// docPrints calls fn with the fingerprint and entry of every document with enough
// features: one linear pass over twelve bytes a document.
func (v *view) docPrints(fn func(fp uint64, entry int)) {
	n := v.h.secs[secDocPrints][1]
	if n%12 != 0 {
		v.fail(fmt.Errorf("%w: bad document fingerprints", ErrDamaged))
		return
	}
	recs := v.read(secDocPrints, 0, n)
	for i := 0; i+12 <= len(recs); i += 12 {
		fn(binary.LittleEndian.Uint64(recs[i:]), int(binary.LittleEndian.Uint32(recs[i+8:])))
	}
}

// record returns the bytes of entry i's record, which ends where the next one starts.
func (v *view) record(i int) []byte {
	if i < 0 || i >= v.h.entries {
		v.fail(fmt.Errorf("%w: an entry out of range", ErrDamaged))
		return nil
	}
	off := v.u64(secPlaces, 12*i)
	end := uint64(v.h.secs[secEntries][1])
	if i+1 < v.h.entries {
		end = v.u64(secPlaces, 12*(i+1))
	}
	if off > end || end > uint64(v.h.secs[secEntries][1]) {
		v.fail(fmt.Errorf("%w: entries out of place", ErrDamaged))
		return nil
	}
	return v.read(secEntries, int(off), int(end-off))
}

// entry decodes entry i.
func (v *view) entry(i int) (*Entry, error) {
	d := decoder{buf: v.record(i)}
	e := &Entry{}
	d.entryFields(e)
	e.NumClauses = int32(d.int())
	if i >= 0 && i < v.h.entries {
		e.FirstClause = int32(v.u32(secPlaces, 12*i+8))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if d.err != nil || len(d.buf) != 0 {
		return nil, fmt.Errorf("%w: entry %d is unreadable", ErrDamaged, i)
	}
	return e, nil
}

// entryPath reads the path of entry i alone.
func (v *view) entryPath(i int) string {
	d := decoder{buf: v.record(i)}
	return d.str()
}

// find returns the index of the entry with this path, or -1: a binary search reading
// about twenty paths.
func (v *view) find(path string) int {
	lo, hi := 0, v.h.entries
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if v.entryPath(m) < path {
			lo = m + 1
		} else {
			hi = m
		}
		if v.Err() != nil {
			return -1
		}
	}
	if lo < v.h.entries && v.entryPath(lo) == path {
		return lo
	}
	return -1
}

// dirs decodes the folders.
func (v *view) dirs() ([]DirStamp, error) {
	d := decoder{buf: v.read(secFolders, 0, v.h.secs[secFolders][1])}
	var out []DirStamp
	for len(d.buf) > 0 && d.err == nil {
		out = append(out, d.dirStamp())
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: folders: %v", ErrDamaged, d.err)
	}
	return out, v.Err()
}

// slogansIn returns the slogan texts that occur in norm (normalised text), each once, in
// the order of the table: a look-up of the key at every rune.
func (v *view) slogansIn(norm []byte) []string {
	if v.h.secs[secSlogans][1] == 0 {
		return nil
	}
	found := map[int]bool{}
	var out []string
	for at := 0; at < len(norm); {
		key := sloganKey(string(norm[at:min(len(norm), at+4*sloganKeyRunes)]))
		lo, hi, records, _ := v.slot(secSlogans, 0, key)
		for i := lo; i < hi; i++ {
			rec := v.read(secSlogans, records+16*i, 16)
			if binary.LittleEndian.Uint64(rec) != key || found[i] {
				continue
			}
			off, n := int(binary.LittleEndian.Uint32(rec[8:])), int(binary.LittleEndian.Uint32(rec[12:]))
			if n > len(norm)-at {
				continue
			}
			if s := v.read(secSloganText, off, n); bytes.Equal(s, norm[at:at+n]) {
				found[i] = true
				out = append(out, string(s))
			}
		}
		_, size := utf8.DecodeRune(norm[at:])
		at += size
	}
	return out
}

// lazy reports whether x is a mapped index whose entries are not decoded.
func (x *Index) lazy() bool { return x.v != nil && x.Entries == nil }

// Err reports damage found in a mapped index (see Open) by the reads made so far: a check
// whose index reports an error must not be trusted.
func (x *Index) Err() error {
	if x.v == nil {
		return nil
	}
	return x.v.Err()
}

// Verify reads and verifies all of a mapped index.
func (x *Index) Verify() error {
	if x.v == nil {
		return nil
	}
	return x.v.verifyAll()
}
