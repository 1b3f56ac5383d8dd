package match

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// IdenticalResult is what FindCollapsed found: Find's result over the distinct texts, with
// document indices of the whole input, and the groups of documents that share a text.
type IdenticalResult struct {
	*Result
	// Identical lists the groups of two or more documents with the same normalised text, each
	// in input order, the groups in the order of their first member. Only a group's first
	// member is compared with other documents: a duplicate or passage of it holds for every
	// member, and pairs inside a group are not listed (they are all identical).
	Identical [][]int
}

// FindCollapsed is Find for corpora with many identical copies: documents with the same
// normalised text are compared once, through their first member, so that 10,000 copies of a
// story cost one document and no pair among them, where Find would verify 50 million pairs.
// Fingerprints and Features are given for every document. ExcludeFromPassages sees, besides
// the verified pairs, each further member of a group paired with its first member at
// similarity 1, so that a caller grouping documents by pairs sees the copies together.
func FindCollapsed(docs []*corpus.Document, opt Options) *IdenticalResult {
	opt = withDefaults(opt)
	groups := identicalGroups(docs, opt)
	if len(groups) == 0 {
		return &IdenticalResult{Result: Find(docs, opt)}
	}
	reps := representatives(len(docs), groups)
	sub := make([]*corpus.Document, len(reps))
	for k, i := range reps {
		sub[k] = docs[i]
	}
	subOpt := collapsedOptions(opt, len(docs), groups, reps)
	r := Find(sub, subOpt)
	return &IdenticalResult{Result: expandCollapsed(r, len(docs), groups, reps), Identical: groups}
}

// representatives lists, in input order, the documents of n that are compared: all but the
// further members of the groups.
func representatives(n int, groups [][]int) []int {
	inGroup := make([]bool, n) // a member other than the first
	for _, g := range groups {
		for _, d := range g[1:] {
			inGroup[d] = true
		}
	}
	var reps []int // original index of each compared document
	for i := range n {
		if !inGroup[i] {
			reps = append(reps, i)
		}
	}
	return reps
}

// collapsedOptions is opt for the search over the representatives of n documents.
func collapsedOptions(opt Options, n int, groups [][]int, reps []int) Options {
	subOpt := opt
	subOpt.Exclude = nil
	if opt.Exclude != nil {
		subOpt.Exclude = make([][]text.Span, len(reps))
		for k, i := range reps {
			if i < len(opt.Exclude) {
				subOpt.Exclude[k] = opt.Exclude[i]
			}
		}
	}
	if opt.Read != nil {
		subOpt.Read = func(k int, s string) []text.Span { return opt.Read(reps[k], s) }
	}
	mapDup := func(d Duplicate) Duplicate { d.A, d.B = reps[d.A], reps[d.B]; return d }
	if opt.ExcludeFromPassages != nil {
		subOpt.ExcludeFromPassages = func(dups []Duplicate) [][]text.Span {
			all := make([]Duplicate, 0, len(dups)+n-len(reps))
			for _, d := range dups {
				all = append(all, mapDup(d))
			}
			for _, g := range groups {
				for _, d := range g[1:] {
					all = append(all, Duplicate{A: g[0], B: d, Similarity: 1})
				}
			}
			ex := opt.ExcludeFromPassages(all)
			out := make([][]text.Span, len(reps))
			for k, i := range reps {
				if i < len(ex) {
					out[k] = ex[i]
				}
			}
			return out
		}
	}
	return subOpt
}

// expandCollapsed is r, found over the representatives, for all n documents.
func expandCollapsed(r *Result, n int, groups [][]int, reps []int) *Result {
	res := &Result{Fingerprints: make([]uint64, n), Features: make([]int, n), Capped: r.Capped}
	for k, i := range reps {
		res.Fingerprints[i], res.Features[i] = r.Fingerprints[k], r.Features[k]
	}
	for _, g := range groups {
		for _, d := range g[1:] {
			res.Fingerprints[d], res.Features[d] = res.Fingerprints[g[0]], res.Features[g[0]]
		}
	}
	res.Duplicates = make([]Duplicate, len(r.Duplicates))
	for k, d := range r.Duplicates {
		d.A, d.B = reps[d.A], reps[d.B]
		res.Duplicates[k] = d
	}
	res.Passages = make([]Passage, len(r.Passages))
	for k, p := range r.Passages {
		p.A, p.B = reps[p.A], reps[p.B]
		res.Passages[k] = p
	}
	// Mapping keeps every sort key's order: reps is increasing.
	return res
}

// identicalGroups finds the documents whose normalised texts are equal. A text too short to
// be fingerprinted ("国内联播快讯") is never grouped, as Find never pairs it: equal titles
// are not copies.
func identicalGroups(docs []*corpus.Document, opt Options) [][]int {
	hashes := make([]uint64, len(docs))
	long := make([]bool, len(docs))
	parallel.Workers(len(docs), opt.Jobs, func() func(i int) {
		var buf []byte
		return func(i int) {
			buf = text.AppendNormalized(buf[:0], docs[i].Text)
			hashes[i] = murmur3.Sum64(buf)
			long[i] = utf8.RuneCount(buf) >= opt.N+simhash.MinFeatures-1
		}
	})
	byHash := map[uint64][]int{}
	for i, h := range hashes {
		if long[i] {
			byHash[h] = append(byHash[h], i)
		}
	}
	var groups [][]int
	for _, g := range byHash {
		if len(g) < 2 {
			continue
		}
		// Equal hashes are checked on the text: a hash collision must not make two
		// different documents one (a colliding text stays a document of its own).
		first := text.AppendNormalized(nil, docs[g[0]].Text)
		same := []int{g[0]}
		for _, d := range g[1:] {
			if bytes.Equal(first, text.AppendNormalized(nil, docs[d].Text)) {
				same = append(same, d)
			}
		}
		if len(same) > 1 {
			groups = append(groups, same)
		}
	}
	slices.SortFunc(groups, func(x, y []int) int { return x[0] - y[0] })
	return groups
}
