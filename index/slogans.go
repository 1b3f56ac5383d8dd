package index

import (
	"slices"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/slogan"
	"github.com/neardup/neardup/text"
)

// remineShare is the share of the documents that must have been added, changed or removed
// since the slogans were mined for Update to mine them again. Mining reads and analyses the
// whole corpus (about as long as the rest of a full build), which an update of a few files
// must not cost; the stock phrases of a corpus change slowly, so a tenth of new documents
// is little to miss.
const remineShare = 0.1

// slogansDue reports whether Update should mine the slogans of x again: it never has, or
// more than remineShare of its documents changed since.
func (x *Index) slogansDue() bool {
	return x.SlogansMined == 0 && x.Documents() > 0 || float64(x.SlogansStale) > remineShare*float64(x.SlogansMined)
}

// mineSlogans reads x's documents and mines their slogans as scan does: near-duplicate
// documents count as one family (see slogan.Options.Family), and every spelling of every
// slogan that occurs is kept, normalised.
func mineSlogans(x *Index, opt *Options, copt corpus.Options) ([]string, error) {
	var idx []int
	for i := range x.Entries {
		if x.Entries[i].Skip == "" {
			idx = append(idx, i)
		}
	}
	docs := make([]*corpus.Document, len(idx))
	errs := make([]error, len(idx))
	copt.Warn = nil
	parallel.For(len(idx), opt.Jobs, func(k int) {
		e := &x.Entries[idx[k]]
		doc, skip, err := corpus.Read(corpus.Source{Path: opt.abs(e.Path)}, nil, copt)
		switch {
		case err != nil:
			errs[k] = err
		case skip != nil:
			docs[k] = &corpus.Document{Path: e.Path} // changed since it was read: no text
		default:
			doc.Path = e.Path
			docs[k] = doc
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	found := slogan.Find(docs, slogan.Options{Family: families(x, idx, docs, opt.Jobs), Jobs: max(opt.Jobs, 1)})
	var out []string
	for _, s := range found.Slogans {
		for _, loc := range s.Locations {
			if t := text.AppendNormalized(nil, text.Slice(docs[loc.Doc].Text, loc.Start, loc.End)); len(t) > 0 {
				out = append(out, string(t))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// families groups the near-duplicate documents among docs (x's entries idx): pairs whose
// fingerprints are within the default document distance and whose n-gram similarity,
// computed on the text, reaches the default minimum; scan.Families joins them.
func families(x *Index, idx []int, docs []*corpus.Document, jobs int) []int {
	def := match.DefaultOptions()
	near := simhash.NewIndex(def.DocDistance)
	for k, i := range idx {
		if e := &x.Entries[i]; int(e.Features) >= simhash.MinFeatures {
			near.Add(e.FP, int32(k))
		}
	}
	near.Build()
	var pairs [][2]int32
	near.PairsJobs(max(jobs, 1), func(a, b int32, _ int) { pairs = append(pairs, [2]int32{a, b}) })
	grams := make([]map[uint64]struct{}, len(docs))
	gramsOf := func(k int32) map[uint64]struct{} {
		if grams[k] == nil {
			grams[k] = ngrams(docs[k].Text, def.N)
		}
		return grams[k]
	}
	var dups []match.Duplicate
	for _, p := range pairs {
		if jaccard(gramsOf(p[0]), gramsOf(p[1])) >= def.MinSimilarity {
			dups = append(dups, match.Duplicate{A: int(p[0]), B: int(p[1]), Relation: match.NearCopy})
		}
	}
	return scan.Families(len(docs), dups)
}

// ngrams is the set of hashed n-grams of s's normalised runes.
func ngrams(s string, n int) map[uint64]struct{} {
	runes := []rune(string(text.AppendNormalized(nil, s)))
	out := make(map[uint64]struct{}, len(runes))
	for i := 0; i+n <= len(runes); i++ {
		var h uint64 = 14695981039346656037
		for _, r := range runes[i : i+n] {
			h = (h ^ uint64(r)) * 1099511628211
		}
		out[h] = struct{}{}
	}
	return out
}

func jaccard(a, b map[uint64]struct{}) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	shared := 0
	for g := range a {
		if _, ok := b[g]; ok {
			shared++
		}
	}
	union := len(a) + len(b) - shared
	if union == 0 {
		return 0
	}
	return float64(shared) / float64(union)
}
