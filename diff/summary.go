package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/text"
)

// Changed reports whether a row holds any deleted or inserted text. A row that Normalized
// turned equal is not changed, even if one side is missing.
func Changed(r Row) bool {
	for _, e := range r.Left {
		if e.Op != Equal {
			return true
		}
	}
	for _, e := range r.Right {
		if e.Op != Equal {
			return true
		}
	}
	return false
}

// Summary counts what a diff changed. Characters are code points other than whitespace, so
// that a re-wrapped line does not count.
type Summary struct {
	Rows     int // rows in the diff
	Changed  int // rows with a change on either side (Changed)
	OnlyA    int // of those, rows present in A only
	OnlyB    int // of those, rows present in B only
	Deleted  int // characters only in A
	Inserted int // characters only in B
}

// Same reports whether the diff found no change.
func (s Summary) Same() bool { return s.Changed == 0 }

// Summarize counts the changes of rows.
func Summarize(rows []Row) Summary {
	s := Summary{Rows: len(rows)}
	for _, r := range rows {
		if !Changed(r) {
			continue
		}
		s.Changed++
		switch {
		case r.Right == nil:
			s.OnlyA++
		case r.Left == nil:
			s.OnlyB++
		}
		for _, e := range r.Left {
			if e.Op == Delete {
				s.Deleted += visibleRunes(e.Text)
			}
		}
		for _, e := range r.Right {
			if e.Op == Insert {
				s.Inserted += visibleRunes(e.Text)
			}
		}
	}
	return s
}

func visibleRunes(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Normalized returns rows with every change that text.Normalize ignores turned into equal
// text: punctuation (so "，" against "," or a dropped "、"), spacing and line breaks, case
// and full-width or half-width forms. The rows still hold the original texts, so the Left
// and Right texts still concatenate to A and B; only the operations change.
//
// Each changed row is compared again on its normalised texts, and the result is mapped back
// to the original code points through Normalize's offset map: a code point is deleted (or
// inserted) when a normalised rune made from it is, and equal otherwise, including code points
// that normalise to nothing. A paragraph present on one side only stays deleted or inserted
// unless it normalises to nothing.
func Normalized(rows []Row) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = r
		if !Changed(r) {
			continue
		}
		left, right := joinEdits(r.Left), joinEdits(r.Right)
		na, nb := text.Normalize(left), text.Normalize(right)
		var delA, insB []bool // per normalised rune: only on its side
		switch {
		case r.Right == nil:
			delA = allTrue(na.Len())
		case r.Left == nil:
			insB = allTrue(nb.Len())
		default:
			delA, insB = make([]bool, na.Len()), make([]bool, nb.Len())
			ia, ib := 0, 0
			for _, e := range chars([]rune(string(na.Text)), []rune(string(nb.Text))) {
				n := utf8.RuneCountInString(e.Text)
				switch e.Op {
				case Equal:
					ia += n
					ib += n
				case Delete:
					for k := range n {
						delA[ia+k] = true
					}
					ia += n
				case Insert:
					for k := range n {
						insB[ib+k] = true
					}
					ib += n
				}
			}
		}
		if r.Left != nil {
			out[i].Left = remap(left, na, delA, Delete)
		}
		if r.Right != nil {
			out[i].Right = remap(right, nb, insB, Insert)
		}
	}
	return out
}

// normalizedKey aligns paragraphs on their normalised text.
func normalizedKey(unit string) string { return string(text.AppendNormalized(nil, unit)) }

func joinEdits(side []Edit) string {
	var b strings.Builder
	for _, e := range side {
		b.WriteString(e.Text)
	}
	return b.String()
}

func allTrue(n int) []bool {
	s := make([]bool, n)
	for i := range s {
		s[i] = true
	}
	return s
}

// remap turns per-normalised-rune changes back into edits of the original text s.
func remap(s string, n *text.Normalized, changed []bool, op Op) []Edit {
	s = valid(s)
	runes := []rune(s)
	mark := make([]bool, len(runes))
	for k, c := range changed {
		if !c {
			continue
		}
		for p := n.Start[k]; p < n.End[k] && int(p) < len(mark); p++ {
			mark[p] = true
		}
	}
	var edits []Edit
	for p, r := range runes {
		o := Equal
		if mark[p] {
			o = op
		}
		edits = appendEdit(edits, o, string(r))
	}
	if edits == nil {
		edits = []Edit{}
	}
	return edits
}
