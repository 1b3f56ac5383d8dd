package slogan

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/neardup/neardup/corpus"
)

// withCopies inserts, at random places, one to three byte-identical copies of about a third
// of docs.
func withCopies(docs []*corpus.Document, rng *rand.Rand) []*corpus.Document {
	out := slices.Clone(docs)
	for i, d := range docs {
		if rng.IntN(3) != 0 {
			continue
		}
		for k := range 1 + rng.IntN(3) {
			at := rng.IntN(len(out) + 1)
			out = slices.Insert(out, at, &corpus.Document{Path: fmt.Sprintf("copy-%d-%d.txt", i, k), Text: d.Text})
		}
	}
	return out
}

// TestCollapseEqualsMiningEveryCopy checks that mining each set of identical documents once
// gives what mining every copy gives, when identical documents are put in one family: the
// slow way, which Find took before. The copies have dates of their own, so the timelines
// tell them apart; some runs group the documents in families besides.
func TestCollapseEqualsMiningEveryCopy(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4} {
		base, _ := plantedCorpus(t, seed)
		rng := rand.New(rand.NewPCG(seed, 7))
		docs := withCopies(base, rng)
		dates := make([]time.Time, len(docs))
		for i := range dates {
			if rng.IntN(5) != 0 {
				dates[i] = time.Date(2024, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			}
		}
		for _, minDocs := range []int{2, 3} {
			for _, families := range []bool{false, true} {
				var family []int
				if families {
					// Each document joins the family of a random earlier one now and then.
					family = make([]int, len(docs))
					for i := range family {
						family[i] = i
						if i > 0 && rng.IntN(6) == 0 {
							family[i] = family[rng.IntN(i)]
						}
					}
				}
				name := fmt.Sprintf("seed=%d/min-docs=%d/families=%v", seed, minDocs, families)
				t.Run(name, func(t *testing.T) {
					opt := Options{MinDocs: minDocs, Family: family, Dates: dates, Jobs: 2, Ignore: []string{"记者了解到"}}
					if n := checkCollapse(t, docs, opt); n == 0 {
						t.Fatal("the corpus holds no slogans")
					}
				})
			}
		}
	}
}

// checkCollapse compares Find's result on docs with that of mining every copy, in the family
// of the first of its text, and returns how many slogans there are.
func checkCollapse(t *testing.T, docs []*corpus.Document, opt Options) int {
	t.Helper()
	opt.fill()
	// The slow way's families: each document in that of the first document with its text,
	// or of the family of that first document.
	firstOf := make(map[string]int)
	slow := opt
	slow.Family = make([]int, len(docs))
	copied := false
	for i, d := range docs {
		first, ok := firstOf[d.Text]
		if !ok {
			first = i
			firstOf[d.Text] = i
		}
		copied = copied || ok
		slow.Family[i] = first
	}
	if !copied {
		t.Fatal("no identical documents found")
	}
	if opt.Family != nil {
		// A set of copies is in the family of its first copy; families are named by their
		// first set's first document.
		byLabel := make(map[int]int)
		for i := range docs {
			if slow.Family[i] != i {
				continue
			}
			label := i
			if i < len(opt.Family) && opt.Family[i] >= 0 {
				label = opt.Family[i]
			}
			if _, ok := byLabel[label]; !ok {
				byLabel[label] = i
			}
			slow.Family[i] = byLabel[label]
		}
		for i := range docs {
			slow.Family[i] = slow.Family[slow.Family[i]]
		}
	}
	got, err := find(documents(docs), opt, true)
	if err != nil {
		t.Fatal(err)
	}
	want, err := find(documents(docs), slow, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Excluded, want.Excluded) {
		t.Error("excluded spans differ")
	}
	if len(got.Slogans) != len(want.Slogans) {
		t.Fatalf("%d slogans, want %d", len(got.Slogans), len(want.Slogans))
	}
	for i := range got.Slogans {
		if g, w := got.Slogans[i], want.Slogans[i]; !reflect.DeepEqual(g, w) {
			t.Errorf("slogan %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	return len(want.Slogans)
}

// TestCollapseQuotedCopies checks a short phrase, which as a run of pieces is a slogan only
// when most of its occurrences are quoted, quoted in three copies of one text and not in two
// other documents: three times in five, as mining every copy counts it.
func TestCollapseQuotedCopies(t *testing.T) {
	quoted := "他在会上说，“枫桥经验”。"
	docs := docsOf(quoted, "据介绍，枫桥经验，各地推广。", quoted, "调查显示，枫桥经验，群众满意。", quoted)
	if checkCollapse(t, docs, Options{MinDocs: 3}) == 0 {
		t.Error("枫桥经验 is not a slogan")
	}
}

// TestIdenticalCopiesAreOneDocument checks what copies change: a phrase in two documents, one
// of them copied three times, recurs in two families only, while the copies of a phrase that
// is a slogan count as documents and occurrences of their own.
func TestIdenticalCopiesAreOneDocument(t *testing.T) {
	const slogan = "坚持以人民为中心的发展思想"
	const pair = "推动长江经济带高质量发展"
	texts := []string{
		"记者了解到，" + slogan + "。会议还研究了其他事项。",
		"据介绍，" + slogan + "，" + pair + "。",
		"他说，" + slogan + "。今年以来各地积极行动。",
		"调查显示，" + pair + "。",
	}
	docs := docsOf(texts...)
	for range 3 {
		docs = append(docs, &corpus.Document{Path: fmt.Sprintf("copy%d.txt", len(docs)), Text: texts[3]})
	}
	res := Find(docs, Options{MinDocs: 3})
	if s := bySloganText(res, pair); s != nil {
		t.Errorf("%s is a slogan of %d documents: its copies were counted as families", pair, s.Documents)
	}
	docs = append(docs, &corpus.Document{Path: "copy-of-0.txt", Text: texts[0]})
	res = Find(docs, Options{MinDocs: 3})
	s := bySloganText(res, slogan)
	if s == nil {
		t.Fatalf("%s not found", slogan)
	}
	if s.Documents != 4 || s.Occurrences != 4 || len(s.Locations) != 4 || s.Locations[3].Path != "copy-of-0.txt" {
		t.Errorf("%s: %d documents, %d occurrences, locations %+v; want 4 and 4, the copy last", slogan, s.Documents, s.Occurrences, s.Locations)
	}
	if !reflect.DeepEqual(res.Excluded[len(docs)-1], res.Excluded[0]) || len(res.Excluded[0]) == 0 {
		t.Errorf("the copy excludes %v, its original %v", res.Excluded[len(docs)-1], res.Excluded[0])
	}
}

// BenchmarkFindIdentical mines copies of one story: the cost and memory should be those of
// one story, whatever the number of copies.
func BenchmarkFindIdentical(b *testing.B) {
	story, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", "003_3f59fbc2fd11db04.txt"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 1000, 10000} {
		copies := make([]*corpus.Document, n)
		for i := range copies {
			copies[i] = &corpus.Document{Path: fmt.Sprintf("copy/%05d.txt", i), Text: string(story)}
		}
		b.Run(fmt.Sprintf("copies=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Find(copies, Options{Jobs: 2})
			}
		})
	}
}
