package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/internal/parallel"
)

// A delta is a small file beside the index (DeltaFile) that holds what changed since the
// index was written, as git's split index does: the entries and seed clauses of the files
// added or changed since, and the paths of the main entries it masks (removed, or replaced
// by a delta entry). It names the main index it extends by the main file's length, final
// checksum and write time; a delta of another main file is stale and ignored (a run killed
// between writing a new main file and removing the delta leaves one). An index opened with
// a delta is the union of both: every query (candidates, document frequencies, entries by
// path, documents, change detection) sees the main entries that are not masked and the
// delta's. A check that finds a few files added, changed or removed writes a delta of
// them instead of the whole index, so its cost does not grow with the corpus; the delta is
// folded into a new main file when it grows past foldShare of the entries (and
// foldMinEntries) or foldBytes,
// when the slogans are due to be mined again, and by every neardup index.
//
// Its layout, integers little-endian:
//
//	magic    8 bytes "NEARDUPD"
//	version  uint32  deltaVersion
//	length   uint64  of the whole file
//	main     length uint64, crc uint32 (the main file's last four bytes), written int64
//	masked   count uvarint, then the masked main paths (strings), sorted
//	delta    uvarint length, then an index in the main format (Encode) holding the delta's
//	         entries and clauses (document frequencies among the delta's own documents),
//	         the folders as the last walk stamped them, its time as Written and the
//	         union's count of documents changed since the slogans were mined
//	crc      uint32  CRC-32C of everything before it
//
// Document frequencies: the union's DF of a clause hash h is the main file's DF of h, minus
// the masked main documents holding h, plus the delta's documents holding h: exactly the
// DF a full rebuild of the same entries counts, so that stock-phrase decisions are the same.
const (
	deltaMagic   = "NEARDUPD"
	deltaVersion = 1
	// foldShare is the share of the main file's entries that the delta may hold (entries
	// and masked paths together) before a check folds it into a new main file; foldBytes is
	// the size it may reach. A delta is read whole by every check and its tables are not
	// fanned out for a large corpus: a few megabytes keep that under a few milliseconds.
	foldShare = 0.1
	foldBytes = 8 << 20
)

// foldMinEntries is how many entries and masked paths a delta may hold whatever the size of
// its main file: rewriting a small index costs little, but folding at every commit would
// leave no test of the delta on a small corpus.
var foldMinEntries = 64

// DeltaFile is the delta file of the index file.
func DeltaFile(file string) string { return file + ".delta" }

// deltaPart is what an index opened with a delta knows of it.
type deltaPart struct {
	x      *Index   // the delta's entries, folders and clauses; x.v its view
	masked []string // the main paths it masks, sorted
	raw    []byte   // the delta file

	maskedIdx map[int]bool // the main entries it masks
	// maskedHashes holds, sorted, the seed clause hashes of each masked main document, once
	// per document: how many masked documents hold a hash is the length of its run.
	maskedHashes []uint64
	maskedDocs   int // masked main entries that are documents
	racy         int // racily clean entries and folders of the union
}

// adjust is what the delta changes in the main file's document frequency of a clause hash:
// the delta's documents holding it, less the masked main documents holding it. Both are
// looked up, not tabled, so that opening a delta of thousands of documents costs little.
func (p *deltaPart) adjust(hash uint64) int {
	n := 0
	p.x.v.clausesWithHash(hash, func(c int) bool { n = p.x.v.clauseDF(c); return false })
	lo, _ := slices.BinarySearch(p.maskedHashes, hash)
	hi := lo
	for hi < len(p.maskedHashes) && p.maskedHashes[hi] == hash {
		hi++
	}
	return n - (hi - lo)
}

// mainID is what names a main index file in a delta.
type mainID struct {
	length  uint64
	crc     uint32
	written int64
}

func idOf(data []byte, h *Head) mainID {
	return mainID{uint64(len(data)), binary.LittleEndian.Uint32(data[len(data)-4:]), h.Written}
}

// encodeDelta lays out a delta file.
func encodeDelta(id mainID, masked []string, dx *Index) []byte {
	out := []byte(deltaMagic)
	out = binary.LittleEndian.AppendUint32(out, deltaVersion)
	out = binary.LittleEndian.AppendUint64(out, 0)
	out = binary.LittleEndian.AppendUint64(out, id.length)
	out = binary.LittleEndian.AppendUint32(out, id.crc)
	out = binary.LittleEndian.AppendUint64(out, uint64(id.written))
	out = binary.AppendUvarint(out, uint64(len(masked)))
	for _, p := range masked {
		out = appendString(out, p)
	}
	body := Encode(nil, dx)
	out = binary.AppendUvarint(out, uint64(len(body)))
	out = append(out, body...)
	binary.LittleEndian.PutUint64(out[12:], uint64(len(out)+4))
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, castagnoli))
}

// errStaleDelta says that a delta extends another main file than the one beside it.
var errStaleDelta = errors.New("stale delta")

// parseDelta reads a delta file for the main index x (from Open), verifying all of it.
func parseDelta(x *Index, raw []byte) (*deltaPart, error) {
	if len(raw) < 8+4+8+20+4 || string(raw[:8]) != deltaMagic {
		return nil, fmt.Errorf("%w: not a neardup index delta", ErrDamaged)
	}
	if v := binary.LittleEndian.Uint32(raw[8:]); v != deltaVersion {
		return nil, fmt.Errorf("%w: delta version %d, this neardup reads %d", ErrDamaged, v, deltaVersion)
	}
	if n := binary.LittleEndian.Uint64(raw[12:]); n != uint64(len(raw)) {
		return nil, fmt.Errorf("%w: the delta is %d bytes, its header says %d", ErrDamaged, len(raw), n)
	}
	if crc32.Checksum(raw[:len(raw)-4], castagnoli) != binary.LittleEndian.Uint32(raw[len(raw)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch in the delta", ErrDamaged)
	}
	id := mainID{binary.LittleEndian.Uint64(raw[20:]), binary.LittleEndian.Uint32(raw[28:]), int64(binary.LittleEndian.Uint64(raw[32:]))}
	if id != idOf(x.v.data, x.v.h) {
		return nil, errStaleDelta
	}
	d := decoder{buf: raw[40 : len(raw)-4]}
	masked := make([]string, d.count(1))
	for i := range masked {
		masked[i] = d.str()
	}
	body := d.bytes(d.size())
	if d.err != nil || len(d.buf) != 0 {
		return nil, fmt.Errorf("%w: the delta is unreadable", ErrDamaged)
	}
	dx, err := Decode(body)
	if err != nil {
		return nil, fmt.Errorf("delta: %w", err)
	}
	h, err := decodeHead(body)
	if err != nil {
		return nil, fmt.Errorf("delta: %w", err)
	}
	if dx.v, err = newView(body, h); err != nil {
		return nil, fmt.Errorf("delta: %w", err)
	}
	if dx.Settings != x.Settings || dx.Root != x.Root || !slices.Equal(dx.Roots, x.Roots) || dx.NoIgnoreVCS != x.NoIgnoreVCS {
		return nil, fmt.Errorf("%w: the delta was made with other settings than its index", ErrDamaged)
	}
	p := &deltaPart{x: dx, masked: masked, raw: raw, maskedIdx: map[int]bool{}}

	// What the union counts: the main file's figures, less the masked entries', plus the
	// delta's.
	v := x.v
	mainWritten := v.h.Written
	racyMain := v.h.racy
	if dirs, err := v.dirs(); err == nil {
		for i := range dirs {
			if dirs[i].modTime >= mainWritten-racyWindow(dirs[i].modTime) {
				racyMain-- // superseded by the delta's folders
			}
		}
	}
	for _, path := range masked {
		i := v.find(path)
		if i < 0 {
			continue
		}
		e, err := v.entry(i)
		if err != nil {
			return nil, err
		}
		p.maskedIdx[i] = true
		if e.Skip == "" {
			p.maskedDocs++
		}
		if e.ModTime >= mainWritten-racyWindow(e.ModTime) {
			racyMain--
		}
		// Each masked document counts once per hash: its hashes, sorted and made unique.
		from := len(p.maskedHashes)
		for c := e.FirstClause; c < e.FirstClause+e.NumClauses; c++ {
			p.maskedHashes = append(p.maskedHashes, v.clauseHash(int(c)))
		}
		doc := p.maskedHashes[from:]
		slices.Sort(doc)
		p.maskedHashes = append(p.maskedHashes[:from], slices.Compact(doc)...)
	}
	slices.Sort(p.maskedHashes)
	if err := v.Err(); err != nil {
		return nil, err
	}
	n, _ := dx.Racy()
	p.racy = racyMain + n
	return p, nil
}

// readDelta reads the delta of the index file beside the mapped x, if there is one that
// extends it: nil when there is none, or a stale one.
func readDelta(file string, x *Index) (*deltaPart, error) {
	raw, err := os.ReadFile(DeltaFile(file))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading index delta %s: %w", DeltaFile(file), err)
	}
	var p *deltaPart
	if gerr := guard(func() error { p, err = parseDelta(x, raw); return nil }); gerr != nil {
		return nil, gerr
	}
	if errors.Is(err, errStaleDelta) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading index delta %s: %w; rebuild the index with neardup index", DeltaFile(file), err)
	}
	return p, nil
}

// withDelta makes x (from Open) the union of itself and p.
func (x *Index) withDelta(p *deltaPart) {
	x.d = p
	x.Written = p.x.Written
	x.SlogansStale = p.x.SlogansStale
}

// HasDelta reports whether x was read with a delta (see DeltaFile): writing x whole folds it.
func (x *Index) HasDelta() bool { return x.d != nil || x.folded }

// DeltaDue reports whether the delta of x has grown enough to be folded into a new main
// file (see foldShare and foldBytes), or the slogans are due to be mined again, which only
// a full update does.
func (x *Index) DeltaDue() bool {
	if x.d == nil {
		return false
	}
	n := len(x.d.x.Entries) + len(x.d.masked)
	return n > foldMinEntries && float64(n) > foldShare*float64(x.v.h.entries) || len(x.d.raw) > foldBytes || x.slogansDue()
}

// merged decodes the main file of the union x whole and applies its delta: the index a full
// update would have written.
func (x *Index) merged() (*Index, error) {
	y, err := decodeGuarded(x.v.data)
	if err != nil {
		return nil, err
	}
	return mergeDelta(y, x.d), nil
}

// mergeDelta applies the delta p to the decoded main index y.
func mergeDelta(y *Index, p *deltaPart) *Index {
	masked := map[string]bool{}
	for _, m := range p.masked {
		masked[m] = true
	}
	var all []builtEntry
	for i := range y.Entries {
		if e := &y.Entries[i]; !masked[e.Path] {
			all = append(all, builtEntry{*e, y.Clauses(e)})
		}
	}
	for i := range p.x.Entries {
		e := &p.x.Entries[i]
		all = append(all, builtEntry{*e, p.x.Clauses(e)})
	}
	slices.SortFunc(all, func(a, b builtEntry) int { return strings.Compare(a.e.Path, b.e.Path) })
	out := &Index{Settings: y.Settings, Root: y.Root, Roots: y.Roots, NoIgnoreVCS: y.NoIgnoreVCS, Written: p.x.Written, Dirs: p.x.Dirs,
		Slogans: y.Slogans, SlogansMined: y.SlogansMined, SlogansStale: p.x.SlogansStale, folded: true}
	out.setEntries(all, true)
	return out
}

// WriteDelta writes the delta of x (from UpdateDelta) beside the index file, atomically;
// the caller holds the Lock.
func (x *Index) WriteDelta(file string) error {
	if x.d == nil {
		return errors.New("index: no delta to write")
	}
	return atomicfile.Write(DeltaFile(file), 0o644, func(w io.Writer) error {
		_, err := w.Write(x.d.raw)
		return err
	})
}

// UpdateDelta brings x, an index from Open (with or without a delta), up to date with the
// files on disk as Update does, walking and stating every file and reading those whose
// stamps changed or were racily clean, but returns the changes as a new delta over x's main
// file, not as a whole index: the result is the union of the main file and that delta, to
// be written with WriteDelta, or, when DeltaDue, folded by Update and Write. x must have
// opt.Settings and opt.NoIgnoreVCS; x is not modified.
func UpdateDelta(x *Index, opt Options) (*Index, *Stats, error) {
	if x.v == nil || !x.lazy() || x.Settings != opt.Settings || x.NoIgnoreVCS != opt.NoIgnoreVCS {
		return nil, nil, errors.New("index: UpdateDelta takes an index from Open with the current settings and its own walk")
	}
	st := &Stats{}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, nil, err
	}
	written := time.Now().UnixNano()
	copt := corpus.Options{Encoding: opt.Settings.Encoding, MaxFileSize: opt.MaxFileSize, Warn: opt.Warn,
		NoIgnoreVCS: opt.NoIgnoreVCS, Ignored: func(string, int) {}}
	walk := make([]string, len(opt.Roots))
	for i, r := range opt.Roots {
		walk[i] = opt.abs(r)
	}
	v := x.v
	var old *Index // the delta so far
	maskedIdx := map[int]bool{}
	masked := map[string]bool{}
	oldDirs, oldWritten := []DirStamp(nil), v.h.Written
	if x.d != nil {
		old, maskedIdx = x.d.x, x.d.maskedIdx
		for _, m := range x.d.masked {
			masked[m] = true
		}
		oldDirs, oldWritten = old.Dirs, old.Written
	} else if oldDirs, err = v.dirs(); err != nil {
		return nil, nil, err
	}
	// The folders are stamped before their files are looked at, as Update stamps them.
	c := &collected{st: st, masked: masked}
	byFolder := len(oldDirs) > 0
	for _, r := range walk {
		if fi, err := os.Stat(r); err != nil || !fi.IsDir() {
			byFolder = false
		}
	}
	var dirs []DirStamp
	if byFolder {
		if dirs, err = dirStampsSince(walk, &opt, oldDirs, oldWritten); err == nil {
			err = c.byFolder(x, old, maskedIdx, dirs, oldDirs, oldWritten, &opt)
		}
	} else if dirs, err = dirStamps(walk, &opt); err == nil {
		err = c.walkAll(x, old, maskedIdx, walk, &opt, copt)
	}
	if err != nil {
		return nil, nil, err
	}
	keep, jobs := c.keep, c.jobs
	parallel.For(len(jobs), opt.Jobs, func(i int) {
		j := jobs[i]
		if j.old != nil && j.oldClauses == nil && j.fromMain {
			j.oldClauses = mainClauses(v, j.old)
		}
		j.out.e, j.out.clauses, j.err = readEntry(j.src, j.rel, j.fi, j.old, j.oldClauses, opt.Settings, copt)
	})
	probe := &Index{Written: written}
	for _, j := range jobs {
		switch {
		case errors.Is(j.err, fs.ErrNotExist):
			if j.old != nil {
				st.Removed = append(st.Removed, j.rel)
				if j.fromMain {
					masked[j.rel] = true
				}
			}
			continue
		case j.err != nil:
			return nil, nil, j.err
		}
		st.tally(j.rel, j.old, &j.out.e, func() bool { return j.oldWasRacy && !probe.racy(&j.out.e) })
		// Every entry read again goes into the delta, so that it is judged racy or not by
		// the time of this walk, as a full update judges it.
		if j.fromMain {
			masked[j.rel] = true
		}
		keep = append(keep, j.out)
	}
	slices.Sort(st.Added)
	slices.Sort(st.Changed)
	slices.Sort(st.Removed)
	st.Removed = slices.Compact(st.Removed)
	slices.SortFunc(keep, func(a, b builtEntry) int { return strings.Compare(a.e.Path, b.e.Path) })

	dx := &Index{Settings: x.Settings, Root: root, Roots: slices.Clone(x.Roots), NoIgnoreVCS: x.NoIgnoreVCS, Written: written, Dirs: dirs,
		SlogansMined: x.SlogansMined, SlogansStale: x.SlogansStale + len(st.Added) + len(st.Changed) + len(st.Removed)}
	st.Folders = !sameDirs(&Index{Dirs: oldDirs, Written: oldWritten}, dx)
	dx.setEntries(keep, true)
	maskedList := make([]string, 0, len(masked))
	for m := range masked {
		maskedList = append(maskedList, m)
	}
	slices.Sort(maskedList)
	raw := encodeDelta(idOf(v.data, v.h), maskedList, dx)
	y := &Index{Settings: x.Settings, Root: x.Root, Roots: x.Roots, NoIgnoreVCS: x.NoIgnoreVCS, SlogansMined: x.SlogansMined, v: v}
	p, err := parseDelta(y, raw)
	if err != nil {
		return nil, nil, err
	}
	y.withDelta(p)
	return y, st, nil
}

// mainClause reads clause c of the mapped main file whole.
func mainClause(v *view, c int) Clause {
	start := int32(v.u32(secClauses, 20*v.h.clauses+4*c))
	return Clause{
		Start: start,
		End:   start + int32(v.u32(secClauses, 24*v.h.clauses+4*c)),
		Hash:  v.clauseHash(c),
		FP:    v.u64(secClauses, 8*v.h.clauses+8*c),
		DF:    int32(v.clauseDF(c)),
	}
}
