package match

import "sort"

// inMemoryParts cuts the runs of r, when none was spilled, into 1<<partBits parts by the
// top partBits bits of key(record), which must order the runs as their cmp does first: part
// k holds, for every run, the records whose key starts with k. The parts can then be merged
// on their own, on several goroutines, where merge walks every record on one. It hands the
// runs over as merge does (r holds none afterwards); ok is false, and r is left as it was,
// when a run is on disk or a spill failed.
func (r *sortedRuns[T]) inMemoryParts(partBits uint, key func(T) uint64) (parts [][][]T, ok bool) {
	if r.err != nil || len(r.files) > 0 {
		return nil, false
	}
	parts = make([][][]T, 1<<partBits)
	shift := 64 - partBits
	for _, run := range r.mem {
		lo := 0
		for k := range parts {
			hi := len(run)
			if k+1 < len(parts) {
				hi = lo + sort.Search(len(run)-lo, func(i int) bool { return key(run[lo+i])>>shift > uint64(k) })
			}
			if hi > lo {
				parts[k] = append(parts[k], run[lo:hi])
			}
			lo = hi
		}
	}
	r.mem = nil
	return parts, true
}

// mergeSorted calls yield with every record of the sorted runs, in the order of cmp; of
// records that cmp holds equal, those of earlier runs come first, as merge gives them.
func mergeSorted[T any](runs [][]T, cmp func(x, y T) int, yield func(T)) {
	switch len(runs) {
	case 0:
		return
	case 1:
		for _, x := range runs[0] {
			yield(x)
		}
		return
	}
	// A binary heap of the runs' positions, least head first, ties to the earlier run.
	heads := make([]int, len(runs))
	heap := make([]int, 0, len(runs))
	less := func(i, j int) bool {
		if c := cmp(runs[i][heads[i]], runs[j][heads[j]]); c != 0 {
			return c < 0
		}
		return i < j
	}
	down := func(at int) {
		for {
			m, l, rr := at, 2*at+1, 2*at+2
			if l < len(heap) && less(heap[l], heap[m]) {
				m = l
			}
			if rr < len(heap) && less(heap[rr], heap[m]) {
				m = rr
			}
			if m == at {
				return
			}
			heap[at], heap[m] = heap[m], heap[at]
			at = m
		}
	}
	for i, run := range runs {
		if len(run) > 0 {
			heap = append(heap, i)
		}
	}
	for at := len(heap)/2 - 1; at >= 0; at-- {
		down(at)
	}
	for len(heap) > 0 {
		i := heap[0]
		yield(runs[i][heads[i]])
		if heads[i]++; heads[i] == len(runs[i]) {
			heap[0] = heap[len(heap)-1]
			heap = heap[:len(heap)-1]
		}
		down(0)
	}
}

// concatReleasing puts parts end to end in one slice of their exact total size, dropping
// each part once copied, so that the parts and the whole are not all held at the peak.
func concatReleasing[T any](parts [][]T) []T {
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make([]T, 0, total)
	for i := range parts {
		out = append(out, parts[i]...)
		parts[i] = nil
	}
	return out
}
