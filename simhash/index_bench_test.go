package simhash

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// clauseFPs returns the distinct fingerprints of the clauses of every
// xinwenlianbo story, in file order, as `neardup scan` indexes them: the
// skewed real case (stock phrases, formulas with one word changed) that the
// index has to be fast on. It is nil when the corpora are absent.
var clauseFPs = sync.OnceValue(func() []uint64 {
	dir := filepath.Join(corporaDir, "xinwenlianbo", "texts")
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil
	}
	h := NewHasher(DefaultN)
	seen := map[uint64]bool{}
	var fps []uint64
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil
		}
		for _, c := range splitClauses(data) {
			if fp, n := h.Sum(c); n >= MinFeatures && !seen[fp] {
				seen[fp] = true
				fps = append(fps, fp)
			}
		}
	}
	return fps
})

// BenchmarkIndexClauses builds the index of the first n distinct clause
// fingerprints and enumerates its pairs, as scan does (addpairs), or
// enumerates the pairs of a built index (pairs). candidates/fp is
// what Stats reports for Pairs (pairs of fingerprints compared per distinct
// fingerprint), pairs the number found.
func BenchmarkIndexClauses(b *testing.B) {
	all := clauseFPs()
	if all == nil {
		b.Skipf("%s is absent: no real clause fingerprints", corporaDir)
	}
	for _, k := range []int{3, 6, 10} {
		for _, n := range []int{20000, 50000, 100000, 200000} {
			if n > len(all) {
				continue
			}
			fps := all[:n]
			b.Run(fmt.Sprintf("build/k=%d/n=%d", k, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					x := NewIndex(k)
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					x.Build()
				}
			})
			// What scan runs: Add everything, then Pairs on an index that
			// was never built, which sorts one table at a time. B/op is
			// everything allocated, the tables' buffers included.
			b.Run(fmt.Sprintf("addpairs/k=%d/n=%d", k, n), func(b *testing.B) {
				b.ReportAllocs()
				pairs := 0
				for b.Loop() {
					x := NewIndex(k)
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					pairs = 0
					x.Pairs(func(int32, int32, int) { pairs++ })
				}
				b.ReportMetric(float64(pairs), "pairs")
			})
			b.Run(fmt.Sprintf("pairs/k=%d/n=%d", k, n), func(b *testing.B) {
				x := NewIndex(k)
				for id, fp := range fps {
					x.Add(fp, int32(id))
				}
				x.Build()
				_, tables := x.Tables()
				pairs := 0
				b.ReportAllocs()
				for b.Loop() {
					pairs = 0
					x.Pairs(func(int32, int32, int) { pairs++ })
				}
				q, c := x.Stats()
				b.ReportMetric(float64(c)/float64(q), "candidates/fp")
				b.ReportMetric(float64(pairs), "pairs")
				b.ReportMetric(float64(tables), "tables")
			})
		}
	}
}
