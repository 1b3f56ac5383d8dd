package slogan

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkFindHeap reports the peak heap of Find on xinwenlianbo above the documents
// themselves. Objects count as soon as they are allocated, so garbage not yet collected
// counts too; the collector runs at GOGC=10 meanwhile, so the figure is within about a tenth
// of the live heap's peak.
func BenchmarkFindHeap(b *testing.B) {
	docs := loadXinwen(b)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var peak, before uint64
	for b.Loop() {
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
		Find(docs, Options{Jobs: 2})
		close(stop)
		wg.Wait()
		peak = max(peak, read())
	}
	b.ReportMetric(float64(peak-before)/1e6, "peak-MB")
}
