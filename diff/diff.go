// Package diff compares two texts character by character and lays the result out as aligned
// rows for a side-by-side view.
//
// It wraps github.com/sergi/go-diff behind neardup's own types. Output is deterministic: go-diff
// runs without a timeout, so its result never depends on machine speed, and each call is
// bounded instead: texts are first aligned paragraph by paragraph (long paragraphs are cut at
// sentence ends), and only the paragraphs of one aligned pair are diffed character by character.
// A pair too long for that falls back to a coarse edit (common prefix and suffix kept, the
// middle replaced).
//
// go-diff's semantic cleanup knows ASCII word boundaries only. For Chinese this package keeps
// the cleanup from merging edits across a shared clause punctuation mark, and slides edits so
// that they start and end at clause punctuation when the text allows a choice.
//
// Texts are read as UTF-8; an invalid byte reads as U+FFFD, as in a Go []rune conversion.
package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
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
// and Delete edits, Right holds Equal and Insert edits. A paragraph keeps its line break, so
// the Left texts of all rows concatenated give A exactly, and the Right texts give B.
type Row struct {
	Left, Right []Edit
}

// Limits that bound the work of one go-diff call (its cost grows with length times edits).
const (
	// MaxParagraph is the longest unit aligned as a whole, in runes; a longer paragraph is cut
	// after sentence ends (or hard, if it has none) so that one-line articles still align.
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

// Rows aligns the paragraphs of a and b and diffs each aligned pair character by character.
func Rows(a, b string) []Row {
	ua, ub := units(valid(a)), units(valid(b))
	var rows []Row
	for _, blk := range alignUnits(ua, ub) {
		if blk.equal {
			for _, u := range blk.dels {
				e := []Edit{{Equal, u}}
				rows = append(rows, Row{Left: e, Right: e})
			}
			continue
		}
		for _, p := range pairUnits(blk.dels, blk.ins) {
			switch {
			case p.del < 0:
				rows = append(rows, Row{Right: []Edit{{Insert, blk.ins[p.ins]}}})
			case p.ins < 0:
				rows = append(rows, Row{Left: []Edit{{Delete, blk.dels[p.del]}}})
			default:
				rows = append(rows, split(Chars(blk.dels[p.del], blk.ins[p.ins])))
			}
		}
	}
	return rows
}

// valid replaces each invalid byte of s with U+FFFD, as a []rune conversion does.
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return string([]rune(s))
}

// split divides one edit list into its left (Equal+Delete) and right (Equal+Insert) sides.
func split(edits []Edit) Row {
	var r Row
	for _, e := range edits {
		if e.Op != Insert {
			r.Left = append(r.Left, e)
		}
		if e.Op != Delete {
			r.Right = append(r.Right, e)
		}
	}
	return r
}

// Chars diffs a and b character by character, cleaned up to read well on Chinese and English.
// Equal and Delete texts concatenated give a, Equal and Insert texts give b. Inputs longer
// than MaxChars runes together get a coarse result.
func Chars(a, b string) []Edit {
	ra, rb := []rune(valid(a)), []rune(valid(b))
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

func sentencePunct(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '｡', '!', '?', ';', '…':
		return true
	}
	return false
}

func clausePunct(r rune) bool {
	switch r {
	case '，', '、', '：', '︐', '﹐', '､', ',', ':':
		return true
	}
	return false
}

func closingPunct(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', '》', '〉', '】', ')', ']', '"', '\'':
		return true
	}
	return false
}

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
