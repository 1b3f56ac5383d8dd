package match

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/simhash"
)

// benchCorpus is the real corpus the benchmarks sweep over when it is present.
const benchCorpus = "../../shared/corpora/xinwenlianbo/texts"

func benchDocs(b *testing.B, n int) []*corpus.Document {
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
	for _, src := range srcs[:n] {
		d, skip, err := corpus.Read(src, nil, corpus.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if skip == nil {
			docs = append(docs, d)
		}
	}
	return docs
}

var benchSizes = []int{1000, 2500, 5000, 10300}

// BenchmarkFind is the matcher alone (no slogans), sizes swept.
func BenchmarkFind(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := benchDocs(b, n)
			opt := DefaultOptions()
			opt.Jobs = runtime.NumCPU()
			b.ReportAllocs()
			for b.Loop() {
				Find(docs, opt)
			}
		})
	}
}

// BenchmarkClauseIndex measures the candidate search of clauseSeeds on real, skewed clause
// fingerprints (stock phrases, formulas repeated in thousands of stories): how many table
// entries each query checks (cands/query) against what comparing all pairs would check
// (distinct/2 per query), and the pairs found within the passage distance.
func BenchmarkClauseIndex(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			docs := benchDocs(b, n)
			h := simhash.NewHasher(simhash.DefaultN)
			// One fingerprint per distinct clause text, as clauseSeeds indexes groups.
			seen := map[uint64]bool{}
			var fps []uint64
			for _, d := range docs {
				for _, c := range prepare(d.Text, nil, h, simhash.DefaultN).prints {
					if c.near && !seen[c.hash] {
						seen[c.hash] = true
						fps = append(fps, c.fp)
					}
				}
			}
			var queries, cands, pairs, distinct int
			b.ReportAllocs()
			for b.Loop() {
				x := simhash.NewIndex(DefaultOptions().PassageDistance)
				for i, fp := range fps {
					x.Add(fp, int32(i))
				}
				pairs = 0
				x.Pairs(func(_, _ int32, _ int) { pairs++ })
				queries, cands = x.Stats()
				_, distinct = x.Len()
			}
			b.ReportMetric(float64(distinct), "fingerprints")
			b.ReportMetric(float64(cands)/float64(max(queries, 1)), "cands/query")
			b.ReportMetric(float64(distinct)/2, "allpairs/query")
			b.ReportMetric(float64(pairs), "pairs")
		})
	}
}
