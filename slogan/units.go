package slogan

import (
	"cmp"
	"slices"
	"strings"
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
// continuations the sub-intervals. The sort is a radix sort on the first four tokens and a
// comparison sort of the ties, which costs less than SA-IS on the whole stream, because no
// suffix needs to be ordered beyond the longest unit.

// unitMinDocs is the fewest families a unit needs when it is only ever found inside longer
// clauses: four characters recur by chance inside the clauses of three documents out of
// thousands far more often than a whole clause does. A unit that somewhere stands as a piece
// of its own (a clause, or quoted) needs only MinDocs.
const unitMinDocs = 5

// keyTokens is how many tokens the radix sort orders by.
const keyTokens = 4

// maxUnitTokens bounds units: a longer phrase is a clause or several, found as pieces.
const maxUnitTokens = 32

// An edge is no edge when one continuation takes more than half the occurrences (and at
// least two of them): 委员 is followed by 长 in 162 of 215.

// suffixes sorts the positions of the stream that may start a unit, and returns them with
// lcp[i], the tokens suffixes i-1 and i share (capped at maxUnitTokens; 0 for i = 0).
func (ts *tokenStream) suffixes(jobs int) (sa, lcp []int32) {
	ts.edges()
	tok := ts.tok
	// digit k of the suffix at p: its (k+1)th token, 0 once a separator has ended it. Dense
	// ids above 65534 share a digit; their ties are sorted on the tokens themselves.
	digit := func(p int32, k int32) int {
		for j := int32(0); j <= k; j++ {
			if int(p+j) >= len(tok) || tok[p+j] == sep {
				return 0
			}
		}
		return int(min(tok[p+k]+1, 65535))
	}
	sa = make([]int32, 0, len(tok))
	for p, t := range tok {
		if t == sep || !ts.mayStart(t) {
			continue
		}
		// A suffix shorter than two tokens starts no unit.
		if p+1 >= len(tok) || tok[p+1] == sep {
			continue
		}
		sa = append(sa, int32(p))
	}
	// LSD radix sort on the first four tokens, 16 bits a digit, computed from the tokens at
	// each pass rather than stored: keys would double the memory of the sort.
	tmp := make([]int32, len(sa))
	var count [1 << 16]int
	for k := int32(keyTokens - 1); k >= 0; k-- {
		clear(count[:])
		for _, p := range sa {
			count[digit(p, k)]++
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, p := range sa {
			d := digit(p, k)
			tmp[count[d]] = p
			count[d]++
		}
		sa, tmp = tmp, sa
	}
	tmp = nil
	sameKey := func(a, b int32) bool {
		for k := int32(0); k < keyTokens; k++ {
			if digit(a, k) != digit(b, k) {
				return false
			}
		}
		return true
	}
	// Ties on the four-token key are sorted by the tokens themselves, unless the key already
	// ends the suffix.
	type group struct{ lo, hi int }
	var groups []group
	for lo := 0; lo < len(sa); {
		hi := lo + 1
		for hi < len(sa) && sameKey(sa[lo], sa[hi]) {
			hi++
		}
		if hi-lo > 1 {
			ended := false // the key holds the whole suffix, with no shared digit before its end
			for k := int32(0); k < keyTokens; k++ {
				d := digit(sa[lo], k)
				if d == 65535 {
					break
				}
				if d == 0 {
					ended = true
					break
				}
			}
			if !ended {
				groups = append(groups, group{lo, hi})
			}
		}
		lo = hi
	}
	parallel.For(len(groups), jobs, func(i int) {
		g := groups[i]
		slices.SortFunc(sa[g.lo:g.hi], func(a, b int32) int { return ts.compare(a, b) })
	})
	lcp = make([]int32, len(sa))
	const chunk = 1 << 16
	parallel.For((len(sa)+chunk-1)/chunk, jobs, func(c int) {
		for i := max(1, c*chunk); i < min(len(sa), (c+1)*chunk); i++ {
			lcp[i] = ts.common(sa[i-1], sa[i])
		}
	})
	return sa, lcp
}

// compare orders two suffixes by their first maxUnitTokens tokens; a separator ends a suffix.
func (ts *tokenStream) compare(a, b int32) int {
	tok := ts.tok
	for k := int32(0); k < maxUnitTokens; k++ {
		x, y := tok[a+k], tok[b+k]
		if x == sep || y == sep {
			if x == y {
				return cmp.Compare(a, b)
			}
			if x == sep {
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
func (ts *tokenStream) common(a, b int32) int32 {
	tok := ts.tok
	k := int32(0)
	for k < maxUnitTokens && tok[a+k] != sep && tok[a+k] == tok[b+k] {
		k++
	}
	return k
}

// unit is an accepted phrase unit: the suffixes sa[lo:hi] begin with its tokens.
type unit struct {
	lo, hi     int32
	length     int32 // tokens
	standalone bool  // some occurrence is a whole piece
}

// units walks the LCP intervals bottom up and keeps those that are phrase units.
func (ts *tokenStream) units(sa, lcp []int32, family []int32, minDocs int) []unit {
	type frame struct {
		lcp, lb  int32
		maxChild int32
	}
	stamp := make([]int32, len(family))
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
	process := func(f frame, rb int32) {
		size := rb - f.lb + 1
		if f.lcp < 2 || f.lcp >= maxUnitTokens || size < int32(minDocs) {
			return
		}
		if 2*f.maxChild > size && f.maxChild >= 2 {
			return // one continuation dominates: the string ends inside a longer one
		}
		first, last := ts.tok[sa[f.lb]], ts.tok[sa[f.lb]+f.lcp-1]
		if !ts.mayEnd(last) || !ts.mayStart(first) {
			return
		}
		toks := ts.tok[sa[f.lb] : sa[f.lb]+f.lcp]
		if !ts.longEnough(toks) {
			return
		}
		node++
		families, topLeft, topRight := int32(0), int32(0), int32(0)
		standalone, particleRight := false, int32(0)
		for _, p := range sa[f.lb : rb+1] {
			e := p + f.lcp
			if (p == 0 || ts.tok[p-1] == sep) && ts.tok[e] == sep && !ts.soft[e] {
				standalone = true
			}
			if ts.tok[e] != sep && ts.particle[ts.tok[e]] {
				particleRight++
			}
			// Past a cut before a quotation mark the phrase may go on: 高质量共建“一带一路”.
			if ts.tok[e] == sep && ts.soft[e] && ts.tok[e+1] != sep {
				r := ts.tok[e+1]
				if rightStamp[r] != node {
					rightStamp[r] = node
					rightCount[r] = 0
				}
				rightCount[r]++
				topRight = max(topRight, rightCount[r])
			}
			if fam := family[ts.doc[p]]; stamp[fam] != node {
				stamp[fam] = node
				families++
			}
			// Likewise a function character before it (的平安中国) is no part of it.
			if p > 0 && ts.tok[p-1] != sep && !ts.particle[ts.tok[p-1]] {
				l := ts.tok[p-1]
				if leftStamp[l] != node {
					leftStamp[l] = node
					leftCount[l] = 0
				}
				leftCount[l]++
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
	stack := []frame{{lcp: 0, lb: 0, maxChild: 1}}
	for i := 1; i <= len(sa); i++ {
		cur := int32(0)
		if i < len(sa) {
			cur = lcp[i]
		}
		lb := int32(i - 1)
		lastSize := int32(0)
		for cur < stack[len(stack)-1].lcp {
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			process(f, int32(i-1))
			lb = f.lb
			lastSize = int32(i-1) - f.lb + 1
			if top := &stack[len(stack)-1]; cur <= top.lcp {
				top.maxChild = max(top.maxChild, counted(f.lb, top.lcp, lastSize))
			}
		}
		if top := stack[len(stack)-1]; cur > top.lcp {
			stack = append(stack, frame{lcp: cur, lb: lb, maxChild: max(1, counted(lb, cur, lastSize))})
		}
	}
	return out
}

// lookup returns the interval of sa whose suffixes begin with toks.
func (ts *tokenStream) lookup(sa []int32, toks []int32) (int32, int32) {
	cmpAt := func(p int32) int {
		for k, t := range toks {
			x := ts.tok[p+int32(k)]
			if x == sep {
				return -1
			}
			if x != t {
				return cmp.Compare(x, t)
			}
		}
		return 0
	}
	lo, _ := slices.BinarySearchFunc(sa, 0, func(p int32, _ int) int {
		if cmpAt(p) < 0 {
			return -1
		}
		return 1
	})
	hi, _ := slices.BinarySearchFunc(sa, 0, func(p int32, _ int) int {
		if cmpAt(p) <= 0 {
			return -1
		}
		return 1
	})
	return int32(lo), int32(hi)
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
	for t := range ts.text {
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

func (ts *tokenStream) longEnough(toks []int32) bool {
	words := 0
	for _, t := range toks {
		if ts.isWord[t] {
			words++
		}
	}
	runes := ts.runes(toks)
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
