// Package match finds verified near-duplicate documents and copied passages in a set of
// documents.
//
// The search runs in three steps. Every document is normalised (internal/corpus) and cut into
// clauses; each clause and each whole document gets a SimHash fingerprint. Candidate pairs then
// come from two places, neither of them all-pairs: clauses with the same normalised text or with
// fingerprints within PassageDistance bits (found through simhash.Index), and documents whose
// fingerprints are within DocDistance bits. Finally every candidate is verified on the text: a
// document pair is a near-duplicate when the Jaccard similarity of its character n-gram sets
// reaches MinSimilarity; otherwise its matching clauses are chained into maximal spans, extended
// over neighbouring clauses that are similar on the text, and a span is reported as a copied
// passage only when its own n-gram similarity reaches PassageSimilarity. Nothing is reported
// because two fingerprints were close.
//
// Pairs are reported, not clusters: A~B and B~C never make A~C.
package match

import (
	"cmp"
	"slices"
	"strings"

	"github.com/twmb/murmur3"

	"github.com/neardup/neardup/internal/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
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
	Exclude [][]corpus.Span
	// ExcludeFromPassages, when set, is called with the verified near-duplicates and returns
	// further spans per document (slogans) that must not seed copied passages. Slogans are
	// mined knowing the duplicates, so that one article reposted many times is not mistaken
	// for a set of slogans.
	ExcludeFromPassages func(dups []Duplicate) [][]corpus.Span
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

// Duplicate is a verified near-duplicate pair; A < B are document indices.
type Duplicate struct {
	A, B       int
	Similarity float64
	Distance   int
}

// Passage is a verified copied span; offsets are code points of the original texts.
type Passage struct {
	A, B             int
	AStart, AEnd     int
	BStart, BEnd     int
	Similarity       float64
	ALength, BLength int // normalised characters, for sorting by size
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

type clause struct {
	start, end int32 // original code points
	nb, ne     int32 // byte range in the normalised text
	runes      int32
	hash       uint64 // exact identity of the normalised text
	fp         uint64
	seed       bool // long enough and not excluded: its exact text finds candidates
	near       bool // also enough n-grams for its fingerprint to find near variants
}

type docState struct {
	norm    []byte
	runes   int // normalised characters
	fp      uint64
	feats   int
	grams   []uint32 // sorted distinct n-gram hashes, excluded spans left out
	clauses []clause
}

// Find compares docs and returns what it verified.
func Find(docs []*corpus.Document, opt Options) *Result {
	opt = withDefaults(opt)
	states := make([]docState, len(docs))
	parallel.Workers(len(docs), opt.Jobs, func() func(i int) {
		h := simhash.NewHasher(opt.N)
		return func(i int) {
			var exclude []corpus.Span
			if i < len(opt.Exclude) {
				exclude = opt.Exclude[i]
			}
			states[i] = prepare(docs[i].Text, exclude, h, opt.N)
		}
	})

	res := &Result{Fingerprints: make([]uint64, len(docs)), Features: make([]int, len(docs))}
	for i := range states {
		res.Fingerprints[i] = states[i].fp
		res.Features[i] = states[i].feats
	}

	seeds, capped := clauseSeeds(docs, states, opt)
	res.Capped = capped

	// Whole-document fingerprints add candidates that share no clause, e.g. a repost edited
	// throughout.
	docIndex := simhash.NewIndex(opt.DocDistance)
	for i := range states {
		if states[i].feats >= simhash.MinFeatures {
			docIndex.Add(states[i].fp, int32(i))
		}
	}
	docIndex.Pairs(func(a, b int32, _ int) {
		k := pairKey(a, b)
		if _, ok := seeds[k]; !ok {
			seeds[k] = nil
		}
	})

	keys := make([]uint64, 0, len(seeds))
	for k := range seeds {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	dups := make([]*Duplicate, len(keys))
	parallel.Workers(len(keys), opt.Jobs, func() func(i int) {
		return func(i int) {
			a, b := int(keys[i]>>32), int(uint32(keys[i]))
			sa, sb := &states[a], &states[b]
			// A text of a few characters (a title-only story, "国内联播快讯") equals many
			// others without being a copy of anything: documents need as many n-grams as a
			// fingerprint needs to be indexed.
			if len(sa.grams) < simhash.MinFeatures || len(sb.grams) < simhash.MinFeatures {
				return
			}
			if sim, ok := jaccardAtLeast(sa.grams, sb.grams, opt.MinSimilarity); ok {
				dups[i] = &Duplicate{A: a, B: b, Similarity: sim, Distance: simhash.Distance(sa.fp, sb.fp)}
			}
		}
	})
	for _, d := range dups {
		if d != nil {
			res.Duplicates = append(res.Duplicates, *d)
		}
	}

	// What the caller now leaves out (slogans, found with the duplicates known) no longer
	// seeds passages.
	if opt.ExcludeFromPassages != nil {
		exclude := opt.ExcludeFromPassages(res.Duplicates)
		for d := range states {
			if d < len(exclude) && len(exclude[d]) > 0 {
				markExcluded(states[d].clauses, exclude[d])
			}
		}
	}

	found := make([][]Passage, len(keys))
	parallel.Workers(len(keys), opt.Jobs, func() func(i int) {
		var scratchA, scratchB []uint32
		return func(i int) {
			if dups[i] != nil || len(seeds[keys[i]]) == 0 {
				return
			}
			a, b := int(keys[i]>>32), int(uint32(keys[i]))
			sa, sb := &states[a], &states[b]
			live := seeds[keys[i]][:0:0]
			for _, s := range seeds[keys[i]] {
				if sa.clauses[s.ia].seed && sb.clauses[s.ib].seed {
					live = append(live, s)
				}
			}
			if len(live) > 0 {
				found[i], scratchA, scratchB = passages(a, b, sa, sb, live, opt, scratchA, scratchB)
			}
		}
	})
	for _, ps := range found {
		res.Passages = append(res.Passages, ps...)
	}
	slices.SortFunc(res.Duplicates, func(x, y Duplicate) int {
		return cmp.Or(cmp.Compare(y.Similarity, x.Similarity), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	slices.SortFunc(res.Passages, func(x, y Passage) int {
		return cmp.Or(cmp.Compare(max(y.ALength, y.BLength), max(x.ALength, x.BLength)),
			cmp.Compare(y.Similarity, x.Similarity),
			cmp.Compare(x.A, y.A), cmp.Compare(x.AStart, y.AStart), cmp.Compare(x.B, y.B), cmp.Compare(x.BStart, y.BStart))
	})
	return res
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
	if opt.MinSimilarity <= 0 {
		opt.MinSimilarity = def.MinSimilarity
	}
	if opt.PassageSimilarity <= 0 {
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

// prepare normalises one document, fingerprints it and its clauses, and collects its n-grams.
func prepare(text string, exclude []corpus.Span, h *simhash.Hasher, n int) docState {
	nz := corpus.Normalize(text)
	st := docState{norm: nz.Text, runes: len(nz.Byte) - 1}
	st.fp, st.feats = h.Sum(nz.Text)

	// Normalised rune ranges that the caller asked us to ignore.
	var excluded [][2]int
	for _, sp := range exclude {
		i, j := nz.Runes(sp.Start, sp.End)
		if i < j {
			excluded = append(excluded, [2]int{i, j})
		}
	}

	for _, sp := range corpus.Clauses(text) {
		i, j := nz.Runes(sp.Start, sp.End)
		if i >= j {
			continue
		}
		c := clause{
			start: int32(sp.Start), end: int32(sp.End),
			nb: nz.Byte[i], ne: nz.Byte[j], runes: int32(j - i),
		}
		body := nz.Text[c.nb:c.ne]
		c.hash = murmur3.Sum64(body)
		feats := 0
		c.fp, feats = h.Sum(body)
		c.seed = c.runes >= minSeedRunes && !overlaps(excluded, i, j)
		c.near = c.seed && feats >= simhash.MinFeatures
		st.clauses = append(st.clauses, c)
	}
	st.grams = gramSet(nz, excluded, n, nil)
	return st
}

// markExcluded stops clauses that overlap spans (original code points, sorted) from seeding.
func markExcluded(clauses []clause, spans []corpus.Span) {
	k := 0
	for i := range clauses {
		c := &clauses[i]
		for k < len(spans) && spans[k].End <= int(c.start) {
			k++
		}
		if k < len(spans) && spans[k].Start < int(c.end) {
			c.seed, c.near = false, false
		}
	}
}

func overlaps(ranges [][2]int, i, j int) bool {
	for _, r := range ranges {
		if r[0] < j && i < r[1] {
			return true
		}
	}
	return false
}

// gramSet returns the sorted distinct 32-bit hashes of the n-grams of the normalised text,
// leaving out n-grams that touch an excluded rune range.
func gramSet(nz *corpus.Normalized, excluded [][2]int, n int, dst []uint32) []uint32 {
	dst = dst[:0]
	runes := len(nz.Byte) - 1
	if runes <= 0 {
		return dst
	}
	if runes < n {
		return append(dst, murmur3.Sum32(nz.Text))
	}
	for i := 0; i+n <= runes; i++ {
		if len(excluded) > 0 && overlaps(excluded, i, i+n) {
			continue
		}
		dst = append(dst, murmur3.Sum32(nz.Text[nz.Byte[i]:nz.Byte[i+n]]))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// gramsOf is gramSet for a plain byte slice of normalised text.
func gramsOf(text []byte, n int, dst []uint32) []uint32 {
	dst = dst[:0]
	starts := make([]int, 0, len(text)/2+1)
	for i := range string(text) {
		starts = append(starts, i)
	}
	if len(starts) == 0 {
		return dst
	}
	if len(starts) < n {
		return append(dst, murmur3.Sum32(text))
	}
	starts = append(starts, len(text))
	for i := 0; i+n < len(starts); i++ {
		dst = append(dst, murmur3.Sum32(text[starts[i]:starts[i+n]]))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// jaccard is |a∩b| / |a∪b| of two sorted distinct sets.
func jaccard(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// jaccardAtLeast computes the Jaccard similarity only when the set sizes allow it to reach min:
// |a∩b|/|a∪b| <= min(|a|,|b|)/max(|a|,|b|).
func jaccardAtLeast(a, b []uint32, min float64) (float64, bool) {
	small, large := len(a), len(b)
	if small > large {
		small, large = large, small
	}
	if small == 0 || float64(small) < min*float64(large) {
		return 0, false
	}
	sim := jaccard(a, b)
	return sim, sim >= min
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// trimmed returns the original text of a code point span, for messages and capped lists.
func spanText(text string, start, end int) string {
	var sb strings.Builder
	i := 0
	for _, r := range text {
		if i >= end {
			break
		}
		if i >= start {
			sb.WriteRune(r)
		}
		i++
	}
	return strings.TrimSpace(sb.String())
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
func Print(text string, opt Options) DocPrint {
	opt = withDefaults(opt)
	st := prepare(text, nil, simhash.NewHasher(opt.N), opt.N)
	p := DocPrint{FP: st.fp, Features: st.feats, Clauses: make([]ClausePrint, len(st.clauses))}
	for i, c := range st.clauses {
		p.Clauses[i] = ClausePrint{Start: int(c.start), End: int(c.end), Hash: c.hash, FP: c.fp, Seed: c.seed}
	}
	return p
}
