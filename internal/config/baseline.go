package config

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/neardup/neardup/internal/atomicfile"
)

// Accepted is one finding that a person has looked at and accepted, so that it no longer
// fails a check. ID is what matches: it is derived from the paths and the content of the
// finding (see the check command), so an edit that changes the finding makes it new again.
type Accepted struct {
	Kind    string `json:"kind"` // "duplicate" or "passage"
	A       string `json:"a"`
	B       string `json:"b"`
	ID      string `json:"id"`
	Excerpt string `json:"excerpt,omitempty"` // for the person reading the file; not matched
}

// Baseline is a set of accepted findings, stored as JSON lines (one Accepted per line) so
// that it diffs and merges well in version control.
type Baseline struct {
	File    string
	Entries []Accepted
	ids     map[string]bool
}

// LoadBaseline reads file. A file that does not exist is an empty baseline, so that
// --update-baseline can create it.
func LoadBaseline(file string) (*Baseline, error) {
	b := &Baseline{File: file, ids: map[string]bool{}}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", file, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		var a Accepted
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			return nil, fmt.Errorf("reading baseline %s: line %d: %w", file, n, err)
		}
		if a.ID == "" {
			return nil, fmt.Errorf("reading baseline %s: line %d: no id", file, n)
		}
		b.Entries = append(b.Entries, a)
		b.ids[a.ID] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", file, err)
	}
	return b, nil
}

// Accepts reports whether the finding with this id is in the baseline.
func (b *Baseline) Accepts(id string) bool { return b != nil && b.ids[id] }

// WriteBaseline replaces file, atomically, with entries sorted by paths, kind and id.
func WriteBaseline(file string, entries []Accepted) error {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(x, y Accepted) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B), cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.ID, y.ID))
	})
	entries = slices.CompactFunc(entries, func(x, y Accepted) bool { return x.ID == y.ID })
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("writing baseline %s: %w", file, err)
	}
	return atomicfile.Write(file, 0o644, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, a := range entries {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	})
}
