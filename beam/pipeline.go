package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/filter"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/family"
	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/slogan"
)

// config is what the workers need to know of the run. It travels inside the DoFns, which
// runners serialise as JSON, so it holds plain values only (match.Options holds functions).
type config struct {
	N                 int
	DocDistance       int
	PassageDistance   int
	MinSimilarity     float64
	PassageSimilarity float64
	MinPassage        int
	MaxDF             int
	Encoding          string
	MaxFileSize       int64
}

func defaultConfig() config {
	o := match.DefaultOptions()
	return config{
		N: o.N, DocDistance: o.DocDistance, PassageDistance: o.PassageDistance, MinSimilarity: o.MinSimilarity,
		PassageSimilarity: o.PassageSimilarity, MinPassage: o.MinPassage, MaxDF: o.MaxDF,
	}
}

func (c config) match() match.Options {
	return match.Options{
		N: c.N, DocDistance: c.DocDistance, PassageDistance: c.PassageDistance, MinSimilarity: c.MinSimilarity,
		PassageSimilarity: c.PassageSimilarity, MinPassage: c.MinPassage, MaxDF: c.MaxDF, Jobs: 1,
	}
}

func (c config) corpus() corpus.Options {
	return corpus.Options{Encoding: c.Encoding, MaxFileSize: c.MaxFileSize}
}

// The elements of the pipeline. Documents are named by their index in the listing, which is
// the input order that "A before B" and the sort orders of the result follow, as in scan.
type (
	source struct {
		Index int
		Path  string
		Size  int64
	}
	docText struct {
		Index    int
		Path     string
		Text     string
		Encoding string
		Anchors  int // how many anchors winnowing picked
		Stock    []int32
	}
	// anchorOcc is one occurrence of an anchor.
	anchorOcc struct {
		Doc int
		At  int32
	}
	anchorList struct {
		Seeds []match.AnchorSeed
	}
	// pairEvidence is a candidate pair as its first document's join sees it.
	pairEvidence struct {
		B       int
		Judge   bool // a candidate as documents, not through anchors alone
		Anchors []match.AnchorSeed
	}
	shortAgree struct {
		FA, FB int
	}
	skipped struct {
		Index        int
		Path, Reason string
	}
	docInfo struct {
		Index          int
		Doc            report.Document
		Fingerprint    uint64
		Features       int
		NormalisedSize int
	}
	// docBand is a document fingerprint under one table's key.
	docBand struct {
		Index int
		FP    uint64
		Table int
	}
	// shortDoc is a short document under one of its MinHash values.
	shortDoc struct {
		Index    int
		Features int
	}
	// member is one seed clause of one document, grouped by the hash of its text.
	member struct {
		Doc      int
		DocRunes int
		Clause   match.SeedClause
	}
	// clauseGroup is every document holding one clause text; First is its first occurrence.
	clauseGroup struct {
		Hash     uint64
		First    match.SeedClause
		Docs     []int // distinct, ascending
		DocRunes []int // normalised lengths of Docs
	}
	// clauseBand is a group's fingerprint under one table's key, for its near variants. It
	// is kept small, being emitted once per table: the texts join the close pairs later.
	clauseBand struct {
		Table int
		Hash  uint64
		FP    uint64
	}
	// groupText is what verifying a near variant needs of a group.
	groupText struct {
		Hash uint64
		FP   uint64
		Text string
		Docs []int
	}
	nearHalf struct {
		A groupText
	}
	// nearPair is two groups whose clauses are near variants.
	nearPair struct {
		HashA, HashB uint64
		DocsA, DocsB []int
	}
	halfPair struct {
		A  docText
		Ev pairEvidence
	}
	dupOut struct {
		A, B                       int
		Similarity                 float64
		Distance                   int
		ContainmentA, ContainmentB float64
		Aligned                    float64
		Relation                   string
		Folded                     bool
	}
	passOut struct {
		A, B             int
		AStart, AEnd     int
		BStart, BEnd     int
		Similarity       float64
		ALength, BLength int
		Excerpt          string
		Folded           bool
	}
)

func init() {
	register.DoFn3x1[source, func(docText), func(skipped), error](&readFn{})
	register.DoFn7x0[docText, func(docInfo), func(uint64, docBand), func(uint64, shortDoc), func(uint64, member), func(uint64, anchorOcc), func(int, docText)](&keysFn{})
	register.DoFn3x0[uint64, func(*shortDoc) bool, func(uint64, shortAgree)](&shortBucketFn{})
	register.Function3x0(shortCountFn)
	register.DoFn4x0[uint64, func(*anchorOcc) bool, func(int, int32), func(uint64, match.AnchorSeed)](&anchorGroupFn{})
	register.Function3x0(anchorPairFn)
	register.Function4x0(evidenceFn)
	register.Function4x0(withStock)
	register.DoFn3x0[uint64, func(*docBand) bool, func(uint64)](&docBucketFn{})
	register.Function3x0(groupFn)
	register.DoFn4x0[uint64, clauseGroup, func(uint64, clauseBand), func(uint64, groupText)](&clauseBandFn{})
	register.DoFn3x0[uint64, func(*clauseBand) bool, func(uint64, uint64)](&clauseBucketFn{})
	register.Function4x0(attachGroupA)
	register.DoFn5x0[uint64, func(*groupText) bool, func(*nearHalf) bool, func(nearPair), func(uint64, int)](&nearFn{})
	register.DoFn6x0[uint64, func(*clauseGroup) bool, func(*int) bool, func(uint64), func(report.Capped), func(uint64)](&capFn{})
	register.DoFn3x0[nearPair, []uint64, func(uint64)](&nearCandidatesFn{})
	register.Function4x0(attachA)
	register.Function1x2(judgeKey)
	register.DoFn6x0[int, func(*docText) bool, func(*halfPair) bool, []uint64, func(dupOut), func(passOut)](&verifyFn{})
	register.Emitter2[uint64, bool]()
	register.DoFn8x1[context.Context, int, func(*int) bool, func(*docInfo) bool, func(*skipped) bool, func(*dupOut) bool, func(*passOut) bool, func(*report.Capped) bool, error](&writeFn{})

	register.Emitter1[docText]()
	register.Emitter1[skipped]()
	register.Emitter1[docInfo]()
	register.Emitter2[uint64, docBand]()
	register.Emitter2[uint64, member]()
	register.Emitter2[uint64, shortDoc]()
	register.Emitter2[uint64, shortAgree]()
	register.Emitter2[uint64, anchorOcc]()
	register.Emitter2[int, int32]()
	register.Emitter2[uint64, match.AnchorSeed]()
	register.Emitter2[uint64, anchorList]()
	register.Emitter2[int, pairEvidence]()
	register.Emitter2[int, docText]()
	register.Emitter1[uint64]()
	register.Emitter2[uint64, clauseGroup]()
	register.Emitter2[uint64, clauseBand]()
	register.Emitter2[uint64, groupText]()
	register.Emitter2[uint64, uint64]()
	register.Emitter2[uint64, nearHalf]()
	register.Emitter1[nearPair]()
	register.Emitter2[uint64, int]()
	register.Emitter1[report.Capped]()
	register.Emitter2[int, halfPair]()
	register.Emitter1[dupOut]()
	register.Emitter1[passOut]()
	register.Iter1[docBand]()
	register.Iter1[member]()
	register.Iter1[shortDoc]()
	register.Iter1[shortAgree]()
	register.Iter1[anchorOcc]()
	register.Iter1[int32]()
	register.Iter1[match.AnchorSeed]()
	register.Iter1[anchorList]()
	register.Iter1[pairEvidence]()
	register.Iter1[bool]()
	register.Iter1[clauseBand]()
	register.Iter1[groupText]()
	register.Iter1[nearHalf]()
	register.Iter1[uint64]()
	register.Iter1[clauseGroup]()
	register.Iter1[int]()
	register.Iter1[docText]()
	register.Iter1[halfPair]()
	register.Iter1[docInfo]()
	register.Iter1[skipped]()
	register.Iter1[dupOut]()
	register.Iter1[passOut]()
	register.Iter1[report.Capped]()
}

// buildPipeline adds the whole scan to s: srcs are the files to read, in input order,
// listed skips what the listing left out, and the result is written as neardup/1 JSON to
// output.
func buildPipeline(s beam.Scope, cfg config, srcs []corpus.Source, listed []corpus.Skip, output string) {
	sources := make([]source, len(srcs))
	for i, src := range srcs {
		sources[i] = source{Index: i, Path: src.Path, Size: src.Size}
	}
	// An empty listing still writes a result: CreateList needs one element to infer its type.
	var srcCol beam.PCollection
	if len(sources) == 0 {
		srcCol = beam.CreateList(s, []source{{Index: -1}})
	} else {
		srcCol = beam.CreateList(s, sources)
	}

	docs, skips := beam.ParDo2(s.Scope("Read"), &readFn{Cfg: cfg}, srcCol)
	infos, docBands, shortDocs, members, anchors, docsRead := beam.ParDo6(s.Scope("Fingerprint"), &keysFn{Cfg: cfg}, docs)

	// Document candidates: fingerprints within DocDistance, grouped by band key.
	docPairs := beam.ParDo(s.Scope("DocumentPairs"), &docBucketFn{Cfg: cfg}, beam.GroupByKey(s, docBands))
	// Short documents: also those agreeing on a MinHash value.
	agreements := beam.ParDo(s.Scope("ShortPairs"), &shortBucketFn{Cfg: cfg}, beam.GroupByKey(s, shortDocs))
	shortPairs := beam.ParDo(s, shortCountFn, beam.GroupByKey(s, agreements))
	// Anchors: winnowed k-grams shared by few documents pair them up; those in more than
	// MaxDF documents are stock, which the passage search needs to know per document.
	stock, anchorSeeds := beam.ParDo2(s.Scope("Anchors"), &anchorGroupFn{Cfg: cfg}, beam.GroupByKey(s, anchors))
	anchorPairs := beam.ParDo(s, anchorPairFn, beam.GroupByKey(s, anchorSeeds))
	docsByIndex := beam.ParDo(s, withStock, beam.CoGroupByKey(s, docsRead, stock))

	// Clause candidates: equal clause texts, and groups of near variants (fingerprints
	// within PassageDistance, grouped by band key, verified on the text); a clause in more
	// than MaxDF documents, its variants' documents counted in, is capped.
	groups := beam.ParDo(s.Scope("ClauseGroups"), groupFn, beam.GroupByKey(s, members))
	clauseBands, texts := beam.ParDo2(s.Scope("ClauseBands"), &clauseBandFn{Cfg: cfg}, groups)
	closeClauses := beam.ParDo(s.Scope("CloseClauses"), &clauseBucketFn{Cfg: cfg}, beam.GroupByKey(s, clauseBands))
	nearHalves := beam.ParDo(s, attachGroupA, beam.CoGroupByKey(s, texts, closeClauses))
	nears, neighbourDocs := beam.ParDo2(s.Scope("NearVariants"), &nearFn{Cfg: cfg}, beam.CoGroupByKey(s, texts, nearHalves))
	neighbours := stats.SumPerKey(s, neighbourDocs)
	capped, cappedList, groupPairs := beam.ParDo3(s.Scope("Cap"), &capFn{Cfg: cfg}, beam.CoGroupByKey(s, groups, neighbours))
	nearPairs := beam.ParDo(s.Scope("NearPairs"), &nearCandidatesFn{}, nears, beam.SideInput{Input: capped})

	// Verification: each candidate pair meets the texts of both its documents.
	pairs := filter.Distinct(s, beam.Flatten(s, docPairs, shortPairs, groupPairs, nearPairs))
	byA := beam.ParDo(s, evidenceFn, beam.CoGroupByKey(s, beam.ParDo(s, judgeKey, pairs), anchorPairs))
	halves := beam.ParDo(s, attachA, beam.CoGroupByKey(s, docsByIndex, byA))
	dups, passages := beam.ParDo2(s.Scope("Verify"), &verifyFn{Cfg: cfg},
		beam.CoGroupByKey(s, docsByIndex, halves), beam.SideInput{Input: capped})

	// One worker writes the result; a marker makes sure it runs when everything is empty.
	marker := beam.AddFixedKey(s, beam.CreateList(s, []int{0}))
	beam.ParDo0(s.Scope("Write"), &writeFn{Cfg: cfg, Output: output, Listed: listed},
		beam.CoGroupByKey(s, marker,
			beam.AddFixedKey(s, infos), beam.AddFixedKey(s, skips), beam.AddFixedKey(s, dups),
			beam.AddFixedKey(s, passages), beam.AddFixedKey(s, cappedList)))
}

type readFn struct{ Cfg config }

func (f *readFn) ProcessElement(src source, emit func(docText), skip func(skipped)) error {
	if src.Index < 0 {
		return nil
	}
	d, sk, err := corpus.Read(corpus.Source{Path: src.Path, Size: src.Size}, nil, f.Cfg.corpus())
	switch {
	case err != nil:
		return err
	case sk != nil:
		skip(skipped{Index: src.Index, Path: sk.Path, Reason: sk.Reason})
	default:
		emit(docText{Index: src.Index, Path: d.Path, Text: d.Text, Encoding: d.Encoding})
	}
	return nil
}

type keysFn struct{ Cfg config }

func (f *keysFn) ProcessElement(d docText, info func(docInfo), band func(uint64, docBand), short func(uint64, shortDoc), clause func(uint64, member), anchor func(uint64, anchorOcc), doc func(int, docText)) {
	k := match.Keys(d.Text, f.Cfg.match())
	rd := report.Document{Path: d.Path, Chars: utf8.RuneCountInString(d.Text), Fingerprint: fmt.Sprintf("%016x", k.FP), Encoding: d.Encoding}
	if t, rule, ok := dates.Of(d.Path, d.Text, nil); ok {
		rd.Date, rd.DateRule = t.Format(dates.Layout), string(rule)
	}
	info(docInfo{Index: d.Index, Doc: rd, Fingerprint: k.FP, Features: k.Features, NormalisedSize: k.Runes})
	// Find indexes only documents with enough n-grams for a meaningful fingerprint.
	if k.Features >= simhash.MinFeatures {
		bd := newBands(f.Cfg.DocDistance)
		for t := range bd.tables {
			band(bd.key(k.FP, t), docBand{Index: d.Index, FP: k.FP, Table: t})
		}
	}
	for i, v := range k.MinHash {
		if v == ^uint32(0) {
			continue // an empty bucket matches nothing
		}
		short(uint64(i)<<32|uint64(v), shortDoc{Index: d.Index, Features: k.Features})
	}
	for _, c := range k.Seeds {
		clause(c.Hash, member{Doc: d.Index, DocRunes: k.Runes, Clause: c})
	}
	for _, a := range k.Anchors {
		anchor(a.Hash, anchorOcc{Doc: d.Index, At: a.At})
	}
	d.Anchors = len(k.Anchors)
	doc(d.Index, d)
}

type docBucketFn struct{ Cfg config }

func (f *docBucketFn) ProcessElement(_ uint64, iter func(*docBand) bool, emit func(uint64)) {
	var in []docBand
	var b docBand
	for iter(&b) {
		in = append(in, b)
	}
	closePairs(newBands(f.Cfg.DocDistance), len(in), func(i int) (uint64, int) { return in[i].FP, in[i].Table },
		func(i, j int) {
			if in[i].Index != in[j].Index {
				emit(pairKey(in[i].Index, in[j].Index))
			}
		})
}

// closePairs calls pair with every two of the n members of one band group whose
// fingerprints are within the bands' distance, each pair in its first table only. A group
// may hold members of several tables, whose keys collided: they are paired within their
// table, through a simhash.Index of the group.
func closePairs(bd bands, n int, member func(i int) (fp uint64, table int), pair func(i, j int)) {
	byTable := map[int][]int32{}
	for i := range n {
		_, t := member(i)
		byTable[t] = append(byTable[t], int32(i))
	}
	tables := make([]int, 0, len(byTable))
	for t := range byTable {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		ids := byTable[t]
		if len(ids) < 2 {
			continue
		}
		index := simhash.NewIndex(bd.k)
		for _, id := range ids {
			fp, _ := member(int(id))
			index.Add(fp, id)
		}
		index.Pairs(func(a, b int32, _ int) {
			fa, _ := member(int(a))
			fb, _ := member(int(b))
			if bd.first(fa, fb, t) {
				pair(int(a), int(b))
			}
		})
	}
}

type shortBucketFn struct{ Cfg config }

func (f *shortBucketFn) ProcessElement(_ uint64, iter func(*shortDoc) bool, emit func(uint64, shortAgree)) {
	var in []shortDoc
	var d shortDoc
	for iter(&d) {
		in = append(in, d)
		if len(in) > match.MinHashBucketLimit {
			return // a stock phrase's n-gram, shared by many short items: no evidence
		}
	}
	opt := f.Cfg.match()
	for i := range in {
		for j := i + 1; j < len(in); j++ {
			if match.ShortPair(in[i].Features, in[j].Features, opt) {
				emit(pairKey(in[i].Index, in[j].Index), shortAgree{in[i].Features, in[j].Features})
			}
		}
	}
}

// shortCountFn keeps the short pairs that agree on enough MinHash buckets.
func shortCountFn(pair uint64, iter func(*shortAgree) bool, emit func(uint64)) {
	var a shortAgree
	n := 0
	for iter(&a) {
		n++
	}
	if match.ShortAgreements(a.FA, a.FB, n) {
		emit(pair)
	}
}

type anchorGroupFn struct{ Cfg config }

func (f *anchorGroupFn) ProcessElement(_ uint64, iter func(*anchorOcc) bool, stock func(int, int32), seed func(uint64, match.AnchorSeed)) {
	var in []anchorOcc
	var o anchorOcc
	for iter(&o) {
		in = append(in, o)
	}
	slices.SortFunc(in, func(x, y anchorOcc) int { return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.At, y.At)) })
	docs := 1
	for i := 1; i < len(in); i++ {
		if in[i].Doc != in[i-1].Doc {
			docs++
		}
	}
	if docs > f.Cfg.MaxDF {
		for _, o := range in {
			stock(o.Doc, o.At)
		}
	}
	if docs >= 2 && docs <= f.Cfg.MaxDF && len(in) <= match.MaxAnchorMembers {
		for x := range in {
			for y := x + 1; y < len(in); y++ {
				if in[x].Doc != in[y].Doc {
					seed(pairKey(in[x].Doc, in[y].Doc), match.AnchorSeed{A: in[x].At, B: in[y].At})
				}
			}
		}
	}
}

func anchorPairFn(pair uint64, iter func(*match.AnchorSeed) bool, emit func(uint64, anchorList)) {
	var seeds []match.AnchorSeed
	var a match.AnchorSeed
	for iter(&a) {
		seeds = append(seeds, a)
	}
	slices.SortFunc(seeds, func(x, y match.AnchorSeed) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	if match.AnchorPair(seeds) {
		emit(pair, anchorList{Seeds: seeds})
	}
}

func judgeKey(p uint64) (uint64, bool) { return p, true }

// evidenceFn joins a candidate pair's sources: judged as documents, anchors shared, or both.
func evidenceFn(pair uint64, judged func(*bool) bool, anchors func(*anchorList) bool, emit func(int, pairEvidence)) {
	var j bool
	ev := pairEvidence{Judge: judged(&j)}
	var l anchorList
	if anchors(&l) {
		ev.Anchors = l.Seeds
	}
	a, b := splitPair(pair)
	ev.B = b
	emit(a, ev)
}

func withStock(i int, docs func(*docText) bool, stock func(*int32) bool, emit func(int, docText)) {
	var d docText
	if !docs(&d) {
		return
	}
	var at int32
	for stock(&at) {
		d.Stock = append(d.Stock, at)
	}
	emit(i, d)
}

func groupFn(hash uint64, iter func(*member) bool, emit func(uint64, clauseGroup)) {
	var ms []member
	var m member
	for iter(&m) {
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(x, y member) int {
		return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Clause.Index, y.Clause.Index))
	})
	g := clauseGroup{Hash: hash, First: ms[0].Clause}
	for i, m := range ms {
		if i == 0 || m.Doc != ms[i-1].Doc {
			g.Docs = append(g.Docs, m.Doc)
			g.DocRunes = append(g.DocRunes, m.DocRunes)
		}
	}
	emit(hash, g)
}

type clauseBandFn struct{ Cfg config }

func (f *clauseBandFn) ProcessElement(hash uint64, g clauseGroup, emit func(uint64, clauseBand), text func(uint64, groupText)) {
	// As in Find: a group capped by its own documents has no variants looked for.
	if len(g.Docs) > f.Cfg.MaxDF || !g.First.Near {
		return
	}
	bd := newBands(f.Cfg.PassageDistance)
	for t := range bd.tables {
		emit(bd.key(g.First.FP, t), clauseBand{Table: t, Hash: hash, FP: g.First.FP})
	}
	text(hash, groupText{Hash: hash, FP: g.First.FP, Text: g.First.Text, Docs: g.Docs})
}

// clauseBucketFn pairs the groups of one band whose fingerprints are close, each pair from
// its first table only, as hashA -> hashB.
type clauseBucketFn struct{ Cfg config }

func (f *clauseBucketFn) ProcessElement(_ uint64, iter func(*clauseBand) bool, emit func(uint64, uint64)) {
	var in []clauseBand
	var b clauseBand
	for iter(&b) {
		in = append(in, b)
	}
	closePairs(newBands(f.Cfg.PassageDistance), len(in), func(i int) (uint64, int) { return in[i].FP, in[i].Table },
		func(i, j int) {
			if x, y := in[i], in[j]; x.Hash < y.Hash {
				emit(x.Hash, y.Hash)
			} else if x.Hash > y.Hash {
				emit(y.Hash, x.Hash)
			}
		})
}

func attachGroupA(_ uint64, texts func(*groupText) bool, partners func(*uint64) bool, emit func(uint64, nearHalf)) {
	var g groupText
	if !texts(&g) {
		return
	}
	var b uint64
	for partners(&b) {
		emit(b, nearHalf{A: g})
	}
}

// nearFn verifies close clause pairs on the text: a near variant pair adds candidates and
// counts towards both groups' documents.
type nearFn struct{ Cfg config }

func (f *nearFn) ProcessElement(_ uint64, texts func(*groupText) bool, halves func(*nearHalf) bool, near func(nearPair), neighbour func(uint64, int)) {
	var y groupText
	if !texts(&y) {
		return
	}
	opt := f.Cfg.match()
	cy := match.SeedClause{Hash: y.Hash, FP: y.FP, Near: true, Text: y.Text}
	var h nearHalf
	for halves(&h) {
		x := h.A
		if !match.NearVariants(match.SeedClause{Hash: x.Hash, FP: x.FP, Near: true, Text: x.Text}, cy, opt) {
			continue
		}
		near(nearPair{HashA: x.Hash, HashB: y.Hash, DocsA: x.Docs, DocsB: y.Docs})
		neighbour(x.Hash, len(y.Docs))
		neighbour(y.Hash, len(x.Docs))
	}
}

type capFn struct{ Cfg config }

func (f *capFn) ProcessElement(hash uint64, groups func(*clauseGroup) bool, neighbours func(*int) bool, capped func(uint64), listed func(report.Capped), pair func(uint64)) {
	var g clauseGroup
	if !groups(&g) {
		return
	}
	n, extra := 0, 0
	for neighbours(&extra) {
		n += extra
	}
	docs := g.Docs
	if len(g.Docs) > f.Cfg.MaxDF || len(g.Docs)+n > f.Cfg.MaxDF {
		capped(hash)
		listed(report.Capped{Text: g.First.Quote, Documents: len(g.Docs) + n})
		docs = match.CappedCandidates(g.Docs, g.DocRunes, g.First.Runes, f.Cfg.match())
	}
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			pair(pairKey(docs[i], docs[j]))
		}
	}
}

// nearCandidatesFn pairs the documents of two near variant groups, unless either is capped.
type nearCandidatesFn struct {
	capped map[uint64]bool // built from the side input, which is the same for every element
}

func (f *nearCandidatesFn) ProcessElement(p nearPair, capped []uint64, emit func(uint64)) {
	if f.capped == nil {
		f.capped = setOf(capped)
	}
	if f.capped[p.HashA] || f.capped[p.HashB] {
		return
	}
	for _, a := range p.DocsA {
		for _, b := range p.DocsB {
			if a != b {
				emit(pairKey(a, b))
			}
		}
	}
}

func setOf(hashes []uint64) map[uint64]bool {
	m := make(map[uint64]bool, len(hashes))
	for _, h := range hashes {
		m[h] = true
	}
	return m
}

// pairKey names a document pair, lower index first.
func pairKey(a, b int) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(b)
}

func splitPair(p uint64) (int, int) { return int(p >> 32), int(p & (1<<32 - 1)) }

func attachA(a int, docs func(*docText) bool, partners func(*pairEvidence) bool, emit func(int, halfPair)) {
	var d docText
	if !docs(&d) {
		return
	}
	var ev pairEvidence
	for partners(&ev) {
		emit(ev.B, halfPair{A: d, Ev: ev})
	}
}

type verifyFn struct {
	Cfg    config
	capped map[uint64]bool
}

func (f *verifyFn) ProcessElement(_ int, docs func(*docText) bool, halves func(*halfPair) bool, capped []uint64, dup func(dupOut), passage func(passOut)) {
	var b docText
	if !docs(&b) {
		return
	}
	if f.capped == nil {
		f.capped = setOf(capped)
	}
	isCapped := func(h uint64) bool { return f.capped[h] }
	opt := f.Cfg.match()
	docB := &corpus.Document{Path: b.Path, Text: b.Text, Encoding: b.Encoding}
	var h halfPair
	for halves(&h) {
		docA := &corpus.Document{Path: h.A.Path, Text: h.A.Text, Encoding: h.A.Encoding}
		ev := match.Evidence{
			Capped: isCapped, Anchors: h.Ev.Anchors, StockA: h.A.Stock, StockB: b.Stock,
			PassagesOnly: !h.Ev.Judge && match.FewAnchors(len(h.Ev.Anchors), h.A.Anchors, b.Anchors),
		}
		d, ps := match.VerifyPair(docA, docB, ev, opt)
		if d != nil {
			dup(dupOut{
				A: h.A.Index, B: b.Index, Similarity: d.Similarity, Distance: d.Distance,
				ContainmentA: d.ContainmentA, ContainmentB: d.ContainmentB, Aligned: d.Aligned,
				Relation: string(d.Relation), Folded: d.Folded,
			})
		}
		for _, p := range ps {
			passage(passOut{
				A: h.A.Index, B: b.Index, AStart: p.AStart, AEnd: p.AEnd, BStart: p.BStart, BEnd: p.BEnd,
				Similarity: p.Similarity, ALength: p.ALength, BLength: p.BLength,
				Excerpt: docA.Slice(p.AStart, min(p.AEnd, p.AStart+80)), Folded: p.Folded,
			})
		}
	}
}

type writeFn struct {
	Cfg    config
	Output string
	Listed []corpus.Skip
}

func (f *writeFn) ProcessElement(ctx context.Context, _ int, _ func(*int) bool, infos func(*docInfo) bool, skips func(*skipped) bool,
	dups func(*dupOut) bool, passages func(*passOut) bool, capped func(*report.Capped) bool) error {
	res := collect(f.Cfg, f.Listed, infos, skips, dups, passages, capped)
	return writeResult(ctx, f.Output, res)
}

// collect sorts what the workers found into the result scan.Run would return.
func collect(cfg config, listed []corpus.Skip, infos func(*docInfo) bool, skips func(*skipped) bool,
	dups func(*dupOut) bool, passages func(*passOut) bool, capped func(*report.Capped) bool) *report.Result {
	var ds []docInfo
	var d docInfo
	for infos(&d) {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(x, y docInfo) int { return cmp.Compare(x.Index, y.Index) })
	var sks []skipped
	var sk skipped
	for skips(&sk) {
		sks = append(sks, sk)
	}
	slices.SortFunc(sks, func(x, y skipped) int { return cmp.Compare(x.Index, y.Index) })
	var dd []dupOut
	var du dupOut
	for dups(&du) {
		dd = append(dd, du)
	}
	var pp []passOut
	var po passOut
	for passages(&po) {
		pp = append(pp, po)
	}
	var cc []report.Capped
	var c report.Capped
	for capped(&c) {
		cc = append(cc, c)
	}

	// The sort orders of match.Find, on unrounded similarities and document indices.
	slices.SortFunc(dd, func(x, y dupOut) int {
		return cmp.Or(cmp.Compare(y.Similarity, x.Similarity), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	slices.SortFunc(pp, func(x, y passOut) int {
		return cmp.Or(cmp.Compare(max(y.ALength, y.BLength), max(x.ALength, x.BLength)),
			cmp.Compare(y.Similarity, x.Similarity),
			cmp.Compare(x.A, y.A), cmp.Compare(x.AStart, y.AStart), cmp.Compare(x.B, y.B), cmp.Compare(x.BStart, y.BStart))
	})
	slices.SortFunc(cc, func(x, y report.Capped) int {
		return cmp.Or(cmp.Compare(y.Documents, x.Documents), cmp.Compare(x.Text, y.Text))
	})

	path := make(map[int]string, len(ds))
	res := &report.Result{Schema: report.Schema}
	o := cfg.match()
	res.Settings = report.Settings{
		NGram: o.N, DocDistance: o.DocDistance, PassageDistance: o.PassageDistance,
		MinSimilarity: o.MinSimilarity, MinPassage: o.MinPassage, MaxDF: o.MaxDF, MinDocs: slogan.DefaultMinDocs,
	}
	pos := make(map[int]int, len(ds)) // listing index -> position among the documents read
	for i, d := range ds {
		path[d.Index] = d.Doc.Path
		pos[d.Index] = i
		res.Documents = append(res.Documents, d.Doc)
	}
	for _, d := range dd {
		res.Duplicates = append(res.Duplicates, report.Duplicate{
			A: path[d.A], B: path[d.B], Similarity: report.Round3(d.Similarity), Distance: d.Distance,
			ContainmentA: report.Round3(d.ContainmentA), ContainmentB: report.Round3(d.ContainmentB),
			Relation: d.Relation, Aligned: report.Round3(d.Aligned), Folded: d.Folded,
		})
	}
	for _, p := range pp {
		res.Passages = append(res.Passages, report.Passage{
			A: path[p.A], AStart: p.AStart, AEnd: p.AEnd, B: path[p.B], BStart: p.BStart, BEnd: p.BEnd,
			Similarity: report.Round3(p.Similarity), Excerpt: p.Excerpt, Folded: p.Folded,
		})
	}
	res.Families = families(res.Documents, dd, pos)
	res.Capped = cc
	res.Skipped = append(res.Skipped, listed...)
	for _, s := range sks {
		res.Skipped = append(res.Skipped, corpus.Skip{Path: s.Path, Reason: s.Reason})
	}
	return res
}

// writeResult writes the JSON atomically to a local path, or through Beam's file systems
// to a path with a scheme (gs://...), where a worker of a remote runner can write.
func writeResult(ctx context.Context, output string, res *report.Result) error {
	if !strings.Contains(output, "://") {
		if err := atomicfile.Write(output, 0o644, func(w io.Writer) error { return report.WriteJSON(w, res) }); err != nil {
			return fmt.Errorf("writing %s: %w", output, err)
		}
		return nil
	}
	fs, err := filesystem.New(ctx, output)
	if err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	defer fs.Close()
	w, err := fs.OpenWrite(ctx, output)
	if err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	if err := report.WriteJSON(w, res); err != nil {
		w.Close()
		return fmt.Errorf("writing %s: %w", output, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	return nil
}

// families groups the duplicates into repost families (package family) as scan does with
// AllPairs: every pair is listed, and no identical group is collapsed.
func families(docs []report.Document, dups []dupOut, pos map[int]int) []report.Family {
	in := family.Input{Dates: make([]time.Time, len(docs)), Chars: make([]int, len(docs))}
	for i, d := range docs {
		in.Chars[i] = d.Chars
		if d.Date != "" {
			in.Dates[i], _ = time.Parse(dates.Layout, d.Date) // written in that layout by keysFn
		}
	}
	for _, d := range dups {
		if d.Relation != string(match.NearCopy) {
			continue // a story inside a longer page is not a repost of it
		}
		in.Pairs = append(in.Pairs, family.Pair{A: pos[d.A], B: pos[d.B], Similarity: d.Similarity})
	}
	var out []report.Family
	for _, f := range family.Group(len(docs), in) {
		rf := report.Family{Source: docs[f.Source].Path, SourceRule: string(f.Rule), Size: len(f.Members), PairsListed: true}
		for _, m := range f.Members {
			d := docs[m.Doc]
			rf.Members = append(rf.Members, report.FamilyMember{Path: d.Path, Similarity: report.Round3(m.Similarity), Date: d.Date, Chars: d.Chars})
		}
		out = append(out, rf)
	}
	return out
}
