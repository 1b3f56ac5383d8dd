package text

import (
	"slices"
	"testing"
	"unicode"
)

// The sets the callers read, spelled out: a change to the table shows here first.
func TestPunctSets(t *testing.T) {
	set := func(keep func(Class) bool) string {
		var rs []rune
		for r := rune(0); r < 0x10000; r++ {
			if keep(Punct(r)) {
				rs = append(rs, r)
			}
		}
		slices.Sort(rs)
		return string(rs)
	}
	for _, tt := range []struct {
		name string
		keep func(Class) bool
		want string
	}{
		{"diff sentence ends", func(c Class) bool { return c.Has(Terminal | Common) }, "!;?…。！；？｡"},
		{"diff clause marks", func(c Class) bool { return c.Has(Common) && (c.Has(ClauseMark) || c.Has(ClauseNum)) }, ",:、，：､"},
		{"slogan openers", func(c Class) bool { return c.Has(Opener | Common) }, "([‘“〈《「『【〔〖（"},
		{"slogan closers", func(c Class) bool { return c.Has(Closer|Common) && !c.Has(Straight) }, ")]’”〉》」』】〕〗）"},
		{"slogan quotes", func(c Class) bool { return c.Has(Quote) }, "\"‘“〈《「『"},
		{"segment closers", func(c Class) bool { return c.Has(Closer) }, "\"')]}»’”›〉》」』】〕〗〙〛＂＇）］｝｣"},
	} {
		if got := set(tt.keep); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	// Every mark is punctuation or a symbol to Unicode, and a closer or opener is one of
	// the two, never both, except the straight quotes.
	for r := rune(0); r < 0x10000; r++ {
		c := Punct(r)
		if c == 0 {
			continue
		}
		if !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
			t.Errorf("%q (U+%04X) is in the table but not punctuation", r, r)
		}
		if c.Has(Opener) && c.Has(Closer) {
			t.Errorf("%q is an opener and a closer", r)
		}
	}
}

func TestBlocks(t *testing.T) {
	for _, tt := range []struct {
		r     rune
		table *unicode.RangeTable
		in    bool
	}{
		{'…', GeneralPunctuation, true}, {'“', GeneralPunctuation, true}, {'。', GeneralPunctuation, false},
		{'　', CJKSymbolsAndPunctuation, true}, {'〗', CJKSymbolsAndPunctuation, true}, {'ぁ', CJKSymbolsAndPunctuation, false},
		{'︰', CJKCompatibilityForms, true}, {'﹐', CJKCompatibilityForms, false},
		{'！', FullwidthForms, true}, {'｠', FullwidthForms, true}, {'｡', FullwidthForms, false},
		{'｡', HalfwidthAndFullwidthForms, true}, {'ｱ', HalfwidthAndFullwidthForms, true}, {'\uFFF0', HalfwidthAndFullwidthForms, false},
	} {
		if got := unicode.Is(tt.table, tt.r); got != tt.in {
			t.Errorf("%q (U+%04X): in the block %v, want %v", tt.r, tt.r, got, tt.in)
		}
	}
}
