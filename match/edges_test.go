package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
)

// Filler that shares nothing with the copies below, so that the two documents of a case are
// not near-duplicates and the copy is all they share.
const (
	fillerA = "今年一季度全国铁路发送旅客九亿人次，同比增长百分之十二。各地加快推进春耕备耕工作，农机具检修保养有序开展。\n"
	fillerB = "气象部门提醒，未来三天北方地区将有大风降温天气，请公众注意防范。多地博物馆推出夜间开放活动，吸引大批游客参观。\n"
	fillerE = "Rainfall in the western hills was twice the seasonal average. The museum extended its opening hours for the summer.\n"
	fillerF = "Ticket sales for the autumn concerts opened this morning. A new ferry route links the two islands every hour.\n"
)

// runeSpan returns the code point offsets of the one occurrence of part in text.
func runeSpan(t *testing.T, text, part string) (int, int) {
	t.Helper()
	i := strings.Index(text, part)
	if i < 0 || strings.Count(text, part) != 1 {
		t.Fatalf("%q must occur once in the test text", part)
	}
	start := utf8.RuneCountInString(text[:i])
	return start, start + utf8.RuneCountInString(part)
}

func TestPassageEdgesTrimmed(t *testing.T) {
	const (
		zh = "国务院常务会议研究部署进一步优化营商环境的政策措施，要求各地区各部门狠抓落实，切实减轻企业负担，增强市场主体活力"
		en = "the national grid will add forty new substations along the northern coast, connecting remote villages to reliable power, and the work starts next spring"
		// Ends in é written as e and a combining acute: the end must fall after the mark.
		zhTail = "进一步优化营商环境的政策措施，要求各地区各部门狠抓落实，切实减轻企业负担，增强市场主体活力，推动经济持续健康发展"
		enMark = "the city council approved the plan, turning the old railway station into a library, with reading rooms on every floor and a small cafe\u0301"
	)
	tests := []struct {
		name         string
		a, b         string // documents
		copyA, copyB string // the copied text as it occurs in each, the span to report
	}{
		{
			name:  "chinese glued mid-clause on both sides at both ends",
			a:     fillerA + "新华社北京电昨天召开的" + zh + "等工作。\n" + fillerA,
			b:     fillerB + "据本台报道社会风气好转" + zh + "很必要。\n" + fillerB,
			copyA: zh, copyB: zh,
		},
		{
			name:  "chinese foreign prefix in the target only, foreign suffix in the source only",
			a:     fillerA + "会议指出。" + zh + "等有关工作。\n" + fillerA,
			b:     fillerB + "社会风" + zh + "。\n" + fillerB,
			copyA: zh, copyB: zh + "。",
		},
		{
			name:  "english glued mid-sentence on both sides",
			a:     fillerE + "Officials confirmed on Monday that " + en + " as planned.\n" + fillerE,
			b:     fillerF + "Reporters at the cafe\u0301 were told " + en + " if funds allow.\n" + fillerF,
			copyA: en, copyB: en,
		},
		{
			name:  "english ending in a combining sequence",
			a:     fillerE + "After a long debate " + enMark + " downtown.\n" + fillerE,
			b:     fillerF + "Residents learned that " + enMark + " soon.\n" + fillerF,
			copyA: enMark, copyB: enMark,
		},
		{
			// The clause holding the start of the copy is mostly foreign on both sides, so
			// growth stops before it; the edge is extended into it as far as the texts agree.
			name:  "chinese copy starting deep inside a mostly foreign clause",
			a:     fillerA + "会上大家谈了很久的天气和交通然后讨论了" + zhTail + "。\n" + fillerA,
			b:     fillerB + "记者在现场看到居民们排着队等候办理业务并听说要" + zhTail + "。\n" + fillerB,
			copyA: zhTail + "。", copyB: zhTail + "。",
		},
		{
			name:  "copy on clause boundaries keeps its clauses",
			a:     fillerA + zh + "。\n" + fillerA,
			b:     fillerB + zh + "。\n" + fillerB,
			copyA: zh + "。", copyB: zh + "。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := []*corpus.Document{{Path: "a", Text: tt.a}, {Path: "b", Text: tt.b}}
			res := Find(docs, DefaultOptions())
			if len(res.Duplicates) != 0 {
				t.Fatalf("the documents were taken for near-duplicates: %+v", res.Duplicates)
			}
			if len(res.Passages) != 1 {
				t.Fatalf("want one passage, got %+v", res.Passages)
			}
			p := res.Passages[0]
			as, ae := runeSpan(t, tt.a, tt.copyA)
			bs, be := runeSpan(t, tt.b, tt.copyB)
			got := fmt.Sprintf("A [%d,%d) B [%d,%d)", p.AStart, p.AEnd, p.BStart, p.BEnd)
			want := fmt.Sprintf("A [%d,%d) B [%d,%d)", as, ae, bs, be)
			if got != want {
				t.Errorf("reported %s, want %s\nA: %q\nB: %q", got, want,
					docs[0].Slice(p.AStart, p.AEnd), docs[1].Slice(p.BStart, p.BEnd))
			}
			// The similarity is that of the reported spans.
			if p.Similarity != 1 {
				t.Errorf("similarity %.3f, want 1 for an unedited copy", p.Similarity)
			}
		})
	}
}

func TestAlignedReach(t *testing.T) {
	// Windows start at the anchor (inside the passage) and run to its outer edge.
	tests := []struct {
		name   string
		a, b   string
		ka, kb int // the runes of each window reported as copied
		ok     bool
	}{
		{"identical", "优化营商环境的政策措施", "优化营商环境的政策措施", 11, 11, true},
		{"foreign tail on one side", "优化营商环境社会风", "优化营商环境", 6, 6, true},
		{"different foreign tails", "优化营商环境等工作", "优化营商环境很必要", 6, 6, true},
		{"an edit inside is kept", "优化营商环境的政策措施", "优化营商环竟的政策措施", 11, 11, true},
		{"equal characters alone beyond an edit are dropped", "优化营商环境的政", "优化营商环境了政", 6, 6, true},
		{"an inserted character", "优化营商环境的政策措施", "优化营商和环境的政策措施", 11, 12, true},
		{"nothing in common", "优化营商环境", "春耕备耕工作", 0, 0, false},
		{"anchor offset by a gap", "营商环境的政策措施", "优化营商环境的政策措施", 9, 11, true},
	}
	var sc scratch
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb, ok := alignedReach([]rune(tt.a), []rune(tt.b), &sc)
			if ka != tt.ka || kb != tt.kb || ok != tt.ok {
				t.Errorf("alignedReach = %d, %d, %v; want %d, %d, %v", ka, kb, ok, tt.ka, tt.kb, tt.ok)
			}
		})
	}
}

func BenchmarkAlignedReach(b *testing.B) {
	text := []rune(strings.Repeat("国务院常务会议研究部署进一步优化营商环境的政策措施", 8))
	for _, n := range []int{32, 64, edgeMaxWindow} {
		x, y := text[:n], append([]rune("社会风"), text[:n-3]...)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var sc scratch
			b.ReportAllocs()
			b.SetBytes(int64(4 * n))
			for b.Loop() {
				alignedReach(x, y, &sc)
			}
		})
	}
}

// A clause that recurs around a copy (a slogan said before, inside and after it, on both
// sides) must not pull the passage's edges onto its other occurrences: the passage is the
// copy, on both sides (issue 16).
func TestPassageRepeatedClauses(t *testing.T) {
	const (
		r    = "坚持以人民为中心的发展思想"
		copy = "国务院常务会议研究部署进一步优化营商环境的政策措施，" + r + "，要求各地区各部门狠抓落实，切实减轻企业负担，增强市场主体活力。"
	)
	tests := []struct{ name, a, b string }{
		{
			name: "repeats before, inside and after, foreign text between",
			a:    fillerA + r + "。" + r + "。今年一季度经济运行总体平稳。\n" + copy + "\n下一步工作安排如下。" + r + "。\n" + fillerA,
			b:    fillerB + r + "。气象部门提醒公众注意防范。\n" + copy + r + "。" + r + "。\n" + fillerB,
		},
		{
			// Foreign text of more than xDrop characters keeps the repeat out: an alignment
			// over it would lose more than it gains.
			name: "repeats next to the copy on one side, foreign text and repeats on the other",
			a:    fillerA + r + "。" + r + "。" + copy + "各地迅速行动，抓好贯彻落实工作。" + r + "。\n" + fillerA,
			b:    fillerB + r + "。记者从有关部门获悉相关情况，" + copy + r + "。" + r + "。\n" + fillerB,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := []*corpus.Document{{Path: "a", Text: tt.a}, {Path: "b", Text: tt.b}}
			res := Find(docs, DefaultOptions())
			as, ae := runeSpan(t, tt.a, copy)
			bs, be := runeSpan(t, tt.b, copy)
			want := fmt.Sprintf("A [%d,%d) B [%d,%d)", as, ae, bs, be)
			var got []string
			for _, p := range res.Passages {
				got = append(got, fmt.Sprintf("A [%d,%d) B [%d,%d)", p.AStart, p.AEnd, p.BStart, p.BEnd))
			}
			if len(res.Passages) != 1 || got[0] != want {
				t.Errorf("passages %v, want exactly %s", got, want)
				for _, p := range res.Passages {
					t.Logf("A: %q\nB: %q", docs[0].Slice(p.AStart, p.AEnd), docs[1].Slice(p.BStart, p.BEnd))
				}
			}
		})
	}
}

// TestAlignedReachScoreAsTable checks alignedReachScore against the table it was first
// computed with (alignedReachReference), on windows equal, edited and foreign.
func TestAlignedReachScoreAsTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pool := []rune("的一是在不了有和人这中大ab")
	var sc, ref scratch
	for range 5000 {
		a := make([]rune, rng.IntN(60))
		for i := range a {
			a[i] = pool[rng.IntN(len(pool))]
		}
		var b []rune
		for i := 0; i < len(a); i++ {
			switch rng.IntN(10) {
			case 0:
				b = append(b, pool[rng.IntN(len(pool))])
			case 1:
			case 2:
				b = append(b, a[i], pool[rng.IntN(len(pool))])
			default:
				b = append(b, a[i])
			}
		}
		if rng.IntN(3) == 0 {
			b = append(b[:0], a...)
		}
		if rng.IntN(2) == 0 { // foreign text after the copy on both sides
			for range 5 + rng.IntN(40) {
				a = append(a, pool[rng.IntN(len(pool))])
			}
			for range 5 + rng.IntN(40) {
				b = append(b, pool[rng.IntN(len(pool))])
			}
		}
		ka, kb, score, ok := alignedReachScore(a, b, &sc)
		wa, wb, wscore, wok := alignedReachReference(a, b, &ref)
		if ka != wa || kb != wb || score != wscore || ok != wok {
			t.Fatalf("%q and %q: %d %d %d %v, want %d %d %d %v", string(a), string(b), ka, kb, score, ok, wa, wb, wscore, wok)
		}
	}
}

func alignedReachReference(a, b []rune, sc *scratch) (int, int, int, bool) {
	m, n := len(a), len(b)
	w := n + 1
	if cap(sc.steps) < (m+1)*w {
		sc.steps = make([]uint8, (m+1)*w)
	}
	steps := sc.steps[:(m+1)*w]
	if cap(sc.row) < 2*w {
		sc.row = make([]int32, 2*w)
	}
	prev, cur := sc.row[:w], sc.row[w:2*w]
	for j := range prev {
		prev[j] = -int32(j)
		steps[j] = stepLeft
	}
	best, bi, bj := int32(0), 0, 0
	for i := 1; i <= m; i++ {
		cur[0] = -int32(i)
		steps[i*w] = stepUp
		ai := a[i-1]
		for j := 1; j <= n; j++ {
			s, step := prev[j-1]-1, stepMismatch
			if ai == b[j-1] {
				s, step = prev[j-1]+1, stepMatch
			}
			if v := prev[j] - 1; v > s {
				s, step = v, stepUp
			}
			if v := cur[j-1] - 1; v > s {
				s, step = v, stepLeft
			}
			cur[j] = s
			steps[i*w+j] = step
			// Of equal scores the longer alignment: what it adds at the outside nets zero,
			// and the run rule below drops it unless it holds a run of equal characters.
			if s > best || s == best && i+j > bi+bj {
				best, bi, bj = s, i, j
			}
		}
		prev, cur = cur, prev
	}
	run := 0
	ri, rj := 0, 0
	found := false
	score := 0 // of the path from the reach back to the anchor, once the run is found
	for i, j := bi, bj; i > 0 || j > 0; {
		step := steps[i*w+j]
		switch {
		case found && step == stepMatch:
			score++
		case found:
			score--
		case step == stepMatch:
			if run == 0 {
				ri, rj = i, j
			}
			run++
			if run >= edgeRun {
				found, score = true, run
			}
		default:
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
	}
	if !found {
		return 0, 0, 0, false
	}
	return ri, rj, score, true
}
