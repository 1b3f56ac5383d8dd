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
	"time"

	"github.com/gofrs/flock"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/match"
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
	// Settle makes Update wait, when files were modified in the last moments before it
	// started (a git clone, a copy), until their times can be trusted, and hash them again:
	// the index it returns then has no racily clean entry for every later check to re-read.
	// The wait is at most two seconds, and usually a tenth of one.
	Settle bool
	// NoIgnoreVCS, as corpus.Options, also indexes what .gitignore leaves out; the index
	// records it (Index.NoIgnoreVCS).
	NoIgnoreVCS bool
	// Quick makes Open's verdict look at the indexed folders instead of every file: see
	// QuickUnchanged.
	Quick bool
	// NoSlogans keeps Update from mining the corpus's slogans (Index.Slogans): an index
	// without them still knows the clauses in many documents as stock phrases.
	NoSlogans bool
}

// Stats says what an Update did. The path lists are sorted.
type Stats struct {
	Rebuilt bool // the old index was made with other settings and was discarded
	Added   []string
	Changed []string // content changed, fingerprinted again
	Removed []string
	// Touched files had new stamps (size, times, inode) but the same content hash: only
	// what the index records of them was updated.
	Touched int
	// Settled files were racily clean in the old index and no longer are: their content was
	// hashed again and found the same, and the new index trusts their stamps.
	Settled   int
	Unchanged int
	// Folders says that the folders' stamps changed (a file the index leaves out came or
	// went, or a folder settled): the index is written so that QuickUnchanged trusts it.
	Folders bool
	// Mined says that the slogans were mined from the whole corpus: the index is new, or
	// more than a tenth of its documents changed since they last were.
	Mined bool
	// Folded says that the old index was read with a delta (see DeltaFile): the new one,
	// written whole, takes it in.
	Folded bool
}

// Modified reports whether the new index differs from the old one, and so should be written.
func (s *Stats) Modified() bool {
	return s.ContentChanged() || s.Touched+s.Settled > 0 || s.Folders || s.Mined || s.Folded
}

// ContentChanged reports whether documents were added, changed or removed: whether a
// search of the new index can find other things than a search of the old one.
func (s *Stats) ContentChanged() bool {
	return s.Rebuilt || len(s.Added)+len(s.Changed)+len(s.Removed) > 0
}

// Update walks the roots and returns an index of them, reusing what old (which may be nil)
// knows about unchanged files. old is not modified.
func Update(old *Index, opt Options) (*Index, *Stats, error) {
	x, st, err := update(old, opt)
	if err != nil || !opt.Settle {
		return x, st, err
	}
	n, wait := x.Racy()
	if n == 0 {
		return x, st, nil
	}
	time.Sleep(wait)
	y, again, err := update(x, opt)
	if err != nil {
		return nil, nil, err
	}
	// What changed in between is reported with the rest; a file seen twice counts once.
	st.Added = mergeSorted(st.Added, again.Added)
	st.Changed = mergeSorted(st.Changed, again.Changed)
	st.Removed = mergeSorted(st.Removed, again.Removed)
	st.Touched += again.Touched
	st.Settled += again.Settled
	st.Folders = st.Folders || again.Folders
	st.Mined = st.Mined || again.Mined
	return y, st, nil
}

// tally counts an entry read again (old is what the index had, nil for a new file) as added,
// changed, touched (new stamps, same content), settled (no longer racily clean) or unchanged.
func (st *Stats) tally(rel string, old, now *Entry, settled func() bool) {
	switch {
	case old == nil:
		st.Added = append(st.Added, rel)
	case old.Hash != now.Hash:
		st.Changed = append(st.Changed, rel)
	case !old.sameStamps(&fileStat{size: now.Size, modTime: now.ModTime, cTime: now.CTime, ino: now.Ino, dev: now.Dev}):
		st.Touched++
	case settled():
		st.Settled++
	default:
		st.Unchanged++
	}
}

func mergeSorted(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

func update(old *Index, opt Options) (*Index, *Stats, error) {
	st := &Stats{}
	if old != nil {
		var err error
		if old, err = old.full(); err != nil {
			return nil, nil, err
		}
	}
	st.Folded = old != nil && old.HasDelta()
	if old != nil && old.Settings != opt.Settings {
		old, st.Rebuilt = nil, true
	}
	root, err := filepath.Abs(opt.Root)
	if err != nil {
		return nil, nil, err
	}
	x := &Index{Settings: opt.Settings, Root: root, Roots: slices.Clone(opt.Roots), NoIgnoreVCS: opt.NoIgnoreVCS, Written: time.Now().UnixNano()}
	// The index holds the corpus as git sees it: what git ignores is not worth a warning.
	copt := corpus.Options{Encoding: opt.Settings.Encoding, MaxFileSize: opt.MaxFileSize, Warn: opt.Warn,
		NoIgnoreVCS: opt.NoIgnoreVCS, Ignored: func(string, int) {}}

	walk := make([]string, len(opt.Roots))
	for i, r := range opt.Roots {
		walk[i] = opt.abs(r)
	}
	// The folders are stamped before their files are listed: a file added while the walk
	// runs leaves its folder newer than the index's start, so the folder is racy and the
	// next QuickUnchanged looks at every file.
	if x.Dirs, err = dirStamps(walk, &opt); err != nil {
		return nil, nil, err
	}
	srcs, _, err := corpus.Files(walk, copt)
	if err != nil {
		return nil, nil, err
	}

	// An entry is built with its clauses beside it; the clause table is assembled at the
	// end, in path order.
	type job struct {
		src corpus.Source
		rel string
		fi  fs.FileInfo
		old *Entry
		out builtEntry
		err error
	}
	var jobs []*job
	entries := make([]builtEntry, 0, len(srcs))
	files, err := statSources(srcs, &opt)
	if err != nil {
		return nil, nil, err
	}
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		src, rel, fi := f.src, f.rel, f.fi
		seen[rel] = true
		var prev *Entry
		if old != nil {
			prev = old.Find(rel)
		}
		if now := statOf(fi); prev != nil && prev.sameStamps(&now) && !old.racy(prev) {
			entries = append(entries, builtEntry{*prev, old.Clauses(prev)})
			st.Unchanged++
			continue
		}
		jobs = append(jobs, &job{src: src, rel: rel, fi: fi, old: prev})
	}

	parallel.For(len(jobs), opt.Jobs, func(i int) {
		j := jobs[i]
		var prevClauses []Clause
		if j.old != nil {
			prevClauses = old.Clauses(j.old)
		}
		j.out.e, j.out.clauses, j.err = readEntry(j.src, j.rel, j.fi, j.old, prevClauses, opt.Settings, copt)
	})
	for _, j := range jobs {
		switch {
		case errors.Is(j.err, fs.ErrNotExist):
			continue
		case j.err != nil:
			return nil, nil, j.err
		}
		st.tally(j.rel, j.old, &j.out.e, func() bool { return old.racy(j.old) && !x.racy(&j.out.e) })
		entries = append(entries, j.out)
	}
	slices.SortFunc(entries, func(a, b builtEntry) int { return strings.Compare(a.e.Path, b.e.Path) })
	if old != nil {
		for i := range old.Entries {
			if !seen[old.Entries[i].Path] {
				st.Removed = append(st.Removed, old.Entries[i].Path)
			}
		}
	}
	slices.Sort(st.Added)
	slices.Sort(st.Changed)
	st.Folders = old != nil && !sameDirs(old, x)
	x.setEntries(entries, st.ContentChanged())
	if old != nil {
		x.Slogans, x.SlogansMined = old.Slogans, old.SlogansMined
		x.SlogansStale = old.SlogansStale + len(st.Added) + len(st.Changed) + len(st.Removed)
	}
	if !opt.NoSlogans && (old == nil || x.slogansDue()) {
		if x.Slogans, err = mineSlogans(x, &opt, copt); err != nil {
			return nil, nil, err
		}
		x.SlogansMined, x.SlogansStale, st.Mined = x.Documents(), 0, true
	}
	return x, st, nil
}

// readEntry reads one file and fingerprints it, or carries over old's fingerprints (and
// oldClauses) when the content is the same.
func readEntry(src corpus.Source, rel string, fi fs.FileInfo, old *Entry, oldClauses []Clause, set Settings, copt corpus.Options) (Entry, []Clause, error) {
	now := statOf(fi)
	e := Entry{Path: rel, Size: now.size, ModTime: now.modTime, CTime: now.cTime, Ino: now.ino, Dev: now.dev}
	data, err := os.ReadFile(src.Path)
	if err != nil {
		return e, nil, fmt.Errorf("reading %s: %w", src.Path, err)
	}
	e.Hash = sha256.Sum256(data)
	if old != nil && old.Hash == e.Hash {
		e.Skip, e.FP, e.Features = old.Skip, old.FP, old.Features
		return e, oldClauses, nil
	}
	doc, skip, err := corpus.Read(src, nil, copt)
	if err != nil {
		return e, nil, err
	}
	if skip != nil {
		e.Skip = skip.Reason
		return e, nil, nil
	}
	p := match.Print(doc.Text, match.Options{N: set.N})
	e.FP, e.Features = p.FP, int32(p.Features)
	var clauses []Clause
	for _, c := range p.Clauses {
		if c.Seed {
			clauses = append(clauses, Clause{Start: int32(c.Start), End: int32(c.End), Hash: c.Hash, FP: c.FP})
		}
	}
	return e, clauses, nil
}

// countDF sets the document frequency of every seed clause; clauses[i] are those of
// document i.
// statedFile is a file of the corpus with its path relative to the root and its stat.
type statedFile struct {
	src corpus.Source
	rel string
	fi  fs.FileInfo
}

// statSources states the files the walk found, once per relative path and only those the
// index covers; a file gone since the walk is left out.
func statSources(srcs []corpus.Source, opt *Options) ([]statedFile, error) {
	var files []statedFile
	seen := make(map[string]bool, len(srcs))
	for _, src := range srcs {
		rel := opt.rel(src.Path)
		if seen[rel] || (opt.Match != nil && !opt.Match(rel)) {
			continue
		}
		seen[rel] = true
		fi, err := os.Stat(src.Path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", src.Path, err)
		}
		files = append(files, statedFile{src, rel, fi})
	}
	return files, nil
}

// setEntries makes x's entries and seed clause table from entries in path order, counting
// the clauses' document frequencies again when recount is set.
func (x *Index) setEntries(entries []builtEntry, recount bool) {
	clauses := make([][]Clause, len(entries))
	x.Entries = make([]Entry, len(entries))
	for i := range entries {
		x.Entries[i], clauses[i] = entries[i].e, entries[i].clauses
	}
	if recount {
		countDF(clauses)
	}
	for i, cs := range clauses {
		e := &x.Entries[i]
		e.FirstClause, e.NumClauses = int32(x.Seeds.n), int32(len(cs))
		for _, c := range cs {
			x.Seeds.append(c)
		}
	}
}

func countDF(clauses [][]Clause) {
	type df struct{ docs, last int32 }
	counts := map[uint64]df{}
	for i, cs := range clauses {
		for _, c := range cs {
			v, ok := counts[c.Hash]
			if !ok || v.last != int32(i) {
				v.docs++
				v.last = int32(i)
				counts[c.Hash] = v
			}
		}
	}
	for _, cs := range clauses {
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
// ones, with the same stamps (size, times, inode, device), none of them racily clean. It reads no file and takes one lstat per file,
// spread over opt.Jobs goroutines, which makes it several times cheaper than an Update
// that finds nothing to do. It follows the walk rules of corpus.Files (hidden entries left
// out, empty and too large files skipped) but only as a shortcut: false means "maybe
// changed", and Update decides.
func (x *Index) Unchanged(opt Options) bool {
	y, err := x.full()
	if err != nil {
		return false
	}
	stamps, ok := survey(y.Roots, opt, opt.Jobs)
	return ok && y.matches(stamps)
}

// stamp is what a look at the disk, without reading, says about one file.
type stamp struct {
	rel string
	fileStat
}

// survey stats the files under roots that an index of them would hold, on up to jobs
// goroutines (one folder's files are shared among them). ok is false when something could
// not be listed or stated, or is neither a regular file nor a folder: the caller then
// cannot tell "unchanged" and asks Update.
func survey(roots []string, opt Options, jobs int) (stamps []stamp, ok bool) {
	maxSize := opt.MaxFileSize
	if maxSize <= 0 {
		maxSize = corpus.MaxFileSize
	}
	keep := func(rel string, kind fileKind, size int64) bool {
		return kind == regularFile && size > 0 && size <= maxSize && (opt.Match == nil || opt.Match(rel))
	}
	var dirs []string
	for _, r := range roots {
		root := opt.abs(r)
		fi, err := os.Stat(root)
		switch {
		case err != nil:
			return nil, false
		case fi.IsDir():
			dirs = append(dirs, root)
		case !fi.Mode().IsRegular():
			return nil, false
		default:
			rel := opt.rel(root)
			if keep(rel, regularFile, fi.Size()) {
				stamps = append(stamps, stamp{rel, statOf(fi)})
			}
		}
	}
	for len(dirs) > 0 {
		dir := dirs[len(dirs)-1]
		dirs = dirs[:len(dirs)-1]
		f, err := os.Open(dir)
		if err != nil {
			return nil, false
		}
		names, err := f.Readdirnames(-1)
		if err != nil {
			f.Close()
			return nil, false
		}
		names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, ".") })
		relDir := opt.rel(dir)
		w := max(1, min(jobs, len(names)/512))
		parts := make([][]stamp, w)
		subdirs := make([][]string, w)
		failed := make([]bool, w)
		parallel.For(w, w, func(part int) {
			at := newStatter(f, dir)
			lo, hi := part*len(names)/w, (part+1)*len(names)/w
			out := make([]stamp, 0, hi-lo)
			for _, name := range names[lo:hi] {
				fst, err := at.lstat(name)
				if err == nil && fst.kind == symlink {
					fst, err = at.stat(name)
					if err == nil && fst.kind == directory {
						fst.kind = otherFile // a link to a folder is not walked
					}
				}
				switch {
				case err != nil || fst.kind == otherFile:
					failed[part] = true
					return
				case fst.kind == directory:
					subdirs[part] = append(subdirs[part], filepath.Join(dir, name))
				default:
					rel := childRel(relDir, name)
					if keep(rel, fst.kind, fst.size) {
						out = append(out, stamp{rel, fst})
					}
				}
			}
			parts[part] = out
		})
		f.Close()
		if slices.Contains(failed, true) {
			return nil, false
		}
		stamps = append(stamps, slices.Concat(parts...)...)
		dirs = append(dirs, slices.Concat(subdirs...)...)
	}
	return stamps, true
}

// childRel is opt.rel of a file named name in the folder whose opt.rel is relDir.
func childRel(relDir, name string) string {
	switch {
	case relDir == ".":
		return name
	case strings.HasSuffix(relDir, "/"):
		return relDir + name
	}
	return relDir + "/" + name
}

type fileKind uint8

const (
	regularFile fileKind = iota
	directory
	symlink
	otherFile
)

// matches reports whether stamps are exactly x's entries, none of them racily clean.
func (x *Index) matches(stamps []stamp) bool {
	if len(stamps) != len(x.Entries) {
		return false
	}
	for i := range stamps {
		s := &stamps[i]
		e := x.Find(s.rel)
		if e == nil || !e.sameStamps(&s.fileStat) || x.racy(e) {
			return false
		}
	}
	return true
}

// DirStamp is what the index records of a folder under its roots: a file added to it,
// removed or renamed changes its times.
type DirStamp struct {
	Path string // as Entry.Path
	fileStat
}

// dirStamps stamps every folder under the roots that are folders, hidden ones left out, as
// corpus.Files walks them. Folders that git ignores are stamped too: a change there only
// makes a check look closer.
func dirStamps(roots []string, opt *Options) ([]DirStamp, error) {
	// With nothing recorded, every folder is listed.
	return dirStampsSince(roots, opt, nil, 0)
}

// QuickUnchanged reports whether the indexed folders still hold the indexed files, looking
// at the folders alone: one stat per folder, not per file, so that its cost does not grow
// with the number of documents. A file added, removed or renamed under the roots changes its
// folder's times; an index with racily clean files or folders, or with a root that is a
// file, is not trusted this way and reported as maybe changed. What it does not see is an
// edit in place of an indexed file, which keeps its folder as it was: Unchanged, and every
// Update, see that.
func (x *Index) QuickUnchanged(opt Options) bool {
	dirs := x.Dirs
	if x.d != nil {
		dirs = x.d.x.Dirs
	} else if x.lazy() {
		var err error
		if dirs, err = x.v.dirs(); err != nil {
			return false
		}
	}
	if len(dirs) == 0 {
		return false
	}
	for _, r := range x.Roots {
		if fi, err := os.Stat(opt.abs(r)); err != nil || !fi.IsDir() {
			return false
		}
	}
	if n, _ := x.Racy(); n > 0 {
		return false
	}
	for i := range dirs {
		d := &dirs[i]
		fi, err := os.Stat(opt.abs(d.Path))
		if err != nil || !fi.IsDir() {
			return false
		}
		now := statOf(fi)
		if now.modTime != d.modTime || now.cTime != d.cTime || now.ino != d.ino || now.dev != d.dev {
			return false
		}
	}
	return true
}
