package text

import (
	"strings"
	"testing"
)

func checkSourceMap(t *testing.T, s string) {
	t.Helper()
	n := Normalize(s)
	m := NewSourceMap(NewOffsets(s), n)
	var scratch Normalized
	for k := range n.Len() {
		if start, end := m.Source(k, &scratch); start != n.Start[k] || end != n.End[k] {
			t.Fatalf("%q: Source(%d) = %d, %d, want %d, %d", s, k, start, end, n.Start[k], n.End[k])
		}
	}
}

func TestSourceMapAgreesWithNormalize(t *testing.T) {
	for _, tt := range normalizeTests {
		checkSourceMap(t, tt.in)
	}
	checkSourceMap(t, strings.Repeat("新闻联播 News，「中國式現代化」。\xffa\u0301b㈱ｶﾞ ﬁ\u0308x. ", 40))
}

func FuzzSourceMap(f *testing.F) {
	for _, tt := range normalizeTests {
		f.Add(tt.in)
	}
	f.Add(strings.Repeat("a\u0301中，", 50))
	f.Fuzz(func(t *testing.T, s string) { checkSourceMap(t, s) })
}
