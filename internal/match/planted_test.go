package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/internal/corpus"
)

// The planted-corpus test: real article text is cut into distinct base articles, then some
// bases get an edited repost (1-6% of characters substituted, inserted or deleted, a new header
// line, some punctuation made half-width, lines re-wrapped) and some receive a 100-400
// character passage copied from another base with 0-3% edits. The matcher must find the
// planted pairs and passages and little else.

// editPool holds the characters substituted and inserted by the generator: common Chinese
// characters and a few Latin letters, as typing slips in a repost would be.
const editPool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经abcdefgh"

type plantedPair struct{ a, b int } // document indices, a < b

type plantedPassage struct {
	a, b         int // source and target document
	aStart, aEnd int
	bStart, bEnd int
	edits        int
	length       int
}

type plantedCorpus struct {
	docs     []*corpus.Document
	pairs    []plantedPair
	passages []plantedPassage
}

// baseArticles cuts texts into articles of roughly minChars..2*minChars characters at sentence
// boundaries, so that no two bases share text.
func baseArticles(texts []string, minChars int) []string {
	var bases []string
	for _, text := range texts {
		runes := []rune(text)
		var cur []string
		n := 0
		for _, sp := range corpus.Sentences(text) {
			s := string(runes[sp.Start:sp.End])
			cur = append(cur, s)
			n += sp.End - sp.Start
			if n >= minChars {
				bases = append(bases, strings.Join(cur, "\n"))
				cur, n = nil, 0
			}
		}
	}
	return bases
}

// editRunes changes about rate of the characters of s (substitution, insertion or deletion in
// equal shares) and returns the result and the number of edits.
func editRunes(rng *rand.Rand, s []rune, rate float64) ([]rune, int) {
	pool := []rune(editPool)
	out := make([]rune, 0, len(s)+len(s)/10)
	edits := 0
	for _, r := range s {
		if r == '\n' || rng.Float64() >= rate {
			out = append(out, r)
			continue
		}
		edits++
		switch rng.IntN(3) {
		case 0:
			out = append(out, pool[rng.IntN(len(pool))])
		case 1:
			out = append(out, r, pool[rng.IntN(len(pool))])
		}
	}
	return out, edits
}

var halfWidth = strings.NewReplacer("，", ",", "：", ":", "；", ";", "（", "(", "）", ")", "！", "!", "？", "?")

func rewrap(s string, width int) string {
	var sb strings.Builder
	for line := range strings.SplitSeq(s, "\n") {
		rs := []rune(line)
		for len(rs) > width {
			sb.WriteString(string(rs[:width]))
			sb.WriteByte('\n')
			rs = rs[width:]
		}
		sb.WriteString(string(rs))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// plant builds the corpus. Every base is used at most once, as an original, a repost source,
// a passage source or a passage target, so the ground truth has no transitive pairs.
func plant(seed uint64, bases []string, reposts, copies int) *plantedCorpus {
	rng := rand.New(rand.NewPCG(seed, 0x6e656172))
	order := rng.Perm(len(bases))
	pc := &plantedCorpus{}
	add := func(path, text string) int {
		pc.docs = append(pc.docs, &corpus.Document{Path: path, Text: text, Encoding: "utf-8"})
		return len(pc.docs) - 1
	}
	next := 0
	take := func() string { s := bases[order[next]]; next++; return s }

	for i := 0; i < reposts && next < len(bases); i++ {
		orig := take()
		a := add(fmt.Sprintf("orig-%03d.txt", i), orig)
		edited, _ := editRunes(rng, []rune(orig), 0.01+0.05*rng.Float64())
		text := string(edited)
		if rng.IntN(2) == 0 {
			text = halfWidth.Replace(text)
		}
		if rng.IntN(2) == 0 {
			text = rewrap(text, 30+rng.IntN(40))
		}
		text = fmt.Sprintf("转载自%s网 %d-%02d-%02d 来源:本地新闻\n\n", string([]rune(editPool)[rng.IntN(40)]), 2020+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28)) + text
		b := add(fmt.Sprintf("repost-%03d.txt", i), text)
		pc.pairs = append(pc.pairs, plantedPair{a, b})
	}
	for i := 0; i < copies && next+1 < len(bases); i++ {
		src, dst := take(), take()
		srcRunes := []rune(src)
		// A passage of whole sentences, 100-400 characters.
		sents := corpus.Sentences(src)
		first := rng.IntN(len(sents))
		last := first
		for last+1 < len(sents) && sents[last].End-sents[first].Start < 100 {
			last++
		}
		for first > 0 && sents[last].End-sents[first].Start < 100 {
			first--
		}
		for last > first && sents[last].End-sents[first].Start > 400 {
			last--
		}
		ps, pe := sents[first].Start, sents[last].End
		if pe-ps < 100 || pe-ps > 400 {
			continue
		}
		copied, edits := editRunes(rng, srcRunes[ps:pe], 0.03*rng.Float64())
		a := add(fmt.Sprintf("source-%03d.txt", i), src)

		dstSents := corpus.Sentences(dst)
		at := dstSents[rng.IntN(len(dstSents))].End
		dstRunes := []rune(dst)
		var text []rune
		text = append(text, dstRunes[:at]...)
		text = append(text, '\n')
		bStart := len(text)
		text = append(text, copied...)
		bEnd := len(text)
		text = append(text, '\n')
		text = append(text, dstRunes[at:]...)
		b := add(fmt.Sprintf("target-%03d.txt", i), string(text))
		pc.passages = append(pc.passages, plantedPassage{a: a, b: b, aStart: ps, aEnd: pe, bStart: bStart, bEnd: bEnd, edits: edits, length: pe - ps})
	}
	for next < len(bases) {
		add(fmt.Sprintf("other-%03d.txt", next), take())
	}
	return pc
}

// coverage is the share of [ps,pe) inside [rs,re).
func coverage(ps, pe, rs, re int) float64 {
	in := min(pe, re) - max(ps, rs)
	if in <= 0 {
		return 0
	}
	return float64(in) / float64(pe-ps)
}

type plantedScore struct {
	pairRecall, pairPrecision       float64
	passageRecall, passagePrecision float64
	foundPairs, reportedPairs       int
	foundPassages, reportedPassages int
}

func scorePlanted(t *testing.T, pc *plantedCorpus, res *Result) plantedScore {
	t.Helper()
	var s plantedScore
	planted := map[plantedPair]bool{}
	for _, p := range pc.pairs {
		planted[p] = true
	}
	for _, d := range res.Duplicates {
		s.reportedPairs++
		if planted[plantedPair{d.A, d.B}] {
			s.foundPairs++
			delete(planted, plantedPair{d.A, d.B})
		} else {
			t.Logf("unplanted duplicate: %s ~ %s (%.3f)", pc.docs[d.A].Path, pc.docs[d.B].Path, d.Similarity)
		}
	}
	for p := range planted {
		t.Logf("missed duplicate: %s ~ %s", pc.docs[p.a].Path, pc.docs[p.b].Path)
	}
	s.pairRecall = ratio(s.foundPairs, len(pc.pairs))
	s.pairPrecision = ratio(s.foundPairs, s.reportedPairs)

	for _, pp := range pc.passages {
		found := false
		for _, rp := range res.Passages {
			if rp.A == pp.a && rp.B == pp.b &&
				coverage(pp.aStart, pp.aEnd, rp.AStart, rp.AEnd) >= 0.9 &&
				coverage(pp.bStart, pp.bEnd, rp.BStart, rp.BEnd) >= 0.9 {
				found = true
				break
			}
		}
		if found {
			s.foundPassages++
		} else {
			t.Logf("missed passage: %s [%d,%d) -> %s [%d,%d), %d chars, %d edits",
				pc.docs[pp.a].Path, pp.aStart, pp.aEnd, pc.docs[pp.b].Path, pp.bStart, pp.bEnd, pp.length, pp.edits)
			for _, rp := range res.Passages {
				if rp.A == pp.a && rp.B == pp.b {
					t.Logf("   reported instead [%d,%d) [%d,%d)", rp.AStart, rp.AEnd, rp.BStart, rp.BEnd)
				}
			}
		}
	}
	s.passageRecall = ratio(s.foundPassages, len(pc.passages))

	// A reported passage is true when the two spans align: an edit-distance similarity on the
	// normalised text, a different measure from the n-gram Jaccard the matcher verifies with.
	trueOnes := 0
	for _, rp := range res.Passages {
		s.reportedPassages++
		ta := []rune(string(corpus.Normalize(pc.docs[rp.A].Slice(rp.AStart, rp.AEnd)).Text))
		tb := []rune(string(corpus.Normalize(pc.docs[rp.B].Slice(rp.BStart, rp.BEnd)).Text))
		sim := 1 - float64(levenshtein(ta, tb))/float64(max(len(ta), len(tb)))
		if sim >= 0.7 {
			trueOnes++
		} else {
			t.Logf("dubious passage (edit similarity %.2f): %s [%d,%d) ~ %s [%d,%d)", sim,
				pc.docs[rp.A].Path, rp.AStart, rp.AEnd, pc.docs[rp.B].Path, rp.BStart, rp.BEnd)
		}
	}
	s.passagePrecision = ratio(trueOnes, s.reportedPassages)
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func readTexts(t *testing.T, pattern string, limit int) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	if limit > 0 && len(files) > limit {
		files = files[:limit]
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	return texts
}

func checkPlanted(t *testing.T, bases []string, reposts, copies int) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			pc := plant(seed, bases, reposts, copies)
			opt := DefaultOptions()
			opt.Jobs = 2
			res := Find(pc.docs, opt)
			s := scorePlanted(t, pc, res)
			t.Logf("%d docs: near-copies %d/%d found, %d reported (recall %.3f precision %.3f); passages %d/%d found (recall %.3f), %d reported (precision %.3f)",
				len(pc.docs), s.foundPairs, len(pc.pairs), s.reportedPairs, s.pairRecall, s.pairPrecision,
				s.foundPassages, len(pc.passages), s.passageRecall, s.reportedPassages, s.passagePrecision)
			if s.pairRecall < 0.99 || s.pairPrecision < 0.99 {
				t.Errorf("near-copies: recall %.3f precision %.3f, want >= 0.99 both", s.pairRecall, s.pairPrecision)
			}
			if s.passageRecall < 0.95 || s.passagePrecision < 0.95 {
				t.Errorf("passages: recall %.3f precision %.3f, want >= 0.95 both", s.passageRecall, s.passagePrecision)
			}
		})
	}
}

func TestPlantedSeeds(t *testing.T) {
	texts := readTexts(t, "../../testdata/corpus/00*.txt", 0)
	if len(texts) != 5 {
		t.Fatalf("want the 5 seed articles in testdata/corpus, found %d", len(texts))
	}
	bases := baseArticles(texts, 300)
	checkPlanted(t, bases, len(bases)/4, len(bases)/6)
}

// TestPlantedXinwenlianbo runs the same generator on real CCTV stories when the shared corpora
// are beside the checkout (they are in CI); the seed test above runs everywhere.
func TestPlantedXinwenlianbo(t *testing.T) {
	dir := "../../../shared/corpora/xinwenlianbo/texts"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpora not present (%v)", err)
	}
	texts := readTexts(t, dir+"/2024*.txt", 1500)
	var long []string
	for _, tx := range texts {
		if len([]rune(tx)) >= 300 {
			long = append(long, tx)
		}
	}
	checkPlanted(t, long, 300, 300)
}
