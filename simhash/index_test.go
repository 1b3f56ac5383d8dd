package simhash

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

type hit struct {
	id   int32
	dist int
}

type pair struct {
	a, b int32
	dist int
}

func flipBits(r *rand.Rand, fp uint64, n int) uint64 {
	for _, b := range r.Perm(64)[:n] {
		fp ^= 1 << b
	}
	return fp
}

// plantedSet is random fingerprints, each followed by a few copies with 0..10
// bits flipped, so every distance around k occurs.
func plantedSet(r *rand.Rand, groups int) []uint64 {
	var fps []uint64
	for range groups {
		base := r.Uint64()
		fps = append(fps, base)
		for range r.IntN(4) {
			fps = append(fps, flipBits(r, base, r.IntN(11)))
		}
	}
	return fps
}

// skewedSet has one fingerprint shared by many ids, many near copies of it,
// and a background of random ones.
func skewedSet(r *rand.Rand) []uint64 {
	var fps []uint64
	hot := r.Uint64()
	for range 600 {
		fps = append(fps, hot)
	}
	for range 300 {
		fps = append(fps, flipBits(r, hot, 1+r.IntN(9)))
	}
	warm := r.Uint64()
	for range 50 {
		fps = append(fps, warm, flipBits(r, warm, 2))
	}
	for range 500 {
		fps = append(fps, r.Uint64())
	}
	r.Shuffle(len(fps), func(i, j int) { fps[i], fps[j] = fps[j], fps[i] })
	return fps
}

// realSet fingerprints the sentences of a sample of news stories.
func realSet(t *testing.T) []uint64 {
	t.Helper()
	stories := loadStories(t, "xinwenlianbo", 400)
	h := NewHasher(DefaultN)
	var fps []uint64
	for _, s := range stories {
		for _, sent := range splitSentences(s) {
			if fp, n := h.Sum(sent); n >= MinFeatures {
				fps = append(fps, fp)
			}
		}
	}
	return fps
}

func bruteQuery(fps []uint64, q uint64, k int) []hit {
	var out []hit
	for id, fp := range fps {
		if d := Distance(fp, q); d <= k {
			out = append(out, hit{int32(id), d})
		}
	}
	return out
}

func brutePairs(fps []uint64, k int) []pair {
	var out []pair
	for i := range fps {
		for j := i + 1; j < len(fps); j++ {
			if d := Distance(fps[i], fps[j]); d <= k {
				out = append(out, pair{int32(i), int32(j), d})
			}
		}
	}
	return out
}

func sortHits(h []hit) { slices.SortFunc(h, func(a, b hit) int { return cmp.Compare(a.id, b.id) }) }

func sortPairs(p []pair) {
	slices.SortFunc(p, func(x, y pair) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
}

func TestIndexMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	sets := []struct {
		name string
		fps  func(t *testing.T) []uint64
	}{
		{"planted", func(*testing.T) []uint64 { return plantedSet(r, 700) }},
		{"skewed", func(*testing.T) []uint64 { return skewedSet(r) }},
		{"real sentences", func(t *testing.T) []uint64 { return realSet(t) }},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			fps := set.fps(t)
			for k := 0; k <= 10; k++ {
				t.Run(fmt.Sprintf("k=%d", k), func(t *testing.T) {
					x := NewIndex(k)
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					// Queries: every 7th added fingerprint and some near
					// misses of them, so hits and empty answers both occur.
					for i := 0; i < len(fps); i += 7 {
						for _, q := range []uint64{fps[i], flipBits(r, fps[i], k), flipBits(r, fps[i], k+1)} {
							var got []hit
							x.Query(q, func(id int32, dist int) { got = append(got, hit{id, dist}) })
							want := bruteQuery(fps, q, k)
							sortHits(got)
							if !slices.Equal(got, want) {
								t.Fatalf("query %016x: index found %d, brute force %d", q, len(got), len(want))
							}
						}
					}
					var got []pair
					x.Pairs(func(a, b int32, dist int) {
						if a >= b {
							t.Fatalf("pair (%d, %d) not ordered", a, b)
						}
						got = append(got, pair{a, b, dist})
					})
					sortPairs(got)
					want := brutePairs(fps, k)
					if !slices.Equal(got, want) {
						t.Fatalf("Pairs: index found %d, brute force %d", len(got), len(want))
					}
				})
			}
		})
	}
}

func TestIndexSkewCostsOneCandidate(t *testing.T) {
	x := NewIndex(3)
	fp := uint64(0x0123456789abcdef)
	for id := range 5000 {
		x.Add(fp, int32(id))
	}
	x.Add(^fp, 5000)
	n := 0
	x.Query(fp, func(int32, int) { n++ })
	_, tables := x.Tables()
	if q, c := x.Stats(); n != 5000 || q != 1 || c > tables {
		t.Errorf("found %d ids with %d queries and %d candidates; want 5000 ids, 1 query, at most one candidate per table (%d)", n, q, c, tables)
	}
	if got := x.PostingLen(fp); got != 5000 {
		t.Errorf("PostingLen = %d, want 5000", got)
	}
}

func TestIndexAddAfterQuery(t *testing.T) {
	x := NewIndex(2)
	x.Add(0b111, 1)
	count := func(q uint64) int {
		n := 0
		x.Query(q, func(int32, int) { n++ })
		return n
	}
	if n := count(0b100); n != 1 {
		t.Fatalf("before Add: %d hits, want 1", n)
	}
	x.Add(0b101, 2)
	if n := count(0b100); n != 2 {
		t.Fatalf("after Add: %d hits, want 2 (the index must rebuild)", n)
	}
}

// TestChooseBlocks pins the choices BenchmarkIndexBlocks found fastest for
// build plus Pairs on real clause fingerprints (run it to recheck), and the
// table cap.
func TestChooseBlocks(t *testing.T) {
	for _, c := range []struct{ k, m, b int }{
		{0, 1000000, 1}, {1, 100, 2},
		{3, 20000, 4}, {3, 200000, 4},
		{6, 20000, 7}, {6, 100000, 8}, {6, 200000, 8},
		{10, 20000, 12}, {10, 200000, 12},
		{16, 1000000, 17},
	} {
		t.Run(fmt.Sprintf("k=%d,m=%d", c.k, c.m), func(t *testing.T) {
			b := chooseBlocks(c.k, c.m)
			if b != c.b {
				t.Errorf("chooseBlocks = %d, want %d", b, c.b)
			}
			if n := binomial(b, c.k); n > maxTables {
				t.Errorf("%d tables exceed the cap %d", n, maxTables)
			}
		})
	}
}

func TestNewIndexPanics(t *testing.T) {
	for _, k := range []int{-1, 17} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewIndex(%d) did not panic", k)
				}
			}()
			NewIndex(k)
		})
	}
}

func BenchmarkIndex(b *testing.B) {
	var real []uint64
	if _, err := os.Stat(corporaDir); err == nil {
		stories := readStories(b, filepath.Join(corporaDir, "xinwenlianbo", "texts"), 10300)
		h := NewHasher(DefaultN)
		for _, s := range stories {
			for _, sent := range splitSentences(s) {
				if fp, n := h.Sum(sent); n >= MinFeatures {
					real = append(real, fp)
				}
			}
		}
	}
	for _, k := range []int{3, 6, 8} {
		for _, size := range []int{1000, 10000, 100000} {
			sets := []struct {
				name string
				fps  []uint64
			}{{"random", plantedSet(rand.New(rand.NewPCG(7, 8)), size)[:size]}}
			if len(real) >= size {
				sets = append(sets, struct {
					name string
					fps  []uint64
				}{"sentences", real[:size]})
			}
			for _, set := range sets {
				fps := set.fps
				b.Run(fmt.Sprintf("build/k=%d/%s/%d", k, set.name, len(fps)), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						x := NewIndex(k)
						for id, fp := range fps {
							x.Add(fp, int32(id))
						}
						x.Build()
					}
				})
				b.Run(fmt.Sprintf("query/k=%d/%s/%d", k, set.name, len(fps)), func(b *testing.B) {
					x := NewIndex(k)
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					x.Build()
					_, tables := x.Tables()
					b.ReportAllocs()
					hits, i := 0, 0
					for b.Loop() {
						x.Query(fps[i%len(fps)], func(int32, int) { hits++ })
						i++
					}
					q, c := x.Stats()
					b.ReportMetric(float64(c)/float64(q), "candidates/query")
					b.ReportMetric(float64(hits)/float64(q), "hits/query")
					b.ReportMetric(float64(tables), "tables")
				})
			}
		}
	}
}

// TestIndexEveryBlockCount checks Pairs and Query against brute force for
// every block count the index could use, not only the one chooseBlocks
// picks, so that keys of one to six radix digits, adjacent and separate key
// blocks, and the comparison sort for small sets are all exercised.
func TestIndexEveryBlockCount(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	sets := []struct {
		name string
		fps  []uint64
	}{
		{"planted", plantedSet(r, 700)},
		{"small", plantedSet(r, 40)},
	}
	for _, set := range sets {
		for _, k := range []int{0, 1, 2, 3, 6, 10} {
			// Block sets are 32-bit; chooseBlocks never goes past k+1 <= 17.
			for b := k + 1; b <= 32 && binomial(b, k) <= 120; b++ {
				t.Run(fmt.Sprintf("%s/k=%d/b=%d", set.name, k, b), func(t *testing.T) {
					x := NewIndex(k)
					x.blocksN = b
					for id, fp := range set.fps {
						x.Add(fp, int32(id))
					}
					var got []pair
					x.Pairs(func(a, b int32, dist int) { got = append(got, pair{a, b, dist}) })
					sortPairs(got)
					if want := brutePairs(set.fps, k); !slices.Equal(got, want) {
						t.Fatalf("Pairs: index found %d, brute force %d", len(got), len(want))
					}
					for i := 0; i < len(set.fps); i += 11 {
						q := flipBits(r, set.fps[i], k)
						var hits []hit
						x.Query(q, func(id int32, dist int) { hits = append(hits, hit{id, dist}) })
						sortHits(hits)
						if want := bruteQuery(set.fps, q, k); !slices.Equal(hits, want) {
							t.Fatalf("query %016x: index found %d, brute force %d", q, len(hits), len(want))
						}
					}
				})
			}
		}
	}
}

// TestPairsOrderWithoutBuild checks that Pairs on an index Build has not
// sorted (one table at a time, in buffers of its own) makes the same calls,
// in the same order, as Pairs on the sorted tables, and leaves them unsorted.
func TestPairsOrderWithoutBuild(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	sets := []struct {
		name string
		fps  []uint64
	}{
		{"planted", plantedSet(r, 700)},
		{"skewed", skewedSet(r)},
		{"small", plantedSet(r, 40)},
	}
	for _, set := range sets {
		for _, k := range []int{0, 3, 6, 10} {
			t.Run(fmt.Sprintf("%s/k=%d", set.name, k), func(t *testing.T) {
				collect := func(build bool) ([]pair, *Index) {
					x := NewIndex(k)
					for id, fp := range set.fps {
						x.Add(fp, int32(id))
					}
					if build {
						x.Build()
					}
					var got []pair
					x.Pairs(func(a, b int32, dist int) { got = append(got, pair{a, b, dist}) })
					return got, x
				}
				lazy, x := collect(false)
				built, _ := collect(true)
				if len(built) == 0 {
					t.Fatal("no pairs: the set does not exercise Pairs")
				}
				if !slices.Equal(lazy, built) {
					t.Fatalf("Pairs without Build made %d calls, with Build %d, or in another order", len(lazy), len(built))
				}
				for i, tb := range x.tables {
					if tb.fps != nil {
						t.Fatalf("Pairs without Build kept table %d (%d fingerprints)", i, len(tb.fps))
					}
				}
			})
		}
	}
}

// TestPairsJobsSameCalls checks that PairsJobs makes the calls Pairs makes, in the same
// order, whatever the number of goroutines and whether the tables were built.
func TestPairsJobsSameCalls(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, fps := range [][]uint64{plantedSet(r, 700), skewedSet(r)} {
		for _, k := range []int{0, 3, 6, 10} {
			for _, build := range []bool{false, true} {
				collect := func(jobs int) []pair {
					x := NewIndex(k)
					for id, fp := range fps {
						x.Add(fp, int32(id))
					}
					if build {
						x.Build()
					}
					var got []pair
					x.PairsJobs(jobs, func(a, b int32, dist int) { got = append(got, pair{a, b, dist}) })
					return got
				}
				want := collect(1)
				if len(want) == 0 {
					t.Fatalf("k=%d: no pairs: the set does not exercise Pairs", k)
				}
				for _, jobs := range []int{2, 5} {
					if got := collect(jobs); !slices.Equal(got, want) {
						t.Fatalf("k=%d build=%v jobs=%d: %d calls, Pairs made %d, or in another order", k, build, jobs, len(got), len(want))
					}
				}
			}
		}
	}
}
