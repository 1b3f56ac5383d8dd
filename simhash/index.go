package simhash

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"

	"github.com/neardup/neardup/internal/parallel"
)

// Index finds every added fingerprint within k bits of a query, exactly,
// without comparing all pairs (Manku, Jain and Das Sarma, "Detecting
// near-duplicates for web crawling", WWW 2007).
//
// The 64 bits are cut into b blocks. Two fingerprints at most k bits apart
// differ in at most k blocks, so by pigeonhole they agree exactly on at least
// b-k of them. For every choice of b-k key blocks the index keeps one table of
// the fingerprints sorted by those blocks, so that fingerprints agreeing on
// them form one run (a bucket). A query binary-searches each table for its
// bucket and checks the full distance of its members only; Pairs needs no
// search at all and compares the members of every bucket with each other.
// Every neighbour is found, in the first table (in a fixed order) whose
// blocks it agrees on; it is reported there only.
//
// Identical fingerprints are stored once with a posting list of ids, so a
// fingerprint shared by thousands of passages costs one candidate per table.
//
// Add may be called at any time; the tables are rebuilt lazily by the next
// Query, Pairs or Build after an Add, which costs a full sort, so add
// everything first. Once built, Query and Pairs may run concurrently from
// several goroutines as long as no Add runs; call Build first so that no
// query has to build.
//
// The tables take 8 bytes per distinct fingerprint each, C(b, k) times over
// (28 tables at k = 6), and only Query needs them all at once. Pairs on an
// index that Build has not sorted sorts one table at a time into buffers of
// its own and drops it once walked, so that it holds two tables' worth;
// callers that only want Pairs should not call Build.
type Index struct {
	k        int
	blocksN  int     // forces b when > 0 (benchmarks sweep it); 0 lets chooseBlocks pick
	pending  []entry // every (fp, id) added since the last prepare, which folds them into the built state
	prepared bool    // distinct, offsets, ids, blocks and the tables' keys are up to date
	built    bool    // and every table's fps is sorted

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

// table holds the distinct fingerprints, not permuted, sorted by their key
// blocks: by fp&mask, which orders them as the key blocks read as one number
// would, since the blocks keep their relative positions.
type table struct {
	set    uint32   // bit i set: block i is a key block
	mask   uint64   // the key blocks' bits
	digits []digit  // the key's radix digits, lowest first
	fps    []uint64 // nil until Build
}

// maxTables caps the number of tables: memory is 8 bytes per distinct
// fingerprint per table. 84 is C(9, 3) and C(9, 6); it lets k = 10 use 12
// blocks (66 tables), which its measurements favour over 11.
const maxTables = 84

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
	if x.prepared {
		x.unfold()
	}
	x.pending = append(x.pending, entry{fp, id})
	x.prepared, x.built = false, false
}

// Len reports how many (fingerprint, id) entries were added and how many
// distinct fingerprints they have.
func (x *Index) Len() (entries, distinct int) {
	x.prepare()
	return len(x.ids), len(x.distinct)
}

// Tables reports the number of blocks b and of tables C(b, k) in use; they
// depend on k and on the number of distinct fingerprints (see chooseBlocks).
func (x *Index) Tables() (blocks, tables int) {
	x.prepare()
	return len(x.blocks), len(x.tables)
}

// Stats reports how many queries ran and how many candidates they checked
// in total: table entries for Query; for Pairs, one query per distinct
// fingerprint and one candidate per pair of fingerprints compared in a
// bucket. Their ratio is the work per query that the tables could not avoid.
func (x *Index) Stats() (queries, candidates int) {
	return int(x.queries.Load()), int(x.candidates.Load())
}

// chooseBlocks picks b for k bits and m distinct fingerprints. With b blocks
// there are C(b, k) tables and keys of about 64(b-k)/b bits, so a bucket
// holds about m / 2^keyBits fingerprints by chance. Pairs costs, per table,
// a pass over the m fingerprints to build and walk it plus the pairs
// compared within its buckets, m^2 / 2^(keyBits+1); a table entry costs about
// as much as bucketWeight comparisons (measured on real clause fingerprints,
// which bunch more than random ones). chooseBlocks takes the b of least
// estimated cost. Queries favour few tables as well: a binary search costs
// about as much as a hundred candidates. On real clauses this picks, for
// 20,000 to 200,000 fingerprints, b = 4 for k = 3 (4 tables, 16-bit keys),
// b = 7 then 8 for k = 6 (7 or 28 tables) and b = 12 for k = 10 (66 tables).
func chooseBlocks(k, m int) int {
	if k == 0 {
		return 1
	}
	best, bestCost := k+1, math.Inf(1)
	for b := k + 1; binomial(b, k) <= maxTables; b++ {
		keyBits := 64 * float64(b-k) / float64(b)
		cost := float64(binomial(b, k)) * (1 + float64(m)/math.Exp2(keyBits)/bucketWeight)
		if cost < bestCost {
			best, bestCost = b, cost
		}
	}
	return best
}

// bucketWeight is how many bucket comparisons cost as much as one table
// entry (see chooseBlocks).
const bucketWeight = 32

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
	x.prepare()
	if x.built {
		return
	}
	x.built = true
	var scratch []uint64
	var counts []uint32
	for i := range x.tables {
		t := &x.tables[i]
		if t.mask == ^uint64(0) {
			t.fps = x.distinct // k = 0: the key is the whole fingerprint
			continue
		}
		bufA := make([]uint64, len(x.distinct))
		scratch = slices.Grow(scratch[:0], len(x.distinct))[:len(x.distinct)]
		t.fps = x.sortTable(t, x.distinct, bufA, scratch, &counts)
		if len(t.fps) > 0 && &t.fps[0] == &scratch[0] {
			scratch = bufA // the table keeps scratch; the next one reuses bufA
		}
	}
}

// prepare sorts the added entries into distinct fingerprints with their
// posting lists, and cuts the blocks and the tables' keys, but sorts no
// table.
func (x *Index) prepare() {
	if x.prepared {
		return
	}
	x.prepared, x.built = true, false

	// The entries are sorted in place and dropped once folded into the posting lists (Add
	// unfolds them again): held beside them, they took as much again.
	sorted := x.pending
	sortEntries(sorted, sorted, make([]entry, len(sorted)))
	x.pending = nil
	distinct := 0
	for i, e := range sorted {
		if i == 0 || e.fp != sorted[i-1].fp {
			distinct++
		}
	}
	x.distinct = make([]uint64, 0, distinct)
	x.offsets = make([]int32, 0, distinct+1)
	x.ids = make([]int32, 0, len(sorted))
	for i, e := range sorted {
		if i == 0 || e.fp != sorted[i-1].fp {
			x.distinct = append(x.distinct, e.fp)
			x.offsets = append(x.offsets, int32(len(x.ids)))
		}
		x.ids = append(x.ids, e.id)
	}
	x.offsets = append(x.offsets, int32(len(x.ids)))

	b := x.blocksN
	if b == 0 {
		b = chooseBlocks(x.k, len(x.distinct))
	}
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
	for _, set := range Combinations(b, b-x.k) {
		t := table{set: set}
		// The key's digits, lowest first, cut from runs of adjacent key
		// blocks so that each is read from the fingerprint with one shift.
		var run digit
		for i := range b + 1 {
			if i < b && set>>i&1 == 1 {
				bl := x.blocks[i]
				t.mask |= bl.mask
				if run.width == 0 {
					run.shift = bl.shift
				}
				run.width += bl.width
				continue
			}
			if run.width > 0 {
				n := (run.width + radixBits - 1) / radixBits
				for j := range n {
					lo := run.width * j / n
					t.digits = append(t.digits, digit{run.shift + lo, run.width*(j+1)/n - lo})
				}
				run = digit{}
			}
		}
		x.tables = append(x.tables, t)
	}
}

// unfold makes the entries of the posting lists pending again, for an Add after a prepare.
func (x *Index) unfold() {
	x.pending = make([]entry, 0, len(x.ids)+1)
	for d, fp := range x.distinct {
		for _, id := range x.ids[x.offsets[d]:x.offsets[d+1]] {
			x.pending = append(x.pending, entry{fp, id})
		}
	}
	x.distinct, x.offsets, x.ids = nil, nil, nil
}

// sortTable returns the distinct fingerprints sorted by t's key, in bufA or
// bufB (both as long as x.distinct, and both overwritten); counts is the
// radix sort's scratch, grown as needed. t's key must not be the whole
// fingerprint: that table is x.distinct itself.
func (x *Index) sortTable(t *table, fps, bufA, bufB []uint64, counts *[]uint32) []uint64 {
	if len(fps) < radixMin {
		copy(bufA, fps)
		slices.SortFunc(bufA[:len(fps)], func(a, b uint64) int { return cmp.Compare(a&t.mask, b&t.mask) })
		return bufA[:len(fps)]
	}
	*counts = slices.Grow((*counts)[:0], len(t.digits)<<radixBits)[:len(t.digits)<<radixBits]
	return radixSort(fps, bufA, bufB, t.digits, *counts)
}

// Radix sorts: LSD passes of at most radixBits bits, whose counters stay in
// L1; below radixMin items a comparison sort is quicker than clearing and
// summing the counters.
const (
	radixBits = 11
	radixMin  = 256
)

// digit is a radix digit: bits [shift, shift+width) of a fingerprint.
type digit struct{ shift, width uint }

// radixSort sorts src by the digits, least significant first, reading each
// digit straight from the fingerprint. It leaves src alone and returns the
// sorted fingerprints in bufA or bufB, both as long as src. counts must hold
// len(digits)<<radixBits counters.
func radixSort(src, bufA, bufB []uint64, digits []digit, counts []uint32) []uint64 {
	clear(counts)
	for _, fp := range src {
		for p, dg := range digits {
			counts[p<<radixBits|int(fp>>dg.shift&(1<<dg.width-1))]++
		}
	}
	in, out := src, bufA
	for p, dg := range digits {
		count := counts[p<<radixBits : (p+1)<<radixBits]
		if int(count[src[0]>>dg.shift&(1<<dg.width-1)]) == len(src) {
			continue // every fingerprint has the same digit
		}
		sum := uint32(0)
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		mask := uint64(1<<dg.width - 1)
		for _, fp := range in {
			d := fp >> dg.shift & mask & (1<<radixBits - 1)
			out[count[d]] = fp
			count[d]++
		}
		if &in[0] == &src[0] {
			in, out = out, bufB // src is read only
		} else {
			in, out = out, in
		}
	}
	if &in[0] == &src[0] {
		copy(bufA, src)
		return bufA
	}
	return in
}

// sortEntries writes src sorted by fingerprint, then id, into dst, which may
// be src itself; scratch is as long as src. A stable radix sort on the fingerprint keeps the ids of
// one fingerprint in order of addition, which is usually ascending already.
func sortEntries(dst, src, scratch []entry) {
	if len(src) < radixMin {
		copy(dst, src)
		slices.SortFunc(dst, func(a, b entry) int {
			return cmp.Or(cmp.Compare(a.fp, b.fp), cmp.Compare(a.id, b.id))
		})
		return
	}
	var count [1 << radixBits]int
	in := src
	// Six passes cover 64 bits; writing the last into dst needs an even
	// number of passes from src, which six is.
	bufs := [2][]entry{scratch, dst}
	for pass := range 6 {
		shift := uint(pass * radixBits)
		clear(count[:])
		for _, e := range in {
			count[e.fp>>shift&(1<<radixBits-1)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		out := bufs[pass%2]
		for _, e := range in {
			d := e.fp >> shift & (1<<radixBits - 1)
			out[count[d]] = e
			count[d]++
		}
		in = out
	}
	for i := 0; i < len(dst); {
		j := i + 1
		for j < len(dst) && dst[j].fp == dst[i].fp {
			j++
		}
		if run := dst[i:j]; j-i > 1 && !slices.IsSortedFunc(run, byID) {
			slices.SortStableFunc(run, byID)
		}
		i = j
	}
}

func byID(a, b entry) int { return cmp.Compare(a.id, b.id) }

// Combinations returns every r-element subset of 0..n-1 as a bit set, in
// lexicographic order of the ascending element lists: the sets of blocks of the permuted
// tables, in table order.
func Combinations(n, r int) []uint32 {
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
		key := fp & t.mask
		fps := t.fps
		// The first entry whose key is not below fp's.
		lo, hi := 0, len(fps)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if fps[mid]&t.mask < key {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		for i := lo; i < len(fps) && fps[i]&t.mask == key; i++ {
			candidates++
			other := fps[i]
			dist := bits.OnesCount64(fp ^ other)
			if dist > x.k || x.firstTable(fp, other) != t.set {
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
// index but not sorted: first the pairs of equal fingerprints, then the
// others table by table. The number of pairs grows with the square of a
// posting list: 5,000 ids sharing one fingerprint make 12.5 million pairs;
// callers that cap skew should look at PostingLen first.
//
// Pairs searches nothing: it walks every table once and compares the
// members of each bucket with each other, so its cost is the number of
// tables times the number of distinct fingerprints plus the pairs that
// share a bucket. Stats counts one query per distinct fingerprint and one
// candidate per pair compared. On an index that Build has not sorted, it
// sorts each table just before walking it, into two buffers reused from
// table to table, and keeps none: the order of the calls is the same.
func (x *Index) Pairs(fn func(a, b int32, dist int)) {
	x.PairsJobs(1, fn)
}

// PairsJobs is Pairs with the tables walked on up to jobs goroutines. fn is called on the
// calling goroutine only, with the pairs in the order Pairs gives them; the pairs of up to
// jobs tables are held at a time.
func (x *Index) PairsJobs(jobs int, fn func(a, b int32, dist int)) {
	x.prepare()
	for d := range x.distinct {
		own := x.ids[x.offsets[d]:x.offsets[d+1]]
		for i, a := range own {
			for _, b := range own[i+1:] {
				fn(min(a, b), max(a, b), 0)
			}
		}
	}
	emit := func(p, q uint64, dist int) {
		d, _ := slices.BinarySearch(x.distinct, p)
		e, _ := slices.BinarySearch(x.distinct, q)
		for _, a := range x.ids[x.offsets[d]:x.offsets[d+1]] {
			for _, b := range x.ids[x.offsets[e]:x.offsets[e+1]] {
				fn(min(a, b), max(a, b), dist)
			}
		}
	}
	var compared atomic.Int64
	if jobs <= 1 {
		w := x.tableWalker()
		for ti := range x.tables {
			compared.Add(int64(w(ti, emit)))
		}
	} else {
		type closePair struct {
			p, q uint64
			dist int
		}
		found := make([][]closePair, jobs)
		// One walker, and so one pair of sort buffers, per goroutine for all the tables:
		// Workers makes its workers one after another on this goroutine.
		walkers := make([]func(ti int, emit func(p, q uint64, dist int)) int, jobs)
		for lo := 0; lo < len(x.tables); lo += jobs {
			hi := min(lo+jobs, len(x.tables))
			made := 0
			parallel.Workers(hi-lo, jobs, func() func(i int) {
				if walkers[made] == nil {
					walkers[made] = x.tableWalker()
				}
				w := walkers[made]
				made++
				return func(i int) {
					out := found[i][:0]
					compared.Add(int64(w(lo+i, func(p, q uint64, dist int) { out = append(out, closePair{p, q, dist}) })))
					found[i] = out
				}
			})
			for i := range hi - lo {
				for _, c := range found[i] {
					emit(c.p, c.q, c.dist)
				}
			}
		}
	}
	x.queries.Add(int64(len(x.distinct)))
	x.candidates.Add(compared.Load())
}

// tableWalker returns a walk of one table's buckets that calls emit with every close pair
// of distinct fingerprints first found in that table, and returns how many it compared. The
// walker keeps its sort buffers: one walker per goroutine.
func (x *Index) tableWalker() func(ti int, emit func(p, q uint64, dist int)) int {
	var part, bufA, bufB []uint64
	var counts []uint32
	return func(ti int, emit func(p, q uint64, dist int)) int {
		t := &x.tables[ti]
		switch {
		case x.built:
			return x.walkBuckets(t, t.fps, emit)
		case t.mask == ^uint64(0):
			return x.walkBuckets(t, x.distinct, emit) // k = 0: the key is the whole fingerprint
		case len(x.distinct) <= walkPart:
			if bufA == nil {
				bufA = make([]uint64, len(x.distinct))
				bufB = make([]uint64, len(x.distinct))
			}
			return x.walkBuckets(t, x.sortTable(t, x.distinct, bufA, bufB, &counts), emit)
		}
		// A large table is sorted and walked in parts of consecutive values of its key's
		// top digit, in order, so that the buffers hold a part, not the table: the buckets
		// come in the order of the whole table's walk.
		top := t.digits[len(t.digits)-1]
		var hist [1 << radixBits]int
		for _, fp := range x.distinct {
			hist[fp>>top.shift&(1<<top.width-1)]++
		}
		compared := 0
		for lo := 0; lo < 1<<top.width; {
			hi, n := lo, 0
			for hi < 1<<top.width && (n == 0 || n+hist[hi] <= walkPart) {
				n += hist[hi]
				hi++
			}
			if n > 0 {
				part = slices.Grow(part[:0], n)
				for _, fp := range x.distinct {
					if v := int(fp >> top.shift & (1<<top.width - 1)); v >= lo && v < hi {
						part = append(part, fp)
					}
				}
				bufA = slices.Grow(bufA[:0], n)[:n]
				bufB = slices.Grow(bufB[:0], n)[:n]
				// Stable, as the whole table's radix sort is, whatever the part's length.
				counts = slices.Grow(counts[:0], len(t.digits)<<radixBits)[:len(t.digits)<<radixBits]
				compared += x.walkBuckets(t, radixSort(part, bufA, bufB, t.digits, counts), emit)
			}
			lo = hi
		}
		return compared
	}
}

// walkPart is the most fingerprints a walker sorts at once, unless one value of a key's
// top digit has more: 96 MiB of buffers. A part costs a pass over the table.
var walkPart = 1 << 22 // a variable, so that tests can cut small tables into parts

// walkBuckets compares the fingerprints of every bucket of fps, sorted by t's key, and calls
// emit with the close pairs first found in t; it returns how many pairs it compared.
func (x *Index) walkBuckets(t *table, fps []uint64, emit func(p, q uint64, dist int)) int {
	compared := 0
	for i := 0; i < len(fps); {
		key := fps[i] & t.mask
		j := i + 1
		for j < len(fps) && fps[j]&t.mask == key {
			j++
		}
		bucket := fps[i:j]
		compared += len(bucket) * (len(bucket) - 1) / 2
		for bi, p := range bucket {
			for _, q := range bucket[bi+1:] {
				dist := bits.OnesCount64(p ^ q)
				if dist <= x.k && x.firstTable(p, q) == t.set {
					emit(p, q, dist)
				}
			}
		}
		i = j
	}
	return compared
}

// PostingLen reports how many entries were added with exactly fingerprint fp.
func (x *Index) PostingLen(fp uint64) int {
	x.prepare()
	d, ok := slices.BinarySearch(x.distinct, fp)
	if !ok {
		return 0
	}
	return int(x.offsets[d+1] - x.offsets[d])
}
