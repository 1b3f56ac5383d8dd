package match

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/internal/parallel"
)

// sortedRuns collects records in sorted runs and merges them back in one sorted stream.
// Without a spill folder the runs stay in memory; with one, every run handed over is
// written to a file of it, so that memory holds only the runs being filled.
type sortedRuns[T any] struct {
	cmp    func(x, y T) int
	sort   func(run []T) // sorts a run by cmp, faster than slices.SortFunc; nil: SortFunc
	codec  recordCodec[T]
	spill  *spillDir // nil: runs stay in memory
	mu     sync.Mutex
	mem    [][]T
	files  []string
	err    error
	filled int // records handed over
}

// recordCodec writes and reads one record in size bytes.
type recordCodec[T any] struct {
	size int
	put  func(b []byte, x T)
	get  func(b []byte) T
}

// spillDir is the temporary folder of one search's spilled runs.
type spillDir struct {
	mu     sync.Mutex
	dir    string
	remove func()
	files  int
}

// newSpillDir is a spill folder made at its first use; nil when no budget asks for one.
func newSpillDir(budget int64) *spillDir {
	if budget <= 0 {
		return nil
	}
	return &spillDir{}
}

// create makes the next file of the folder, the folder too at the first call.
func (s *spillDir) create() (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		dir, remove, err := atomicfile.TempDir("neardup-spill-")
		if err != nil {
			return nil, fmt.Errorf("spilling to a temporary folder: %w", err)
		}
		s.dir, s.remove = dir, remove
	}
	s.files++
	f, err := os.Create(filepath.Join(s.dir, fmt.Sprintf("run-%06d", s.files)))
	if err != nil {
		return nil, fmt.Errorf("spilling to a temporary folder: %w", err)
	}
	return f, nil
}

// close removes the folder and every run in it.
func (s *spillDir) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.remove != nil {
		s.remove()
		s.remove, s.dir = nil, ""
	}
}

// add sorts run and keeps it: in memory it keeps run itself, spilled a copy in a file, after
// which the caller may reuse run.
func (r *sortedRuns[T]) add(run []T) { r.keep(run, r.spill == nil) }

func (r *sortedRuns[T]) keep(run []T, inMemory bool) {
	if len(run) == 0 {
		return
	}
	if r.sort != nil {
		r.sort(run)
	} else {
		slices.SortFunc(run, r.cmp)
	}
	if inMemory {
		r.mu.Lock()
		r.mem = append(r.mem, run)
		r.filled += len(run)
		r.mu.Unlock()
		return
	}
	name, err := r.write(run)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.filled += len(run)
	if err != nil {
		if r.err == nil {
			r.err = err
		}
		return
	}
	r.files = append(r.files, name)
}

// addAll keeps the runs left in the workers' buffers, sorting them on jobs goroutines. They
// stay in memory: they took no more room than the buffers, and the records are about to be
// read back.
func (r *sortedRuns[T]) addAll(runs [][]T, jobs int) {
	parallel.For(len(runs), jobs, func(i int) { r.keep(runs[i], true) })
}

func (r *sortedRuns[T]) write(run []T) (string, error) {
	f, err := r.spill.create()
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	b := make([]byte, r.codec.size)
	for _, x := range run {
		r.codec.put(b, x)
		w.Write(b)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("spilling to %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// runCursor reads one run in order.
type runCursor[T any] struct {
	mem  []T
	r    *bufio.Reader
	f    *os.File
	buf  []byte
	head T
}

func (c *runCursor[T]) next(codec recordCodec[T]) (bool, error) {
	if c.r == nil {
		if len(c.mem) == 0 {
			return false, nil
		}
		c.head, c.mem = c.mem[0], c.mem[1:]
		return true, nil
	}
	if _, err := io.ReadFull(c.r, c.buf); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("reading back %s: %w", c.f.Name(), err)
	}
	c.head = codec.get(c.buf)
	return true, nil
}

// cursorHeap orders the cursors by their heads.
type cursorHeap[T any] struct {
	cs  []*runCursor[T]
	cmp func(x, y T) int
}

func (h *cursorHeap[T]) Len() int           { return len(h.cs) }
func (h *cursorHeap[T]) Less(i, j int) bool { return h.cmp(h.cs[i].head, h.cs[j].head) < 0 }
func (h *cursorHeap[T]) Swap(i, j int)      { h.cs[i], h.cs[j] = h.cs[j], h.cs[i] }
func (h *cursorHeap[T]) Push(x any)         { h.cs = append(h.cs, x.(*runCursor[T])) }
func (h *cursorHeap[T]) Pop() any {
	c := h.cs[len(h.cs)-1]
	h.cs = h.cs[:len(h.cs)-1]
	return c
}

// merge calls yield with every record of every run in order, and frees the runs: the
// memory ones as it goes, the files at the end.
func (r *sortedRuns[T]) merge(yield func(T)) error {
	if r.err != nil {
		return r.err
	}
	h := &cursorHeap[T]{cmp: r.cmp}
	for _, m := range r.mem {
		c := &runCursor[T]{mem: m}
		if ok, _ := c.next(r.codec); ok {
			h.cs = append(h.cs, c)
		}
	}
	r.mem = nil
	defer func() {
		for _, name := range r.files {
			os.Remove(name)
		}
		r.files = nil
	}()
	var opened []*os.File
	defer func() {
		for _, f := range opened {
			f.Close()
		}
	}()
	for _, name := range r.files {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("reading back a spilled run: %w", err)
		}
		opened = append(opened, f)
		c := &runCursor[T]{r: bufio.NewReaderSize(f, 1<<16), f: f, buf: make([]byte, r.codec.size)}
		ok, err := c.next(r.codec)
		if err != nil {
			return err
		}
		if ok {
			h.cs = append(h.cs, c)
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		c := h.cs[0]
		yield(c.head)
		ok, err := c.next(r.codec)
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
		}
	}
	return nil
}

// anchorCodec stores an anchorRef in 16 bytes.
var anchorCodec = recordCodec[anchorRef]{
	size: 16,
	put: func(b []byte, x anchorRef) {
		binary.LittleEndian.PutUint64(b, x.hash)
		binary.LittleEndian.PutUint32(b[8:], uint32(x.doc))
		binary.LittleEndian.PutUint32(b[12:], uint32(x.nb))
	},
	get: func(b []byte) anchorRef {
		return anchorRef{binary.LittleEndian.Uint64(b), int32(binary.LittleEndian.Uint32(b[8:])), int32(binary.LittleEndian.Uint32(b[12:]))}
	},
}

func compareAnchorRefs(x, y anchorRef) int { return compare3(x.hash, y.hash, x.doc, y.doc, x.nb, y.nb) }

// seedClauseCodec stores a seedClause in 25 bytes.
var seedClauseCodec = recordCodec[seedClause]{
	size: 25,
	put: func(b []byte, x seedClause) {
		binary.LittleEndian.PutUint64(b, x.hash)
		binary.LittleEndian.PutUint64(b[8:], x.fp)
		binary.LittleEndian.PutUint32(b[16:], uint32(x.ref.doc))
		binary.LittleEndian.PutUint32(b[20:], uint32(x.ref.idx))
		b[24] = 0
		if x.near {
			b[24] = 1
		}
	},
	get: func(b []byte) seedClause {
		return seedClause{
			hash: binary.LittleEndian.Uint64(b), fp: binary.LittleEndian.Uint64(b[8:]),
			ref:  clauseRef{int32(binary.LittleEndian.Uint32(b[16:])), int32(binary.LittleEndian.Uint32(b[20:]))},
			near: b[24] == 1,
		}
	},
}
