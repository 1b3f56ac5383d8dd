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
	"sync/atomic"

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
	open   []*os.File // files kept open until the folder is removed
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
	for _, f := range s.open {
		f.Close()
	}
	s.open = nil
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

// addAll keeps the runs left in the workers' buffers, sorting them on jobs goroutines, as
// add does: spilled, they leave their room to the stages before the runs are merged. A run
// that cannot be written (no temporary folder) stays in memory: it took no more room than
// a buffer.
func (r *sortedRuns[T]) addAll(runs [][]T, jobs int) {
	parallel.For(len(runs), jobs, func(i int) {
		run := runs[i]
		if len(run) == 0 {
			return
		}
		slices.SortFunc(run, r.cmp)
		name, err := "", error(nil)
		if r.spill != nil {
			name, err = r.write(run)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.filled += len(run)
		if r.spill != nil && err == nil {
			r.files = append(r.files, name)
		} else {
			r.mem = append(r.mem, run)
		}
	})
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
func (r *sortedRuns[T]) merge(yield func(T)) error { return r.walk(yield, false) }

// reread is merge keeping the runs, for a merge again.
func (r *sortedRuns[T]) reread(yield func(T)) error { return r.walk(yield, true) }

func (r *sortedRuns[T]) walk(yield func(T), keep bool) error {
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
	if !keep {
		r.mem = nil
		defer func() {
			for _, name := range r.files {
				os.Remove(name)
			}
			r.files = nil
		}()
	}
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

// clauseStore keeps every document's clauses in one file of the spill folder from the first
// stage on, where memory would hold about 28 bytes per clause (0.8 per byte of text) through
// the whole search: the stages read them back for the documents they work on. Each clause
// takes about 6.5 bytes there, its fields as varints of their distances from the clause
// before. The capped marks that the grouping of clauses sets are kept beside it, a bit per
// clause.
type clauseStore struct {
	file   *spilledFile
	at     []int64 // where document d's clauses are in the file
	size   []int32 // how many bytes they take
	count  []int32 // how many there are
	first  []int64 // the number of d's first clause among all, in document order
	capped []uint64
	err    firstError
	mu     sync.Mutex // guards last, lastDoc
	last   []clause   // the clauses of lastDoc, for clause
	lastID int        // 1 + the document of last
}

// spilledFile is one file of the spill folder that writers append to at once.
type spilledFile struct {
	mu  sync.Mutex
	f   *os.File
	end int64
}

func (s *spilledFile) append(b []byte) (int64, error) {
	s.mu.Lock()
	at := s.end
	s.end += int64(len(b))
	s.mu.Unlock()
	if _, err := s.f.WriteAt(b, at); err != nil {
		return 0, fmt.Errorf("spilling to %s: %w", s.f.Name(), err)
	}
	return at, nil
}

func newClauseStore(spill *spillDir, n int) (*clauseStore, error) {
	f, err := spill.create()
	if err != nil {
		return nil, err
	}
	spill.mu.Lock()
	spill.open = append(spill.open, f)
	spill.mu.Unlock()
	return &clauseStore{file: &spilledFile{f: f}, at: make([]int64, n), size: make([]int32, n), count: make([]int32, n)}, nil
}

// clauseBatch is one writer's clauses not yet written, of the documents docs.
type clauseBatch struct {
	buf  []byte
	docs []int32
	at   []int32 // where each of docs starts in buf
}

// clauseBatchBytes is how much a writer gathers before it writes.
const clauseBatchBytes = 1 << 18

// add encodes the clauses of document d into b and writes b out when it is full.
func (s *clauseStore) add(b *clauseBatch, d int, clauses []clause) error {
	start := len(b.buf)
	var prev clause
	for _, c := range clauses {
		b.buf = binary.AppendVarint(b.buf, int64(c.start-prev.start))
		b.buf = binary.AppendVarint(b.buf, int64(c.end-c.start))
		b.buf = binary.AppendVarint(b.buf, int64(c.nb-prev.nb))
		b.buf = binary.AppendVarint(b.buf, int64(c.ne-c.nb))
		b.buf = binary.AppendVarint(b.buf, int64(c.rs-prev.rs))
		b.buf = binary.AppendVarint(b.buf, int64(c.re-c.rs))
		var flags byte
		if c.seed {
			flags |= 1
		}
		if c.out {
			flags |= 2
		}
		b.buf = append(b.buf, flags)
		prev = c
	}
	s.size[d], s.count[d] = int32(len(b.buf)-start), int32(len(clauses))
	b.docs, b.at = append(b.docs, int32(d)), append(b.at, int32(start))
	if len(b.buf) >= clauseBatchBytes {
		return s.flush(b)
	}
	return nil
}

// flush writes out what b holds.
func (s *clauseStore) flush(b *clauseBatch) error {
	if len(b.buf) == 0 {
		return nil
	}
	at, err := s.file.append(b.buf)
	if err != nil {
		return err
	}
	for k, d := range b.docs {
		s.at[d] = at + int64(b.at[k])
	}
	b.buf, b.docs, b.at = b.buf[:0], b.docs[:0], b.at[:0]
	return nil
}

// written numbers the clauses once every document's are written, for the capped marks.
func (s *clauseStore) written() {
	s.first = make([]int64, len(s.count))
	total := int64(0)
	for d, n := range s.count {
		s.first[d] = total
		total += int64(n)
	}
	s.capped = make([]uint64, (total+63)/64)
}

// subset is the store of the documents reps, renumbered from 0, sharing the file and the marks.
func (s *clauseStore) subset(reps []int) *clauseStore {
	sub := &clauseStore{file: s.file, capped: s.capped,
		at: make([]int64, len(reps)), size: make([]int32, len(reps)), count: make([]int32, len(reps)), first: make([]int64, len(reps))}
	for k, d := range reps {
		sub.at[k], sub.size[k], sub.count[k], sub.first[k] = s.at[d], s.size[d], s.count[d], s.first[d]
	}
	return sub
}

// load returns the clauses of document d, capped marks set, in a new slice; buf is scratch,
// returned for reuse.
func (s *clauseStore) load(d int, buf []byte) ([]clause, []byte, error) {
	buf = slices.Grow(buf[:0], int(s.size[d]))[:s.size[d]]
	if _, err := s.file.f.ReadAt(buf, s.at[d]); err != nil {
		return nil, buf, fmt.Errorf("reading back %s: %w", s.file.f.Name(), err)
	}
	out := make([]clause, s.count[d])
	var prev clause
	b := buf
	next := func() int32 {
		v, n := binary.Varint(b)
		if n <= 0 {
			n = len(b) // a damaged file: the count check below tells
		}
		b = b[n:]
		return int32(v)
	}
	for i := range out {
		c := &out[i]
		c.start = prev.start + next()
		c.end = c.start + next()
		c.nb = prev.nb + next()
		c.ne = c.nb + next()
		c.rs = prev.rs + next()
		c.re = c.rs + next()
		if len(b) == 0 {
			return nil, buf, fmt.Errorf("reading back %s: a run of clauses is cut short", s.file.f.Name())
		}
		c.seed, c.out = b[0]&1 != 0, b[0]&2 != 0
		b = b[1:]
		g := s.first[d] + int64(i)
		c.capped = atomic.LoadUint64(&s.capped[g/64])>>(g%64)&1 != 0
		prev = *c
	}
	return out, buf, nil
}

// markCapped marks clause r capped; it may be called from several goroutines at once.
func (s *clauseStore) markCapped(r clauseRef) {
	g := s.first[r.doc] + int64(r.idx)
	atomic.OrUint64(&s.capped[g/64], 1<<(g%64))
}

// clause returns clause r, read back with the others of its document when it is not the
// last one's asked for. An error is kept for err and gives a zero clause.
func (s *clauseStore) clause(r clauseRef) clause {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastID != int(r.doc)+1 {
		cs, _, err := s.load(int(r.doc), nil)
		if err != nil {
			s.err.set(err)
			return clause{}
		}
		s.last, s.lastID = cs, int(r.doc)+1
	}
	return s.last[r.idx]
}
