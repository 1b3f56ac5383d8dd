package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/slogan"
)

// benchCorpus is the real corpus the benchmarks sweep over when it is present.
const benchCorpus = "../../shared/corpora/xinwenlianbo/texts"

// benchDocs loads the first n documents of the benchmark corpus (in walk order), or of
// testdata when the corpus is absent, in which case sizes above what it holds are skipped.
func benchDocs(b *testing.B, n int) ([]*corpus.Document, int64) {
	b.Helper()
	dir := benchCorpus
	if _, err := os.Stat(dir); err != nil {
		dir = "../testdata"
	}
	srcs, _, err := corpus.Files([]string{dir}, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if n > len(srcs) {
		b.Skipf("%s holds %d documents, fewer than %d", dir, len(srcs), n)
	}
	var docs []*corpus.Document
	var size int64
	for _, src := range srcs[:n] {
		d, skip, err := corpus.Read(src, nil, corpus.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if skip == nil {
			docs = append(docs, d)
			size += src.Size
		}
	}
	return docs, size
}

// BenchmarkScan is the whole analysis of neardup scan (matching and slogans, no rendering)
// on growing slices of the corpus: time per op should grow about linearly with the size.
func BenchmarkScan(b *testing.B) {
	for _, n := range []int{1000, 2500, 5000, 10300} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs, size := benchDocs(b, n)
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				Run(docs, Options{Jobs: runtime.NumCPU()})
			}
		})
	}
}

// BenchmarkScanParts splits the scan of the whole corpus into matching alone and slogan
// mining alone.
func BenchmarkScanParts(b *testing.B) {
	docs, size := benchDocs(b, 10300)
	b.Run("match", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			Run(docs, Options{NoSlogans: true, Jobs: runtime.NumCPU()})
		}
	})
	b.Run("slogans", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			slogan.Find(docs, slogan.Options{})
		}
	})
}

// BenchmarkWriteJSON writes the JSON report of the whole corpus's scan (some 120 MB, most
// of it the slogans' locations) to a file, as neardup scan -f json -o does after the scan
// (without the atomic rename and the sync).
func BenchmarkWriteJSON(b *testing.B) {
	docs, _ := benchDocs(b, 10300)
	res := Run(docs, Options{Jobs: runtime.NumCPU()})
	path := filepath.Join(b.TempDir(), "report.json")
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.WriteJSON(f, res); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
