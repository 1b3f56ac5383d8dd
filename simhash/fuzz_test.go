package simhash

import (
	"testing"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"
)

func FuzzSum(f *testing.F) {
	for _, seed := range []string{"", "中", "中文字", "thequickbrownfox", "\xff\xfe中\xed\xa0\x80", "2024年1月1日", "𝄞é€中文"} {
		f.Add([]byte(seed), uint8(3))
	}
	f.Fuzz(func(t *testing.T, text []byte, n uint8) {
		n = n%MaxN + 1
		h := NewHasher(int(n))
		fp, features := h.Sum(text)
		if fp2, features2 := h.Sum(text); fp2 != fp || features2 != features {
			t.Fatalf("same input, different result: %x %d then %x %d", fp, features, fp2, features2)
		}
		if Distance(fp, fp) != 0 {
			t.Fatal("Distance(x, x) != 0")
		}
		switch {
		case len(text) == 0:
			if fp != 0 || features != 0 {
				t.Fatalf("empty text gave %x, %d", fp, features)
			}
		case features < 1 || features > len(text):
			t.Fatalf("%d features for %d bytes", features, len(text))
		case utf8.Valid(text):
			want := max(1, utf8.RuneCount(text)-int(n)+1)
			if features != want {
				t.Fatalf("%d features for %d runes at n=%d, want %d", features, utf8.RuneCount(text), n, want)
			}
		}
		if wantFP, wantN := referenceSum(int(n), text); fp != wantFP || features != wantN {
			t.Fatalf("Sum = %x, %d; reference %x, %d", fp, features, wantFP, wantN)
		}
	})
}

func FuzzMurmur64(f *testing.F) {
	f.Add([]byte("中文字符串的三元组"), uint8(0), uint8(9))
	f.Add([]byte("0123456789abcdefghijklmnop"), uint8(3), uint8(18))
	f.Add([]byte("ab"), uint8(0), uint8(2))
	f.Fuzz(func(t *testing.T, buf []byte, lo, hi uint8) {
		l, h := int(lo), int(hi)
		if l > h || h > len(buf) {
			return
		}
		if got, want := murmur64(buf, l, h), murmur3.Sum64(buf[l:h]); got != want {
			t.Fatalf("murmur64(% x, %d, %d) = %016x, murmur3.Sum64 = %016x", buf, l, h, got, want)
		}
	})
}
