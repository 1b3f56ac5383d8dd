package slogan

import (
	"cmp"
	"hash/maphash"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/unionfind"
)

// textHash identifies a normalised text by two independent 64-bit hashes (maphash with two
// random seeds), so that classing need not keep the texts to compare them: two different
// texts share an id only if both hashes collide, with odds of about n²/2¹²⁹ for n distinct
// texts, under 2·10⁻²¹ even for a billion of them (a 40 GB corpus), far below the odds of a
// hardware fault in the run.
type textHash struct{ a, b uint64 }

// classes gives every piece a class id: pieces with equal normalised text share one, and
// texts one edit apart are merged (transitively) when both are at least variantMin runes.
// Ids are assigned in order of first appearance (call add in document order), and a merged
// class takes its smallest id, so the result does not depend on the order of a table. Texts
// are told apart by their hashes (see textHash); of the texts themselves it keeps only those
// that may have variants, in a textStore, so documents may drop their normalised text once
// added.
//
// Given a folder, it spills: the texts go to files, and pieces are classed once all are read
// (see spilledClasses), so that its memory is a few bytes a piece and a table of bounded size.
// Otherwise each piece is classed as it is added, in a table of all the distinct texts.
type classes struct {
	seeds      [2]maphash.Seed
	table      *textTable // the distinct texts, by id; nil once looked up for the last time
	distinct   int32
	texts      *textStore // the texts of variantMin to maxPhraseRunes runes
	variantMin int
	// shorter holds, per distinct text that a piece cut before a quotation mark or bracket
	// has and that ends in characters that may dangle there (see shortenDangling), the hash
	// of the text without them and how many runes they are; dangling lists those pieces.
	shorter  map[int32]shortening
	dangling []danglingPiece
	spilled  *spilledClasses
}

type danglingPiece struct{ p, class int32 }

type shortening struct {
	hash textHash
	cut  int32
}

// newClasses makes the classes of texts of which those of variantMin runes or more may be
// merged, spilled to files of dir unless dir is nil.
func newClasses(variantMin int, dir *spillDir) *classes {
	c := &classes{
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		texts: newTextStore(variantMin, dir), variantMin: variantMin,
	}
	if dir != nil {
		c.spilled = &spilledClasses{spillFile: spillFile{dir: dir}}
	} else {
		c.table, c.shorter = newTextTable(), make(map[int32]shortening)
	}
	return c
}

func (c *classes) hash(text []byte) textHash {
	return textHash{maphash.Bytes(c.seeds[0], text), maphash.Bytes(c.seeds[1], text)}
}

// hashPieces sets the hash of the text of every piece of t that is not ignored: done while
// documents are cut, on several goroutines, it is work that classing, one document after
// the other, does not do.
func (c *classes) hashPieces(t *docText) {
	for i := range t.pieces {
		if p := &t.pieces[i]; p.class >= 0 {
			p.hash = c.hash(t.text(p.nStart, p.nEnd))
		}
	}
	t.hashed = true
}

// add sets the class of every piece of t that is not ignored to the id of its text, hashing
// the pieces unless hashPieces did; base is the index of t's first piece in the piece table.
// Spilled, it records the pieces to be classed by classify.
func (c *classes) add(t *docText, base int32) {
	for i := range t.pieces {
		p := &t.pieces[i]
		if p.class < 0 {
			if c.spilled != nil {
				c.spilled.write(nil)
			}
			continue
		}
		text := t.text(p.nStart, p.nEnd)
		if !t.hashed {
			p.hash = c.hash(text)
		}
		if c.spilled != nil {
			c.spilled.write(&p.hash)
			c.texts.add(base+int32(i), int(p.nEnd-p.nStart), text)
			if p.beforeOpener {
				if n, cut := danglingTail(text); cut > 0 {
					c.spilled.short = append(c.spilled.short, spilledShortening{base + int32(i), cut, -1, c.hash(text[:n])})
				}
			}
			continue
		}
		id, isNew := c.table.find(p.hash, true)
		if isNew {
			c.texts.add(id, int(p.nEnd-p.nStart), text)
		}
		p.class = id
		if p.beforeOpener {
			c.noteDangling(p.class, text, base+int32(i))
		}
	}
}

// danglingTail returns the length in bytes of text without the characters at its end that may
// dangle before an opener, and how many runes they are.
func danglingTail(text []byte) (int, int32) {
	n, runes := len(text), int32(0)
	for n > 0 {
		r, size := utf8.DecodeLastRune(text[:n])
		if !mayDangleBeforeOpener(r) && !danglingBeforeOpener(r) {
			break
		}
		n -= size
		runes++
	}
	if n == 0 {
		return 0, 0
	}
	return n, runes
}

// noteDangling records piece p, of class id with text, for shortenDangling, when its text
// ends in characters that may dangle before an opener.
func (c *classes) noteDangling(id int32, text []byte, p int32) {
	n, cut := danglingTail(text)
	if cut == 0 {
		return
	}
	if _, ok := c.shorter[id]; !ok {
		c.shorter[id] = shortening{hash: c.hash(text[:n]), cut: cut}
	}
	c.dangling = append(c.dangling, danglingPiece{p, id})
}

// textTable is an open-addressing table of text hashes, whose entries are numbered in the
// order they are added.
type textTable struct {
	// slots holds an entry's number+1, or 0 for an empty slot. It is a quarter the size of a
	// map from text to id.
	slots []int32
	// hashes holds the hash of each entry, in chunks of hashChunk: one slice grown by append
	// would hold up to a quarter more than it needs, and twice as much while it is copied.
	hashes [][]textHash
	n      int32
}

const hashChunk = 1 << 16

func newTextTable() *textTable { return &textTable{slots: make([]int32, 1<<16)} }

func (t *textTable) hashOf(i int32) textHash { return t.hashes[i/hashChunk][i%hashChunk] }

// find returns the number of the entry of h and false, or, if there is none, the number of
// a new one and true if add is set, else -1 and false.
func (t *textTable) find(h textHash, add bool) (int32, bool) {
	if add && 2*(int(t.n)+1) > len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for x := h.a & mask; ; x = (x + 1) & mask {
		v := t.slots[x]
		if v == 0 {
			if !add {
				return -1, false
			}
			i := t.n
			t.n++
			t.slots[x] = i + 1
			if i%hashChunk == 0 {
				t.hashes = append(t.hashes, make([]textHash, 0, hashChunk))
			}
			last := &t.hashes[len(t.hashes)-1]
			*last = append(*last, h)
			return i, true
		}
		if t.hashOf(v-1) == h {
			return v - 1, false
		}
	}
}

// grow doubles the table, so that it stays at most half full.
func (t *textTable) grow() {
	t.slots = make([]int32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for i := range t.n {
		x := t.hashOf(i).a & mask
		for t.slots[x] != 0 {
			x = (x + 1) & mask
		}
		t.slots[x] = i + 1
	}
}

// classify gives every piece its class, once all are added: given to shorter texts
// (shortenDangling), then merged with their variants.
func (c *classes) classify(pt *pieceTable, jobs int) error {
	if c.spilled != nil {
		if err := c.classifySpilled(pt); err != nil {
			return err
		}
	} else {
		c.shortenDangling(pt)
	}
	return c.merge(pt, jobs)
}

// shortenDangling gives a piece cut before a quotation mark or bracket and ending in a function
// character that may also end a word (mayDangleBeforeOpener; the others are left off the piece
// when it is cut) to the text without those characters, when that text is a piece elsewhere:
// 国家主席习近平向“全球南方”… is the phrase 国家主席习近平 followed by 向, while
// 波克罗夫斯克方向（… keeps its 向, as no piece reads 波克罗夫斯克方. The piece's normalised end
// moves back with it, so that its bare search and its location leave the character out.
// Once done, texts are no longer looked up: the table goes.
func (c *classes) shortenDangling(pt *pieceTable) {
	type target struct{ id, cut int32 }
	to := make(map[int32]target)
	for id, s := range c.shorter {
		if short, _ := c.table.find(s.hash, false); short >= 0 {
			to[id] = target{short, s.cut}
		}
	}
	for _, d := range c.dangling {
		if t, ok := to[d.class]; ok {
			pt.shorten(d.p, t.id, t.cut)
		}
	}
	c.distinct = c.table.n
	c.table, c.shorter, c.dangling = nil, nil, nil
}

// merge joins the classes of variant texts and renumbers the pieces' classes.
func (c *classes) merge(pt *pieceTable, jobs int) error {
	defer c.texts.close()
	parent, err := mergeVariants(c.texts, int(c.distinct), c.variantMin, jobs)
	if err != nil {
		return err
	}
	c.texts.close()
	pt.setClasses(parent)
	return nil
}

// Polynomial hashing of rune sequences, so that the hash of a text with one rune deleted costs
// O(1) from prefix hashes. Collisions only cost a failed check: every pair is verified.
const polyBase = 0x9E3779B97F4A7C15 | 1

func mix(h uint64, n int) uint64 {
	h ^= uint64(n) * 0xC2B2AE3D27D4EB4F
	h ^= h >> 33
	h *= 0xFF51AFD7ED558CCD
	h ^= h >> 33
	return h
}

// delKey is a deletion key of a text, named by its index among the texts of its range, which
// orders them as their ids do.
type delKey struct {
	key uint64
	id  int32
}

// mergeVariants returns a union-find forest over the distinct texts in which texts one edit
// apart are joined. Two texts within one substitution share the key of the text with that
// rune deleted; a text one rune longer than another has the shorter text among its deletions.
// So each text contributes its own key and one key per deletion; texts meeting on a key are
// candidates, checked with an exact edit-distance test.
func mergeVariants(texts *textStore, distinct, variantMin, jobs int) ([]int32, error) {
	parent := unionfind.New[int32](distinct)
	// All keys at once would take 16 bytes per rune of every distinct text, the largest
	// allocation of a scan. A key hashes a text of one length (a text's own key has its
	// length, its deletions one less), and only keys of one length can meet, so the keys are
	// built, sorted and searched a range of lengths at a time, from the texts of that range
	// read from the store: each text is read and hashed for at most two ranges, and the joins
	// are the same. Since a union always keeps the smaller root, so is the forest, in
	// whatever order the ranges finish.
	var keysOfLen []int // keys of each length
	total := 0
	for n := variantMin; n <= maxPhraseRunes; n++ {
		count := texts.count(n)
		if count == 0 {
			continue
		}
		for len(keysOfLen) <= n {
			keysOfLen = append(keysOfLen, 0)
		}
		keysOfLen[n] += count
		keysOfLen[n-1] += n * count
		total += (n + 1) * count
	}
	// A shard is a range of lengths, or a part of the keys of one length (by their top bits)
	// when that length alone holds more than a shard's share; the parts of a range share its
	// texts, read once, and dropped when its last part is done.
	// They are all listed before the workers start: a length split into many parts can make
	// more of them than any bound guessed beforehand, and a full channel no one reads would
	// never drain (a 1 GB corpus hung there).
	var list []keyShard
	perShard := min(max(1, total/variantShards), maxShardKeys)
	for lo := 0; lo < len(keysOfLen); {
		hi, keys := lo, 0
		for hi < len(keysOfLen) && (keys == 0 || keys+keysOfLen[hi] <= perShard) {
			keys += keysOfLen[hi]
			hi++
		}
		bits := 0
		for keys>>bits > perShard {
			bits++
		}
		if keys > 0 {
			r := &lengthRange{lo: lo, hi: hi, parts: 1 << bits}
			for part := range uint64(1) << bits {
				list = append(list, keyShard{lo: lo, hi: hi, bits: uint(bits), part: part, r: r})
			}
		}
		lo = hi
	}
	shards := make(chan keyShard, len(list))
	for _, sh := range list {
		shards <- sh
	}
	close(shards)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for range max(1, min(jobs, len(shards))) {
		wg.Go(func() {
			var keys, tmp []delKey
			var joins [][2]int32
			for shard := range shards {
				r := shard.r
				r.once.Do(func() { r.texts, r.err = texts.load(r.lo, r.hi) })
				if r.err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, r.err)
					mu.Unlock()
					continue
				}
				keys = shardKeys(keys[:0], r.texts, variantMin, shard)
				keys, tmp = sortKeys(keys, tmp)
				joins = variantJoins(joins[:0], keys, r.texts)
				mu.Lock()
				for _, j := range joins {
					unionfind.Union(parent, j[0], j[1])
				}
				if r.parts--; r.parts == 0 {
					r.texts = nil
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return parent, nil
}

// lengthRange is the texts of the lengths [lo, hi] runes, read once for the parts of the
// range's keys; parts counts those not done yet.
type lengthRange struct {
	lo, hi int
	once   sync.Once
	texts  *rangeTexts
	err    error
	parts  int
}

// variantShards is about how many parts the deletion keys are built in, unless a part would
// then hold more than maxShardKeys keys (16 bytes each); see mergeVariants. Fewer parts hash
// fewer texts again; smaller ones take less memory at once, for corpora of many distinct
// texts (20,000 different stories: 2.5 million keys a part in 8).
const variantShards = 8

// maxShardKeys is a variable so that a test can make many small parts of a small corpus.
var maxShardKeys = 1 << 19

// keyShard selects the keys of lengths [lo, hi) runes whose top bits are part, of the texts
// of r.
type keyShard struct {
	lo, hi int
	bits   uint
	part   uint64
	r      *lengthRange
}

func (s keyShard) holds(key uint64) bool { return s.bits == 0 || key>>(64-s.bits) == s.part }

// shardKeys appends the deletion keys in shard of texts (of at least variantMin runes, in
// increasing id), each with the index of its text in texts, in increasing index.
func shardKeys(keys []delKey, texts *rangeTexts, variantMin int, shard keyShard) []delKey {
	lo, hi := shard.lo, shard.hi
	var prefix, pow []uint64
	for x := range texts.entries {
		prefix = append(prefix[:0], 0)
		pow = append(pow[:0], 1)
		i := 0
		for _, r := range string(texts.text(int32(x))) {
			prefix = append(prefix, prefix[i]*polyBase+uint64(r))
			pow = append(pow, pow[i]*polyBase)
			i++
		}
		n := i
		own, del := lo <= n && n < hi, lo <= n-1 && n-1 < hi
		if n < variantMin || n > maxPhraseRunes || (!own && !del) {
			continue
		}
		full := prefix[n]
		if k := mix(full, n); own && shard.holds(k) {
			keys = append(keys, delKey{k, int32(x)})
		}
		if !del {
			continue
		}
		for i := range n {
			rest := n - 1 - i
			suffix := full - prefix[i+1]*pow[rest]
			if k := mix(prefix[i]*pow[rest]+suffix, n-1); shard.holds(k) {
				keys = append(keys, delKey{k, int32(x)})
			}
		}
	}
	return keys
}

// sortKeys orders keys by key, then id, using tmp as scratch; it returns the sorted keys and
// the scratch to reuse. Keys are appended in increasing id, so a stable radix sort on the
// key alone gives that order, in linear time: this sort was the largest cost of slogan
// mining as a comparison sort. The radix passes sort by the top 32 bits only, which the
// hashed keys of a shard seldom share unless they are equal; the few runs that share them
// are then put in order by the whole key, which is the order of a sort by the whole key.
func sortKeys(keys, tmp []delKey) ([]delKey, []delKey) {
	if cap(tmp) < len(keys) {
		tmp = make([]delKey, len(keys))
	}
	tmp = tmp[:len(keys)]
	for shift := uint(32); shift < 64; shift += 16 {
		var count [1 << 16]int
		first := uint16(0)
		same := true
		for i, k := range keys {
			d := uint16(k.key >> shift)
			if i == 0 {
				first = d
			} else if d != first {
				same = false
			}
			count[d]++
		}
		if same {
			continue // every key has this digit: the pass would not move anything
		}
		pos := 0
		for d, c := range count {
			count[d] = pos
			pos += c
		}
		for _, k := range keys {
			d := uint16(k.key >> shift)
			tmp[count[d]] = k
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].key>>32 == keys[lo].key>>32 {
			hi++
		}
		if hi-lo > 1 {
			slices.SortStableFunc(keys[lo:hi], func(a, b delKey) int { return cmp.Compare(a.key, b.key) })
		}
		lo = hi
	}
	return keys, tmp
}

// variantJoins appends the pairs of texts to join (by id) found on sorted keys of texts. Within a run of equal
// keys, each text is checked against the earlier texts that started a group of their own
// ("anchors"); a few anchors suffice, as texts sharing a key are mostly one spelling and its
// variants. Which pairs are joined depends only on the run, never on earlier joins.
func variantJoins(joins [][2]int32, keys []delKey, texts *rangeTexts) [][2]int32 {
	const maxAnchors = 8
	var anchors []int32
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].key == keys[lo].key {
			hi++
		}
		if hi-lo > 1 {
			anchors = anchors[:0]
			for i := lo; i < hi; i++ {
				id := keys[i].id
				if i > lo && id == keys[i-1].id {
					continue
				}
				joined := false
				for _, a := range anchors {
					if withinOneEdit(texts.text(a), texts.text(id)) {
						joins = append(joins, [2]int32{texts.entries[a].id, texts.entries[id].id})
						joined = true
						break
					}
				}
				if !joined && len(anchors) < maxAnchors {
					anchors = append(anchors, id)
				}
			}
		}
		lo = hi
	}
	return joins
}

// withinOneEdit reports whether UTF-8 texts a and b differ by at most one rune substituted,
// inserted or deleted.
func withinOneEdit[T string | []byte](a, b T) bool {
	ra, rb := []rune(string(a)), []rune(string(b))
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	switch len(ra) - len(rb) {
	case 0:
		diff := 0
		for i := range ra {
			if ra[i] != rb[i] {
				diff++
			}
		}
		return diff <= 1
	case 1:
		i := 0
		for i < len(rb) && ra[i] == rb[i] {
			i++
		}
		return slices.Equal(ra[i+1:], rb[i:])
	}
	return false
}
