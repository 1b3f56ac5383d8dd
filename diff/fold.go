package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/text"
)

// A line break that only wraps a line is compared as the space it stands for, or as nothing
// between Chinese or Japanese characters, which are written without spaces. Rows calls that
// folding the break. A break that starts a blank line separates paragraphs and is kept.

// foldedText is a text in the form Rows compares it in: every whitespace run that holds exactly
// one line break and sits between two non-space characters is replaced by one space or by
// nothing. start maps each folded rune back to the byte where it starts in the original; a
// break folded to nothing belongs to the rune before it.
type foldedText struct {
	runes []rune
	start []int  // len(runes)+1 entries; the last is the length of the original
	fold  []bool // len(runes)+1 entries: a break was folded into rune k (a space) or just before it (nothing)
}

func foldText(s string) foldedText {
	f := foldedText{
		runes: make([]rune, 0, len(s)),
		start: make([]int, 0, len(s)+1),
		fold:  make([]bool, 0, len(s)+1),
	}
	zeroBefore := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			f.runes = append(f.runes, r)
			f.start = append(f.start, i)
			f.fold = append(f.fold, zeroBefore)
			zeroBefore = false
			i += n
			continue
		}
		j := i + spaceRun(s[i:])
		if sep, ok := foldBreak(s, i, j); ok {
			if sep == "" {
				zeroBefore = true
			} else {
				f.runes = append(f.runes, ' ')
				f.start = append(f.start, i)
				f.fold = append(f.fold, true)
			}
			i = j
			continue
		}
		for k, r := range s[i:j] {
			f.runes = append(f.runes, r)
			f.start = append(f.start, i+k)
			f.fold = append(f.fold, false)
		}
		i = j
	}
	f.start = append(f.start, len(s))
	f.fold = append(f.fold, zeroBefore)
	return f
}

// spaceRun is the length in bytes of the whitespace that s starts with.
func spaceRun(s string) int {
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) }); i >= 0 {
		return i
	}
	return len(s)
}

// foldBreak says whether the whitespace s[i:j] is a wrapped line break (one line break, text
// on both sides) and what it reads as.
func foldBreak(s string, i, j int) (string, bool) {
	if i == 0 || j == len(s) || strings.Count(s[i:j], "\n") != 1 {
		return "", false
	}
	return breakSeparator(s[:i], s[i:j], s[j:]), true
}

// breakSeparator is what the wrapped line break run (whitespace) between before and after
// stands for: nothing between Chinese or Japanese characters, looking past quotes and
// brackets so that 。”\n“ reads as 。”“; nothing next to one of them unless the run also holds
// a space, which a wrapper that breaks anywhere leaves in place; otherwise a space.
func breakSeparator(before, run, after string) string {
	cb, ca := cjkNear(before, true), cjkNear(after, false)
	if cb && ca || (cb || ca) && strings.Trim(run, "\r\n") == "" {
		return ""
	}
	return " "
}

// cjkNear reports whether the character next to the break, past at most three quotes or
// brackets, is written without spaces between words. back looks at the end of s.
func cjkNear(s string, back bool) bool {
	for range 4 {
		var r rune
		var n int
		if back {
			r, n = utf8.DecodeLastRuneInString(s)
			s = s[:len(s)-n]
		} else {
			r, n = utf8.DecodeRuneInString(s)
			s = s[n:]
		}
		if n == 0 {
			return false
		}
		if unicode.In(r, unicode.Pi, unicode.Pf, unicode.Ps, unicode.Pe) && !isCJK(r) {
			continue
		}
		return isCJK(r)
	}
	return false
}

// isCJK reports Chinese and Japanese characters and their full-width punctuation. Hangul is
// left out: Korean puts spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Bopomofo,
		text.CJKSymbolsAndPunctuation, text.FullwidthForms, text.CJKCompatibilityForms)
}

// Reflow returns one side of a row as it reads: each line break inside it, with the spaces
// around it, becomes the space or nothing that Rows compared it as, and the line breaks that
// end the side are dropped. blank counts the blank lines among those (a paragraph followed by
// one empty line gives 1). A folded break keeps the operation of the edit it was in, or the
// first change among them if it spans several.
func Reflow(side []Edit) (out []Edit, blank int) {
	var text strings.Builder
	for _, e := range side {
		text.WriteString(e.Text)
	}
	s := text.String()
	// The side's end: whitespace from its first line break on.
	end := len(s)
	trail := strings.TrimRightFunc(s, unicode.IsSpace)
	if k := strings.IndexByte(s[len(trail):], '\n'); k >= 0 {
		end = len(trail) + k
		for end > len(trail) && s[end-1] == '\r' {
			end--
		}
		blank = strings.Count(s[end:], "\n") - 1
	}
	opAt := make([]Op, 0, len(s)) // per byte, so that ranges of s index it directly
	for _, e := range side {
		for range len(e.Text) {
			opAt = append(opAt, e.Op)
		}
	}
	add := func(op Op, t string) {
		if t == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += t
			return
		}
		out = append(out, Edit{op, t})
	}
	for i := 0; i < end; {
		if !startsWithSpace(s[i:]) {
			j := i
			for j < end && opAt[j] == opAt[i] && !startsWithSpace(s[j:]) {
				_, n := utf8.DecodeRuneInString(s[j:])
				j += n
			}
			add(opAt[i], s[i:j])
			i = j
			continue
		}
		j := min(i+spaceRun(s[i:]), end)
		if i == 0 || j == end || !strings.Contains(s[i:j], "\n") {
			for k := i; k < j; {
				m := k + 1
				for m < j && opAt[m] == opAt[k] {
					m++
				}
				add(opAt[k], s[k:m])
				k = m
			}
			i = j
			continue
		}
		op := Equal
		for _, o := range opAt[i:j] {
			if o != Equal {
				op = o
				break
			}
		}
		add(op, breakSeparator(s[:i], s[i:j], s[j:]))
		i = j
	}
	return out, max(blank, 0)
}

func startsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}
