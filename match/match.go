// Package match finds verified near-duplicate documents and copied passages in a set of
// documents.
//
// The search runs in three steps. Every document is normalised (package text, which also
// folds Traditional Han characters to Simplified) and cut into clauses; each clause and each
// whole document gets a SimHash fingerprint. Candidate pairs then come from four places, none
// of them all-pairs: clauses with the same normalised text or with fingerprints within
// PassageDistance bits (found through simhash.Index); documents whose fingerprints are within
// DocDistance bits; anchors, k-grams chosen by winnowing that two documents share (see
// anchors.go); and, for short documents, MinHash buckets (see short.go). Finally every
// candidate is verified on the text. A document pair is a near-copy (Relation NearCopy) when
// the Jaccard similarity of its character n-gram sets reaches MinSimilarity, or reaches 0.3
// while the texts align end to end at 0.85 (a heavily edited repost); otherwise, when
// ContainedShare (0.75) of one document's n-grams are in the other, it is reported with the
// relation AContainsB or BContainsA. Thresholds were chosen by measurement, written in the
// README ("How it works"): planted abridged reposts have containment 0.79 and above, and 0.75
// adds 90 pairs of template stories on xinwenlianbo. Passages come from matching clauses
// chained into maximal spans, extended over neighbouring clauses that are similar on the text,
// and from anchors extended by alignment; a span is reported as a copied passage only when it
// is at least MinPassage normalised characters long as finally aligned and its own n-gram
// similarity reaches PassageSimilarity (or it aligns, as for documents). Nothing is reported
// because two fingerprints were close.
//
// Pairs are reported, not clusters: A~B and B~C never make A~C.
package match

import (
	"bytes"
	"cmp"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// Options tunes the search. Zero values are replaced by the defaults of DefaultOptions.
type Options struct {
	N                 int     // n-gram size in runes
	DocDistance       int     // Hamming distance for document fingerprint candidates
	PassageDistance   int     // Hamming distance for clause fingerprint candidates
	MinSimilarity     float64 // n-gram Jaccard at which two documents are near-duplicates
	PassageSimilarity float64 // n-gram Jaccard at which a matched span counts as copied
	MinPassage        int     // shortest reported passage, in normalised characters
	MaxDF             int     // a clause found in more documents than this is capped, not evidence
	Jobs              int     // worker goroutines; output does not depend on it

	// Exclude lists, per document, spans of the original text (ignored phrases) that must
	// not make documents or passages match. It may be nil or shorter than the document list.
	Exclude [][]text.Span
	// ExcludeFromPassages, when set, is called with the verified near-duplicates and returns
	// further spans per document (slogans) that must not seed copied passages. Slogans are
	// mined knowing the duplicates, so that one article reposted many times is not mistaken
	// for a set of slogans.
	ExcludeFromPassages func(dups []Duplicate) [][]text.Span

	// Read, when set, is called by FindTexts and FindCollapsedTexts with every document's
	// index and text as their first stage reads it, on several goroutines at once; the
	// spans it returns are left out as Exclude's are (Exclude is then not used). A caller
	// learns there what it needs of the texts without reading them again.
	Read func(i int, s string) []text.Span
	// TextBudget bounds the bytes of text that FindTexts and FindCollapsedTexts hold at
	// once while they compare documents (what is made of a text to compare it, its
	// normalised form and n-gram set, is counted too: about textCost times its size);
	// 0 means no bound. It does not change the result.
	TextBudget int64

	// Progress, when set, is told which stage Find is in (the Stage names) and how many of
	// its steps are done. It may be called from several goroutines at once.
	Progress func(stage string, done, total int)
}

// DefaultOptions are the settings neardup uses unless told otherwise; the simhash package
// documents the measurements behind the distances.
func DefaultOptions() Options {
	return Options{
		N:                 simhash.DefaultN,
		DocDistance:       docDistance,
		PassageDistance:   passageDistance,
		MinSimilarity:     0.5,
		PassageSimilarity: 0.5,
		MinPassage:        30,
		MaxDF:             10,
		Jobs:              1,
	}
}

const (
	docDistance     = simhash.DefaultDocDistance
	passageDistance = simhash.DefaultPassageDistance
	// minSeedRunes is the shortest clause used to find candidates: shorter clauses ("记者：",
	// "会议指出") match everywhere and would only cost verification time. Six characters keep
	// seeds in a copied passage whose longer clauses all carry an edit.
	minSeedRunes = 6
	// maxGap is how many unmatched clauses may lie between two matching ones in one passage.
	maxGap = 2
	// extendSimilarity is the clause similarity needed to grow a passage into a neighbouring
	// clause whose fingerprint was not close enough to be a seed.
	extendSimilarity = 0.6
	// docPairFactor, bigShare and maxBigGroup bound the document candidates drawn from capped
	// clauses (see docCandidates).
	docPairFactor = 10
	bigShare      = 4 // the clause is at least a quarter of the document
	maxBigGroup   = 2000
	// maxStepClauses and minStepRunes bound one growth step of a passage (see bestStep).
	maxStepClauses = 6
	minStepRunes   = 8
	// nearClauseSimilarity verifies a clause pair found only through close fingerprints.
	nearClauseSimilarity = 0.8
)

// Duplicate is a verified pair of documents, A < B document indices: near-copies, or one
// containing the other.
type Duplicate struct {
	A, B       int
	Similarity float64 // Jaccard similarity of the n-gram sets
	Distance   int     // Hamming distance of the fingerprints
	// ContainmentA is the share of A's n-grams found in B, ContainmentB of B's in A.
	ContainmentA, ContainmentB float64
	// Aligned is the alignment similarity, 1 - (characters inserted or deleted) / (both
	// lengths), when it decided the pair (a heavily edited near-copy, see NearCopy), else 0.
	Aligned  float64
	Relation Relation
	// Folded says the two documents are in different Chinese scripts (one Traditional, see
	// text.Folded): they matched through the folding of Traditional to Simplified.
	Folded bool
}

// Passage is a verified copied span; offsets are code points of the original texts.
type Passage struct {
	A, B             int
	AStart, AEnd     int
	BStart, BEnd     int
	Similarity       float64
	ALength, BLength int // normalised characters, for sorting by size
	// Folded says the two sides are in different Chinese scripts (see Duplicate.Folded).
	Folded bool
}

// Capped is a clause text left out of the evidence because it occurs in more than MaxDF
// documents.
type Capped struct {
	Text      string
	Documents int
}

// Result is what Find found, sorted: duplicates most similar first, passages longest first.
type Result struct {
	Fingerprints []uint64
	Features     []int
	Duplicates   []Duplicate
	Passages     []Passage
	Capped       []Capped
}

// clause is what passages need of one clause, kept for the whole search. What only the
// grouping of clauses needs (clausePrint) is kept beside it and freed after grouping: at
// about 400,000 clauses for 10,000 news stories every byte per clause counts at the peak.
type clause struct {
	start, end int32 // original code points
	nb, ne     int32 // byte range in the normalised text
	rs, re     int32 // rune range in the normalised text: passages slice decoded texts by it
	seed       bool  // long enough and not excluded: its exact text finds candidates
	out        bool  // mostly excluded (ignored phrases, slogans): no evidence of copying
	capped     bool  // its text, or a near variant, recurs in more than MaxDF documents
}

// clausePrint identifies a clause's text for grouping.
type clausePrint struct {
	hash  uint64 // exact identity of the normalised text
	fp    uint64
	runes int32
	near  bool // a seed with enough n-grams for its fingerprint to find near variants
}

type docState struct {
	norm     []byte // normalised text; made again when needed (see normalizeTexts)
	runes    int    // normalised characters
	fp       uint64
	feats    int
	excluded [][2]int // normalised rune ranges the caller asked to ignore
	clauses  []clause
	prints   []clausePrint // per clause; nil once clauses are grouped
	grams    []uint32      // sorted distinct n-gram hashes, excluded spans left out; only while verifying
	minHash  []uint32      // MinHash signature of a short document (see shortCandidates), else nil
	stock    []int32       // byte offsets of its anchors that recur in more than MaxDF documents, sorted
	anchors  int32         // how many anchors winnowing picked
	src      *text.Offsets // the original text, for cutting spans out of it by code points
	sources  *text.SourceMap
}

// candidate is a document pair to verify; seeds[lo:hi] are its clause pairs and
// anchors[alo:ahi] its shared anchors, if any. passagesOnly marks a pair found only through
// a few shared anchors, too few for the documents to be near-copies or one contained in the
// other (see withAnchors): only its passages are sought.
type candidate struct {
	a, b         int32
	lo, hi       int32
	alo, ahi     int32
	passagesOnly bool
}

// anchorPairShare is the least share of the smaller document's anchors that a pair found only
// through anchors must share to be judged as documents: containment of 0.75 of a document's
// n-grams, or a Jaccard of 0.3, leaves far more of its anchors in common.
const anchorPairShare = 0.2

// withAnchors merges the pairs that share anchors (sorted by pair) into the candidates
// (sorted by pair) and gives each candidate its range of anchors.
func withAnchors(cands []candidate, anchors []anchorSeed, states []docState) []candidate {
	out := make([]candidate, 0, len(cands))
	i := 0
	for k := 0; k < len(anchors); {
		a, b := anchors[k].a, anchors[k].b
		lo := k
		for k < len(anchors) && anchors[k].a == a && anchors[k].b == b {
			k++
		}
		for i < len(cands) && (cands[i].a < a || cands[i].a == a && cands[i].b < b) {
			out = append(out, cands[i])
			i++
		}
		if i < len(cands) && cands[i].a == a && cands[i].b == b {
			c := cands[i]
			c.alo, c.ahi = int32(lo), int32(k)
			out = append(out, c)
			i++
			continue
		}
		few := float64(k-lo) < anchorPairShare*float64(min(states[a].anchors, states[b].anchors))
		out = append(out, candidate{a: a, b: b, alo: int32(lo), ahi: int32(k), passagesOnly: few})
	}
	return append(out, cands[i:]...)
}

// prepareAll normalises and fingerprints every document on opt.Jobs goroutines; a document
// keeps its MinHash only when it is short enough for the MinHash candidates.
func prepareAll(docs []*corpus.Document, opt Options) []docState {
	states := make([]docState, len(docs))
	prepared := newStage(opt.Progress, StageFingerprint, len(docs))
	parallel.Workers(len(docs), opt.Jobs, func() func(i int) {
		h := simhash.NewHasher(opt.N)
		return func(i int) {
			var exclude []text.Span
			if i < len(opt.Exclude) {
				exclude = opt.Exclude[i]
			}
			states[i] = prepare(docs[i].Text, exclude, h, opt.N)
			if f := states[i].feats; f < simhash.MinFeatures || float64(f)*opt.MinSimilarity > shortGrams {
				states[i].minHash = nil
			}
			prepared.step()
		}
	})
	return states
}

// gramSets fills in the n-gram sets of the documents needed, on opt.Jobs goroutines.
func gramSets(states []docState, needed []bool, opt Options) {
	parallel.Workers(len(states), opt.Jobs, func() func(i int) {
		var buf []uint32
		return func(i int) {
			if needed[i] {
				buf = gramSet(states[i].norm, states[i].excluded, opt.N, buf)
				states[i].grams = slices.Clone(buf)
			}
		}
	})
}

// Find compares docs and returns what it verified.
//
// The stages run one after another so that each frees what the next does not need: the
// clause prints go once clauses are grouped, the n-gram sets once documents are verified, the
// normalised texts while the clause index and ExcludeFromPassages (slogan mining) hold memory.
func Find(docs []*corpus.Document, opt Options) *Result {
	opt = withDefaults(opt)
	states := prepareAll(docs, opt)

	res := &Result{Fingerprints: make([]uint64, len(docs)), Features: make([]int, len(docs))}
	for i := range states {
		res.Fingerprints[i] = states[i].fp
		res.Features[i] = states[i].feats
	}

	seeds, capped := clauseSeeds(docs, states, opt)
	res.Capped = capped
	anchors := anchorSeeds(states, opt.MaxDF, opt.Jobs)

	// Whole-document fingerprints add candidates that share no clause, e.g. a repost edited
	// throughout.
	docIndex := simhash.NewIndex(opt.DocDistance)
	for i := range states {
		if states[i].feats >= simhash.MinFeatures {
			docIndex.Add(states[i].fp, int32(i))
		}
	}
	docIndex.PairsJobs(opt.Jobs, func(a, b int32, _ int) {
		seeds = append(seeds, docPair(a, b))
	})
	docIndex = nil
	seeds = append(seeds, shortCandidates(states, opt.MinSimilarity, opt.Jobs)...)
	for i := range states {
		states[i].minHash = nil
	}
	cands, seeds := candidates(seeds, opt.Jobs)
	cands = withAnchors(cands, anchors, states)

	// Only documents in some candidate pair to judge need their n-gram sets.
	needed := make([]bool, len(states))
	for _, c := range cands {
		if !c.passagesOnly {
			needed[c.a], needed[c.b] = true, true
		}
	}
	gramSets(states, needed, opt)

	// Few candidates are verified: they are kept apart with their index, and every candidate
	// gets one byte, whether it is a near-copy, instead of a whole Duplicate.
	type verdict struct {
		i int
		d Duplicate
	}
	var verified []verdict
	var mu sync.Mutex
	nearCopy := make([]bool, len(cands))
	compared := newStage(opt.Progress, StageCompare, len(cands))
	parallel.Workers(len(cands), opt.Jobs, func() func(i int) {
		var sc scratch
		return func(i int) {
			defer compared.step()
			sa, sb := &states[cands[i].a], &states[cands[i].b]
			// A text of a few characters (a title-only story, "国内联播快讯") equals many
			// others without being a copy of anything: documents need as many n-grams as a
			// fingerprint needs to be indexed.
			if cands[i].passagesOnly || len(sa.grams) < simhash.MinFeatures || len(sb.grams) < simhash.MinFeatures {
				return
			}
			if v := judgePair(sa, sb, opt, &sc); v.Relation != "" {
				nearCopy[i] = v.Relation == NearCopy
				mu.Lock()
				verified = append(verified, verdict{i, v})
				mu.Unlock()
			}
		}
	})
	for i := range states {
		states[i].grams = nil
	}
	slices.SortFunc(verified, func(x, y verdict) int { return cmp.Compare(x.i, y.i) })
	for _, x := range verified {
		c, v := cands[x.i], x.d
		v.A, v.B, v.Distance = int(c.a), int(c.b), simhash.Distance(states[c.a].fp, states[c.b].fp)
		res.Duplicates = append(res.Duplicates, v)
	}
	verified = nil
	// What is left to do is passages, for the pairs that are not near-copies and share
	// clauses or anchors; a pair where one document contains the other has its passages
	// found too: they say where the one lies in the other.
	rest := cands[:0:0]
	for i, c := range cands {
		if !nearCopy[i] && (c.lo < c.hi || c.alo < c.ahi) {
			rest = append(rest, c)
		}
	}
	cands, nearCopy = rest, nil

	// What the caller now leaves out (slogans, found with the duplicates known) no longer
	// seeds passages. The caller's search holds memory of its own: the normalised texts are
	// dropped meanwhile and made again for the documents that passages compare, which costs
	// less than a tenth of the time preparing them took.
	if opt.ExcludeFromPassages != nil {
		for i := range states {
			states[i].norm = nil
		}
		exclude := opt.ExcludeFromPassages(res.Duplicates)
		for d := range states {
			if d < len(exclude) && len(exclude[d]) > 0 {
				markExcluded(states[d].clauses, exclude[d])
			}
		}
		clear(needed)
		for _, c := range cands {
			needed[c.a], needed[c.b] = true, true
		}
		normalizeTexts(docs, states, needed, opt.Jobs)
	}

	found := make([][]Passage, len(cands))
	sought := newStage(opt.Progress, StagePassages, len(cands))
	parallel.Workers(len(cands), opt.Jobs, func() func(i int) {
		var sc scratch
		var live []seed
		return func(i int) {
			defer sought.step()
			c := cands[i]
			found[i], live = candidatePassages(c, &states[c.a], &states[c.b], seeds, anchors, opt, &sc, live)
		}
	})
	for _, ps := range found {
		res.Passages = append(res.Passages, ps...)
	}
	markFolded(docs, states, res, opt.Jobs)
	sortResult(res, opt.Jobs)
	return res
}

// sortResult puts the duplicates most similar first and the passages longest first. Both
// orders are total (a pair is listed once, two passages of a pair never start at the same
// place on both sides), so sorting in parts on several goroutines gives the same order.
func sortResult(res *Result, jobs int) {
	parallel.SortFunc(res.Duplicates, func(x, y Duplicate) int {
		return cmp.Or(cmp.Compare(y.Similarity, x.Similarity), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	}, jobs)
	parallel.SortFunc(res.Passages, func(x, y Passage) int {
		return cmp.Or(cmp.Compare(max(y.ALength, y.BLength), max(x.ALength, x.BLength)),
			cmp.Compare(y.Similarity, x.Similarity),
			cmp.Compare(x.A, y.A), cmp.Compare(x.AStart, y.AStart), cmp.Compare(x.B, y.B), cmp.Compare(x.BStart, y.BStart))
	}, jobs)
}

// markFolded marks the pairs and passages whose sides are in different Chinese scripts.
func markFolded(docs []*corpus.Document, states []docState, res *Result, jobs int) {
	trad := make([]int8, len(docs)) // 0 not needed, 1 Simplified or not Chinese, 2 Traditional
	for _, d := range res.Duplicates {
		trad[d.A], trad[d.B] = 1, 1
	}
	parallel.For(len(docs), jobs, func(x int) {
		if trad[x] != 0 && text.Folded(docs[x].Text) {
			trad[x] = 2
		}
	})
	for i := range res.Duplicates {
		d := &res.Duplicates[i]
		d.Folded = trad[d.A] != trad[d.B]
	}
	parallel.Workers(len(res.Passages), jobs, func() func(i int) {
		return func(i int) {
			p := &res.Passages[i]
			p.Folded = text.Folded(states[p.A].src.Slice(p.AStart, p.AEnd)) != text.Folded(states[p.B].src.Slice(p.BStart, p.BEnd))
		}
	})
}

// candidates sorts the pair seeds, drops repeats and cuts them into one candidate per
// document pair, in pair order; the returned seeds keep only clause pairs (no document-only
// marks), each candidate's run sorted by clause.
func candidates(seeds []pairSeed, jobs int) ([]candidate, []pairSeed) {
	parallel.SortFunc(seeds, func(x, y pairSeed) int {
		return compare4(x.a, y.a, x.b, y.b, x.ia, y.ia, x.ib, y.ib)
	}, jobs)
	seeds = slices.Compact(seeds)
	var cands []candidate
	out := seeds[:0] // compacting in place: out never overtakes the read position
	for i := 0; i < len(seeds); {
		j := i
		c := candidate{a: seeds[i].a, b: seeds[i].b, lo: int32(len(out))}
		for ; j < len(seeds) && seeds[j].a == c.a && seeds[j].b == c.b; j++ {
			if seeds[j].ia >= 0 {
				out = append(out, seeds[j])
			}
		}
		c.hi = int32(len(out))
		cands = append(cands, c)
		i = j
	}
	// A copy: the clause pairs are a small part of what was collected.
	return cands, slices.Clone(out)
}

// Resolved returns opt with zero values replaced by defaults, as Find uses it.
func Resolved(opt Options) Options { return withDefaults(opt) }

func withDefaults(opt Options) Options {
	def := DefaultOptions()
	if opt.N <= 0 {
		opt.N = def.N
	}
	if opt.DocDistance < 0 {
		opt.DocDistance = 0
	}
	if opt.PassageDistance < 0 {
		opt.PassageDistance = 0
	}
	// Written as !(x > 0) so that NaN, which compares false with everything, takes the
	// default too instead of reaching the verification loops.
	if !(opt.MinSimilarity > 0) || opt.MinSimilarity > 1 {
		opt.MinSimilarity = def.MinSimilarity
	}
	if !(opt.PassageSimilarity > 0) || opt.PassageSimilarity > 1 {
		opt.PassageSimilarity = def.PassageSimilarity
	}
	if opt.MinPassage <= 0 {
		opt.MinPassage = def.MinPassage
	}
	if opt.MaxDF <= 0 {
		opt.MaxDF = def.MaxDF
	}
	if opt.Jobs <= 0 {
		opt.Jobs = 1
	}
	return opt
}

// normalizeTexts makes the normalised text of every document that needs it (all when needed
// is nil). Find holds the normalised texts only in the stages that read them: making them
// again costs about 60 ms of one core for 15 MB of news, less than they cost in memory.
func normalizeTexts(docs []*corpus.Document, states []docState, needed []bool, jobs int) {
	parallel.Workers(len(states), jobs, func() func(i int) {
		var buf []byte
		return func(i int) {
			if needed == nil || needed[i] {
				buf = text.AppendNormalized(buf[:0], docs[i].Text)
				states[i].norm = bytes.Clone(buf)
			}
		}
	})
}

// prepare normalises one document and fingerprints it and its clauses.
func prepare(s string, exclude []text.Span, h *simhash.Hasher, n int) docState {
	// The map is scratch: what the document keeps of it is copied out below.
	nz := normalizedScratch.Get().(*text.Normalized)
	defer normalizedScratch.Put(nz)
	st := prepareCompact(s, exclude, h, n, nz)
	st.src = text.NewOffsets(s)
	st.sources = text.NewSourceMap(st.src, nz)
	return st
}

// prepareCompact is prepare without the maps back to the original text (src, sources),
// which FindTexts makes again only for the documents it compares; it leaves the
// normalisation in nz.
func prepareCompact(s string, exclude []text.Span, h *simhash.Hasher, n int, nz *text.Normalized) docState {
	text.NormalizeInto(nz, s)
	st := docState{runes: len(nz.Byte) - 1}
	st.fp, st.feats = h.Sum(nz.Text)
	if st.feats <= 2*shortGrams { // the signature Find keeps for short documents
		st.minHash = minHashText(nz.Text, n)
	}

	for _, sp := range exclude {
		i, j := nz.Runes(sp.Start, sp.End)
		if i < j {
			st.excluded = append(st.excluded, [2]int{i, j})
		}
	}

	spans := text.Clauses(s)
	st.clauses = make([]clause, 0, len(spans))
	st.prints = make([]clausePrint, 0, len(spans))
	// Clauses come in order and the map's starts and ends never decrease, so the searches of
	// nz.Runes go on from where the clause before left them.
	ki, kj, lastStart, lastEnd := 0, 0, 0, 0
	for _, sp := range spans {
		var i, j int
		if sp.Start >= lastStart && sp.End >= lastEnd {
			for ki < len(nz.Start) && int(nz.Start[ki]) < sp.Start {
				ki++
			}
			for kj < len(nz.End) && int(nz.End[kj]) <= sp.End {
				kj++
			}
			i, j = ki, max(ki, kj)
			lastStart, lastEnd = sp.Start, sp.End
		} else {
			i, j = nz.Runes(sp.Start, sp.End)
		}
		if i >= j {
			continue
		}
		c := clause{start: int32(sp.Start), end: int32(sp.End), nb: nz.Byte[i], ne: nz.Byte[j], rs: int32(i), re: int32(j)}
		p := clausePrint{runes: int32(j - i)}
		body := nz.Text[c.nb:c.ne]
		p.hash = murmur3.Sum64(body)
		feats := 0
		p.fp, feats = h.Sum(body)
		c.out = mostlyCovered(st.excluded, i, j)
		c.seed = p.runes >= minSeedRunes && !c.out
		p.near = c.seed && feats >= simhash.MinFeatures
		st.clauses = append(st.clauses, c)
		st.prints = append(st.prints, p)
	}
	return st
}

// markExcluded stops clauses mostly covered by spans (original code points, sorted, not
// overlapping) from seeding.
func markExcluded(clauses []clause, spans []text.Span) {
	k := 0
	for i := range clauses {
		c := &clauses[i]
		for k < len(spans) && spans[k].End <= int(c.start) {
			k++
		}
		// A clause is left out when slogans make up at least half of it: a long sentence
		// that merely mentions 中国式现代化 is still evidence of copying.
		covered := 0
		for j := k; j < len(spans) && spans[j].Start < int(c.end); j++ {
			covered += min(spans[j].End, int(c.end)) - max(spans[j].Start, int(c.start))
		}
		if 2*covered >= int(c.end-c.start) && covered > 0 {
			c.seed = false
		}
	}
}

// mostlyCovered reports whether ranges cover at least half of [i,j).
func mostlyCovered(ranges [][2]int, i, j int) bool {
	covered := 0
	for _, r := range ranges {
		covered += max(0, min(r[1], j)-max(r[0], i))
	}
	return covered > 0 && 2*covered >= j-i
}

func overlaps(ranges [][2]int, i, j int) bool {
	for _, r := range ranges {
		if r[0] < j && i < r[1] {
			return true
		}
	}
	return false
}

// gramSet returns the sorted distinct 32-bit hashes of the n-grams of a normalised text,
// leaving out n-grams that touch an excluded rune range. It reuses dst.
func gramSet(text []byte, excluded [][2]int, n int, dst []uint32) []uint32 {
	dst = dst[:0]
	if len(text) == 0 {
		return dst
	}
	// A window of the last n+1 rune starts, as a ring: the n-gram of runes [i, i+n) spans
	// bytes from the start of rune i, in the slot the next start goes to, to the start of
	// rune i+n, in the slot just written.
	var fixed [16]int
	starts := fixed[:]
	if n+1 > len(fixed) {
		starts = make([]int, n+1)
	}
	starts = starts[:n+1]
	runes, next := 0, 0
	for off := 0; off < len(text); {
		last := next
		starts[last] = off
		if next++; next > n {
			next = 0
		}
		runes++
		if c := text[off]; c < utf8.RuneSelf {
			off++
		} else if c&0xF0 == 0xE0 && off+2 < len(text) && text[off+1]&0xC0 == 0x80 && text[off+2]&0xC0 == 0x80 && c != 0xE0 && c != 0xED {
			off += 3 // Han: a lead byte that makes any continuation valid
		} else {
			off += runeSize(text, off)
		}
		if runes > n {
			if i := runes - n - 1; len(excluded) == 0 || !overlaps(excluded, i, i+n) {
				dst = append(dst, murmur32(text[starts[next]:starts[last]]))
			}
		}
	}
	if runes < n {
		return append(dst, murmur32(text))
	}
	last := next
	starts[last] = len(text)
	if next++; next > n {
		next = 0
	}
	if i := runes - n; len(excluded) == 0 || !overlaps(excluded, i, i+n) {
		dst = append(dst, murmur32(text[starts[next]:starts[last]]))
	}
	sortHashes(dst)
	return slices.Compact(dst)
}

// jaccard is |a∩b| / |a∪b| of two sorted distinct sets.
func jaccard(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := intersection(a, b)
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// jaccardAtLeast returns the Jaccard similarity of two sorted distinct sets and whether it
// reaches least. It gives up, returning false, as soon as the elements left cannot bring the
// intersection up to what least needs; the sizes alone often tell:
// |a∩b|/|a∪b| <= min(|a|,|b|)/max(|a|,|b|).
func jaccardAtLeast(a, b []uint32, least float64) (float64, bool) {
	small, large := len(a), len(b)
	if small > large {
		small, large = large, small
	}
	if small == 0 || float64(small) < least*float64(large) {
		return 0, false
	}
	// need is the smallest intersection whose similarity, computed as jaccard computes it,
	// reaches least; the similarity grows with the intersection.
	reaches := func(inter int) bool { return float64(inter)/float64(len(a)+len(b)-inter) >= least }
	need := int(least * float64(len(a)+len(b)) / (1 + least))
	for need > 0 && reaches(need-1) {
		need--
	}
	for need <= small && !reaches(need) {
		need++
	}
	if need > small {
		return 0, false
	}
	inter, ok := intersectAtLeast(a, b, need)
	if !ok {
		return 0, false
	}
	sim := float64(inter) / float64(len(a)+len(b)-inter)
	return sim, sim >= least
}

// ClausePrint is what the persistent index keeps of one clause.
type ClausePrint struct {
	Start, End int    // code points of the original text
	Hash       uint64 // murmur3 of the normalised clause text: exact identity
	FP         uint64 // SimHash of the normalised clause text
	Seed       bool   // long and stable enough to find candidates with
}

// DocPrint is what the persistent index keeps of one document.
type DocPrint struct {
	FP       uint64
	Features int
	Clauses  []ClausePrint
}

// Print computes the fingerprints Find would compute for text, so that an index built from
// them finds the same candidates.
func Print(s string, opt Options) DocPrint {
	opt = withDefaults(opt)
	st := prepare(s, nil, simhash.NewHasher(opt.N), opt.N)
	p := DocPrint{FP: st.fp, Features: st.feats, Clauses: make([]ClausePrint, len(st.clauses))}
	for i, c := range st.clauses {
		p.Clauses[i] = ClausePrint{Start: int(c.start), End: int(c.end), Hash: st.prints[i].hash, FP: st.prints[i].fp, Seed: c.seed}
	}
	return p
}

// candidatePassages is the passages of candidate c between the documents of states sa and
// sb (texts decoded): grown from its clause seeds that are still seeds on both sides (the
// slogans may have excluded some) and from its anchors, and merged; live is scratch,
// returned for reuse.
func candidatePassages(c candidate, sa, sb *docState, seeds []pairSeed, anchors []anchorSeed, opt Options, sc *scratch, live []seed) ([]Passage, []seed) {
	live = live[:0]
	for _, s := range seeds[c.lo:c.hi] {
		if sa.clauses[s.ia].seed && sb.clauses[s.ib].seed {
			live = append(live, seed{s.ia, s.ib})
		}
	}
	var found []Passage
	if len(live) > 0 {
		found = passages(int(c.a), int(c.b), sa.src, sb.src, sa, sb, live, opt, sc)
	}
	if c.alo < c.ahi {
		more := anchorPassages(int(c.a), int(c.b), sa.src, sb.src, sa, sb, anchors[c.alo:c.ahi], opt, sc)
		found = mergePassages(sa.src, sb.src, found, more, opt, sc)
	}
	return found, live
}
