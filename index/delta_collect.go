package index

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
)

// builtEntry is an entry with its seed clauses beside it.
type builtEntry struct {
	e       Entry
	clauses []Clause
}

// deltaJob is a file to read again for a delta.
type deltaJob struct {
	src        corpus.Source
	rel        string
	fi         fs.FileInfo
	old        *Entry
	oldClauses []Clause // nil for a main entry: read when the job runs
	fromMain   bool
	oldWasRacy bool
	out        builtEntry
	err        error
}

// collected is what UpdateDelta found to do: the delta entries kept as they are, the files
// to read, and the main paths masked.
type collected struct {
	st     *Stats
	masked map[string]bool
	keep   []builtEntry
	jobs   []*deltaJob
}

// mainClauses reads the seed clauses of main entry e.
func mainClauses(v *view, e *Entry) []Clause {
	out := make([]Clause, e.NumClauses)
	for k := range out {
		out[k] = mainClause(v, int(e.FirstClause)+k)
	}
	return out
}

// remove records that a union entry is gone.
func (c *collected) remove(p string, fromMain bool) {
	c.st.Removed = append(c.st.Removed, p)
	if fromMain {
		c.masked[p] = true
	}
}

// byFolder finds the changes as QuickUnchanged sees them, at a cost that grows with the
// folders that changed, not with the corpus: a folder whose stamps changed since the union
// recorded them (or that was racily clean, or is new) is listed and its files stated again
// (one fstatat each, on opt.Jobs goroutines), as Update would: new files are read, changed
// ones read again, and entries whose files are gone removed; entries under a folder that is
// gone are removed too. Racily clean entries anywhere are read again as Update does. What
// this does not see is an edit in place of a file whose folder kept its stamps (neither does
// a check's look at the folders, which then finds nothing to refresh): neardup index, and
// every fold, walk every file and see it.
func (c *collected) byFolder(x, old *Index, maskedIdx map[int]bool, dirs, oldDirs []DirStamp, oldWritten int64, opt *Options) error {
	v := x.v
	recorded := make(map[string]*DirStamp, len(oldDirs))
	for i := range oldDirs {
		recorded[oldDirs[i].Path] = &oldDirs[i]
	}
	present := make(map[string]bool, len(dirs))
	listed := map[string]map[string]fileStat{} // the files of each changed folder, by name
	for i := range dirs {
		d := &dirs[i]
		present[d.Path] = true
		r := recorded[d.Path]
		if r != nil && r.modTime == d.modTime && r.cTime == d.cTime && r.ino == d.ino && r.dev == d.dev && r.modTime < oldWritten-racyWindow(r.modTime) {
			continue
		}
		files, err := statFolder(opt.abs(d.Path), opt.Jobs)
		if err != nil {
			return err
		}
		listed[d.Path] = files
	}
	parent := func(p string) (dir, name string) {
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			return p[:i], p[i+1:]
		}
		return ".", p
	}
	handled := map[string]bool{}
	// look decides about one union entry: gone, unchanged, or to be read again.
	look := func(e *Entry, fromMain bool, written int64, clauses func() []Clause) error {
		dir, name := parent(e.Path)
		files, changed := listed[dir]
		now, ok := files[name]
		switch {
		case !present[dir] || changed && (!ok || now.kind != regularFile):
			c.remove(e.Path, fromMain)
			return nil
		case changed:
			handled[e.Path] = true
		}
		// Hashed again, as Update does, when its stamps changed or cannot say it is unchanged.
		racy := e.ModTime >= written-racyWindow(e.ModTime)
		if racy || changed && !e.sameStamps(&now) {
			fi, err := os.Stat(opt.abs(e.Path))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				c.remove(e.Path, fromMain)
				return nil
			case err != nil:
				return fmt.Errorf("reading %s: %w", opt.abs(e.Path), err)
			}
			c.jobs = append(c.jobs, &deltaJob{src: corpus.Source{Path: opt.abs(e.Path), Size: fi.Size()}, rel: e.Path, fi: fi,
				old: e, oldClauses: clauses(), fromMain: fromMain, oldWasRacy: racy})
			return nil
		}
		if !fromMain {
			c.keep = append(c.keep, builtEntry{*e, clauses()})
		}
		c.st.Unchanged++
		return nil
	}
	// Main entries are looked at by path alone unless their folder changed or the main file
	// has racily clean entries: a pass over the paths, a few tens of milliseconds at 160,000.
	allMain := v.h.racy > 0
	for i := range v.h.entries {
		if maskedIdx[i] {
			continue
		}
		if !allMain {
			dir, _ := parent(v.entryPath(i))
			if _, changed := listed[dir]; present[dir] && !changed {
				c.st.Unchanged++
				continue
			}
		}
		e, err := v.entry(i)
		if err != nil {
			return err
		}
		if err := look(e, true, v.h.Written, func() []Clause { return nil }); err != nil {
			return err
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	if old != nil {
		for i := range old.Entries {
			e := &old.Entries[i]
			if err := look(e, false, old.Written, func() []Clause { return old.Clauses(e) }); err != nil {
				return err
			}
		}
	}

	// The new files of the changed folders, as corpus.Files would list them.
	maxSize := opt.MaxFileSize
	if maxSize <= 0 {
		maxSize = corpus.MaxFileSize
	}
	for dir, files := range listed {
		var fresh []string
		for name, now := range files {
			rel := childRel(dir, name)
			if !handled[rel] && now.kind == regularFile && now.size > 0 && now.size <= maxSize && (opt.Match == nil || opt.Match(rel)) {
				fresh = append(fresh, name)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		slices.Sort(fresh)
		var ignored map[string]bool
		if !opt.NoIgnoreVCS {
			ignored = gitIgnored(opt.abs(dir), fresh)
		}
		for _, name := range fresh {
			rel := childRel(dir, name)
			abs := opt.abs(rel)
			fi, err := os.Stat(abs)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				continue
			case err != nil:
				return fmt.Errorf("reading %s: %w", abs, err)
			case ignored[name] || !fi.Mode().IsRegular():
				continue
			}
			c.jobs = append(c.jobs, &deltaJob{src: corpus.Source{Path: abs, Size: fi.Size()}, rel: rel, fi: fi})
		}
	}
	slices.SortFunc(c.jobs, func(a, b *deltaJob) int { return strings.Compare(a.rel, b.rel) })
	return nil
}

// gitIgnored asks git which of the files named in dir it ignores, as corpus.Files leaves
// them out; none when dir is in no work tree or git cannot be run.
func gitIgnored(dir string, names []string) map[string]bool {
	cmd := exec.Command("git", "-C", dir, "check-ignore", "-z", "--stdin")
	cmd.Stdin = strings.NewReader(strings.Join(names, "\x00") + "\x00")
	out, _ := cmd.Output() // exit 1: none ignored; 128: not a work tree
	ignored := map[string]bool{}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) > 0 {
			ignored[path.Base(string(p))] = true
		}
	}
	return ignored
}

// walkAll finds the changes as Update does: every file under the roots is listed and
// stated. It serves where the folders cannot tell (a root that is a file).
func (c *collected) walkAll(x, old *Index, maskedIdx map[int]bool, walk []string, opt *Options, copt corpus.Options) error {
	v := x.v
	srcs, _, err := corpus.Files(walk, copt)
	if err != nil {
		return err
	}
	files, err := statSources(srcs, opt)
	if err != nil {
		return err
	}
	slices.SortFunc(files, func(a, b statedFile) int { return strings.Compare(a.rel, b.rel) })

	inDelta := map[string]bool{}
	mi, nMain := 0, v.h.entries
	for _, f := range files {
		for mi < nMain && v.entryPath(mi) < f.rel {
			if !maskedIdx[mi] {
				c.remove(v.entryPath(mi), true)
			}
			mi++
		}
		var prev *Entry
		var prevClauses []Clause
		fromMain, racy := false, false
		if old != nil {
			if e := old.Find(f.rel); e != nil {
				prev, prevClauses, racy = e, old.Clauses(e), old.racy(e)
				inDelta[f.rel] = true
			}
		}
		if mi < nMain && v.entryPath(mi) == f.rel {
			if prev == nil && !maskedIdx[mi] {
				e, err := v.entry(mi)
				if err != nil {
					return err
				}
				prev, fromMain = e, true
				racy = e.ModTime >= v.h.Written-racyWindow(e.ModTime)
			}
			mi++
		}
		if now := statOf(f.fi); prev != nil && prev.sameStamps(&now) && !racy {
			if !fromMain {
				c.keep = append(c.keep, builtEntry{*prev, prevClauses})
			}
			c.st.Unchanged++
			continue
		}
		c.jobs = append(c.jobs, &deltaJob{src: f.src, rel: f.rel, fi: f.fi, old: prev, oldClauses: prevClauses, fromMain: fromMain, oldWasRacy: racy})
	}
	for ; mi < nMain; mi++ {
		if !maskedIdx[mi] {
			c.remove(v.entryPath(mi), true)
		}
	}
	if old != nil {
		for i := range old.Entries {
			if p := old.Entries[i].Path; !inDelta[p] {
				c.remove(p, false)
			}
		}
	}
	return v.Err()
}

// statFolder stats the files of a folder (links followed, as corpus.Files follows links to
// files), by name; hidden names are left out, as corpus.Files leaves them out. A folder
// that is gone has none.
func statFolder(dir string, jobs int) (map[string]fileStat, error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]fileStat{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, ".") })
	w := max(1, min(jobs, len(names)/512))
	parts := make([]map[string]fileStat, w)
	parallel.For(w, w, func(part int) {
		at := newStatter(f, dir)
		out := map[string]fileStat{}
		for _, name := range names[part*len(names)/w : (part+1)*len(names)/w] {
			if st, err := at.stat(name); err == nil && st.kind != directory {
				out[name] = st
			}
		}
		parts[part] = out
	})
	out := make(map[string]fileStat, len(names))
	for _, p := range parts {
		maps.Copy(out, p)
	}
	return out, nil
}

// dirStampsSince stamps the folders under the roots as dirStamps does, but lists again only
// the folders whose stamps differ from those recorded (or that were racily clean): a folder
// added to or removed from another changes that folder's stamps, so the subfolders of an
// unchanged folder are those recorded. A corpus of a few large folders is stamped with a
// stat per folder instead of a listing of every file.
func dirStampsSince(roots []string, opt *Options, recorded []DirStamp, written int64) ([]DirStamp, error) {
	byPath := make(map[string]*DirStamp, len(recorded))
	children := map[string][]string{}
	for i := range recorded {
		d := &recorded[i]
		byPath[d.Path] = d
		if i := strings.LastIndexByte(d.Path, '/'); i >= 0 {
			children[d.Path[:i]] = append(children[d.Path[:i]], d.Path)
		} else if d.Path != "." {
			children["."] = append(children["."], d.Path)
		}
	}
	var out []DirStamp
	var todo []string
	for _, r := range roots {
		if fi, err := os.Stat(r); err == nil && fi.IsDir() {
			todo = append(todo, r)
		}
	}
	for len(todo) > 0 {
		dir := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		fi, err := os.Stat(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, fmt.Errorf("reading %s: %w", dir, err)
		}
		d := DirStamp{Path: opt.rel(dir), fileStat: statOf(fi)}
		d.kind = directory
		out = append(out, d)
		if r := byPath[d.Path]; r != nil && r.modTime == d.modTime && r.cTime == d.cTime && r.ino == d.ino && r.dev == d.dev && r.modTime < written-racyWindow(r.modTime) {
			for _, c := range children[d.Path] {
				todo = append(todo, opt.abs(c))
			}
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue // unreadable: as dirStamps
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				todo = append(todo, filepath.Join(dir, e.Name()))
			}
		}
	}
	slices.SortFunc(out, func(a, b DirStamp) int { return strings.Compare(a.Path, b.Path) })
	return slices.CompactFunc(out, func(a, b DirStamp) bool { return a.Path == b.Path }), nil
}
