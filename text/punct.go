package text

import "unicode"

// Class says what a punctuation mark does in running text. One table (Punct) holds every
// mark neardup treats specially, so that cutting sentences and clauses (this package),
// aligning a diff (package diff) and pairing brackets around slogans (package slogan) read
// the same marks the same way.
type Class uint16

const (
	Terminal   Class = 1 << iota // ends a sentence: 。！？； ! ? ; …
	FullStop                     // '.' and '．': ends a sentence unless inside a number or a word (3.5, e.g)
	ClauseMark                   // ends a clause: ，、：
	ClauseNum                    // ',' and ':': end a clause unless between digits (1,000  12:30)
	Opener                       // opens a bracket or a quotation: （ 【 “ 《
	Closer                       // closes one: ） 】 ” 》, and the straight quotes
	Straight                     // a quotation mark that opens and closes alike: " ' ＂ ＇
	Quote                        // opens a quotation or a title, whose content is a set phrase: “ 「 《 "
	// Common marks the punctuation of everyday Chinese and ASCII text. The rest of the table
	// are small and vertical presentation forms (U+FE10-FE6F), full-width brackets and
	// straight quotes, half-width corner brackets, guillemets, braces and the rarer
	// terminal marks (⋯ ‼ ⁇): sentence and clause cutting knows them all, while the diff's
	// boundary scores and the slogans' bracket pairing read the common marks only.
	Common
)

// Has reports whether c has every class of k.
func (c Class) Has(k Class) bool { return c&k == k }

// Punct returns the classes of r, 0 for a rune that is not in the table (letters, spaces,
// and punctuation that neither cuts nor brackets, such as '-' or '·').
func Punct(r rune) Class {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '｡', '…':
		return Terminal | Common
	case '﹒', '﹖', '﹗', '﹔', '⋯', '‼', '⁇', '⁈', '⁉':
		return Terminal
	case '.', '．':
		return FullStop | Common
	case '，', '、', '､', '：':
		return ClauseMark | Common
	case '﹐', '﹑', '︰', '﹕':
		return ClauseMark
	case ',', ':':
		return ClauseNum | Common
	case '“', '‘', '「', '『', '《', '〈':
		return Opener | Quote | Common
	case '（', '(', '[', '【', '〔', '〖':
		return Opener | Common
	case '〘', '〚', '｢', '«', '‹', '{', '｛', '［':
		return Opener
	case '”', '’', '」', '』', '）', ')', ']', '】', '》', '〉', '〕', '〗':
		return Closer | Common
	case '〙', '〛', '｣', '»', '›', '}', '｝', '］':
		return Closer
	case '"':
		return Closer | Straight | Quote | Common
	case '\'':
		return Closer | Straight | Common
	case '＂', '＇':
		return Closer | Straight
	}
	return 0
}

// The Unicode blocks that hold the punctuation of CJK text, for callers that ask where a rune
// comes from rather than what it does: the guess of UTF-16 without a byte order mark
// (package corpus), and whether a line break between two runes stands for a space (package
// diff).
var (
	GeneralPunctuation         = block(0x2000, 0x206F)
	CJKSymbolsAndPunctuation   = block(0x3000, 0x303F)
	CJKCompatibilityForms      = block(0xFE30, 0xFE4F)
	HalfwidthAndFullwidthForms = block(0xFF00, 0xFFEF)
	// FullwidthForms is the full-width part of HalfwidthAndFullwidthForms: the variants of
	// ASCII and the white parentheses, U+FF01 to U+FF60.
	FullwidthForms = block(0xFF01, 0xFF60)
)

func block(lo, hi uint16) *unicode.RangeTable {
	return &unicode.RangeTable{R16: []unicode.Range16{{Lo: lo, Hi: hi, Stride: 1}}}
}
