package slogan

import (
	"cmp"
	"slices"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// collapsed is a corpus with its byte-identical documents mined once (see Find). Texts are
// compared byte for byte, not normalised: only then are the original spans and spellings
// found in the first document those of every copy, so that what is found there can be copied
// to them. Copies that differ in punctuation or spacing are mined as documents of their own.
type collapsed struct {
	docs    []*corpus.Document // the first of each set of identical documents, in order
	members [][]int32          // per mined document: it and its copies, as indices of Find's docs
	weight  []int32            // per mined document: how many documents it stands for
	family  []int              // per mined document: its family, as the index of a mined document
}

// collapse groups the byte-identical documents of docs, or returns nil if there are none.
func collapse(docs []*corpus.Document, family []int) *collapsed {
	first := make(map[string]int32, len(docs))
	c := &collapsed{}
	for i, d := range docs {
		if k, ok := first[d.Text]; ok {
			c.members[k] = append(c.members[k], int32(i))
			continue
		}
		first[d.Text] = int32(len(c.docs))
		c.docs = append(c.docs, d)
		c.members = append(c.members, []int32{int32(i)})
	}
	if len(c.docs) == len(docs) {
		return nil
	}
	c.weight = make([]int32, len(c.docs))
	c.family = make([]int, len(c.docs))
	byLabel := make(map[int]int, len(c.docs))
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
