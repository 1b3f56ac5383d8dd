package index

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/simhash"
)

// repost is an edited copy of an article: a new headline, a few words changed, the last
// paragraphs dropped.
func repost(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	body := strings.Join(lines[:max(1, len(lines)*3/4)], "\n")
	body = strings.Replace(body, "，", "、", 3)
	return "【转载】本文转自网络\n" + strings.Replace(body, "的", "之", 5) + "\n（责任编辑：小王）\n"
}

// copier writes a new article around the longest paragraph of text.
func copier(text string) string {
	var para string
	for _, l := range strings.Split(text, "\n") {
		if len([]rune(l)) > len([]rune(para)) {
			para = l
		}
	}
	return "今天的评论谈一谈城市里的小公园，它们如何改变了居民的日常生活。\n" + para + "\n说到底，公园绿地的价值在于让每个人都能走出家门。\n"
}

const fresh = "春天的江南小镇，细雨蒙蒙。老街两旁的茶馆里坐满了喝早茶的老人，他们一边品茶一边聊着家长里短。\n" +
	"镇上新开了一家书店，店主是从省城回乡的年轻人，他说想让孩子们在家门口就能读到好书。"

// Candidates gives what its rule says, computed here the slow way (every indexed clause
// against every checked one), for an index in memory and one read in place from its file:
// exactly up to 3 bits of clause distance, which the band tables guarantee; farther, a
// subset of the rule's candidates that holds all those within 3 bits.
func TestCandidatesMatchBruteForce(t *testing.T) {
	files, err := filepath.Glob("../testdata/corpus/*.txt")
	if err != nil || len(files) < 10 {
		t.Fatalf("testdata/corpus: %d files, %v", len(files), err)
	}
	abs, _ := filepath.Abs("../testdata/corpus")
	x, _, err := Update(nil, Options{Root: abs, Roots: []string{"."}, Settings: CurrentSettings(0, ""), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "index")
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	mapped, _, err := Open(file, Options{Root: abs, Quick: true})
	if err != nil || mapped.Entries != nil {
		t.Fatalf("Open: %v, entries decoded: %v", err, mapped != nil && mapped.Entries != nil)
	}
	var texts []string
	for _, f := range files[:4] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		texts = append(texts, repost(text), copier(text))
	}
	texts = append(texts, fresh)
	for _, dist := range []int{0, 2, 3, 4, 6, 8} {
		t.Run(fmt.Sprintf("passage-distance=%d", dist), func(t *testing.T) {
			opt := match.Resolved(match.Options{PassageDistance: dist, MaxDF: 3})
			var prints []match.DocPrint
			for _, text := range texts {
				prints = append(prints, match.Print(text, opt))
			}
			self := map[string]bool{x.Entries[0].Path: true}
			want := bruteCandidates(x, prints, self, opt)
			if len(want) == 0 {
				t.Fatal("no candidates at all: the test shows nothing")
			}
			near := opt
			near.PassageDistance = min(dist, 3)
			least := bruteCandidates(x, prints, self, near)
			for name, y := range map[string]*Index{"in memory": x, "mapped": mapped} {
				var paths []string
				for _, e := range y.Candidates(prints, self, opt) {
					paths = append(paths, e.Path)
				}
				switch {
				case dist <= 3 && !slices.Equal(paths, want):
					t.Errorf("%s: candidates %v, want %v", name, paths, want)
				case dist > 3 && (!subset(paths, want) || !subset(least, paths)):
					t.Errorf("%s: candidates %v, want a subset of %v holding %v", name, paths, want, least)
				}
			}
		})
	}
}

func bruteCandidates(x *Index, prints []match.DocPrint, self map[string]bool, opt match.Options) []string {
	picked := map[int]bool{}
	for _, p := range prints {
		for i, e := range x.Entries {
			if p.Features >= simhash.MinFeatures && e.Skip == "" && int(e.Features) >= simhash.MinFeatures &&
				simhash.Distance(p.FP, e.FP) <= opt.DocDistance {
				picked[i] = true
			}
		}
	}
	// Distinct checked seed clauses by hash, the first one's fingerprint kept.
	type query struct{ hash, fp uint64 }
	var queries []query
	for _, p := range prints {
		for _, c := range p.Clauses {
			if c.Seed && !slices.ContainsFunc(queries, func(q query) bool { return q.hash == c.Hash }) {
				queries = append(queries, query{c.Hash, c.FP})
			}
		}
	}
	reached := make([]map[int]bool, len(queries))
	for q := range reached {
		reached[q] = map[int]bool{}
	}
	for i := range x.Entries {
		for _, c := range x.Clauses(&x.Entries[i]) {
			if int(c.DF) > opt.MaxDF {
				continue
			}
			// A clause with the text of a checked one reaches that one only.
			if q := slices.IndexFunc(queries, func(q query) bool { return q.hash == c.Hash }); q >= 0 {
				reached[q][i] = true
				continue
			}
			for q := range queries {
				if simhash.Distance(queries[q].fp, c.FP) <= opt.PassageDistance {
					reached[q][i] = true
				}
			}
		}
	}
	for _, docs := range reached {
		if len(docs) <= opt.MaxDF {
			for i := range docs {
				picked[i] = true
			}
		}
	}
	var out []string
	for i, e := range x.Entries {
		if picked[i] && !self[e.Path] && e.Skip == "" {
			out = append(out, e.Path)
		}
	}
	return out
}

func subset(a, b []string) bool {
	for _, s := range a {
		if !slices.Contains(b, s) {
			return false
		}
	}
	return true
}
