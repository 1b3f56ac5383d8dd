// Package family groups near-duplicate documents into repost families: a press release and
// the copies of it that other sites ran, each family with its likely source.
//
// Families are not chains. Near-duplicate pairs link A~B and B~C without A~C, and grouping
// their connected components puts stories that merely share a template into one family. Here
// a family is a clique of verified pairs: every two of its members were verified near-
// duplicates on the text (or have the same normalised text), so each member is similar to the
// family's source, whichever member that turns out to be. A document belongs to at most one
// family; one that is similar to members of two families joins the one formed first.
//
// Families are formed greedily, best connected document first: it takes its verified
// neighbours, most similar first, each only if it is a near-duplicate of every member taken so
// far. The source is then the earliest dated member (RuleEarliest), else, when no member has a
// date, the longest (RuleLongest): a repost tends to cut, rarely to add.
package family

import (
	"cmp"
	"slices"
	"time"
)

// Rule names how a family's source was chosen.
type Rule string

const (
	// RuleEarliest: the member with the earliest date; among several of that day, the longest.
	RuleEarliest Rule = "earliest-date"
	// RuleLongest: no member has a date; the member with the most characters.
	RuleLongest Rule = "longest"
)

// Pair is a verified near-duplicate pair of documents, by index.
type Pair struct {
	A, B       int
	Similarity float64
}

// Input is what grouping needs to know of n documents.
type Input struct {
	// Pairs are the verified near-duplicate pairs. Pairs inside an identical group need not
	// be given; a pair with one end in a group stands for every member of that group.
	Pairs []Pair
	// Identical lists groups of documents with the same normalised text, each in input order.
	Identical [][]int
	// Dates per document; the zero time means undated. Nil or short: the rest undated.
	Dates []time.Time
	// Chars per document, to choose the most complete member when nothing is dated.
	Chars []int
}

// Member is one document of a family and its similarity to the family's source (1 for the
// source itself and for copies with the same normalised text).
type Member struct {
	Doc        int
	Similarity float64
}

// Family is a set of documents every two of which are near-duplicates.
type Family struct {
	Source  int
	Rule    Rule
	Members []Member // the source first, then most similar first, then in input order
}

// neighbour is an edge of the node graph.
type neighbour struct {
	node int
	sim  float64
}

// Group returns the families of n documents with at least two members, largest first, then
// by their source's index. The result does not depend on the order of in.Pairs.
func Group(n int, in Input) []Family {
	// Nodes: an identical group is one node, represented by its first member; every other
	// document is a node of its own.
	node := make([]int, n)
	for i := range node {
		node[i] = i
	}
	members := map[int][]int{} // node -> its documents, for nodes of more than one
	for _, g := range in.Identical {
		if len(g) < 2 {
			continue
		}
		rep := slices.Min(g)
		for _, d := range g {
			node[d] = rep
		}
		members[rep] = slices.Sorted(slices.Values(g))
	}
	docsOf := func(v int) []int {
		if m, ok := members[v]; ok {
			return m
		}
		return []int{v}
	}

	adj := make([][]neighbour, n)
	for _, p := range in.Pairs {
		a, b := node[p.A], node[p.B]
		if a == b {
			continue
		}
		adj[a] = append(adj[a], neighbour{b, p.Similarity})
		adj[b] = append(adj[b], neighbour{a, p.Similarity})
	}
	for v := range adj {
		// Sorted by node for the clique test's binary search; a repeated edge keeps its
		// highest similarity (repeats come from pairs given for several group members).
		slices.SortFunc(adj[v], func(x, y neighbour) int {
			return cmp.Or(cmp.Compare(x.node, y.node), cmp.Compare(y.sim, x.sim))
		})
		adj[v] = slices.CompactFunc(adj[v], func(x, y neighbour) bool { return x.node == y.node })
	}
	edge := func(a, b int) (float64, bool) {
		i, ok := slices.BinarySearchFunc(adj[a], b, func(x neighbour, t int) int { return cmp.Compare(x.node, t) })
		if !ok {
			return 0, false
		}
		return adj[a][i].sim, true
	}

	// Best connected first: the documents a node could bring in, counting identical copies.
	weight := make([]int, n)
	var order []int
	for v := range n {
		if node[v] != v {
			continue
		}
		weight[v] = len(docsOf(v))
		for _, nb := range adj[v] {
			weight[v] += len(docsOf(nb.node))
		}
		if weight[v] > 1 {
			order = append(order, v)
		}
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(weight[y], weight[x]) })

	taken := make([]bool, n)
	var out []Family
	var cands []neighbour
	for _, c := range order {
		if taken[c] {
			continue
		}
		clique := []int{c}
		cands = cands[:0]
		for _, nb := range adj[c] {
			if !taken[nb.node] {
				cands = append(cands, nb)
			}
		}
		slices.SortFunc(cands, func(x, y neighbour) int {
			return cmp.Or(cmp.Compare(y.sim, x.sim), cmp.Compare(x.node, y.node))
		})
		for _, nb := range cands {
			all := true
			for _, m := range clique[1:] {
				if _, ok := edge(nb.node, m); !ok {
					all = false
					break
				}
			}
			if all {
				clique = append(clique, nb.node)
			}
		}
		var docs []int
		for _, v := range clique {
			taken[v] = true
			docs = append(docs, docsOf(v)...)
		}
		if len(docs) < 2 {
			continue
		}
		f := Family{}
		f.Source, f.Rule = source(docs, in.Dates, in.Chars)
		src := node[f.Source]
		for _, d := range docs {
			sim := 1.0
			if node[d] != src {
				sim, _ = edge(src, node[d])
			}
			f.Members = append(f.Members, Member{Doc: d, Similarity: sim})
		}
		slices.SortFunc(f.Members, func(x, y Member) int {
			return cmp.Or(cmp.Compare(b2i(y.Doc == f.Source), b2i(x.Doc == f.Source)),
				cmp.Compare(y.Similarity, x.Similarity), cmp.Compare(x.Doc, y.Doc))
		})
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(x, y Family) int {
		return cmp.Or(cmp.Compare(len(y.Members), len(x.Members)), cmp.Compare(x.Source, y.Source))
	})
	return out
}

// source picks a family's likely first publication among docs (in input order) and says why.
func source(docs []int, dates []time.Time, chars []int) (int, Rule) {
	at := func(d int) time.Time {
		if d < len(dates) {
			return dates[d]
		}
		return time.Time{}
	}
	size := func(d int) int {
		if d < len(chars) {
			return chars[d]
		}
		return 0
	}
	best, rule := -1, RuleLongest
	for _, d := range docs {
		if !at(d).IsZero() {
			rule = RuleEarliest
			break
		}
	}
	for _, d := range docs {
		if rule == RuleEarliest && at(d).IsZero() {
			continue
		}
		if best < 0 {
			best = d
			continue
		}
		if rule == RuleEarliest {
			if c := at(d).Compare(at(best)); c != 0 {
				if c < 0 {
					best = d
				}
				continue
			}
		}
		if size(d) > size(best) {
			best = d
		}
	}
	return best, rule
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
