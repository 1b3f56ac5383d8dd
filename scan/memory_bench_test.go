package scan

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// peakHeap samples the live heap objects every millisecond while run runs and returns the
// most seen, and the heap before run started.
func peakHeap(run func()) (peak, before uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	before = read()
	peak = before
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak = max(peak, read())
			}
		}
	})
	run()
	close(stop)
	wg.Wait()
	return max(peak, read()), before
}

// BenchmarkScanHeap reports the peak heap of the near-duplicate and passage side of a scan
// of the whole corpus (no slogans) above the documents themselves, per byte of text: the
// groundwork of a scan whose memory is bounded. Objects count as soon as they are allocated,
// so garbage not yet collected counts too; the collector runs at GOGC=10 meanwhile, so the
// figure is within about a tenth of the live heap's peak.
func BenchmarkScanHeap(b *testing.B) {
	docs, size := benchDocs(b, 10300)
	for _, jobs := range []int{1, 2} {
		b.Run(map[int]string{1: "jobs=1", 2: "jobs=2"}[jobs], func(b *testing.B) {
			var peak, before uint64
			defer debug.SetGCPercent(debug.SetGCPercent(10))
			for b.Loop() {
				peak, before = peakHeap(func() { Run(docs, Options{NoSlogans: true, Jobs: jobs}) })
			}
			b.ReportMetric(float64(peak-before)/1e6, "peak-MB")
			b.ReportMetric(float64(peak-before)/float64(size), "heap-B/text-B")
		})
	}
}
