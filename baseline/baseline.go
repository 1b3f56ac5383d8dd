// Package baseline records the findings of neardup check that a team has looked at and
// accepted, so that they no longer fail the check, and gives every finding the identity a
// baseline matches it by. The identity is of the content, not of the run: a duplicate is
// named by both paths and both texts, so any edit makes it new again; a passage by both paths
// and the normalised text of both sides, so edits elsewhere in the files keep it accepted.
//
// The file is JSON lines, one accepted finding a line, sorted, so that it diffs and merges
// well in version control.
package baseline

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/text"
)

// Accepted is one finding that a person has looked at and accepted, so that it no longer
// fails a check. ID is what matches: it is derived from the paths and the content of the
// finding (see ID), so an edit that changes the finding makes it new again.
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

// Load reads file. A file that does not exist is an empty baseline, so that
// --update-baseline can create it.
func Load(file string) (*Baseline, error) {
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

// Write replaces file, atomically, with entries sorted by paths, kind and id.
func Write(file string, entries []Accepted) error {
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

// Classify gives every finding of res its identity and looks it up in b, which may be nil
// (nothing is accepted). texts holds the documents' texts by path.
func Classify(res *report.Result, texts map[string]string, b *Baseline) []report.Finding {
	var out []report.Finding
	for i := range res.Duplicates {
		d := &res.Duplicates[i]
		id := ID("duplicate", d.A, texts[d.A], d.B, texts[d.B])
		out = append(out, report.Finding{Duplicate: d, ID: id, Accepted: b.Accepts(id)})
	}
	for i := range res.Passages {
		p := &res.Passages[i]
		a := text.AppendNormalized(nil, text.Slice(texts[p.A], p.AStart, p.AEnd))
		bb := text.AppendNormalized(nil, text.Slice(texts[p.B], p.BStart, p.BEnd))
		id := ID("passage", p.A, string(a), p.B, string(bb))
		out = append(out, report.Finding{Passage: p, ID: id, Accepted: b.Accepts(id)})
	}
	return out
}

// ID is the identity of a finding of kind between two documents: a hash of both paths and
// both texts, the same whichever document comes first.
func ID(kind, pathA, textA, pathB, textB string) string {
	if pathB < pathA {
		pathA, textA, pathB, textB = pathB, textB, pathA, textA
	}
	h := sha256.New()
	for _, s := range []string{kind, pathA, textA, pathB, textB} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Accept is the baseline entry that accepts fd.
func Accept(fd report.Finding) Accepted {
	a, b := fd.Paths()
	acc := Accepted{Kind: fd.Kind(), A: a, B: b, ID: fd.ID}
	if fd.Passage != nil {
		acc.Excerpt = report.Excerpt(fd.Passage.Excerpt, 40)
	}
	return acc
}
