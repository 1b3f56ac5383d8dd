package index

import (
	"slices"

	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/simhash"
)

// Candidates returns the indexed documents worth verifying against prints, the fingerprints
// of the documents being checked (match.Print): an entry whose document fingerprint is
// within opt.DocDistance of one of them, or that holds a seed clause with the text of one of
// their seed clauses or a fingerprint within opt.PassageDistance of one. A clause found in
// more than opt.MaxDF documents is a stock phrase and finds nothing, as in match.Find.
// Entries whose path is in self (the old versions of the checked files) are left out. opt
// must be resolved (match.Resolved). The entries come in index order.
//
// Clause fingerprints are looked up in four band tables, one per 16-bit quarter: every
// clause within 3 bits of a checked one is found, and one farther away when a quarter is
// the same (about half of those at 6 bits). An index without them would have to be read
// whole; on 60 real stories checked against 10,240, finding clauses by their text alone
// already gave the same findings.
func (x *Index) Candidates(prints []match.DocPrint, self map[string]bool, opt match.Options) []*Entry {
	v, err := x.queryView()
	if err != nil {
		return nil
	}
	cands, _ := candidates(v, prints, self, opt)
	return cands
}

// queryView returns the view a query reads: the mapping of an index from Open, or the
// encoding of one built in memory.
func (x *Index) queryView() (*view, error) {
	if x.v != nil {
		return x.v, nil
	}
	data := Encode(nil, x)
	h, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	return newView(data, h)
}

// candidates returns the indexed documents worth verifying against the checked prints (see
// Candidates), and the hashes of the checked seed clauses that are stock phrases: found in
// more than MaxDF documents by their text, or by their text and fingerprint together.
func candidates(v *view, prints []match.DocPrint, self map[string]bool, opt match.Options) ([]*Entry, map[uint64]bool) {
	picked := map[int]bool{}
	var docFPs []uint64
	for _, p := range prints {
		if p.Features >= simhash.MinFeatures {
			docFPs = append(docFPs, p.FP)
		}
	}
	if len(docFPs) > 0 {
		v.docPrints(func(fp uint64, e int) {
			for _, q := range docFPs {
				if simhash.Distance(q, fp) <= opt.DocDistance {
					picked[e] = true
				}
			}
		})
	}

	type query struct{ hash, fp uint64 }
	var queries []query
	isQuery := map[uint64]bool{}
	for _, p := range prints {
		for _, c := range p.Clauses {
			if c.Seed && !isQuery[c.Hash] {
				isQuery[c.Hash] = true
				queries = append(queries, query{c.Hash, c.FP})
			}
		}
	}
	stock := map[uint64]bool{}
	for _, q := range queries {
		reached := map[int]bool{}
		v.clausesWithHash(q.hash, func(c int) bool {
			if v.clauseDF(c) > opt.MaxDF {
				stock[q.hash] = true
				return false
			}
			reached[v.clauseEntry(c)] = true
			return true
		})
		if stock[q.hash] {
			continue
		}
		seen := map[int]bool{}
		for b := range bands {
			v.clausesInBand(b, q.fp, func(fp uint64, c int) {
				if seen[c] || simhash.Distance(q.fp, fp) > opt.PassageDistance {
					return
				}
				seen[c] = true
				hash := v.clauseHash(c)
				switch {
				case v.clauseDF(c) > opt.MaxDF:
					if isQuery[hash] {
						stock[hash] = true
					}
				case hash != q.hash:
					reached[v.clauseEntry(c)] = true
				}
			})
		}
		// A clause that reaches more than MaxDF documents through its variants is a stock
		// phrase as well.
		if len(reached) > opt.MaxDF {
			stock[q.hash] = true
			continue
		}
		for e := range reached {
			picked[e] = true
		}
	}
	for p := range self {
		if i := v.find(p); i >= 0 {
			delete(picked, i)
		}
	}
	order := make([]int, 0, len(picked))
	for e := range picked {
		order = append(order, e)
	}
	slices.Sort(order)
	var out []*Entry
	for _, i := range order {
		e, err := v.entry(i)
		if err != nil {
			return nil, stock
		}
		if e.Skip == "" && !self[e.Path] {
			out = append(out, e)
		}
	}
	return out, stock
}
