package corpus

import (
	"testing"
	"unicode/utf8"
)

func FuzzDecode(f *testing.F) {
	for _, tt := range fileTests {
		if tt.data != nil {
			f.Add(tt.data, false)
		}
	}
	f.Add([]byte("<html><meta charset=gbk><p>\xc4\xe3\xba\xc3</p></html>"), true)
	f.Fuzz(func(t *testing.T, data []byte, isHTML bool) {
		d := decode(data, nil, isHTML)
		if d.binary != "" {
			return
		}
		if !utf8.ValidString(d.text) {
			t.Fatalf("decode(%q) as %s is not valid UTF-8: %q", data, d.encoding, d.text)
		}
		if isHTML && !utf8.ValidString(visibleText(d.text)) {
			t.Fatalf("visible text of %q is not valid UTF-8", d.text)
		}
	})
}
