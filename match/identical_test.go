package match

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// FindCollapsed finds what Find finds among the documents it compares (every document but
// the further members of an identical group), and nothing else.
func TestFindCollapsedAgreesWithFind(t *testing.T) {
	paths, err := filepath.Glob("../testdata/corpus/*.txt")
	if err != nil || len(paths) < 5 {
		t.Fatalf("testdata/corpus: %v, %d files", err, len(paths))
	}
	var docs []*corpus.Document
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &corpus.Document{Path: p, Text: string(b)})
		if strings.Contains(p, "003_") || strings.Contains(p, "102_") {
			// A copy that only normalisation makes equal: full-width commas, doubled line breaks.
			docs = append(docs, &corpus.Document{Path: p + ".copy", Text: strings.ReplaceAll(strings.ReplaceAll(string(b), ",", "，"), "\n", "\n\n")})
		}
	}
	opt := DefaultOptions()
	full := Find(docs, opt)
	got := FindCollapsed(docs, opt)
	var copies []int
	for i, d := range docs {
		if strings.HasSuffix(d.Path, ".copy") {
			copies = append(copies, i)
		}
	}
	// 102 (meeting quotes) is short but above the fingerprint minimum; both copies group.
	if len(got.Identical) != 2 {
		t.Fatalf("identical groups %v, want the two copies with their originals", got.Identical)
	}
	for _, g := range got.Identical {
		if len(g) != 2 || !slices.Contains(copies, g[1]) || g[1] != g[0]+1 {
			t.Errorf("group %v: want an original and its copy", g)
		}
	}
	skip := func(i int) bool { return slices.Contains(copies, i) }
	var want []Duplicate
	for _, d := range full.Duplicates {
		if !skip(d.A) && !skip(d.B) {
			want = append(want, d)
		}
	}
	if !slices.Equal(want, got.Duplicates) {
		t.Errorf("duplicates:\n got %+v\nwant %+v", got.Duplicates, want)
	}
	var wantP []Passage
	for _, p := range full.Passages {
		if !skip(p.A) && !skip(p.B) {
			wantP = append(wantP, p)
		}
	}
	if !slices.Equal(wantP, got.Passages) {
		t.Errorf("passages:\n got %+v\nwant %+v", got.Passages, wantP)
	}
	if !slices.Equal(full.Fingerprints, got.Fingerprints) {
		t.Errorf("fingerprints differ")
	}
}
