package simhash

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"
)

// referenceSum is the textbook SimHash: decode runes, hash each n-gram, one
// signed counter per bit. The kernel must agree with it bit for bit.
func referenceSum(n int, text []byte) (uint64, int) {
	if len(text) == 0 {
		return 0, 0
	}
	var starts []int
	for i := 0; i < len(text); {
		starts = append(starts, i)
		i += referenceRuneLen(text[i:])
	}
	starts = append(starts, len(text))
	runes := len(starts) - 1
	if runes < n {
		return murmur3.Sum64(text), 1
	}
	var counts [64]int
	features := 0
	for i := 0; i+n <= runes; i++ {
		x := murmur3.Sum64(text[starts[i]:starts[i+n]])
		for b := range 64 {
			if x>>b&1 == 1 {
				counts[b]++
			} else {
				counts[b]--
			}
		}
		features++
	}
	var fp uint64
	for b, c := range counts {
		if c > 0 {
			fp |= 1 << b
		}
	}
	return fp, features
}

// referenceRuneLen is utf8.DecodeRune's size for valid UTF-8; invalid input
// is cut by what the lead byte announces, clipped to the text.
func referenceRuneLen(text []byte) int {
	if utf8.FullRune(text) {
		if r, size := utf8.DecodeRune(text); r != utf8.RuneError || size != 1 {
			return size
		}
	}
	var size int
	switch c := text[0]; {
	case c < 0xC0:
		size = 1
	case c < 0xE0:
		size = 2
	case c < 0xF0:
		size = 3
	default:
		size = 4
	}
	return min(size, len(text))
}

func randomText(r *rand.Rand, runes int, alphabet []rune) []byte {
	var b []byte
	for range runes {
		b = utf8.AppendRune(b, alphabet[r.IntN(len(alphabet))])
	}
	return b
}

func TestSumMatchesReference(t *testing.T) {
	han := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质")
	mixed := []rune("ab1Zé€𝄞中文")
	rnd := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		text []byte
	}{
		{"empty", nil},
		{"one rune", []byte("中")},
		{"two runes", []byte("中文")},
		{"exactly n", []byte("中文字")},
		{"ascii", []byte("thequickbrownfoxjumpsoverthelazydog")},
		{"invalid utf8", []byte("\xff\xfe中\xed\xa0\x80文\xe4\xb8")},
		{"truncated 3-byte at end", []byte("中文\xe4\xb8")},
		{"overlong and surrogate", []byte("\xe0\x80\x80\xed\xbf\xbf中文字符")},
	}
	for _, size := range []int{5, 15, 16, 17, 18, 31, 33, 127, 128, 129, 130, 200, 240, 241, 500, 3600, 5000} {
		cases = append(cases,
			struct {
				name string
				text []byte
			}{fmt.Sprintf("han %d", size), randomText(rnd, size, han)},
			struct {
				name string
				text []byte
			}{fmt.Sprintf("mixed %d", size), randomText(rnd, size, mixed)},
		)
	}
	// A text made of one repeated n-gram votes unanimously: long runs of
	// identical hashes exercise the lane flushes at their limits.
	cases = append(cases, struct {
		name string
		text []byte
	}{"repeated", bytes.Repeat([]byte("中"), 10000)})
	for _, n := range []int{1, 2, 3, 4, 5, 8} {
		h := NewHasher(n)
		for _, c := range cases {
			t.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(t *testing.T) {
				gotFP, gotN := h.Sum(c.text)
				wantFP, wantN := referenceSum(n, c.text)
				if gotFP != wantFP || gotN != wantN {
					t.Fatalf("Sum = %016x, %d; reference %016x, %d", gotFP, gotN, wantFP, wantN)
				}
			})
		}
	}
}

func TestSumSpecialCases(t *testing.T) {
	h := NewHasher(3)
	if fp, n := h.Sum(nil); fp != 0 || n != 0 {
		t.Errorf("Sum(empty) = %x, %d; want 0, 0", fp, n)
	}
	if fp, n := h.Sum([]byte("中文")); fp != murmur3.Sum64([]byte("中文")) || n != 1 {
		t.Errorf("Sum(short) = %x, %d; want the hash of the whole text and 1 feature", fp, n)
	}
	if _, n := h.Sum([]byte("一二三四五")); n != 3 {
		t.Errorf("features of 5 runes at n=3 = %d, want 3", n)
	}
}

func TestSumAllocs(t *testing.T) {
	h := NewHasher(3)
	text := []byte(strings.Repeat("中华人民共和国国务院新闻办公室", 50))
	if a := testing.AllocsPerRun(20, func() { h.Sum(text) }); a != 0 {
		t.Errorf("Sum allocates %v times per call, want 0", a)
	}
}

func TestAppendSums(t *testing.T) {
	h := NewHasher(3)
	text := []byte("中华人民共和国国务院新闻办公室今天举行发布会")
	spans := []Span{{0, 9}, {9, 30}, {0, int32(len(text))}, {6, 6}}
	got := h.AppendSums(nil, text, spans)
	if len(got) != len(spans) {
		t.Fatalf("got %d fingerprints, want %d", len(got), len(spans))
	}
	for i, s := range spans {
		fp, n := h.Sum(text[s.Start:s.End])
		if got[i] != (Fingerprint{fp, int32(n)}) {
			t.Errorf("span %d: %+v, want %x %d", i, got[i], fp, n)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0}, {0, ^uint64(0), 64}, {0b1011, 0b0001, 2}, {1 << 63, 1, 2},
	} {
		t.Run(fmt.Sprintf("%x^%x", c.a, c.b), func(t *testing.T) {
			if got := Distance(c.a, c.b); got != c.want {
				t.Errorf("Distance = %d, want %d", got, c.want)
			}
		})
	}
}

func TestNewHasherPanics(t *testing.T) {
	for _, n := range []int{0, -1, MaxN + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewHasher(%d) did not panic", n)
				}
			}()
			NewHasher(n)
		})
	}
}

// benchText is real Chinese news when the shared corpora are present, else a
// generated stand-in with the same byte shape (3-byte runes, some ASCII).
func benchText(b *testing.B, size int) []byte {
	b.Helper()
	var buf []byte
	dir := "../../shared/corpora/xinwenlianbo/texts"
	if names, err := filepath.Glob(filepath.Join(dir, "2024*.txt")); err == nil && len(names) > 0 {
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			buf = append(buf, quickNormalize(data)...)
			if len(buf) >= size {
				break
			}
		}
	} else {
		buf = randomText(rand.New(rand.NewPCG(3, 4)), size, []rune("中华人民共和国国务院新闻办公室今天举行发布会2024年"))
	}
	buf = buf[:size]
	for !utf8.Valid(buf) { // do not cut a rune
		buf = buf[:len(buf)-1]
	}
	return buf
}

var benchSizes = []int{32, 128, 1024, 16 << 10, 256 << 10}

func BenchmarkSum(b *testing.B) {
	for _, size := range benchSizes {
		text := benchText(b, size)
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			h := NewHasher(DefaultN)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			var sink uint64
			for b.Loop() {
				fp, _ := h.Sum(text)
				sink ^= fp
			}
			_ = sink
		})
	}
}

// BenchmarkMurmurOnly hashes the same n-grams as BenchmarkSum with murmur3
// and nothing else: rune boundaries are found before the timer starts, so
// the ratio of the two is the whole cost of the kernel (boundaries and votes).
func BenchmarkMurmurOnly(b *testing.B) {
	for _, size := range benchSizes {
		text := benchText(b, size)
		var starts []int
		for i := 0; i < len(text); {
			starts = append(starts, i)
			_, n := utf8.DecodeRune(text[i:])
			i += n
		}
		starts = append(starts, len(text))
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			var sink uint64
			for b.Loop() {
				for i := 0; i+DefaultN < len(starts); i++ {
					sink ^= murmur3.Sum64(text[starts[i]:starts[i+DefaultN]])
				}
			}
			_ = sink
		})
	}
}

// TestMurmur64MatchesLibrary proves the inlined short-key murmur3 equal to
// the library for every key length 0..40 (the library takes over from 16),
// at every offset of a buffer, so both the 16-byte loads far from the end
// and the fallback near it are covered.
func TestMurmur64MatchesLibrary(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for length := range 41 {
		t.Run(fmt.Sprint(length), func(t *testing.T) {
			for trial := range 50 {
				buf := make([]byte, length+rnd.IntN(24))
				for i := range buf {
					buf[i] = byte(rnd.Uint32())
				}
				if trial == 0 {
					for i := range buf {
						buf[i] = 0xFF // all bits set: a mask that keeps a byte too many shows
					}
				}
				for lo := 0; lo+length <= len(buf); lo++ {
					got := murmur64(buf, lo, lo+length)
					if want := murmur3.Sum64(buf[lo : lo+length]); got != want {
						t.Fatalf("murmur64(% x, %d, %d) = %016x, murmur3.Sum64 = %016x", buf, lo, lo+length, got, want)
					}
				}
			}
		})
	}
}

// TestSumEveryShortLength checks Sum against the reference for every byte
// length around the short path's edges (16 bytes left, shortLen), cutting
// mixed text anywhere, so that runes split at the end are covered too.
func TestSumEveryShortLength(t *testing.T) {
	mixed := randomText(rand.New(rand.NewPCG(7, 8)), 200, []rune("ab1Zé€𝄞中文"))
	for _, n := range []int{1, 2, 3} {
		h := NewHasher(n)
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			for size := 0; size <= shortLen+40 && size <= len(mixed); size++ {
				for _, start := range []int{0, 1, 2, 5} {
					text := mixed[start : start+size]
					gotFP, gotN := h.Sum(text)
					if wantFP, wantN := referenceSum(n, text); gotFP != wantFP || gotN != wantN {
						t.Fatalf("%d bytes from %d: Sum = %016x, %d; reference %016x, %d", size, start, gotFP, gotN, wantFP, wantN)
					}
				}
			}
		})
	}
}
