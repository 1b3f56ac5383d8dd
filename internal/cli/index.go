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
	"github.com/neardup/neardup/internal/config"
)

const indexUsage = `Usage: neardup index [flags] [PATH...]

Build or update the index that "neardup check" compares new files against: per
document its path, size, time, a SHA-256 of its bytes and its fingerprints. An
update reads again only the files whose size or time changed, fingerprints again
only those whose content changed, and drops files that are gone.

PATH is a file or folder of the corpus. Without PATH, the paths the index was
built from are walked again; with no index yet, the folder of .neardup.toml is
walked when the file has include globs. Only files matching the include and
exclude globs of .neardup.toml are indexed.

Paths in the index are relative to the folder of .neardup.toml, or else to the
root of the git repository, or else to the current folder.

Flags:
        --index FILE        the index file (default .neardup/index in that folder,
                            or index = "..." in .neardup.toml)
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
    -j, --jobs N            files read at once (default: number of CPUs)
    -q, --quiet             print nothing but errors
    -h, --help              show this help

The index is written atomically under a lock (FILE.lock), so two runs at once
leave a whole index. A damaged index is rebuilt from scratch.

Exit status: 0 when the index was written or was up to date, 1 on a failure,
2 on a usage or input error.

Examples:
    neardup index articles/
    neardup index                      # update, walking the same paths again
    neardup index --index /tmp/corpus.idx ../shared/corpus
`

func init() { commands["index"] = runIndex }

// indexSetup is what index and check share: the config, the index file and how to walk.
type indexSetup struct {
	cfg  *config.Config
	file string
	opt  index.Options
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
// roots, when not nil, replace the roots stored in the index. A damaged index is rebuilt.
func (s *indexSetup) update(roots []string, warn func(string)) (*index.Index, *index.Stats, error) {
	unlock, err := index.Lock(s.file)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	old, err := index.Load(s.file)
	switch {
	case err == nil:
	case index.IsNotExist(err):
		old = nil
	case errors.Is(err, index.ErrDamaged) || errors.Is(err, index.ErrVersion):
		warn(fmt.Sprintf("index %s is damaged or of another format version: building it again", display(s.file)))
		old = nil
	default:
		return nil, nil, err
	}
	opt := s.opt
	switch {
	case roots != nil:
		opt.Roots = roots
	case old != nil:
		opt.Roots = old.Roots
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
	if old == nil || st.Modified() {
		if err := x.Write(s.file); err != nil {
			return nil, nil, err
		}
	}
	return x, st, nil
}

var errNoRoots = errors.New("no paths to index")

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
	fs.IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, indexUsage, args); done {
		return code
	}
	if msg := checkReadFlags(jobs, maxFileSize); msg != "" {
		errorf(env, "index: %s", msg)
		return exitUsage
	}
	start := time.Now()
	s, err := newIndexSetup(indexFile, encoding, maxFileSize, jobs)
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

	var roots []string
	for _, p := range fs.Args() {
		if p == "-" {
			errorf(env, "index: cannot index standard input: name files or folders")
			return exitUsage
		}
		if _, err := os.Stat(p); err != nil {
			errorf(env, "index: reading %s: no such file or folder", p)
			return exitUsage
		}
		rel, ok := s.cfg.Rel(p)
		if !ok {
			rel, _ = filepath.Abs(p)
		}
		roots = append(roots, rel)
	}

	x, st, err := s.update(roots, warn)
	if errors.Is(err, errNoRoots) {
		errorf(env, "index: no paths to index: name the corpus files or folders")
		hintf(env, "neardup index articles/   (or set include = [\"articles/**/*.txt\"] in %s)", config.FileName)
		return exitUsage
	}
	if err != nil {
		errorf(env, "index: %v", err)
		return exitFailure
	}
	if !quiet {
		verb := "updated:"
		if !st.Modified() {
			verb = "is up to date:"
		}
		if st.Rebuilt {
			verb = "rebuilt (the settings changed):"
		}
		fmt.Fprintf(env.Stdout, "neardup: index %s %s %d documents, %d added, %d changed, %d removed, %d unchanged (%.1fs)\n",
			display(s.file), verb, x.Documents(), len(st.Added), len(st.Changed), len(st.Removed), st.Unchanged+st.Touched,
			time.Since(start).Seconds())
	}
	return exitOK
}

// openIndex loads the index. When it was made with the current settings it is returned
// at once, and unchanged tells later whether the files on disk are still the indexed ones
// (they are being stated meanwhile); when they are not, the caller brings the index up to
// date with refreshIndex. An index of other settings is brought up to date first, and a
// missing one built when the config says what to index; unchanged is then nil.
func openIndex(env *Env, s *indexSetup, refresh bool, warn func(string)) (x *index.Index, unchanged func() bool, code int) {
	x, unchanged, err := index.Open(s.file, s.opt)
	switch {
	case err == nil:
	case index.IsNotExist(err) && refresh && s.defaultRoots() != nil:
		warn(fmt.Sprintf("no index at %s yet: building it from the include globs of %s", display(s.file), s.cfg.File))
		x, _, err = s.update(nil, func(string) {})
		if err != nil {
			errorf(env, "check: %v", err)
			return nil, nil, exitFailure
		}
		return x, nil, exitOK
	case index.IsNotExist(err):
		errorf(env, "check: no index at %s", display(s.file))
		hintf(env, "build it with: neardup index PATH...   (or compare with a folder: neardup check --against DIR FILE...)")
		return nil, nil, exitUsage
	default:
		errorf(env, "check: %v", err)
		hintf(env, "rebuild it with: neardup index %s", strings.Join(rootsHint(s), " "))
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

// refreshIndex brings x up to date with the files on disk: written back when refresh is
// allowed and the file is writable, otherwise in memory only, with a warning.
func refreshIndex(env *Env, s *indexSetup, x *index.Index, refresh bool, warn func(string)) (*index.Index, int) {
	opt := s.opt
	opt.Roots = x.Roots
	fresh, st, err := index.Update(x, opt)
	if err != nil {
		errorf(env, "check: updating index %s: %v", display(s.file), err)
		return nil, exitFailure
	}
	if !st.Modified() {
		return x, exitOK
	}
	what := staleSummary(st)
	if refresh {
		// Update under the lock, from what is on disk now: another process may have
		// written a newer index meanwhile.
		y, _, err := s.update(nil, func(string) {})
		if err == nil {
			if !st.Rebuilt {
				return y, exitOK
			}
			warn(fmt.Sprintf("index %s was made with other settings: rebuilt it", display(s.file)))
			return y, exitOK
		}
		warn(fmt.Sprintf("index %s is out of date (%s) and could not be updated: %v", display(s.file), what, err))
	} else {
		warn(fmt.Sprintf("index %s is out of date (%s): checked against the files on disk; run neardup index to update it", display(s.file), what))
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
