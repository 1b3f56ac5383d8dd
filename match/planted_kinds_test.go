package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/text"
)

// The hard kinds of reuse, planted in government work reports (testdata/planted: four
// reports in Simplified script and the same in Traditional, made by OpenCC's s2tw, one
// character for one so that offsets agree). Each kind has its own recall, asserted >= 0.95
// over three seeds; pairs and passages have their precision asserted >= 0.98.

// bilingualBase is a base article in both scripts.
type bilingualBase struct{ hans, hant string }

func bilingualBases(t *testing.T, minChars int) []bilingualBase {
	t.Helper()
	files, err := filepath.Glob("../testdata/planted/hans/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in testdata/planted/hans (%v)", err)
	}
	var bases []bilingualBase
	for _, f := range files {
		hans, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		hant, err := os.ReadFile(filepath.Join("../testdata/planted/hant", filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		rs, rt := []rune(string(hans)), []rune(string(hant))
		if len(rs) != len(rt) {
			t.Fatalf("%s: %d characters in Simplified, %d in Traditional; the test needs them one for one", f, len(rs), len(rt))
		}
		var cur []text.Span
		n := 0
		for _, sp := range text.Sentences(string(hans)) {
			cur = append(cur, sp)
			n += sp.End - sp.Start
			if n >= minChars {
				var bs, bt []string
				for _, c := range cur {
					bs = append(bs, string(rs[c.Start:c.End]))
					bt = append(bt, string(rt[c.Start:c.End]))
				}
				bases = append(bases, bilingualBase{strings.Join(bs, "\n"), strings.Join(bt, "\n")})
				cur, n = nil, 0
			}
		}
	}
	return bases
}

// Kinds of planted reuse.
const (
	kindTradRepost   = "Traditional repost"
	kindTradPassage  = "Traditional passage"
	kindPasted       = "piece of a sentence pasted mid-sentence (30-80 chars, at least 30 not punctuation)"
	kindEdited       = "edited passage (5-10%, every clause)"
	kindHeavy        = "heavy repost (7-12%)"
	kindAbridged     = "abridged repost (40-75% kept)"
	kindTwoStories   = "two stories on one page"
	kindShuffled     = "paragraphs shuffled"
	plantedKindCount = 8
)

var plantedKinds = []string{kindTradRepost, kindTradPassage, kindPasted, kindEdited, kindHeavy, kindAbridged, kindTwoStories, kindShuffled}

// kindPair is a planted pair: b must be reported with a, as a near-copy or, when contains is
// set, also as a containing b.
type kindPair struct {
	kind      string
	a, b      int
	container int // the document that may contain the other instead of being its near-copy, or -1
}

type kindPassage struct {
	kind                       string
	a, b                       int
	aStart, aEnd, bStart, bEnd int
}

type kindCorpus struct {
	docs     []*corpus.Document
	pairs    []kindPair
	passages []kindPassage
}

// editEveryClause edits s at rate and then makes sure every clause of it carries an edit, so
// that no clause of the copy equals its source.
func editEveryClause(rng *rand.Rand, s string, rate float64) string {
	pool := []rune(editPool)
	var out []string
	rs := []rune(s)
	prev := 0
	spans := text.Clauses(s)
	for k, sp := range spans {
		end := sp.End
		if k == len(spans)-1 {
			end = len(rs)
		}
		clause := rs[prev:end]
		prev = end
		edited, n := editRunes(rng, clause, rate)
		if n == 0 && len(clause) > 2 {
			i := 1 + rng.IntN(len(clause)-2)
			edited = append(slices.Clone(clause[:i]), pool[rng.IntN(len(pool))])
			edited = append(edited, clause[i+1:]...)
		}
		out = append(out, string(edited))
	}
	return strings.Join(out, "")
}

func header(rng *rand.Rand) string {
	return fmt.Sprintf("转载自%s网 %d-%02d-%02d\n\n", string([]rune(editPool)[rng.IntN(40)]), 2020+rng.IntN(5), 1+rng.IntN(12), 1+rng.IntN(28))
}

// insertAt pastes copied into dst: mid-sentence at a random point inside a sentence when
// glued, else between two sentences on a line of its own. It returns the text and the
// copy's offsets.
func insertAt(rng *rand.Rand, dst string, copied string, glued bool) (string, int, int) {
	sents := text.Sentences(dst)
	sent := sents[rng.IntN(len(sents))]
	at := sent.End
	if glued && sent.End-sent.Start >= 6 {
		at = sent.Start + 2 + rng.IntN(sent.End-sent.Start-4)
	}
	rs := []rune(dst)
	var out []rune
	out = append(out, rs[:at]...)
	if !glued {
		out = append(out, '\n')
	}
	start := len(out)
	out = append(out, []rune(copied)...)
	end := len(out)
	if !glued {
		out = append(out, '\n')
	}
	out = append(out, rs[at:]...)
	return string(out), start, end
}

// passageSpan picks whole sentences of b of about minLen..maxLen characters.
func passageSpan(rng *rand.Rand, s string, minLen, maxLen int) (int, int, bool) {
	sents := text.Sentences(s)
	first := rng.IntN(len(sents))
	last := first
	for last+1 < len(sents) && sents[last].End-sents[first].Start < minLen {
		last++
	}
	for first > 0 && sents[last].End-sents[first].Start < minLen {
		first--
	}
	for last > first && sents[last].End-sents[first].Start > maxLen {
		last--
	}
	ps, pe := sents[first].Start, sents[last].End
	return ps, pe, pe-ps >= minLen && pe-ps <= maxLen
}

func plantKinds(seed uint64, bases []bilingualBase) *kindCorpus {
	rng := rand.New(rand.NewPCG(seed, 0x6b696e64))
	order := rng.Perm(len(bases))
	kc := &kindCorpus{}
	next := 0
	take := func() bilingualBase { b := bases[order[next]]; next++; return b }
	add := func(name, s string) int {
		kc.docs = append(kc.docs, &corpus.Document{Path: fmt.Sprintf("%03d-%s.txt", len(kc.docs), name), Text: s, Encoding: "utf-8"})
		return len(kc.docs) - 1
	}
	// Bases used per round: one per kind, two for the passages, two stories on one page.
	for next+12 <= len(bases) {
		// Traditional repost: the whole story in Traditional script, lightly edited.
		b := take()
		a := add("orig", b.hans)
		edited, _ := editRunes(rng, []rune(b.hant), 0.03*rng.Float64())
		kc.pairs = append(kc.pairs, kindPair{kind: kindTradRepost, a: a, b: add("trad-repost", header(rng)+string(edited)), container: -1})

		// Traditional passage: 100-300 characters of a Simplified story in a Traditional one.
		src, dst := take(), take()
		if ps, pe, ok := passageSpan(rng, src.hans, 100, 300); ok {
			a := add("source", src.hans)
			copied := string([]rune(src.hant)[ps:pe])
			t, bs, be := insertAt(rng, dst.hant, copied, false)
			kc.passages = append(kc.passages, kindPassage{kindTradPassage, a, add("trad-target", t), ps, pe, bs, be})
		}

		// A piece of 30-80 characters cut anywhere from a sentence, pasted into the middle of
		// another story's sentence.
		src, dst = take(), take()
		srcRunes := []rune(src.hans)
		sents := text.Sentences(src.hans)
		// Counted in normalised characters, as MinPassage counts: punctuation is not counted.
		counted := func(from, to int) int { return utf8.RuneCount(text.AppendNormalized(nil, string(srcRunes[from:to]))) }
		long := sents[:0:0]
		for _, sp := range sents {
			if counted(sp.Start, sp.End) >= 40 {
				long = append(long, sp)
			}
		}
		if len(long) > 0 {
			sp := long[rng.IntN(len(long))]
			n := 30 + rng.IntN(min(80, sp.End-sp.Start)-30+1)
			ps := sp.Start + rng.IntN(sp.End-sp.Start-n+1)
			pe := ps + n
			for counted(ps, pe) < 30 {
				if pe < sp.End {
					pe++
				} else {
					ps--
				}
			}
			a := add("source", src.hans)
			t, bs, be := insertAt(rng, dst.hans, string(srcRunes[ps:pe]), true)
			kc.passages = append(kc.passages, kindPassage{kindPasted, a, add("pasted-target", t), ps, pe, bs, be})
		}

		// An edited passage: 100-140 characters, every clause edited, 5-10% of characters.
		src, dst = take(), take()
		if ps, pe, ok := passageSpan(rng, src.hans, 100, 140); ok {
			a := add("source", src.hans)
			copied := editEveryClause(rng, string([]rune(src.hans)[ps:pe]), 0.05+0.05*rng.Float64())
			t, bs, be := insertAt(rng, dst.hans, copied, false)
			kc.passages = append(kc.passages, kindPassage{kindEdited, a, add("edited-target", t), ps, pe, bs, be})
		}

		// A heavy repost: 7-12% of characters edited.
		b = take()
		a = add("orig", b.hans)
		edited, _ = editRunes(rng, []rune(b.hans), 0.07+0.05*rng.Float64())
		kc.pairs = append(kc.pairs, kindPair{kind: kindHeavy, a: a, b: add("heavy-repost", header(rng)+string(edited)), container: -1})

		// An abridged repost: 40-75% of the sentences kept, in order.
		b = take()
		a = add("orig", b.hans)
		lines := strings.Split(b.hans, "\n")
		keep := 0.4 + 0.35*rng.Float64()
		total := len([]rune(b.hans))
		var kept []string
		n := 0
		for _, i := range rng.Perm(len(lines)) {
			if float64(n+len([]rune(lines[i]))) > keep*float64(total) {
				continue
			}
			kept = append(kept, fmt.Sprint(i))
			n += len([]rune(lines[i]))
		}
		var abridged []string
		for i, l := range lines {
			if slices.Contains(kept, fmt.Sprint(i)) {
				abridged = append(abridged, l)
			}
		}
		if float64(n) >= 0.35*float64(total) {
			edited, _ := editRunes(rng, []rune(strings.Join(abridged, "\n")), 0.02*rng.Float64())
			kc.pairs = append(kc.pairs, kindPair{kind: kindAbridged, a: a, b: add("abridged", header(rng)+string(edited)), container: a})
		}

		// Two stories on one page, each also published alone.
		s1, s2 := take(), take()
		a1, a2 := add("story", s1.hans), add("story", s2.hans)
		page := add("page", "本地新闻 | 首页 > 要闻\n"+s1.hans+"\n\n相关阅读\n"+s2.hans+"\n责任编辑：王明\n")
		kc.pairs = append(kc.pairs, kindPair{kind: kindTwoStories, a: a1, b: page, container: page}, kindPair{kind: kindTwoStories, a: a2, b: page, container: page})

		// Paragraphs shuffled, lightly edited.
		b = take()
		a = add("orig", b.hans)
		lines = strings.Split(b.hans, "\n")
		rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		edited, _ = editRunes(rng, []rune(strings.Join(lines, "\n")), 0.02*rng.Float64())
		kc.pairs = append(kc.pairs, kindPair{kind: kindShuffled, a: a, b: add("shuffled", header(rng)+string(edited)), container: -1})
	}
	for next < len(bases) {
		add("other", take().hans)
	}
	return kc
}

// containedAlign is the share of the shorter normalised text found, in order, in the longer
// (longest common subsequence over its length): an independent check of a containment pair.
func containedAlign(a, b string) float64 {
	ra := []rune(string(text.AppendNormalized(nil, a)))
	rb := []rune(string(text.AppendNormalized(nil, b)))
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(ra) == 0 {
		return 0
	}
	return float64(lcs(ra, rb)) / float64(len(ra))
}

func TestPlantedKinds(t *testing.T) {
	bases := bilingualBases(t, 300)
	found := map[string]int{}
	planted := map[string]int{}
	containment, jaccards := map[string][]float64{}, map[string][]float64{}
	truePairs, reportedPairs, truePassages, reportedPassages := 0, 0, 0, 0
	for _, seed := range []uint64{1, 2, 3} {
		kc := plantKinds(seed, bases)
		opt := DefaultOptions()
		opt.Jobs = 2
		res := Find(kc.docs, opt)
		byPair := map[[2]int]Duplicate{}
		for _, d := range res.Duplicates {
			byPair[[2]int{d.A, d.B}] = d
		}
		isPlanted := map[[2]int]bool{}
		for _, p := range kc.pairs {
			planted[p.kind]++
			key := [2]int{min(p.a, p.b), max(p.a, p.b)}
			isPlanted[key] = true
			d, ok := byPair[key]
			// A near-copy, or (where allowed) the container containing the other.
			contained := p.container >= 0 && (d.Relation == AContainsB && d.A == p.container || d.Relation == BContainsA && d.B == p.container)
			if ok && (d.Relation == NearCopy || contained) {
				found[p.kind]++
				if p.container >= 0 {
					containment[p.kind] = append(containment[p.kind], max(d.ContainmentA, d.ContainmentB))
				} else {
					jaccards[p.kind] = append(jaccards[p.kind], d.Similarity)
				}
			} else {
				t.Logf("seed %d: missed %s: %s ~ %s (reported: %+v)", seed, p.kind, kc.docs[p.a].Path, kc.docs[p.b].Path, d)
			}
		}
		for _, pp := range kc.passages {
			planted[pp.kind]++
			isPlanted[[2]int{pp.a, pp.b}] = true
			ok := false
			for _, rp := range res.Passages {
				if rp.A == pp.a && rp.B == pp.b && coverage(pp.aStart, pp.aEnd, rp.AStart, rp.AEnd) >= 0.9 && coverage(pp.bStart, pp.bEnd, rp.BStart, rp.BEnd) >= 0.9 {
					ok = true
				}
			}
			if ok {
				found[pp.kind]++
			} else {
				t.Logf("seed %d: missed %s: %s [%d,%d) -> %s [%d,%d) %q", seed, pp.kind, kc.docs[pp.a].Path, pp.aStart, pp.aEnd, kc.docs[pp.b].Path, pp.bStart, pp.bEnd, kc.docs[pp.a].Slice(pp.aStart, pp.aEnd))
				for _, rp := range res.Passages {
					if rp.A == pp.a && rp.B == pp.b {
						t.Logf("   reported instead [%d,%d) [%d,%d)", rp.AStart, rp.AEnd, rp.BStart, rp.BEnd)
					}
				}
			}
		}
		// A reported pair is true when it was planted, or when one document is contained in
		// the other as an alignment sees it (a passage's source copied nearly whole).
		for _, d := range res.Duplicates {
			reportedPairs++
			key := [2]int{d.A, d.B}
			switch {
			case isPlanted[key]:
				truePairs++
			case d.Relation != NearCopy && containedAlign(kc.docs[d.A].Text, kc.docs[d.B].Text) >= 0.7:
				truePairs++
			default:
				t.Logf("seed %d: unplanted pair %s ~ %s: %+v", seed, kc.docs[d.A].Path, kc.docs[d.B].Path, d)
			}
		}
		for _, rp := range res.Passages {
			reportedPassages++
			ta := []rune(string(text.AppendNormalized(nil, kc.docs[rp.A].Slice(rp.AStart, rp.AEnd))))
			tb := []rune(string(text.AppendNormalized(nil, kc.docs[rp.B].Slice(rp.BStart, rp.BEnd))))
			if sim := 1 - float64(levenshtein(ta, tb))/float64(max(len(ta), len(tb))); sim >= 0.7 {
				truePassages++
			} else {
				t.Logf("seed %d: dubious passage (edit similarity %.2f): %s [%d,%d) ~ %s [%d,%d)", seed, sim, kc.docs[rp.A].Path, rp.AStart, rp.AEnd, kc.docs[rp.B].Path, rp.BStart, rp.BEnd)
			}
		}
	}
	for _, k := range plantedKinds {
		recall := ratio(found[k], planted[k])
		t.Logf("%-44s %3d/%3d found, recall %.3f", k, found[k], planted[k], recall)
		if c := containment[k]; len(c) > 0 {
			t.Logf("    containment of the contained side: min %.3f, median %.3f", quantile(c, 0), quantile(c, 0.5))
		}
		if c := jaccards[k]; len(c) > 0 {
			t.Logf("    Jaccard: min %.3f, median %.3f", quantile(c, 0), quantile(c, 0.5))
		}
		if planted[k] < 20 {
			t.Errorf("%s: only %d planted, too few to measure", k, planted[k])
		}
		if recall < 0.95 {
			t.Errorf("%s: recall %.3f, want >= 0.95", k, recall)
		}
	}
	pairPrecision, passagePrecision := ratio(truePairs, reportedPairs), ratio(truePassages, reportedPassages)
	t.Logf("pairs: %d reported, precision %.3f; passages: %d reported, precision %.3f", reportedPairs, pairPrecision, reportedPassages, passagePrecision)
	if pairPrecision < 0.98 || passagePrecision < 0.98 {
		t.Errorf("precision: pairs %.3f, passages %.3f, want >= 0.98 both", pairPrecision, passagePrecision)
	}
}
