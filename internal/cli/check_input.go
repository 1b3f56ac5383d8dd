package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/config"
	"github.com/neardup/neardup/internal/gitstage"
)

// checkInput is the set of files being checked.
type checkInput struct {
	docs     []*corpus.Document // Path relative to the config folder when inside it
	named    int                // files named or staged, before filtering
	excluded int                // staged files that are not corpus documents by the config
	skipped  []corpus.Skip
	// unchanged counts the staged renames git found unchanged: not new content,
	// so not checked.
	unchanged int
	// from names, by the path of a document, the file it was renamed from (slash
	// paths from the git root), and renamed those of renames; see index.CheckOptions.
	from    map[string]string
	renamed []string
	top     string // the git root of the staged files; "" for named files
}

func namedInput(cfg *config.Config, paths []string, stdin io.Reader, encoding string, maxFileSize int64, warn func(string)) (*checkInput, error) {
	in := &checkInput{}
	if len(paths) == 0 {
		return in, nil
	}
	opt := corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize, Warn: warn}
	docs, skips, err := corpus.Load(paths, stdin, opt)
	if err != nil {
		return nil, err
	}
	in.named = len(docs) + len(skips)
	in.skipped = append(in.skipped, skips...)
	for _, d := range docs {
		if d.Path != "-" {
			d.Path = indexName(cfg, d.Path)
		}
		in.add(d)
	}
	return in, nil
}

// indexName names a file as the index does: relative to the config folder when inside
// it, else by its absolute path.
func indexName(cfg *config.Config, p string) string {
	if rel, ok := cfg.Rel(p); ok {
		return rel
	}
	if abs, err := filepath.Abs(p); err == nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(p)
}

func (in *checkInput) add(d *corpus.Document) {
	in.docs = append(in.docs, d)
}

// stagedInput reads the added and modified files from git's index, as staged. Renames that
// git finds unchanged are not read: they bring no new content.
func stagedInput(cfg *config.Config, encoding string, maxFileSize int64, warn func(string)) (*checkInput, error) {
	in := &checkInput{from: map[string]string{}}
	top, err := gitstage.Root("")
	if err != nil {
		return nil, fmt.Errorf("--staged: %w", err)
	}
	in.top = top
	changes, err := gitstage.Changes(top)
	if err != nil {
		return nil, fmt.Errorf("--staged: %w", err)
	}
	in.named = len(changes)
	var wanted, rels []string
	for _, c := range changes {
		rel, inside := cfg.Rel(filepath.Join(top, filepath.FromSlash(c.Path)))
		if !inside || !cfg.Match(rel) {
			in.excluded++
			continue
		}
		// A rename moves a document; a copy adds one beside its source, which still holds
		// the text: it is checked as a new file, and its likeness to the source fails.
		if c.Status == 'R' {
			if c.Same {
				in.unchanged++
				continue
			}
			in.from[rel] = c.From
			if old, ok := cfg.Rel(filepath.Join(top, filepath.FromSlash(c.From))); ok {
				in.renamed = append(in.renamed, old)
			}
		}
		wanted = append(wanted, c.Path)
		rels = append(rels, rel)
	}
	if len(wanted) == 0 {
		return in, nil
	}
	blobs, err := gitstage.Read(top, wanted)
	if err != nil {
		return nil, err
	}
	for i, data := range blobs {
		// Named by its path (whose extension says whether it is HTML); messages say it
		// is the staged version.
		opt := corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize, Warn: func(msg string) {
			warn(strings.ReplaceAll(msg, rels[i], rels[i]+" (staged)"))
		}}
		doc, skip, err := corpus.FromBytes(rels[i], data, opt)
		if err != nil {
			return nil, fmt.Errorf("reading staged %s: %w", wanted[i], err)
		}
		if skip != nil {
			in.skipped = append(in.skipped, *skip)
			continue
		}
		in.add(doc)
	}
	return in, nil
}

// previous reads, from the commit rev, the version of every document before the change: the
// file of the same path, or the one it was renamed or copied from. A document rev does not
// hold has none. Paths are taken from the git root, found from the config folder for named
// files.
func (in *checkInput) previous(cfg *config.Config, rev, encoding string, maxFileSize int64) (map[string]string, error) {
	top := in.top
	if top == "" {
		var err error
		if top, err = gitstage.Root(cfg.Dir); err != nil {
			return nil, err
		}
	}
	if !gitstage.HasCommit(top, rev) {
		return nil, fmt.Errorf("no commit %q in the repository at %s", rev, top)
	}
	var names []string
	var docs []*corpus.Document
	for _, d := range in.docs {
		if d.Path == "-" {
			continue
		}
		name, ok := in.from[d.Path]
		if !ok {
			abs := filepath.FromSlash(d.Path)
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(cfg.Dir, abs)
			}
			rel, err := filepath.Rel(top, abs)
			if err != nil || !filepath.IsLocal(rel) {
				continue // outside the repository: no previous version
			}
			name = filepath.ToSlash(rel)
		}
		names = append(names, name)
		docs = append(docs, d)
	}
	blobs, err := gitstage.ReadAt(top, rev, names)
	if err != nil {
		return nil, err
	}
	prev := map[string]string{}
	for i, data := range blobs {
		if data == nil {
			continue
		}
		doc, skip, err := corpus.FromBytes(docs[i].Path, data, corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize})
		if err != nil || skip != nil {
			continue // not a text then: every finding of it now is new
		}
		prev[docs[i].Path] = doc.Text
	}
	return prev, nil
}
