package slogan

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/parallel"
)

// A phrase unit is a substring of the pieces that recurs in MinDocs families and whose edges
// the text marks: the characters before its occurrences vary, and so do those after
// (委员 is followed by 长 in 162 of 215 occurrences, so 全国人大常委会委员 is no unit; the
// unit is 全国人大常委会委员长). Its document count is true: every document holding it,
// whatever longer phrase it sits in.
//
// Units are found on a suffix array of the token stream, sorted only as deep as maxUnitTokens
// tokens: each branching point of the sorted suffixes (an LCP interval) is a string with two
// or more different continuations, its occurrences the suffixes of the interval and its
// continuations the sub-intervals. The sort buckets suffixes by their first token and sorts
// each bucket on a key of the next three and the ties by comparison (see suffixes), which
// costs less than SA-IS on the whole stream, because no suffix needs to be ordered beyond the
// longest unit.

// unitMinDocs is the fewest families a unit needs when it is only ever found inside longer
// clauses: four characters recur by chance inside the clauses of three documents out of
// thousands far more often than a whole clause does. A unit that somewhere stands as a piece
// of its own (a clause, or quoted) needs only MinDocs.
const unitMinDocs = 5

// keyTokens is how many tokens the sort orders by before it compares suffixes.
const keyTokens = 4

// maxUnitTokens bounds units: a longer phrase is a clause or several, found as pieces.
const maxUnitTokens = 32

// An edge is no edge when one continuation takes more than half the occurrences (and at
// least two of them): 委员 is followed by 长 in 162 of 215.

// suffixUnits sorts the positions of the stream that may start a unit and finds the units
// on them (see units). It returns the sorted positions, sa.
//
// The order is that of compareFrom. Positions are first counted by their first token, in
// one pass over the stream. LCP intervals never cross from one first token to the next, so
// the buckets of first tokens are then sorted and walked a partition at a time (a range of
// first tokens holding about partitionSuffixes suffixes): what sorting and walking need
// besides sa, three times its size, is only ever held for one partition. Each partition's
// suffixes are put in buckets by another pass over the stream, which also reads each suffix's
// key (the next keyTokens-1 tokens) in stream order: read bucket by bucket, the tokens after
// the suffixes of a bucket are all over the stream, and reading them was most of the sort.
// Each bucket is then sorted on its own, on one of jobs goroutines, by that key, and only
// suffixes that tie on the key are compared on the tokens themselves.
func (ts *tokenStream) suffixUnits(family, weight []int32, queries [][]int32, dir *spillDir, minDocs, jobs int) (sa *suffixArray, units []unit, found [][]int32, err error) {
	ts.edges()
	if ts.tok16 != nil {
		return suffixUnitsOf(&view[uint16]{ts, ts.tok16, sep16}, family, weight, queries, dir, minDocs, jobs)
	}
	return suffixUnitsOf(&view[int32]{ts, ts.tok, sep}, family, weight, queries, dir, minDocs, jobs)
}

// token is what a stream held in memory is made of (see tokenStream.finish).
type token interface{ ~uint16 | ~int32 }

// view is the stream held as T, whose separator is sep; what sorting and walking the suffixes
// read of it.
type view[T token] struct {
	*tokenStream
	tok []T
	sep T
}

// wide is t as an int32: a dense id, or sep.
func (ts *view[T]) wide(t T) int32 {
	if t == ts.sep {
		return sep
	}
	return int32(t)
}

func suffixUnitsOf[T token](ts *view[T], family, weight []int32, queries [][]int32, dir *spillDir, minDocs, jobs int) (sa *suffixArray, units []unit, found [][]int32, err error) {
	tok := ts.tok
	// The stream is read in parts, one per goroutine; each part's suffixes go to its own
	// range of each partition, after those of the parts before, so that a partition holds
	// its suffixes in stream order.
	parts := max(1, min(jobs, len(tok)/partTokens))
	partOf := func(i int) (lo, hi int) { return i * len(tok) / parts, (i + 1) * len(tok) / parts }
	// A suffix shorter than two tokens starts no unit; those of first tokens [tlo, thi) are
	// yielded.
	starts := func(lo, hi int, tlo, thi int32) func(yield func(p int32) bool) {
		return func(yield func(p int32) bool) {
			for p := lo; p < hi && p+1 < len(tok); p++ {
				// The separator is never in [tlo, thi): -1, or above every dense id.
				if t := int32(tok[p]); tlo <= t && t < thi && tok[p+1] != ts.sep && ts.mayStart(t) && !yield(int32(p)) {
					return
				}
			}
		}
	}
	ids := int32(len(ts.text))
	counts := make([][]int32, parts) // per part, suffixes per first token
	parallel.For(parts, jobs, func(i int) {
		c := make([]int32, ids)
		lo, hi := partOf(i)
		for p := range starts(lo, hi, 0, ids) {
			c[tok[p]]++
		}
		counts[i] = c
	})
	first := make([]int32, ids+1)
	for t := range ids {
		first[t+1] = first[t]
		for i := range parts {
			first[t+1] += counts[i][t]
		}
	}
	// Partition k holds the first tokens [bounds[k], bounds[k+1]).
	bounds := []int32{0}
	largest := int32(0)
	for tlo := int32(0); tlo < ids; {
		thi := tlo + 1
		for thi < ids && first[thi+1]-first[tlo] <= int32(partitionSuffixes) {
			thi++
		}
		bounds = append(bounds, thi)
		largest = max(largest, first[thi]-first[tlo])
		tlo = thi
	}
	if sa, err = newSuffixArray(first, int(first[ids]), dir); err != nil {
		return nil, nil, nil, err
	}
	byPartition, err := ts.partitionStarts(sa, first, bounds, counts, partOf, starts, dir, jobs)
	if err != nil {
		sa.close()
		return nil, nil, nil, err
	}
	defer byPartition.close()
	// Each query is looked up in the partition of its first token.
	found = make([][]int32, len(queries))
	byPart := make([][]int, len(bounds)-1)
	for i, q := range queries {
		k, ok := slices.BinarySearch(bounds, q[0])
		if !ok {
			k--
		}
		byPart[k] = append(byPart[k], i)
	}
	var saBuf, order []int32
	keys := make([]uint64, largest)
	lcp := make([]int32, largest)
	ctx := make([]suffixContext, largest)
	w := ts.unitWeights(weight)
	familyCount := int32(0)
	for _, f := range family {
		familyCount = max(familyCount, f+1)
	}
	var walkers walkerPool
	for k := range len(bounds) - 1 {
		tlo, thi := bounds[k], bounds[k+1]
		base, n := first[tlo], first[thi]-first[tlo]
		if n == 0 {
			continue
		}
		if order, err = byPartition.read(order, base, n); err != nil {
			sa.close()
			return nil, nil, nil, err
		}
		psa := sa.part(base, base+n, saBuf)
		pkeys, plcp, pctx := keys[:n], lcp[:n], ctx[:n]
		// The partition's suffixes, in stream order, go to their buckets, each reading its
		// key then: in one part of them per goroutine, each to its own range of each bucket,
		// after those of the parts before.
		next := make([][]int32, parts)
		parallel.For(parts, jobs, func(i int) {
			c := make([]int32, thi-tlo)
			for _, p := range order[i*int(n)/parts : (i+1)*int(n)/parts] {
				c[int32(tok[p])-tlo]++
			}
			next[i] = c
		})
		for t := tlo; t < thi; t++ {
			at := first[t] - base
			for i := range parts {
				c := next[i][t-tlo]
				next[i][t-tlo] = at
				at += c
			}
		}
		parallel.For(parts, jobs, func(i int) {
			next := next[i]
			for _, p := range order[i*int(n)/parts : (i+1)*int(n)/parts] {
				t := int32(tok[p]) - tlo
				x := next[t]
				psa[x] = p
				pkeys[x] = ts.suffixKey(p)
				next[t]++
			}
		})
		var buckets []int32 // dense ids whose bucket holds two or more suffixes
		for t := tlo; t < thi; t++ {
			if first[t+1]-first[t] > 1 {
				buckets = append(buckets, t)
			}
		}
		// Largest buckets first, so that the goroutines finish together.
		slices.SortStableFunc(buckets, func(a, b int32) int {
			return cmp.Compare(first[b+1]-first[b], first[a+1]-first[a])
		})
		clear(plcp)
		parallel.Workers(len(buckets), jobs, func() func(int) {
			var s suffixSorter[T]
			return func(i int) {
				t := buckets[i]
				lo, hi := first[t]-base, first[t+1]-base
				s.sort(ts, psa[lo:hi], pkeys[lo:hi], plcp[lo:hi])
			}
		})
		// What items need of the partition's suffixes is taken before they go: the
		// occurrences of its units and of the queries.
		for _, u := range ts.units(psa, plcp, pctx, family, w, &walkers, familyCount, minDocs, jobs) {
			// A copy: the stream may be released once sorted.
			u.toks = widen(tok[psa[u.lo] : psa[u.lo]+u.length])
			u.starts = slices.Clone(psa[u.lo:u.hi])
			slices.Sort(u.starts)
			units = append(units, u)
		}
		for _, i := range byPart[k] {
			q := queries[i]
			if lo, hi := searchSuffixes(ts.tokenStream, psa, first[q[0]]-base, first[q[0]+1]-base, q); lo < hi {
				found[i] = slices.Clone(psa[lo:hi])
				slices.Sort(found[i])
			}
		}
		if err := sa.keep(psa); err != nil {
			sa.close()
			return nil, nil, nil, err
		}
		if sa.mem == nil {
			saBuf = psa
		}
	}
	if err := sa.done(); err != nil {
		sa.close()
		return nil, nil, nil, err
	}
	return sa, units, found, nil
}

// partTokens is the fewest tokens a part of the stream read on a goroutine of its own has; a
// variable so that a test can read a small corpus in parts.
var partTokens = 1 << 16

// partitionSuffixes is about how many suffixes suffixUnits sorts and walks at a time (28
// bytes each besides the array); a variable so that a test can cut a small corpus into many
// partitions.
var partitionSuffixes = 1 << 20

// suffixStarts holds every suffix of the stream in the range of its partition (see
// partitionStarts), in stream order: in the suffix array itself when it is kept in memory,
// else in a file.
type suffixStarts struct {
	mem  []int32
	file *os.File
	raw  []byte
}

// partitionStarts puts every suffix in its partition, in one pass over the stream: a pass
// per partition read the whole stream each time, which grew with the square of its size.
// Partition k holds the first tokens [bounds[k], bounds[k+1]) and the suffixes [first[t],
// first[t+1]) of each first token t; counts are the suffixes per first token of each part
// of the stream that partOf gives, starts those of a part.
func (ts *view[T]) partitionStarts(sa *suffixArray, first, bounds []int32, counts [][]int32, partOf func(int) (int, int), starts func(lo, hi int, tlo, thi int32) func(func(int32) bool), dir *spillDir, jobs int) (*suffixStarts, error) {
	ids := int32(len(first) - 1)
	partitions := len(bounds) - 1
	partitionOf := make([]int32, ids)
	for k := range partitions {
		for t := bounds[k]; t < bounds[k+1]; t++ {
			partitionOf[t] = int32(k)
		}
	}
	// next[i][k]: where the next suffix of partition k in part i goes.
	next := make([][]int32, len(counts))
	at := make([]int32, partitions)
	for k := range partitions {
		at[k] = first[bounds[k]]
	}
	for i, c := range counts {
		next[i] = slices.Clone(at)
		for t, n := range c {
			at[partitionOf[t]] += n
		}
	}
	s := &suffixStarts{mem: sa.mem}
	if s.mem == nil {
		f, err := dir.create("starts")
		if err != nil {
			return nil, err
		}
		s.file = f
	}
	errs := make([]error, len(counts))
	parallel.For(len(counts), jobs, func(i int) {
		next := next[i]
		lo, hi := partOf(i)
		if s.mem != nil {
			for p := range starts(lo, hi, 0, ids) {
				k := partitionOf[ts.tok[p]]
				s.mem[next[k]] = p
				next[k]++
			}
			return
		}
		// Each partition's suffixes are written a buffer at a time, where they go.
		bufs := make([][]int32, partitions)
		var raw []byte
		flush := func(k int32) {
			if b := bufs[k]; len(b) > 0 && errs[i] == nil {
				raw = appendInt32s(raw[:0], b)
				if _, err := s.file.WriteAt(raw, 4*int64(next[k]-int32(len(b)))); err != nil {
					errs[i] = fmt.Errorf("spilling to a temporary folder: %w", err)
				}
			}
			bufs[k] = bufs[k][:0]
		}
		for p := range starts(lo, hi, 0, ids) {
			k := partitionOf[ts.tok[p]]
			if bufs[k] == nil {
				bufs[k] = make([]int32, 0, 1<<12)
			}
			bufs[k] = append(bufs[k], p)
			next[k]++
			if len(bufs[k]) == cap(bufs[k]) {
				flush(k)
			}
		}
		for k := range bufs {
			flush(int32(k))
		}
	})
	if err := errors.Join(errs...); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// read returns the n suffixes from base, in stream order, in buf grown to n.
func (s *suffixStarts) read(buf []int32, base, n int32) ([]int32, error) {
	if s.mem != nil {
		return append(buf[:0], s.mem[base:base+n]...), nil
	}
	buf = buf[:0]
	for len(buf) < int(n) {
		m := min(int(n)-len(buf), 1<<14)
		s.raw = slices.Grow(s.raw[:0], 4*m)[:4*m]
		if _, err := s.file.ReadAt(s.raw, 4*(int64(base)+int64(len(buf)))); err != nil {
			return nil, fmt.Errorf("reading spilled suffixes: %w", err)
		}
		for i := 0; i < len(s.raw); i += 4 {
			buf = append(buf, int32(binary.LittleEndian.Uint32(s.raw[i:])))
		}
	}
	return buf, nil
}

// close removes the file.
func (s *suffixStarts) close() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
}

// suffixSorter sorts the suffixes of one bucket (same first token), with scratch memory
// reused from bucket to bucket.
type suffixSorter[T token] struct {
	keys, tmp []suffixKey
	count     []int32
	packed    []uint64
}

// suffixKey is a suffix and its next tokens, keyDigitBits each from the most significant
// bits down: min(id+1, keyDigitMax), 0 from the separator that ends the suffix on.
type suffixKey struct {
	key uint64
	pos int32
}

const (
	keyDigitBits = 16
	keyDigitMax  = 1<<keyDigitBits - 1 // dense ids from keyDigitMax-1 up share this digit
	keyDigits    = keyTokens - 1       // the first token is the bucket
	radixMin     = 1 << 12             // smaller buckets are sorted by comparison
)

// A key of keyDigits digits and the index of a suffix in a bucket smaller than radixMin fit
// in one uint64 (see suffixSorter.sort).
const _ = uint(64 - keyDigits*keyDigitBits - 16)
const _ = uint(1<<16 - radixMin)

// suffixKey is the key of the suffix at p, which has at least two tokens.
func (ts *view[T]) suffixKey(p int32) uint64 {
	tok := ts.tok
	var key uint64
	ended := false
	for k := int32(1); k <= keyDigits; k++ {
		key <<= keyDigitBits
		if ended = ended || tok[p+k] == ts.sep; !ended {
			key |= min(uint64(tok[p+k])+1, keyDigitMax)
		}
	}
	return key
}

// sort orders sa, positions in increasing order that share their first token, with their
// keys, and sets lcp for them (lcp[0], against the previous bucket, is 0).
func (s *suffixSorter[T]) sort(ts *view[T], sa []int32, keys []uint64, lcp []int32) {
	s.keys = s.keys[:0]
	if len(sa) >= radixMin {
		for i, p := range sa {
			s.keys = append(s.keys, suffixKey{keys[i], p})
		}
		s.radix()
	} else {
		// The key holds keyDigits digits below its top 16 bits, and the positions come in
		// increasing order: a key and the index of its suffix make one number, sorted
		// without a comparison function.
		s.packed = s.packed[:0]
		for i := range sa {
			s.packed = append(s.packed, keys[i]<<16|uint64(i))
		}
		slices.Sort(s.packed)
		for _, x := range s.packed {
			i := x & (1<<16 - 1)
			s.keys = append(s.keys, suffixKey{keys[i], sa[i]})
		}
	}
	for i, k := range s.keys {
		sa[i] = k.pos
	}
	// Ties on the key are sorted by the tokens themselves, unless the key already ends the
	// suffix (they are then in position order, as compareFrom puts them).
	sorted := s.keys
	for lo := 0; lo < len(sorted); {
		hi := lo + 1
		for hi < len(sorted) && sorted[hi].key == sorted[lo].key {
			hi++
		}
		if hi-lo > 1 && !keyEnds(sorted[lo].key, keyDigits) {
			if keyExact(sorted[lo].key, keyDigits) {
				s.refine(ts, sa[lo:hi], keyTokens)
			} else {
				slices.SortFunc(sa[lo:hi], func(a, b int32) int { return ts.compareFrom(a, b, 0) })
			}
		}
		lo = hi
	}
	lcp[0] = 0
	for i := 1; i < len(sa); i++ {
		lcp[i] = keyCommon(sorted[i-1].key, sorted[i].key)
		if lcp[i] < 0 {
			lcp[i] = ts.commonFrom(sa[i-1], sa[i], -lcp[i])
		}
	}
}

// keyCommon is the tokens two suffixes of a bucket share, from their keys, or -k when they
// share k tokens and the rest is to be compared on the stream.
func keyCommon(a, b uint64) int32 {
	for k := range int32(keyDigits) {
		shift := uint(keyDigits-1-k) * keyDigitBits
		da, db := a>>shift&keyDigitMax, b>>shift&keyDigitMax
		switch {
		case da != db || da == 0:
			return 1 + k
		case da == keyDigitMax:
			return -(1 + k)
		}
	}
	return -keyTokens
}

// keyExact reports whether the digits of a key of digits digits are the tokens themselves:
// none is shared.
func keyExact(key uint64, digits int) bool {
	for k := range digits {
		if key>>(k*keyDigitBits)&keyDigitMax == keyDigitMax {
			return false
		}
	}
	return true
}

// refine sorts suffixes that share their first depth tokens, none a separator, by keys of
// the next keyTokens tokens, and the ties again deeper: a suffix's tokens are read once per
// round rather than once per comparison, which for the many suffixes of a phrase repeated
// across the corpus (a dateline) was log n times.
func (s *suffixSorter[T]) refine(ts *view[T], sa []int32, depth int32) {
	if depth >= maxUnitTokens {
		return // equal as far as compareFrom looks: in position order, as they are
	}
	tok := ts.tok
	keys := make([]suffixKey, len(sa))
	for i, p := range sa {
		var key uint64
		ended := false
		for k := depth; k < depth+keyTokens; k++ {
			key <<= keyDigitBits
			if ended = ended || k >= maxUnitTokens || tok[p+k] == ts.sep; !ended {
				key |= min(uint64(tok[p+k])+1, keyDigitMax)
			}
		}
		keys[i] = suffixKey{key, p}
	}
	// The positions come in increasing order; suffixes of a phrase repeated across the
	// corpus often share the whole key too, and are then in order already.
	if !slices.IsSortedFunc(keys, func(a, b suffixKey) int { return cmp.Compare(a.key, b.key) }) {
		slices.SortFunc(keys, func(a, b suffixKey) int {
			if c := cmp.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.pos, b.pos)
		})
	}
	for i, k := range keys {
		sa[i] = k.pos
	}
	for lo := 0; lo < len(keys); {
		hi := lo + 1
		for hi < len(keys) && keys[hi].key == keys[lo].key {
			hi++
		}
		if hi-lo > 1 && !keyEnds(keys[lo].key, keyTokens) {
			if keyExact(keys[lo].key, keyTokens) {
				s.refine(ts, sa[lo:hi], depth+keyTokens)
			} else {
				slices.SortFunc(sa[lo:hi], func(a, b int32) int { return ts.compareFrom(a, b, depth) })
			}
		}
		lo = hi
	}
}

// keyEnds reports whether a key of digits digits holds the whole suffix: a separator ends it
// before any digit that dense ids share.
func keyEnds(key uint64, digits int) bool {
	for k := digits - 1; k >= 0; k-- {
		switch d := key >> (k * keyDigitBits) & keyDigitMax; d {
		case keyDigitMax:
			return false
		case 0:
			return true
		}
	}
	return false
}

// radix sorts s.keys by key, stably (positions come in increasing order), a digit a pass.
func (s *suffixSorter[T]) radix() {
	if cap(s.tmp) < len(s.keys) {
		s.tmp = make([]suffixKey, len(s.keys))
	}
	if s.count == nil {
		s.count = make([]int32, 1<<keyDigitBits)
	}
	keys, tmp := s.keys, s.tmp[:len(s.keys)]
	for k := range keyDigits {
		shift := uint(k * keyDigitBits)
		count := s.count
		clear(count)
		for _, x := range keys {
			count[x.key>>shift&keyDigitMax]++
		}
		if int(count[keys[0].key>>shift&keyDigitMax]) == len(keys) {
			continue // every key has this digit
		}
		sum := int32(0)
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for _, x := range keys {
			d := x.key >> shift & keyDigitMax
			tmp[count[d]] = x
			count[d]++
		}
		keys, tmp = tmp, keys
	}
	s.keys, s.tmp = keys, tmp
}

// compareFrom orders two suffixes that share their first from tokens by their first
// maxUnitTokens tokens; a separator ends a suffix, and equal suffixes go by position.
func (ts *view[T]) compareFrom(a, b, from int32) int {
	tok := ts.tok
	for k := from; k < maxUnitTokens; k++ {
		x, y := tok[a+k], tok[b+k]
		if x == ts.sep || y == ts.sep {
			if x == y {
				return cmp.Compare(a, b)
			}
			if x == ts.sep {
				return -1
			}
			return 1
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(a, b)
}

// common is the number of tokens two suffixes share, up to maxUnitTokens.
func (ts *view[T]) common(a, b int32) int32 { return ts.commonFrom(a, b, 0) }

// commonFrom is common for suffixes known to share their first from tokens.
func (ts *view[T]) commonFrom(a, b, from int32) int32 {
	tok := ts.tok
	k := from
	for k < maxUnitTokens && tok[a+k] != ts.sep && tok[a+k] == tok[b+k] {
		k++
	}
	return k
}

// unit is an accepted phrase unit: the suffixes sa[lo:hi] of its partition begin with its
// tokens. suffixUnits sets its tokens and where they start, in stream order.
type unit struct {
	lo, hi     int32
	length     int32 // tokens
	standalone bool  // some occurrence is a whole piece
	toks       []int32
	starts     []int32
}

// units walks the LCP intervals of one partition of the sorted suffixes (sa, with lcp; see
// suffixUnits) bottom up and keeps those that are phrase units, as intervals of sa. ctx is
// scratch of the size of sa.
//
// weight, when set, gives per document how many identical documents it stands for (see
// FindTexts): the intervals are then those of the sorted suffixes of every copy, in which a
// suffix's copies follow it with as many tokens in common as it has, up to maxUnitTokens, and
// an interval's occurrences are counted with their copies; only its families are not.
//
// The intervals below two neighbours that share no token are apart: the suffixes are cut
// there into about unitChunks parts per goroutine, walked on jobs goroutines, and the units
// of the parts are put end to end in order.
func (ts *view[T]) units(sa, lcp []int32, ctx []suffixContext, family []int32, w *unitWeights, walkers *walkerPool, familyCount int32, minDocs, jobs int) []unit {
	var cuts []int32 // part i is sa[cuts[i]:cuts[i+1]]
	want := len(sa)/(unitChunks*max(1, jobs)) + 1
	for i := range int32(len(sa)) {
		if lcp[i] == 0 && (len(cuts) == 0 || int(i-cuts[len(cuts)-1]) >= want) {
			cuts = append(cuts, i)
		}
	}
	cuts = append(cuts, int32(len(sa)))
	parts := make([][]unit, len(cuts)-1)
	// What the walk asks of each suffix's own position is read once, into an array in the
	// order of the suffixes: read position by position for every interval holding the
	// suffix, it was a cache miss each time.
	parallel.For(len(parts), jobs, func(i int) {
		for k := cuts[i]; k < cuts[i+1]; k++ {
			p := sa[k]
			c := suffixContext{left: sep, family: family[ts.docOf(p)]}
			if p > 0 {
				c.left = ts.wide(ts.tok[p-1])
			}
			ctx[k] = c
		}
	})
	parallel.Workers(len(parts), jobs, func() func(int) {
		walk := walkers.get(func() *unitWalk { return ts.unitWalker(w, familyCount, minDocs) })
		return func(i int) { parts[i] = walk.walk(sa, lcp, ctx, cuts[i], cuts[i+1]) }
	})
	walkers.release()
	return slices.Concat(parts...)
}

// walkerPool keeps the unit walkers, and their scratch memory, from one partition to the
// next.
type walkerPool struct {
	mu         sync.Mutex
	idle, busy []*unitWalk
}

func (p *walkerPool) get(make func() *unitWalk) *unitWalk {
	p.mu.Lock()
	defer p.mu.Unlock()
	var w *unitWalk
	if n := len(p.idle); n > 0 {
		w, p.idle = p.idle[n-1], p.idle[:n-1]
	} else {
		w = make()
	}
	p.busy = append(p.busy, w)
	return w
}

// release makes every walker handed out idle again, once their walks are done.
func (p *walkerPool) release() {
	p.idle = append(p.idle, p.busy...)
	p.busy = p.busy[:0]
}

// unitWeights gives how many occurrences the suffix at a position stands for (see units).
type unitWeights struct {
	ts     *tokenStream
	weight []int32 // per document; nil: one each
	// Most documents stand for one: a bit per token marks those that stand for more,
	// rather than looking up the document of every suffix.
	heavy bitset
}

// unitWeights returns the weights of the suffixes for weight, the documents' (nil: one each).
func (ts *tokenStream) unitWeights(weight []int32) *unitWeights {
	w := &unitWeights{ts: ts, weight: weight}
	for d, n := range weight {
		if n > 1 {
			if w.heavy == nil {
				// Made whole: grown a word at a time, its array doubled to twice the stream.
				w.heavy = make(bitset, (ts.size()+63)/64)
			}
			for p := ts.docFirst[d]; p < ts.docFirst[d+1]; p++ {
				w.heavy.set(p)
			}
		}
	}
	return w
}

func (w *unitWeights) at(p int32) int32 {
	if w.heavy == nil || !w.heavy.has(p) {
		return 1
	}
	return w.weight[w.ts.docOf(p)]
}

// unitWalk is a walk of LCP intervals with its scratch memory (see unitWalker).
type unitWalk struct {
	sa, lcp []int32
	ctx     []suffixContext
	run     func(lo, hi int32) []unit
}

// walk walks the LCP intervals within sa[lo:hi], whose bounds neighbours that share no token.
func (u *unitWalk) walk(sa, lcp []int32, ctx []suffixContext, lo, hi int32) []unit {
	u.sa, u.lcp, u.ctx = sa, lcp, ctx
	return u.run(lo, hi)
}

// suffixContext is what units asks of the position of a suffix: the token before it (sep at
// the start of the stream) and the family of its document.
type suffixContext struct{ left, family int32 }

// unitChunks is about how many parts per goroutine units cuts the suffixes into, so that
// they finish together.
const unitChunks = 8

// unitWalker returns a walk of LCP intervals (see unitWalk.walk), with its own scratch
// memory; familyCount bounds the families.
func (ts *view[T]) unitWalker(w *unitWeights, familyCount int32, minDocs int) *unitWalk {
	uw := &unitWalk{}
	// The partition being walked (see unitWalk.walk).
	var sa, lcp []int32
	var ctx []suffixContext
	// An interval is sa[lb:rb+1], and [vlb, vrb] among the suffixes of every copy.
	type frame struct {
		lcp, lb, vlb int32
		maxChild     int32
	}
	stamp := make([]int32, familyCount)
	for i := range stamp {
		stamp[i] = -1
	}
	rightCount := make([]int32, len(ts.text))
	rightStamp := make([]int32, len(ts.text))
	for i := range rightStamp {
		rightStamp[i] = -1
	}
	leftCount := make([]int32, len(ts.text))
	leftStamp := make([]int32, len(ts.text))
	for i := range leftStamp {
		leftStamp[i] = -1
	}
	var out []unit
	node := int32(0)
	process := func(f frame, rb, vrb int32) {
		size := vrb - f.vlb + 1
		if f.lcp < 2 || f.lcp >= maxUnitTokens || size < int32(minDocs) {
			return
		}
		if 2*f.maxChild > size && f.maxChild >= 2 {
			return // one continuation dominates: the string ends inside a longer one
		}
		first, last := ts.tok[sa[f.lb]], ts.tok[sa[f.lb]+f.lcp-1]
		if !ts.mayEnd(int32(last)) || !ts.mayStart(int32(first)) {
			return
		}
		if !longEnough(ts.tokenStream, ts.tok[sa[f.lb]:sa[f.lb]+f.lcp]) {
			return
		}
		node++
		families, topLeft, topRight := int32(0), int32(0), int32(0)
		standalone, particleRight := false, int32(0)
		for i, p := range sa[f.lb : rb+1] {
			c := ctx[f.lb+int32(i)]
			wp := w.at(p)
			e := p + f.lcp
			if c.left == sep && ts.tok[e] == ts.sep && !ts.soft.has(e) {
				standalone = true
			}
			if ts.tok[e] != ts.sep && ts.particle[ts.tok[e]] {
				particleRight += wp
			}
			// Past a cut before a quotation mark the phrase may go on: 高质量共建“一带一路”.
			if ts.tok[e] == ts.sep && ts.soft.has(e) && ts.tok[e+1] != ts.sep {
				r := ts.tok[e+1]
				if rightStamp[r] != node {
					rightStamp[r] = node
					rightCount[r] = 0
				}
				rightCount[r] += wp
				topRight = max(topRight, rightCount[r])
			}
			if fam := c.family; stamp[fam] != node {
				stamp[fam] = node
				families++
			}
			// Likewise a function character before it (的平安中国) is no part of it.
			if l := c.left; l != sep && !ts.particle[l] {
				if leftStamp[l] != node {
					leftStamp[l] = node
					leftCount[l] = 0
				}
				leftCount[l] += wp
				topLeft = max(topLeft, leftCount[l])
			}
		}
		need := int32(minDocs)
		if !standalone {
			need = int32(max(minDocs, unitMinDocs))
		}
		if families < need || (2*topLeft > size && topLeft >= 2) || (2*topRight > size && topRight >= 2) {
			return
		}
		// A particle after most occurrences ends a phrase only if the phrase also stands on
		// its own somewhere (“两个确立”, 两个确立的决定性意义); else it is a piece of a longer
		// one (新时代党的建设).
		if !standalone && 2*particleRight > size && particleRight >= 2 {
			return
		}
		out = append(out, unit{lo: f.lb, hi: rb + 1, length: f.lcp, standalone: standalone})
	}
	// A continuation that starts with a function character (的, 和, 了) does not make the
	// string end inside a longer phrase: 人民公安为人民的宗旨 is the phrase and 的.
	counted := func(childLB, parentLCP, size int32) int32 {
		if size == 0 || ts.particle[ts.tok[sa[childLB]+parentLCP]] {
			return 0
		}
		return size
	}
	var stack []frame
	// step closes the intervals that end before the suffix at vi (in the suffixes of every
	// copy), prev being the last of sa before it, and opens one of cur tokens if needed.
	step := func(cur, prev, vi int32) {
		lb, vlb := prev, vi-1
		lastSize := int32(0)
		for cur < stack[len(stack)-1].lcp {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			process(f, prev, vi-1)
			lb, vlb = f.lb, f.vlb
			lastSize = vi - f.vlb
			if top := &stack[len(stack)-1]; cur <= top.lcp {
				top.maxChild = max(top.maxChild, counted(f.lb, top.lcp, lastSize))
			}
		}
		if top := stack[len(stack)-1]; cur > top.lcp {
			stack = append(stack, frame{lcp: cur, lb: lb, vlb: vlb, maxChild: max(1, counted(lb, cur, lastSize))})
		}
	}
	uw.run = func(lo, hi int32) []unit {
		sa, lcp, ctx = uw.sa, uw.lcp, uw.ctx
		out = nil
		stack = append(stack[:0], frame{lcp: 0, lb: lo, vlb: 0, maxChild: 1})
		vi := int32(0)
		for i := lo; i < hi; i++ {
			if i > lo {
				step(lcp[i], i-1, vi)
			}
			// Its copies share all its tokens with it: an interval of their own, below any
			// other, when that is more than it shares with its neighbours.
			if wi := w.at(sa[i]); wi > 1 {
				step(ts.common(sa[i], sa[i]), i, vi+1)
				vi += wi
			} else {
				vi++
			}
		}
		step(0, hi-1, vi)
		return out
	}
	return uw
}

// widen is toks, dense ids without separators, as int32s.
func widen[T token](toks []T) []int32 {
	out := make([]int32, len(toks))
	for i, t := range toks {
		out[i] = int32(t)
	}
	return out
}

// searchSuffixes returns the interval of sa[lo:hi], sorted suffixes of one bucket, whose
// suffixes begin with toks.
func searchSuffixes(ts *tokenStream, sa []int32, lo, hi int32, toks []int32) (int32, int32) {
	mem := suffixArray{mem: sa}
	a := mem.search(lo, hi, func(p int32) bool { return ts.comparePrefix(p, toks) >= 0 })
	b := mem.search(a, hi, func(p int32) bool { return ts.comparePrefix(p, toks) > 0 })
	return a, b
}

// Function characters that no phrase unit starts or ends with: a string that does is a phrase
// with a joining word left on (的高质量发展, 推动…的).
const (
	hanNoStart = "的了着过和与及或等是对将被从于也都还又而并且就才但即之其这那该此每所"
	hanNoEnd   = "的了着过和与及或等是在对将把被从以于为向也都还又而并且就才但即使之其这那该此各每所"
)

// hanParticles join phrases rather than belong to them: one of them after (or before) most
// occurrences of a string does not mean the string is part of a longer word.
const hanParticles = "的之地得了着和与及或"

// englishFunction are words that a unit of a spaced script neither starts nor ends with:
// "For example", "the use of" are not phrases a reader looks for.
var englishFunction = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the of for to in on at by with from into onto about as and or but nor
		so if than then that this these those there here which who whom whose what when where why how
		is are was were be been being am it its it's he she they we you i me him her them us our your their
		his my not no can could will would shall should may might must do does did done has have had
		also however example e.g eg i.e ie such each other more most many much some any all both either
		neither one two first second etc thus hence therefore because since while although though
		very just only even well up down out over under again further once same own`) {
		m[w] = true
	}
	return m
}()

// edges computes, once per dense id, whether a unit may start or end with it.
func (ts *tokenStream) edges() {
	ts.startOK = make([]bool, len(ts.text))
	ts.endOK = make([]bool, len(ts.text))
	ts.particle = make([]bool, len(ts.text))
	ts.single = make([]rune, len(ts.text))
	ts.verbEnd = make([]bool, len(ts.text))
	ts.nounOrVerbFirst = make([]bool, len(ts.text))
	firsts := map[rune]bool{}
	for _, w := range slices.Concat(speechVerbs, programmeNouns) {
		r, _ := utf8.DecodeRuneInString(w)
		firsts[r] = true
	}
	for t := range ts.text {
		ts.single[t] = -1
		if r, size := utf8.DecodeRune(ts.text[t]); size == len(ts.text[t]) && r != utf8.RuneError {
			ts.single[t] = r
		}
		for v := range policyVerbSet {
			ts.verbEnd[t] = ts.verbEnd[t] || strings.HasSuffix(v, string(ts.text[t]))
		}
		r, _ := utf8.DecodeRune(ts.text[t])
		ts.nounOrVerbFirst[t] = firsts[r]
		if r, _ := utf8.DecodeRune(ts.text[t]); !ts.isWord[t] && strings.ContainsRune(hanParticles, r) {
			ts.particle[t] = true
		}
		ts.startOK[t] = ts.checkStart(int32(t))
		ts.endOK[t] = ts.checkEnd(int32(t))
	}
}

func (ts *tokenStream) mayStart(t int32) bool { return ts.startOK[t] }

func (ts *tokenStream) mayEnd(t int32) bool { return ts.endOK[t] }

func (ts *tokenStream) checkStart(t int32) bool {
	if ts.isDigits[t] {
		return false
	}
	if ts.isWord[t] {
		return !englishFunction[string(ts.text[t])]
	}
	r, _ := utf8.DecodeRune(ts.text[t])
	return !strings.ContainsRune(hanNoStart, r) && !isTrim(r)
}

func (ts *tokenStream) checkEnd(t int32) bool {
	if ts.isDigits[t] {
		return false
	}
	if ts.isWord[t] {
		return !englishFunction[string(ts.text[t])]
	}
	r, _ := utf8.DecodeRune(ts.text[t])
	return !strings.ContainsRune(hanNoEnd, r) && !isTrim(r)
}

// Shortest units: four characters of a script without spaces (一带一路, 四个意识), or two
// words and eight letters of one with spaces.
const (
	minUnitRunes     = 4
	minUnitWords     = 2
	minUnitWordRunes = 8
)

func (ts *tokenStream) longEnough(toks []int32) bool { return longEnough(ts, toks) }

func longEnough[T token](ts *tokenStream, toks []T) bool {
	words, runes := 0, 0
	for _, t := range toks {
		if ts.isWord[t] {
			words++
		}
		runes += utf8.RuneCount(ts.text[t])
	}
	if words > 0 {
		return len(toks) >= minUnitWords && runes >= minUnitWordRunes
	}
	return runes >= minUnitRunes
}

// wholePhrase reports whether toks could be a unit: long enough, and neither starting nor
// ending with a function word or character.
func (ts *tokenStream) wholePhrase(toks []int32) bool {
	return len(toks) > 0 && ts.mayStart(toks[0]) && ts.mayEnd(toks[len(toks)-1]) && ts.longEnough(toks)
}
