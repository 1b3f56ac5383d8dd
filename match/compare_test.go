package match

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/corpus"
)

// fullLevenshtein is the textbook dynamic programme, the reference for the banded one.
func fullLevenshtein(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
		}
	}
	return d[len(a)][len(b)]
}

// randomText draws runes from a small alphabet so that texts share a lot.
func randomText(r *rand.Rand, n int) []rune {
	alphabet := []rune("新闻联播国务院会议ab")
	t := make([]rune, n)
	for i := range t {
		t[i] = alphabet[r.IntN(len(alphabet))]
	}
	return t
}

func TestLevenshteinWithin(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"both empty", "", "", 0},
		{"one empty", "", "会议指出", 4},
		{"equal", "国务院常务会议", "国务院常务会议", 0},
		{"one substitution", "国务院常务会议", "国务院全体会议", 2},
		{"insertion", "会议指出", "会议强调指出", 2},
		{"transposition costs two", "ab", "ba", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := []rune(tt.a), []rune(tt.b)
			if got := levenshtein(a, b); got != tt.want {
				t.Errorf("levenshtein = %d, want %d", got, tt.want)
			}
			for k := 0; k <= tt.want+2; k++ {
				got, _ := levenshteinWithin(a, b, k, nil)
				if tt.want <= k && got != tt.want {
					t.Errorf("bound %d: got %d, want exactly %d", k, got, tt.want)
				}
				if tt.want > k && got <= k {
					t.Errorf("bound %d: got %d, want above the bound (distance %d)", k, got, tt.want)
				}
			}
		})
	}
	t.Run("random against the full table", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		var row []int32
		for range 2000 {
			a, b := randomText(r, r.IntN(30)), randomText(r, r.IntN(30))
			want := fullLevenshtein(a, b)
			k := r.IntN(32)
			var got int
			got, row = levenshteinWithin(a, b, k, row)
			if (want <= k && got != want) || (want > k && got <= k) {
				t.Fatalf("%q %q bound %d: got %d, distance %d", string(a), string(b), k, got, want)
			}
		}
	})
}

// TestSimilarAtLeast checks the bounded similarity against the plain formula it replaces.
func TestSimilarAtLeast(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var sc scratch
	for range 3000 {
		a := randomText(r, r.IntN(40))
		b := slices.Clone(a)
		for range r.IntN(12) { // a few edits, so that both answers occur
			if len(b) > 0 {
				b[r.IntN(len(b))] = randomText(r, 1)[0]
			}
		}
		if r.IntN(3) == 0 {
			b = append(b, randomText(r, r.IntN(10))...)
		}
		least := []float64{0.6, 0.8}[r.IntN(2)]
		want := false
		if la, lb := len(a), len(b); la > 0 && lb > 0 && float64(min(la, lb)) >= 0.5*float64(max(la, lb)) {
			want = 1-float64(fullLevenshtein(a, b))/float64(max(la, lb)) >= least
		}
		if got := similarAtLeast([]byte(string(a)), []byte(string(b)), 3, least, &sc); got != want {
			t.Fatalf("%q %q at %.1f: got %v, want %v", string(a), string(b), least, got, want)
		}
	}
}

func TestJaccardAtLeast(t *testing.T) {
	set := func(xs ...uint32) []uint32 { return xs }
	tests := []struct {
		name  string
		a, b  []uint32
		least float64
		sim   float64
		ok    bool
	}{
		{"empty", nil, set(1), 0.5, 0, false},
		{"equal", set(1, 2, 3), set(1, 2, 3), 0.5, 1, true},
		{"half", set(1, 2, 3), set(2, 3, 4), 0.5, 0.5, true},
		{"just below", set(1, 2, 3, 4), set(2, 3, 4, 5), 0.61, 0, false},
		{"disjoint", set(1, 2, 3), set(4, 5, 6), 0.1, 0, false},
		{"sizes too far apart", set(1), set(1, 2, 3), 0.5, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, ok := jaccardAtLeast(tt.a, tt.b, tt.least)
			if ok != tt.ok || (ok && sim != tt.sim) {
				t.Errorf("got %v %v, want %v %v", sim, ok, tt.sim, tt.ok)
			}
		})
	}
	t.Run("random against jaccard", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		draw := func() []uint32 {
			s := make([]uint32, r.IntN(60))
			for i := range s {
				s[i] = uint32(r.IntN(80))
			}
			slices.Sort(s)
			return slices.Compact(s)
		}
		for range 5000 {
			a, b := draw(), draw()
			least := 0.1 + 0.8*r.Float64()
			want := jaccard(a, b)
			sim, ok := jaccardAtLeast(a, b, least)
			if ok != (want >= least && len(a) > 0 && len(b) > 0) || (ok && sim != want) {
				t.Fatalf("least %.3f: got %v %v, jaccard %v", least, sim, ok, want)
			}
		}
	})
}

// TestGramSet compares the ring of rune starts with a plain list of them, and checks that
// excluded rune ranges leave out exactly the n-grams that touch them.
func TestGramSet(t *testing.T) {
	reference := func(text []byte, excluded [][2]int, n int) []uint32 {
		var starts []int
		for i := range string(text) {
			starts = append(starts, i)
		}
		if len(starts) == 0 {
			return nil
		}
		if len(starts) < n {
			return []uint32{murmur3.Sum32(text)}
		}
		starts = append(starts, len(text))
		var out []uint32
		for i := 0; i+n < len(starts); i++ {
			if !overlaps(excluded, i, i+n) {
				out = append(out, murmur3.Sum32(text[starts[i]:starts[i+n]]))
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	tests := []struct {
		name     string
		text     string
		excluded [][2]int
		n        int
	}{
		{"empty", "", nil, 3},
		{"shorter than n", "会议", nil, 3},
		{"exactly n", "会议上", nil, 3},
		{"mixed widths", "a新闻b联播cd国务院", nil, 3},
		{"repeats", "会议会议会议会议", nil, 2},
		{"excluded middle", "国务院常务会议指出要", [][2]int{{3, 5}}, 3},
		{"excluded all", "国务院常务", [][2]int{{0, 5}}, 3},
		{"long n", "国务院常务会议指出要做好工作", nil, 20},
		{"invalid bytes", "a\xe0\x80\x80中\xed\xa0\x80文\xff字b\xe4\xb8", nil, 3},
		{"n of one", "国务院常务会议指出", nil, 1},
		{"long", strings.Repeat("国务院常务会议指出要做好工作abc1，", 40), [][2]int{{7, 30}, {100, 101}}, 3},
	}
	var buf []uint32
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf = gramSet([]byte(tt.text), tt.excluded, tt.n, buf)
			want := reference([]byte(tt.text), tt.excluded, tt.n)
			if !slices.Equal(buf, want) {
				t.Errorf("got %v, want %v", buf, want)
			}
		})
	}
}

// TestCandidates checks the cut of sorted pair seeds into document pairs.
func TestCandidates(t *testing.T) {
	seeds := []pairSeed{
		{2, 5, 1, 1}, docPair(5, 2), {0, 1, 3, 4}, {2, 5, 0, 0}, {2, 5, 1, 1}, docPair(1, 0), docPair(3, 4),
	}
	cands, kept := candidates(seeds, 2)
	wantCands := []candidate{{0, 1, 0, 1, 0, 0, false}, {2, 5, 1, 3, 0, 0, false}, {3, 4, 3, 3, 0, 0, false}}
	wantKept := []pairSeed{{0, 1, 3, 4}, {2, 5, 0, 0}, {2, 5, 1, 1}}
	if !slices.Equal(cands, wantCands) {
		t.Errorf("candidates %v, want %v", cands, wantCands)
	}
	if !slices.Equal(kept, wantKept) {
		t.Errorf("seeds %v, want %v", kept, wantKept)
	}
}

// TestSharedAtMostBoundsEditDistance: the bucketed count of shared characters never gives a
// lower bound above the true edit distance, so the shortcut in similarAtLeast drops no pair.
func TestSharedAtMostBoundsEditDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		a, b := randomText(r, r.IntN(50)), randomText(r, r.IntN(50))
		full := levenshtein(a, b)
		if lower := max(len(a), len(b)) - sharedAtMost(a, b); lower > full {
			t.Fatalf("%q vs %q: lower bound %d above the edit distance %d", string(a), string(b), lower, full)
		}
	}
}

// TestFindNaNSimilarity: a NaN threshold from a library caller falls back to the default
// instead of looping (the CLI rejects it earlier).
func TestFindNaNSimilarity(t *testing.T) {
	text := "省公安厅党委委员、副厅长金伯中出席会议并作重要讲话，市委常委、公安局长聂展云到会致辞。"
	docs := []*corpus.Document{{Path: "a", Text: text}, {Path: "b", Text: text + "会议在东阳召开。"}}
	res := Find(docs, Options{MinSimilarity: math.NaN(), PassageSimilarity: math.NaN()})
	if len(res.Duplicates) != 1 {
		t.Fatalf("got %d near-duplicates, want 1", len(res.Duplicates))
	}
}
