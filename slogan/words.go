package slogan

import "unicode"

// maxPhraseRunes bounds the pieces that get variants. A slogan is a phrase; a piece longer
// than this is a paragraph with no clause punctuation (or a 30 MB line of it), and its
// deletion keys alone would take memory in proportion to the square of its length. Such a
// piece still counts when it recurs verbatim.
const maxPhraseRunes = 200

// spacedWordRune reports letters and digits of scripts that separate words with spaces, where
// a phrase found inside a run of them would be a piece of a word. Chinese and Japanese are
// written without spaces, so any position between their characters may start a phrase.
func spacedWordRune(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
