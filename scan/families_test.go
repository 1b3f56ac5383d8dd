package scan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/text"
)

// gramJaccard is the Jaccard similarity of the character n-gram sets of two texts'
// normalised forms, computed on the strings themselves: an independent check of what match
// verified through hashes.
func gramJaccard(a, b string, n int) float64 {
	grams := func(s string) map[string]bool {
		rs := []rune(string(text.Normalize(s).Text))
		set := map[string]bool{}
		for i := 0; i+n <= len(rs); i++ {
			set[string(rs[i:i+n])] = true
		}
		return set
	}
	ga, gb := grams(a), grams(b)
	inter := 0
	for g := range ga {
		if gb[g] {
			inter++
		}
	}
	if u := len(ga) + len(gb) - inter; u > 0 {
		return float64(inter) / float64(u)
	}
	return 0
}

// checkFamilies asserts that every two members of every family are near-duplicates on the
// text (no chaining), that no document is in two families, and that each family names its
// source as its first member.
func checkFamilies(t *testing.T, docs []*corpus.Document, res *report.Result) (pairs int) {
	t.Helper()
	byPath := map[string]string{}
	for _, d := range docs {
		byPath[d.Path] = d.Text
	}
	seen := map[string]bool{}
	// Match's n-gram hashes are 32 bits: a collision may lift a similarity by a hair.
	least := res.Settings.MinSimilarity - 0.002
	for _, f := range res.Families {
		if len(f.Members) != f.Size || f.Size < 2 || f.Members[0].Path != f.Source {
			t.Errorf("family of %s: size %d, %d members, first %s", f.Source, f.Size, len(f.Members), f.Members[0].Path)
		}
		for i, a := range f.Members {
			if seen[a.Path] {
				t.Errorf("%s is in two families", a.Path)
			}
			seen[a.Path] = true
			for _, b := range f.Members[i+1:] {
				pairs++
				if sim := gramJaccard(byPath[a.Path], byPath[b.Path], res.Settings.NGram); sim < least {
					t.Errorf("family of %s holds %s and %s, similarity %.3f < %.2f", f.Source, a.Path, b.Path, sim, res.Settings.MinSimilarity)
				}
			}
		}
	}
	return pairs
}

func loadDir(t *testing.T, dir string) []*corpus.Document {
	t.Helper()
	docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// testdata/families is a chain: edited is original with a quarter rewritten, edited_again
// rewrites another quarter (near edited, far from original); copy_same_text is original
// re-punctuated, undated_repost is edited with a header, unrelated is another story.
func TestFamiliesAreCliques(t *testing.T) {
	docs := loadDir(t, filepath.Join("..", "testdata", "families"))
	res := scan.Run(docs, scan.Options{})
	checkFamilies(t, docs, res)
	if len(res.Families) != 1 {
		t.Fatalf("got %d families, want 1: %+v", len(res.Families), res.Families)
	}
	f := res.Families[0]
	want := map[string]bool{"2024-03-01_original.txt": true, "2024-03-04_copy_same_text.txt": true, "2024-03-02_edited.txt": true, "undated_repost_of_edited.txt": true}
	for _, m := range f.Members {
		if !want[filepath.Base(m.Path)] {
			t.Errorf("unexpected member %s", m.Path)
		}
	}
	if filepath.Base(f.Source) != "2024-03-01_original.txt" || f.SourceRule != "earliest-date" {
		t.Errorf("source %s by %s, want the original by earliest-date", f.Source, f.SourceRule)
	}
	// The chain is there: edited_again is a near-duplicate of edited, yet not in its family.
	chained := false
	for _, d := range res.Duplicates {
		if filepath.Base(d.B) == "2024-03-03_edited_again.txt" || filepath.Base(d.A) == "2024-03-03_edited_again.txt" {
			chained = true
		}
	}
	if !chained {
		t.Errorf("testdata lost its chain: edited_again has no near-duplicate")
	}
	if len(res.Identical) != 1 || len(res.Identical[0].Members) != 2 {
		t.Errorf("identical groups %+v, want the original and its re-punctuated copy", res.Identical)
	}
}

// The same property on 10,300 news stories, whose template stories (weather, a day's
// headlines) chain freely.
func TestFamiliesAreCliquesXinwenlianbo(t *testing.T) {
	dir := "../../shared/corpora/xinwenlianbo/texts"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("needs the xinwenlianbo corpus in ../shared")
	}
	if testing.Short() {
		t.Skip("a full scan of 10,300 documents; not in -short")
	}
	docs := loadDir(t, dir)
	res := scan.Run(docs, scan.Options{Jobs: 2})
	pairs := checkFamilies(t, docs, res)
	t.Logf("%d families, largest %d, %d member pairs verified on the text", len(res.Families), res.Families[0].Size, pairs)
	if len(res.Families) < 50 {
		t.Errorf("only %d families", len(res.Families))
	}
}

// Output grows with the documents: identical copies are one group and one family with no
// pair; a family of near-identical copies larger than report.MaxFamilyPairs lists members,
// not pairs, unless AllPairs.
func TestDegenerateCorporaStayLinear(t *testing.T) {
	story, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "003_3f59fbc2fd11db04.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var copies []*corpus.Document
	for i := range 300 {
		copies = append(copies, &corpus.Document{Path: fmt.Sprintf("copy/%03d.txt", i), Text: string(story)})
	}
	res := scan.Run(copies, scan.Options{NoSlogans: true})
	if len(res.Duplicates) != 0 || len(res.Identical) != 1 || len(res.Identical[0].Members) != 300 ||
		len(res.Families) != 1 || res.Families[0].Size != 300 || res.Families[0].PairsListed {
		t.Fatalf("300 copies: %d pairs, identical %d, families %+v", len(res.Duplicates), len(res.Identical), res.Families)
	}

	// 40 copies, each with its own signature line: no two are identical, all are near-duplicates.
	var edited []*corpus.Document
	for i := range 40 {
		edited = append(edited, &corpus.Document{Path: fmt.Sprintf("edited/%02d.txt", i), Text: fmt.Sprintf("%s\n\n编辑：第%d号", story, i)})
	}
	all := 40 * 39 / 2
	res = scan.Run(edited, scan.Options{NoSlogans: true})
	if len(res.Identical) != 0 || len(res.Families) != 1 {
		t.Fatalf("40 edited copies: identical %+v, %d families", res.Identical, len(res.Families))
	}
	f := res.Families[0]
	if f.Size != 40 || f.PairsListed || f.PairsOmitted != all || len(res.Duplicates) != 0 {
		t.Errorf("40 edited copies: size %d, listed %v, omitted %d (want %d), %d pairs listed", f.Size, f.PairsListed, f.PairsOmitted, all, len(res.Duplicates))
	}
	res = scan.Run(edited, scan.Options{NoSlogans: true, AllPairs: true})
	if len(res.Duplicates) != all || !res.Families[0].PairsListed || res.Families[0].PairsOmitted != 0 {
		t.Errorf("--all-pairs: %d pairs (want %d), family %+v", len(res.Duplicates), all, res.Families[0])
	}
}

// The 27 SogouCA pages that share one Yahoo China body are one family, with its source named.
func TestFamilySogou(t *testing.T) {
	dir := "../../shared/corpora/sogou-news-smarty/texts"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("needs the sogou-news-smarty corpus in ../shared/corpora")
	}
	docs := loadDir(t, dir)
	res := scan.Run(docs, scan.Options{Jobs: 2})
	checkFamilies(t, docs, res)
	f := res.Families[0]
	if f.Size != 27 || f.Source == "" || f.SourceRule != "longest" {
		t.Fatalf("largest family: %d members, source %q by %q; want 27 with the longest as source", f.Size, f.Source, f.SourceRule)
	}
	if len(res.Families) > 1 && res.Families[1].Size >= 27 {
		t.Errorf("a second family of %d", res.Families[1].Size)
	}
}
