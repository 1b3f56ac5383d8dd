// Package diff compares two texts character by character and lays the result out as aligned
// rows for a side-by-side view.
//
// It wraps github.com/sergi/go-diff behind neardup's own types. Output is deterministic: go-diff
// runs without a timeout, so its result never depends on machine speed, and each call is
// bounded instead: texts are first aligned paragraph by paragraph (long paragraphs are cut at
// sentence ends), and only the paragraphs of one aligned pair (or of one paragraph split into
// a few) are diffed character by character. A pair too long for that falls back to a coarse
// edit (common prefix and suffix kept, the middle replaced).
//
// Line breaks that only wrap a paragraph are not changes. A paragraph is a run of lines that
// a wrapper made: a text is taken as hard-wrapped when most lines followed by another line
// are full (the next line's first word would not have fitted), and a long line that does not
// end a sentence is joined to the next in any text; a blank line always ends a paragraph.
// Paragraphs are aligned on their text without whitespace, and compared with every single
// line break folded: the break and the spaces around it count as one space, or as nothing
// next to a Chinese or Japanese character, and a lone space change at a folded break is no
// change either. Blank lines are compared as they are. Reflow shows a side the same way.
//
// go-diff's semantic cleanup knows ASCII word boundaries only. For Chinese this package keeps
// the cleanup from merging edits across a shared clause punctuation mark, and slides edits so
// that they start and end at clause punctuation when the text allows a choice.
//
// Texts are read as UTF-8; an invalid byte reads as U+FFFD, as in a Go []rune conversion.
package diff

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/neardup/neardup/text"
)

// Op says what an edit does.
type Op int8

// The edit operations.
const (
	Equal  Op = iota // text in both A and B
	Delete           // text only in A
	Insert           // text only in B
)

// Edit is a run of text with one operation.
type Edit struct {
	Op   Op
	Text string
}

// Row is one aligned row of a side-by-side view: a paragraph of A beside the paragraph of B it
// matches, or a paragraph present on one side only (the other side is nil). Left holds Equal
// and Delete edits, Right holds Equal and Insert edits. A paragraph keeps its line breaks and
// the blank lines after it, so the Left texts of all rows concatenated give A exactly, and the
// Right texts give B. The Equal text of the two sides is the same once whitespace is dropped:
// a folded line break on one side may face a space or nothing on the other. Show a side with
// Reflow.
type Row struct {
	Left, Right []Edit
}

// Limits that bound the work of one go-diff call (its cost grows with length times edits).
const (
	// MaxParagraph is the longest unit aligned as a whole, in non-space runes; a longer
	// paragraph is cut after sentence ends (or hard, if it has none) so that one-line articles
	// still align.
	MaxParagraph = 1000
	// MaxChars is the most runes (both sides together) diffed character by character in one
	// call; a longer pair gets a coarse edit. Two MaxParagraph units always fit.
	MaxChars = 4 * MaxParagraph
	// maxUnits bounds the paragraph-level diff; beyond it the middle is replaced coarsely.
	maxUnits = 100000
	// maxPairing bounds the paragraph pairing table inside one changed block (rows x columns);
	// beyond it paragraphs pair in order.
	maxPairing = 250000
	// minPairSimilarity is the bigram similarity above which a deleted and an inserted
	// paragraph count as one edited paragraph rather than two unrelated ones.
	minPairSimilarity = 0.3
)

// Rows aligns the paragraphs of a and b and diffs each aligned pair character by character,
// with line breaks folded as the package doc says. A text re-wrapped at another width faces
// its original row by row, all equal. A paragraph split in two (or up to maxGroup), or merged,
// faces its pieces over several rows, cut at the paragraph ends of either side.
func Rows(a, b string) []Row {
	return rows(a, b, key)
}

// RowsNormalized is Rows ignoring what text.Normalize ignores (see Normalized), with the
// paragraphs also aligned on their normalised text, so that a paragraph retyped in
// full-width forms faces its original.
func RowsNormalized(a, b string) []Row {
	return Normalized(rows(a, b, normalizedKey))
}

func rows(a, b string, key func(string) string) []Row {
	a, b = valid(a), valid(b)
	var rows []Row
	for _, blk := range alignUnits(units(a), units(b), key) {
		if blk.equal {
			for k, u := range blk.dels {
				if u == blk.ins[k] {
					e := []Edit{{Equal, u}}
					rows = append(rows, Row{Left: e, Right: e})
				} else {
					rows = append(rows, groupRows(blk.dels[k:k+1], blk.ins[k:k+1])...)
				}
			}
			continue
		}
		for _, g := range pairUnits(blk.dels, blk.ins, key) {
			switch {
			case g.d0 == g.d1:
				rows = append(rows, Row{Right: []Edit{{Insert, blk.ins[g.i0]}}})
			case g.i0 == g.i1:
				rows = append(rows, Row{Left: []Edit{{Delete, blk.dels[g.d0]}}})
			default:
				rows = append(rows, groupRows(blk.dels[g.d0:g.d1], blk.ins[g.i0:g.i1])...)
			}
		}
	}
	return rows
}

// span is one edit of a folded diff: folded rune ranges [a0,a1) of A and [b0,b1) of B. An
// equal span normally covers as many runes on both sides; one made from a whitespace change
// at a folded break may not, and is never cut.
type span struct {
	op             Op
	a0, a1, b0, b1 int
}

// groupRows diffs the paragraphs dels (of A) against ins (of B) with wrapped line breaks
// folded, and lays the result out as rows cut at every paragraph boundary of either side.
func groupRows(dels, ins []string) []Row {
	a, b := strings.Join(dels, ""), strings.Join(ins, "")
	fa, fb := foldText(a), foldText(b)
	var spans []span
	pa, pb := 0, 0
	for _, e := range chars(fa.runes, fb.runes) {
		n := utf8.RuneCountInString(e.Text)
		sp := span{e.Op, pa, pa, pb, pb}
		if e.Op != Insert {
			sp.a1 += n
		}
		if e.Op != Delete {
			sp.b1 += n
		}
		pa, pb = sp.a1, sp.b1
		spans = append(spans, sp)
	}
	spans = absorbBreakSpaces(spans, fa, fb)

	// Cut points: the folded index where each unit but the last ends.
	var cutsA, cutsB []int
	for x, k := 0, 0; k+1 < len(dels); k++ {
		x += len(dels[k])
		cutsA = append(cutsA, foldedIndex(fa, x))
	}
	for x, k := 0, 0; k+1 < len(ins); k++ {
		x += len(ins[k])
		cutsB = append(cutsB, foldedIndex(fb, x))
	}
	for _, c := range cutsA {
		spans = splitAt(spans, c, true)
	}
	for _, c := range cutsB {
		spans = splitAt(spans, c, false)
	}
	var after []int // row ends: index of the first span of the next row
	for _, c := range cutsA {
		after = append(after, cutAfter(spans, c, true))
	}
	for _, c := range cutsB {
		after = append(after, cutAfter(spans, c, false))
	}
	after = append(after, len(spans))
	slices.Sort(after)
	after = slices.Compact(after)

	var rows []Row
	from := 0
	for _, to := range after {
		var r Row
		for _, sp := range spans[from:to] {
			if sp.op != Insert {
				r.Left = appendEdit(r.Left, sp.op, a[fa.start[sp.a0]:fa.start[sp.a1]])
			}
			if sp.op != Delete {
				r.Right = appendEdit(r.Right, sp.op, b[fb.start[sp.b0]:fb.start[sp.b1]])
			}
		}
		if r.Left != nil || r.Right != nil {
			rows = append(rows, r)
		}
		from = to
	}
	return rows
}

// appendEdit adds text to one side, joining it to the last edit if that has the same op.
func appendEdit(side []Edit, op Op, text string) []Edit {
	if text == "" {
		return side
	}
	if n := len(side); n > 0 && side[n-1].Op == op {
		side[n-1].Text += text
		return side
	}
	return append(side, Edit{op, text})
}

// absorbBreakSpaces turns a change made only of spaces (no line break) into an equal span when
// it sits at a folded line break of either side: "使用\nGo" wrapped from "使用 Go" folds to
// "使用Go", and the space is the break's, not an edit.
func absorbBreakSpaces(spans []span, fa, fb foldedText) []span {
	out := spans[:0]
	for i := 0; i < len(spans); {
		if spans[i].op == Equal {
			out = append(out, spans[i])
			i++
			continue
		}
		j := i
		for j < len(spans) && spans[j].op != Equal {
			j++
		}
		ch := span{Equal, spans[i].a0, spans[j-1].a1, spans[i].b0, spans[j-1].b1}
		if onlySpaces(fa.runes[ch.a0:ch.a1]) && onlySpaces(fb.runes[ch.b0:ch.b1]) &&
			(slices.Contains(fa.fold[ch.a0:ch.a1+1], true) || slices.Contains(fb.fold[ch.b0:ch.b1+1], true)) {
			out = append(out, ch)
		} else {
			out = append(out, spans[i:j]...)
		}
		i = j
	}
	return out
}

func onlySpaces(rs []rune) bool {
	for _, r := range rs {
		if r == '\n' || !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// foldedIndex is the first folded rune that starts at or after byte x of the original, so a
// cut inside a folded break moves to its end.
func foldedIndex(f foldedText, x int) int {
	k, _ := slices.BinarySearch(f.start, x)
	return k
}

// splitAt cuts the span that holds folded index c of A (or of B) strictly inside it in two.
func splitAt(spans []span, c int, onA bool) []span {
	for i, sp := range spans {
		lo, hi := sp.b0, sp.b1
		if onA {
			lo, hi = sp.a0, sp.a1
		}
		if c <= lo || c >= hi {
			continue
		}
		if sp.op == Equal && sp.a1-sp.a0 != sp.b1-sp.b0 {
			return spans // an absorbed change is not cut; the row ends after it
		}
		first, second := sp, sp
		d := c - lo
		if sp.op != Insert {
			first.a1, second.a0 = sp.a0+d, sp.a0+d
		}
		if sp.op != Delete {
			first.b1, second.b0 = sp.b0+d, sp.b0+d
		}
		spans[i] = first
		return slices.Insert(spans, i+1, second)
	}
	return spans
}

// cutAfter is the index of the first span after cut c of A (or B): after the span that ends
// there and, if that span is the side's own change, after the other side's changes that
// follow it, so that a change stays in one row.
func cutAfter(spans []span, c int, onA bool) int {
	for i, sp := range spans {
		lo, hi, own := sp.b0, sp.b1, Insert
		if onA {
			lo, hi, own = sp.a0, sp.a1, Delete
		}
		if c > lo && c <= hi {
			i++
			if sp.op == own {
				for i < len(spans) && spans[i].op != Equal && spans[i].op != own {
					i++
				}
			}
			return i
		}
	}
	return 0
}

// valid replaces each invalid byte of s with U+FFFD, as a []rune conversion does.
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// Chars diffs a and b character by character, cleaned up to read well on Chinese and English.
// Equal and Delete texts concatenated give a, Equal and Insert texts give b. Inputs longer
// than MaxChars runes together get a coarse result.
func Chars(a, b string) []Edit {
	return chars([]rune(valid(a)), []rune(valid(b)))
}

func chars(ra, rb []rune) []Edit {
	if len(ra)+len(rb) > MaxChars {
		return coarse(ra, rb)
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	raw := dmp.DiffMainRunes(ra, rb, false)
	var out []Edit
	for _, seg := range clauseSegments(raw) {
		for _, d := range dmp.DiffCleanupSemantic(seg) {
			out = append(out, Edit{fromOp(d.Type), d.Text})
		}
	}
	out = mergeIslands(merge(out))
	out = snap(out)
	return merge(out)
}

// maxIsland is the longest equal run between two changes that is folded into them. go-diff's
// semantic cleanup misses some of these; in Chinese a one- or two-character match inside a
// rewritten phrase (了, 的, a shared 强 in 加强/强化) is chance, and it splits the phrase in two.
const maxIsland = 2

// mergeIslands folds each short equal run that sits between two changes into them, unless it
// holds punctuation or space, or is longer than a change beside it. Input is merged.
func mergeIslands(edits []Edit) []Edit {
	for {
		changed := false
		for i := 1; i+1 < len(edits); i++ {
			if edits[i].Op != Equal || edits[i-1].Op == Equal || edits[i+1].Op == Equal {
				continue
			}
			island := []rune(edits[i].Text)
			if len(island) > maxIsland || strings.IndexFunc(edits[i].Text, func(r rune) bool {
				return unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r)
			}) >= 0 {
				continue
			}
			lo, hi := i, i+1 // the change before is edits[lo:i], the one after edits[i+1:hi]
			for lo > 0 && edits[lo-1].Op != Equal {
				lo--
			}
			for hi < len(edits) && edits[hi].Op != Equal {
				hi++
			}
			if len(island) > changeSize(edits[lo:i]) || len(island) > changeSize(edits[i+1:hi]) {
				continue
			}
			var del, ins strings.Builder
			for _, e := range edits[lo:hi] {
				if e.Op != Insert {
					del.WriteString(e.Text)
				}
				if e.Op != Delete {
					ins.WriteString(e.Text)
				}
			}
			repl := []Edit{{Delete, del.String()}, {Insert, ins.String()}}
			edits = append(edits[:lo], append(repl, edits[hi:]...)...)
			changed = true
			break
		}
		if !changed {
			return edits
		}
	}
}

// changeSize is the larger side of a change, in runes.
func changeSize(change []Edit) int {
	del, ins := 0, 0
	for _, e := range change {
		if e.Op == Delete {
			del += utf8.RuneCountInString(e.Text)
		} else {
			ins += utf8.RuneCountInString(e.Text)
		}
	}
	return max(del, ins)
}

// Raw is go-diff's own character diff with its semantic cleanup and nothing else. It exists
// for comparison in tests and benchmarks.
func Raw(a, b string) []Edit {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out []Edit
	for _, d := range dmp.DiffCleanupSemantic(dmp.DiffMainRunes([]rune(a), []rune(b), false)) {
		out = append(out, Edit{fromOp(d.Type), d.Text})
	}
	return out
}

func fromOp(t diffmatchpatch.Operation) Op {
	switch t {
	case diffmatchpatch.DiffDelete:
		return Delete
	case diffmatchpatch.DiffInsert:
		return Insert
	}
	return Equal
}

// coarse keeps the common prefix and suffix and replaces everything between.
func coarse(ra, rb []rune) []Edit {
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	var out []Edit
	add := func(op Op, r []rune) {
		if len(r) > 0 {
			out = append(out, Edit{op, string(r)})
		}
	}
	add(Equal, ra[:p])
	add(Delete, ra[p:len(ra)-s])
	add(Insert, rb[p:len(rb)-s])
	add(Equal, ra[len(ra)-s:])
	return out
}

// clauseSegments cuts a raw diff after every clause punctuation mark that both sides share, so
// that the semantic cleanup, run per segment, never merges edits of two clauses into one: a
// Chinese reader sees "，" as a boundary as strong as a space is to go-diff.
func clauseSegments(diffs []diffmatchpatch.Diff) [][]diffmatchpatch.Diff {
	var segs [][]diffmatchpatch.Diff
	var cur []diffmatchpatch.Diff
	for _, d := range diffs {
		if d.Type != diffmatchpatch.DiffEqual {
			cur = append(cur, d)
			continue
		}
		text := d.Text
		for {
			i := indexClauseEnd(text)
			if i < 0 {
				break
			}
			cur = append(cur, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: text[:i]})
			segs = append(segs, cur)
			cur = nil
			text = text[i:]
		}
		if text != "" {
			cur = append(cur, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: text})
		}
	}
	if len(cur) > 0 {
		segs = append(segs, cur)
	}
	return segs
}

// indexClauseEnd returns the byte offset just after the first clause punctuation mark in s, or -1.
func indexClauseEnd(s string) int {
	for i, r := range s {
		if clausePunct(r) || sentencePunct(r) || r == '\n' {
			return i + utf8.RuneLen(r)
		}
	}
	return -1
}

// The boundary scores read the common marks of text.Punct.

func sentencePunct(r rune) bool { return text.Punct(r).Has(text.Terminal | text.Common) }

func clausePunct(r rune) bool {
	c := text.Punct(r)
	return c.Has(text.Common) && (c.Has(text.ClauseMark) || c.Has(text.ClauseNum))
}

func closingPunct(r rune) bool { return text.Punct(r).Has(text.Closer | text.Common) }

// merge joins adjacent edits of the same kind, drops empty ones, and puts the Delete of a
// change before its Insert.
func merge(edits []Edit) []Edit {
	out := edits[:0:0]
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, Edit{Delete, del.String()})
			del.Reset()
		}
		if ins.Len() > 0 {
			out = append(out, Edit{Insert, ins.String()})
			ins.Reset()
		}
	}
	for _, e := range edits {
		switch {
		case e.Text == "":
		case e.Op == Delete:
			del.WriteString(e.Text)
		case e.Op == Insert:
			ins.WriteString(e.Text)
		default:
			flush()
			if n := len(out); n > 0 && out[n-1].Op == Equal {
				out[n-1].Text += e.Text
			} else {
				out = append(out, e)
			}
		}
	}
	flush()
	return out
}

// snap slides each lone insertion or deletion (an edit between two equal runs) to the position
// where its ends fall on the strongest boundaries: after sentence or clause punctuation in
// Chinese, at spaces in English. go-diff does the same with ASCII-only scores, which rate every
// boundary inside Chinese text alike.
func snap(edits []Edit) []Edit {
	for i := 1; i+1 < len(edits); i++ {
		if edits[i-1].Op != Equal || edits[i+1].Op != Equal || edits[i].Op == Equal {
			continue
		}
		before, edit, after := []rune(edits[i-1].Text), []rune(edits[i].Text), []rune(edits[i+1].Text)
		// Slide fully left, then try every position to the right; rightmost wins ties, as in go-diff.
		for len(before) > 0 && before[len(before)-1] == edit[len(edit)-1] {
			last := before[len(before)-1]
			before = before[:len(before)-1]
			edit = append([]rune{last}, edit[:len(edit)-1]...)
			after = append([]rune{last}, after...)
		}
		best, bestScore := 0, -1
		for shift := 0; ; shift++ {
			if shift > 0 {
				if shift > len(after) || edit[(shift-1)%len(edit)] != after[shift-1] {
					break
				}
			}
			// Position shift: before+after[:shift], edit rotated left by shift, after[shift:].
			left := boundaryScore(before, after[:shift], rotate(edit, shift))
			right := boundaryScore(rotate(edit, shift), nil, after[shift:])
			if s := left + right; s >= bestScore {
				best, bestScore = shift, s
			}
		}
		if best > 0 {
			edits[i-1].Text = string(before) + string(after[:best])
			edits[i].Text = string(rotate(edit, best))
			edits[i+1].Text = string(after[best:])
		} else {
			edits[i-1].Text = string(before)
			edits[i].Text = string(edit)
			edits[i+1].Text = string(after)
		}
	}
	return edits
}

// rotate returns edit shifted left by n runes (n may exceed its length), as a new slice.
func rotate(edit []rune, n int) []rune {
	n %= len(edit)
	out := make([]rune, 0, len(edit))
	return append(append(out, edit[n:]...), edit[:n]...)
}

// boundaryScore rates the boundary between the text ending in x (x then x2) and the text
// starting with y. The higher, the better a place for an edit to begin or end.
func boundaryScore(x, x2, y []rune) int {
	var prev rune
	switch {
	case len(x2) > 0:
		prev = x2[len(x2)-1]
	case len(x) > 0:
		prev = x[len(x)-1]
	default:
		return 7 // the edge of the paragraph
	}
	if len(y) == 0 {
		return 7
	}
	next := y[0]
	switch {
	case prev == '\n' || next == '\n':
		return 6
	case sentencePunct(prev) || (closingPunct(prev) && next != '\n' && !unicode.IsPunct(next)):
		return 5
	case clausePunct(prev):
		return 4
	case unicode.IsSpace(prev) || unicode.IsSpace(next):
		return 3
	case unicode.IsPunct(prev) || unicode.IsPunct(next):
		return 2
	case isWordRune(prev) != isWordRune(next):
		return 1 // a change of script: Latin word beside Chinese
	case isWordRune(prev) && isWordRune(next):
		return 0 // inside a Latin word or number
	}
	return 0 // between two Chinese characters
}

// isWordRune reports letters and digits of scripts that put spaces between words.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r) &&
		!unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}
