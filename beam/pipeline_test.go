package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

// TestMain runs the pipelines on Prism in this process unless --runner says otherwise.
func TestMain(m *testing.M) { ptest.Main(m) }

// The Beam pipeline is compared with scan.Run with NoSlogans and AllPairs, byte for byte on
// the JSON: the pipeline mines no slogans, and a scan that does leaves slogan spans out of
// the passage seeds, so its passages are those of a different search; and the pipeline
// verifies copies with the same normalised text pair by pair, as AllPairs does, instead of
// collapsing them into an identical group.
func TestPipelineEqualsScanOnTestdata(t *testing.T) {
	res := compareWithScan(t, "../testdata/corpus")
	if len(res.Duplicates) == 0 || len(res.Passages) == 0 {
		t.Fatalf("testdata/corpus gave %d duplicates and %d passages: nothing compared", len(res.Duplicates), len(res.Passages))
	}
}

func TestPipelineEqualsScanOnPlantedCorpus(t *testing.T) {
	dir := t.TempDir()
	writePlanted(t, dir)
	res := compareWithScan(t, dir)
	// The planted copies must be there, or the comparison proves little.
	if len(res.Duplicates) < 5 || len(res.Passages) < 10 || len(res.Capped) == 0 {
		t.Fatalf("planted corpus gave %d duplicates, %d passages, %d capped clauses",
			len(res.Duplicates), len(res.Passages), len(res.Capped))
	}
	for k := range 5 {
		if !hasPassage(res, fmt.Sprintf("paste_%d.txt", k), sourceName(t, (k+2)%5)) {
			t.Errorf("paste_%d.txt: no passage with its pasted source", k)
		}
	}
}

// A folder that does not exist is an error before any pipeline runs.
func TestMissingInputIsAnError(t *testing.T) {
	err := run(context.Background(), filepath.Join(t.TempDir(), "nowhere"), filepath.Join(t.TempDir(), "out.json"), "")
	if err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("got %v, want an error naming the folder", err)
	}
}

// An empty folder still gives a result, with nothing in it.
func TestEmptyInputWritesEmptyResult(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	if err := run(context.Background(), t.TempDir(), out, ""); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"documents": []`)) {
		t.Fatalf("empty input: %s", got)
	}
}

// compareWithScan runs the pipeline on dir and scan.Run on the same files and fails unless
// the JSON is the same; it returns scan's result.
func compareWithScan(t *testing.T, dir string) *report.Result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "beam.json")
	if err := run(context.Background(), dir, out, ""); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	docs, skips, err := corpus.Load([]string{dir}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := scan.Run(docs, scan.Options{NoSlogans: true, AllPairs: true, Skipped: skips})
	var want bytes.Buffer
	if err := report.WriteJSON(&want, res); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("Beam's result differs from scan's:\n%s", firstDifference(got, want.Bytes()))
	}
	return res
}

func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n beam: %s\n scan: %s", i+1, gl, wl)
		}
	}
	return "same lines"
}

func hasPassage(res *report.Result, a, b string) bool {
	return slices.ContainsFunc(res.Passages, func(p report.Passage) bool {
		x, y := filepath.Base(p.A), filepath.Base(p.B)
		return x == a && y == b || x == b && y == a
	})
}

// sources are the Chinese articles of testdata/corpus the planted corpus is made from.
func sources(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("../testdata/corpus/00[0-4]_*.txt")
	if err != nil || len(names) != 5 {
		t.Fatalf("testdata/corpus: want 5 articles 000-004, got %v (%v)", names, err)
	}
	return names
}

func sourceName(t *testing.T, i int) string { return filepath.Base(sources(t)[i]) }

// The disclaimer is appended to 15 documents, above the default limit of 10, so it is
// capped; its variant in a few of them makes it a near variant too.
const (
	disclaimer        = "本文来源于网络转载，版权归原作者所有，如有侵权请联系本站删除。"
	disclaimerVariant = "本文来源于网络转载，版权归原作者所有，如有侵权请联系我们删除。"
)

// writePlanted builds a corpus from the articles, deterministically: the articles; each one
// edited throughout (a near-duplicate); a document pasted together from three articles'
// parts (copied passages); a short excerpt of each; the disclaimer in the made-up ones.
func writePlanted(t *testing.T, dir string) {
	t.Helper()
	var texts [][]rune
	for _, name := range sources(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, []rune(string(b)))
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(15, 2026))
	part := func(text []rune, from, to float64) string {
		return string(text[int(from*float64(len(text))):int(to*float64(len(text)))])
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for k, text := range texts {
		edited := slices.Clone(text)
		for i := range edited {
			if r.IntN(50) == 0 { // 2% of the characters replaced by others of the text
				edited[i] = text[r.IntN(len(text))]
			}
		}
		tail := disclaimer
		if k%2 == 1 {
			tail = disclaimerVariant
		}
		write(fmt.Sprintf("edit_%d.txt", k), string(edited)+"\n"+tail+"\n")
		write(fmt.Sprintf("paste_%d.txt", k),
			part(text, 0, 0.35)+"\n"+part(texts[(k+2)%5], 0.35, 0.65)+"\n"+part(texts[(k+3)%5], 0.75, 1)+"\n"+tail+"\n")
		write(fmt.Sprintf("short_%d.txt", k), part(text, 0.1, 0.3)+"\n"+disclaimer+"\n")
	}
}
