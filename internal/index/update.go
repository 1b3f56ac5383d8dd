package index

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/neardup/neardup/internal/corpus"
	"github.com/neardup/neardup/internal/match"
	"github.com/neardup/neardup/internal/parallel"
)

// Options say what an index covers and how to read it.
type Options struct {
	Root  string   // folder that entry paths are relative to
	Roots []string // files and folders to walk: slash paths relative to Root, or absolute
	// Match, when set, keeps only the files whose slash path relative to Root it accepts.
	Match       func(rel string) bool
	Settings    Settings
	MaxFileSize int64            // as corpus.Options
	Jobs        int              // files read and fingerprinted at once
	Warn        func(msg string) // skipped files; may be nil
}

// Stats says what an Update did. The path lists are sorted.
type Stats struct {
	Rebuilt bool // the old index was made with other settings and was discarded
	Added   []string
	Changed []string // content changed, fingerprinted again
	Removed []string
	// Touched files had a new size or time but the same content hash: only their
	// recorded size and time were updated.
	Touched   int
	Unchanged int
}

// Modified reports whether the new index differs from the old one.
func (s *Stats) Modified() bool {
	return s.Rebuilt || len(s.Added)+len(s.Changed)+len(s.Removed)+s.Touched > 0
}

// Update walks the roots and returns an index of them, reusing what old (which may be nil)
// knows about unchanged files. old is not modified.
func Update(old *Index, opt Options) (*Index, *Stats, error) {
	st := &Stats{}
	if old != nil && old.Settings != opt.Settings {
		old, st.Rebuilt = nil, true
	}
	x := &Index{Settings: opt.Settings, Roots: slices.Clone(opt.Roots), Written: time.Now().UnixNano()}
	copt := corpus.Options{Encoding: opt.Settings.Encoding, MaxFileSize: opt.MaxFileSize, Warn: opt.Warn}

	walk := make([]string, len(opt.Roots))
	for i, r := range opt.Roots {
		walk[i] = opt.abs(r)
	}
	srcs, _, err := corpus.Files(walk, copt)
	if err != nil {
		return nil, nil, err
	}

	type job struct {
		src corpus.Source
		rel string
		fi  fs.FileInfo
		old *Entry
		out Entry
		err error
	}
	var jobs []*job
	seen := make(map[string]bool, len(srcs))
	x.Entries = make([]Entry, 0, len(srcs))
	for _, src := range srcs {
		rel := opt.rel(src.Path)
		if seen[rel] || (opt.Match != nil && !opt.Match(rel)) {
			continue
		}
		seen[rel] = true
		fi, err := os.Stat(src.Path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // gone since the walk
			}
			return nil, nil, fmt.Errorf("reading %s: %w", src.Path, err)
		}
		var prev *Entry
		if old != nil {
			prev = old.Find(rel)
		}
		if prev != nil && prev.Size == fi.Size() && prev.ModTime == fi.ModTime().UnixNano() && !old.racy(prev) {
			x.Entries = append(x.Entries, *prev)
			st.Unchanged++
			continue
		}
		jobs = append(jobs, &job{src: src, rel: rel, fi: fi, old: prev})
	}

	parallel.For(len(jobs), opt.Jobs, func(i int) {
		j := jobs[i]
		j.out, j.err = readEntry(j.src, j.rel, j.fi, j.old, opt.Settings, copt)
	})
	for _, j := range jobs {
		switch {
		case errors.Is(j.err, fs.ErrNotExist):
			continue
		case j.err != nil:
			return nil, nil, j.err
		case j.old == nil:
			st.Added = append(st.Added, j.rel)
		case j.old.Hash != j.out.Hash:
			st.Changed = append(st.Changed, j.rel)
		case j.old.Size != j.out.Size || j.old.ModTime != j.out.ModTime:
			st.Touched++
		default:
			st.Unchanged++
		}
		x.Entries = append(x.Entries, j.out)
	}
	slices.SortFunc(x.Entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	if old != nil {
		for i := range old.Entries {
			if !seen[old.Entries[i].Path] {
				st.Removed = append(st.Removed, old.Entries[i].Path)
			}
		}
	}
	slices.Sort(st.Added)
	slices.Sort(st.Changed)
	if st.Modified() {
		countDF(x.Entries)
	}
	return x, st, nil
}

// readEntry reads one file and fingerprints it, or carries over old's fingerprints when
// the content is the same.
func readEntry(src corpus.Source, rel string, fi fs.FileInfo, old *Entry, set Settings, copt corpus.Options) (Entry, error) {
	e := Entry{Path: rel, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	data, err := os.ReadFile(src.Path)
	if err != nil {
		return e, fmt.Errorf("reading %s: %w", src.Path, err)
	}
	e.Hash = sha256.Sum256(data)
	if old != nil && old.Hash == e.Hash {
		e.Skip, e.FP, e.Features, e.Clauses = old.Skip, old.FP, old.Features, old.Clauses
		return e, nil
	}
	doc, skip, err := corpus.Read(src, nil, copt)
	if err != nil {
		return e, err
	}
	if skip != nil {
		e.Skip = skip.Reason
		return e, nil
	}
	p := match.Print(doc.Text, match.Options{N: set.N})
	e.FP, e.Features = p.FP, int32(p.Features)
	for _, c := range p.Clauses {
		if c.Seed {
			e.Clauses = append(e.Clauses, Clause{Start: int32(c.Start), End: int32(c.End), Hash: c.Hash, FP: c.FP})
		}
	}
	return e, nil
}

// countDF sets the document frequency of every seed clause.
func countDF(entries []Entry) {
	type df struct{ docs, last int32 }
	counts := map[uint64]df{}
	for i := range entries {
		for _, c := range entries[i].Clauses {
			v, ok := counts[c.Hash]
			if !ok || v.last != int32(i) {
				v.docs++
				v.last = int32(i)
				counts[c.Hash] = v
			}
		}
	}
	for i := range entries {
		cs := entries[i].Clauses
		for j := range cs {
			cs[j].DF = counts[cs[j].Hash].docs
		}
	}
}

func (opt *Options) abs(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(opt.Root, p)
}

// rel names a file in the index: relative to Root when inside it, else absolute.
func (opt *Options) rel(p string) string {
	// The walk joins Root with clean relative paths: cutting the prefix is enough, and
	// much cheaper than filepath.Rel over ten thousand files.
	if r, ok := strings.CutPrefix(p, opt.Root+string(filepath.Separator)); ok && filepath.IsLocal(r) && filepath.Clean(r) == r {
		return filepath.ToSlash(r)
	}
	if r, err := filepath.Rel(opt.Root, p); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	if abs, err := filepath.Abs(p); err == nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(p)
}

// Path returns the file of an entry path: Root joined with it.
func (opt *Options) Path(rel string) string { return opt.abs(rel) }

// Lock takes the lock of the index file (file + ".lock"), waiting for another writer to
// finish. The lock file stays; removing it would let a third process lock a new file
// while the second still holds the old one.
func Lock(file string) (unlock func() error, err error) {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return nil, fmt.Errorf("locking index %s: %w", file, err)
	}
	fl := flock.New(file + ".lock")
	if err := fl.Lock(); err != nil {
		return nil, fmt.Errorf("locking index %s: %w", file, err)
	}
	return fl.Unlock, nil
}

// Unchanged reports, cheaply, whether the files under the roots are exactly the indexed
// ones, with the same sizes and times. It reads no file and takes one lstat per file,
// spread over opt.Jobs goroutines, which makes it several times cheaper than an Update
// that finds nothing to do. It follows the walk rules of corpus.Files (hidden entries left
// out, empty and too large files skipped) but only as a shortcut: false means "maybe
// changed", and Update decides.
func (x *Index) Unchanged(opt Options) bool {
	var files []string
	for _, r := range x.Roots {
		root := opt.abs(r)
		fi, err := os.Stat(root)
		if err != nil {
			return false
		}
		if !fi.IsDir() {
			files = append(files, root)
			continue
		}
		if !listFiles(root, &files) {
			return false
		}
	}
	maxSize := opt.MaxFileSize
	if maxSize <= 0 {
		maxSize = corpus.MaxFileSize
	}
	// Each worker checks a contiguous share of the files.
	jobs := max(1, min(opt.Jobs, len(files)/512))
	results := make([]int, jobs) // documents matched; -1 on a difference
	var wg sync.WaitGroup
	for w := range jobs {
		wg.Go(func() {
			lo, hi := w*len(files)/jobs, (w+1)*len(files)/jobs
			n := 0
			for _, f := range files[lo:hi] {
				fi, err := os.Lstat(f)
				if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
					fi, err = os.Stat(f)
				}
				if err != nil || !fi.Mode().IsRegular() {
					results[w] = -1
					return
				}
				if fi.Size() == 0 || fi.Size() > maxSize {
					continue
				}
				rel := opt.rel(f)
				if opt.Match != nil && !opt.Match(rel) {
					continue
				}
				e := x.Find(rel)
				if e == nil || e.Size != fi.Size() || e.ModTime != fi.ModTime().UnixNano() || x.racy(e) {
					results[w] = -1
					return
				}
				n++
			}
			results[w] = n
		})
	}
	wg.Wait()
	total := 0
	for _, n := range results {
		if n < 0 {
			return false
		}
		total += n
	}
	return total == len(x.Entries)
}

// listFiles appends the non-hidden entries that are not folders under dir, recursively.
func listFiles(dir string, files *[]string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	ents, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return false
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		if e.IsDir() {
			if !listFiles(p, files) {
				return false
			}
			continue
		}
		*files = append(*files, p)
	}
	return true
}
