package text

import (
	"strings"
	"testing"
)

func TestOffsetsSliceAgreesWithSlice(t *testing.T) {
	s := strings.Repeat("新闻联播 news, 中国式现代化。\xffa\u0301b", 23)
	o := NewOffsets(s)
	n := o.Len()
	for start := -2; start <= n+2; start++ {
		for end := start - 1; end <= n+3; end++ {
			if got, want := o.Slice(start, end), Slice(s, start, end); got != want {
				t.Fatalf("Slice(%d, %d) = %q, want %q", start, end, got, want)
			}
		}
	}
}
