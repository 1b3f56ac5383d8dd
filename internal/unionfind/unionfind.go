// Package unionfind is the disjoint-set forest neardup groups things with: documents into
// families of near-duplicates (scan), spellings into variants of one slogan (slogan).
//
// A forest is a slice of parents. A union always keeps the smaller root, so that a root is
// its set's smallest member and the grouping does not depend on the order of the unions.
package unionfind

// New returns a forest of n singletons.
func New[T ~int | ~int32](n int) []T {
	parent := make([]T, n)
	for i := range parent {
		parent[i] = T(i)
	}
	return parent
}

// Find returns the root of x, halving the path on the way.
func Find[T ~int | ~int32](parent []T, x T) T {
	for parent[x] != x {
		parent[x] = parent[parent[x]]
		x = parent[x]
	}
	return x
}

// Union joins the sets of a and b under the smaller of their roots.
func Union[T ~int | ~int32](parent []T, a, b T) {
	ra, rb := Find(parent, a), Find(parent, b)
	if ra == rb {
		return
	}
	parent[max(ra, rb)] = min(ra, rb)
}

// Roots returns every element's root, flattening the forest.
func Roots[T ~int | ~int32](parent []T) []T {
	for i := range parent {
		parent[i] = Find(parent, T(i))
	}
	return parent
}
