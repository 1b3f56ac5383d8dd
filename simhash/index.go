package simhash

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"sync/atomic"
)

// Index finds every added fingerprint within k bits of a query, exactly,
// without comparing all pairs (Manku, Jain and Das Sarma, "Detecting
// near-duplicates for web crawling", WWW 2007).
//
// The 64 bits are cut into b blocks. Two fingerprints at most k bits apart
// differ in at most k blocks, so by pigeonhole they agree exactly on at least
// b-k of them. For every choice of b-k blocks the index keeps one table of the
// fingerprints with their bits permuted so that those blocks come first,
// sorted. A query permutes itself the same way, binary-searches each table for
// the entries whose leading b-k blocks equal its own, and checks the full
// distance of those candidates only. Every neighbour is found, in the first
// table (in a fixed order) whose blocks it agrees on; it is reported there only.
//
// Identical fingerprints are stored once with a posting list of ids, so a
// fingerprint shared by thousands of passages costs one candidate per table.
//
// Add may be called at any time; the tables are rebuilt lazily by the next
// Query, Pairs or Build after an Add, which costs a full sort, so add
// everything first. Once built, Query and Pairs may run concurrently from
// several goroutines as long as no Add runs; call Build first so that no
// query has to build.
type Index struct {
	k       int
	pending []entry // every (fp, id) added, in order
	built   bool

	// Built state.
	distinct []uint64 // distinct fingerprints, ascending
	offsets  []int32  // ids of distinct[i] are ids[offsets[i]:offsets[i+1]]
	ids      []int32
	blocks   []block
	tables   []table

	queries    atomic.Int64
	candidates atomic.Int64
}

type entry struct {
	fp uint64
	id int32
}

// block is a run of bits [shift, shift+width) of a fingerprint.
type block struct {
	shift, width uint
	mask         uint64 // the block's bits in place
}

// table holds the distinct fingerprints permuted so that the key blocks
// (a set of b-k blocks) are the top keyBits bits, sorted ascending.
type table struct {
	set     uint32 // bit i set: block i is a key block
	order   []int  // block numbers, key blocks first, each part ascending
	keyBits uint
	perm    []uint64
}

// maxTables caps the number of tables (memory is 8 bytes per distinct
// fingerprint per table); see chooseBlocks.
const maxTables = 64

// NewIndex returns an empty index for distance k. It panics unless 0 <= k <= 16:
// beyond 16 bits the blocks get so short that the search is no better than
// comparing all pairs.
func NewIndex(k int) *Index {
	if k < 0 || k > 16 {
		panic(fmt.Sprintf("simhash: index distance %d out of range 0..16", k))
	}
	return &Index{k: k}
}

// K is the distance the index answers for.
func (x *Index) K() int { return x.k }

// Add records that id has fingerprint fp. The same id may be added more than
// once; it is then reported once per addition.
func (x *Index) Add(fp uint64, id int32) {
	x.pending = append(x.pending, entry{fp, id})
	x.built = false
}

// Len reports how many (fingerprint, id) entries were added and how many
// distinct fingerprints they have.
func (x *Index) Len() (entries, distinct int) {
	x.Build()
	return len(x.ids), len(x.distinct)
}

// Tables reports the number of blocks b and of tables C(b, k) in use; they
// depend on k and on the number of distinct fingerprints (see chooseBlocks).
func (x *Index) Tables() (blocks, tables int) {
	x.Build()
	return len(x.blocks), len(x.tables)
}

// Stats reports how many queries ran (Pairs counts one per distinct
// fingerprint) and how many table entries they checked in total; their
// ratio is the work per query that the permuted tables could not avoid.
func (x *Index) Stats() (queries, candidates int) {
	return int(x.queries.Load()), int(x.candidates.Load())
}

// chooseBlocks picks b for k bits and m distinct fingerprints. With b blocks
// there are C(b, k) tables and a key of about 64(b-k)/b bits, so a query meets
// about m / 2^keyBits unrelated fingerprints per table by chance. b grows from
// k+1 (fewest tables) until that chance drops below 1/4 per table, unless the
// next b would need more than maxTables tables. For k = 3 and 100,000
// fingerprints that is b = 5 (10 tables, 25-bit keys); for k = 6, b = 8
// (28 tables, 16-bit keys); for k = 8, b = 10 (45 tables, 12-bit keys), where
// the tables run out before the keys are long enough.
func chooseBlocks(k, m int) int {
	if k == 0 {
		return 1
	}
	need := bits.Len(uint(m)) + 2 // key bits for under 1/4 chance meeting per table
	b := k + 1
	for {
		if 64*(b-k)/b >= need {
			return b
		}
		if binomial(b+1, k) > maxTables {
			return b
		}
		b++
	}
}

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// Build sorts the added fingerprints into the tables now rather than at the
// next query. It does nothing if nothing was added since the last build.
func (x *Index) Build() {
	if x.built {
		return
	}
	x.built = true

	sorted := slices.Clone(x.pending)
	slices.SortFunc(sorted, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.fp, b.fp), cmp.Compare(a.id, b.id))
	})
	x.distinct = x.distinct[:0]
	x.offsets = x.offsets[:0]
	x.ids = x.ids[:0]
	for i, e := range sorted {
		if i == 0 || e.fp != sorted[i-1].fp {
			x.distinct = append(x.distinct, e.fp)
			x.offsets = append(x.offsets, int32(len(x.ids)))
		}
		x.ids = append(x.ids, e.id)
	}
	x.offsets = append(x.offsets, int32(len(x.ids)))

	b := chooseBlocks(x.k, len(x.distinct))
	x.blocks = x.blocks[:0]
	shift := uint(0)
	for i := range b {
		width := uint(64 / b)
		if i < 64%b {
			width++
		}
		x.blocks = append(x.blocks, block{shift: shift, width: width, mask: (1<<width - 1) << shift})
		shift += width
	}

	x.tables = x.tables[:0]
	for _, set := range combinations(b, b-x.k) {
		t := table{set: set}
		for i := range b {
			if set>>i&1 == 1 {
				t.order = append(t.order, i)
				t.keyBits += x.blocks[i].width
			}
		}
		for i := range b {
			if set>>i&1 == 0 {
				t.order = append(t.order, i)
			}
		}
		t.perm = make([]uint64, len(x.distinct))
		for i, fp := range x.distinct {
			t.perm[i] = x.permute(&t, fp)
		}
		slices.Sort(t.perm)
		x.tables = append(x.tables, t)
	}
}

// combinations returns every r-element subset of 0..n-1 as a bit set, in
// lexicographic order of the ascending element lists.
func combinations(n, r int) []uint32 {
	var out []uint32
	var rec func(start int, set uint32, left int)
	rec = func(start int, set uint32, left int) {
		if left == 0 {
			out = append(out, set)
			return
		}
		for i := start; i <= n-left; i++ {
			rec(i+1, set|1<<i, left-1)
		}
	}
	rec(0, 0, r)
	return out
}

// permute moves the blocks of fp into t.order, the first at the top. A bit
// permutation keeps Hamming distances, so candidates are checked permuted.
func (x *Index) permute(t *table, fp uint64) uint64 {
	var p uint64
	top := uint(64)
	for _, i := range t.order {
		bl := &x.blocks[i]
		top -= bl.width
		p |= (fp & bl.mask) >> bl.shift << top
	}
	return p
}

func (x *Index) unpermute(t *table, p uint64) uint64 {
	var fp uint64
	top := uint(64)
	for _, i := range t.order {
		bl := &x.blocks[i]
		top -= bl.width
		fp |= (p >> top & (1<<bl.width - 1)) << bl.shift
	}
	return fp
}

// firstTable is the set of the table that reports a match: the b-k lowest
// numbered blocks on which a and b agree. Tables are made in lexicographic
// order, so this is the first table that finds the match.
func (x *Index) firstTable(a, b uint64) uint32 {
	diff := a ^ b
	var agree uint32
	for i := range x.blocks {
		if diff&x.blocks[i].mask == 0 {
			agree |= 1 << i
		}
	}
	var set uint32
	for range len(x.blocks) - x.k {
		low := agree & -agree
		set |= low
		agree &^= low
	}
	return set
}

// neighbours calls fn with the index into x.distinct and the distance of
// every distinct fingerprint within k bits of fp, each once, and returns the
// number of candidates checked.
func (x *Index) neighbours(fp uint64, fn func(d int, dist int)) int {
	candidates := 0
	for ti := range x.tables {
		t := &x.tables[ti]
		q := x.permute(t, fp)
		drop := 64 - t.keyBits
		key := q >> drop
		i, _ := slices.BinarySearch(t.perm, key<<drop)
		for ; i < len(t.perm) && t.perm[i]>>drop == key; i++ {
			candidates++
			p := t.perm[i]
			dist := bits.OnesCount64(p ^ q)
			if dist > x.k {
				continue
			}
			other := x.unpermute(t, p)
			if x.firstTable(fp, other) != t.set {
				continue
			}
			d, _ := slices.BinarySearch(x.distinct, other)
			fn(d, dist)
		}
	}
	return candidates
}

// Query calls fn for every added id whose fingerprint is within k bits of fp
// (an id added with fp itself included), with the distance. The order is
// fixed for a given index but not sorted.
func (x *Index) Query(fp uint64, fn func(id int32, dist int)) {
	x.Build()
	c := x.neighbours(fp, func(d, dist int) {
		for _, id := range x.ids[x.offsets[d]:x.offsets[d+1]] {
			fn(id, dist)
		}
	})
	x.queries.Add(1)
	x.candidates.Add(int64(c))
}

// Pairs calls fn once for every pair of added entries within k bits, with
// a < b (an id added twice pairs with itself once, as a == b). Pairs of equal
// fingerprints are included with distance 0. The order is fixed for a given
// index but not sorted. The number of pairs grows with the square of a
// posting list: 5,000 ids sharing one fingerprint make 12.5 million pairs;
// callers that cap skew should look at PostingLen first.
func (x *Index) Pairs(fn func(a, b int32, dist int)) {
	x.Build()
	candidates := 0
	for d, fp := range x.distinct {
		own := x.ids[x.offsets[d]:x.offsets[d+1]]
		for i, a := range own {
			for _, b := range own[i+1:] {
				fn(min(a, b), max(a, b), 0)
			}
		}
		candidates += x.neighbours(fp, func(e, dist int) {
			if e <= d {
				return // each unordered pair of distinct fingerprints once
			}
			for _, a := range own {
				for _, b := range x.ids[x.offsets[e]:x.offsets[e+1]] {
					fn(min(a, b), max(a, b), dist)
				}
			}
		})
	}
	x.queries.Add(int64(len(x.distinct)))
	x.candidates.Add(int64(candidates))
}

// PostingLen reports how many entries were added with exactly fingerprint fp.
func (x *Index) PostingLen(fp uint64) int {
	x.Build()
	d, ok := slices.BinarySearch(x.distinct, fp)
	if !ok {
		return 0
	}
	return int(x.offsets[d+1] - x.offsets[d])
}
