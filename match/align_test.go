package match

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestIndelWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []rune("的一是在不了有和人这中大")
	for range 300 {
		a := make([]rune, rng.IntN(30))
		for i := range a {
			a[i] = pool[rng.IntN(len(pool))]
		}
		b := make([]rune, rng.IntN(30))
		for i := range b {
			b[i] = pool[rng.IntN(len(pool))]
		}
		want := len(a) + len(b) - 2*lcs(a, b)
		for _, k := range []int{want - 1, want, want + 3} {
			if k < 0 {
				continue
			}
			got, _ := indelWithin(a, b, k, nil)
			if k >= want && got != want || k < want && got <= k {
				t.Fatalf("indelWithin(%q, %q, %d) = %d, distance %d", string(a), string(b), k, got, want)
			}
		}
	}
}

func lcs(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			default:
				cur[j] = max(prev[j], cur[j-1])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

func TestXdropExtend(t *testing.T) {
	tests := []struct {
		a, b   string
		ka, kb int
	}{
		{"中华人民共和国成立七十周年", "中华人民共和国成立七十周年", 13, 13},
		// The copy ends after 成立; foreign text follows on both sides.
		{"中华人民共和国成立今天天气很好我们出去玩", "中华人民共和国成立那些年月日子过得飞快", 9, 9},
		// One substitution and one insertion inside the copy.
		{"中华人民共和国成立七十周年大会隆重举行", "中华人民共國和国成立七十周年大会隆重举行", 19, 20},
	}
	for _, tt := range tests {
		var sc scratch
		ka, kb := xdropExtend([]rune(tt.a), []rune(tt.b), +1, &sc)
		if ka != tt.ka || kb != tt.kb {
			t.Errorf("xdropExtend(%q, %q) = %d, %d, want %d, %d", tt.a, tt.b, ka, kb, tt.ka, tt.kb)
		}
		ra, rb := []rune(tt.a), []rune(tt.b)
		ka, kb = xdropExtend(reverseInto(nil, ra), reverseInto(nil, rb), -1, &sc)
		if ka != tt.ka || kb != tt.kb {
			t.Errorf("xdropExtend backwards (%q, %q) = %d, %d, want %d, %d", tt.a, tt.b, ka, kb, tt.ka, tt.kb)
		}
	}
}

func TestMinHashText(t *testing.T) {
	for _, s := range []string{"", "中", "中国", "中国人", "中华人民共和国中华人民共和国成立", "abcabcabcabd"} {
		norm := []byte(s)
		got, want := minHashText(norm, 3), minHash(gramSet(norm, nil, 3, nil))
		if !slices.Equal(got, want) {
			t.Errorf("%q: minHashText %v, minHash of the set %v", s, got, want)
		}
	}
}
