package match

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/corpus"
	"github.com/neardup/neardup/simhash"
)

// seed says that clause IA of the first document matches clause IB of the second.
type seed struct{ ia, ib int32 }

// clauseRef names a clause by document and position.
type clauseRef struct{ doc, idx int32 }

// group is every seed clause with one normalised text.
type group struct {
	members []clauseRef
	docs    int // distinct documents
	fp      uint64
	capped  bool
	near    bool // its fingerprint is stable enough to look for near variants
}

// clauseSeeds returns, per document pair, the clause pairs that match exactly or nearly, and
// the clauses capped because they recur in too many documents.
func clauseSeeds(docs []*corpus.Document, states []docState, opt Options) (map[uint64][]seed, []Capped) {
	byHash := map[uint64]int{}
	var groups []group
	for d := range states {
		for i, c := range states[d].clauses {
			if !c.seed {
				continue
			}
			g, ok := byHash[c.hash]
			if !ok {
				g = len(groups)
				byHash[c.hash] = g
				groups = append(groups, group{fp: c.fp, near: c.near})
			}
			ms := groups[g].members
			if len(ms) == 0 || ms[len(ms)-1].doc != int32(d) {
				groups[g].docs++
			}
			groups[g].members = append(ms, clauseRef{int32(d), int32(i)})
		}
	}

	// Near variants: groups whose fingerprints are close and whose texts are verified similar.
	index := simhash.NewIndex(opt.PassageDistance)
	for g := range groups {
		switch {
		case groups[g].docs > opt.MaxDF:
			groups[g].capped = true
		case groups[g].near:
			index.Add(groups[g].fp, int32(g))
		}
	}
	type near struct{ a, b int32 }
	var nears []near
	neighbourDocs := make([]int, len(groups))
	index.Pairs(func(a, b int32, _ int) {
		ra, rb := groups[a].members[0], groups[b].members[0]
		ta := clauseBytes(states, ra)
		tb := clauseBytes(states, rb)
		if similarity(ta, tb, opt.N) < nearClauseSimilarity {
			return
		}
		nears = append(nears, near{a, b})
		neighbourDocs[a] += groups[b].docs
		neighbourDocs[b] += groups[a].docs
	})
	// A clause whose variants together reach too many documents is a stock phrase too.
	for g := range groups {
		if !groups[g].capped && groups[g].docs+neighbourDocs[g] > opt.MaxDF {
			groups[g].capped = true
		}
	}

	seeds := map[uint64][]seed{}
	add := func(x, y clauseRef) {
		if x.doc == y.doc {
			return
		}
		if x.doc > y.doc {
			x, y = y, x
		}
		k := pairKey(x.doc, y.doc)
		seeds[k] = append(seeds[k], seed{x.idx, y.idx})
	}
	var capped []Capped
	for g := range groups {
		ms := groups[g].members
		if groups[g].capped {
			r := ms[0]
			c := states[r.doc].clauses[r.idx]
			capped = append(capped, Capped{Text: spanText(docs[r.doc].Text, int(c.start), int(c.end)), Documents: groups[g].docs + neighbourDocs[g]})
			docCandidates(seeds, states, ms, opt.MaxDF)
			continue
		}
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				add(ms[i], ms[j])
			}
		}
	}
	for _, n := range nears {
		if groups[n.a].capped || groups[n.b].capped {
			continue
		}
		for _, x := range groups[n.a].members {
			for _, y := range groups[n.b].members {
				add(x, y)
			}
		}
	}
	slices.SortFunc(capped, func(x, y Capped) int {
		return cmp.Or(cmp.Compare(y.Documents, x.Documents), cmp.Compare(x.Text, y.Text))
	})
	return seeds, capped
}

// docCandidates makes the documents holding one capped clause candidates for near-duplicate
// documents, though not for passages: one press release reposted by fifty outlets has every
// clause capped, and its reposts must still be found. Pairs come from groups of up to
// docPairFactor*maxDF documents; beyond that only from documents the clause makes up a large
// part of (a shared disclaimer that is most of each page), at most maxBigGroup of them.
func docCandidates(seeds map[uint64][]seed, states []docState, ms []clauseRef, maxDF int) {
	var docs []int32
	for _, m := range ms {
		if len(docs) == 0 || docs[len(docs)-1] != m.doc {
			docs = append(docs, m.doc)
		}
	}
	if len(docs) > docPairFactor*maxDF {
		big := docs[:0:0]
		for _, m := range ms {
			st := &states[m.doc]
			if int(st.clauses[m.idx].runes)*bigShare >= st.runes && (len(big) == 0 || big[len(big)-1] != m.doc) {
				big = append(big, m.doc)
			}
		}
		if len(big) > maxBigGroup {
			return
		}
		docs = big
	}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			k := pairKey(docs[i], docs[j])
			if _, ok := seeds[k]; !ok {
				seeds[k] = nil
			}
		}
	}
}

func clauseBytes(states []docState, r clauseRef) []byte {
	c := states[r.doc].clauses[r.idx]
	return states[r.doc].norm[c.nb:c.ne]
}

// passages chains the seeds of one document pair into maximal verified spans.
func passages(a, b int, sa, sb *docState, seeds []seed, opt Options, scratchA, scratchB []uint32) ([]Passage, []uint32, []uint32) {
	slices.SortFunc(seeds, func(x, y seed) int {
		return cmp.Or(cmp.Compare(x.ia, y.ia), cmp.Compare(x.ib, y.ib))
	})
	seeds = slices.Compact(seeds)

	// A run is a stretch of clauses [a0,a1] x [b0,b1] that advances in both documents.
	type run struct{ a0, a1, b0, b1 int32 }
	var runs []run
	for _, s := range seeds {
		attached := false
		// Only recent runs can be within reach; looking further back costs time on pairs
		// with thousands of seeds and finds nothing.
		for r, looked := len(runs)-1, 0; r >= 0 && looked < 64; r, looked = r-1, looked+1 {
			x := &runs[r]
			if da, db := s.ia-x.a1, s.ib-x.b1; da > 0 && db > 0 && da <= maxGap+1 && db <= maxGap+1 {
				x.a1, x.b1 = s.ia, s.ib
				attached = true
				break
			}
		}
		if !attached {
			runs = append(runs, run{s.ia, s.ia, s.ib, s.ib})
		}
	}

	// Grow each run over neighbouring clauses that are similar on the text. An edit can add or
	// remove a comma, so one clause on one side may be two on the other: try both shapes.
	for r := range runs {
		x := &runs[r]
		for {
			da, db := bestStep(sa, sb, x.a0, x.b0, -1, opt.N)
			if da == 0 {
				break
			}
			x.a0 -= da
			x.b0 -= db
		}
		for {
			da, db := bestStep(sa, sb, x.a1, x.b1, +1, opt.N)
			if da == 0 {
				break
			}
			x.a1 += da
			x.b1 += db
		}
	}

	// Runs that now overlap in both documents are one passage.
	slices.SortFunc(runs, func(x, y run) int { return cmp.Or(cmp.Compare(x.a0, y.a0), cmp.Compare(x.b0, y.b0)) })
	var merged []run
	for _, x := range runs {
		if n := len(merged); n > 0 {
			m := &merged[n-1]
			if x.a0 <= m.a1+1 && x.b0 <= m.b1+1 && x.b1+1 >= m.b0 {
				m.a1 = max(m.a1, x.a1)
				m.b0 = min(m.b0, x.b0)
				m.b1 = max(m.b1, x.b1)
				continue
			}
		}
		merged = append(merged, x)
	}

	var out []Passage
	for _, x := range merged {
		ca0, ca1 := sa.clauses[x.a0], sa.clauses[x.a1]
		cb0, cb1 := sb.clauses[x.b0], sb.clauses[x.b1]
		ta := sa.norm[ca0.nb:ca1.ne]
		tb := sb.norm[cb0.nb:cb1.ne]
		la, lb := utf8.RuneCount(ta), utf8.RuneCount(tb)
		if min(la, lb) < opt.MinPassage {
			continue
		}
		scratchA = gramsOf(ta, opt.N, scratchA)
		scratchB = gramsOf(tb, opt.N, scratchB)
		sim := jaccard(scratchA, scratchB)
		if sim < opt.PassageSimilarity {
			continue
		}
		out = append(out, Passage{
			A: a, B: b,
			AStart: int(ca0.start), AEnd: int(ca1.end),
			BStart: int(cb0.start), BEnd: int(cb1.end),
			Similarity: sim, ALength: la, BLength: lb,
		})
	}
	return out, scratchA, scratchB
}

// bestStep returns how many clauses to add on each side when growing a passage from clause ia
// of A and ib of B in direction dir (-1 backwards, +1 forwards), or 0, 0 when nothing next to
// the passage is similar enough. Edits add and remove commas and short clauses ("林区、水库")
// say little alone, so the step may take several clauses, a different number on each side:
// the smallest window that is identical, or similar over at least minStepRunes characters.
func bestStep(sa, sb *docState, ia, ib, dir int32, n int) (int32, int32) {
	for total := int32(2); total <= 2*maxStepClauses; total++ {
		for da := max(1, total-maxStepClauses); da <= min(maxStepClauses, total-1); da++ {
			db := total - da
			if da-db > 1 || db-da > 1 {
				continue
			}
			ta, okA := window(sa, ia, dir, da)
			tb, okB := window(sb, ib, dir, db)
			if !okA || !okB {
				continue
			}
			if string(ta) == string(tb) {
				return da, db
			}
			if min(len(ta), len(tb)) < minStepRunes { // bytes >= runes, a cheap first test
				continue
			}
			if sim := similarity(ta, tb, n); sim >= extendSimilarity && utf8.RuneCount(ta) >= minStepRunes && utf8.RuneCount(tb) >= minStepRunes {
				return da, db
			}
		}
	}
	return 0, 0
}

// window returns the normalised text of the k clauses next to clause i in direction dir.
func window(st *docState, i, dir, k int32) ([]byte, bool) {
	first, last := i+dir, i+dir*k
	if dir < 0 {
		first, last = last, first
	}
	if first < 0 || int(last) >= len(st.clauses) {
		return nil, false
	}
	return st.norm[st.clauses[first].nb:st.clauses[last].ne], true
}

// similarity compares two short normalised texts: 1 - edit distance / longer length, which
// stays meaningful for clauses too short for n-gram sets; long texts use n-gram Jaccard.
func similarity(a, b []byte, n int) float64 {
	ra, rb := []rune(string(a)), []rune(string(b))
	la, lb := len(ra), len(rb)
	if la == 0 || lb == 0 {
		return 0
	}
	longer := max(la, lb)
	if float64(min(la, lb)) < 0.5*float64(longer) {
		return 0 // too different in length to pass any threshold used here
	}
	if longer > 200 {
		return jaccard(gramsOf(a, n, nil), gramsOf(b, n, nil))
	}
	return 1 - float64(levenshtein(ra, rb))/float64(longer)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
