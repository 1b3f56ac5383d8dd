package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForVisitsEveryIndexOnce(t *testing.T) {
	for _, tc := range []struct{ n, jobs int }{{0, 4}, {1, 4}, {7, 1}, {1000, 2}, {1000, 64}, {3, 16}} {
		seen := make([]int32, tc.n)
		For(tc.n, tc.jobs, func(i int) { atomic.AddInt32(&seen[i], 1) })
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d jobs=%d: index %d visited %d times", tc.n, tc.jobs, i, c)
			}
		}
	}
}

func TestWorkersOneWorkerPerGoroutine(t *testing.T) {
	var made atomic.Int32
	var calls atomic.Int32
	Workers(500, 4, func() func(int) {
		made.Add(1)
		return func(int) { calls.Add(1) }
	})
	if calls.Load() != 500 {
		t.Errorf("%d calls, want 500", calls.Load())
	}
	if m := made.Load(); m < 1 || m > 4 {
		t.Errorf("%d workers made, want 1 to 4", m)
	}
}
