package match

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// Clause seeds need a whole clause in common. A sentence pasted into the middle of another
// sentence leaves no clause whole on one side, and a passage with an edit in every clause has
// no clause equal on both; such copies are found from anchors instead: k-grams of the
// normalised text chosen by winnowing (Schleimer, Wilkerson and Aiken 2003, the method of
// MOSS), which picks the smallest hash of every window of anchorW consecutive k-grams. Two
// texts sharing a run of anchorW+anchorK-1 characters are guaranteed to share an anchor, and
// a shared run of a few characters fewer most likely does. Anchors recurring in more than
// MaxDF documents are stock phrases and say nothing. Every passage grown from an anchor is
// extended on the text (xdropExtend) and verified like the others; the length minimum
// applies to the span as finally aligned.
const (
	// anchorK is the k-gram length in characters: six Han characters are a rare phrase,
	// and in a copy with an edit every ten characters most six-character runs survive.
	anchorK = 6
	// anchorW is the winnowing window: shared runs of 13 characters always give an anchor,
	// and about 0.22 of all positions are anchors.
	anchorW = 8
	// minAnchorHits is how many anchors a document pair must share to be compared: one
	// shared six-character phrase is common between unrelated stories, and a 30-character
	// copy shares about five.
	minAnchorHits = 2
	// maxAnchorMembers bounds the occurrences of one anchor that are paired up.
	maxAnchorMembers = 40
)

// anchorShardBits is how many top bits of an anchor's hash pick the shard it is grouped in.
const anchorShardBits = 6

// anchorRef is one anchor: its hash, document and byte offset in the normalised text.
type anchorRef struct {
	hash uint64
	doc  int32
	nb   int32
}

// anchorSeed is an anchor shared by documents a < b, at byte offsets na and nb of their
// normalised texts.
type anchorSeed struct{ a, b, na, nb int32 }

// winnow appends the anchors of one normalised text to dst, leaving out k-grams that touch
// an excluded rune range.
func winnow(dst []anchorRef, norm []byte, doc int32, excluded [][2]int, starts []int32, hashes []uint64) ([]anchorRef, []int32, []uint64) {
	// A polynomial rolling hash of the k runes, finished by a mixer: one multiply and add per
	// character instead of hashing every k-gram's bytes anew. The text is decoded once: the
	// rune leaving the window is kept in a ring.
	const p = 0x100000001B3
	pk := uint64(1) // p^anchorK
	for range anchorK {
		pk *= p
	}
	starts, hashes = starts[:0], hashes[:0]
	var ring [anchorK]rune
	var roll uint64
	i := 0
	for off := 0; off < len(norm); {
		// Decoded as ranging over the string would, with Han inline.
		var r rune
		if c := norm[off]; c < utf8.RuneSelf {
			r = rune(c)
			starts = append(starts, int32(off))
			off++
		} else if c&0xF0 == 0xE0 && off+2 < len(norm) && norm[off+1]&0xC0 == 0x80 && norm[off+2]&0xC0 == 0x80 && plainLead(c) {
			r = rune(c&0x0F)<<12 | rune(norm[off+1]&0x3F)<<6 | rune(norm[off+2]&0x3F)
			starts = append(starts, int32(off))
			off += 3
		} else {
			var size int
			r, size = utf8.DecodeRune(norm[off:])
			starts = append(starts, int32(off))
			off += size
		}
		roll = roll*p + uint64(r)
		if i >= anchorK {
			roll -= uint64(ring[i%anchorK]) * pk
		}
		ring[i%anchorK] = r
		i++
		if g := i - anchorK; g >= 0 {
			h := ^uint64(0) // never the smallest: an excluded k-gram is not an anchor
			if len(excluded) == 0 || !overlaps(excluded, g, g+anchorK) {
				h = simhash.Mix64(roll)
				if h == ^uint64(0) {
					h--
				}
			}
			hashes = append(hashes, h)
		}
	}
	runes := len(starts)
	starts = append(starts, int32(len(norm)))
	if runes < anchorK {
		return dst, starts, hashes
	}
	grams := runes - anchorK + 1
	last := -1
	w := min(anchorW, grams)
	m := -1
	for lo := 0; lo+w <= grams; lo++ {
		// The rightmost smallest of the window, as winnowing prescribes. While the last one
		// stays in the window, only the hash that came in can take its place.
		if m < lo {
			m = lo
			for i := lo + 1; i < lo+w; i++ {
				if hashes[i] <= hashes[m] {
					m = i
				}
			}
		} else if in := lo + w - 1; hashes[in] <= hashes[m] {
			m = in
		}
		if m != last && hashes[m] != ^uint64(0) {
			dst = append(dst, anchorRef{hashes[m], doc, starts[m]})
			last = m
		}
	}
	return dst, starts, hashes
}

// anchorSeeds returns the anchors shared by pairs of documents that share at least
// minAnchorHits of them, sorted by pair and position.
func anchorSeeds(states []docState, maxDF, jobs int) []anchorSeed {
	perDoc := make([][]anchorRef, len(states))
	parallel.Workers(len(states), jobs, func() func(i int) {
		var starts []int32
		var hashes []uint64
		var buf []anchorRef
		return func(d int) {
			buf, starts, hashes = winnow(buf[:0], states[d].norm, int32(d), states[d].excluded, starts, hashes)
			perDoc[d] = slices.Clone(buf)
			states[d].anchors = int32(len(buf))
		}
	})
	// Anchors are sorted and grouped in shards by their hash's top bits, in parallel; each
	// shard keeps document order within a hash, so the result does not depend on jobs.
	// The shards are sized first, so that all anchors are held about once, not up to three
	// times over while shards regrow beside the documents' lists.
	const shardBits = anchorShardBits
	var sizes [1 << shardBits]int
	for _, p := range perDoc {
		for _, r := range p {
			sizes[r.hash>>(64-shardBits)]++
		}
	}
	shards := make([][]anchorRef, 1<<shardBits)
	for k := range shards {
		shards[k] = make([]anchorRef, 0, sizes[k])
	}
	for d, p := range perDoc {
		for _, r := range p {
			k := r.hash >> (64 - shardBits)
			shards[k] = append(shards[k], r)
		}
		perDoc[d] = nil
	}
	perDoc = nil
	shardSeeds := make([][]anchorSeed, len(shards))
	shardStock := make([][]stockRef, len(shards))
	parallel.Workers(len(shards), jobs, func() func(i int) {
		var buf []anchorRef
		return func(k int) {
			all := shards[k]
			buf = sortAnchors(all, buf)
			g := anchorGroups{maxDF: maxDF}
			for _, r := range all {
				g.add(r)
			}
			g.flush()
			shards[k], shardSeeds[k], shardStock[k] = nil, g.seeds, g.stock
		}
	})
	seeds := concatReleasing(shardSeeds)
	for k := range shards {
		for _, r := range shardStock[k] {
			states[r.doc].stock = append(states[r.doc].stock, r.nb)
		}
	}
	return keptAnchorPairs(seeds, states, jobs)
}

// keptAnchorPairs sorts each document's stock anchors and the anchor seeds by pair, and keeps
// the pairs with enough anchors, two of them near each other on about the same diagonal (in
// bytes: up to four per character), as anchorPassages will need.
func keptAnchorPairs(seeds []anchorSeed, states []docState, jobs int) []anchorSeed {
	parallel.For(len(states), jobs, func(d int) { slices.Sort(states[d].stock) })
	parallel.SortFunc(seeds, func(x, y anchorSeed) int {
		return compare4(x.a, y.a, x.b, y.b, x.na, y.na, x.nb, y.nb)
	}, jobs)
	out := seeds[:0]
	for i := 0; i < len(seeds); {
		j := i + 1
		for j < len(seeds) && seeds[j].a == seeds[i].a && seeds[j].b == seeds[i].b {
			j++
		}
		if j-i >= minAnchorHits && nearPair(seeds[i:j]) {
			out = append(out, seeds[i:j]...)
		}
		i = j
	}
	return slices.Clip(out)
}

// sortAnchors sorts the anchors of one shard, given in document order and by position within a
// document, by (hash, doc, nb), as slices.SortFunc with compare3 would; buf is scratch,
// returned for reuse. The hashes are uniform: a stable scatter by the 12 bits below the
// shard's leaves buckets of a few anchors, each put in order by insertion.
func sortAnchors(all, buf []anchorRef) []anchorRef {
	const bucketBits = 12
	const shift = 64 - anchorShardBits - bucketBits
	if len(all) < 256 {
		slices.SortFunc(all, compareAnchors)
		return buf
	}
	var counts [1<<bucketBits + 1]int32
	for _, r := range all {
		counts[r.hash>>shift&(1<<bucketBits-1)+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	buf = slices.Grow(buf[:0], len(all))[:len(all)]
	for _, r := range all {
		b := r.hash >> shift & (1<<bucketBits - 1)
		buf[counts[b]] = r
		counts[b]++
	}
	lo := int32(0)
	for b := range 1 << bucketBits {
		hi := counts[b]
		if bucket := buf[lo:hi]; len(bucket) > 64 {
			slices.SortFunc(bucket, compareAnchors) // a stock phrase's many copies
		} else {
			insertionSortFunc(bucket, compareAnchors)
		}
		lo = hi
	}
	copy(all, buf)
	return buf
}

func compareAnchors(x, y anchorRef) int {
	return compare3(x.hash, y.hash, x.doc, y.doc, x.nb, y.nb)
}

// nearPair reports whether two of one pair's anchors (sorted by na) lie within 64 characters
// of each other and xBand characters of each other's diagonal, counting bytes generously.
func nearPair(seeds []anchorSeed) bool {
	const maxChar = 4
	for i := range seeds {
		for j := i + 1; j < len(seeds) && seeds[j].na-seeds[i].na <= 64*maxChar; j++ {
			if seeds[j].na == seeds[i].na {
				continue
			}
			if d := (seeds[j].nb - seeds[j].na) - (seeds[i].nb - seeds[i].na); d >= -xBand*maxChar && d <= xBand*maxChar {
				return true
			}
		}
	}
	return false
}

// runeText is a normalised text as runes.
type runeText struct {
	r []rune
}

func (t *runeText) set(norm []byte) { t.r = appendDecoded(t.r[:0], norm) }

// appendDecoded appends the runes of b to dst, as ranging over string(b) gives them. A text
// has at most as many runes as bytes; the slice is sized once and written by index, with the
// three-byte sequences of Han decoded inline.
func appendDecoded(dst []rune, norm []byte) []rune {
	base := len(dst)
	r := slices.Grow(dst, len(norm))[:base+len(norm)]
	k := base
	// Two Han characters at a time while the next eight bytes start with two three-byte
	// sequences whose lead bytes (E1-EC, EE, EF) can only begin valid ones.
	for i := 0; i < len(norm); k++ {
		for i+8 <= len(norm) && k+2 <= len(r) {
			v := binary.LittleEndian.Uint64(norm[i:])
			if v&0xC0C0F0C0C0F0 != 0x8080E08080E0 || !plainLead(byte(v)) || !plainLead(byte(v>>24)) {
				break
			}
			r[k] = rune(v&0x0F)<<12 | rune(v>>8&0x3F)<<6 | rune(v>>16&0x3F)
			r[k+1] = rune(v>>24&0x0F)<<12 | rune(v>>32&0x3F)<<6 | rune(v>>40&0x3F)
			k += 2
			i += 6
		}
		if i >= len(norm) {
			break
		}
		c := norm[i]
		switch {
		case c < utf8.RuneSelf:
			r[k] = rune(c)
			i++
			continue
		case c&0xF0 == 0xE0 && i+2 < len(norm) && norm[i+1]&0xC0 == 0x80 && norm[i+2]&0xC0 == 0x80:
			if x := rune(c&0x0F)<<12 | rune(norm[i+1]&0x3F)<<6 | rune(norm[i+2]&0x3F); x >= 0x800 && (x < 0xD800 || x > 0xDFFF) {
				r[k] = x
				i += 3
				continue
			}
		}
		x, size := utf8.DecodeRune(norm[i:])
		r[k] = x
		i += size
	}
	return r[:k]
}

// plainLead reports lead bytes of three-byte sequences that are valid whatever continuation
// bytes follow: not E0 (overlong below A0) nor ED (surrogates from A0).
func plainLead(c byte) bool { return c != 0xE0 && c != 0xED }

// runeCursor decodes a normalised text from a byte offset on, forwards or backwards, only as
// far as asked: an anchor's extension mostly stops a few dozen characters from it, and
// decoding both whole texts for it cost more than the extension.
type runeCursor struct {
	text  []byte
	from  int32 // the byte offset the cursor starts at
	at    int32 // forwards the start of the next rune to decode, backwards the end
	back  bool
	r     []rune  // the runes decoded, nearest first
	edges []int32 // per rune decoded, its far edge: its end forwards, its start backwards
}

func (c *runeCursor) reset(text []byte, from int32, back bool) {
	c.text, c.from, c.at, c.back = text, from, from, back
	c.r, c.edges = c.r[:0], c.edges[:0]
}

// fill decodes up to n runes and reports whether the text holds n.
func (c *runeCursor) fill(n int) bool {
	return len(c.r) >= n || c.more(n)
}

// more is fill for runes not decoded yet: it decodes a few beyond n, since the extension
// asks for one more rune per row.
func (c *runeCursor) more(n int) bool {
	want := n + 15
	for len(c.r) < want {
		var x rune
		if c.back {
			if c.at <= 0 {
				return len(c.r) >= n
			}
			// Normalised text is valid UTF-8: the rune starts at the first byte back that is
			// not a continuation byte.
			i := c.at - 1
			for i > 0 && c.text[i]&0xC0 == 0x80 && c.at-i < utf8.UTFMax {
				i--
			}
			if c.at-i == 3 && c.text[i]&0xF0 == 0xE0 {
				x = rune(c.text[i]&0x0F)<<12 | rune(c.text[i+1]&0x3F)<<6 | rune(c.text[i+2]&0x3F)
			} else {
				x, _ = utf8.DecodeRune(c.text[i:c.at])
			}
			c.at = i
		} else {
			if int(c.at) >= len(c.text) {
				return len(c.r) >= n
			}
			i := c.at
			if b := c.text[i]; b < utf8.RuneSelf {
				x, c.at = rune(b), i+1
			} else if b&0xF0 == 0xE0 && int(i)+2 < len(c.text) && c.text[i+1]&0xC0 == 0x80 && c.text[i+2]&0xC0 == 0x80 {
				// Normalised text is valid UTF-8: a three-byte sequence is a rune.
				x, c.at = rune(b&0x0F)<<12|rune(c.text[i+1]&0x3F)<<6|rune(c.text[i+2]&0x3F), i+3
			} else {
				var size int
				x, size = utf8.DecodeRune(c.text[i:])
				c.at = i + int32(size)
			}
		}
		c.r = append(c.r, x)
		c.edges = append(c.edges, c.at)
	}
	return true
}

// edge is the byte offset k runes from the start.
func (c *runeCursor) edge(k int) int32 {
	if k == 0 {
		return c.from
	}
	return c.edges[k-1]
}

// runeIndex is the index of the normalised rune at byte offset nb of st's normalised text:
// counted from the start of the last clause that starts at or before it, whose rune index
// the clause carries.
func runeIndex(st *docState, nb int32) int32 {
	// The last clause starting at or before nb, by bisection.
	lo, hi := 0, len(st.clauses)
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); st.clauses[m].nb > nb {
			hi = m
		} else {
			lo = m + 1
		}
	}
	k := lo - 1
	from, r := int32(0), int32(0)
	if k >= 0 {
		from, r = st.clauses[k].nb, st.clauses[k].rs
	}
	return r + int32(countRunes(st.norm[from:nb]))
}

// countRunes is utf8.RuneCount of valid UTF-8, as normalised text is: the bytes that do not
// continue a sequence, counted eight at a time.
func countRunes(b []byte) int {
	n := 0
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		n += 8 - bits.OnesCount64(x&^(x<<1)&0x8080808080808080) // 10xxxxxx: a continuation byte
		b = b[8:]
	}
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// runesEnd is the byte offset k runes after byte offset nb of norm, or -1 when norm ends
// first.
func runesEnd(norm []byte, nb int32, k int) int32 {
	for ; k > 0; k-- {
		if int(nb) >= len(norm) {
			return -1
		}
		_, size := utf8.DecodeRune(norm[nb:])
		nb += int32(size)
	}
	return nb
}

// anchorHit is a shared anchor at rune offsets pa and pb, on diagonal pb-pa, and byte
// offsets na and nb.
type anchorHit struct{ pa, pb, diag, na, nb int32 }

// anchorCursors are the four directions an anchor is extended in.
type anchorCursors struct{ fa, fb, ba, bb runeCursor }

var cursorPool = sync.Pool{New: func() any { return new(anchorCursors) }}

// anchorPassages grows passages from the anchors two documents share (sorted by position in
// A), on the text: each anchor that has another one near it on about the same diagonal and
// that lies in no passage found so far is extended both ways (xdropExtend), and the span is
// verified. Anchors in clauses left out of the evidence (ignored phrases, slogans) grow
// nothing.
func anchorPassages(a, b int, docA, docB *text.Offsets, sa, sb *docState, anchors []anchorSeed, opt Options, sc *scratch) []Passage {
	// Most pairs have no two usable anchors near each other once stock clauses are left out:
	// they are told from the bytes, before the texts are decoded.
	live := sc.live[:0]
	for _, s := range anchors {
		if !clauseOut(sa, s.na) && !clauseOut(sb, s.nb) {
			live = append(live, s)
		}
	}
	sc.live = live
	if len(live) < minAnchorHits || !nearPair(live) {
		return nil
	}
	anchors = live
	hits := sc.hits[:0]
	for _, s := range anchors {
		pa, pb := runeIndex(sa, s.na), runeIndex(sb, s.nb)
		hits = append(hits, anchorHit{pa, pb, pb - pa, s.na, s.nb})
	}
	slices.SortFunc(hits, func(x, y anchorHit) int { return cmp.Or(cmp.Compare(x.diag, y.diag), cmp.Compare(x.pa, y.pa)) })
	// An anchor grows a passage only with a second one near it: within xBand of its diagonal
	// and 64 characters of it.
	supported := sc.supported[:0]
	for range hits {
		supported = append(supported, false)
	}
	for i := range hits {
		for j := i + 1; j < len(hits) && hits[j].diag-hits[i].diag <= xBand; j++ {
			if d := hits[j].pa - hits[i].pa; d != 0 && d >= -64 && d <= 64 {
				supported[i], supported[j] = true, true
			}
		}
	}
	cur := cursorPool.Get().(*anchorCursors)
	defer cursorPool.Put(cur)
	var out []Passage
	type cover struct{ a0, a1, b0, b1 int32 }
	var covered []cover
	for i, h := range hits {
		if !supported[i] {
			continue
		}
		inside := false
		for _, c := range covered {
			if c.a0 <= h.pa && h.pa < c.a1 && c.b0 <= h.pb && h.pb < c.b1 {
				inside = true
				break
			}
		}
		if inside {
			continue
		}
		endA, endB := int(h.pa)+anchorK, int(h.pb)+anchorK
		if endA > sa.runes || endB > sb.runes {
			continue // a hash collision
		}
		ea, eb := runesEnd(sa.norm, h.na, anchorK), runesEnd(sb.norm, h.nb, anchorK)
		if ea < 0 || eb < 0 || string(sa.norm[h.na:ea]) != string(sb.norm[h.nb:eb]) {
			continue // a hash collision
		}
		cur.fa.reset(sa.norm, ea, false)
		cur.fb.reset(sb.norm, eb, false)
		fa, fb := xdropExtendText(&cur.fa, &cur.fb, sc)
		cur.ba.reset(sa.norm, h.na, true)
		cur.bb.reset(sb.norm, h.nb, true)
		ba, bb := xdropExtendText(&cur.ba, &cur.bb, sc)
		a0, a1 := int(h.pa)-ba, endA+fa
		b0, b1 := int(h.pb)-bb, endB+fb
		covered = append(covered, cover{int32(a0), int32(a1), int32(b0), int32(b1)})
		if min(a1-a0, b1-b0) < opt.MinPassage {
			continue
		}
		na0, na1 := cur.ba.edge(ba), cur.fa.edge(fa)
		nb0, nb1 := cur.bb.edge(bb), cur.fb.edge(fb)
		if stockShare(sa, na0, na1, a1-a0) >= 0.5 || stockShare(sb, nb0, nb1, b1-b0) >= 0.5 {
			continue
		}
		// Where the span came from in the original texts.
		fromA, _ := sa.sources.Source(a0, &sc.nz)
		_, toA := sa.sources.Source(a1-1, &sc.nz)
		fromB, _ := sb.sources.Source(b0, &sc.nz)
		_, toB := sb.sources.Source(b1-1, &sc.nz)
		pa := span{nb: na0, ne: na1, start: fromA, end: punctEnd(docA, toA)}
		pb := span{nb: nb0, ne: nb1, start: fromB, end: punctEnd(docB, toB)}
		if p, ok := verifyPassage(a, b, docA, docB, sa.norm, sb.norm, pa, pb, opt, sc); ok {
			out = append(out, p)
		}
	}
	sc.hits, sc.supported = hits[:0], supported[:0]
	return out
}

// punctEnd moves the end of a passage (a code point offset) over the punctuation right after
// it, as a clause ends after its mark: a copied sentence is reported with its full stop.
func punctEnd(doc *text.Offsets, end int32) int32 {
	for _, r := range doc.Slice(int(end), int(end)+8) {
		if !unicode.IsPunct(r) || unicode.In(r, unicode.Ps, unicode.Pi) { // not an opening bracket or quote
			break
		}
		end++
	}
	return end
}

// clauseOut reports whether the clause holding normalised byte nb is left out of the
// evidence, or capped as a stock phrase: as with clause seeds, a template sentence that
// recurs in many documents with a name changed does not make them copies of each other.
func clauseOut(st *docState, nb int32) bool {
	k := clauseEndingAfter(st, nb)
	return k < len(st.clauses) && st.clauses[k].nb <= nb && (st.clauses[k].out || st.clauses[k].capped)
}

// clauseEndingAfter is the first clause of st that ends after normalised byte nb, as
// sort.Search finds it, by bisection without a closure: anchors ask for it by the million.
func clauseEndingAfter(st *docState, nb int32) int {
	lo, hi := 0, len(st.clauses)
	for lo < hi {
		if m := int(uint(lo+hi) >> 1); st.clauses[m].ne > nb {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// stockShare tells how much of the normalised bytes [nb, ne), of runes characters, is stock
// text: the larger of the share that lies in clauses left out of the evidence or capped (see
// clauseOut) and the share of its anchors that recur in more than MaxDF documents, taking
// anchors to fall every (anchorW+1)/2 characters as winnowing picks them. A template sentence
// with a name or a number changed ("以色列在加沙地带的军事行动已造成超过3.5万名巴勒斯坦人死亡")
// is stock text though no clause of it recurs whole.
func stockShare(st *docState, nb, ne int32, runes int) float64 {
	k := clauseEndingAfter(st, nb)
	out := int32(0)
	for ; k < len(st.clauses) && st.clauses[k].nb < ne; k++ {
		if c := st.clauses[k]; c.out || c.capped {
			out += min(c.ne, ne) - max(c.nb, nb)
		}
	}
	lo, _ := slices.BinarySearch(st.stock, nb)
	hi, _ := slices.BinarySearch(st.stock, ne)
	stock := float64(hi-lo) * float64(anchorW+1) / 2 / float64(max(1, runes))
	return max(float64(out)/float64(max(1, ne-nb)), stock)
}

// mergePassages adds the anchor passages of one pair to its clause passages. Of two that
// overlap on both sides, the clause passage keeps an edge beyond the anchor passage's only
// where what it adds there is punctuation alike on both sides (see stripsAlign): whole
// clauses chained over a clause that recurs near the copy ("坚持以人民为中心的发展思想" before
// it on both sides, with different text between) take in text that was not copied, which
// the alignment of the anchor passage leaves out. The merged passage is verified again.
func mergePassages(docA, docB *text.Offsets, clauses, anchors []Passage, opt Options, sc *scratch) []Passage {
	out := clauses
	for _, p := range anchors {
		merged := false
		for k := range out {
			q := &out[k]
			if !(p.AStart < q.AEnd && q.AStart < p.AEnd && p.BStart < q.BEnd && q.BStart < p.BEnd) {
				continue
			}
			merged = true
			m := *q
			if !stripsAlign(docA, docB, q.AStart, p.AStart, q.BStart, p.BStart) {
				m.AStart, m.BStart = p.AStart, p.BStart
			}
			if !stripsAlign(docA, docB, p.AEnd, q.AEnd, p.BEnd, q.BEnd) {
				m.AEnd, m.BEnd = p.AEnd, p.BEnd
			}
			// Where the anchor passage reaches further, it aligned there.
			m.AStart, m.BStart = min(m.AStart, p.AStart), min(m.BStart, p.BStart)
			m.AEnd, m.BEnd = max(m.AEnd, p.AEnd), max(m.BEnd, p.BEnd)
			if m != *q {
				if v, ok := reverify(docA, docB, m, opt, sc); ok {
					*q = v
				} else {
					*q = p
				}
			}
			break
		}
		if !merged {
			out = append(out, p)
		}
	}
	// Merging can make two passages of the list overlap: keep the first (longest first
	// later; here the one found first) of any two that overlap on both sides.
	kept := out[:0]
	for _, p := range out {
		dup := false
		for _, q := range kept {
			if p.AStart < q.AEnd && q.AStart < p.AEnd && p.BStart < q.BEnd && q.BStart < p.BEnd {
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, p)
		}
	}
	return kept
}

// stripsAlign reports whether the text a clause passage adds beyond an anchor passage at one
// edge, A [a0,a1) and B [b0,b1) in code points, is as copied: nothing on both sides, or the
// same once normalised (punctuation). Anything else the alignment of the anchor passage
// would have taken in, had it aligned: the clause passage chained over it.
func stripsAlign(docA, docB *text.Offsets, a0, a1, b0, b1 int) bool {
	if a0 >= a1 && b0 >= b1 {
		return true
	}
	return string(text.AppendNormalized(nil, docA.Slice(max(a0, 0), max(a0, a1)))) == string(text.AppendNormalized(nil, docB.Slice(max(b0, 0), max(b0, b1))))
}

// reverify measures a merged passage again on its text.
func reverify(docA, docB *text.Offsets, p Passage, opt Options, sc *scratch) (Passage, bool) {
	ta := text.AppendNormalized(nil, docA.Slice(p.AStart, p.AEnd))
	tb := text.AppendNormalized(nil, docB.Slice(p.BStart, p.BEnd))
	pa := span{nb: 0, ne: int32(len(ta)), start: int32(p.AStart), end: int32(p.AEnd)}
	pb := span{nb: 0, ne: int32(len(tb)), start: int32(p.BStart), end: int32(p.BEnd)}
	return verifyPassage(p.A, p.B, docA, docB, ta, tb, pa, pb, opt, sc)
}

// sortAnchorRun sorts a run of anchors by (hash, doc, nb), as slices.SortFunc with
// compareAnchorRefs does, in place (see sortByHash).
func sortAnchorRun(run []anchorRef) {
	sortByHash(run, func(r anchorRef) uint64 { return r.hash }, compareAnchorRefs)
}

// sortByHash sorts run by cmp, which orders records by hash first, in place: American flag
// sort (McIlroy, Bostic and McIlroy 1993) on the top bits of the hash, a byte at a time while
// the buckets are large, whose uniform values leave buckets of a few records, each then put
// in order by insertion. A run is a worker's share of the corpus, up to millions of records,
// and no buffer as large is taken beside it; it is several times faster than slices.SortFunc.
func sortByHash[T any](run []T, hash func(T) uint64, cmp func(x, y T) int) {
	sortHashBits(run, 56, hash, cmp)
}

// sortHashBits is sortByHash of a run whose hashes agree above bit shift+8, from the byte
// at shift.
func sortHashBits[T any](run []T, shift uint, hash func(T) uint64, cmp func(x, y T) int) {
	if len(run) <= 64 {
		insertionSortFunc(run, cmp)
		return
	}
	var next, end [256]int32 // each bucket's next free slot and its end
	for _, r := range run {
		end[hash(r)>>shift&0xFF]++
	}
	sum := int32(0)
	for b := range end {
		next[b] = sum
		sum += end[b]
		end[b] = sum
	}
	// Every record is swapped into its bucket once; a slot already holding its own is skipped.
	for b := range next {
		for next[b] < end[b] {
			r := run[next[b]]
			for d := int(hash(r) >> shift & 0xFF); d != b; d = int(hash(r) >> shift & 0xFF) {
				run[next[d]], r = r, run[next[d]]
				next[d]++
			}
			run[next[b]] = r
			next[b]++
		}
	}
	lo := int32(0)
	for b := range end {
		hi := end[b]
		switch bucket := run[lo:hi]; {
		case shift == 0 || len(bucket) > 64 && hash(bucket[0]) == hash(bucket[len(bucket)-1]):
			slices.SortFunc(bucket, cmp) // one hash (a stock phrase's many copies), or nearly
		default:
			sortHashBits(bucket, shift-8, hash, cmp)
		}
		lo = hi
	}
}

// insertionSortFunc sorts a few records by cmp.
func insertionSortFunc[T any](run []T, cmp func(x, y T) int) {
	for i := 1; i < len(run); i++ {
		x := run[i]
		j := i
		for j > 0 && cmp(run[j-1], x) > 0 {
			run[j] = run[j-1]
			j--
		}
		run[j] = x
	}
}
