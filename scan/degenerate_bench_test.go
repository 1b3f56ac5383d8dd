package scan_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

// BenchmarkDegenerateIdentical scans n identical copies of one story, by default (copies
// compared once, one group) and with AllPairs (every copy compared, every pair listed), and
// reports the pairs and the JSON output's size: linear against quadratic. bench/degenerate.sh
// measures the whole process with its peak memory at 10,000 copies.
func BenchmarkDegenerateIdentical(b *testing.B) {
	story, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "003_3f59fbc2fd11db04.txt"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{100, 200, 400} {
		var docs []*corpus.Document
		for i := range n {
			docs = append(docs, &corpus.Document{Path: fmt.Sprintf("copy/%05d.txt", i), Text: string(story)})
		}
		for _, all := range []bool{false, true} {
			name := fmt.Sprintf("copies=%d/all-pairs=%v", n, all)
			b.Run(name, func(b *testing.B) {
				var res *report.Result
				for b.Loop() {
					res = scan.Run(docs, scan.Options{NoSlogans: true, AllPairs: all, Jobs: 1})
				}
				var out bytes.Buffer
				if err := report.WriteJSON(&out, res); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(res.Duplicates)), "pairs")
				b.ReportMetric(float64(out.Len()), "json-bytes")
			})
		}
	}
}
