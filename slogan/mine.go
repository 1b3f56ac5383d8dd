package slogan

import (
	"cmp"
	"slices"
	"sort"

	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// miner finds the frequent runs of pieces. All documents' class sequences are laid end to end
// in tok, each followed by a -1 separator so that no run crosses from one document to the next;
// an ignored piece is -1 too.
type miner struct {
	pieces  *pieceTable
	ignore  [][]byte // normalised ignored phrases, to cut documents again (see locate)
	minDocs int
	family  []int32  // per document: its family (see Options.Family)
	weight  []int32  // per document: how many identical documents it stands for; nil: one each
	order   []int32  // documents in the order of the layout
	base    []int32  // per document: global position of its first piece
	tok     []int32  // class per global position, until the runs are claimed
	ignored bitset   // the positions whose class is -1, once tok is gone (see recut)
	doc     []int32  // document per global position, until the runs are claimed (see docAt)
	starts  []int32  // global position of the first piece of each document of order
	hash    []uint64 // prefix hashes of tok: hash[g] covers tok[:g]
	pow     []uint64 // powers of polyBase, up to the longest run a document allows
	longest []int32  // per position: pieces in the longest frequent run starting there
	docs    []int32  // per position: documents holding that run
}

// docAt is the document of the piece at global position g. Growing and claiming runs look it
// up for every position and read it from doc; after them, 4 bytes a position are worth more
// than the lookup, a binary search among the documents' first positions.
func (m *miner) docAt(g int32) int32 {
	if m.doc != nil {
		return m.doc[g]
	}
	// Every document holds at least its separator, so no two start at the same position.
	k, found := slices.BinarySearch(m.starts, g)
	if !found {
		k--
	}
	return m.order[k]
}

// local is the index within its document of the piece at global position g.
func (m *miner) local(g int32) int32 { return g - m.base[m.docAt(g)] }

// piece is the index in the piece table of the piece at global position g.
func (m *miner) piece(g int32) int32 { return m.pieces.first[m.docAt(g)] + m.local(g) }

// Two overlapping runs are joined into a longer one only when the longer run is found in at
// least half the documents of the rarer of the two: the pieces recur together, not merely
// next to each other now and then. This keeps a stock dateline (央视网消息（新闻联播）, in
// thousands of stories) from growing into one slogan per word that happens to follow it
// (：今天, ：记者今天 …), while a phrase planted whole keeps all its clauses.
const togetherRatio = 2 // run documents * togetherRatio >= documents of the rarer part

// Nor is a run made of a part that is far more common on its own: a dateline in 8,000
// stories followed by a clause found in 12 of them (央视网消息（新闻联播）：俄罗斯国防部21日称)
// is the dateline and a clause, each reported for what it is, not one more item.
const apartRatio = 10 // run documents * apartRatio >= documents of the commoner part

// weightAt is how many occurrences the occurrence at global position g stands for.
func (m *miner) weightAt(g int32) int {
	if m.weight == nil {
		return 1
	}
	return int(m.weight[m.docAt(g)])
}

func newMiner(pieces *pieceTable, ignore [][]byte, minDocs int, family []int, weight []int32) *miner {
	n := len(pieces.first) - 1
	m := &miner{pieces: pieces, ignore: ignore, minDocs: minDocs, family: make([]int32, n), base: make([]int32, n), weight: weight}
	// Documents are laid out family by family, so that counting distinct families only needs
	// to compare with the last one counted.
	m.order = make([]int32, n)
	for d := range n {
		m.order[d] = int32(d)
		m.family[d] = int32(d)
		if d < len(family) && family[d] >= 0 {
			m.family[d] = int32(family[d])
		}
	}
	slices.SortStableFunc(m.order, func(a, b int32) int { return cmp.Compare(m.family[a], m.family[b]) })
	positions := len(pieces.class) + n
	m.tok = make([]int32, 0, positions)
	m.doc = make([]int32, 0, positions)
	m.starts = make([]int32, 0, n)
	for _, d := range m.order {
		m.base[d] = int32(len(m.tok))
		m.starts = append(m.starts, m.base[d])
		m.tok = append(m.tok, pieces.class[pieces.first[d]:pieces.first[d+1]]...)
		m.tok = append(m.tok, -1)
		for len(m.doc) < len(m.tok) {
			m.doc = append(m.doc, d)
		}
	}
	pieces.class = nil // tok holds the classes now
	m.hash = make([]uint64, len(m.tok)+1)
	for g, c := range m.tok {
		m.hash[g+1] = m.hash[g]*polyBase + uint64(c+2)
	}
	// A run never crosses a separator, so no run is longer than the most pieces of a document.
	longestDoc := 0
	for d := range n {
		longestDoc = max(longestDoc, int(pieces.first[d+1]-pieces.first[d]))
	}
	m.pow = make([]uint64, longestDoc+2)
	m.pow[0] = 1
	for k := 1; k < len(m.pow); k++ {
		m.pow[k] = m.pow[k-1] * polyBase
	}
	m.longest = make([]int32, len(m.tok))
	m.docs = make([]int32, len(m.tok))
	return m
}

// runHash is the hash of the run of k classes at global position g.
func (m *miner) runHash(g, k int) uint64 {
	return mix(m.hash[g+k]-m.hash[g]*m.pow[k], k)
}

type dfCount struct{ docs, last int32 }

// grow sets longest[g] for every position, level by level: a run of k+1 pieces at g is only
// counted when the runs of k pieces at g and g+1 are both frequent, so each level touches the
// positions that can still grow, and the total work is the sum of the run lengths found.
func (m *miner) grow() {
	// Runs of one piece are counted by class in two arrays: a map by hash, as for longer
	// runs, would be the largest allocation of the miner.
	classes := 0
	for _, c := range m.tok {
		classes = max(classes, int(c)+1)
	}
	families := make([]int32, classes)
	lastFamily := make([]int32, classes)
	for c := range lastFamily {
		lastFamily[c] = -1
	}
	for g, c := range m.tok {
		if f := m.family[m.doc[g]]; c >= 0 && lastFamily[c] != f {
			families[c]++
			lastFamily[c] = f
		}
	}
	lastFamily = nil
	var active []int32
	for g, c := range m.tok {
		if c >= 0 && families[c] >= int32(m.minDocs) {
			m.longest[g] = 1
			m.docs[g] = families[c]
			active = append(active, int32(g))
		}
	}
	families = nil
	counts := make(map[uint64]dfCount)
	count := func(h uint64, d int32) {
		c, ok := counts[h]
		if !ok {
			c = dfCount{last: -1}
		}
		if c.last != d {
			c.docs++
			c.last = d
			counts[h] = c
		}
	}
	var next []int32
	for k := 1; len(active) > 0; k++ {
		clear(counts)
		next = next[:0]
		for _, g := range active {
			if m.longest[g+1] >= int32(k) {
				next = append(next, g)
				count(m.runHash(int(g), k+1), m.family[m.doc[g]])
			}
		}
		active = active[:0]
		for _, g := range next {
			n := counts[m.runHash(int(g), k+1)].docs
			if n >= int32(m.minDocs) && n*togetherRatio >= min(m.docs[g], m.docs[g+1]) && n*apartRatio >= max(m.docs[g], m.docs[g+1]) {
				m.longest[g] = int32(k + 1)
				m.docs[g] = n
				active = append(active, g)
			}
		}
	}
}

// candidate is a frequent run that is the longest at some position: at that position it is
// part of no longer frequent run.
type candidate struct {
	k    int     // pieces
	rep  int     // global position of its first maximal occurrence
	size int     // normalised runes at rep
	occ  []int32 // global positions of all its occurrences, then of those it owns

	found []located // filled by locate for a claimed candidate: its own occurrences
}

// located is an occurrence of a slogan in the original text.
type located struct {
	doc    int32
	span   text.Span // original code points
	text   string    // original text
	chrome bool      // stands where page chrome does
	quoted bool      // the occurrence is one quoted piece, or opens with a quotation mark
	// opensAfter and titled: as for occ, see quoteMarks
	opensAfter, titled bool
}

func (m *miner) candidates(jobs int) []*candidate {
	type key struct {
		k int
		h uint64
	}
	byKey := make(map[key]*candidate)
	var list []*candidate
	for g, l := range m.longest {
		if l == 0 || (g > 0 && m.longest[g-1] > l) {
			continue
		}
		k := int(l)
		kk := key{k, m.runHash(g, k)}
		if byKey[kk] == nil {
			c := &candidate{k: k, rep: g}
			byKey[kk] = c
			list = append(list, c)
		}
	}
	// Every occurrence of a candidate of k pieces starts where a frequent run of k or more
	// pieces starts. Visit positions by decreasing run length, so that for each k only the
	// positions that can hold a run of k are hashed.
	var starts []int32
	for g, l := range m.longest {
		if l > 0 {
			starts = append(starts, int32(g))
		}
	}
	slices.SortStableFunc(starts, func(a, b int32) int { return cmp.Compare(m.longest[b], m.longest[a]) })
	seen := make(map[int]bool)
	var lengths []int
	for _, c := range list {
		if !seen[c.k] {
			seen[c.k] = true
			lengths = append(lengths, c.k)
		}
	}
	// Each length is hashed on one of jobs goroutines: its candidates are its own, and the
	// map is only read.
	parallel.For(len(lengths), jobs, func(i int) {
		k := lengths[i]
		n := sort.Search(len(starts), func(i int) bool { return m.longest[starts[i]] < int32(k) })
		for _, g := range starts[:n] {
			c := byKey[key{k, m.runHash(int(g), k)}]
			if c != nil && slices.Equal(m.tok[g:int(g)+k], m.tok[c.rep:c.rep+k]) {
				c.occ = append(c.occ, g)
			}
		}
	})
	parallel.For(len(list), jobs, func(i int) { slices.Sort(list[i].occ) })
	// What only growing runs needed goes.
	m.hash, m.pow, m.longest, m.docs = nil, nil, nil, nil
	return list
}

// measure sets the size of each candidate, once the pieces' spans are loaded (see
// pieceTable.loadMined): read back after the arrays that only finding candidates needed
// are gone, they are not held with them.
func (m *miner) measure(list []*candidate) {
	for _, c := range list {
		p := m.piece(int32(c.rep))
		c.size = int(m.pieces.nEnd[p+int32(c.k)-1] - m.pieces.nStart[p])
	}
}

// claim turns candidates into slogans, longest first; each keeps the occurrences not already
// taken by a longer slogan and is a slogan if those still span minDocs families.
func (m *miner) claim(opt Options, list []*candidate) []*candidate {
	slices.SortFunc(list, func(a, b *candidate) int {
		if c := cmp.Compare(b.size, a.size); c != 0 {
			return c
		}
		if c := cmp.Compare(b.k, a.k); c != 0 {
			return c
		}
		return cmp.Compare(a.rep, b.rep)
	})
	taken := make([]bool, len(m.tok))
	var out []*candidate
	var own []int32
	for _, c := range list {
		if c.size < opt.MinQuotedChars {
			continue
		}
		own = own[:0]
		families, quoted, owned := 0, 0, 0
		lastDoc, lastFamily, lastEnd := int32(-1), int32(-1), 0
		for _, g := range c.occ {
			if slices.Contains(taken[g:int(g)+c.k], true) {
				continue
			}
			if m.doc[g] == lastDoc && int(g) < lastEnd {
				continue // overlaps its previous occurrence (a run like ABA in ABABA)
			}
			lastDoc = m.doc[g]
			lastEnd = int(g) + c.k
			if f := m.family[lastDoc]; f != lastFamily {
				families++
				lastFamily = f
			}
			own = append(own, g)
			w := m.weightAt(g)
			owned += w
			if c.k == 1 && m.pieces.quoted[m.piece(g)] {
				quoted += w
			}
		}
		if families < opt.MinDocs || len(own) == 0 {
			continue
		}
		// A phrase shorter than MinChars is a word as often as a set phrase (关键时刻, 关键少数):
		// it is a slogan only when it stands on its own, mostly quoted.
		if c.size < opt.MinChars && !(c.k == 1 && 2*quoted > owned) {
			continue
		}
		for _, g := range own {
			for x := int(g); x < int(g)+c.k; x++ {
				taken[x] = true
			}
		}
		c.occ = slices.Clone(own)
		out = append(out, c)
	}
	m.claimed()
	return out
}

// claimed drops what only growing and claiming runs needed: past them, documents are only
// cut again (recut), which needs to know which pieces are ignored, not their classes, and
// docAt finds a position's document without doc.
func (m *miner) claimed() {
	m.ignored = make(bitset, (len(m.tok)+63)/64)
	for g, c := range m.tok {
		if c < 0 {
			m.ignored.set(int32(g))
		}
	}
	m.tok, m.doc = nil, nil
}

// classAt is the class of the piece at global position g, or once the runs are claimed, what
// stands for it: -1 for an ignored piece, else 0.
func (m *miner) classAt(g int32) int32 {
	if m.tok != nil {
		return m.tok[g]
	}
	if m.ignored.has(g) {
		return -1
	}
	return 0
}

// recut makes again the docText of document d, with text s, as cutPieces made it when it was
// mined, but from the piece table: finding the clauses and cutting and trimming the pieces
// was a third of the cost of placing the occurrences (see finder.resolve). Its ignored spans
// and beforeOpener marks are not made again; its pieces' classes are only -1 for
// an ignored piece and 0 for the rest (see classAt).
func (m *miner) recut(d int32, s string) (*docText, error) {
	t := &docText{runes: []rune(s), norm: text.Normalize(s)}
	pt := m.pieces
	first, last := pt.first[d], pt.first[d+1]
	if pt.spill != nil {
		var err error
		if t.pieces, err = pt.spill.read(first, last); err != nil {
			return nil, err
		}
		for i := range t.pieces {
			t.pieces[i].class = m.classAt(m.base[d] + int32(i))
		}
	} else {
		t.pieces = make([]piece, last-first)
		for i := range t.pieces {
			p := first + int32(i)
			t.pieces[i] = piece{
				start: pt.start[p], end: pt.end[p], nStart: pt.nStart[p], nEnd: pt.cutEnd[p],
				class: m.classAt(m.base[d] + int32(i)), quoted: pt.quoted[p],
			}
		}
	}
	t.findLines()
	return t, nil
}
