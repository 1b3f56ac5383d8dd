package slogan

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/neardup/neardup/internal/atomicfile"
)

// suffixArray is the sorted suffixes of the token stream (see tokenStream.suffixUnits), for
// lookup once units are found. Mined from texts read when asked for (FindTexts), the array
// is written to a temporary file as each partition is sorted, and only every saSample-th
// entry is kept in memory: after the units, only cohesion still looks suffixes up, a few
// entries per lookup, and the array was the largest table left while the occurrences are
// placed and the slogans built.
type suffixArray struct {
	first   []int32 // per dense id: where its bucket starts; one more entry ends the last
	mem     []int32 // the whole array, when kept in memory
	samples []int32 // spilled: entry i*saSample of the array
	file    *os.File
	w       *bufio.Writer
	buf     []byte
	written int
	mu      sync.Mutex
	err     error // the first error reading the file
}

// saSample is how many entries of a spilled suffix array a lookup reads at most per bound.
const saSample = 1024

// spillMinSuffixes is the fewest suffixes that are spilled, and with them the token stream
// (see tokenStream.release); a variable so that a test can spill a small corpus. Below it,
// the array and the stream take about 100 MB at most, and reading them from their files, a few
// entries per call, was a tenth of the mining of a 15 MB corpus.
var spillMinSuffixes = 1 << 24

// spillDir is the temporary folder of the files a mining spills, made at its first use.
type spillDir struct {
	dir    string
	remove func()
}

// create makes the file name in the folder, and the folder if need be.
func (d *spillDir) create(name string) (*os.File, error) {
	if d.dir == "" {
		dir, remove, err := atomicfile.TempDir("neardup-slogan-")
		if err != nil {
			return nil, fmt.Errorf("spilling to a temporary folder: %w", err)
		}
		d.dir, d.remove = dir, remove
	}
	f, err := os.Create(filepath.Join(d.dir, name))
	if err != nil {
		return nil, fmt.Errorf("spilling to a temporary folder: %w", err)
	}
	return f, nil
}

// spillFile is a file of a spill folder written through a buffer, made at its first write
// (so that what never spills makes no file); err keeps the first error.
type spillFile struct {
	dir  *spillDir
	file *os.File
	w    *bufio.Writer
	err  error
}

// ready makes the file, named name, at the first call, and reports whether it can be
// written.
func (f *spillFile) ready(name string) bool {
	if f.file == nil && f.err == nil {
		if f.file, f.err = f.dir.create(name); f.err == nil {
			f.w = bufio.NewWriterSize(f.file, 1<<16)
		}
	}
	return f.err == nil
}

// close removes the folder and what it holds.
func (d *spillDir) close() {
	if d != nil && d.remove != nil {
		d.remove()
		d.remove, d.dir = nil, ""
	}
}

// newSuffixArray makes an empty array of size entries with the bucket starts first, spilled
// to a file of dir if dir is set and the array large enough.
func newSuffixArray(first []int32, size int, dir *spillDir) (*suffixArray, error) {
	s := &suffixArray{first: first}
	if dir == nil || size < spillMinSuffixes {
		s.mem = make([]int32, size)
		return s, nil
	}
	f, err := dir.create("suffixes")
	if err != nil {
		return nil, err
	}
	s.file, s.w = f, bufio.NewWriterSize(f, 1<<16)
	s.samples = make([]int32, 0, size/saSample+1)
	return s, nil
}

// part returns the room for the entries [lo, hi) to be sorted in: the array itself when kept
// in memory, else buf, grown to size.
func (s *suffixArray) part(lo, hi int32, buf []int32) []int32 {
	if s.mem != nil {
		return s.mem[lo:hi]
	}
	return slices.Grow(buf[:0], int(hi-lo))[:hi-lo]
}

// keep records the sorted entries part, the next ones of the array (see part).
func (s *suffixArray) keep(part []int32) error {
	if s.mem != nil {
		return nil
	}
	for i := (saSample - s.written%saSample) % saSample; i < len(part); i += saSample {
		s.samples = append(s.samples, part[i])
	}
	s.written += len(part)
	for len(part) > 0 {
		n := min(len(part), 1<<14)
		s.buf = appendInt32s(s.buf[:0], part[:n])
		if _, err := s.w.Write(s.buf); err != nil {
			return fmt.Errorf("spilling to a temporary folder: %w", err)
		}
		part = part[n:]
	}
	return nil
}

// done flushes what keep wrote.
func (s *suffixArray) done() error {
	if s.w == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spilling to a temporary folder: %w", err)
	}
	s.w = nil
	return nil
}

// close removes the spilled file and returns the first error reading it.
func (s *suffixArray) close() error {
	if s == nil {
		return nil
	}
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// spilled reports whether the array is in its file.
func (s *suffixArray) spilled() bool { return s.file != nil }

// search returns the first index i of [lo, hi) for which ok(sa[i]) holds, hi if none; ok is
// false then true along the array.
func (s *suffixArray) search(lo, hi int32, ok func(p int32) bool) int32 {
	if s.mem != nil {
		i, _ := slices.BinarySearchFunc(s.mem[lo:hi], true, func(p int32, _ bool) int {
			if ok(p) {
				return 1
			}
			return -1
		})
		return lo + int32(i)
	}
	// The first sample at or after lo for which ok holds bounds the answer from above; the
	// one before it, from below.
	j0 := (lo + saSample - 1) / saSample
	j1 := (hi + saSample - 1) / saSample // samples j0 <= j < j1 lie in [lo, hi)
	j, _ := slices.BinarySearchFunc(s.samples[j0:j1], true, func(p int32, _ bool) int {
		if ok(p) {
			return 1
		}
		return -1
	})
	j += int(j0)
	from, to := lo, hi
	if j > int(j0) {
		from = int32(j-1)*saSample + 1
	}
	if j < int(j1) {
		to = int32(j) * saSample
	}
	if from >= to {
		return to
	}
	block := make([]byte, 4*(to-from))
	if _, err := s.file.ReadAt(block, 4*int64(from)); err != nil && err != io.EOF {
		s.mu.Lock()
		if s.err == nil {
			s.err = fmt.Errorf("reading spilled suffixes: %w", err)
		}
		s.mu.Unlock()
		return to
	}
	a, b := 0, int(to-from)
	for a < b {
		m := int(uint(a+b) >> 1)
		if ok(int32(binary.LittleEndian.Uint32(block[4*m:]))) {
			b = m
		} else {
			a = m + 1
		}
	}
	return from + int32(a)
}

// lookup returns the interval of the array whose suffixes begin with toks.
func (s *suffixArray) lookup(ts *tokenStream, toks []int32) (int32, int32) {
	// Every suffix beginning with toks is in the bucket of its first token.
	lo, hi := s.first[toks[0]], s.first[toks[0]+1]
	a := s.search(lo, hi, func(p int32) bool { return ts.comparePrefix(p, toks) >= 0 })
	b := s.search(a, hi, func(p int32) bool { return ts.comparePrefix(p, toks) > 0 })
	return a, b
}

// comparePrefix orders the suffix at p against toks, as far as toks goes: 0 when it begins
// with them. A separator ends the suffix, before any token. toks are at most maxUnitTokens.
func (ts *tokenStream) comparePrefix(p int32, toks []int32) int {
	var buf [maxUnitTokens]int32
	got := ts.tok
	if got != nil {
		got = got[p:]
	} else {
		got = ts.tokensAt(p, int32(len(toks)), buf[:])
	}
	for k, t := range toks {
		// The stream ends with a separator: got runs short of toks only past it.
		x := got[k]
		if x == sep {
			return -1
		}
		if x != t {
			return cmp.Compare(x, t)
		}
	}
	return 0
}
