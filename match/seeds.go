package match

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// seed says that clause IA of the first document matches clause IB of the second.
type seed struct{ ia, ib int32 }

// pairSeed is a seed with its documents, A < B. IA = IB = -1 marks a pair that is a candidate
// for near-duplicate documents only. Seeds are collected in one flat slice and sorted, not
// in a map of per-pair slices, which cost more than the seeds themselves.
type pairSeed struct{ a, b, ia, ib int32 }

func docPair(a, b int32) pairSeed {
	if a > b {
		a, b = b, a
	}
	return pairSeed{a, b, -1, -1}
}

// clauseRef names a clause by document and position.
type clauseRef struct{ doc, idx int32 }

// group is every seed clause with one normalised text: members[first:end] of clauseSeeds.
type group struct {
	first, end int32
	docs       int32 // distinct documents
	capped     bool
}

// clauseSeeds returns the clause pairs of different documents that match exactly or nearly
// (and document pairs that share a capped clause, see docCandidates), unsorted, and the
// clauses capped because they recur in too many documents. It frees the clause prints and
// makes the normalised texts.
func clauseSeeds(docs []*corpus.Document, states []docState, opt Options) ([]pairSeed, []Capped) {
	nearTexts := func(refs []clauseRef) ([][]byte, error) {
		normalizeTexts(docs, states, nil, opt.Jobs)
		out := make([][]byte, len(refs))
		for k, r := range refs {
			out[k] = clauseBytes(states, r)
		}
		return out, nil
	}
	cappedTexts := func(refs []clauseRef) ([]string, error) {
		out := make([]string, len(refs))
		for k, r := range refs {
			c := states[r.doc].clauses[r.idx]
			out[k] = docs[r.doc].Slice(int(c.start), int(c.end))
		}
		return out, nil
	}
	seeds, capped, _ := clauseSeedsWith(states, stateClauses(states), opt, func(yield func(seedClause)) error {
		// Every seed clause, sorted by the hash of its text (then by position, as found).
		type member struct {
			hash uint64
			ref  clauseRef
		}
		n := 0
		for d := range states {
			for _, c := range states[d].clauses {
				if c.seed {
					n++
				}
			}
		}
		all := make([]member, 0, n)
		for d := range states {
			for i, c := range states[d].clauses {
				if c.seed {
					all = append(all, member{states[d].prints[i].hash, clauseRef{int32(d), int32(i)}})
				}
			}
		}
		parallel.SortFunc(all, func(x, y member) int {
			return compare3(x.hash, y.hash, x.ref.doc, y.ref.doc, x.ref.idx, y.ref.idx)
		}, opt.Jobs)
		for _, m := range all {
			p := &states[m.ref.doc].prints[m.ref.idx]
			yield(seedClause{hash: m.hash, fp: p.fp, ref: m.ref, near: p.near})
		}
		return nil
	}, nearTexts, cappedTexts)
	return seeds, capped
}

// seedClause is what the grouping of clauses needs of a seed clause.
type seedClause struct {
	hash, fp uint64
	ref      clauseRef
	near     bool
}

func compareSeedClauses(x, y seedClause) int {
	return compare3(x.hash, y.hash, x.ref.doc, y.ref.doc, x.ref.idx, y.ref.idx)
}

// clauseTable is where clauseSeedsWith marks the clauses it caps and reads the clauses of
// big capped groups: the documents' states, or a store of spilled clauses.
type clauseTable interface {
	markCapped(r clauseRef)
	clause(r clauseRef) clause
}

// stateClauses is the clauses held in the states.
type stateClauses []docState

func (s stateClauses) markCapped(r clauseRef)    { s[r.doc].clauses[r.idx].capped = true }
func (s stateClauses) clause(r clauseRef) clause { return s[r.doc].clauses[r.idx] }

// sortSeedClauseRun sorts a run of seed clauses by compareSeedClauses, in place (see
// sortByHash).
func sortSeedClauseRun(run []seedClause) {
	sortByHash(run, func(c seedClause) uint64 { return c.hash }, compareSeedClauses)
}

// clauseSeedsWith is clauseSeeds given the clauses (table), which sorted calls with every seed
// clause in the order of compareSeedClauses, and how to get the texts it needs: nearTexts
// returns the normalised texts of clauses, called once with the first clause of every
// group whose fingerprint is close to another's; cappedTexts the original texts of the
// first clauses of the capped groups. Any may fail (a text read again, a spilled run read
// back), which fails the whole. The clause prints are not used: sorted may have freed them.
func clauseSeedsWith(states []docState, table clauseTable, opt Options, sorted func(yield func(seedClause)) error,
	nearTexts func([]clauseRef) ([][]byte, error), cappedTexts func([]clauseRef) ([]string, error)) ([]pairSeed, []Capped, error) {
	// A run of one hash is a group, its first member the first occurrence.
	var members []clauseRef
	var groups []group
	var firstFP []uint64 // of each group's first clause, when near
	var firstNear []bool
	var last seedClause
	err := sorted(func(m seedClause) {
		i := len(members)
		members = append(members, m.ref)
		switch {
		case i == 0 || m.hash != last.hash:
			groups = append(groups, group{first: int32(i), end: int32(i + 1), docs: 1})
			firstFP, firstNear = append(firstFP, m.fp), append(firstNear, m.near)
		default:
			g := &groups[len(groups)-1]
			g.end++
			if m.ref.doc != last.ref.doc {
				g.docs++
			}
		}
		last = m
	})
	if err != nil {
		return nil, nil, err
	}
	groupMembers := func(g int32) []clauseRef { return members[groups[g].first:groups[g].end] }

	// Near variants: groups whose fingerprints are close and whose texts are verified similar.
	index := simhash.NewIndex(opt.PassageDistance)
	for g := range groups {
		switch {
		case int(groups[g].docs) > opt.MaxDF:
			groups[g].capped = true
		case firstNear[g]:
			index.Add(firstFP[g], int32(g))
		}
	}
	firstFP, firstNear = nil, nil
	// The index builds its tables at the first query: what it indexes was the last use of
	// the clause prints, which need not be alive beside the tables.
	for d := range states {
		states[d].prints = nil
	}
	// Pairs of close fingerprints are verified on the text once the index is gone: the
	// normalised texts are made only then, so that they and the index tables are never
	// alive together.
	type near struct{ a, b int32 }
	var nears []near
	index.PairsJobs(opt.Jobs, func(a, b int32, _ int) { nears = append(nears, near{a, b}) })
	index = nil
	// The texts of the groups' first clauses, each once, in group order.
	textOf := make([]int32, len(groups)) // 1 + position in refs, 0 when not needed
	for _, n := range nears {
		textOf[n.a], textOf[n.b] = 1, 1
	}
	var refs []clauseRef
	for g := range groups {
		if textOf[g] != 0 {
			refs = append(refs, members[groups[g].first])
			textOf[g] = int32(len(refs))
		}
	}
	texts, err := nearTexts(refs)
	if err != nil {
		return nil, nil, err
	}
	refs = nil
	neighbourDocs := make([]int32, len(groups))
	similar := make([]bool, len(nears))
	parallel.Workers(len(nears), opt.Jobs, func() func(i int) {
		var sc scratch
		return func(i int) {
			ta := texts[textOf[nears[i].a]-1]
			tb := texts[textOf[nears[i].b]-1]
			similar[i] = similarAtLeast(ta, tb, opt.N, nearClauseSimilarity, &sc)
		}
	})
	texts, textOf = nil, nil
	verified := nears[:0]
	for i, n := range nears {
		if !similar[i] {
			continue
		}
		verified = append(verified, n)
		neighbourDocs[n.a] += groups[n.b].docs
		neighbourDocs[n.b] += groups[n.a].docs
	}
	nears = verified
	// A clause whose variants together reach too many documents is a stock phrase too.
	for g := range groups {
		if !groups[g].capped && int(groups[g].docs+neighbourDocs[g]) > opt.MaxDF {
			groups[g].capped = true
		}
	}

	var seeds []pairSeed
	add := func(x, y clauseRef) {
		switch {
		case x.doc < y.doc:
			seeds = append(seeds, pairSeed{x.doc, y.doc, x.idx, y.idx})
		case x.doc > y.doc:
			seeds = append(seeds, pairSeed{y.doc, x.doc, y.idx, x.idx})
		}
	}
	var capped []Capped
	var cappedRefs []clauseRef
	for g := range groups {
		ms := groupMembers(int32(g))
		if groups[g].capped {
			for _, m := range ms {
				table.markCapped(m)
			}
			cappedRefs = append(cappedRefs, ms[0])
			capped = append(capped, Capped{Documents: int(groups[g].docs + neighbourDocs[g])})
			seeds = docCandidates(seeds, states, table, ms, opt.MaxDF)
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
		for _, x := range groupMembers(n.a) {
			for _, y := range groupMembers(n.b) {
				add(x, y)
			}
		}
	}
	cappedText, err := cappedTexts(cappedRefs)
	if err != nil {
		return nil, nil, err
	}
	for k := range capped {
		capped[k].Text = strings.TrimSpace(cappedText[k])
	}
	slices.SortFunc(capped, func(x, y Capped) int {
		return cmp.Or(cmp.Compare(y.Documents, x.Documents), cmp.Compare(x.Text, y.Text))
	})
	return seeds, capped, nil
}

// docCandidates makes the documents holding one capped clause candidates for near-duplicate
// documents, though not for passages: one press release reposted by fifty outlets has every
// clause capped, and its reposts must still be found. Pairs come from groups of up to
// docPairFactor*maxDF documents; beyond that only from documents the clause makes up a large
// part of (a shared disclaimer that is most of each page), at most maxBigGroup of them.
func docCandidates(seeds []pairSeed, states []docState, table clauseTable, ms []clauseRef, maxDF int) []pairSeed {
	var docs []int32
	for _, m := range ms {
		if len(docs) == 0 || docs[len(docs)-1] != m.doc {
			docs = append(docs, m.doc)
		}
	}
	if len(docs) > docPairFactor*maxDF {
		big := docs[:0:0]
		// The members share one text, and so its length: the first's is read once.
		c := table.clause(ms[0])
		for _, m := range ms {
			st := &states[m.doc]
			if int(c.re-c.rs)*bigShare >= st.runes && (len(big) == 0 || big[len(big)-1] != m.doc) {
				big = append(big, m.doc)
			}
		}
		if len(big) > maxBigGroup {
			return seeds
		}
		docs = big
	}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			seeds = append(seeds, docPair(docs[i], docs[j]))
		}
	}
	return seeds
}

func clauseBytes(states []docState, r clauseRef) []byte {
	c := states[r.doc].clauses[r.idx]
	return states[r.doc].norm[c.nb:c.ne]
}

// passages chains the seeds of one document pair into maximal verified spans, trimmed at their
// edges to the text that aligns (see trimEdges) or extended into the clauses outside as far as
// it does (see extendEdges).
func passages(a, b int, docA, docB *text.Offsets, sa, sb *docState, seeds []seed, opt Options, sc *scratch) []Passage {
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
	// Both texts are decoded to runes once, and every window is a slice of them.
	sc.decode(a, b, sa, sb)
	for r := range runs {
		x := &runs[r]
		for {
			da, db := bestStep(sa, sb, sc.ta.r, sc.tb.r, x.a0, x.b0, -1, opt.N, sc)
			if da == 0 {
				break
			}
			x.a0 -= da
			x.b0 -= db
		}
		for {
			da, db := bestStep(sa, sb, sc.ta.r, sc.tb.r, x.a1, x.b1, +1, opt.N, sc)
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
		pa := span{nb: ca0.nb, ne: ca1.ne, start: ca0.start, end: ca1.end}
		pb := span{nb: cb0.nb, ne: cb1.ne, start: cb0.start, end: cb1.end}
		// Trimming only narrows, so a run too short in whole clauses is too short trimmed.
		if min(ca1.re-ca0.rs, cb1.re-cb0.rs) < int32(opt.MinPassage) {
			continue
		}
		atStart, atEnd := trimEdges(docA, docB, sa.norm, sb.norm, sc.ta.r[ca0.rs:ca1.re], sc.tb.r[cb0.rs:cb1.re], &pa, &pb,
			int(ca0.re-ca0.rs), int(ca1.re-ca1.rs), int(cb0.re-cb0.rs), int(cb1.re-cb1.rs), sc)
		if atStart || atEnd {
			// An extended passage is verified as such; should the text taken in lower its
			// similarity below the bar, the passage is verified as trimmed instead.
			ea, eb := pa, pb
			extendEdges(docA, docB, sa, sb, sc.ta.r, sc.tb.r, &ea, &eb, x.a0, x.a1, x.b0, x.b1, atStart, atEnd, sc)
			if ea != pa || eb != pb {
				if p, ok := verifyPassage(a, b, docA, docB, sa.norm, sb.norm, ea, eb, opt, sc); ok {
					out = append(out, p)
					continue
				}
			}
		}
		if p, ok := verifyPassage(a, b, docA, docB, sa.norm, sb.norm, pa, pb, opt, sc); ok {
			out = append(out, p)
		}
	}
	return out
}

// verifyPassage returns the passage of spans pa and pb when it is long and similar enough:
// MinPassage normalised characters on both sides, and PassageSimilarity or aligned.
func verifyPassage(a, b int, docA, docB *text.Offsets, normA, normB []byte, pa, pb span, opt Options, sc *scratch) (Passage, bool) {
	ta := normA[pa.nb:pa.ne]
	tb := normB[pb.nb:pb.ne]
	la, lb := utf8.RuneCount(ta), utf8.RuneCount(tb)
	if min(la, lb) < opt.MinPassage {
		return Passage{}, false
	}
	// In a spaced script thirty letters are five or six words, a phrase that texts on one
	// subject share ("the problem into smaller subproblems"), and a reworded sentence keeps
	// a 3-gram similarity that a copy in Chinese would have: such passages need more words
	// and a higher similarity (measured on clough-stevenson, see README).
	least := opt.PassageSimilarity
	if spaced(docA, pa) || spaced(docB, pb) {
		if min(words(docA, pa), words(docB, pb)) < minSpacedWords {
			return Passage{}, false
		}
		least = max(least, spacedSimilarity)
	}
	sc.ga = gramSet(ta, nil, opt.N, sc.ga)
	sc.gb = gramSet(tb, nil, opt.N, sc.gb)
	sim := jaccard(sc.ga, sc.gb)
	if sim < least && least > opt.PassageSimilarity {
		return Passage{}, false
	}
	// As for documents (see NearCopy), a span edited throughout (an edit every ten
	// characters leaves a 3-gram Jaccard near 0.45) passes when it aligns end to end.
	if sim < opt.PassageSimilarity {
		if sim < heavyJaccard {
			return Passage{}, false
		}
		if _, ok := alignedAtLeast(ta, tb, heavyAligned, sc); !ok {
			return Passage{}, false
		}
	}
	return Passage{
		A: a, B: b,
		AStart: int(pa.start), AEnd: int(pa.end),
		BStart: int(pb.start), BEnd: int(pb.end),
		Similarity: sim, ALength: la, BLength: lb,
	}, true
}

// Passages in spaced scripts (see verifyPassage).
const (
	minSpacedWords   = 12
	spacedSimilarity = 0.7
)

// spaced reports whether a span of a document is mostly in a script that spaces its words:
// more than half of its letters are not Han, kana or Hangul.
func spaced(doc *text.Offsets, p span) bool {
	spacedLetters, other := 0, 0
	for _, r := range doc.Slice(int(p.start), int(p.end)) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			other++
		case unicode.IsLetter(r):
			spacedLetters++
		}
	}
	return spacedLetters > other
}

// words counts the words of a span of a document: runs of letters and digits.
func words(doc *text.Offsets, p span) int {
	n, in := 0, false
	for _, r := range doc.Slice(int(p.start), int(p.end)) {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// bestStep returns how many clauses to add on each side when growing a passage from clause ia
// of A and ib of B in direction dir (-1 backwards, +1 forwards), or 0, 0 when nothing next to
// the passage is similar enough. Edits add and remove commas and short clauses ("林区、水库")
// say little alone, so the step may take several clauses, a different number on each side:
// the smallest window that is identical, or similar over at least minStepRunes characters.
// ra and rb are the normalised texts of A and B decoded to runes.
func bestStep(sa, sb *docState, ra, rb []rune, ia, ib, dir int32, n int, sc *scratch) (int32, int32) {
	ka, kb := stepClauses(sa, ia, dir), stepClauses(sb, ib, dir)
	if ka == 0 || kb == 0 {
		return 0, 0
	}
	// The character bags of the windows (see sharedAtMost) grow one clause at a time, made
	// only as far as a shape tried needs them.
	sc.bagsA.reset()
	sc.bagsB.reset()
	for total := int32(2); total <= 2*maxStepClauses; total++ {
		for da := max(1, total-maxStepClauses); da <= min(maxStepClauses, total-1); da++ {
			db := total - da
			if da-db > 1 || db-da > 1 || da > ka || db > kb {
				continue
			}
			ta, _ := window(sa, ia, dir, da)
			tb, _ := window(sb, ib, dir, db)
			if string(ta) == string(tb) {
				return da, db
			}
			wa, wb := windowRunes(sa, ra, ia, dir, da), windowRunes(sb, rb, ib, dir, db)
			if len(wa) < minStepRunes || len(wb) < minStepRunes {
				continue
			}
			shared := func() int {
				return sharedOfBags(sc.bagsA.upTo(sa, ra, ia, dir, da), sc.bagsB.upTo(sb, rb, ib, dir, db))
			}
			if similarRunesShared(ta, tb, wa, wb, n, extendSimilarity, shared, sc) {
				return da, db
			}
		}
	}
	return 0, 0
}

// stepClauses is how many clauses, up to maxStepClauses, lie next to clause i in direction
// dir.
func stepClauses(st *docState, i, dir int32) int32 {
	if dir > 0 {
		return min(maxStepClauses, int32(len(st.clauses))-1-i)
	}
	return min(maxStepClauses, i)
}

// windowRunes is window(st, i, dir, k) as runes of r, the decoded normalised text.
func windowRunes(st *docState, r []rune, i, dir, k int32) []rune {
	first, last := i+dir, i+dir*k
	if dir < 0 {
		first, last = last, first
	}
	return r[st.clauses[first].rs:st.clauses[last].re]
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

// bag counts characters in 64 hash buckets (see sharedAtMost).
type bag [64]int32

func bucket(r rune) uint32 { return uint32(r) * 0x9E3779B1 >> 26 }

// windowBags holds the bags of the windows of 1, 2, ... clauses next to one clause, as far as
// they have been made.
type windowBags struct {
	bags [maxStepClauses + 1]bag
	made int32 // bags[1:made+1] are made
}

func (w *windowBags) reset() { w.made = 0 }

// upTo returns the bag of window(st, i, dir, k), making those of the smaller windows first.
func (w *windowBags) upTo(st *docState, r []rune, i, dir, k int32) *bag {
	for w.made < k {
		m := w.made + 1
		if m == 1 {
			w.bags[1] = bag{}
		} else {
			w.bags[m] = w.bags[m-1]
		}
		c := st.clauses[i+dir*m]
		var grown []rune // what window m adds to window m-1
		switch {
		case m == 1:
			grown = r[c.rs:c.re]
		case dir > 0:
			grown = r[st.clauses[i+dir*(m-1)].re:c.re]
		default:
			grown = r[c.rs:st.clauses[i+dir*(m-1)].rs]
		}
		b := &w.bags[m]
		for _, x := range grown {
			b[bucket(x)]++
		}
		w.made = m
	}
	return &w.bags[k]
}

// sharedOfBags is sharedAtMost of two texts given their bags: each bucket contributes the
// smaller of its two counts.
func sharedOfBags(a, b *bag) int {
	shared := int32(0)
	for k := range a {
		shared += min(a[k], b[k])
	}
	return int(shared)
}

// scratch is one worker's reusable memory for comparing texts.
type scratch struct {
	ra, rb    []rune
	row       []int32
	ga, gb    []uint32
	ea, eb    []rune    // edge windows (trimEdges)
	steps     []uint8   // the edge alignment's traceback
	v         []int32   // indelWithin
	ta, tb    *runeText // the normalised texts of the pair, decoded (see decode)
	decoded   textCache
	bagsA     windowBags // bestStep's character bags
	bagsB     windowBags
	nz        text.Normalized // scratch of text.SourceMap.Source
	peq       peqTable        // myersDistance's pattern
	grams     *gramFilter     // judgePair's bound, made at its first use
	hits      []anchorHit
	live      []anchorSeed
	supported []bool
}

// decode makes ta and tb the decoded normalised texts of documents a and b. Candidates come
// sorted by their first document, so A's decoding is mostly kept from the pair before, and
// related documents are second documents of many pairs in a row: the last few decodings are
// kept.
func (sc *scratch) decode(a, b int, sa, sb *docState) {
	sc.ta = sc.decoded.get(a, sa.norm)
	sc.tb = sc.decoded.get(b, sb.norm)
}

// cachedTexts is how many decoded texts one worker keeps of up to cachedBytes bytes
// (normalised) each; a longer text goes to one of two further slots, so that the cache holds
// at most cachedTexts*cachedBytes*8 bytes besides the two longest texts it met.
const (
	cachedTexts = 32
	cachedBytes = 64 << 10
)

// textCache keeps the decoded normalised texts of the documents used last.
type textCache struct {
	docs  [cachedTexts + 2]int // 1 + the document held, 0 for none
	used  [cachedTexts + 2]uint64
	texts [cachedTexts + 2]runeText
	clock uint64
}

// get returns the decoding of document d's normalised text norm, decoding it in place of the
// one used longest ago unless it is kept.
func (c *textCache) get(d int, norm []byte) *runeText {
	c.clock++
	for k := range c.docs {
		if c.docs[k] == d+1 {
			c.used[k] = c.clock
			return &c.texts[k]
		}
	}
	lo, hi := 0, cachedTexts
	if len(norm) > cachedBytes {
		lo, hi = cachedTexts, cachedTexts+2
	}
	oldest := lo
	for k := lo; k < hi; k++ {
		if c.used[k] < c.used[oldest] {
			oldest = k
		}
	}
	c.docs[oldest], c.used[oldest] = d+1, c.clock
	c.texts[oldest].set(norm)
	return &c.texts[oldest]
}

// similarAtLeast reports whether two normalised texts have a similarity of at least `least`:
// 1 - edit distance / longer length, which stays meaningful for clauses too short for n-gram
// sets; texts over 200 characters use n-gram Jaccard. The edit distance is only computed as
// far as min allows.
func similarAtLeast(a, b []byte, n int, least float64, sc *scratch) bool {
	sc.ra, sc.rb = appendRunes(sc.ra[:0], a), appendRunes(sc.rb[:0], b)
	return similarRunesAtLeast(a, b, sc.ra, sc.rb, n, least, sc)
}

// similarRunesAtLeast is similarAtLeast of a and b given as runes too (ra, rb).
func similarRunesAtLeast(a, b []byte, ra, rb []rune, n int, least float64, sc *scratch) bool {
	return similarRunesShared(a, b, ra, rb, n, least, func() int { return sharedAtMost(ra, rb) }, sc)
}

// similarRunesShared is similarRunesAtLeast given how to compute sharedAtMost(ra, rb).
func similarRunesShared(a, b []byte, ra, rb []rune, n int, least float64, shared func() int, sc *scratch) bool {
	la, lb := len(ra), len(rb)
	if la == 0 || lb == 0 {
		return 0 >= least
	}
	longer := max(la, lb)
	if float64(min(la, lb)) < 0.5*float64(longer) {
		return 0 >= least // too different in length to pass any threshold used here
	}
	if longer > 200 {
		sc.ga = gramSet(a, nil, n, sc.ga)
		sc.gb = gramSet(b, nil, n, sc.gb)
		return jaccard(sc.ga, sc.gb) >= least
	}
	// The largest distance that still reaches least, as the similarity is computed.
	reaches := func(d int) bool { return 1-float64(d)/float64(longer) >= least }
	bound := int((1 - least) * float64(longer))
	for bound < longer && reaches(bound+1) {
		bound++
	}
	for bound >= 0 && !reaches(bound) {
		bound--
	}
	if bound < 0 {
		return false
	}
	if longer-shared() > bound {
		return false
	}
	// The exact distance, bit-parallel, when one side fits a machine word.
	var d int
	switch {
	case la <= myersMax:
		d = myersDistance(ra, rb, &sc.peq)
	case lb <= myersMax:
		d = myersDistance(rb, ra, &sc.peq)
	default:
		d, sc.row = levenshteinWithin(ra, rb, bound, sc.row)
	}
	return d <= bound && reaches(d)
}

// sharedAtMost bounds from above how many characters two texts have in common, counting each
// as often as it occurs on both sides, by counting characters in 64 hash buckets (a collision
// can only raise the count). The edit distance is at least the longer length minus it, which
// rules out most dissimilar pairs at a fraction of the cost of the distance itself.
func sharedAtMost(a, b []rune) int {
	var bag bag
	for _, r := range a {
		bag[bucket(r)]++
	}
	shared := 0
	for _, r := range b {
		k := bucket(r)
		if bag[k] > 0 {
			bag[k]--
			shared++
		}
	}
	return shared
}

func appendRunes(dst []rune, b []byte) []rune {
	for _, r := range string(b) {
		dst = append(dst, r)
	}
	return dst
}

// levenshtein is the edit distance of a and b.
func levenshtein(a, b []rune) int {
	d, _ := levenshteinWithin(a, b, max(len(a), len(b)), nil)
	return d
}

// levenshteinWithin returns the edit distance of a and b when it is at most k, and some
// value above k otherwise. Only the diagonal band |i-j| <= k can hold values up to k, and
// once a whole row exceeds k so does the result (Ukkonen): the work is O(k·len) at most, and
// dissimilar texts stop early. row is scratch, returned for reuse.
func levenshteinWithin(a, b []rune, k int, row []int32) (int, []int32) {
	la, lb := len(a), len(b)
	if la-lb > k || lb-la > k {
		return k + 1, row
	}
	over := int32(k + 1) // every value above k is kept as k+1
	if cap(row) < 2*(lb+1) {
		row = make([]int32, 2*(lb+1))
	}
	row = row[:2*(lb+1)]
	prev, cur := row[:lb+1], row[lb+1:]
	for j := range prev {
		prev[j] = min(int32(j), over)
	}
	for i := 1; i <= la; i++ {
		lo, hi := max(1, i-k), min(lb, i+k)
		if lo == 1 {
			cur[0] = min(int32(i), over)
		} else {
			cur[lo-1] = over
		}
		rowMin := cur[lo-1]
		ai := a[i-1]
		for j := lo; j <= hi; j++ {
			v := min(prev[j], cur[j-1]) + 1
			if ai == b[j-1] {
				v = min(v, prev[j-1])
			} else {
				v = min(v, prev[j-1]+1)
			}
			v = min(v, over)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < lb {
			cur[hi+1] = over
		}
		if rowMin >= over {
			return k + 1, row
		}
		prev, cur = cur, prev
	}
	return int(prev[lb]), row
}
