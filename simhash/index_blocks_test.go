package simhash

import (
	"fmt"
	"testing"
)

// BenchmarkIndexBlocks sweeps the number of blocks b on real clause
// fingerprints: build plus Pairs (what scan runs once) and single queries,
// to check the choice chooseBlocks makes (marked chosen=1).
func BenchmarkIndexBlocks(b *testing.B) {
	all := clauseFPs()
	if all == nil {
		b.Skipf("%s is absent: no real clause fingerprints", corporaDir)
	}
	for _, k := range []int{3, 6, 10} {
		for _, n := range []int{20000, 50000, 100000, 200000} {
			fps := all[:min(n, len(all))]
			for blocks := k + 1; binomial(blocks, k) <= 120; blocks++ {
				chosen := 0
				if blocks == chooseBlocks(k, len(fps)) {
					chosen = 1
				}
				name := fmt.Sprintf("k=%d/n=%d/b=%d/chosen=%d", k, len(fps), blocks, chosen)
				b.Run("scan/"+name, func(b *testing.B) {
					var x *Index
					for b.Loop() {
						x = NewIndex(k)
						x.blocksN = blocks
						for id, fp := range fps {
							x.Add(fp, int32(id))
						}
						x.Pairs(func(int32, int32, int) {})
					}
					q, c := x.Stats()
					b.ReportMetric(float64(c)/float64(q), "candidates/fp")
				})
				b.Run("query/"+name, func(b *testing.B) {
					x := NewIndex(k)
					x.blocksN = blocks
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					x.Build()
					i := 0
					for b.Loop() {
						x.Query(fps[i%len(fps)], func(int32, int) {})
						i++
					}
					q, c := x.Stats()
					b.ReportMetric(float64(c)/float64(q), "candidates/query")
				})
			}
		}
	}
}
