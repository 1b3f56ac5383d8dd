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

// stagedInput reads the added and modified files from git's index, as staged.
func stagedInput(cfg *config.Config, encoding string, maxFileSize int64, warn func(string)) (*checkInput, error) {
	in := &checkInput{}
	top, err := gitstage.Root("")
	if err != nil {
		return nil, fmt.Errorf("--staged: %w", err)
	}
	names, err := gitstage.Changed(top)
	if err != nil {
		return nil, fmt.Errorf("--staged: %w", err)
	}
	in.named = len(names)
	var wanted, rels []string
	for _, n := range names {
		rel, inside := cfg.Rel(filepath.Join(top, filepath.FromSlash(n)))
		if !inside || !cfg.Match(rel) {
			in.excluded++
			continue
		}
		wanted = append(wanted, n)
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
