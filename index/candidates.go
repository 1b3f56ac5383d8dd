package index

import (
	"slices"
	"strings"

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
	src, err := x.source()
	if err != nil {
		return nil
	}
	cands, _ := candidates(src, prints, self, opt)
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

// source is what a query reads: the main file and, for an index with a delta, the delta,
// whose entries are numbered after the main file's; the main entries the delta masks are
// left out, and document frequencies are the union's (see DeltaFile).
type source struct {
	main, delta *view
	masked      map[int]bool
	d           *deltaPart
	documents   int
	dfs         map[uint64]int
}

// source returns the source of x's queries.
func (x *Index) source() (*source, error) {
	v, err := x.queryView()
	if err != nil {
		return nil, err
	}
	s := &source{main: v, documents: v.h.documents}
	if x.d != nil {
		s.delta, s.masked, s.d, s.documents = x.d.x.v, x.d.maskedIdx, x.d, x.Documents()
	}
	return s, nil
}

func (s *source) err() error {
	if err := s.main.Err(); err != nil || s.delta == nil {
		return err
	}
	return s.delta.Err()
}

// parts are the views, each with the number of its first entry.
func (s *source) parts() []part {
	if s.delta == nil {
		return []part{{s.main, 0}}
	}
	return []part{{s.main, 0}, {s.delta, s.main.h.entries}}
}

type part struct {
	v     *view
	first int
}

// hidden reports whether entry e of p is masked by the delta.
func (s *source) hidden(p part, e int) bool { return p.first == 0 && s.masked[e] }

// df is the union's document frequency of the clause hash.
func (s *source) df(hash uint64) int {
	if s.delta == nil {
		n := 0
		s.main.clausesWithHash(hash, func(c int) bool { n = s.main.clauseDF(c); return false })
		return n
	}
	if n, ok := s.dfs[hash]; ok {
		return n
	}
	n := 0
	s.main.clausesWithHash(hash, func(c int) bool { n = s.main.clauseDF(c); return false })
	n += s.d.adjust(hash)
	if s.dfs == nil {
		s.dfs = map[uint64]int{}
	}
	s.dfs[hash] = n
	return n
}

// clauseDF is the union's document frequency of clause c of p.
func (s *source) clauseDF(p part, c int, hash uint64) int {
	if p.first == 0 && s.delta == nil {
		return p.v.clauseDF(c)
	}
	return s.df(hash)
}

// find returns the number of the entry with this path, or -1.
func (s *source) find(path string) int {
	if s.delta != nil {
		if i := s.delta.find(path); i >= 0 {
			return s.main.h.entries + i
		}
	}
	if i := s.main.find(path); i >= 0 && !s.masked[i] {
		return i
	}
	return -1
}

func (s *source) entry(i int) (*Entry, error) {
	if i >= s.main.h.entries && s.delta != nil {
		return s.delta.entry(i - s.main.h.entries)
	}
	return s.main.entry(i)
}

// candidates returns the indexed documents worth verifying against the checked prints (see
// Candidates), and the hashes of the checked seed clauses that are stock phrases: found in
// more than MaxDF documents by their text, or by their text and fingerprint together.
func candidates(s *source, prints []match.DocPrint, self map[string]bool, opt match.Options) ([]*Entry, map[uint64]bool) {
	picked := map[int]bool{}
	var docFPs []uint64
	for _, p := range prints {
		if p.Features >= simhash.MinFeatures {
			docFPs = append(docFPs, p.FP)
		}
	}
	if len(docFPs) > 0 {
		for _, p := range s.parts() {
			p.v.docPrints(func(fp uint64, e int) {
				if s.hidden(p, e) {
					return
				}
				for _, q := range docFPs {
					if simhash.Distance(q, fp) <= opt.DocDistance {
						picked[p.first+e] = true
					}
				}
			})
		}
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
		if s.df(q.hash) > opt.MaxDF {
			stock[q.hash] = true
			continue
		}
		reached := map[int]bool{}
		for _, p := range s.parts() {
			p.v.clausesWithHash(q.hash, func(c int) bool {
				if e := p.v.clauseEntry(c); !s.hidden(p, e) {
					reached[p.first+e] = true
				}
				return true
			})
		}
		for _, p := range s.parts() {
			seen := map[int]bool{}
			for b := range bands {
				p.v.clausesInBand(b, q.fp, func(fp uint64, c int) {
					if seen[c] || simhash.Distance(q.fp, fp) > opt.PassageDistance {
						return
					}
					seen[c] = true
					e := p.v.clauseEntry(c)
					if s.hidden(p, e) {
						return
					}
					hash := p.v.clauseHash(c)
					switch {
					case s.clauseDF(p, c, hash) > opt.MaxDF:
						if isQuery[hash] {
							stock[hash] = true
						}
					case hash != q.hash:
						reached[p.first+e] = true
					}
				})
			}
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
		if i := s.find(p); i >= 0 {
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
		e, err := s.entry(i)
		if err != nil {
			return nil, stock
		}
		if e.Skip == "" && !self[e.Path] {
			out = append(out, e)
		}
	}
	// In path order, as the entries of a single file are: the main file's and the delta's
	// interleave.
	slices.SortFunc(out, func(a, b *Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, stock
}
