// Package parallel runs independent work items on a fixed number of goroutines. Callers write
// each result into its own slot by index, so what they produce never depends on scheduling.
package parallel

import "sync"

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
	next := make(chan int, 64)
	var wg sync.WaitGroup
	for range min(jobs, n) {
		w := newWorker()
		wg.Go(func() {
			for i := range next {
				w(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
