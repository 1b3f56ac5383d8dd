package match

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// TestCloughStevenson links the answers of the Clough-Stevenson corpus of plagiarised short
// answers (English) to the Wikipedia text of their task, by a reported pair or passage, per
// label: cut-and-paste, light and heavy revision must be found as copies, answers written
// without the source never.
func TestCloughStevenson(t *testing.T) {
	dir := "../../shared/corpora/clough-stevenson"
	f, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Skipf("shared corpora not present (%v)", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := corpus.Load([]string{filepath.Join(dir, "texts")}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, d := range docs {
		index[filepath.Base(d.Path)] = i
	}
	opt := DefaultOptions()
	opt.Jobs = 2
	res := Find(docs, opt)
	linked := map[[2]int]bool{}
	for _, d := range res.Duplicates {
		linked[[2]int{d.A, d.B}], linked[[2]int{d.B, d.A}] = true, true
	}
	for _, p := range res.Passages {
		linked[[2]int{p.A, p.B}], linked[[2]int{p.B, p.A}] = true, true
	}
	found, total := map[string]int{}, map[string]int{}
	for _, row := range rows[1:] {
		file, category, source := row[0], row[4], row[5]
		if category == "orig" {
			continue
		}
		total[category]++
		if linked[[2]int{index[file], index[source]}] {
			found[category]++
		}
	}
	want := map[string]int{"cut": 17, "light": 16, "heavy": 10}
	for _, c := range []string{"cut", "light", "heavy", "non"} {
		t.Logf("%-5s %2d/%2d linked to their source", c, found[c], total[c])
	}
	for c, n := range want {
		if found[c] < n {
			t.Errorf("%s: %d/%d linked, want >= %d", c, found[c], total[c], n)
		}
	}
	if found["non"] != 0 || total["non"] != 38 {
		t.Errorf("non: %d/%d linked, want 0 of 38", found["non"], total["non"])
	}
}
