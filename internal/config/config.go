// Package config loads .neardup.toml, the per-repository settings of neardup check and
// neardup index: thresholds, which files are corpus documents (include and exclude globs),
// phrases to ignore, and where the index and the baseline of accepted findings live.
//
// Find walks up from a folder to the repository root looking for the file. Every value is
// optional; the command line overrides the file. A key the file does not know is an error,
// so a typo never silently falls back to a default.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// FileName is the name Find looks for.
const FileName = ".neardup.toml"

// Config is one .neardup.toml. Pointer fields are nil when the file does not set them.
type Config struct {
	// File is the path of the file read; empty when none was found.
	File string `toml:"-"`
	// Dir is the folder relative paths and globs are resolved against: the folder holding
	// the file, or the folder Find started from when there is none.
	Dir string `toml:"-"`

	MinSimilarity   *float64 `toml:"min_similarity"`
	MinPassage      *int     `toml:"min_passage"`
	MaxDF           *int     `toml:"max_df"`
	DocDistance     *int     `toml:"doc_distance"`
	PassageDistance *int     `toml:"passage_distance"`
	// The gate's coverage: copied passages fail a check when they cover this share of a
	// file's text from one other document, or when one is at least long_passage long.
	MinCoverage *float64 `toml:"min_coverage"`
	LongPassage *int     `toml:"long_passage"`

	// Include and Exclude are globs over slash-separated paths relative to Dir; see Match.
	Include []string `toml:"include"`
	Exclude []string `toml:"exclude"`

	Ignore     []string `toml:"ignore"`      // phrases left out of the evidence
	IgnoreFile string   `toml:"ignore_file"` // more phrases, one per line
	Baseline   string   `toml:"baseline"`    // accepted findings (JSON lines)
	Index      string   `toml:"index"`       // index file; default .neardup/index
}

// Find looks for FileName in dir and its parents, stopping after the folder that holds .git
// (the repository root) or at the file system root. With no file found it returns an empty
// Config whose Dir is the repository root, or dir itself outside a repository.
func Find(dir string) (*Config, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", FileName, err)
	}
	for d := dir; ; {
		file := filepath.Join(d, FileName)
		if _, err := os.Stat(file); err == nil {
			return Load(file)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return &Config{Dir: d}, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return &Config{Dir: dir}, nil
		}
		d = parent
	}
}

// Load reads one config file.
func Load(file string) (*Config, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	c := &Config{}
	md, err := toml.DecodeFile(abs, c)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("reading %s: unknown key %s (known: min_similarity, min_passage, max_df, doc_distance, passage_distance, min_coverage, long_passage, include, exclude, ignore, ignore_file, baseline, index)",
			file, strings.Join(keys, ", "))
	}
	c.File = file
	c.Dir = filepath.Dir(abs)
	if v := c.MinCoverage; v != nil && (*v < 0 || *v > 1) {
		return nil, fmt.Errorf("reading %s: min_coverage must be between 0 and 1, not %g", file, *v)
	}
	if v := c.LongPassage; v != nil && *v < 0 {
		return nil, fmt.Errorf("reading %s: long_passage must not be negative, not %d", file, *v)
	}
	for _, g := range slices.Concat(c.Include, c.Exclude) {
		if err := checkGlob(g); err != nil {
			return nil, fmt.Errorf("reading %s: %w", file, err)
		}
	}
	return c, nil
}

// Resolve makes a path from the file (ignore_file, baseline, index) absolute against Dir.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, filepath.FromSlash(p))
}

// Rel returns p (absolute, or relative to the working folder) as a slash path relative to
// Dir, and false when p lies outside Dir.
func (c *Config) Rel(p string) (string, bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p), false
	}
	rel, err := filepath.Rel(c.Dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p), false
	}
	return filepath.ToSlash(rel), true
}

// Match reports whether rel, a slash path relative to Dir, is a corpus document: it matches
// an include glob (or there are none) and no exclude glob.
//
// Globs follow path.Match per path segment, and ** stands for any number of folders
// (articles/**/*.txt matches articles/a.txt and articles/2024/05/a.txt). A glob without a
// slash matches the file name in any folder (*.md).
func (c *Config) Match(rel string) bool {
	if len(c.Include) > 0 && !slices.ContainsFunc(c.Include, func(g string) bool { return globMatch(g, rel) }) {
		return false
	}
	return !slices.ContainsFunc(c.Exclude, func(g string) bool { return globMatch(g, rel) })
}

func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty glob in include or exclude")
	}
	for _, seg := range strings.Split(g, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("bad glob %q: %w", g, err)
		}
	}
	return nil
}

func globMatch(glob, rel string) bool {
	if !strings.Contains(glob, "/") {
		ok, _ := path.Match(glob, path.Base(rel))
		return ok
	}
	return matchSegments(strings.Split(strings.TrimPrefix(glob, "/"), "/"), strings.Split(rel, "/"))
}

func matchSegments(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			// ** takes zero or more folders: try every split.
			for i := 0; i <= len(name); i++ {
				if matchSegments(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return len(name) == 0
}
