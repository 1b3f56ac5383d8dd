package index

import (
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
func (x *Index) Candidates(prints []match.DocPrint, self map[string]bool, opt match.Options) []*Entry {
	return candidates(x, prints, self, opt, linearQueries)
}

// candidates returns the indexed documents worth verifying against the checked prints:
// a document fingerprint within DocDistance, or a seed clause with the same text or a
// fingerprint within PassageDistance. Clauses found in more than MaxDF documents are stock
// phrases and find nothing, as in match.Find.
//
// Up to linear distinct checked clauses are compared one by one (see linearQueries).
func candidates(x *Index, prints []match.DocPrint, self map[string]bool, opt match.Options, linear int) []*Entry {
	picked := make([]bool, len(x.Entries))

	for _, p := range prints {
		if p.Features < simhash.MinFeatures {
			continue
		}
		for i := range x.Entries {
			e := &x.Entries[i]
			if e.Skip == "" && int(e.Features) >= simhash.MinFeatures && simhash.Distance(p.FP, e.FP) <= opt.DocDistance {
				picked[i] = true
			}
		}
	}

	// The checked seed clauses go into a small index that every indexed clause queries:
	// building an index of the hundreds of thousands of indexed clauses would cost more
	// than the whole check. A prefilter turns most indexed clauses away with a few bit
	// tests; the few thousand it lets through are compared with every checked clause when
	// there are few of those, which is cheaper than an index query.
	byHash := map[uint64]int32{}
	var queryFPs []uint64
	pre := newPrefilter(opt.PassageDistance)
	for _, p := range prints {
		for _, c := range p.Clauses {
			if !c.Seed {
				continue
			}
			if _, ok := byHash[c.Hash]; ok {
				continue
			}
			byHash[c.Hash] = int32(len(queryFPs))
			queryFPs = append(queryFPs, c.FP)
			pre.add(c.Hash, c.FP)
		}
	}
	if len(queryFPs) > 0 {
		var near *simhash.Index
		if len(queryFPs) > linear {
			near = simhash.NewIndex(opt.PassageDistance)
			for q, fp := range queryFPs {
				near.Add(fp, int32(q))
			}
			near.Build()
		}
		// Documents reached through each checked clause; a clause that reaches more than
		// MaxDF documents through its variants is a stock phrase as well.
		reached := make([][]int32, len(queryFPs))
		seeds := &x.Seeds
		for i := range x.Entries {
			e := &x.Entries[i]
			for j := int(e.FirstClause); j < int(e.FirstClause+e.NumClauses); j++ {
				hash, fp := seeds.Hash(j), seeds.FP(j)
				if !pre.mayMatch(hash, fp) || int(seeds.DF(j)) >= opt.MaxDF+1 {
					continue
				}
				if q, ok := byHash[hash]; ok {
					reached[q] = appendDoc(reached[q], int32(i))
					continue
				}
				if near != nil {
					near.Query(fp, func(q int32, _ int) {
						reached[q] = appendDoc(reached[q], int32(i))
					})
					continue
				}
				for q, qfp := range queryFPs {
					if simhash.Distance(qfp, fp) <= opt.PassageDistance {
						reached[q] = appendDoc(reached[q], int32(i))
					}
				}
			}
		}
		for _, docs := range reached {
			if len(docs) > opt.MaxDF {
				continue
			}
			for _, d := range docs {
				picked[d] = true
			}
		}
	}

	var out []*Entry
	for i, ok := range picked {
		if ok && !self[x.Entries[i].Path] && x.Entries[i].Skip == "" {
			out = append(out, &x.Entries[i])
		}
	}
	return out
}

// linearQueries is the most checked clauses that are compared one by one with each indexed
// clause the prefilter lets through; with more, they go into a simhash.Index. At 64 a
// linear pass costs about as much as one index query.
const linearQueries = 64

// prefilter answers "may this clause have the same hash as an added one, or a fingerprint
// within k bits of an added one?" with a few bit tests, so that the hundreds of thousands
// of indexed clauses that match nothing cost no lookup. Cut into k+1 blocks, two
// fingerprints within k bits agree on a whole block (pigeonhole); the filter keeps, per
// block, a bitmap of its low 16 bits over the added fingerprints, and one of the low 16
// bits of the added hashes. False positives go on to the exact test.
type prefilter struct {
	width uint   // bits per block
	mask  uint16 // the bits of a block that its key holds: all of them when it has at most 16
	// maps[0] holds the hashes, maps[1+i] block i of the fingerprints. A key is 16 bits,
	// so key>>6 indexes a map without a bounds check.
	maps [][1 << 16 / 64]uint64
}

func newPrefilter(k int) *prefilter {
	blocks := k + 1
	width := uint(64 / blocks)
	return &prefilter{width: width, mask: uint16(1<<min(width, 16) - 1), maps: make([][1 << 16 / 64]uint64, 1+blocks)}
}

func (p *prefilter) add(hash, fp uint64) {
	key := uint16(hash)
	p.maps[0][key>>6] |= 1 << (key & 63)
	for i := 1; i < len(p.maps); i++ {
		key := uint16(fp) & p.mask
		p.maps[i][key>>6] |= 1 << (key & 63)
		fp >>= p.width
	}
}

func (p *prefilter) mayMatch(hash, fp uint64) bool {
	if key := uint16(hash); p.maps[0][key>>6]&(1<<(key&63)) != 0 {
		return true
	}
	for i := 1; i < len(p.maps); i++ {
		key := uint16(fp) & p.mask
		if p.maps[i][key>>6]&(1<<(key&63)) != 0 {
			return true
		}
		fp >>= p.width
	}
	return false
}

// appendDoc appends d unless it is already last (entries are visited in order).
func appendDoc(docs []int32, d int32) []int32 {
	if n := len(docs); n > 0 && docs[n-1] == d {
		return docs
	}
	return append(docs, d)
}
