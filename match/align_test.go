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

// xdropExtend is xdropExtendText on runes given whole: from a[0] and b[0] onwards, or with
// dir -1 from their last characters backwards.
func xdropExtend(a, b []rune, dir int, sc *scratch) (int, int) {
	var ca, cb runeCursor
	ca.r, cb.r = a, b
	if dir < 0 {
		ca.r, cb.r = reverseInto(nil, a), reverseInto(nil, b)
	}
	return xdropExtendText(&ca, &cb, sc)
}

func TestMinHashText(t *testing.T) {
	for _, s := range []string{"", "中", "中国", "中国人", "中华人民共和国中华人民共和国成立", "abcabcabcabd", "a\xe0\x80\x80中\xed\xa0\x80文\xff字b\xe4\xb8", "国务院常务会议指出要做好工作abc1国务院常务会议指出要做好工作abc2"} {
		norm := []byte(s)
		got, want := minHashText(norm, 3), minHash(gramSet(norm, nil, 3, nil))
		if !slices.Equal(got, want) {
			t.Errorf("%q: minHashText %v, minHash of the set %v", s, got, want)
		}
	}
}

// TestXdropExtendTextAsWhole checks the extension over lazily decoded text against the
// banded alignment over whole rune slices that it replaced (xdropReference), on texts with
// copies, edits and repeated characters.
func TestXdropExtendTextAsWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pool := []rune("的一是在不了有和人这中大ab1")
	var sc, ref scratch
	var fa, fb runeCursor
	for range 3000 {
		a := make([]rune, rng.IntN(120))
		for i := range a {
			a[i] = pool[rng.IntN(len(pool))]
		}
		// b copies a stretch of a with edits, then goes on with other text.
		var b []rune
		for i := 0; i < len(a) && i < rng.IntN(100); i++ {
			switch rng.IntN(12) {
			case 0:
				b = append(b, pool[rng.IntN(len(pool))])
			case 1:
			case 2:
				b = append(b, a[i], pool[rng.IntN(len(pool))])
			default:
				b = append(b, a[i])
			}
		}
		for range rng.IntN(40) {
			b = append(b, pool[rng.IntN(len(pool))])
		}
		na, nb := []byte(string(a)), []byte(string(b))
		for _, dir := range []int{+1, -1} {
			ra, rb := a, b
			from := [2]int32{0, 0}
			if dir < 0 {
				ra, rb = reverseInto(nil, a), reverseInto(nil, b)
				from = [2]int32{int32(len(na)), int32(len(nb))}
			}
			wa, wb := xdropReference(ra, rb, +1, &ref)
			fa.reset(na, from[0], dir < 0)
			fb.reset(nb, from[1], dir < 0)
			ka, kb := xdropExtendText(&fa, &fb, &sc)
			if ka != wa || kb != wb {
				t.Fatalf("dir %d, %q and %q: %d, %d, want %d, %d", dir, string(a), string(b), ka, kb, wa, wb)
			}
			// The edges are the byte offsets of the runes taken.
			wantA, wantB := len(string(ra[:ka])), len(string(rb[:kb]))
			if dir < 0 {
				wantA, wantB = len(na)-wantA, len(nb)-wantB
			}
			if int(fa.edge(ka)) != wantA || int(fb.edge(kb)) != wantB {
				t.Fatalf("dir %d, %q and %q: edges %d, %d, want %d, %d", dir, string(a), string(b), fa.edge(ka), fb.edge(kb), wantA, wantB)
			}
		}
	}
}

// xdropReference is the extension as it was computed on whole rune slices.
func xdropReference(a, b []rune, dir int, sc *scratch) (int, int) {
	// The i-th character (1-based) in the direction of extension is s[base+sign*i].
	aBase, bBase, sign := -1, -1, 1
	if dir < 0 {
		aBase, bBase, sign = len(a), len(b), -1
	}
	const w = 2*xBand + 1
	const minScore = -1 << 20
	if cap(sc.row) < 2*w {
		sc.row = make([]int32, 2*w)
	}
	prev, cur := sc.row[:w:w], sc.row[w:2*w:2*w]
	steps := sc.steps[:0]
	// Cell (i, j) with j = i + d - xBand, d in [0, w): prev holds row i-1.
	for d := range prev {
		prev[d] = minScore
		steps = append(steps, stepLeft)
	}
	for j := 0; j <= xBand && j <= len(b); j++ {
		prev[j+xBand] = -int32(j)
	}
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= len(a); i++ {
		rowBest := int32(minScore)
		ai := a[aBase+sign*i]
		steps = slices.Grow(steps, w)
		row := steps[len(steps) : len(steps)+w]
		steps = steps[:len(steps)+w]
		for d := 0; d < w; d++ {
			j := i + d - xBand
			s, st := int32(minScore), stepMismatch
			if j >= 0 && j <= len(b) {
				if j > 0 {
					if p := prev[d]; p > minScore {
						if ai == b[bBase+sign*j] {
							s, st = p+1, stepMatch
						} else {
							s = p - 1
						}
					}
					if d > 0 && cur[d-1] > minScore && cur[d-1]-1 > s {
						s, st = cur[d-1]-1, stepLeft
					}
				}
				if d+1 < w && prev[d+1] > minScore && prev[d+1]-1 > s {
					s, st = prev[d+1]-1, stepUp
				}
				if s < best-xDrop {
					s = minScore
				}
			}
			cur[d] = s
			row[d] = st
			if s > rowBest {
				rowBest = s
			}
			if s > best {
				best, bi, bj = s, i, j
			}
		}
		if rowBest == minScore {
			break
		}
		prev, cur = cur, prev
	}
	sc.steps = steps
	// Back from the best cell to the first run of edgeRun equal characters.
	run, ri, rj := 0, 0, 0
	for i, j := bi, bj; i > 0 && j > 0; {
		d := j - i + xBand
		step := steps[i*w+d]
		if step == stepMatch {
			if run == 0 {
				ri, rj = i, j
			}
			run++
			if run >= edgeRun {
				return ri, rj
			}
		} else {
			run = 0
		}
		switch step {
		case stepMatch, stepMismatch:
			i, j = i-1, j-1
		case stepUp:
			i--
		default:
			j--
		}
		if i == 0 && j == 0 && run > 0 {
			return ri, rj // the run goes on into the anchor, itself equal on both sides
		}
	}
	return 0, 0
}
