package text

import (
	"unicode"
	"unicode/utf8"
)

// Span is a range of code points [Start, End) of an original text.
type Span struct{ Start, End int }

// Sentences cuts text into sentences: after 。！？；!?; and their
// full-width, half-width and small-form kin, after an ellipsis, after a
// full stop that ends a sentence, and at every line break. Closing quotes
// and brackets right after a terminator stay with its sentence. Spans are
// trimmed of white space; spans without a letter or digit are dropped.
func Sentences(text string) []Span { return segment(text, false) }

// Clauses cuts text like Sentences and also after the clause marks
// ，、,：: and their kin. A comma, colon or full stop between two digits
// (1,000  3.5  12:30) is not a cut.
func Clauses(text string) []Span { return segment(text, true) }

type cutKind uint8

const (
	noCut      cutKind = iota
	lineBreak          // ends the span before itself
	terminal           // ends a sentence after itself (and after following closers)
	fullStop           // '.' and kin: terminal unless inside a number or a word (3.5, e.g)
	clauseMark         // ends a clause after itself
	clauseNum          // ',' ':' and kin: a clause mark unless between digits
)

func classify(r rune, clauses bool) cutKind {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return lineBreak
	}
	c := Punct(r)
	switch {
	case c == 0:
		return noCut
	case c.Has(Terminal):
		return terminal
	case c.Has(FullStop):
		return fullStop
	case !clauses:
		return noCut
	case c.Has(ClauseMark):
		return clauseMark
	case c.Has(ClauseNum):
		return clauseNum
	}
	return noCut
}

// isCloser reports closing quotes and brackets that belong to the sentence
// before them. ASCII quotes right after a terminator are taken as closing.
func isCloser(r rune) bool { return Punct(r).Has(Closer) }

// Kinds of ASCII characters for segment's spans.
const (
	asciiOther = iota
	asciiSpace
	asciiAlnum // a letter or a digit: the span has content
)

var asciiKind = func() (t [utf8.RuneSelf]uint8) {
	for r := range rune(utf8.RuneSelf) {
		switch {
		case unicode.IsSpace(r):
			t[r] = asciiSpace
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			t[r] = asciiAlnum
		}
	}
	return t
}()

func segment(text string, clauses bool) []Span {
	var spans []Span
	var (
		first   = -1 // first non-space code point of the current span
		last    = -1 // one past its last non-space code point
		content bool // the span has a letter or digit
	)
	emit := func() {
		if content && first >= 0 {
			spans = append(spans, Span{first, last})
		}
		first, last, content = -1, -1, false
	}
	add := func(r rune, cp int) {
		if r < utf8.RuneSelf {
			// ASCII, told by a table: no ASCII character is a format character.
			k := asciiKind[r]
			if k == asciiSpace {
				return
			}
			if first < 0 {
				first = cp
			}
			last = cp + 1
			content = content || k == asciiAlnum
			return
		}
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return
		}
		if first < 0 {
			first = cp
		}
		last = cp + 1
		if !content && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			content = true
		}
	}
	prev := rune(-1)
	cp := 0
	for i := 0; i < len(text); {
		// Han characters, nearly all of a Chinese text, are letters that never cut: what
		// add does for them, with the three bytes decoded inline.
		if c := text[i]; c >= 0xE3 && c <= 0xE9 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			if r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F); isPlainHan(r) {
				if first < 0 {
					first = cp
				}
				last, content, prev = cp+1, true, r
				i += 3
				cp++
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		kind := classify(r, clauses)
		if kind == noCut {
			add(r, cp)
			prev = r
			i += size
			cp++
			continue
		}
		if kind == lineBreak {
			emit()
			prev = r
			i += size
			cp++
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[i+size:])
		if i+size == len(text) {
			next = -1
		}
		cut := true
		switch kind {
		case fullStop:
			// 3.5 is a number; e.g and example.com are words.
			if unicode.IsDigit(prev) && unicode.IsDigit(next) {
				cut = false
			} else if r == '.' && next < utf8.RuneSelf && next >= 0 && (unicode.IsLetter(next) || unicode.IsDigit(next)) {
				cut = false
			}
		case clauseNum:
			cut = !(unicode.IsDigit(prev) && unicode.IsDigit(next))
		}
		add(r, cp)
		prev = r
		i += size
		cp++
		if !cut {
			continue
		}
		// Runs of terminators (?!, ……, ...) and closers stay together.
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			k := classify(r, clauses)
			if !isCloser(r) && k != terminal && k != fullStop && k != clauseMark && k != clauseNum {
				break
			}
			add(r, cp)
			prev = r
			i += size
			cp++
		}
		emit()
	}
	emit()
	return spans
}
