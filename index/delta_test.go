package index

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
)

// deltaCorpus writes a corpus in which a formula sits in four documents, one under the
// max_df the checks below use, so that adding or removing one of them moves it across the
// stock-phrase line; and a source that documents copy from.
func deltaCorpus(t *testing.T) (root string, formula string, source []string) {
	root = t.TempDir()
	formula = "要深刻领悟两个确立的决定性意义，增强四个意识、坚定四个自信、做到两个维护。"
	for i := range 4 {
		writeFile(t, filepath.Join(root, "articles", fmt.Sprintf("f%02d.txt", i)),
			strings.Join(sentences(uint64(10+i), 4), "")+formula+strings.Join(sentences(uint64(40+i), 4), ""))
	}
	for i := range 12 {
		writeFile(t, filepath.Join(root, "articles", fmt.Sprintf("o%02d.txt", i)), strings.Join(sentences(uint64(100+i), 8), ""))
	}
	source = sentences(99, 12)
	writeFile(t, filepath.Join(root, "articles", "source.txt"), strings.Join(source, ""))
	return root, formula, source
}

// summary is what a gate decides from a check: findings, coverage, stock phrases, candidates.
func summary(c *Checked) string {
	var cands []string
	for _, d := range c.Read {
		cands = append(cands, d.Path)
	}
	return fmt.Sprintf("err=%v indexed=%d candidates=%v dups=%+v passages=%+v coverage=%+v stock=%d minor=%d",
		c.Err, c.Indexed, cands, c.Result.Duplicates, c.Result.Passages, c.Coverage, c.Stock, c.Minor)
}

// A sequence of adds, edits and removes applied through deltas gives the same checks, the
// same entries and the same document frequencies as an index built from scratch after each.
func TestDeltaMatchesFullRebuild(t *testing.T) {
	root, formula, source := deltaCorpus(t)
	opt := options(root)
	opt.NoSlogans = true // a delta keeps the slogans of its main file; a rebuild mines anew
	file := filepath.Join(t.TempDir(), "index")
	x, _, err := Update(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	art := func(name string) string { return filepath.Join(root, "articles", name) }
	// Edits replace the file, as git and most editors write it, which changes its folder's
	// stamps: an edit in place, which does not, is for neardup index to see (see byFolder).
	replace := func(path, text string) {
		writeFile(t, path+".new", text)
		if err := os.Rename(path+".new", path); err != nil {
			t.Fatal(err)
		}
	}
	withFormula := func(seed uint64) string {
		return strings.Join(sentences(seed, 3), "") + formula + strings.Join(sentences(seed+1, 3), "")
	}
	var third []string
	for i := range 4 {
		third = append(third, sentences(500, 8)[2*i], sentences(500, 8)[2*i+1], source[2*i+1])
	}
	probes := []*corpus.Document{
		{Path: "articles/new.txt", Text: withFormula(200)},
		{Path: "articles/copy.txt", Text: strings.Join(third, "")},
		{Path: "articles/repost.txt", Text: strings.Join(sentences(103, 8), "") + "本台消息。"},
		{Path: "articles/o05.txt", Text: strings.Join(sentences(105, 8), "") + "改了一句。"},
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"add a fifth formula document: the formula becomes stock", func() { writeFile(t, art("f04.txt"), withFormula(300)) }},
		{"edit a document", func() { replace(art("o03.txt"), strings.Join(sentences(103, 6), "")+"另一个结尾。") }},
		{"remove a formula document: no longer stock", func() { os.Remove(art("f01.txt")) }},
		{"add the copied source again", func() { writeFile(t, art("source2.txt"), strings.Join(source[:6], "")) }},
		{"remove the source", func() { os.Remove(art("source.txt")) }},
		{"edit a document added by a delta", func() { replace(art("f04.txt"), strings.Join(sentences(301, 8), "")) }},
		{"bring a removed document back", func() { writeFile(t, art("source.txt"), strings.Join(source, "")) }},
		{"remove a document added by a delta", func() { os.Remove(art("source2.txt")) }},
	}
	for _, step := range steps {
		step.do()
		old, _, err := Open(file, Options{Root: root, Quick: true})
		if err != nil {
			t.Fatalf("%s: Open: %v", step.name, err)
		}
		y, st, err := UpdateDelta(old, opt)
		if err != nil {
			t.Fatalf("%s: UpdateDelta: %v", step.name, err)
		}
		if !st.ContentChanged() {
			t.Fatalf("%s: the delta saw no change: %+v", step.name, st)
		}
		if err := y.WriteDelta(file); err != nil {
			t.Fatal(err)
		}
		union, _, err := Open(file, Options{Root: root, Quick: true})
		if err != nil || !union.HasDelta() {
			t.Fatalf("%s: Open with the delta: %v, delta %v", step.name, err, union != nil && union.HasDelta())
		}
		full, _, err := Update(nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if union.Documents() != full.Documents() {
			t.Errorf("%s: %d documents through the delta, %d rebuilt", step.name, union.Documents(), full.Documents())
		}
		for i := range full.Entries {
			e := &full.Entries[i]
			if got := union.Find(e.Path); got == nil || got.Hash != e.Hash {
				t.Errorf("%s: Find(%s) through the delta = %+v", step.name, e.Path, got)
			}
		}
		merged, err := union.full()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(paths(merged), paths(full)) {
			t.Errorf("%s: merged entries %v, rebuilt %v", step.name, paths(merged), paths(full))
		}
		for i := range full.Entries {
			a, b := merged.Clauses(&merged.Entries[i]), full.Clauses(&full.Entries[i])
			if !slices.Equal(a, b) {
				t.Errorf("%s: clauses of %s (with DF) differ: merged %v, rebuilt %v", step.name, full.Entries[i].Path, a, b)
			}
		}
		for _, maxDF := range []int{3, 4, 10} {
			for _, p := range probes {
				co := CheckOptions{Files: opt, Match: match.Options{MaxDF: maxDF}, MinCoverage: DefaultMinCoverage, MinCopied: DefaultMinCopied, LongPassage: DefaultLongPassage}
				got := summary(Check(union, []*corpus.Document{p}, co))
				want := summary(Check(full, []*corpus.Document{p}, co))
				if got != want {
					t.Errorf("%s: check of %s at max_df %d through the delta:\n%s\nrebuilt:\n%s", step.name, p.Path, maxDF, got, want)
				}
			}
		}
	}
}

// The delta is folded into the main file once it holds more than a tenth of its entries;
// writing the main file removes it, and a delta of another main file is ignored.
func TestDeltaFolding(t *testing.T) {
	root, _, _ := deltaCorpus(t) // 17 documents: a delta of one is under a tenth, of two over
	defer func(n int) { foldMinEntries = n }(foldMinEntries)
	foldMinEntries = 0
	opt := options(root)
	file := filepath.Join(t.TempDir(), "index")
	settled := opt
	settled.Settle = true // no racily clean entry for the delta to take up
	x, _, err := Update(nil, settled)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	delta := func() *Index {
		t.Helper()
		old, _, err := Open(file, Options{Root: root, Quick: true})
		if err != nil {
			t.Fatal(err)
		}
		y, _, err := UpdateDelta(old, opt)
		if err != nil {
			t.Fatal(err)
		}
		return y
	}
	writeFile(t, filepath.Join(root, "articles", "a.txt"), strings.Join(sentences(700, 6), ""))
	y := delta()
	if y.DeltaDue() {
		t.Fatalf("one file of %d: folding due", y.Documents())
	}
	if err := y.WriteDelta(file); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(DeltaFile(file))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "articles", "b.txt"), strings.Join(sentences(701, 6), ""))
	y = delta()
	if !y.DeltaDue() {
		t.Fatalf("two files of %d in the delta: folding not due", y.Documents())
	}
	folded, _, err := Update(y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := folded.Write(file); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(DeltaFile(file)); !os.IsNotExist(err) {
		t.Errorf("after folding, the delta is still there: %v", err)
	}
	// The delta of the old main file, put back (a run killed between the two writes), is
	// ignored: the new main file holds what it held.
	if err := os.WriteFile(DeltaFile(file), saved, 0o644); err != nil {
		t.Fatal(err)
	}
	z, _, err := Open(file, Options{Root: root, Quick: true})
	if err != nil || z.HasDelta() || z.Documents() != 19 || z.Find("articles/b.txt") == nil {
		t.Fatalf("new main file with a stale delta: %v, delta %v, %d documents", err, z != nil && z.HasDelta(), z.Documents())
	}
	l, err := Load(file)
	if err != nil || l.HasDelta() || len(l.Entries) != 19 {
		t.Fatalf("Load with a stale delta: %v", err)
	}
}

// A damaged delta is an error naming it, never used: Open and Load refuse it.
func TestDamagedDelta(t *testing.T) {
	root, _, _ := deltaCorpus(t)
	opt := options(root)
	file := filepath.Join(t.TempDir(), "index")
	x, _, err := Update(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "articles", "a.txt"), strings.Join(sentences(700, 6), ""))
	old, _, err := Open(file, Options{Root: root, Quick: true})
	if err != nil {
		t.Fatal(err)
	}
	y, _, err := UpdateDelta(old, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := y.WriteDelta(file); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(DeltaFile(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{0, 30, len(good) / 2, len(good) - 1} {
		bad := slices.Clone(good)
		bad[at] ^= 0x40
		if err := os.WriteFile(DeltaFile(file), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Open(file, Options{Root: root, Quick: true}); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), DeltaFile(file)) {
			t.Errorf("byte %d flipped: Open gave %v, want a damaged delta named", at, err)
		}
		if _, err := Load(file); !errors.Is(err, ErrDamaged) {
			t.Errorf("byte %d flipped: Load gave %v", at, err)
		}
	}
	if err := os.WriteFile(DeltaFile(file), good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(file, Options{Root: root, Quick: true}); !errors.Is(err, ErrDamaged) {
		t.Errorf("truncated delta: Open gave %v", err)
	}
}

// Where the folders cannot tell (a root that is a file), the delta is found by looking at
// every file, as Update does; where they can, an edit in place that keeps its folder's
// stamps is left to neardup index (a full Update), as a check's look at the folders leaves it.
func TestDeltaFileRootsAndEditsInPlace(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "articles", "a.txt"), filepath.Join(root, "articles", "b.txt")
	writeFile(t, a, strings.Join(sentences(1, 6), ""))
	writeFile(t, b, strings.Join(sentences(2, 6), ""))
	for _, roots := range [][]string{{"articles/a.txt", "articles/b.txt"}, {"articles"}} {
		opt := options(root)
		opt.Roots, opt.Settle = roots, true
		file := filepath.Join(t.TempDir(), "index")
		x, _, err := Update(nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Write(file); err != nil {
			t.Fatal(err)
		}
		edited := strings.Join(sentences(3, 6), "")
		writeFile(t, a, edited) // in place: the folder keeps its stamps
		old, _, err := Open(file, Options{Root: root, Quick: true})
		if err != nil {
			t.Fatal(err)
		}
		opt.Settle = false
		y, st, err := UpdateDelta(old, opt)
		if err != nil {
			t.Fatal(err)
		}
		seen := slices.Equal(st.Changed, []string{"articles/a.txt"})
		if byFolder := len(roots) == 1; seen == byFolder {
			t.Errorf("roots %v: the delta saw %v changed, want the edit in place seen only with file roots", roots, st.Changed)
		}
		full, fst, err := Update(y, opt)
		if err != nil || !slices.Equal(fst.Changed, []string{"articles/a.txt"}) && !seen {
			t.Errorf("roots %v: the full update after the delta saw %v changed: %v", roots, fst.Changed, err)
		}
		if e := full.Find("articles/a.txt"); e == nil || e.Size != int64(len(edited)) {
			t.Errorf("roots %v: the full update has a.txt as %+v", roots, e)
		}
		writeFile(t, a, strings.Join(sentences(1, 6), ""))
	}
}

// A new file that git ignores is left out of the delta, as Update leaves it out.
func TestDeltaLeavesOutWhatGitIgnores(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: .gitignore is not applied anywhere")
	}
	root, _, _ := deltaCorpus(t)
	if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	writeFile(t, filepath.Join(root, ".gitignore"), "*.log\n")
	opt := options(root)
	file := filepath.Join(t.TempDir(), "index")
	x, _, err := Update(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "articles", "draft.log"), strings.Join(sentences(800, 6), ""))
	writeFile(t, filepath.Join(root, "articles", "new.txt"), strings.Join(sentences(801, 6), ""))
	old, _, err := Open(file, Options{Root: root, Quick: true})
	if err != nil {
		t.Fatal(err)
	}
	y, st, err := UpdateDelta(old, opt)
	if err != nil {
		t.Fatal(err)
	}
	full, _, err := Update(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Added, []string{"articles/new.txt"}) || y.Find("articles/draft.log") != nil || full.Find("articles/draft.log") != nil || y.Documents() != full.Documents() {
		t.Errorf("delta added %v (draft.log found: %v), %d documents; a rebuild has %d", st.Added, y.Find("articles/draft.log") != nil, y.Documents(), full.Documents())
	}
}
