package match

import (
	"cmp"
	"slices"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/text"
)

// exactPair is a document pair of an exact all-pairs computation and its n-gram Jaccard.
type exactPair struct {
	a, b int
	sim  float64
}

// exactPairs returns every document pair whose character n-gram sets (of the normalised
// texts, n-grams as strings, no hashing) have a Jaccard similarity of at least t: all pairs,
// made fast by prefix filtering (Chaudhuri et al. 2006; Bayardo et al., All-Pairs, 2007),
// which is exact. Sets are sorted rarest n-gram first; two sets reaching t must share one of
// the first |x| - ceil(t|x|) + 1 n-grams of each, so only pairs sharing a prefix n-gram are
// compared, in full.
func exactPairs(docs []*corpus.Document, n int, t float64) []exactPair {
	ids := map[string]int32{}
	sets := make([][]int32, len(docs))
	for d, doc := range docs {
		rs := []rune(string(text.AppendNormalized(nil, doc.Text)))
		var set []int32
		add := func(g string) {
			id, ok := ids[g]
			if !ok {
				id = int32(len(ids))
				ids[g] = id
			}
			set = append(set, id)
		}
		if len(rs) > 0 && len(rs) < n {
			add(string(rs))
		}
		for i := 0; i+n <= len(rs); i++ {
			add(string(rs[i : i+n]))
		}
		slices.Sort(set)
		sets[d] = slices.Compact(set)
	}
	freq := make([]int32, len(ids))
	for _, s := range sets {
		for _, g := range s {
			freq[g]++
		}
	}
	// Rank n-grams rarest first, ties by id.
	order := make([]int32, len(ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return cmp.Or(cmp.Compare(freq[x], freq[y]), cmp.Compare(x, y)) })
	rank := make([]int32, len(ids))
	for r, g := range order {
		rank[g] = int32(r)
	}
	for _, s := range sets {
		for i, g := range s {
			s[i] = rank[g]
		}
		slices.Sort(s)
	}
	byLen := make([]int, len(docs))
	for i := range byLen {
		byLen[i] = i
	}
	slices.SortStableFunc(byLen, func(x, y int) int { return cmp.Compare(len(sets[x]), len(sets[y])) })
	index := map[int32][]int{}
	var out []exactPair
	seen := make([]int, len(docs))
	for i := range seen {
		seen[i] = -1
	}
	for _, x := range byLen {
		sx := sets[x]
		if len(sx) == 0 {
			continue
		}
		prefix := len(sx) - ceilFloat(t*float64(len(sx))) + 1
		for _, g := range sx[:prefix] {
			for _, y := range index[g] {
				if seen[y] == x || float64(len(sets[y])) < t*float64(len(sx)) {
					continue
				}
				seen[y] = x
				inter := intersection(sx, sets[y])
				if sim := float64(inter) / float64(len(sx)+len(sets[y])-inter); sim >= t {
					out = append(out, exactPair{min(x, y), max(x, y), sim})
				}
			}
			index[g] = append(index[g], x)
		}
	}
	slices.SortFunc(out, func(p, q exactPair) int { return cmp.Or(cmp.Compare(p.a, q.a), cmp.Compare(p.b, q.b)) })
	return out
}

func ceilFloat(x float64) int {
	i := int(x)
	if float64(i) < x {
		i++
	}
	return i
}

func TestExactPairsSmall(t *testing.T) {
	texts := []string{"今天天气很好我们去公园散步", "今天天气很好我们去公园跑步", "完全不同的一段文字内容在这里", "今天天气很好", "今天天气很好我们去公园散步"}
	var docs []*corpus.Document
	for _, s := range texts {
		docs = append(docs, &corpus.Document{Text: s})
	}
	for _, th := range []float64{0.3, 0.55, 0.9} {
		got := exactPairs(docs, 3, th)
		var want []exactPair
		for a := range docs {
			for b := a + 1; b < len(docs); b++ {
				ga := gramSet(text.AppendNormalized(nil, texts[a]), nil, 3, nil)
				gb := gramSet(text.AppendNormalized(nil, texts[b]), nil, 3, nil)
				if s := jaccard(ga, gb); s >= th {
					want = append(want, exactPair{a, b, s})
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("t=%.2f: prefix filtering found %v, brute force %v", th, got, want)
		}
		for i := range got {
			if got[i].a != want[i].a || got[i].b != want[i].b {
				t.Fatalf("t=%.2f: prefix filtering found %v, brute force %v", th, got, want)
			}
		}
	}
}
