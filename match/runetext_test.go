package match

import (
	"slices"
	"testing"
)

func TestRuneTextSetDecodesAsRange(t *testing.T) {
	for _, s := range []string{"", "abc", "中国式现代化", "a中\xffb\xe4\xb8", "\xed\xa0\x80x", "\xe0\x80\x80é😀新闻"} {
		var rt runeText
		rt.set([]byte("stale text first"))
		rt.set([]byte(s))
		var r []rune
		var off []int32
		for i, x := range s {
			r, off = append(r, x), append(off, int32(i))
		}
		off = append(off, int32(len(s)))
		if !slices.Equal(rt.r, r) || !slices.Equal(rt.off, off) {
			t.Errorf("set(%q) = %v %v, want %v %v", s, rt.r, rt.off, r, off)
		}
	}
}
