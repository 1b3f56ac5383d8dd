package text

import (
	"sync"
	"unicode/utf8"
)

//go:generate sh -c "cd internal/foldgen && go run . -o ../../fold_table.go"

// Traditional and Simplified Chinese are folded one character to one character, so that a
// story reposted in Traditional script (as Taiwan and Hong Kong outlets do with mainland
// releases) normalises to nearly the text of the original and the offset map stays one to
// one. The table comes from OpenCC's character dictionaries (see fold_table.go); phrase-level
// conversions (軟體 for 软件) are vocabulary, not script, and are left alone.

// hanFoldBase and hanFold cover the BMP ideographs of isPlainHan, where nearly every folded
// character lies: one array load on the fast path. 0 means the character is left alone.
const hanFoldBase = 0x3400

var foldTables = sync.OnceValue(func() *foldTable {
	t := &foldTable{other: map[rune]rune{}}
	for s := foldPairs; len(s) > 0; {
		from, n := utf8.DecodeRuneInString(s)
		to, m := utf8.DecodeRuneInString(s[n:])
		s = s[n+m:]
		if isPlainHan(from) && to < 0x10000 {
			t.bmp[from-hanFoldBase] = uint16(to)
		} else {
			t.other[from] = to
		}
	}
	return t
})

type foldTable struct {
	bmp   [0xA000 - hanFoldBase]uint16 // per rune of U+3400..U+9FFF; 0 when not folded
	other map[rune]rune                // folded runes elsewhere, or folding to a rune above the BMP
}

// FoldHan returns the Simplified character a Traditional (or variant) Han character folds to
// in normalisation, and r itself for every other rune.
func FoldHan(r rune) rune {
	t := foldTables()
	if isPlainHan(r) {
		if to := t.bmp[r-hanFoldBase]; to != 0 {
			return rune(to)
		}
	}
	if to, ok := t.other[r]; ok {
		return to
	}
	return r
}

// Folded reports whether a text reads as Traditional Chinese: whether at least
// TraditionalShare of its Han characters are ones that fold to another character. Simplified
// text has next to none (乾隆 uses one the table folds): 0.02% of xinwenlianbo's 4.65 M Han
// characters, at most 4.3% of one story's. Traditional text made from Simplified by OpenCC
// (s2tw, s2hk, s2twp) has about 35% of its Han characters folded.
func Folded(s string) bool {
	han, folded := 0, 0
	for _, r := range s {
		if r < 0x2E80 {
			continue
		}
		if isPlainHan(r) || (0x20000 <= r && r <= 0x3FFFF) || (0xF900 <= r && r <= 0xFAFF) {
			han++
			if FoldHan(r) != r {
				folded++
			}
		}
	}
	return han > 0 && float64(folded) >= TraditionalShare*float64(han)
}

// TraditionalShare is the share of folded Han characters at which Folded takes a text as
// Traditional (see Folded for the measurement).
const TraditionalShare = 0.15
