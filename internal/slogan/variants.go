package slogan

import (
	"os"
	"runtime"
	"runtime/pprof"

	"cmp"
	"slices"
	"unicode/utf8"
)

// classify gives every piece a class id: pieces with equal normalised text share one, and
// texts one edit apart are merged (transitively) when both are at least variantMin runes.
// Ids are assigned in order of first appearance, and a merged class takes its smallest id, so
// the result does not depend on map order.
func classify(texts []*docText, variantMin int) {
	ids := make(map[string]int32)
	var distinct [][]byte
	for _, t := range texts {
		for i := range t.pieces {
			p := &t.pieces[i]
			if p.class < 0 {
				continue
			}
			b := t.text(p.nStart, p.nEnd)
			id, ok := ids[string(b)]
			if !ok {
				id = int32(len(distinct))
				ids[string(b)] = id
				distinct = append(distinct, b)
			}
			p.class = id
		}
	}
	parent := mergeVariants(distinct, variantMin)
	for _, t := range texts {
		for i := range t.pieces {
			if p := &t.pieces[i]; p.class >= 0 {
				p.class = find(parent, p.class)
			}
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
func mergeVariants(distinct [][]byte, variantMin int) []int32 {
	parent := make([]int32, len(distinct))
	for i := range parent {
		parent[i] = int32(i)
	}
	var keys []delKey
	var runes []rune
	var prefix, pow []uint64
	for id, b := range distinct {
		n := utf8.RuneCount(b)
		if n < variantMin {
			continue
		}
		runes = runes[:0]
		for _, r := range string(b) {
			runes = append(runes, r)
		}
		prefix = append(prefix[:0], 0)
		pow = append(pow[:0], 1)
		for i, r := range runes {
			prefix = append(prefix, prefix[i]*polyBase+uint64(r))
			pow = append(pow, pow[i]*polyBase)
		}
		full := prefix[n]
		keys = append(keys, delKey{mix(full, n), int32(id)})
		for i := range n {
			rest := n - 1 - i
			suffix := full - prefix[i+1]*pow[rest]
			keys = append(keys, delKey{mix(prefix[i]*pow[rest]+suffix, n-1), int32(id)})
		}
	}
	slices.SortFunc(keys, func(a, b delKey) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	// Within a run of equal keys, each text is checked against the earlier texts that started
	// a group of their own ("anchors"); a few anchors suffice, as texts sharing a key are
	// mostly one spelling and its variants.
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
					if withinOneEdit(distinct[a], distinct[id]) {
						union(parent, a, id)
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
	if f, err := os.Create("/tmp/perf/heap_mv.prof"); err == nil {
		runtime.GC()
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	return parent
}

func find(parent []int32, x int32) int32 {
	for parent[x] != x {
		parent[x] = parent[parent[x]]
		x = parent[x]
	}
	return x
}

func union(parent []int32, a, b int32) {
	ra, rb := find(parent, a), find(parent, b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	parent[rb] = ra
}

// withinOneEdit reports whether UTF-8 texts a and b differ by at most one rune substituted,
// inserted or deleted.
func withinOneEdit(a, b []byte) bool {
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
