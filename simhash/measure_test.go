package simhash

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// This file measures how far edited copies move compared with how close
// unrelated texts come, for n-gram sizes 2..5, on real Chinese news. It
// backs DefaultN, DefaultDocDistance and DefaultPassageDistance and fails if
// the separation they rely on stops holding. Run with -v for the tables.

// headers are the kind of line a repost adds on top: source, byline, date.
var headers = []string{
	"本台消息记者李明报道", "据新华社北京电", "来源人民网编辑王芳", "转自央视新闻客户端",
	"本报讯通讯员张伟", "原标题如下", "责任编辑赵磊", "新华社记者刘洋摄",
}

// editCopy returns text with about rate of its runes substituted, inserted
// or deleted at random (at least one edit), the new runes drawn from pool,
// and, when header is set, a new first line.
func editCopy(r *rand.Rand, text []byte, rate float64, pool []rune, header bool) []byte {
	runes := []rune(string(text))
	edits := max(1, int(math.Round(rate*float64(len(runes)))))
	for range edits {
		pos := r.IntN(len(runes) + 1)
		switch op := r.IntN(3); {
		case op == 0 && pos < len(runes):
			runes[pos] = pool[r.IntN(len(pool))]
		case op == 1 || len(runes) < 2:
			runes = slices.Insert(runes, pos, pool[r.IntN(len(pool))])
		default:
			runes = slices.Delete(runes, min(pos, len(runes)-1), min(pos, len(runes)-1)+1)
		}
	}
	out := string(runes)
	if header {
		out = headers[r.IntN(len(headers))] + fmt.Sprint(1+r.IntN(12), "月", 1+r.IntN(28), "日") + out
	}
	return []byte(out)
}

type distances []int

func (d distances) quantile(q float64) int {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// within is the share of distances at most k.
func (d distances) within(k int) float64 {
	n := 0
	for _, x := range d {
		if x <= k {
			n++
		}
	}
	return float64(n) / float64(len(d))
}

type measureSet struct {
	name   string
	texts  [][]byte // normalised
	header bool
	// related lists pairs of different texts on the same template (titles
	// sharing their first five runes, such as "习近平会见…"): the hard
	// unrelated pairs, formulaic but not copies.
	related [][2]int
}

func measureSets(t *testing.T) []measureSet {
	var stories, passages [][]byte
	var titles []string
	seen := map[string]bool{}
	for _, c := range []struct {
		corpus string
		limit  int
	}{{"xinwenlianbo", 1500}, {"sogou-news-smarty", 400}} {
		for _, raw := range loadStories(t, c.corpus, c.limit) {
			if norm := quickNormalize(raw); utf8.RuneCount(norm) >= 100 && !seen[string(norm)] {
				seen[string(norm)] = true
				stories = append(stories, norm)
				title, _, _ := strings.Cut(string(raw), "\n")
				titles = append(titles, string(quickNormalize([]byte(title))))
			}
			for _, p := range append(splitSentences(raw), splitClauses(raw)...) {
				if n := utf8.RuneCount(p); n >= 10 && n <= 60 && !seen[string(p)] {
					seen[string(p)] = true
					passages = append(passages, p)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(11, 12))
	r.Shuffle(len(passages), func(i, j int) { passages[i], passages[j] = passages[j], passages[i] })
	var related [][2]int
	byPrefix := map[string][]int{}
	for i, title := range titles {
		if r := []rune(title); len(r) >= 8 {
			byPrefix[string(r[:5])] = append(byPrefix[string(r[:5])], i)
		}
	}
	for i, title := range titles {
		if r := []rune(title); len(r) >= 8 {
			for _, j := range byPrefix[string(r[:5])] {
				if j > i {
					related = append(related, [2]int{i, j})
				}
			}
		}
	}
	return []measureSet{
		{"stories", stories, true, related},
		{"passages", passages[:min(len(passages), 6000)], false, nil},
	}
}

var editRates = []float64{0.01, 0.03, 0.06}

// measured holds, per set, n and edit rate, the distances of edited copies
// from their originals, and per set and n the distances of unrelated pairs.
type measured struct {
	edited    map[string]distances // key: set/n/rate
	unrelated map[string]distances // key: set/n
	features  map[string]distances // key: set/n, features per text
}

func measure(t *testing.T, sets []measureSet) measured {
	m := measured{map[string]distances{}, map[string]distances{}, map[string]distances{}}
	pool := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经")
	for _, set := range sets {
		for n := 2; n <= 5; n++ {
			h := NewHasher(n)
			r := rand.New(rand.NewPCG(uint64(n), 13))
			fps := make([]uint64, len(set.texts))
			var feats distances
			for i, text := range set.texts {
				var f int
				fps[i], f = h.Sum(text)
				feats = append(feats, f)
				for _, rate := range editRates {
					fp, _ := h.Sum(editCopy(r, text, rate, pool, set.header))
					key := fmt.Sprintf("%s/%d/%g", set.name, n, rate)
					m.edited[key] = append(m.edited[key], Distance(fps[i], fp))
				}
			}
			key := fmt.Sprintf("%s/%d", set.name, n)
			m.features[key] = feats
			for _, p := range set.related {
				m.unrelated[key+"/related"] = append(m.unrelated[key+"/related"], Distance(fps[p[0]], fps[p[1]]))
			}
			for range 20000 {
				i, j := r.IntN(len(fps)), r.IntN(len(fps))
				if i != j {
					m.unrelated[key] = append(m.unrelated[key], Distance(fps[i], fps[j]))
				}
			}
		}
	}
	return m
}

func TestNGramSeparation(t *testing.T) {
	sets := measureSets(t)
	m := measure(t, sets)

	for _, set := range sets {
		t.Logf("%s: %d texts, features at n=3 median %d", set.name, len(set.texts), m.features[set.name+"/3"].quantile(0.5))
		t.Logf("  n  edit  edited p50/p90/p99   unrelated p0.1/p1/p50")
		for n := 2; n <= 5; n++ {
			u := m.unrelated[fmt.Sprintf("%s/%d", set.name, n)]
			for _, rate := range editRates {
				e := m.edited[fmt.Sprintf("%s/%d/%g", set.name, n, rate)]
				t.Logf("  %d  %2.0f%%   %3d %3d %3d           %3d %3d %3d", n, rate*100,
					e.quantile(0.5), e.quantile(0.9), e.quantile(0.99),
					u.quantile(0.001), u.quantile(0.01), u.quantile(0.5))
			}
		}
		t.Logf("  share within k: edited 1%%/3%%/6%% | unrelated")
		for n := 2; n <= 5; n++ {
			u := m.unrelated[fmt.Sprintf("%s/%d", set.name, n)]
			var rows []string
			for k := 3; k <= 16; k++ {
				var cells []string
				for _, rate := range editRates {
					cells = append(cells, fmt.Sprintf("%.0f", 100*m.edited[fmt.Sprintf("%s/%d/%g", set.name, n, rate)].within(k)))
				}
				rows = append(rows, fmt.Sprintf("k=%d %s|%.2f", k, strings.Join(cells, "/"), 100*u.within(k)))
			}
			t.Logf("  n=%d %s", n, strings.Join(rows, "  "))
			if rel := m.unrelated[fmt.Sprintf("%s/%d/related", set.name, n)]; len(rel) > 0 {
				t.Logf("  n=%d same-template pairs (%d): p0.1/p1/p5/p50 %d/%d/%d/%d, within 8/10/12/14: %.2f/%.2f/%.2f/%.2f%%", n, len(rel),
					rel.quantile(0.001), rel.quantile(0.01), rel.quantile(0.05), rel.quantile(0.5),
					100*rel.within(8), 100*rel.within(10), 100*rel.within(12), 100*rel.within(14))
			}
		}
	}

	checks := []struct {
		name      string
		edited    string  // key of the edited distances
		minEdited float64 // share of edited copies that must be within k
		k         int
	}{
		{"stories 1% edited", "stories/3/0.01", 0.95, DefaultDocDistance},
		{"stories 3% edited", "stories/3/0.03", 0.80, DefaultDocDistance},
		{"passages one edit", "passages/3/0.01", 0.10, DefaultPassageDistance},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if e := m.edited[c.edited].within(c.k); e < c.minEdited {
				t.Errorf("%s: %.1f%% within %d bits, want >= %.0f%%", c.edited, 100*e, c.k, 100*c.minEdited)
			}
		})
	}
	unrelated := []struct {
		key string
		k   int
		max float64
	}{
		{"stories/3", DefaultDocDistance, 0.001},
		{"stories/3/related", DefaultDocDistance, 0.01},
		{"passages/3", DefaultPassageDistance, 0.001},
	}
	for _, c := range unrelated {
		t.Run("unrelated "+c.key, func(t *testing.T) {
			if u := m.unrelated[c.key].within(c.k); u >= c.max {
				t.Errorf("%s: %.2f%% of unrelated pairs within %d bits, want < %.1f%%", c.key, 100*u, c.k, 100*c.max)
			}
		})
	}
	// Why n = 3 and not 2: bigrams are words, so stories written on one
	// template come much closer at n = 2.
	t.Run("n=3 resists templates better than n=2", func(t *testing.T) {
		two, three := m.unrelated["stories/2/related"].quantile(0.01), m.unrelated["stories/3/related"].quantile(0.01)
		if three <= two {
			t.Errorf("1st percentile of same-template distances: n=2 %d, n=3 %d; want n=3 farther", two, three)
		}
	})
}
