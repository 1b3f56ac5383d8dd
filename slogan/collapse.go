package slogan

import (
	"cmp"
	"crypto/sha256"
	"slices"

	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// collapsed is a corpus with its byte-identical documents mined once (see FindTexts). Texts
// are compared byte for byte, not normalised: only then are the original spans and spellings
// found in the first document those of every copy, so that what is found there can be copied
// to them. Copies that differ in punctuation or spacing are mined as documents of their own.
type collapsed struct {
	members [][]int32 // per mined document: it and its copies, as indices of all documents, in order
	weight  []int32   // per mined document: how many documents it stands for
	family  []int     // per mined document: its family, as the index of a mined document
}

// copyGroups groups the texts as they are read, in index order, by their SHA-256 digests:
// the texts themselves are not kept to be compared.
type copyGroups struct {
	byDigest map[[sha256.Size]byte]int32
	members  [][]int32
}

func newCopyGroups(n int) *copyGroups {
	return &copyGroups{byDigest: make(map[[sha256.Size]byte]int32, n)}
}

// first records text s of document i, the next in order, and reports whether it is the first
// document with that text: the one mined for all.
func (g *copyGroups) first(i int, s string) bool {
	key := sha256.Sum256([]byte(s))
	if k, ok := g.byDigest[key]; ok {
		g.members[k] = append(g.members[k], int32(i))
		return false
	}
	g.byDigest[key] = int32(len(g.members))
	g.members = append(g.members, []int32{int32(i)})
	return true
}

// collapsed returns the groups as a collapsed corpus, or nil if there are none or no text has
// a copy.
func (g *copyGroups) collapsed(family []int) *collapsed {
	if g == nil {
		return nil
	}
	n := 0
	for _, ms := range g.members {
		n += len(ms)
	}
	if n == len(g.members) {
		return nil
	}
	c := &collapsed{members: g.members}
	c.weight = make([]int32, len(c.members))
	c.family = make([]int, len(c.members))
	byLabel := make(map[int]int, len(c.members))
	for k, ms := range c.members {
		c.weight[k] = int32(len(ms))
		label := int(ms[0])
		if d := ms[0]; int(d) < len(family) && family[d] >= 0 {
			label = family[d]
		}
		if _, ok := byLabel[label]; !ok {
			byLabel[label] = k
		}
		c.family[k] = byLabel[label]
	}
	return c
}

// expand turns the occurrences found in the mined documents into those of every copy, in
// document order, and returns the ignored spans per document of Find's n docs.
func (c *collapsed) expand(items []*item, claims []*candidate, ignored [][]text.Span, n, jobs int) [][]text.Span {
	parallel.For(len(items), jobs, func(i int) {
		it := items[i]
		if out, copied := expandCopies(it.occ, c.members, func(o *occ) *int32 { return &o.doc }); copied {
			// Each document's occurrences stay in their order.
			slices.SortStableFunc(out, func(a, b occ) int { return cmp.Compare(a.doc, b.doc) })
			it.occ = out
		}
	})
	for _, cl := range claims {
		cl.found, _ = expandCopies(cl.found, c.members, func(l *located) *int32 { return &l.doc })
	}
	all := make([][]text.Span, n)
	for k, ms := range c.members {
		for j, d := range ms {
			if j == 0 {
				all[d] = ignored[k]
			} else {
				all[d] = slices.Clone(ignored[k])
			}
		}
	}
	return all
}

// expandCopies gives every copy of a mined document the entries list holds for that document
// (doc says where an entry keeps its document). Without copies, the documents are only
// renumbered in place, which keeps their order, and copied is false.
func expandCopies[T any](list []T, members [][]int32, doc func(*T) *int32) (out []T, copied bool) {
	size := 0
	for i := range list {
		size += len(members[*doc(&list[i])])
	}
	if size == len(list) {
		for i := range list {
			d := doc(&list[i])
			*d = members[*d][0]
		}
		return list, false
	}
	out = make([]T, 0, size)
	for _, x := range list {
		for _, d := range members[*doc(&x)] {
			*doc(&x) = d
			out = append(out, x)
		}
	}
	return out, true
}
