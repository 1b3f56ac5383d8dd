package text

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func FuzzNormalize(f *testing.F) {
	for _, tt := range normalizeTests {
		f.Add(tt.in)
	}
	for _, tt := range segmentTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := Normalize(text)
		if got := AppendNormalized([]byte("prefix"), text); string(got[6:]) != string(n.Text) {
			t.Fatalf("AppendNormalized = %q, Normalize = %q", got[6:], n.Text)
		}
		checkMap(t, text, n)
		// Segment-wise normalisation agrees with norm's whole-text NFKC
		// followed by the same folding.
		if utf8.ValidString(text) {
			var want []byte
			for _, r := range norm.NFKC.String(text) {
				want = appendFolded(want, r, 0, 0, nil)
			}
			if string(want) != string(n.Text) {
				t.Fatalf("Normalize(%q) = %q, whole-text NFKC and fold = %q", text, n.Text, want)
			}
		}
	})
}

func FuzzSegment(f *testing.F) {
	for _, tt := range segmentTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, text, Sentences(text))
		checkSpans(t, text, Clauses(text))
	})
}

func FuzzOffsetsSlice(f *testing.F) {
	f.Add("社会主义核心价值观, and some English text 中国式现代化\xff\xfe bad bytes", 3, 40)
	f.Add("", 0, 1)
	f.Add("abc", -2, 2)
	f.Fuzz(func(t *testing.T, s string, start, end int) {
		o := NewOffsets(s)
		if got, want := o.Slice(start, end), Slice(s, start, end); got != want {
			t.Fatalf("Offsets.Slice(%q, %d, %d) = %q, want %q", s, start, end, got, want)
		}
		if o.Len() != utf8.RuneCountInString(s) {
			t.Fatalf("Len %d, want %d", o.Len(), utf8.RuneCountInString(s))
		}
	})
}
