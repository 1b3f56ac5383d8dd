package simhash

import (
	"unicode"
	"unicode/utf8"
)

// quickNormalize is a stand-in for text.AppendNormalized, good enough
// for measurements: drop whitespace, punctuation and symbols, fold ASCII case.
func quickNormalize(text []byte) []byte {
	out := make([]byte, 0, len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		i += size
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == utf8.RuneError {
			continue
		}
		out = utf8.AppendRune(out, unicode.ToLower(r))
	}
	return out
}
