package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/index"
	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/internal/config"
)

const indexUsage = `Usage: neardup index [flags] [PATH...]

Build or update the index that "neardup check" compares new files against: per
document its path, size, time, a SHA-256 of its bytes and its fingerprints, and
the corpus's slogans, which are not evidence of copying. An update reads again
only the files whose size or time changed, fingerprints again only those whose
content changed, and drops files that are gone; it mines the slogans again only
when more than a tenth of the documents changed since they were mined. A check
that finds files added, changed or removed writes them to a small delta beside
the index (FILE.delta) instead of rewriting it; neardup index folds the delta
into the index.

PATH is a file or folder of the corpus. Without PATH, the paths the index was
built from are walked again; with no index yet, the folder of .neardup.toml is
walked when the file has include globs. Only files matching the include and
exclude globs of .neardup.toml are indexed.

Paths in the index are relative to the folder of .neardup.toml, or else to the
root of the git repository, or else to the current folder.

Flags:
        --index FILE        the index file (default .neardup/index in that
                            folder, or index = "..." in .neardup.toml)
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also index files that .gitignore leaves out; the
                            index remembers it, so that updates and checks walk
                            the same files (--no-ignore-vcs=false forgets it)
    -j, --jobs N            CPUs to use, and files read at once (default: all)
    -q, --quiet             print nothing but errors
    -h, --help              show this help

The index is written atomically under a lock (FILE.lock), so two runs at once
leave a whole index; a run that is interrupted (Ctrl-C, SIGTERM) leaves the old
index and no temporary file, and one that was killed leaves a temporary file
that the next run removes. A damaged index is rebuilt from scratch, from the
paths it recorded. An index records the folder its paths are relative to: one
built for another folder is refused unless PATH is named, which replaces it.

A file counts as changed, as in git, when its size, modification time, change
time, inode or device differ from the index; files modified in the moments
before a run (a git clone) are hashed again and, after a short wait (at most
2 s), recorded as verified, so that checks do not re-read them.

Exit status: 0 when the index was written or was up to date, 2 on a usage or
input error or a failure (a file that cannot be read, a write that failed).

Examples:
    neardup index articles/
    neardup index                      # update, walking the same paths again
    neardup index --index /tmp/corpus.idx ../shared/corpus
`

func init() { commands["index"] = command{runIndex, indexUsage} }

// indexSetup is what index and check share: the config, the index file and how to walk.
type indexSetup struct {
	cfg  *config.Config
	file string
	opt  index.Options
	// noIgnoreVCS is index's --no-ignore-vcs when given; nil: walk as the index recorded.
	noIgnoreVCS *bool
}

// newIndexSetup finds the config and resolves the index file; indexFlag overrides it.
func newIndexSetup(indexFlag, encoding string, maxFileSize int64, jobs int) (*indexSetup, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Find(cwd)
	if err != nil {
		return nil, err
	}
	s := &indexSetup{cfg: cfg}
	switch {
	case indexFlag != "":
		s.file, _ = filepath.Abs(indexFlag)
	case cfg.Index != "":
		s.file = cfg.Resolve(cfg.Index)
	default:
		s.file = filepath.Join(cfg.Dir, ".neardup", "index")
	}
	s.opt = index.Options{
		Root:        cfg.Dir,
		Match:       cfg.Match,
		Settings:    index.CurrentSettings(0, encoding),
		MaxFileSize: maxFileSize,
		Jobs:        jobs,
	}
	return s, nil
}

// display names the index file for messages: relative to the working folder when inside it.
func display(file string) string {
	if cwd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(cwd, file); err == nil && filepath.IsLocal(rel) {
			return rel
		}
	}
	return file
}

// defaultRoots are the roots of a new index when none are named: the config folder, when
// the config says which files are documents.
func (s *indexSetup) defaultRoots() []string {
	if s.cfg.File != "" && len(s.cfg.Include) > 0 {
		return []string{"."}
	}
	return nil
}

// update brings the index file up to date under its lock and writes it when it changed.
// roots, when not nil, replace the roots stored in the index. A damaged index is rebuilt
// from the roots it recorded. settle waits for racily clean files to settle (see
// index.Options.Settle); the index command does, a check does not.
func (s *indexSetup) update(roots []string, settle bool, warn func(string)) (*index.Index, *index.Stats, error) {
	unlock, err := index.Lock(s.file)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	// Under the lock no other writer is at work: a temporary index beside the file is what
	// a killed run left. atomicfile tells that by its own lock too; removing it here means an
	// index that is up to date (and not written) cleans up as well.
	atomicfile.RemoveStale(s.file)
	atomicfile.RemoveStale(index.DeltaFile(s.file))
	old, err := index.Load(s.file)
	var recorded []string // the roots of the old index, whole or damaged
	recordedWalk := false // and its NoIgnoreVCS
	switch {
	case err == nil:
		recorded, recordedWalk = old.Roots, old.NoIgnoreVCS
		if err := s.sameCorpus(old.Root, roots != nil); err != nil {
			return nil, nil, err
		}
	case index.IsNotExist(err):
		old = nil
	case errors.Is(err, index.ErrDamaged) || errors.Is(err, index.ErrVersion):
		old = nil
		if h, herr := index.ReadHead(s.file); herr == nil {
			if err := s.sameCorpus(h.Root, roots != nil); err != nil {
				return nil, nil, err
			}
			recorded, recordedWalk = h.Roots, h.NoIgnoreVCS
		}
		why := "is damaged"
		var other *index.VersionError
		if errors.As(err, &other) {
			why = fmt.Sprintf("was written by another neardup (index format %d; this one reads format %d)", other.Version, index.FormatVersion)
		}
		switch {
		case roots != nil || recorded != nil:
			warn(fmt.Sprintf("index %s %s: building it again", display(s.file), why))
		case s.defaultRoots() == nil:
			return nil, nil, fmt.Errorf("%w: index %s is damaged and does not say what it was built from", errNoRoots, display(s.file))
		}
	default:
		return nil, nil, err
	}
	opt := s.opt
	opt.Settle = settle
	opt.NoIgnoreVCS = recordedWalk
	if s.noIgnoreVCS != nil {
		opt.NoIgnoreVCS = *s.noIgnoreVCS
	}
	switch {
	case roots != nil:
		opt.Roots = roots
	case recorded != nil:
		opt.Roots = recorded
	default:
		opt.Roots = s.defaultRoots()
	}
	if len(opt.Roots) == 0 {
		return nil, nil, errNoRoots
	}
	x, st, err := index.Update(old, opt)
	if err != nil {
		return nil, nil, err
	}
	// An index read with a delta is written whole, which folds the delta into it.
	if old == nil || st.Modified() {
		if err := x.Write(s.file); err != nil {
			return nil, nil, err
		}
	}
	return x, st, nil
}

// refresh brings the index up to date for a check, under its lock. What changed since the
// index was written goes into its delta (index.DeltaFile), which is written instead of the
// whole index, so that a commit adding a story costs little at any corpus size; when the
// delta has grown past its share (index.Index.DeltaDue) it is folded into a new index. An
// index that cannot be opened as it is (damaged, of another format, other settings or
// another corpus) takes the way of update.
func (s *indexSetup) refresh(warn func(string)) (*index.Index, *index.Stats, error) {
	unlock, err := index.Lock(s.file)
	if err != nil {
		return nil, nil, err
	}
	x, st, done, err := s.refreshLocked()
	unlock()
	if done {
		return x, st, err
	}
	return s.update(nil, false, warn)
}

// refreshLocked is refresh under the lock; done is false when the index must be updated
// whole.
func (s *indexSetup) refreshLocked() (x *index.Index, st *index.Stats, done bool, err error) {
	atomicfile.RemoveStale(s.file)
	atomicfile.RemoveStale(index.DeltaFile(s.file))
	quick := s.opt
	quick.Quick = true
	old, _, err := index.Open(s.file, quick)
	if err != nil || old.Settings != s.opt.Settings || s.sameCorpus(old.Root, false) != nil {
		return nil, nil, false, nil
	}
	opt := s.opt
	opt.Roots, opt.NoIgnoreVCS = old.Roots, old.NoIgnoreVCS
	x, st, err = index.UpdateDelta(old, opt)
	if err != nil {
		return nil, nil, true, err
	}
	if !x.DeltaDue() {
		if !st.Modified() {
			return old, st, true, nil
		}
		return x, st, true, x.WriteDelta(s.file)
	}
	folded, again, err := index.Update(x, opt)
	if err != nil {
		return nil, nil, true, err
	}
	st.Mined = again.Mined
	return folded, st, true, folded.Write(s.file)
}

var errNoRoots = errors.New("no paths to index")

// errOtherCorpus says that an index was built for another folder than this one.
type errOtherCorpus struct{ file, built, here string }

func (e *errOtherCorpus) Error() string {
	return fmt.Sprintf("index %s was built for the corpus in %s, not for this one in %s", display(e.file), e.built, e.here)
}

// sameCorpus checks that an index built under root (its paths relative to it) is of the
// corpus this setup is about. An index whose folder no longer exists (a moved repository)
// is taken over, since its paths are relative; so is any index when the paths to index are
// named (explicit), which replaces what it held.
func (s *indexSetup) sameCorpus(root string, explicit bool) error {
	if root == "" || explicit || sameDir(root, s.opt.Root) {
		return nil
	}
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	return &errOtherCorpus{file: s.file, built: root, here: s.opt.Root}
}

// sameDir reports whether a and b name the same folder, by name or, through links, by
// identity.
func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

func runIndex(env *Env, args []string) int {
	fs := newFlagSet("index")
	var (
		indexFile, encoding string
		maxFileSize         int64
		jobs                int
		quiet               bool
	)
	fs.StringVar(&indexFile, "index", "", "")
	fs.StringVar(&encoding, "encoding", "", "")
	fs.Int64Var(&maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	noIgnoreVCS := fs.Bool("no-ignore-vcs", false, "")
	fs.IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, indexUsage, args); done {
		return code
	}
	if msg := checkReadFlags(jobs, maxFileSize); msg != "" {
		errorf(env, "index: %s", msg)
		return exitUsage
	}
	defer useCPUs(jobs)()
	start := time.Now()
	s, err := newIndexSetup(indexFile, encoding, maxFileSize, jobs)
	if s != nil && fs.Changed("no-ignore-vcs") {
		s.noIgnoreVCS = noIgnoreVCS
	}
	if err != nil {
		errorf(env, "index: %v", err)
		return exitUsage
	}
	warn := func(msg string) {
		if !quiet {
			warnf(env, "%s", msg)
		}
	}
	s.opt.Warn = warn
	roots, code := indexRoots(env, s, fs.Args())
	if code != proceed {
		return code
	}
	x, st, err := s.update(roots, true, warn)
	if code := indexError(env, s, err); code != proceed {
		return code
	}
	if !quiet {
		fmt.Fprintln(env.Stdout, indexSummary(s, x, st, time.Since(start)))
	}
	return exitOK
}

// indexRoots names the paths given to index as the index names them.
func indexRoots(env *Env, s *indexSetup, paths []string) ([]string, int) {
	var roots []string
	for _, p := range paths {
		if p == "-" {
			errorf(env, "index: cannot index standard input: name files or folders")
			return nil, exitUsage
		}
		if _, err := os.Stat(p); err != nil {
			errorf(env, "index: reading %s: no such file or folder", p)
			return nil, exitUsage
		}
		rel, ok := s.cfg.Rel(p)
		if !ok {
			rel, _ = filepath.Abs(p)
		}
		roots = append(roots, rel)
	}
	return roots, proceed
}

// indexError says what went wrong with an update, and picks the exit code.
func indexError(env *Env, s *indexSetup, err error) int {
	var other *errOtherCorpus
	switch {
	case err == nil:
		return proceed
	case errors.Is(err, errNoRoots):
		errorf(env, "index: %v: name the corpus files or folders", err)
		hintf(env, "neardup index articles/   (or set include = [\"articles/**/*.txt\"] in %s)", config.FileName)
		return exitUsage
	case errors.As(err, &other):
		errorf(env, "index: %v", err)
		hintf(env, "run neardup index in %s, or name the paths to index here to replace it: neardup index --index %s PATH...", other.built, display(s.file))
		return exitUsage
	}
	errorf(env, "index: %v", err)
	return exitFailure
}

// indexSummary is the line index prints: what the update did.
func indexSummary(s *indexSetup, x *index.Index, st *index.Stats, took time.Duration) string {
	verb := "updated:"
	if !st.Modified() {
		verb = "is up to date:"
	}
	if st.Rebuilt {
		verb = "rebuilt (the settings changed):"
	}
	settled := ""
	if st.Mined {
		settled = fmt.Sprintf(", %d slogan spellings mined", len(x.Slogans))
	}
	if st.Folded {
		settled += ", the delta of the checks since folded in"
	}
	if st.Settled > 0 {
		// Files modified just before the previous run (a git clone) were hashed again,
		// so that checks trust their times from now on.
		settled += fmt.Sprintf(", %d verified", st.Settled)
	}
	return fmt.Sprintf("neardup: index %s %s %d documents, %d added, %d changed, %d removed, %d unchanged%s (%.1fs)",
		display(s.file), verb, x.Documents(), len(st.Added), len(st.Changed), len(st.Removed), st.Unchanged+st.Touched+st.Settled,
		settled, took.Seconds())
}

// openIndex loads the index. When it was made with the current settings it is returned
// at once, and unchanged tells later whether the files on disk are still the indexed ones
// (they are being stated meanwhile); when they are not, the caller brings the index up to
// date with refreshIndex. An index of other settings is brought up to date first, and a
// missing one built when the config says what to index; unchanged is then nil. An index of
// another corpus is refused: its paths do not name the files of this one.
func openIndex(env *Env, s *indexSetup, refresh bool, warn func(string)) (x *index.Index, unchanged func() bool, code int) {
	// A check looks at the indexed folders, not at every file, so that its cost does not
	// grow with the corpus (see index.QuickUnchanged); neardup index looks at every file.
	quick := s.opt
	quick.Quick = true
	x, unchanged, err := index.Open(s.file, quick)
	switch {
	case err == nil:
	case index.IsNotExist(err) && refresh && s.defaultRoots() != nil:
		warn(fmt.Sprintf("no index at %s yet: building it from the include globs of %s", display(s.file), s.cfg.File))
		x, _, err = s.update(nil, false, func(string) {})
		if err != nil {
			errorf(env, "check: %v", err)
			return nil, nil, exitFailure
		}
		return x, nil, exitOK
	case index.IsNotExist(err):
		errorf(env, "check: no index at %s", display(s.file))
		hintf(env, "build it with: neardup index PATH...   (or compare with a folder: neardup check --against DIR FILE...)")
		return nil, nil, exitUsage
	case errors.Is(err, index.ErrVersion) && refresh:
		// An index of an older neardup is rebuilt from the paths it recorded, once.
		x, _, err = s.update(nil, false, warn)
		if err != nil {
			errorf(env, "check: %v", err)
			hintf(env, "rebuild it with: neardup index %s", strings.Join(rootsHint(s), " "))
			return nil, nil, exitUsage
		}
		return x, nil, exitOK
	default:
		errorf(env, "check: %v", err)
		hintf(env, "rebuild it with: neardup index %s", strings.Join(rootsHint(s), " "))
		return nil, nil, exitUsage
	}
	if err := s.sameCorpus(x.Root, false); err != nil {
		if unchanged != nil {
			unchanged() // let the survey finish
		}
		errorf(env, "check: %v", err)
		hintf(env, "run the check in %s, or build an index of this corpus: neardup index --index FILE PATH...", x.Root)
		return nil, nil, exitUsage
	}

	if x.Settings == s.opt.Settings {
		return x, unchanged, exitOK
	}
	if !refresh {
		errorf(env, "check: index %s was made with other settings (n-gram size, encoding or a different neardup version)", display(s.file))
		hintf(env, "rebuild it with: neardup index")
		return nil, nil, exitUsage
	}
	x, code = refreshIndex(env, s, x, refresh, warn)
	return x, nil, code
}

// refreshIndex brings x up to date with the files on disk, walking them once: written back
// under the lock when refresh is allowed (from the index on disk then, which another process
// may have updated meanwhile), otherwise, or when the file cannot be written, in memory
// only, with a warning. It returns x itself when no document was added, changed or removed
// (only racily clean files were verified), so the caller knows its result still holds.
func refreshIndex(env *Env, s *indexSetup, x *index.Index, refresh bool, warn func(string)) (*index.Index, int) {
	if refresh {
		y, st, err := s.refresh(func(string) {})
		if err == nil {
			if st.Rebuilt {
				warn(fmt.Sprintf("index %s was made with other settings: rebuilt it", display(s.file)))
			}
			if !st.ContentChanged() && y.Settings == x.Settings {
				return x, exitOK
			}
			return y, exitOK
		}
		var other *errOtherCorpus
		if errors.As(err, &other) {
			errorf(env, "check: %v", err)
			return nil, exitUsage
		}
		warn(fmt.Sprintf("index %s could not be updated (%v): checked against the files on disk", display(s.file), err))
	}
	opt := s.opt
	opt.Roots = x.Roots
	fresh, st, err := index.Update(x, opt)
	if err != nil {
		errorf(env, "check: updating index %s: %v", display(s.file), err)
		hintf(env, "if the corpus moved or its folders were renamed, rebuild the index: neardup index PATH...")
		return nil, exitFailure
	}
	if !st.ContentChanged() {
		return x, exitOK
	}
	if !refresh {
		warn(fmt.Sprintf("index %s is out of date (%s): checked against the files on disk; run neardup index to update it", display(s.file), staleSummary(st)))
	}
	return fresh, exitOK
}

func staleSummary(st *index.Stats) string {
	return fmt.Sprintf("%d changed, %d new, %d removed files", len(st.Changed)+st.Touched, len(st.Added), len(st.Removed))
}

func rootsHint(s *indexSetup) []string {
	if s.defaultRoots() != nil {
		return nil
	}
	return []string{"PATH..."}
}
