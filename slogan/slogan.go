// Package slogan finds recurring phrases: clause-sized pieces of text, or runs of consecutive
// pieces, that occur verbatim or with a small variation in several documents of a corpus.
//
// It is not a word or term counter: a slogan is always made of whole pieces (clauses, cut
// further at quotation marks and brackets), never a cut in the middle of one. Call Find with
// the loaded documents, or FindTexts with an accessor that reads each text when asked (the
// miner keeps none); the Result lists the slogans ranked for output and, per document, the
// spans they cover so that duplicate and passage matching can leave them out.
//
// How it works, in five steps:
//
//  1. Pieces. Each document is cut into clauses (text.Clauses), each clause again at quotation
//     marks and brackets, so that a quoted phrase (“平安浙江”) is a piece of its own. A
//     preposition or particle that such a cut leaves on the edge of the piece outside the
//     quotes (国家主席习近平在《…》) is left off it (see trimDangling). Pieces
//     are compared on their normalised text (text.Normalize), which already hides
//     differences of punctuation, width, case and spacing.
//  2. Classes. Pieces with equal normalised text form a class; classes whose texts are one
//     edit apart (a character changed, added or dropped; pieces of VariantMinChars or more)
//     are merged. Candidate pairs come from deletion-neighbourhood keys and every pair is
//     checked on the text before it is merged.
//  3. Maximal runs. A run of consecutive pieces is frequent when its sequence of classes
//     occurs in MinDocs or more distinct documents. Runs are grown one piece at a time
//     (a run of k+1 pieces can only be frequent if both of its k-piece runs are), which
//     yields, for every position, the longest frequent run starting there; runs that are not
//     part of a longer frequent run at some position are the candidates.
//  4. Bare occurrences. A set phrase quoted or standing as a clause in one article is often
//     written inside a longer clause in another (坚持人民公安为人民的宗旨). Every piece text of
//     MinChars runes or more (MinQuotedChars if quoted) is searched for inside the pieces of
//     every document, and a class with such bare occurrences becomes a one-piece candidate
//     whatever its own document frequency.
//  5. Claiming. Candidates, longest first, claim their occurrences (whole pieces, or bare
//     spans inside one) that no longer slogan has taken. A candidate becomes a slogan when its
//     own occurrences span MinDocs documents, at least one of them stands on its own, and it
//     is long enough. So a long phrase is one slogan, a phrase bare inside it belongs to it,
//     and a fragment is reported separately only where it also occurs on its own.
package slogan

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// Defaults, chosen on the seed articles and on 10,300 CCTV news stories (see README).
const (
	// DefaultMinDocs is the document frequency a phrase needs. Two documents share a clause by
	// chance often enough in a corpus of hundreds; three independent ones rarely do, unless the
	// phrase is stock. A handful of documents needs --min-docs 2.
	DefaultMinDocs = 3
	// DefaultMinChars is the shortest slogan in normalised runes. Below six, clauses are mostly
	// connectives and bylines (会议强调, 同时, 记者 …).
	DefaultMinChars = 6
	// DefaultMinQuotedChars is the shortest slogan that is a single quoted piece: a writer who
	// puts “枫桥经验” or “两个维护” in quotes marks it as a set phrase.
	DefaultMinQuotedChars = 4
	// DefaultVariantMinChars is the shortest piece that may match another with one edit: in
	// shorter pieces one character is a different word (第一种 / 第二种).
	DefaultVariantMinChars = 8
)

// Options tunes Find. Zero fields take the defaults above.
type Options struct {
	MinDocs         int      // distinct documents a phrase must occur in
	MinChars        int      // shortest slogan, in normalised runes
	MinQuotedChars  int      // shortest slogan that is one quoted piece
	VariantMinChars int      // shortest piece that may differ from its class by one edit
	Ignore          []string // phrases to leave out, matched after normalisation
	// Family, when set, gives per document the index of a representative of its family of
	// near-duplicates (reposts of one article): a phrase must recur in MinDocs families, so
	// the text of one article reposted five times is not taken for five-fold slogans.
	// Documents still counts distinct documents.
	Family []int
	// Dates, when set, gives per document its date (the zero Time: undated), for each
	// slogan's first and last sighting and its count per month.
	Dates []time.Time
	Jobs  int // worker goroutines; the result does not depend on it
}

func (o *Options) fill() {
	if o.MinDocs <= 0 {
		o.MinDocs = DefaultMinDocs
	}
	if o.MinChars <= 0 {
		o.MinChars = DefaultMinChars
	}
	if o.MinQuotedChars <= 0 {
		o.MinQuotedChars = DefaultMinQuotedChars
	}
	if o.MinQuotedChars > o.MinChars {
		o.MinQuotedChars = o.MinChars
	}
	if o.VariantMinChars <= 0 {
		o.VariantMinChars = DefaultVariantMinChars
	}
	if o.Jobs <= 0 {
		o.Jobs = 1
	}
}

// Result is what Find found.
type Result struct {
	// Slogans ranked by kind (slogans first, then templates, names, phrases, boilerplate),
	// then documents (descending), then length of the text (descending), then text.
	Slogans []Slogan
	// Excluded holds, per document index, the spans of the original text (code points, sorted,
	// not overlapping) that belong to a slogan occurrence or an ignored phrase.
	Excluded [][]text.Span
}

// Slogan is a phrase that recurs across documents, with every document holding it.
type Slogan struct {
	Text        string // the most frequent spelling; for a template, its frame with … for the filler
	Kind        string // KindSlogan, KindTemplate, KindName, KindPhrase or KindBoilerplate
	Documents   int    // documents holding it, whatever longer phrase it stands in
	Occurrences int
	Variants    []Variant  // spellings (a character, punctuation or width apart), most frequent first
	Fillers     []Variant  // for a template: what fills its frame, most frequent first
	Forms       []Form     // longer phrases made of it and a few joining words (推进中国式现代化)
	Locations   []Location // every occurrence, in document order
	FirstSeen   time.Time  // earliest date of a document holding it (zero: no dated document)
	LastSeen    time.Time
	ByMonth     []Month // dated documents holding it, per month, in order
	docs        []int   // documents holding it, in order
}

// Variant is one spelling of a slogan, or one filler of a template, and how often it occurs.
type Variant struct {
	Text  string
	Count int
}

// Form is a longer phrase made of a slogan and a few joining words, with its own counts.
type Form struct {
	Text        string
	Documents   int
	Occurrences int
}

// Location is one occurrence: a document (its index in Find's docs or FindTexts's texts, and
// its path, which FindTexts leaves to SetPaths) and the original code points.
type Location struct {
	Doc        int
	Path       string
	Start, End int
}

// Month is the number of dated documents of one month ("2024-03") that hold a slogan.
type Month struct {
	Month     string
	Documents int
}

// finder holds what assembling the result needs: the piece miner and the token stream with
// its sorted suffixes.
type finder struct {
	m         *miner
	ts        *tokenStream
	sa        *suffixArray
	spellings spellings // the texts of the items' occurrences
}

// Texts gives the miner the text of each document, by index. Text may be called more than
// once for a document (the miner reads the texts in two passes, each in increasing index, on
// the goroutine that called it) and must return the same text each time; the miner keeps nothing
// of a text beyond the pass that read it, so an implementation may read and decode a file on
// every call. An error from Text ends the mining and is returned as it is.
type Texts interface {
	Len() int
	Text(i int) (string, error)
}

// documents gives the texts of loaded documents.
type documents []*corpus.Document

func (d documents) Len() int                   { return len(d) }
func (d documents) Text(i int) (string, error) { return d[i].Text, nil }

// Find mines the slogans of docs: FindTexts on their texts, with each Location's Path set.
func Find(docs []*corpus.Document, opt Options) *Result {
	res, _ := FindTexts(documents(docs), opt) // loaded documents give no errors
	res.SetPaths(func(d int) string { return docs[d].Path })
	return res
}

// SetPaths sets the Path of every Location from its document's index: FindTexts, which knows
// the documents only as texts, leaves paths empty.
func (r *Result) SetPaths(path func(doc int) string) {
	for i := range r.Slogans {
		for k := range r.Slogans[i].Locations {
			l := &r.Slogans[i].Locations[k]
			l.Path = path(l.Doc)
		}
	}
}

// FindTexts mines the slogans of the documents whose texts are given; documents are told
// apart by index. Each text is asked for once to cut it, and once more, in a second pass in
// index order, if it holds an occurrence to place in the original text. Locations are
// returned without paths (see SetPaths).
//
// Documents whose texts are byte-identical are mined once, through the first of them, and
// count as one family (with Family set, the first one's): a text copied verbatim is one text,
// however many files hold it, so 10,000 copies of one story cost one story and hold no
// slogan. Texts are told identical by their SHA-256 digests, since they are not kept to be
// compared: two different texts would have to collide on 256 bits to be taken for copies.
// What is reported still counts every copy: each occurrence in the first stands for
// one in each copy (Locations, Documents, Occurrences, the counts of Variants, Fillers and
// Forms, the timeline and Excluded), and whatever weighs occurrences (a phrase's edges, its
// kind, its most frequent spelling) weighs them with their copies. The result is that of
// mining every copy with Family putting identical documents in one family, except that two
// spellings of a piece with equal counts may be ranked the other way. With MinDocs 1, where a
// text recurs in one family, nothing is collapsed.
func FindTexts(texts Texts, opt Options) (*Result, error) {
	opt.fill()
	return find(texts, opt, opt.MinDocs >= 2)
}

// mineBatch is how many documents are cut at a time; a variable so that a test can make a
// token stream of many chunks of a small corpus.
var mineBatch = 256

// find mines texts, collapsing identical ones when asked to.
func find(texts Texts, opt Options, collapse bool) (*Result, error) {
	ignore := normalizeIgnore(opt.Ignore)
	n := texts.Len()
	pieces := newPieceTable(n)
	ts := newTokenStream(n)
	// Loaded documents are held by the caller anyway: the texts of the classes, the token
	// stream and the sorted suffixes are spilled only when the texts are read as asked for.
	var dir *spillDir
	if _, loaded := texts.(documents); !loaded {
		dir = &spillDir{}
		defer dir.close()
		ts.spill = &chunkSpill{spillFile: spillFile{dir: dir}}
		defer ts.spill.close()
		pieces.spill = &pieceSpill{spillFile{dir: dir}}
		defer pieces.spill.close()
	}
	cls := newClasses(opt.VariantMinChars, dir)
	defer cls.texts.close()
	var copies *copyGroups
	if collapse {
		copies = newCopyGroups(n)
	}
	var ignored [][]text.Span // per mined document
	// Documents are read in order and cut in parallel a batch at a time, and classed in
	// order (or, spilled, recorded to be classed once all are read); of each, only what the
	// classes and the piece table need of its pieces is kept, and its tokens. With several
	// jobs, a batch is classed on a goroutine of its own while the next one is cut: classing
	// is sequential, and the cutting goroutines would wait for it.
	add := func(cut []*docText) {
		room := 0
		for _, t := range cut {
			room += len(t.tokens.raw) + 1
		}
		for i, t := range cut {
			cls.add(t, pieces.count)
			pieces.add(t)
			ts.add(t.tokens, room)
			ignored = append(ignored, t.ignored)
			cut[i] = nil
		}
	}
	var batches chan []*docText
	var classed sync.WaitGroup
	if opt.Jobs > 1 {
		batches = make(chan []*docText, 1)
		classed.Go(func() {
			for b := range batches {
				add(b)
			}
		})
	}
	var readErr error
	pending := make([]string, 0, mineBatch)
	for lo := 0; lo < n && readErr == nil; lo += mineBatch {
		pending = pending[:0]
		for i := lo; i < min(lo+mineBatch, n); i++ {
			s, err := texts.Text(i)
			if err != nil {
				readErr = err
				break
			}
			if copies == nil || copies.first(i, s) {
				pending = append(pending, s)
			}
		}
		cut := make([]*docText, len(pending))
		parallel.For(len(cut), opt.Jobs, func(i int) {
			t := cutPieces(pending[i], ignore)
			t.tokenizeWith(false)
			cls.hashPieces(t)
			// Classing needs the pieces, tokens and normalised text: the rest can go now.
			t.runes, t.lines, t.norm.Start, t.norm.End = nil, nil, nil, nil
			cut[i] = t
		})
		clear(pending)
		if batches != nil {
			batches <- cut
		} else {
			add(cut)
		}
	}
	if batches != nil {
		close(batches)
		classed.Wait()
	}
	if readErr != nil {
		return nil, readErr
	}
	family, orig := opt.Family, []int32(nil)
	var weight []int32
	c := copies.collapsed(opt.Family)
	if c != nil {
		family, weight = c.family, c.weight
		orig = make([]int32, len(c.members))
		for k, ms := range c.members {
			orig[k] = ms[0]
		}
	}
	if err := cls.classify(pieces, opt.Jobs); err != nil {
		return nil, err
	}
	cls = nil
	m := newMiner(pieces, ignore, opt.MinDocs, family, weight)
	m.grow()
	list := m.candidates(opt.Jobs)
	// Read back when spilled once the runs are grown and their candidates found, which do not
	// need them: the arrays of growing runs are gone by then.
	if err := pieces.loadMined(); err != nil {
		return nil, err
	}
	m.measure(list)
	claims := m.claim(opt, list)

	f := &finder{m: m, ts: ts}
	if err := ts.finish(); err != nil {
		return nil, err
	}
	common, norms := f.claimTexts(claims, opt.Jobs)
	ts.pieceTok = nil // only the claims' texts needed it
	if err := pieces.dropMined(); err != nil {
		return nil, err
	}
	var queries [][]int32
	for _, toks := range common {
		if searched(toks) {
			queries = append(queries, toks)
		}
	}
	sa, units, foundQ, err := ts.suffixUnits(m.family, weight, queries, dir, opt.MinDocs, opt.Jobs)
	if err != nil {
		return nil, err
	}
	f.sa = sa
	defer sa.close()
	ts.soft = nil // only units needed it
	if sa.spilled() {
		ts.release()
	}
	found := make([][]int32, len(common))
	for i, k := 0, 0; i < len(common); i++ {
		if searched(common[i]) {
			found[i] = foundQ[k]
			k++
		}
	}
	items := f.items(units, claims, common, norms, found, opt.Jobs)
	if err := f.resolve(items, claims, texts, orig, opt.Jobs); err != nil {
		return nil, err
	}
	// Every occurrence is placed: what only finding and placing them needed goes before the
	// slogans are built, the largest part of the heap.
	f.m = nil
	for _, c := range claims {
		c.occ = nil
	}
	if c != nil {
		ignored = c.expand(items, claims, ignored, n, opt.Jobs)
	}
	// After the copies are expanded: an occurrence weighs with each of its copies.
	f.contexts(items, opt.Jobs)

	// Passages leave out every occurrence of a text that recurs as whole pieces, as they did
	// before units were mined, and of a slogan, template or boilerplate; a name or a common
	// phrase found only inside clauses is still evidence of a copy.
	res := &Result{Excluded: ignored}
	// Each top-level item's entry is built on one of Jobs goroutines; they only read what
	// they share, and are taken in item order below.
	built := make([]*Slogan, len(items))
	// excludes reports whether passages leave out the occurrences of item it, whose entry is
	// s (nil: none).
	excludes := func(it *item, s *Slogan) bool {
		return it.claimed || (s != nil && (s.Kind == KindSlogan || s.Kind == KindTemplate || s.Kind == KindBoilerplate))
	}
	parallel.For(len(items), opt.Jobs, func(i int) {
		it := items[i]
		if it.parent != nil || len(it.occ) == 0 || (f.spacedOnly(it) && !f.ts.wholePhrase(it.toks)) {
			return
		}
		s := f.slogan(it, opt.Dates)
		if s.Documents < opt.MinDocs {
			return
		}
		built[i] = &s
		// Only an item and forms whose occurrences are left out of passages need them once
		// the entry is built: held beside the entries' locations, they were the peak of a
		// mining's heap.
		if !excludes(it, &s) {
			it.occ = nil
		}
		for _, fm := range it.forms {
			if !excludes(fm, nil) {
				fm.occ = nil
			}
		}
	})
	var excluded []*item
	kept := 0
	for i, it := range items {
		if built[i] != nil {
			kept++
		}
		if excludes(it, built[i]) {
			excluded = append(excluded, it)
		}
	}
	if err := cmp.Or(sa.close(), ts.err()); err != nil {
		return nil, err
	}
	res.Slogans = make([]Slogan, 0, kept)
	for _, s := range built {
		if s != nil {
			res.Slogans = append(res.Slogans, *s)
		}
	}
	// The excluded spans of a range of documents are gathered and merged on one of Jobs
	// goroutines, each reading every occurrence: appended one by one from a single
	// goroutine, they were a sequential part of mining.
	parts := max(1, min(opt.Jobs, len(res.Excluded)/64))
	parallel.For(parts, opt.Jobs, func(part int) {
		lo, hi := int32(part*n/parts), int32((part+1)*n/parts)
		for _, c := range claims {
			for _, o := range c.found {
				if lo <= o.doc && o.doc < hi {
					res.Excluded[o.doc] = append(res.Excluded[o.doc], o.span)
				}
			}
		}
		for _, it := range excluded {
			for _, o := range it.occ {
				if lo <= o.doc && o.doc < hi {
					res.Excluded[o.doc] = append(res.Excluded[o.doc], text.Span{Start: int(o.start), End: int(o.end)})
				}
			}
		}
		for d := lo; d < hi; d++ {
			res.Excluded[d] = mergeSpans(res.Excluded[d])
		}
	})
	// Sorted through keys holding a pointer, as a Slogan is large, and the length of its
	// text, which the comparisons would otherwise count again and again.
	type sortKey struct {
		s         *Slogan
		rank, len int
	}
	keys := make([]sortKey, len(res.Slogans))
	for i := range res.Slogans {
		s := &res.Slogans[i]
		keys[i] = sortKey{s, kindRank(s.Kind), utf8.RuneCountInString(s.Text)}
	}
	slices.SortStableFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(b.s.Documents, a.s.Documents); c != 0 {
			return c
		}
		if c := cmp.Compare(b.len, a.len); c != 0 {
			return c
		}
		return strings.Compare(a.s.Text, b.s.Text)
	})
	sorted := make([]Slogan, len(keys))
	for i, k := range keys {
		sorted[i] = *k.s
	}
	res.Slogans = sorted
	return res, nil
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(spans []text.Span) []text.Span {
	if len(spans) == 0 {
		return nil
	}
	slices.SortFunc(spans, func(a, b text.Span) int {
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.Start <= last.End {
			last.End = max(last.End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

// Ignored returns, per document, the spans of the original text where a phrase of the ignore
// list occurs (matched after normalisation), sorted and merged.
func Ignored(docs []*corpus.Document, phrases []string) [][]text.Span {
	out, _ := IgnoredTexts(documents(docs), phrases) // loaded documents give no errors
	return out
}

// IgnoredTexts is Ignored for documents given as texts, each asked for once, in order (none
// when phrases normalise to nothing).
func IgnoredTexts(texts Texts, phrases []string) ([][]text.Span, error) {
	ignore := normalizeIgnore(phrases)
	out := make([][]text.Span, texts.Len())
	if len(ignore) == 0 {
		return out, nil
	}
	for d := range out {
		s, err := texts.Text(d)
		if err != nil {
			return nil, err
		}
		out[d] = mergeSpans(cutPieces(s, ignore).ignored)
	}
	return out, nil
}
