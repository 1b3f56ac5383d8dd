package slogan

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// An item is one reported phrase while the result is assembled: a phrase unit of the token
// stream, a recurring run of pieces, or both when they have the same text.
type item struct {
	toks   []int32 // tokens of its text, when it is found on the token stream
	norm   string  // normalised text
	occ    []occ
	forms  []*item
	parent *item // the shorter item it is a form of
	// context: what signals weighs of the tokens around its occurrences, when it is found on
	// the token stream and reported on its own
	context *tokenSignals
	claims  []*candidate // runs of pieces with its text, whose occurrences it takes
	// claimed: its text stands as a whole piece somewhere, so passages leave all its
	// occurrences out (see find)
	claimed bool
}

// occ is one occurrence of an item.
type occ struct {
	doc        int32
	start, end int32 // original code points
	tok        int32 // first token, or -1 for an occurrence found as pieces only
	chrome     bool  // stands where page chrome does
	edge       bool  // opens one of the first two lines
	quoted     bool  // a whole quoted piece
	// titled: in book-title marks (《高端访谈》); only read where quoted
	titled bool
	// opensAfter: a quotation mark or bracket opens right after it (see quoteMarks)
	opensAfter bool
	// text is its text, in finder.spellings: 0 until resolve sets it, when the occurrence
	// is spelt as its item's normalised text.
	text spelling
}

// spelling names a text in a spellings table, so that an occurrence holds 4 bytes for its
// text, not a string's 16: there are tens of millions of occurrences.
type spelling int32

// spellings are the texts of occurrences; the spelling 0 is no text. Texts are added by
// concurrent goroutines, and read once all are added.
type spellings struct {
	mu    sync.Mutex
	texts []string
}

func (s *spellings) add(t string) spelling {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.texts) == 0 {
		s.texts = append(s.texts, "")
	}
	s.texts = append(s.texts, t)
	return spelling(len(s.texts) - 1)
}

func (s *spellings) text(id spelling) string {
	if id == 0 {
		return ""
	}
	return s.texts[id]
}

// claimTexts returns, per claimed run of pieces, the tokens of its most frequent text when it
// is one piece (see commonText), and its normalised text.
func (f *finder) claimTexts(claims []*candidate, jobs int) (common [][]int32, norms []string) {
	common = make([][]int32, len(claims))
	norms = make([]string, len(claims))
	parallel.For(len(claims), jobs, func(i int) {
		c := claims[i]
		if c.k == 1 {
			common[i] = f.commonText(c)
		}
		if toks := common[i]; toks != nil && len(toks) < maxUnitTokens {
			norms[i] = f.ts.normText(toks)
		} else {
			norms[i] = f.runNorm(c)
		}
	})
	return common, norms
}

// searched reports whether the tokens of a claim's text (see claimTexts) are looked up on
// the suffix array.
func searched(toks []int32) bool { return toks != nil && len(toks) < maxUnitTokens }

// items builds the items from the units and the claimed runs of pieces, on jobs goroutines
// but for what depends on the order: which item a text is. common and norms are the claims'
// texts (see claimTexts), and found, per claim whose text is searched, where it starts.
func (f *finder) items(units []unit, claims []*candidate, common [][]int32, norms []string, found [][]int32, jobs int) []*item {
	byNorm := make(map[string]*item, len(units)+len(claims))
	items := make([]*item, 0, len(units)+len(claims))
	add := func(it *item) {
		byNorm[it.norm] = it
		items = append(items, it)
	}
	fromUnits := make([]*item, len(units))
	parallel.For(len(units), jobs, func(i int) {
		u := &units[i]
		it := &item{toks: u.toks, norm: f.ts.normText(u.toks), claimed: u.standalone}
		it.occ = f.tokenOccs(u.starts, u.length)
		u.starts = nil
		fromUnits[i] = it
	})
	for _, it := range fromUnits {
		add(it)
	}
	fromUnits = nil
	for i, c := range claims {
		if toks := common[i]; searched(toks) {
			norm := norms[i]
			if it := byNorm[norm]; it != nil {
				it.claims = append(it.claims, c)
				it.claimed = true
				continue
			}
			it := &item{toks: toks, norm: norm, claimed: true, claims: []*candidate{c}}
			if starts := found[i]; len(starts) > 0 {
				it.occ = f.tokenOccs(starts, int32(len(toks)))
			}
			add(it)
			continue
		}
		it := &item{norm: norms[i], claimed: true, claims: []*candidate{c}}
		if byNorm[it.norm] == nil {
			byNorm[it.norm] = it
		}
		items = append(items, it)
	}
	f.nest(items, byNorm, jobs)
	return items
}

// commonText returns the tokens of the most frequent text among the pieces of a one-piece
// candidate (its class may hold spellings one edit apart), or nil.
func (f *finder) commonText(c *candidate) []int32 {
	m := f.m
	counts := make(map[string]int)
	var best []int32
	buf := make([]int32, 0, maxUnitTokens) // never nil: an empty text is still a text
	bestCount := 0
	for _, g := range c.occ {
		p := m.piece(g)
		first := f.ts.pieceTok[p]
		if first < 0 {
			continue
		}
		buf = buf[:0]
		for e := first; f.ts.at(e) != sep; e++ {
			buf = append(buf, f.ts.at(e))
		}
		// A piece given to a shorter text (shortenDangling) ends earlier.
		want := int(m.pieces.nEnd[p] - m.pieces.nStart[p])
		toks := buf
		for len(toks) > 0 && f.ts.runes(toks) > want {
			toks = toks[:len(toks)-1]
		}
		key := f.ts.normText(toks)
		counts[key] += m.weightAt(g) // identical copies count too (see FindTexts)
		if counts[key] > bestCount {
			best, bestCount = slices.Clone(toks), counts[key]
		}
	}
	return best
}

// Affix tokens a longer phrase may add to a shorter item and still be one of its forms
// (推进中国式现代化, 共建一带一路), not an item of its own.
const maxFormAffix = 3

// nest makes an item a form of the longest shorter item that it holds with at most
// maxFormAffix tokens before or after it.
func (f *finder) nest(items []*item, byNorm map[string]*item, jobs int) {
	parallel.For(len(items), jobs, func(i int) {
		it := items[i]
		// A run of pieces is cut by runes: 牢记“…” is the joining word and a phrase.
		var sub func(i, j int) string
		n := len(it.toks)
		if it.toks != nil {
			sub = func(i, j int) string { return f.ts.normText(it.toks[i:j]) }
		} else {
			rs := []rune(it.norm)
			n = len(rs)
			sub = func(i, j int) string { return string(rs[i:j]) }
		}
		var best *item
		for cut := 1; cut <= maxFormAffix && cut < n && best == nil; cut++ {
			// Words on one side only: 总体国家安全观 is a formula, not a form of 国家安全.
			for _, i := range [2]int{0, cut} {
				if s := byNorm[sub(i, n-(cut-i))]; s != nil && s != it && s.toks != nil {
					best = s
					break
				}
			}
		}
		it.parent = best
	})
	for _, it := range items {
		root := it.parent
		for root != nil && root.parent != nil {
			root = root.parent
		}
		if root != nil {
			it.parent = root
			root.forms = append(root.forms, it)
		}
	}
}

// tokenOccs turns the starts of occurrences of length tokens, in stream order, into
// occurrences, to be placed in the original text by resolve.
func (f *finder) tokenOccs(starts []int32, length int32) []occ {
	// Stream order is document order; an occurrence overlapping the one before (ABA in
	// ABABA) is dropped.
	out := make([]occ, 0, len(starts))
	for _, p := range starts {
		d := f.ts.docOf(p)
		if n := len(out); n > 0 && out[n-1].doc == d && p < out[n-1].tok+length {
			continue
		}
		out = append(out, occ{doc: d, tok: p})
	}
	return out
}

// runNorm is the normalised text of a run of pieces, from its first occurrence's tokens.
func (f *finder) runNorm(c *candidate) string {
	m := f.m
	p := m.piece(int32(c.rep))
	var b []byte
	for k := int32(0); k < int32(c.k); k++ {
		first := f.ts.pieceTok[p+k]
		if first < 0 {
			continue
		}
		for e := first; f.ts.at(e) != sep; e++ {
			b = append(b, f.ts.text[f.ts.at(e)]...)
		}
	}
	return string(b)
}

// mergeOccs sorts the occurrences of a and b by document and start and drops each that
// overlaps the one kept before it; of two at the same place, the first kept is the one
// that came first in a.
func mergeOccs(a, b []occ) []occ {
	all := append(a, b...)
	slices.SortStableFunc(all, func(x, y occ) int {
		if c := cmp.Compare(x.doc, y.doc); c != 0 {
			return c
		}
		return cmp.Compare(x.start, y.start)
	})
	out := all[:0]
	for _, o := range all {
		if n := len(out); n > 0 && out[n-1].doc == o.doc && o.start < out[n-1].end {
			last := &out[n-1]
			last.chrome = last.chrome || o.chrome
			last.quoted = last.quoted || o.quoted
			if last.tok < 0 {
				last.tok = o.tok
			}
			if last.text == 0 {
				last.text = o.text
			}
			continue
		}
		out = append(out, o)
	}
	return out
}

// resolve places every occurrence in the original text: each document holding one is read
// again, in order, and cut and tokenised again, on one of jobs goroutines, for the spans of
// its pieces and tokens, its lines (for chrome), its text and the marks around each
// occurrence. Then each item takes the occurrences of its runs of pieces, and its occurrences
// are put in document order. orig gives, per mined document, its index in texts (nil: the
// same).
func (f *finder) resolve(items []*item, claims []*candidate, texts Texts, orig []int32, jobs int) error {
	m, ts := f.m, f.ts
	// A document's occurrences are reached through pointers, and spellings are checked on
	// the tokens: a document reaches the items' arrays at random, and an item's fields
	// would each cost a cache miss.
	type ref struct {
		o         *occ
		tok, item int32 // the occurrence's first token, read here without a cache miss
	}
	type claimRef struct{ claim, occ int32 }
	docs := len(m.base)
	perDoc := make([]int32, docs+1)
	for _, it := range items {
		for _, o := range it.occ {
			perDoc[o.doc+1]++
		}
	}
	for d := range docs {
		perDoc[d+1] += perDoc[d]
	}
	refs := make([]ref, perDoc[docs])
	next := slices.Clone(perDoc[:docs])
	// The items' tokens end to end, item i's at [toksAt[i], toksAt[i+1]): read from there,
	// not through each item, for the same reason.
	toksAt := make([]int32, len(items)+1)
	var allToks []int32
	for i, it := range items {
		allToks = append(allToks, it.toks...)
		toksAt[i+1] = int32(len(allToks))
		for k := range it.occ {
			o := &it.occ[k]
			refs[next[o.doc]] = ref{o, o.tok, int32(i)}
			next[o.doc]++
		}
	}
	next = nil
	claimsByDoc := make([][]claimRef, docs)
	for ci, c := range claims {
		c.found = make([]located, len(c.occ))
		for k, g := range c.occ {
			d := m.docAt(g)
			claimsByDoc[d] = append(claimsByDoc[d], claimRef{int32(ci), int32(k)})
		}
	}
	need := func(d int) bool { return perDoc[d] < perDoc[d+1] || len(claimsByDoc[d]) > 0 }
	// The tokens' positions are made for one document at a time: their arrays are reused.
	var scratch sync.Pool
	var mu sync.Mutex
	var recutErr error
	err := eachText(texts, docs, orig, need, jobs, func(d int, s string) {
		t, err := m.recut(int32(d), s)
		if err != nil {
			mu.Lock()
			recutErr = cmp.Or(recutErr, err)
			mu.Unlock()
			return
		}
		for _, r := range claimsByDoc[d] {
			c := claims[r.claim]
			c.found[r.occ] = m.locateOne(t, c, c.occ[r.occ], int32(d))
		}
		if perDoc[d] == perDoc[d+1] {
			return
		}
		dt, _ := scratch.Get().(*docTokens)
		if dt == nil {
			dt = &docTokens{}
		}
		defer scratch.Put(dt)
		t.tokenize(dt)
		base := ts.docFirst[d]
		for _, r := range refs[perDoc[d]:perDoc[d+1]] {
			// The occurrence's tokens are its item's; the document's tokens are laid out
			// as in the stream, which is not read here (see tokenStream.release).
			toks := allToks[toksAt[r.item]:toksAt[r.item+1]]
			length := int32(len(toks))
			p := r.tok - base
			e := p + length - 1
			start, end := dt.start[p], dt.end[e]
			// The document's first token follows the separator that ends the one before.
			whole := (p == 0 || dt.sep[p-1]) && dt.sep[p+length]
			opensAfter, titled := quoteMarks(t.runes, start, end)
			// Most occurrences are spelt as the normalised text: they share the item's
			// string (set below) rather than each holding a copy.
			var spelt spelling
			if !ts.spells(t.runes[start:end], toks) {
				spelt = f.spellings.add(string(t.runes[start:end]))
			}
			// The occurrence is only written: a store to memory not in cache does not
			// hold the loop up as a load does.
			o := r.o
			o.start, o.end = start, end
			o.quoted = whole && dt.quoted[p]
			o.edge = dt.lineStart[p]
			o.chrome = o.edge
			o.opensAfter, o.titled = opensAfter, titled
			o.text = spelt
		}
	})
	if err = cmp.Or(err, recutErr); err != nil {
		return err
	}
	for _, c := range claims {
		slices.SortFunc(c.found, func(a, b located) int {
			if x := cmp.Compare(a.doc, b.doc); x != 0 {
				return x
			}
			return cmp.Compare(a.span.Start, b.span.Start)
		})
	}
	parallel.For(len(items), jobs, func(i int) {
		it := items[i]
		if it.toks != nil && len(it.occ) > 0 {
			norm := f.spellings.add(it.norm)
			for k := range it.occ {
				if o := &it.occ[k]; o.text == 0 {
					o.text = norm
				}
			}
		}
		var own []occ
		for _, c := range it.claims {
			for _, l := range c.found {
				own = append(own, occ{
					doc: l.doc, start: int32(l.span.Start), end: int32(l.span.End), tok: -1, chrome: l.chrome,
					quoted: l.quoted, titled: l.titled, opensAfter: l.opensAfter, text: f.spellings.add(l.text),
				})
			}
		}
		it.occ = mergeOccs(it.occ, own)
		// A quoted occurrence cut where an inner quotation opens
		// (“高质量完成‘十四五’规划”) is the start of a quoted title, not a quoted phrase.
		for k := range it.occ {
			if o := &it.occ[k]; o.quoted && o.opensAfter {
				o.quoted = false
			}
		}
	})
	return nil
}

// eachText calls work for every mined document d of docs that need reports, with its text,
// read on the calling goroutine in increasing order (orig maps d to its index in texts; nil:
// the same) and worked on by up to jobs goroutines. It stops at the first error of Text.
func eachText(texts Texts, docs int, orig []int32, need func(d int) bool, jobs int, work func(d int, s string)) error {
	read := func(d int) (string, error) {
		if orig != nil {
			return texts.Text(int(orig[d]))
		}
		return texts.Text(d)
	}
	if jobs <= 1 {
		for d := range docs {
			if need(d) {
				s, err := read(d)
				if err != nil {
					return err
				}
				work(d, s)
			}
		}
		return nil
	}
	type doc struct {
		d int
		s string
	}
	next := make(chan doc, 4*jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for x := range next {
				work(x.d, x.s)
			}
		})
	}
	var err error
	for d := range docs {
		if !need(d) {
			continue
		}
		var s string
		if s, err = read(d); err != nil {
			break
		}
		next <- doc{d, s}
	}
	close(next)
	wg.Wait()
	return err
}

// quoteMarks looks at the marks around the occurrence [start, end) of runes, for one that is
// quoted: whether a quotation mark or bracket opens right after it (one cut where an inner
// quotation opens is the start of a quoted title), and whether it stands in book-title marks
// (《高端访谈》 names a work, a programme or a law). A run of pieces may open with its
// quotation mark.
func quoteMarks(runes []rune, start, end int32) (opensAfter, titled bool) {
	if start < 0 || end > int32(len(runes)) || start >= end {
		return false, false
	}
	if end < int32(len(runes)) && isOpener(runes[end]) {
		return true, false
	}
	mark := start - 1
	if isQuote(runes[start]) {
		mark = start
	}
	return false, mark >= 0 && isTitleMark(runes[mark])
}

// verbWindow is how many tokens before an occurrence may hold its verb: 建设更高水平的平安中国.
const verbWindow = 6

// tokenSignals is what signals weighs of the tokens around an item's occurrences found on
// the token stream (see finder.contexts).
type tokenSignals struct {
	verb, adherence, speech, programme int
	verbsSeen, adherenceSeen           map[string]bool
	right, left                        continuations
}

// contexts reads, for every top-level item found on the token stream, the tokens around its
// occurrences into its tokenSignals: in one pass over the stream, document by document, as
// the stream may be on disk by now (see tokenStream.release). An occurrence in a copy of a
// mined document (see FindTexts) is read on the tokens of the document mined. Ranges of
// documents are read on jobs goroutines, each into signals of its own, added up after.
func (f *finder) contexts(items []*item, jobs int) {
	ts := f.ts
	type ref struct{ item, tok int32 }
	docs := len(ts.docFirst) - 1
	perDoc := make([]int32, docs+1)
	for _, it := range items {
		if it.toks == nil || it.parent != nil {
			continue
		}
		it.context = &tokenSignals{}
		for _, o := range it.occ {
			if o.tok >= 0 {
				perDoc[ts.docOf(o.tok)+1]++
			}
		}
	}
	for d := range docs {
		perDoc[d+1] += perDoc[d]
	}
	refs := make([]ref, perDoc[docs])
	next := slices.Clone(perDoc[:docs])
	for i, it := range items {
		if it.context == nil {
			continue
		}
		for _, o := range it.occ {
			if o.tok >= 0 {
				d := ts.docOf(o.tok)
				refs[next[d]] = ref{int32(i), o.tok}
				next[d]++
			}
		}
	}
	next = nil
	// Read here, not through each item: an item's fields would each cost a cache miss.
	lengths := make([]int32, len(items))
	for i, it := range items {
		lengths[i] = int32(len(it.toks))
	}
	parts := max(1, min(jobs, docs/64))
	// Range i is the documents [from(i), from(i+1)), about as many occurrences in each.
	from := func(i int) int {
		if i == parts {
			return docs
		}
		want := int32(int64(perDoc[docs]) * int64(i) / int64(parts))
		return sort.Search(docs, func(d int) bool { return perDoc[d] >= want })
	}
	partial := make([][]tokenSignals, parts)
	parallel.For(parts, jobs, func(i int) {
		acc := make([]tokenSignals, len(items))
		first, last := from(i), from(i+1)
		if first == last {
			partial[i] = acc
			return
		}
		spans := ts.spans(ts.docFirst[first] - verbWindow)
		for d := first; d < last; d++ {
			if perDoc[d] == perDoc[d+1] {
				continue
			}
			// Up to verbWindow tokens before an occurrence and two after it are read, none
			// past the separators around the document.
			lo := ts.docFirst[d] - verbWindow
			win := spans.span(lo, ts.docFirst[d+1]+2)
			lo = max(lo, 0)
			for _, r := range refs[perDoc[d]:perDoc[d+1]] {
				f.addContext(&acc[r.item], win, r.tok-lo, lengths[r.item])
			}
		}
		partial[i] = acc
	})
	for i, it := range items {
		if it.context != nil {
			for _, acc := range partial {
				it.context.add(&acc[i])
			}
		}
	}
}

// add adds the signals of o, read on other occurrences, to s.
func (s *tokenSignals) add(o *tokenSignals) {
	s.verb += o.verb
	s.adherence += o.adherence
	s.speech += o.speech
	s.programme += o.programme
	for v := range o.verbsSeen {
		if s.verbsSeen == nil {
			s.verbsSeen = make(map[string]bool)
		}
		s.verbsSeen[v] = true
	}
	for v := range o.adherenceSeen {
		if s.adherenceSeen == nil {
			s.adherenceSeen = make(map[string]bool)
		}
		s.adherenceSeen[v] = true
	}
	s.right.merge(o.right)
	s.left.merge(o.left)
}

// addContext adds to s the tokens around the occurrence at p of length tokens in tok.
func (f *finder) addContext(s *tokenSignals, tok []int32, p, length int32) {
	ts := f.ts
	// Every verb of policy is two characters: look at each pair of tokens before it.
	for q := p - 1; q >= 1 && q >= p-verbWindow+1 && tok[q] != sep && tok[q-1] != sep; q-- {
		if !ts.verbEnd[tok[q]] {
			continue
		}
		pair := ts.pair(tok[q-1], tok[q])
		if policyVerbSet[pair] {
			s.verb++
			if s.verbsSeen == nil {
				s.verbsSeen = make(map[string]bool)
			}
			s.verbsSeen[pair] = true
			if adherenceVerbSet[pair] {
				s.adherence++
				if s.adherenceSeen == nil {
					s.adherenceSeen = make(map[string]bool)
				}
				s.adherenceSeen[pair] = true
			}
			break
		}
	}
	// What follows is read only when it may start a speech verb or a programme noun.
	named := false
	if t := tok[p+length]; t != sep && ts.nounOrVerbFirst[t] {
		var buf [16]byte
		after := buf[:0]
		for q := p + length; q < p+length+2 && tok[q] != sep; q++ {
			after = append(after, ts.text[tok[q]]...)
		}
		next := string(after)
		if startsWithAny(next, speechVerbs) {
			s.speech++
		}
		named = namesProgramme(next)
		if named {
			s.programme++
		}
	}
	// What goes on after it, past a joining particle (两个确立的) or a programme it names
	// (平安中国建设), and what stands before it, past a structural particle (建设更高水平
	// 的平安中国).
	if t := tok[p+length]; t != sep && !ts.particle[t] && !named {
		s.right.add(t)
	}
	if p > 0 {
		if t := tok[p-1]; t != sep && !f.structural(t) {
			s.left.add(t)
		}
	}
}

// signals measures the evidence for an item's kind.
func (f *finder) signals(it *item) signals {
	var s signals
	quoted, titled := 0, 0
	docs, edgeDocs, chromeDocs := 0, 0, 0
	lastDoc, lastEdge, lastChrome := int32(-1), int32(-1), int32(-1)
	for _, o := range it.occ {
		if o.doc != lastDoc {
			docs++
			lastDoc = o.doc
		}
		if o.quoted {
			quoted++
			if o.titled {
				titled++
			}
		}
		if o.chrome && o.doc != lastChrome {
			chromeDocs++
			lastChrome = o.doc
		}
		if o.tok < 0 || it.toks == nil {
			continue
		}
		if o.edge && o.doc != lastEdge {
			edgeDocs++
			lastEdge = o.doc
		}
	}
	// The rest was read around the occurrences found on the token stream (see contexts).
	c := it.context
	if c == nil {
		c = &tokenSignals{}
	}
	verb, adherence, speech, programme := c.verb, c.adherence, c.speech, c.programme
	verbsSeen, adherenceSeen := c.verbsSeen, c.adherenceSeen
	right, left := c.right, c.left
	n := float64(max(1, len(it.occ)))
	s.quoted = float64(quoted) / n
	s.titled = float64(titled) / n
	s.verb = float64(verb) / n
	s.verbs = len(verbsSeen)
	s.adherence = float64(adherence) / n
	s.adherenceVerbs = len(adherenceSeen)
	s.speech = float64(speech) / n
	s.programme = float64(programme) / n
	s.edge = float64(edgeDocs) / float64(max(1, docs))
	s.chrome = float64(chromeDocs) / float64(max(1, docs))
	s.numbered = numbered(it.norm)
	s.title = hasTitle(it.norm)
	s.event = namesEvent(it.norm)
	s.open = opensOpen(it.norm)
	s.cutRight = right.cut(len(it.occ))
	s.cutLeft = left.cut(len(it.occ))
	s.cohesion = 1
	// Cohesion needs a few lookups per item: only the verbs and the counters ask for it.
	if it.toks != nil && (s.policy() || s.numbered == counted) {
		s.cohesion = f.cohesion(it.toks)
	}
	return s
}

// continuations records the tokens on one side of an item's occurrences: how many, and
// whether they are all one token.
type continuations struct {
	n     int
	first int32
	mixed bool
}

func (c *continuations) add(t int32) {
	if c.n == 0 {
		c.first = t
	} else if t != c.first {
		c.mixed = true
	}
	c.n++
}

// Where an item's occurrences go on into a longer string, at least cutMinGoOn of them and
// cutMinShare of all, and every one goes on with the same token, the item is cut from a word:
// 二十届二中 always goes on with 全 (二十届二中全会) where it goes on at all, and only stands
// apart in an enumeration (二十届二中、三中全会).
const (
	cutMinGoOn  = 5
	cutMinShare = 0.15
)

// merge adds the tokens of o, recorded on other occurrences, to c.
func (c *continuations) merge(o continuations) {
	switch {
	case o.n == 0:
	case c.n == 0:
		*c = o
	default:
		c.mixed = c.mixed || o.mixed || o.first != c.first
		c.n += o.n
	}
}

func (c *continuations) cut(occurrences int) bool {
	return c.n >= cutMinGoOn && !c.mixed && float64(c.n) >= cutMinShare*float64(occurrences)
}

// structural reports the particles that end a modifier (的, 之, 地, 得): standing before
// an item they do not make it part of a longer word.
func (f *finder) structural(t int32) bool {
	switch string(f.ts.text[t]) {
	case "的", "之", "地", "得":
		return true
	}
	return false
}

// cohesion measures how far an item is a closed unit rather than a phrase put together
// freely: for each cut into two parts (of two characters, or a word, or more), the larger of
// the shares of the parts' occurrences that are occurrences of the item; the item's cohesion
// is the least of these over its cuts. A set phrase holds at every cut: 中国式 is followed
// by 现代化 in all its occurrences, 新质 by 生产力 in 97%. A generic phrase falls apart at
// its joint: 体制 and 改革 go with many other words (体制机制, 教育改革), 双边 with 合作 and
// 贸易. Parts are counted on the suffix array, so a part that no unit may start with (的…)
// gives no cut.
func (f *finder) cohesion(toks []int32) float64 {
	ts := f.ts
	lo, hi := f.sa.lookup(ts, toks)
	whole := float64(hi - lo)
	if whole == 0 {
		return 1
	}
	least := 1.0
	for cut := 1; cut < len(toks); cut++ {
		l, r := toks[:cut], toks[cut:]
		if !ts.part(l) || !ts.part(r) {
			continue
		}
		a, b := f.sa.lookup(ts, l)
		c, d := f.sa.lookup(ts, r)
		if a == b || c == d {
			continue
		}
		least = min(least, max(whole/float64(b-a), whole/float64(d-c)))
	}
	return min(least, 1)
}

// part reports whether tokens may be one side of a cut for cohesion: a word of a spaced
// script, or two characters or more. A single character goes with everything.
func (ts *tokenStream) part(toks []int32) bool {
	return len(toks) >= 2 || ts.isWord[toks[0]]
}

// slogan builds the output of a top-level item.
func (f *finder) slogan(it *item, dates []time.Time) Slogan {
	s := Slogan{Occurrences: len(it.occ), Locations: make([]Location, 0, len(it.occ))}
	counts := make(map[string]int)
	var order []string
	normCounts := make(map[string]int)
	var normOrder []string
	lastDoc := int32(-1)
	for _, o := range it.occ {
		text := f.spellings.text(o.text)
		if counts[text] == 0 {
			order = append(order, text)
		}
		counts[text]++
		s.Locations = append(s.Locations, Location{Doc: int(o.doc), Start: int(o.start), End: int(o.end)})
		if o.doc != lastDoc {
			s.Documents++
			lastDoc = o.doc
			s.docs = append(s.docs, int(o.doc))
		}
	}
	for _, t := range order {
		s.Variants = append(s.Variants, Variant{Text: t, Count: counts[t]})
		n := string(text.AppendNormalized(nil, t))
		if normCounts[n] == 0 {
			normOrder = append(normOrder, n)
		}
		normCounts[n] += counts[t]
	}
	slices.SortStableFunc(s.Variants, func(a, b Variant) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	s.Text = s.Variants[0].Text
	s.Kind = kindOf(f.signals(it))
	// A slogan is whole words with content at both ends: a quoted single word of English
	// or "is a generalization of" is a phrase at most.
	if s.Kind == KindSlogan && !f.whole(it, s.Text) {
		s.Kind = KindPhrase
	}
	normCountList := make([]int, len(normOrder))
	for i, n := range normOrder {
		normCountList[i] = normCounts[n]
	}
	if prefix, suffix, fillers, ok := template(normOrder, normCountList); ok && s.Kind != KindBoilerplate {
		s.Kind = KindTemplate
		s.Text = prefix + "…" + suffix
		fc := make(map[string]int)
		var fo []string
		for i, fl := range fillers {
			if fc[fl] == 0 {
				fo = append(fo, fl)
			}
			fc[fl] += normCounts[normOrder[i]]
		}
		for _, fl := range fo {
			s.Fillers = append(s.Fillers, Variant{Text: fl, Count: fc[fl]})
		}
		slices.SortStableFunc(s.Fillers, func(a, b Variant) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return strings.Compare(a.Text, b.Text)
		})
		s.Variants = nil
	}
	for _, fm := range it.forms {
		docs, last := 0, int32(-1)
		for _, o := range fm.occ {
			if o.doc != last {
				docs++
				last = o.doc
			}
		}
		t := fm.norm
		if len(fm.occ) > 0 && fm.occ[0].text != 0 {
			t = f.spellings.text(fm.occ[0].text)
		}
		s.Forms = append(s.Forms, Form{Text: t, Documents: docs, Occurrences: len(fm.occ)})
	}
	slices.SortStableFunc(s.Forms, func(a, b Form) int {
		if c := cmp.Compare(b.Documents, a.Documents); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	s.FirstSeen, s.LastSeen, s.ByMonth = timeline(s.docs, dates)
	return s
}

// timeline is the first and last date of the documents and their count per month; undated
// documents are left out.
func timeline(docs []int, dates []time.Time) (first, last time.Time, months []Month) {
	counts := make(map[string]int)
	for _, d := range docs {
		if d >= len(dates) || dates[d].IsZero() {
			continue
		}
		t := dates[d]
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if last.IsZero() || t.After(last) {
			last = t
		}
		counts[t.Format("2006-01")]++
	}
	for m, n := range counts {
		months = append(months, Month{Month: m, Documents: n})
	}
	slices.SortFunc(months, func(a, b Month) int { return strings.Compare(a.Month, b.Month) })
	return first, last, months
}

// spells reports whether runes spell the normalised text of toks.
func (ts *tokenStream) spells(runes []rune, toks []int32) bool {
	i := 0
	for _, t := range toks {
		if r := ts.single[t]; r >= 0 {
			if i == len(runes) || runes[i] != r {
				return false
			}
			i++
			continue
		}
		for _, r := range string(ts.text[t]) {
			if i == len(runes) || runes[i] != r {
				return false
			}
			i++
		}
	}
	return i == len(runes)
}

// whole reports whether an item reads as a whole phrase (see tokenStream.wholePhrase); a run
// of pieces is judged by the words at its ends.
func (f *finder) whole(it *item, text string) bool {
	if it.toks != nil {
		return f.ts.wholePhrase(it.toks)
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' })
	if len(words) == 0 {
		return false
	}
	return !englishFunction[words[0]] && !englishFunction[words[len(words)-1]]
}

// spacedOnly reports whether an item is written in a script with spaces only (English):
// there a recurring clause that is a single word or starts or ends with a function word
// ("For example", "called") is no phrase a reader looks for.
func (f *finder) spacedOnly(it *item) bool {
	if it.toks == nil {
		return false
	}
	for _, t := range it.toks {
		if !f.ts.isWord[t] {
			return false
		}
	}
	return true
}
