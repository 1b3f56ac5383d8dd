package parallel

import "slices"

// sortSplitMin is the shortest slice SortFunc splits: below it one goroutine sorts faster
// than two can be started and joined.
const sortSplitMin = 1 << 14

// sortDepth is how many times SortFunc splits: four parts keep two workers busy even
// when a pivot falls badly.
const sortDepth = 2

// SortFunc sorts s by cmp on up to jobs goroutines. The parts it sorts apart are chosen
// from s alone (a pivot from fixed sample positions), never from jobs, so the order of
// elements that cmp holds equal is the same for every jobs; with a total order cmp the
// result is the one slices.SortFunc gives.
func SortFunc[E any](s []E, cmp func(a, b E) int, jobs int) {
	var parts [][]E
	split(s, cmp, sortDepth, &parts)
	For(len(parts), jobs, func(i int) { slices.SortFunc(parts[i], cmp) })
}

// split cuts s into parts, each of whose elements sort before the next part's, after
// depth rounds of partitioning around a pivot; a run of elements equal to the pivot is
// already in place and is left out.
func split[E any](s []E, cmp func(a, b E) int, depth int, parts *[][]E) {
	if depth == 0 || len(s) < sortSplitMin {
		*parts = append(*parts, s)
		return
	}
	pivot := medianOf3(s[len(s)/4], s[len(s)/2], s[3*len(s)/4], cmp)
	// Three-way partition (Dijkstra): s[:lt] < pivot, s[lt:i] == pivot, s[gt:] > pivot.
	lt, i, gt := 0, 0, len(s)
	for i < gt {
		switch c := cmp(s[i], pivot); {
		case c < 0:
			s[lt], s[i] = s[i], s[lt]
			lt++
			i++
		case c > 0:
			gt--
			s[i], s[gt] = s[gt], s[i]
		default:
			i++
		}
	}
	split(s[:lt], cmp, depth-1, parts)
	split(s[gt:], cmp, depth-1, parts)
}

func medianOf3[E any](a, b, c E, cmp func(a, b E) int) E {
	if cmp(a, b) > 0 {
		a, b = b, a
	}
	if cmp(b, c) > 0 {
		b = c
		if cmp(a, b) > 0 {
			b = a
		}
	}
	return b
}
