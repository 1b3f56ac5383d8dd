package match

import (
	"bytes"
	"cmp"
	"math"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/internal/unionfind"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// FindTexts and FindCollapsedTexts are Find and FindCollapsed over texts that are read when
// needed instead of held: the result is the same, and memory holds the texts of the
// documents being compared, not of the corpus.
//
// The first stage reads every text once, in order, on Jobs goroutines, and keeps of it only
// the compact state the candidates come from: fingerprints, clauses (offsets and flags),
// clause prints until the clauses are grouped, anchors until they are paired, the MinHash of
// a short document and, to collapse identical copies, a 128-bit hash of the normalised text.
// With a TextBudget, the clauses go to a file of the spill folder (see clauseStore) and are
// read back for the documents a stage works on, and the anchors and clause prints to sorted
// runs there. Candidates are then found as Find finds them, but that the seed clauses are
// read twice: first to find which texts have a near variant, so that the grouping holds only
// the texts that can pair two documents. The near variants of clauses and the texts of
// capped clauses are read from the documents that hold them. Candidates are then judged,
// and their passages sought, in chunks: walked in pair order and cut where the distinct
// documents of a chunk would take more than TextBudget, whose texts are read (in parallel),
// compared and dropped. Every pair is verified on its own by the functions Find uses, so the
// chunks change nothing but what is held at once.

// liveHeap is the heap that the last garbage collection found live.
func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// textCost is how many times its size a text costs while it is compared: the text, its
// normalised form (about as long) and its n-gram set (four bytes per character, a third to
// a whole byte of text per byte).
const textCost = 4

// streamed is the compact state of every document after the first stage of FindTexts.
type streamed struct {
	texts   corpus.Texts
	states  []docState              // without norm, src and sources
	anchors *sortedRuns[anchorRef]  // every document's, until they are paired
	clauses *sortedRuns[seedClause] // every seed clause, until they are grouped
	store   *clauseStore            // the documents' clauses, when spilled; nil: in states
	remap   []int32                 // the document an anchor's belongs to now, -1 none; nil: itself
	spill   *spillDir               // where runs go beyond the budget; nil: nowhere
	sizes   []int                   // bytes of each text
	sums    [][2]uint64             // murmur3 128 of the normalised text, when collapsing
	long    []bool                  // long enough to be grouped with its identical copies
}

// spillShare is the share of TextBudget that the first stage's buffers of anchors may take
// before they are sorted and written to disk: the texts are not held then.
const spillShare = 2

// minRunRecords is the fewest anchors a spilled run holds: smaller files would cost more
// in opening than they save. A variable, so that tests can spill small corpora.
var minRunRecords = 1 << 16

// FindTexts is Find over texts read when needed (see above). An error reading a text
// (a file changed since it was first read) stops it.
func FindTexts(texts corpus.Texts, opt Options) (*Result, error) {
	opt = withDefaults(opt)
	sd, err := readStates(texts, opt, false)
	defer sd.spill.close()
	if err != nil {
		return nil, err
	}
	return sd.find(opt)
}

// FindCollapsedTexts is FindCollapsed over texts read when needed. Identical copies are
// grouped by a 128-bit hash of their normalised texts, where FindCollapsed compares the
// texts of equal 64-bit hashes: two different texts share one with a probability of about
// 2^-128 per pair.
func FindCollapsedTexts(texts corpus.Texts, opt Options) (*IdenticalResult, error) {
	opt = withDefaults(opt)
	sd, err := readStates(texts, opt, true)
	defer sd.spill.close()
	if err != nil {
		return nil, err
	}
	n := texts.Len()
	groups := sd.identicalGroups()
	if len(groups) == 0 {
		r, err := sd.find(opt)
		if err != nil {
			return nil, err
		}
		return &IdenticalResult{Result: r}, nil
	}
	reps := representatives(n, groups)
	sub := sd.subset(reps)
	sd = nil
	r, err := sub.find(collapsedOptions(opt, n, groups, reps))
	if err != nil {
		return nil, err
	}
	return &IdenticalResult{Result: expandCollapsed(r, n, groups, reps), Identical: groups}, nil
}

// firstError keeps the first error that workers meet.
type firstError struct {
	mu     sync.Mutex
	err    error
	failed atomic.Bool
}

func (f *firstError) set(err error) {
	f.mu.Lock()
	if f.err == nil {
		f.err = err
	}
	f.mu.Unlock()
	f.failed.Store(true)
}

// readStates is the first stage: every text read once and reduced to its compact state.
func readStates(texts corpus.Texts, opt Options, collapse bool) (*streamed, error) {
	n := texts.Len()
	sd := &streamed{texts: texts, states: make([]docState, n), sizes: make([]int, n), spill: newSpillDir(opt.TextBudget)}
	sd.anchors = &sortedRuns[anchorRef]{cmp: compareAnchorRefs, sort: sortAnchorRun, codec: anchorCodec, spill: sd.spill}
	sd.clauses = &sortedRuns[seedClause]{cmp: compareSeedClauses, sort: sortSeedClauseRun, codec: seedClauseCodec, spill: sd.spill}
	// Anchors and seed clauses share the buffers' room, about four anchors to a clause.
	runRecords, clauseRecords := math.MaxInt, math.MaxInt
	if sd.spill != nil {
		room := opt.TextBudget / spillShare / int64(opt.Jobs)
		runRecords = max(int(room*2/3)/anchorCodec.size, minRunRecords)
		clauseRecords = max(int(room/3)/seedClauseCodec.size, minRunRecords/4)
	}
	var buffers [][]anchorRef // each worker's last run
	var clauseBuffers [][]seedClause
	var batches []*clauseBatch // each worker's clauses not yet written
	if sd.spill != nil {
		// Without a temporary folder the clauses stay in memory: a corpus that needs no
		// spilled runs is still scanned.
		sd.store, _ = newClauseStore(sd.spill, n)
	}
	var buffersMu sync.Mutex
	if collapse {
		sd.sums, sd.long = make([][2]uint64, n), make([]bool, n)
	}
	var fail firstError
	prepared := newStage(opt.Progress, StageFingerprint, n)
	parallel.Workers(n, opt.Jobs, func() func(i int) {
		h := simhash.NewHasher(opt.N)
		var starts []int32
		var hashes []uint64
		var buf []anchorRef
		nz := new(text.Normalized) // this worker's normalisation map, filled again per document
		run, clauseRun := new([]anchorRef), new([]seedClause)
		batch := new(clauseBatch)
		buffersMu.Lock()
		k := len(buffers)
		buffers, clauseBuffers = append(buffers, nil), append(clauseBuffers, nil)
		batches = append(batches, batch)
		buffersMu.Unlock()
		return func(i int) {
			defer prepared.step()
			defer func() {
				buffersMu.Lock()
				buffers[k], clauseBuffers[k] = *run, *clauseRun
				buffersMu.Unlock()
			}()
			if fail.failed.Load() {
				return
			}
			s, err := texts.Text(i)
			if err != nil {
				fail.set(err)
				return
			}
			var exclude []text.Span
			switch {
			case opt.Read != nil:
				exclude = opt.Read(i, s)
			case i < len(opt.Exclude):
				exclude = opt.Exclude[i]
			}
			st := prepareCompact(s, exclude, h, opt.N, nz)
			if f := st.feats; f < simhash.MinFeatures || float64(f)*opt.MinSimilarity > shortGrams {
				st.minHash = nil
			}
			buf, starts, hashes = winnow(buf[:0], nz.Text, int32(i), st.excluded, starts, hashes)
			if len(*run)+len(buf) > runRecords {
				sd.anchors.add(*run)
				*run = (*run)[:0]
			}
			*run = append(*run, buf...)
			st.anchors = int32(len(buf))
			seeds := 0
			for _, c := range st.clauses {
				if c.seed {
					seeds++
				}
			}
			if len(*clauseRun)+seeds > clauseRecords {
				sd.clauses.add(*clauseRun)
				*clauseRun = (*clauseRun)[:0]
			}
			for j, c := range st.clauses {
				if c.seed {
					p := &st.prints[j]
					*clauseRun = append(*clauseRun, seedClause{hash: p.hash, fp: p.fp, ref: clauseRef{int32(i), int32(j)}, near: p.near})
				}
			}
			st.prints = nil
			if sd.store != nil {
				if err := sd.store.add(batch, i, st.clauses); err != nil {
					fail.set(err)
					return
				}
				st.clauses = nil
			}
			sd.sizes[i] = len(s)
			if collapse {
				h1, h2 := murmur3.Sum128(nz.Text)
				sd.sums[i] = [2]uint64{h1, h2}
				sd.long[i] = utf8.RuneCount(nz.Text) >= opt.N+simhash.MinFeatures-1
			}
			sd.states[i] = st
		}
	})
	if fail.err != nil {
		return sd, fail.err
	}
	if sd.store != nil {
		for _, b := range batches {
			if err := sd.store.flush(b); err != nil {
				return sd, err
			}
		}
		sd.store.written()
	}
	sd.anchors.addAll(buffers, opt.Jobs)
	sd.clauses.addAll(clauseBuffers, opt.Jobs)
	return sd, nil
}

// identicalGroups is identicalGroups of the documents by their hashes.
func (sd *streamed) identicalGroups() [][]int {
	byHash := map[[2]uint64][]int{}
	for i, h := range sd.sums {
		if sd.long[i] {
			byHash[h] = append(byHash[h], i)
		}
	}
	var groups [][]int
	for _, g := range byHash {
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, func(x, y []int) int { return x[0] - y[0] })
	return groups
}

// subset is the state of the documents reps (increasing), renumbered from 0.
func (sd *streamed) subset(reps []int) *streamed {
	sub := &streamed{
		texts:  subTexts{sd.texts, reps},
		states: make([]docState, len(reps)), sizes: make([]int, len(reps)),
		anchors: sd.anchors, clauses: sd.clauses, spill: sd.spill, remap: make([]int32, len(sd.states)),
	}
	if sd.store != nil {
		sub.store = sd.store.subset(reps)
	}
	for i := range sub.remap {
		sub.remap[i] = -1
	}
	for k, i := range reps {
		sub.states[k], sub.sizes[k] = sd.states[i], sd.sizes[i]
		sub.remap[i] = int32(k)
	}
	return sub
}

// subTexts is the documents reps of texts.
type subTexts struct {
	texts corpus.Texts
	reps  []int
}

func (s subTexts) Len() int                   { return len(s.reps) }
func (s subTexts) Text(k int) (string, error) { return s.texts.Text(s.reps[k]) }

// eachText reads the texts of docs on jobs goroutines and hands each to a worker's func,
// which must not keep the text beyond what it copies; an error of either stops it.
func (sd *streamed) eachText(docs []int, jobs int, newWorker func() func(d int, s string) error) error {
	var fail firstError
	parallel.Workers(len(docs), jobs, func() func(i int) {
		work := newWorker()
		return func(i int) {
			if fail.failed.Load() {
				return
			}
			s, err := sd.texts.Text(docs[i])
			if err != nil {
				fail.set(err)
				return
			}
			if err := work(docs[i], s); err != nil {
				fail.set(err)
			}
		}
	})
	return fail.err
}

// clausesOf returns the clauses of document d: its state's, or read back from the store in
// a new slice; buf is scratch, returned for reuse.
func (sd *streamed) clausesOf(d int, buf []byte) ([]clause, []byte, error) {
	if sd.store == nil {
		return sd.states[d].clauses, buf, nil
	}
	return sd.store.load(d, buf)
}

// byDocument orders the clauses refs by document: it returns the documents, increasing,
// and for each the positions in refs of its clauses.
func byDocument(refs []clauseRef) ([]int, [][]int32) {
	order := make([]int32, len(refs))
	for k := range order {
		order[k] = int32(k)
	}
	slices.SortFunc(order, func(x, y int32) int { return cmp.Compare(refs[x].doc, refs[y].doc) })
	var docs []int
	var at [][]int32
	for _, k := range order {
		if d := int(refs[k].doc); len(docs) == 0 || docs[len(docs)-1] != d {
			docs = append(docs, d)
			at = append(at, nil)
		}
		at[len(at)-1] = append(at[len(at)-1], k)
	}
	return docs, at
}

// nearTexts reads the normalised texts of the clauses refs from their documents.
func (sd *streamed) nearTexts(refs []clauseRef, jobs int) ([][]byte, error) {
	out := make([][]byte, len(refs))
	docs, at := byDocument(refs)
	where := make(map[int]int, len(docs))
	for k, d := range docs {
		where[d] = k
	}
	err := sd.eachText(docs, jobs, func() func(d int, s string) error {
		var buf, scratch []byte
		return func(d int, s string) error {
			clauses, sc, err := sd.clausesOf(d, scratch)
			if scratch = sc; err != nil {
				return err
			}
			buf = text.AppendNormalized(buf[:0], s)
			for _, k := range at[where[d]] {
				c := clauses[refs[k].idx]
				out[k] = bytes.Clone(buf[c.nb:c.ne])
			}
			return nil
		}
	})
	return out, err
}

// cappedTexts reads the original texts of the clauses refs from their documents.
func (sd *streamed) cappedTexts(refs []clauseRef, jobs int) ([]string, error) {
	out := make([]string, len(refs))
	docs, at := byDocument(refs)
	where := make(map[int]int, len(docs))
	for k, d := range docs {
		where[d] = k
	}
	err := sd.eachText(docs, jobs, func() func(d int, s string) error {
		var scratch []byte
		return func(d int, s string) error {
			clauses, sc, err := sd.clausesOf(d, scratch)
			if scratch = sc; err != nil {
				return err
			}
			for _, k := range at[where[d]] {
				c := clauses[refs[k].idx]
				out[k] = strings.Clone(text.Slice(s, int(c.start), int(c.end)))
			}
			return nil
		}
	})
	return out, err
}

// inChunks runs work on the candidates cands[order[k]], in order, cut into chunks whose
// distinct documents' texts, textCost times over, fit budget (0: one chunk). For each chunk
// it reads the texts of its documents and hands them to load, on jobs goroutines, runs work
// on its candidates, and then calls drop for each of its documents.
func (sd *streamed) inChunks(cands []candidate, order []int32, budget int64, jobs int,
	load func() func(d int, s string) error, work func() func(c int), drop func(d int)) error {
	limit := budget / textCost
	if limit > 0 {
		order = byComponent(cands, order, len(sd.states))
	}
	chunk := make([]int32, len(sd.states)) // the chunk a document was last counted in, from 1
	var docs []int
	for lo, n := 0, int32(0); lo < len(order); n++ {
		docs = docs[:0]
		var held int64
		hi := lo
		for ; hi < len(order); hi++ {
			c := cands[order[hi]]
			add := int64(0)
			if chunk[c.a] != n+1 {
				add += int64(sd.sizes[c.a])
			}
			if chunk[c.b] != n+1 {
				add += int64(sd.sizes[c.b])
			}
			if hi > lo && limit > 0 && held+add > limit {
				break
			}
			for _, d := range [2]int32{c.a, c.b} {
				if chunk[d] != n+1 {
					chunk[d] = n + 1
					docs = append(docs, int(d))
				}
			}
			held += add
		}
		slices.Sort(docs) // files in the order of the walk: neighbours on disk
		if err := sd.eachText(docs, jobs, load); err != nil {
			return err
		}
		part := order[lo:hi]
		parallel.Workers(len(part), jobs, func() func(k int) {
			w := work()
			return func(k int) { w(int(part[k])) }
		})
		for _, d := range docs {
			drop(d)
		}
		lo = hi
	}
	return nil
}

// byComponent orders the candidates cands[order[k]] by the connected component of the
// graph they make of the documents, keeping their order within one: copies of a story are
// candidates of one another wherever the walk put them, and a chunk of whole components
// reads each of their texts once, where chunks in pair order read a text once for every
// chunk that holds a pair of it.
func byComponent(cands []candidate, order []int32, n int) []int32 {
	parent := unionfind.New[int32](n)
	for _, k := range order {
		unionfind.Union(parent, cands[k].a, cands[k].b)
	}
	roots := unionfind.Roots(parent)
	// A stable counting sort by root: roots are document numbers, and a comparison sort of
	// every candidate was a serial step as long as the rest of the stage's setup together.
	start := make([]int32, n+1)
	for _, k := range order {
		start[roots[cands[k].a]+1]++
	}
	for d := range n {
		start[d+1] += start[d]
	}
	out := make([]int32, len(order))
	for _, k := range order {
		r := roots[cands[k].a]
		out[start[r]] = k
		start[r]++
	}
	return out
}

// find is Find's work after its first stage.
func (sd *streamed) find(opt Options) (*Result, error) {
	states := sd.states
	res := &Result{Fingerprints: make([]uint64, len(states)), Features: make([]int, len(states))}
	for i := range states {
		res.Fingerprints[i] = states[i].fp
		res.Features[i] = states[i].feats
	}

	var table clauseTable = stateClauses(states)
	if sd.store != nil {
		table = sd.store
	}
	seeds, capped, err := clauseSeedsWith(states, table, opt,
		func(yield func(seedClause)) error {
			partnered, err := sd.partneredTexts(opt)
			if err != nil {
				return err
			}
			lone := &loneFilter{yield: yield, partnered: partnered}
			err = sd.seedClauses(sd.clauses.merge, lone.add)
			lone.flush()
			return err
		},
		func(refs []clauseRef) ([][]byte, error) { return sd.nearTexts(refs, opt.Jobs) },
		func(refs []clauseRef) ([]string, error) { return sd.cappedTexts(refs, opt.Jobs) })
	if err == nil && sd.store != nil {
		err = sd.store.err.err
		sd.store.last = nil
	}
	if err != nil {
		return nil, err
	}
	res.Capped = capped
	sd.clauses = nil
	anchors, err := anchorSeedsFrom(sd.anchors, sd.remap, states, opt.MaxDF, opt.Jobs)
	if err != nil {
		return nil, err
	}
	sd.anchors, sd.remap = nil, nil

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

	// Judging, in chunks of the candidates that are judged at all.
	compared := newStage(opt.Progress, StageCompare, len(cands))
	var judged []int32
	for i, c := range cands {
		if c.passagesOnly {
			compared.step()
			continue
		}
		judged = append(judged, int32(i))
	}
	type verdict struct {
		i int
		d Duplicate
	}
	var verified []verdict
	var mu sync.Mutex
	nearCopy := make([]bool, len(cands))
	held := make([]string, len(states)) // the texts of the chunk, for the scripts
	trad := make([]int8, len(states))   // as in markFolded
	err = sd.inChunks(cands, judged, opt.TextBudget, opt.Jobs,
		func() func(d int, s string) error {
			var buf []uint32
			return func(d int, s string) error {
				st := &states[d]
				st.norm = text.AppendNormalized(nil, s)
				buf = gramSet(st.norm, st.excluded, opt.N, buf)
				st.grams = slices.Clone(buf)
				held[d] = s
				return nil
			}
		},
		func() func(i int) {
			var sc scratch
			return func(i int) {
				defer compared.step()
				sa, sb := &states[cands[i].a], &states[cands[i].b]
				if len(sa.grams) < simhash.MinFeatures || len(sb.grams) < simhash.MinFeatures {
					return
				}
				if v := judgePair(sa, sb, opt, &sc); v.Relation != "" {
					nearCopy[i] = v.Relation == NearCopy
					mu.Lock()
					verified = append(verified, verdict{i, v})
					for _, d := range [2]int32{cands[i].a, cands[i].b} {
						if trad[d] == 0 {
							trad[d] = 1
							if text.Folded(held[d]) {
								trad[d] = 2
							}
						}
					}
					mu.Unlock()
				}
			}
		},
		func(d int) { states[d].norm, states[d].grams, held[d] = nil, nil, "" })
	if err != nil {
		return nil, err
	}
	held = nil
	slices.SortFunc(verified, func(x, y verdict) int { return cmp.Compare(x.i, y.i) })
	for _, x := range verified {
		c, v := cands[x.i], x.d
		v.A, v.B, v.Distance = int(c.a), int(c.b), simhash.Distance(states[c.a].fp, states[c.b].fp)
		res.Duplicates = append(res.Duplicates, v)
	}
	verified = nil
	rest := cands[:0:0]
	for i, c := range cands {
		if !nearCopy[i] && (c.lo < c.hi || c.alo < c.ahi) {
			rest = append(rest, c)
		}
	}
	cands, nearCopy = rest, nil

	var exclude [][]text.Span // applied to spilled clauses as they are read back
	passageBudget := opt.TextBudget
	if opt.ExcludeFromPassages != nil {
		before := liveHeap()
		exclude = opt.ExcludeFromPassages(res.Duplicates)
		// What the caller keeps of its work on the duplicates (a scan's slogans: hundreds of
		// megabytes for a gigabyte of text) is held while the passages are sought, and the
		// texts of a chunk get what it leaves of the budget.
		if held := liveHeap() - before; passageBudget > 0 && held > 0 {
			passageBudget = max(passageBudget-held, passageBudget/4)
		}
		for d := range states {
			if sd.store == nil && d < len(exclude) && len(exclude[d]) > 0 {
				markExcluded(states[d].clauses, exclude[d])
			}
		}
	}

	found := make([][]Passage, len(cands))
	sought := newStage(opt.Progress, StagePassages, len(cands))
	all := make([]int32, len(cands))
	for i := range all {
		all[i] = int32(i)
	}
	err = sd.inChunks(cands, all, passageBudget, opt.Jobs,
		func() func(d int, s string) error {
			var scratch []byte
			return func(d int, s string) error {
				st := &states[d]
				if sd.store != nil {
					clauses, sc, err := sd.store.load(d, scratch)
					if scratch = sc; err != nil {
						return err
					}
					if d < len(exclude) && len(exclude[d]) > 0 {
						markExcluded(clauses, exclude[d])
					}
					st.clauses = clauses
				}
				nz := text.Normalize(s)
				st.src = text.NewOffsets(s)
				st.sources = text.NewSourceMap(st.src, nz)
				st.norm = nz.Text
				return nil
			}
		},
		func() func(i int) {
			var sc scratch
			var live []seed
			return func(i int) {
				defer sought.step()
				c := cands[i]
				sa, sb := &states[c.a], &states[c.b]
				found[i], live = candidatePassages(c, sa, sb, seeds, anchors, opt, &sc, live)
				for k := range found[i] {
					p := &found[i][k]
					p.Folded = text.Folded(sa.src.Slice(p.AStart, p.AEnd)) != text.Folded(sb.src.Slice(p.BStart, p.BEnd))
				}
			}
		},
		func(d int) {
			states[d].norm, states[d].src, states[d].sources = nil, nil, nil
			if sd.store != nil {
				states[d].clauses = nil
			}
		})
	if err != nil {
		return nil, err
	}
	for _, ps := range found {
		res.Passages = append(res.Passages, ps...)
	}
	for i := range res.Duplicates {
		d := &res.Duplicates[i]
		d.Folded = trad[d.A] != trad[d.B]
	}
	sortResult(res, opt.Jobs)
	return res, nil
}

// seedClauses calls yield with the seed clauses of the documents, in the order of
// compareSeedClauses, as merge (the runs' merge or reread) gives them.
func (sd *streamed) seedClauses(merge func(func(seedClause)) error, yield func(seedClause)) error {
	return merge(func(c seedClause) {
		if sd.remap != nil {
			if c.ref.doc = sd.remap[c.ref.doc]; c.ref.doc < 0 {
				return
			}
		}
		yield(c)
	})
}

// partneredTexts reads the seed clauses once before they are grouped and returns, a bit per
// text in their order, whether the fingerprint of a text with near variants is within
// PassageDistance bits of another's (nil when nothing is spilled: the grouping then gets
// every text). The grouping, which holds about 33 bytes per text and the index of near
// variants beside it, needs then only the texts that can pair two documents: those found
// in several, and the others with a partner. Most texts of a large corpus are neither.
func (sd *streamed) partneredTexts(opt Options) ([]uint64, error) {
	if sd.spill == nil {
		return nil, nil
	}
	index := simhash.NewIndex(opt.PassageDistance)
	texts := 0
	var last seedClause
	err := sd.seedClauses(sd.clauses.reread, func(c seedClause) {
		if texts == 0 || c.hash != last.hash {
			if c.near {
				index.Add(c.fp, int32(texts))
			}
			texts++
		}
		last = c
	})
	if err != nil {
		return nil, err
	}
	partnered := make([]uint64, (texts+63)/64)
	index.PairsJobs(opt.Jobs, func(a, b int32, _ int) {
		partnered[a/64] |= 1 << (a % 64)
		partnered[b/64] |= 1 << (b % 64)
	})
	return partnered, nil
}

// loneFilter passes the seed clauses on to yield, in order, except the texts found in one
// document only that can pair it with no other: without a fingerprint for near variants,
// or, when partnered is set (see partneredTexts), without a partner.
type loneFilter struct {
	yield     func(seedClause)
	partnered []uint64
	group     []seedClause // the clauses of the current text
	docs      int          // the documents they are in
	text      int          // the number of the current text, from 0
}

func (f *loneFilter) add(c seedClause) {
	if len(f.group) > 0 && f.group[0].hash != c.hash {
		f.flush()
	}
	if len(f.group) == 0 || f.group[len(f.group)-1].ref.doc != c.ref.doc {
		f.docs++
	}
	f.group = append(f.group, c)
}

// flush ends the current text.
func (f *loneFilter) flush() {
	if len(f.group) == 0 {
		return
	}
	keep := f.docs > 1
	if !keep && f.group[0].near {
		keep = f.partnered == nil || f.partnered[f.text/64]>>(f.text%64)&1 != 0
	}
	if keep {
		for _, c := range f.group {
			f.yield(c)
		}
	}
	f.group, f.docs = f.group[:0], 0
	f.text++
}

// anchorSeedsFrom is anchorSeeds given the anchors of every document (winnowed as it does,
// states[d].anchors set) in sorted runs, which it consumes: the anchors of document d are
// those of remap[d] (none when -1), all documents' when remap is nil.
func anchorSeedsFrom(runs *sortedRuns[anchorRef], remap []int32, states []docState, maxDF, jobs int) ([]anchorSeed, error) {
	keep := func(r anchorRef) (anchorRef, bool) {
		if remap != nil {
			if r.doc = remap[r.doc]; r.doc < 0 {
				return r, false
			}
		}
		return r, true
	}
	if parts, ok := runs.inMemoryParts(anchorShardBits, func(r anchorRef) uint64 { return r.hash }); ok {
		// The runs are cut by hash, and a hash's anchors are all in one part: the parts are
		// grouped on jobs goroutines. The seeds are sorted after and the stock anchors of a
		// document too, so the order the parts come in changes nothing.
		seeds := make([][]anchorSeed, len(parts))
		stock := make([][]stockRef, len(parts))
		parallel.For(len(parts), jobs, func(k int) {
			g := anchorGroups{maxDF: maxDF}
			mergeSorted(parts[k], compareAnchorRefs, func(r anchorRef) {
				if r, ok := keep(r); ok {
					g.add(r)
				}
			})
			g.flush()
			seeds[k], stock[k] = g.seeds, g.stock
			parts[k] = nil
		})
		all := concatReleasing(seeds)
		for k := range parts {
			for _, r := range stock[k] {
				states[r.doc].stock = append(states[r.doc].stock, r.nb)
			}
			stock[k] = nil
		}
		return keptAnchorPairs(all, states, jobs), nil
	}
	g := anchorGroups{maxDF: maxDF, toStock: func(r anchorRef) { states[r.doc].stock = append(states[r.doc].stock, r.nb) }}
	err := runs.merge(func(r anchorRef) {
		if r, ok := keep(r); ok {
			g.add(r)
		}
	})
	if err != nil {
		return nil, err
	}
	g.flush()
	return keptAnchorPairs(g.seeds, states, jobs), nil
}

// anchorGroups pairs up the anchors of each hash, handed to add sorted by hash and then
// document: the anchors of a hash in 2 to maxDF documents (and at most maxAnchorMembers of
// them) give a seed for each two of different documents; those of a hash in more documents
// are stock phrases, passed to toStock or, when it is nil, kept in stock.
type anchorGroups struct {
	maxDF   int
	toStock func(anchorRef)
	group   []anchorRef // the anchors of the hash being read
	seeds   []anchorSeed
	stock   []stockRef
}

// stockRef is a stock anchor of document doc at byte nb.
type stockRef struct{ doc, nb int32 }

func (g *anchorGroups) add(r anchorRef) {
	if len(g.group) > 0 && g.group[0].hash != r.hash {
		g.flush()
	}
	g.group = append(g.group, r)
}

// flush pairs up the group read so far; the caller calls it once more after the last add.
func (g *anchorGroups) flush() {
	group := g.group
	docs := 1
	for j := 1; j < len(group); j++ {
		if group[j].doc != group[j-1].doc {
			docs++
		}
	}
	if docs > g.maxDF {
		if g.toStock != nil {
			for _, r := range group {
				g.toStock(r)
			}
		} else {
			for _, r := range group {
				g.stock = append(g.stock, stockRef{r.doc, r.nb})
			}
		}
	}
	if docs >= 2 && docs <= g.maxDF && len(group) <= maxAnchorMembers {
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				if group[x].doc != group[y].doc {
					g.seeds = append(g.seeds, anchorSeed{group[x].doc, group[y].doc, group[x].nb, group[y].nb})
				}
			}
		}
	}
	g.group = group[:0]
}
