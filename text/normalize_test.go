package text

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var normalizeTests = []struct {
	name, in, want string
}{
	{"ascii", "Hello, World!", "helloworld"},
	{"full-width letters and digits", "ＡＢＣ１２３ｘｙｚ", "abc123xyz"},
	{"full-width comma", "我们，他们", "我们他们"},
	{"curly quotes", "“新质生产力”", "新质生产力"},
	{"ideographic space", "中国\u3000式现代化", "中国式现代化"},
	{"half-width katakana", "ｶﾀｶﾅ ｶﾞ", "カタカナガ"},
	{"case", "SimHash AND simhash", "simhashandsimhash"},
	{"final sigma", "ΣΟΦΟΣ σοφος", "σοφοσσοφοσ"},
	{"expansion", "5㎏ ①", "5kg1"},
	{"composition", "cafe\u0301", "café"},
	{"ligature", "ﬁne", "fine"},
	{"controls and format", "a\tb\u200bc\u00add\x01e", "abcde"},
	{"crlf", "第一行\r\n第二行", "第一行第二行"},
	{"symbols kept", "€3 + ¥5 = 8", "€3+¥5=8"},
	{"only punctuation", "，。！？“”… \n", ""},
	{"invalid byte", "a\xffb", "a\uFFFDb"},
	{"empty", "", ""},
	{"han extension b", "𠀀𠀁", "𠀀𠀁"},
	{"compatibility ideograph", "\uF900", "\u5C82"}, // NFKC gives 豈 U+8C48, which folds to 岂
	{"traditional folds to simplified", "臺灣發展經濟，後來", "台湾发展经济后来"},
	{"taiwan variant folds", "裡面", "里面"},
	{"simplified stays", "中国式现代化", "中国式现代化"},
	{"hangul jamo", "\u1100\u1161", "\uAC00"},
}

func TestNormalize(t *testing.T) {
	for _, tt := range normalizeTests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			if got := string(n.Text); got != tt.want {
				t.Errorf("Normalize(%q).Text = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(AppendNormalized(nil, tt.in)); got != tt.want {
				t.Errorf("AppendNormalized(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkMap(t, tt.in, n)
		})
	}
}

// The same article in two punctuation and layout styles normalises to the
// same bytes: this is what lets a repost match its source.
func TestNormalizeRepost(t *testing.T) {
	pairs := []struct{ name, a, b string }{
		{"comma style", "习近平强调，要坚持稳中求进。", "习近平强调,要坚持稳中求进."},
		{"quote style", "“三能”公安铁军", "\"三能\"公安铁军"},
		{"rewrapped", "平常时间能看得出来、关键时刻\n能冲得出来、危急时刻能豁得出来", "平常时间能看得出来、关键时刻能冲得出来、\n危急时刻能豁得出来"},
		{"extra spaces", "全市 94 名派出所所长", "全市９４名派出所所长"},
		{"english", "The  Quick\r\nBrown fox—jumps.", "the quick brown fox -- jumps"},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			a, b := AppendNormalized(nil, p.a), AppendNormalized(nil, p.b)
			if string(a) != string(b) {
				t.Errorf("%q -> %q\n%q -> %q", p.a, a, p.b, b)
			}
		})
	}
}

// checkMap asserts the properties of the map back to the original: one
// entry per normalised rune, monotone, in bounds, and the original
// characters behind each run of normalised runes normalise to that run.
func checkMap(t *testing.T, orig string, n *Normalized) {
	t.Helper()
	runes := utf8.RuneCount(n.Text)
	if len(n.Start) != runes || len(n.End) != runes || len(n.Byte) != runes+1 {
		t.Fatalf("map sizes: %d runes, Start %d, End %d, Byte %d", runes, len(n.Start), len(n.End), len(n.Byte))
	}
	if !utf8.Valid(n.Text) {
		t.Errorf("normalised text is not valid UTF-8: %q", n.Text)
	}
	origRunes := []rune(orig)
	for i := range runes {
		s, e := int(n.Start[i]), int(n.End[i])
		if s < 0 || s >= e || e > len(origRunes) {
			t.Fatalf("rune %d: source [%d,%d) out of bounds (original %d code points)", i, s, e, len(origRunes))
		}
		if i > 0 && (n.Start[i] < n.Start[i-1] || n.End[i] < n.End[i-1]) {
			t.Fatalf("rune %d: map not monotone: [%d,%d) after [%d,%d)", i, s, e, n.Start[i-1], n.End[i-1])
		}
		if b := int(n.Byte[i]); b < 0 || b >= len(n.Text) || !utf8.RuneStart(n.Text[b]) || n.Byte[i+1] <= n.Byte[i] {
			t.Fatalf("rune %d: bad byte offset %d", i, b)
		}
	}
	if int(n.Byte[runes]) != len(n.Text) {
		t.Fatalf("last byte offset %d, want %d", n.Byte[runes], len(n.Text))
	}
	// Group runes with the same source and renormalise the source.
	for i := 0; i < runes; {
		j := i
		for j < runes && n.Start[j] == n.Start[i] {
			j++
		}
		src := string(origRunes[n.Start[i]:n.End[i]])
		want := string(n.Text[n.Byte[i]:n.Byte[j]])
		if got := string(AppendNormalized(nil, src)); got != want {
			t.Fatalf("source %q of runes [%d,%d) normalises to %q, want %q", src, i, j, got, want)
		}
		i = j
	}
}

func TestNormalizedRunes(t *testing.T) {
	orig := "他说：“㎏是ＫＧ。”"
	n := Normalize(orig) // 他 说 k g 是 k g
	tests := []struct {
		start, end int
		want       string
	}{
		{0, 2, "他说"},
		{0, 3, "他说"},
		{3, 6, "kg是"}, // “㎏是
		{4, 5, "kg"},  // ㎏ alone: both runes of the expansion
		{5, 5, ""},    // empty range
		{6, 7, "k"},   // Ｋ
		{0, 11, "他说kg是kg"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.start, tt.end), func(t *testing.T) {
			i, j := n.Runes(tt.start, tt.end)
			if got := string(n.Text[n.Byte[i]:n.Byte[j]]); got != tt.want {
				t.Errorf("Runes(%d,%d) = [%d,%d) %q, want %q", tt.start, tt.end, i, j, got, tt.want)
			}
		})
	}
}

func TestAppendNormalizedAllocs(t *testing.T) {
	// Everything but combining sequences (cafe + U+0301), which take
	// norm's full algorithm and its one allocation.
	text := "中国式现代化，ＡＢＣ “quoted” text… 5㎏ café ｶﾀｶﾅ 한국어\n"
	dst := make([]byte, 0, 256)
	allocs := testing.AllocsPerRun(100, func() {
		dst = AppendNormalized(dst[:0], text)
	})
	if allocs != 0 {
		t.Errorf("AppendNormalized allocates %v times per call with a large enough dst", allocs)
	}
}

// benchText reads up to size bytes of xinwenlianbo stories (whole files).
func benchText(b *testing.B, size int) string {
	dir := "../../shared/corpora/xinwenlianbo/texts"
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Skipf("corpus not present: %v", err)
	}
	var sb strings.Builder
	for _, e := range entries {
		if sb.Len() >= size {
			break
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		sb.Write(data)
	}
	return sb.String()
}

func BenchmarkAppendNormalized(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10, 1 << 20} {
		text := benchText(b, size)
		b.Run(fmt.Sprintf("xinwenlianbo-%dKiB", size>>10), func(b *testing.B) {
			dst := make([]byte, 0, len(text))
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendNormalized(dst[:0], text)
			}
		})
	}
	english := strings.Repeat("The quick brown fox, who was “smart”, jumps over 3.5 lazy dogs.\n", 1<<14)
	b.Run("english-1MiB", func(b *testing.B) {
		dst := make([]byte, 0, len(english))
		b.SetBytes(int64(len(english)))
		b.ReportAllocs()
		for b.Loop() {
			dst = AppendNormalized(dst[:0], english)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	text := benchText(b, 1<<20)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Normalize(text)
	}
}
