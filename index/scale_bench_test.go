package index

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/neardup/neardup/match"
)

// BenchmarkCandidatesScale opens a synthetic index of N documents (NEARDUP_BENCH_DOCS,
// default 100,000; 1,000,000 takes a few minutes and about 5 GB to build) with 28 seed
// clauses each, the average of xinwenlianbo, and finds the candidates of one real story,
// which three indexed documents share clauses with: the part of a check that reads the
// index. Each iteration maps the file anew, as a check process does; the page cache is warm.
//
//	NEARDUP_BENCH_DOCS=1000000 go test -run '^$' -bench CandidatesScale -benchtime 20x ./index
func BenchmarkCandidatesScale(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("NEARDUP_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	file, story := syntheticIndex(b, n)
	prints := []match.DocPrint{match.Print(story, match.Resolved(match.Options{}))}
	opt := match.Resolved(match.Options{})
	b.ResetTimer()
	read := 0
	for range b.N {
		x, _, err := Open(file, Options{Quick: true})
		if err != nil {
			b.Fatal(err)
		}
		if got := x.Candidates(prints, nil, opt); len(got) != 3 || x.Err() != nil {
			b.Fatalf("%d candidates, %v; want the 3 planted", len(got), x.Err())
		}
		read = x.v.blocksRead()
	}
	// What a check reads of the index, whatever the machine's load.
	b.ReportMetric(float64(read*blockSize>>10), "KiB-read/op")
}

var (
	synthetic     sync.Map // documents -> file, kept across the benchmark's runs
	syntheticDirs []string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range syntheticDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func syntheticIndex(b *testing.B, n int) (file, story string) {
	data, err := os.ReadFile("../testdata/corpus/001_48da54082cd1e79e.txt")
	if err != nil {
		b.Fatal(err)
	}
	story = string(data)
	if f, ok := synthetic.Load(n); ok {
		return f.(string), story
	}
	p := match.Print(story, match.Resolved(match.Options{}))
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	x := &Index{Settings: CurrentSettings(0, ""), Root: "/nonexistent", Roots: []string{"."}, Entries: make([]Entry, n)}
	for i := range x.Entries {
		e := &x.Entries[i]
		e.Path = fmt.Sprintf("docs/%07d.txt", i)
		e.Size, e.ModTime = 2000, 1
		e.FP, e.Features = rng.Uint64(), 500
		e.FirstClause, e.NumClauses = int32(x.Seeds.n), 28
		planted := i%(n/3) == 7 // three documents hold a seed clause of the story
		for k := range 28 {
			c := Clause{Start: int32(10 * k), End: int32(10*k + 9), Hash: rng.Uint64(), FP: rng.Uint64(), DF: 1}
			if planted && k == 0 {
				for _, s := range p.Clauses {
					if s.Seed {
						c.Hash, c.FP, c.DF = s.Hash, s.FP, 3
						break
					}
				}
			}
			x.Seeds.append(c)
		}
	}
	dir, err := os.MkdirTemp("", "neardup-bench")
	if err != nil {
		b.Fatal(err)
	}
	syntheticDirs = append(syntheticDirs, dir)
	file = filepath.Join(dir, "index")
	if err := x.Write(file); err != nil {
		b.Fatal(err)
	}
	if fi, err := os.Stat(file); err == nil {
		b.Logf("synthetic index of %d documents: %d MB", n, fi.Size()>>20)
	}
	synthetic.Store(n, file)
	return file, story
}
