package match

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestRuneTextSetDecodesAsRange(t *testing.T) {
	for _, s := range []string{"", "abc", "中国式现代化", "a中\xffb\xe4\xb8", "\xed\xa0\x80x", "\xe0\x80\x80é😀新闻", "中华人民共和国成立七十周年a大会\xed\xa0\x80隆重举行\xe0\x80\x80举行庆祝活动", "\xe4\xb8\xad\xe4\xb8"} {
		var rt runeText
		rt.set([]byte("stale text first"))
		rt.set([]byte(s))
		if r := []rune(s); !slices.Equal(rt.r, r) {
			t.Errorf("set(%q) = %v, want %v", s, rt.r, r)
		}
	}
}

func TestCountRunesOfValidText(t *testing.T) {
	for _, s := range []string{"", "a", "中", "abcdefgh", "中华人民共和国成立七十周年a大会隆重举行", "é😀新闻abc中文字符测试1234567890，。"} {
		for i := 0; i <= len(s); i++ {
			if !utf8.ValidString(s[:i]) {
				continue
			}
			if got, want := countRunes([]byte(s[:i])), utf8.RuneCountInString(s[:i]); got != want {
				t.Fatalf("countRunes(%q) = %d, want %d", s[:i], got, want)
			}
		}
	}
}
