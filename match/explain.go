package match

import (
	"cmp"
	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// ContainedAt is the containment from which Explain says that one document is contained in
// the other: nearly all of its n-grams occur in the other, as when a story is reposted inside
// a longer page or a longer article quotes it whole. It is ContainedShare, at which Find
// reports such a pair with the relation AContainsB or BContainsA.
const ContainedAt = ContainedShare

// Explanation is every measure neardup takes of one document pair, with each threshold of
// Options beside the measure it applies to. Offsets are code points of the original texts.
type Explanation struct {
	N            int        // n-gram size in runes
	Chars        [2]int     // original characters of A and B
	Normalized   [2]int     // normalised characters of A and B
	Grams        [2]int     // distinct n-grams of A and B
	SharedGrams  int        // distinct n-grams in both
	Jaccard      float64    // SharedGrams / |A ∪ B|: the document similarity
	Containment  [2]float64 // SharedGrams / Grams[0] (A in B) and / Grams[1] (B in A)
	Fingerprints [2]uint64  // SimHash of each normalised text
	Features     [2]int     // n-grams the fingerprints were made from
	Distance     int        // Hamming distance of the fingerprints, in bits

	Clauses       [2]int // clauses of A and B long enough to find candidates (seeds)
	SharedClauses int    // seed clauses of A whose normalised text is a seed clause of B
	NearClauses   int    // other seed clauses of A within PassageDistance bits of one of B

	Longest Common // the longest text that both normalise to alike

	Checks []Check // each threshold, in the order the search applies them

	// What Find reports when given just these two documents. In a corpus it can differ:
	// clauses found in more than MaxDF documents and slogans are not evidence there.
	// Duplicate says Find reports them as near-copies; Relation is the relation of the pair
	// Find reports, near-copy or containment, empty for none.
	Duplicate bool
	Relation  Relation
	Passages  []Passage
}

// Common is a text both documents hold: the same once normalised.
type Common struct {
	Length       int // normalised characters
	AStart, AEnd int // code points of A
	BStart, BEnd int // code points of B
}

// Check is one threshold and whether the pair passes it.
type Check struct {
	Name      string  // what is compared: "near-duplicate", ...
	Option    string  // the Options field that sets the threshold; "" for a fixed one
	Value     float64 // the pair's measure
	Threshold float64
	AtMost    bool // the measure passes at or below the threshold (a distance), else at or above
	Passes    bool
}

// Explain measures the pair a, b as Find would, and explains what each measure means for
// the search. It compares the whole texts; opt.Exclude and opt.ExcludeFromPassages are not
// used.
func Explain(a, b *corpus.Document, opt Options) Explanation {
	opt = withDefaults(opt)
	opt.Exclude, opt.ExcludeFromPassages = nil, nil
	h := simhash.NewHasher(opt.N)
	sa, sb := prepare(a.Text, nil, h, opt.N), prepare(b.Text, nil, h, opt.N)
	na, nb := text.Normalize(a.Text), text.Normalize(b.Text)
	ga, gb := gramSet(na.Text, nil, opt.N, nil), gramSet(nb.Text, nil, opt.N, nil)
	// Short documents are also paired by MinHash, as Find pairs them.
	for _, st := range []struct {
		s     *docState
		grams []uint32
	}{{&sa, ga}, {&sb, gb}} {
		if f := st.s.feats; f >= simhash.MinFeatures && float64(f)*opt.MinSimilarity <= shortGrams {
			st.s.minHash = minHash(st.grams)
		}
	}
	short := len(shortCandidates([]docState{sa, sb}, opt.MinSimilarity, 1)) > 0

	e := Explanation{
		N:            opt.N,
		Chars:        [2]int{a.Chars(), b.Chars()},
		Normalized:   [2]int{na.Len(), nb.Len()},
		Grams:        [2]int{len(ga), len(gb)},
		SharedGrams:  intersection(ga, gb),
		Fingerprints: [2]uint64{sa.fp, sb.fp},
		Features:     [2]int{sa.feats, sb.feats},
		Distance:     simhash.Distance(sa.fp, sb.fp),
	}
	if union := len(ga) + len(gb) - e.SharedGrams; union > 0 {
		e.Jaccard = float64(e.SharedGrams) / float64(union)
	}
	if len(ga) > 0 {
		e.Containment[0] = float64(e.SharedGrams) / float64(len(ga))
	}
	if len(gb) > 0 {
		e.Containment[1] = float64(e.SharedGrams) / float64(len(gb))
	}
	e.countClauses(&sa, &sb, na, nb, opt.PassageDistance)
	e.Longest = longestCommon(na, nb)

	enough := len(ga) >= simhash.MinFeatures && len(gb) >= simhash.MinFeatures
	indexed := sa.feats >= simhash.MinFeatures && sb.feats >= simhash.MinFeatures
	e.Checks = []Check{
		{Name: "document candidate", Option: "DocDistance", Value: float64(e.Distance), Threshold: float64(opt.DocDistance),
			AtMost: true, Passes: indexed && e.Distance <= opt.DocDistance},
		{Name: "clause candidate", Option: "PassageDistance", Value: float64(e.SharedClauses + e.NearClauses), Threshold: 1,
			Passes: e.SharedClauses+e.NearClauses > 0},
		{Name: "short candidate", Value: float64(min(sa.feats, sb.feats)), Threshold: shortGrams,
			AtMost: true, Passes: short},
		{Name: "near-duplicate", Option: "MinSimilarity", Value: e.Jaccard, Threshold: opt.MinSimilarity,
			Passes: enough && e.Jaccard >= opt.MinSimilarity},
		{Name: "copied passage", Option: "MinPassage", Value: float64(e.Longest.Length), Threshold: float64(opt.MinPassage),
			Passes: e.Longest.Length >= opt.MinPassage},
	}

	found := Find([]*corpus.Document{a, b}, opt)
	if len(found.Duplicates) > 0 {
		e.Relation = found.Duplicates[0].Relation
		e.Duplicate = e.Relation == NearCopy
	}
	e.Passages = found.Passages
	return e
}

// ContainedIn reports which side is contained in the other (ContainedAt): 0 for A in B, 1
// for B in A, 2 for each in the other (a near-duplicate of about the same length), -1 for
// neither.
func (e Explanation) ContainedIn() int {
	a, b := e.Containment[0] >= ContainedAt, e.Containment[1] >= ContainedAt
	switch {
	case a && b:
		return 2
	case a:
		return 0
	case b:
		return 1
	}
	return -1
}

// intersection counts the elements two sorted distinct sets share. Containment is this count
// over the size of one side's set: the share of A's n-grams found anywhere in B. It is kept
// here, apart from the search's own verification, so that Explain reads plainly.
func intersection[T cmp.Ordered](a, b []T) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// countClauses counts A's seed clauses that have an exact or a near twin among B's.
func (e *Explanation) countClauses(sa, sb *docState, na, nb *text.Normalized, passageDistance int) {
	exact := map[uint64]bool{}
	var near []uint64
	for i, c := range sb.clauses {
		if !c.seed {
			continue
		}
		e.Clauses[1]++
		exact[murmur3.Sum64(nb.Text[c.nb:c.ne])] = true
		if sb.prints[i].near {
			near = append(near, sb.prints[i].fp)
		}
	}
	for i, c := range sa.clauses {
		if !c.seed {
			continue
		}
		e.Clauses[0]++
		if exact[murmur3.Sum64(na.Text[c.nb:c.ne])] {
			e.SharedClauses++
			continue
		}
		if !sa.prints[i].near {
			continue
		}
		for _, fp := range near {
			if simhash.Distance(fp, sa.prints[i].fp) <= passageDistance {
				e.NearClauses++
				break
			}
		}
	}
}

// longestCommon finds the longest common substring of the two normalised texts with a suffix
// automaton of A (linear time and memory, where a table would take |A|·|B|), and maps it back
// to the original texts.
func longestCommon(na, nb *text.Normalized) Common {
	ra, rb := []rune(string(na.Text)), []rune(string(nb.Text))
	if len(ra) == 0 || len(rb) == 0 {
		return Common{}
	}
	sam := newSuffixAutomaton(ra)
	best, bestEndA, bestEndB := 0, 0, 0
	state, length := 0, 0
	for j, r := range rb {
		for state != 0 && sam.next(state, r) < 0 {
			state = sam.link[state]
			length = sam.length[state]
		}
		if t := sam.next(state, r); t >= 0 {
			state = t
			length++
		} else {
			state, length = 0, 0
		}
		if length > best {
			best, bestEndA, bestEndB = length, sam.firstEnd[state], j
		}
	}
	if best == 0 {
		return Common{}
	}
	a0, a1 := bestEndA-best+1, bestEndA+1
	b0, b1 := bestEndB-best+1, bestEndB+1
	return Common{
		Length: best,
		AStart: int(na.Start[a0]), AEnd: int(na.End[a1-1]),
		BStart: int(nb.Start[b0]), BEnd: int(nb.End[b1-1]),
	}
}

// suffixAutomaton is the minimal automaton of all substrings of a text. firstEnd is, per
// state, the index of the last rune of the first occurrence of its substrings.
type suffixAutomaton struct {
	length, link, firstEnd []int
	trans                  []map[rune]int
}

func newSuffixAutomaton(s []rune) *suffixAutomaton {
	sam := &suffixAutomaton{}
	sam.add(0, -1, -1)
	last := 0
	for i, r := range s {
		cur := sam.add(sam.length[last]+1, -1, i)
		p := last
		for p >= 0 && sam.next(p, r) < 0 {
			sam.trans[p][r] = cur
			p = sam.link[p]
		}
		switch {
		case p < 0:
			sam.link[cur] = 0
		case sam.length[p]+1 == sam.length[sam.trans[p][r]]:
			sam.link[cur] = sam.trans[p][r]
		default:
			q := sam.trans[p][r]
			clone := sam.add(sam.length[p]+1, sam.link[q], sam.firstEnd[q])
			for k, v := range sam.trans[q] {
				sam.trans[clone][k] = v
			}
			for p >= 0 && sam.trans[p][r] == q {
				sam.trans[p][r] = clone
				p = sam.link[p]
			}
			sam.link[q], sam.link[cur] = clone, clone
		}
		last = cur
	}
	return sam
}

func (s *suffixAutomaton) add(length, link, firstEnd int) int {
	s.length = append(s.length, length)
	s.link = append(s.link, link)
	s.firstEnd = append(s.firstEnd, firstEnd)
	s.trans = append(s.trans, map[rune]int{})
	return len(s.length) - 1
}

// next is the transition from state on r, or -1.
func (s *suffixAutomaton) next(state int, r rune) int {
	if t, ok := s.trans[state][r]; ok {
		return t
	}
	return -1
}

func longestCommonOf(a, b *corpus.Document) Common {
	return longestCommon(text.Normalize(a.Text), text.Normalize(b.Text))
}
