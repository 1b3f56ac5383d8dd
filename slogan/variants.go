package slogan

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/unionfind"
)

// textArena holds texts end to end in one byte slice: a string per text would cost a
// header and a rounded-up allocation each, more than half again the bytes of 300,000 short
// phrases.
type textArena struct {
	bytes []byte
	off   []int // text i is bytes[off[i]:off[i+1]]
}

func newTextArena() textArena { return textArena{off: []int{0}} }

func (a *textArena) add(text []byte) {
	a.bytes = append(a.bytes, text...)
	a.off = append(a.off, len(a.bytes))
}

func (a *textArena) len() int { return len(a.off) - 1 }

func (a *textArena) at(i int32) []byte { return a.bytes[a.off[i]:a.off[i+1]] }

// classes gives every piece a class id: pieces with equal normalised text share one, and
// texts one edit apart are merged (transitively) when both are at least variantMin runes.
// Ids are assigned in order of first appearance (call add in document order), and a merged
// class takes its smallest id, so the result does not depend on hashing. It keeps its own
// copy of each distinct text, so documents may drop their normalised text once added.
type classes struct {
	// slots is an open-addressing table of the distinct texts: id+1, or 0 for an empty slot.
	// It is a quarter the size of a map from text to id, the largest part of the miner's
	// memory while documents are read, and it is dropped once all are added.
	slots    []int32
	seed     maphash.Seed
	distinct textArena
	hashes   []uint64 // per distinct text: its hash, for growing the table; nil once merged
	quoted   []bool   // per distinct text: some piece with it is quoted
	root     []int32  // per distinct text: its class after merge
	// shortened marks the distinct texts whose pieces were given to a shorter text by
	// shortenDangling: they are not searched for bare inside other pieces.
	shortened []bool
}

func newClasses() *classes {
	return &classes{slots: make([]int32, 1<<16), seed: maphash.MakeSeed(), distinct: newTextArena()}
}

// hashPieces sets the hash of the text of every piece of t that is not ignored: done while
// documents are cut, on several goroutines, it is work that classing, one document after
// the other, does not do.
func (c *classes) hashPieces(t *docText) {
	for i := range t.pieces {
		if p := &t.pieces[i]; p.class >= 0 {
			p.hash = maphash.Bytes(c.seed, t.text(p.nStart, p.nEnd))
		}
	}
	t.hashed = true
}

// add sets the class of every piece of t that is not ignored to the id of its text, hashing
// the pieces unless hashPieces did.
func (c *classes) add(t *docText) {
	for i := range t.pieces {
		p := &t.pieces[i]
		if p.class < 0 {
			continue
		}
		text := t.text(p.nStart, p.nEnd)
		if !t.hashed {
			p.hash = maphash.Bytes(c.seed, text)
		}
		p.class = c.id(text, p.hash)
		c.quoted[p.class] = c.quoted[p.class] || p.quoted
	}
}

// id returns the id of text, whose hash is given, giving it the next one if it is new.
func (c *classes) id(text []byte, hash uint64) int32 {
	if 2*(c.distinct.len()+1) > len(c.slots) {
		c.grow()
	}
	mask := uint64(len(c.slots) - 1)
	for x := hash & mask; ; x = (x + 1) & mask {
		v := c.slots[x]
		if v == 0 {
			id := int32(c.distinct.len())
			c.slots[x] = id + 1
			c.distinct.add(text)
			c.hashes = append(c.hashes, hash)
			c.quoted = append(c.quoted, false)
			return id
		}
		if bytes.Equal(c.distinct.at(v-1), text) {
			return v - 1
		}
	}
}

// grow doubles the table, so that it stays at most half full.
func (c *classes) grow() {
	c.slots = make([]int32, 2*len(c.slots))
	mask := uint64(len(c.slots) - 1)
	for id := range int32(c.distinct.len()) {
		x := c.hashes[id] & mask
		for c.slots[x] != 0 {
			x = (x + 1) & mask
		}
		c.slots[x] = id + 1
	}
}

// lookup returns the id of text, or -1 if no piece has it.
func (c *classes) lookup(text []byte) int32 {
	mask := uint64(len(c.slots) - 1)
	for x := maphash.Bytes(c.seed, text) & mask; ; x = (x + 1) & mask {
		v := c.slots[x]
		if v == 0 {
			return -1
		}
		if bytes.Equal(c.distinct.at(v-1), text) {
			return v - 1
		}
	}
}

// shortenDangling gives a piece cut before a quotation mark or bracket and ending in a function
// character that may also end a word (mayDangleBeforeOpener; the others are left off the piece
// when it is cut) to the text without those characters, when that text is a piece elsewhere:
// 国家主席习近平向“全球南方”… is the phrase 国家主席习近平 followed by 向, while
// 波克罗夫斯克方向（… keeps its 向, as no piece reads 波克罗夫斯克方. The piece's normalised end
// moves back with it, so that its bare search and its location leave the character out.
func (c *classes) shortenDangling(pt *pieceTable) {
	const unknown, none = -2, -1
	var to []int32  // per distinct text: the shorter text, none, or unknown yet
	var cut []int32 // per distinct text: runes left off
	for p, class := range pt.class {
		if class < 0 || !pt.beforeOpener[p] {
			continue
		}
		if to == nil {
			to = make([]int32, c.distinct.len())
			for i := range to {
				to[i] = unknown
			}
			cut = make([]int32, c.distinct.len())
		}
		if to[class] == unknown {
			to[class] = none
			text := c.distinct.at(class)
			n, runes := len(text), int32(0)
			for n > 0 {
				r, size := utf8.DecodeLastRune(text[:n])
				if !mayDangleBeforeOpener(r) && !danglingBeforeOpener(r) {
					break
				}
				n -= size
				runes++
			}
			if runes > 0 && n > 0 {
				if id := c.lookup(text[:n]); id >= 0 {
					to[class], cut[class] = id, runes
				}
			}
		}
		if to[class] >= 0 {
			if c.shortened == nil {
				c.shortened = make([]bool, c.distinct.len())
			}
			c.shortened[class] = true
			pt.class[p] = to[class]
			pt.nEnd[p] -= cut[class]
		}
	}
	pt.beforeOpener = nil
}

// merge joins the classes of variant texts and renumbers the pieces' classes.
func (c *classes) merge(pieceClass []int32, variantMin, jobs int) {
	c.slots, c.hashes = nil, nil
	parent := mergeVariants(&c.distinct, variantMin, jobs)
	for id := range parent {
		unionfind.Find(parent, int32(id))
	}
	c.root = parent
	for i, class := range pieceClass {
		if class >= 0 {
			pieceClass[i] = parent[class]
		}
	}
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

type delKey struct {
	key uint64
	id  int32
}

// mergeVariants returns a union-find forest over the distinct texts in which texts one edit
// apart are joined. Two texts within one substitution share the key of the text with that
// rune deleted; a text one rune longer than another has the shorter text among its deletions.
// So each text contributes its own key and one key per deletion; texts meeting on a key are
// candidates, checked with an exact edit-distance test.
func mergeVariants(distinct *textArena, variantMin, jobs int) []int32 {
	parent := unionfind.New[int32](distinct.len())
	// All keys at once would take 16 bytes per rune of every distinct text, the largest
	// allocation of a scan. A key hashes a text of one length (a text's own key has its
	// length, its deletions one less), and only keys of one length can meet, so the keys are
	// built, sorted and searched a range of lengths at a time: each text is hashed for at most
	// two ranges, and the joins are the same. Since a union always keeps the smaller root, so
	// is the forest, in whatever order the ranges finish.
	runes := make([]int32, distinct.len())
	var keysOfLen []int // keys of each length
	total := 0
	for id := range int32(distinct.len()) {
		n := utf8.RuneCount(distinct.at(id))
		runes[id] = int32(n)
		if n < variantMin || n > maxPhraseRunes {
			continue
		}
		for len(keysOfLen) <= n {
			keysOfLen = append(keysOfLen, 0)
		}
		keysOfLen[n]++
		keysOfLen[n-1] += n
		total += n + 1
	}
	// A shard is a range of lengths, or a part of the keys of one length (by their top bits)
	// when that length alone holds more than a shard's share.
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
		for part := range uint64(1) << bits {
			if keys > 0 {
				list = append(list, keyShard{lo: lo, hi: hi, bits: uint(bits), part: part})
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
	for range max(1, min(jobs, len(shards))) {
		wg.Go(func() {
			var keys, tmp []delKey
			var joins [][2]int32
			for shard := range shards {
				keys = shardKeys(keys[:0], distinct, runes, variantMin, shard)
				keys, tmp = sortKeys(keys, tmp)
				joins = variantJoins(joins[:0], keys, distinct)
				mu.Lock()
				for _, j := range joins {
					unionfind.Union(parent, j[0], j[1])
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return parent
}

// variantShards is about how many parts the deletion keys are built in, unless a part would
// then hold more than maxShardKeys keys (16 bytes each); see mergeVariants. Fewer parts hash
// fewer texts again; smaller ones take less memory at once, for corpora of many distinct
// texts (20,000 different stories: 2.5 million keys a part in 8).
const variantShards = 8

// maxShardKeys is a variable so that a test can make many small parts of a small corpus.
var maxShardKeys = 1 << 19

// keyShard selects the keys of lengths [lo, hi) runes whose top bits are part.
type keyShard struct {
	lo, hi int
	bits   uint
	part   uint64
}

func (s keyShard) holds(key uint64) bool { return s.bits == 0 || key>>(64-s.bits) == s.part }

// shardKeys appends the deletion keys in shard of the texts of at least variantMin runes, in
// increasing id.
func shardKeys(keys []delKey, distinct *textArena, runes []int32, variantMin int, shard keyShard) []delKey {
	lo, hi := shard.lo, shard.hi
	var prefix, pow []uint64
	for id, n32 := range runes {
		n := int(n32)
		own, del := lo <= n && n < hi, lo <= n-1 && n-1 < hi
		if n < variantMin || n > maxPhraseRunes || (!own && !del) {
			continue
		}
		prefix = append(prefix[:0], 0)
		pow = append(pow[:0], 1)
		i := 0
		for _, r := range string(distinct.at(int32(id))) {
			prefix = append(prefix, prefix[i]*polyBase+uint64(r))
			pow = append(pow, pow[i]*polyBase)
			i++
		}
		full := prefix[n]
		if k := mix(full, n); own && shard.holds(k) {
			keys = append(keys, delKey{k, int32(id)})
		}
		if !del {
			continue
		}
		for i := range n {
			rest := n - 1 - i
			suffix := full - prefix[i+1]*pow[rest]
			if k := mix(prefix[i]*pow[rest]+suffix, n-1); shard.holds(k) {
				keys = append(keys, delKey{k, int32(id)})
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

// variantJoins appends the pairs of texts to join found on sorted keys. Within a run of equal
// keys, each text is checked against the earlier texts that started a group of their own
// ("anchors"); a few anchors suffice, as texts sharing a key are mostly one spelling and its
// variants. Which pairs are joined depends only on the run, never on earlier joins.
func variantJoins(joins [][2]int32, keys []delKey, distinct *textArena) [][2]int32 {
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
					if withinOneEdit(distinct.at(a), distinct.at(id)) {
						joins = append(joins, [2]int32{a, id})
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
