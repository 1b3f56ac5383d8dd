package match

import (
	"cmp"
	"slices"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
)

// CalibrationMargin is how many bits beyond Options.DocDistance Calibrate draws fingerprint
// candidates from, so that it can tell what a larger --doc-distance would find.
const CalibrationMargin = 4

// Candidate is one document pair Calibrate measured: A < B are document indices.
type Candidate struct {
	A, B       int
	Distance   int     // fingerprint distance in bits
	Similarity float64 // n-gram Jaccard of the whole texts
	// WithoutDistance: the pair is compared whatever DocDistance is, because it shares a
	// clause (exactly or within PassageDistance, or a capped one, as Find counts them) or
	// because both are short documents whose MinHash signatures meet (see shortCandidates).
	WithoutDistance bool
}

// Calibration is every candidate pair of a corpus with its measures, for choosing
// thresholds: what Find verifies with DocDistance widened to MaxDistance, and no threshold
// on similarity.
type Calibration struct {
	Documents   int
	MaxDistance int         // fingerprint candidates were drawn up to this distance
	Candidates  []Candidate // sorted by A, then B
}

// Calibrate finds the candidate pairs Find would verify, with DocDistance raised by
// CalibrationMargin bits (at most 16), and measures the similarity of each, however low.
// Short documents are paired through MinHash as Find pairs them at opt.MinSimilarity, so
// the pairs of short documents that a lower threshold would add are not all there.
// Documents with fewer n-grams than a fingerprint needs are left out, as Find leaves them
// out of near-duplicates. opt.Exclude is honoured; ExcludeFromPassages is not used.
func Calibrate(docs []*corpus.Document, opt Options) *Calibration {
	opt = withDefaults(opt)
	wide := min(opt.DocDistance+CalibrationMargin, 16)
	states := prepareAll(docs, opt)
	seeds, _ := clauseSeeds(docs, states, opt)
	seeds = append(seeds, shortCandidates(states, opt.MinSimilarity, opt.Jobs)...)
	for i := range states {
		states[i].minHash = nil
	}
	byClause, _ := candidates(seeds, opt.Jobs)
	seeds = nil

	type pair struct{ a, b int32 }
	var byPrint []pair
	docIndex := simhash.NewIndex(wide)
	for i := range states {
		if states[i].feats >= simhash.MinFeatures {
			docIndex.Add(states[i].fp, int32(i))
		}
	}
	docIndex.Pairs(func(a, b int32, _ int) {
		byPrint = append(byPrint, pair{min(a, b), max(a, b)})
	})
	slices.SortFunc(byPrint, func(x, y pair) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	byPrint = slices.Compact(byPrint)

	// Merge the two sorted lists into one.
	var all []Candidate
	i, j := 0, 0
	for i < len(byClause) || j < len(byPrint) {
		order := -1 // byClause[i] first
		switch {
		case i == len(byClause):
			order = 1
		case j < len(byPrint):
			order = cmp.Or(cmp.Compare(byClause[i].a, byPrint[j].a), cmp.Compare(byClause[i].b, byPrint[j].b))
		}
		switch order {
		case -1:
			all = append(all, Candidate{A: int(byClause[i].a), B: int(byClause[i].b), WithoutDistance: true})
			i++
		case 1:
			all = append(all, Candidate{A: int(byPrint[j].a), B: int(byPrint[j].b)})
			j++
		default: // the same pair from both
			all = append(all, Candidate{A: int(byClause[i].a), B: int(byClause[i].b), WithoutDistance: true})
			i++
			j++
		}
	}

	needed := make([]bool, len(states))
	for _, c := range all {
		needed[c.A], needed[c.B] = true, true
	}
	gramSets(states, needed, opt)
	compared := newStage(opt.Progress, StageCompare, len(all))
	keep := make([]bool, len(all))
	parallel.For(len(all), opt.Jobs, func(k int) {
		defer compared.step()
		c := &all[k]
		sa, sb := &states[c.A], &states[c.B]
		if len(sa.grams) < simhash.MinFeatures || len(sb.grams) < simhash.MinFeatures {
			return
		}
		c.Distance = simhash.Distance(sa.fp, sb.fp)
		c.Similarity = jaccard(sa.grams, sb.grams)
		keep[k] = true
	})
	out := all[:0]
	for k, c := range all {
		if keep[k] {
			out = append(out, c)
		}
	}
	return &Calibration{Documents: len(docs), MaxDistance: wide, Candidates: out}
}
