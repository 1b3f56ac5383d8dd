package match

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomRuns makes sorted runs of anchors whose hashes collide often (few distinct values
// spread over the whole range), as stock phrases do.
func randomRuns(rng *rand.Rand, runs int) [][]anchorRef {
	out := make([][]anchorRef, runs)
	for k := range out {
		for range rng.IntN(400) {
			h := uint64(rng.IntN(50)) * (^uint64(0) / 50)
			out[k] = append(out[k], anchorRef{h, int32(rng.IntN(30)), int32(rng.IntN(1000))})
		}
		slices.SortFunc(out[k], compareAnchorRefs)
	}
	return out
}

// TestInMemoryPartsMergeAsMerge shows that merging the parts one after another yields what
// merging the whole runs yields, and that spilled runs are not cut.
func TestInMemoryPartsMergeAsMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 30 {
		runs := randomRuns(rng, 1+rng.IntN(5))
		var want []anchorRef
		whole := &sortedRuns[anchorRef]{cmp: compareAnchorRefs, codec: anchorCodec}
		for _, run := range runs {
			whole.keep(slices.Clone(run), true)
		}
		if err := whole.merge(func(r anchorRef) { want = append(want, r) }); err != nil {
			t.Fatal(err)
		}
		r := &sortedRuns[anchorRef]{cmp: compareAnchorRefs, codec: anchorCodec}
		for _, run := range runs {
			r.keep(run, true)
		}
		parts, ok := r.inMemoryParts(anchorShardBits, func(a anchorRef) uint64 { return a.hash })
		if !ok {
			t.Fatal("runs in memory not cut into parts")
		}
		if r.mem != nil {
			t.Error("the parts were handed over, but the runs still hold them")
		}
		var got []anchorRef
		for k, part := range parts {
			for _, run := range part {
				for _, a := range run {
					if a.hash>>(64-anchorShardBits) != uint64(k) {
						t.Fatalf("anchor %x in part %d", a.hash, k)
					}
				}
			}
			mergeSorted(part, compareAnchorRefs, func(a anchorRef) { got = append(got, a) })
		}
		if !slices.Equal(got, want) {
			t.Fatalf("parts merged give %d anchors, not the %d of the merged runs, or another order", len(got), len(want))
		}
	}
	spilled := &sortedRuns[anchorRef]{cmp: compareAnchorRefs, codec: anchorCodec, files: []string{"run-000001"}}
	if _, ok := spilled.inMemoryParts(anchorShardBits, func(a anchorRef) uint64 { return a.hash }); ok {
		t.Error("runs with one on disk were cut into parts")
	}
}

// TestMergeSortedKeepsRunOrderOnTies shows that of records cmp holds equal, those of the
// earlier run come first.
func TestMergeSortedKeepsRunOrderOnTies(t *testing.T) {
	type rec struct{ key, run int }
	byKey := func(x, y rec) int { return cmp.Compare(x.key, y.key) }
	runs := [][]rec{{{1, 0}, {3, 0}, {3, 0}}, {{1, 1}, {2, 1}, {3, 1}}, {}, {{0, 3}, {3, 3}}}
	var got []rec
	mergeSorted(runs, byKey, func(r rec) { got = append(got, r) })
	want := []rec{{0, 3}, {1, 0}, {1, 1}, {2, 1}, {3, 0}, {3, 0}, {3, 1}, {3, 3}}
	if !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
}

// TestByComponentIsAStableSortByComponent compares byComponent with a stable sort of the
// candidates by the smallest document of their component.
func TestByComponentIsAStableSortByComponent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 30 {
		n := 2 + rng.IntN(60)
		var cands []candidate
		for range rng.IntN(3 * n) {
			a, b := int32(rng.IntN(n)), int32(rng.IntN(n))
			cands = append(cands, candidate{a: min(a, b), b: max(a, b)})
		}
		var order []int32
		for i := range cands {
			if rng.IntN(4) > 0 {
				order = append(order, int32(i))
			}
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		got := byComponent(cands, order, n)
		// The component of a document is its smallest member, found by spreading it.
		comp := make([]int32, n)
		for d := range comp {
			comp[d] = int32(d)
		}
		for changed := true; changed; {
			changed = false
			for _, k := range order {
				c := &cands[k]
				if m := min(comp[c.a], comp[c.b]); comp[c.a] != m || comp[c.b] != m {
					comp[c.a], comp[c.b], changed = m, m, true
				}
			}
		}
		want := slices.Clone(order)
		slices.SortStableFunc(want, func(x, y int32) int { return cmp.Compare(comp[cands[x].a], comp[cands[y].a]) })
		if !slices.Equal(got, want) {
			t.Fatalf("byComponent %v, want %v", got, want)
		}
	}
}

// TestSortAnchorRunAsSortFunc compares sortAnchorRun with slices.SortFunc on runs of
// uniform hashes with repeats (stock phrases) and equal anchors.
func TestSortAnchorRunAsSortFunc(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 100, 5000, 70000} {
		run := make([]anchorRef, n)
		for i := range run {
			h := rng.Uint64()
			if rng.IntN(5) == 0 {
				h = uint64(rng.IntN(3)) << 50 // one of a few phrases, many copies each
			}
			run[i] = anchorRef{h, int32(rng.IntN(200)), int32(rng.IntN(5))}
		}
		want := slices.Clone(run)
		slices.SortFunc(want, compareAnchorRefs)
		sortAnchorRun(run)
		if !slices.Equal(run, want) {
			t.Fatalf("%d anchors: sortAnchorRun differs from slices.SortFunc", n)
		}
	}
}

// TestSortSeedClauseRunAsSortFunc is TestSortAnchorRunAsSortFunc for seed clauses.
func TestSortSeedClauseRunAsSortFunc(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	run := make([]seedClause, 30000)
	for i := range run {
		h := rng.Uint64()
		if rng.IntN(4) == 0 {
			h = uint64(rng.IntN(2)) << 60
		}
		run[i] = seedClause{hash: h, fp: rng.Uint64(), ref: clauseRef{int32(rng.IntN(300)), int32(rng.IntN(40))}}
	}
	want := slices.Clone(run)
	slices.SortFunc(want, compareSeedClauses)
	sortSeedClauseRun(run)
	for i := range run {
		if compareSeedClauses(run[i], want[i]) != 0 {
			t.Fatalf("clause %d: %+v, want %+v", i, run[i], want[i])
		}
	}
}

// BenchmarkSortAnchorRun sorts a worker's run of a million anchors, as the streaming search
// keeps them, by sortAnchorRun and by slices.SortFunc.
func BenchmarkSortAnchorRun(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	src := make([]anchorRef, 1<<20)
	for i := range src {
		src[i] = anchorRef{rng.Uint64(), int32(i / 100), int32(i % 100 * 3)}
	}
	run := make([]anchorRef, len(src))
	for _, sorter := range []struct {
		name string
		sort func([]anchorRef)
	}{
		{"radix", sortAnchorRun},
		{"sortfunc", func(r []anchorRef) { slices.SortFunc(r, compareAnchorRefs) }},
	} {
		b.Run(sorter.name, func(b *testing.B) {
			for b.Loop() {
				copy(run, src)
				sorter.sort(run)
			}
		})
	}
}
