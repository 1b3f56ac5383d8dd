package match

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// The fingerprint of a document alone is the one Find computes for it among others.
func TestFingerprinterIsFind(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/*.txt")
	if len(files) < 10 {
		t.Fatalf("testdata/corpus: %d files", len(files))
	}
	var docs []*corpus.Document
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, &corpus.Document{Path: f, Text: string(data)})
	}
	res := Find(docs, DefaultOptions())
	f := NewFingerprinter(0)
	for i, d := range docs {
		fp, feats := f.Sum(d.Text)
		if fp != res.Fingerprints[i] || feats != res.Features[i] {
			t.Errorf("%s: %016x (%d n-grams), Find says %016x (%d)", d.Path, fp, feats, res.Fingerprints[i], res.Features[i])
		}
	}
}
