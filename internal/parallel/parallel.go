// Package parallel runs independent work items on a fixed number of goroutines. Callers write
// each result into its own slot by index, so what they produce never depends on scheduling.
package parallel

import (
	"sync"
	"sync/atomic"
)

// For calls work(i) for every i in [0,n) on up to jobs goroutines and returns when all are
// done. With jobs <= 1 it runs in the calling goroutine, in order.
func For(n, jobs int, work func(i int)) {
	Workers(n, jobs, func() func(int) { return work })
}

// Workers is For with state per goroutine: newWorker is called once for each goroutine and
// the function it returns does that goroutine's share, so scratch memory is never shared.
func Workers(n, jobs int, newWorker func() func(i int)) {
	if jobs <= 1 || n < 2 {
		w := newWorker()
		for i := range n {
			w(i)
		}
		return
	}
	workers := make([]func(int), min(jobs, n))
	for g := range workers {
		workers[g] = newWorker()
	}
	// Goroutines take the next block of indices from a shared counter: handing them out one
	// by one through a channel kept a third goroutine busy feeding it, and each item paid a
	// channel hand-off, as much as a short item's own work. Blocks are small enough that the
	// last ones still spread over the goroutines.
	block := int64(max(1, min(maxBlock, n/(len(workers)*blocksPerWorker))))
	var next atomic.Int64
	run := func(w func(int)) {
		for {
			hi := next.Add(block)
			lo := hi - block
			if lo >= int64(n) {
				return
			}
			for i := lo; i < min(hi, int64(n)); i++ {
				w(int(i))
			}
		}
	}
	var wg sync.WaitGroup
	for _, w := range workers[1:] {
		wg.Go(func() { run(w) })
	}
	run(workers[0])
	wg.Wait()
}

// A goroutine takes at most maxBlock indices at a time, and at least blocksPerWorker blocks
// are made for each goroutine.
const (
	maxBlock        = 16
	blocksPerWorker = 64
)
