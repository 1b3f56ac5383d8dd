package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

// TestCopiesAreNewText checks what the replicas are for: a copy is new text to neardup, so a
// replica holds the findings of the corpus it was made from and no finding between copies
// of one document.
func TestCopiesAreNewText(t *testing.T) {
	src := "../../testdata/corpus"
	out := filepath.Join(t.TempDir(), "x3")
	if err := run(src, out, 3, defaultEdit, 1); err != nil {
		t.Fatal(err)
	}
	original := scanDir(t, src)
	replica := scanDir(t, out)

	sameDocument := func(a, b string) bool { return filepath.Base(a) == filepath.Base(b) }
	for _, d := range replica.Duplicates {
		if sameDocument(d.A, d.B) {
			t.Errorf("copies of one document are near-duplicates: %s and %s (similarity %.3f)", d.A, d.B, d.Similarity)
		}
	}
	for _, p := range replica.Passages {
		if sameDocument(p.A, p.B) {
			t.Errorf("copies of one document share a passage: %s [%d,%d) and %s [%d,%d)", p.A, p.AStart, p.AEnd, p.B, p.BStart, p.BEnd)
		}
	}
	// The originals, copy 0, still hold what the corpus holds.
	inOriginals := func(path string) bool { return filepath.Base(filepath.Dir(path)) == "r000" }
	dups, passages := 0, 0
	for _, d := range replica.Duplicates {
		if inOriginals(d.A) && inOriginals(d.B) {
			dups++
		}
	}
	for _, p := range replica.Passages {
		if inOriginals(p.A) && inOriginals(p.B) {
			passages++
		}
	}
	if dups != len(original.Duplicates) || passages != len(original.Passages) {
		t.Errorf("copy 0 holds %d near-duplicate pairs and %d passages, the corpus %d and %d",
			dups, passages, len(original.Duplicates), len(original.Passages))
	}
	if len(original.Duplicates) == 0 {
		t.Fatalf("%s holds no near-duplicates: the test proves nothing", src)
	}
}

func scanDir(t *testing.T, dir string) *report.Result {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
	docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return scan.Run(docs, scan.Options{NoSlogans: true, AllPairs: true})
}
