package scan_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/scan"
)

func TestRunReportsProgress(t *testing.T) {
	docs, _, err := corpus.Load([]string{filepath.Join("..", "testdata", "corpus")}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type last struct{ done, total int }
	var mu sync.Mutex
	var stages []string
	seen := map[string]last{}
	progress := func(stage string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
		if done > total && total >= 0 {
			t.Errorf("%s: %d of %d", stage, done, total)
		}
		if done >= seen[stage].done {
			seen[stage] = last{done, total}
		}
	}
	quiet := scan.Run(docs, scan.Options{Jobs: 2})
	res := scan.Run(docs, scan.Options{Jobs: 2, Progress: progress})
	if !reflect.DeepEqual(quiet, res) {
		t.Error("the result depends on the progress callback")
	}
	want := []string{match.StageFingerprint, match.StageCompare, scan.StageSlogans, match.StagePassages}
	if !reflect.DeepEqual(stages, want) {
		t.Errorf("stages %q, want %q", stages, want)
	}
	if got := seen[match.StageFingerprint]; got.done != len(docs) || got.total != len(docs) {
		t.Errorf("fingerprinting ended at %d of %d, want %d", got.done, got.total, len(docs))
	}
	if got := seen[match.StageCompare]; got.total < 1 || got.done != got.total {
		t.Errorf("comparing ended at %d of %d", got.done, got.total)
	}
}

func TestLoadReportsFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("内容"+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got [][2]int
	_, _, err := corpus.Load([]string{dir}, nil, corpus.Options{Progress: func(done, total int) { got = append(got, [2]int{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{0, 3}, {1, 3}, {2, 3}, {3, 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("progress %v, want %v", got, want)
	}
}
