package match

import "sync"

// parallel calls the function made by newWorker for every i in [0,n), on jobs goroutines.
// Each goroutine gets its own worker, so scratch memory is not shared. Callers write results
// by index, which keeps output independent of scheduling.
func parallel(n, jobs int, newWorker func() func(i int)) {
	if jobs <= 1 || n < 2 {
		w := newWorker()
		for i := range n {
			w(i)
		}
		return
	}
	jobs = min(jobs, n)
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range jobs {
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
