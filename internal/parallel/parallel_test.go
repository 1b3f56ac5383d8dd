package parallel

import (
	"slices"
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

func TestSortFuncSortsAndIgnoresJobs(t *testing.T) {
	type pair struct{ key, tag int }
	byKey := func(a, b pair) int { return a.key - b.key } // not total: tags of equal keys
	for _, n := range []int{0, 1, 100, sortSplitMin - 1, sortSplitMin * 5} {
		base := make([]pair, n)
		x := uint32(12345)
		for i := range base {
			x = x*1664525 + 1013904223
			base[i] = pair{int(x>>20) % (n/3 + 1), i}
		}
		var first []pair
		for _, jobs := range []int{1, 2, 7} {
			s := slices.Clone(base)
			SortFunc(s, byKey, jobs)
			if !slices.IsSortedFunc(s, byKey) {
				t.Fatalf("n=%d jobs=%d: not sorted", n, jobs)
			}
			if jobs == 1 {
				first = s
				continue
			}
			if !slices.Equal(s, first) {
				t.Fatalf("n=%d: jobs=%d orders equal keys unlike jobs=1", n, jobs)
			}
		}
		tags := make([]int, n)
		for i, p := range first {
			tags[i] = p.tag
		}
		slices.Sort(tags)
		for i, tag := range tags {
			if tag != i {
				t.Fatalf("n=%d: element %d lost or repeated", n, i)
			}
		}
	}
}
