package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// oddStrings are texts whose JSON needs each kind of escape encoding/json makes, and some
// that need none.
var oddStrings = []string{
	"", "中国式现代化", "plain words", `"quoted"`, `back\slash`, "tab\there", "line\nbreak",
	"\r\b\f\x00\x1f\x7f", "<script>&amp;</script>", "\u2028\u2029", "bad \xff utf-8 \xe4\xb8",
	"混合 mixed «»—…", "path/to/file 1.txt",
}

func randomSlogan(rng *rand.Rand) Slogan {
	str := func() string { return oddStrings[rng.IntN(len(oddStrings))] }
	s := Slogan{Text: str(), Kind: str(), Documents: rng.IntN(1000) - 5, Occurrences: rng.IntN(1 << 40)}
	// nil, empty and full lists all occur: encoding/json tells nil (null) from empty ([]).
	switch rng.IntN(3) {
	case 1:
		s.Variants = []Variant{}
	case 2:
		for range 1 + rng.IntN(3) {
			s.Variants = append(s.Variants, Variant{Text: str(), Count: rng.IntN(50)})
		}
	}
	if rng.IntN(2) == 0 {
		s.Fillers = []Variant{{Text: str(), Count: 2}, {Text: str(), Count: 1}}
	}
	switch rng.IntN(3) {
	case 1:
		s.Forms = []Form{}
	case 2:
		s.Forms = []Form{{Text: str(), Documents: 3, Occurrences: 4}}
	}
	switch rng.IntN(3) {
	case 1:
		s.Locations = []Location{}
	case 2:
		for range 1 + rng.IntN(4) {
			s.Locations = append(s.Locations, Location{Path: str(), Start: rng.IntN(9999), End: rng.IntN(9999)})
		}
	}
	if rng.IntN(2) == 0 {
		s.FirstSeen, s.LastSeen = "2024-01-02", str()
	}
	switch rng.IntN(3) {
	case 1:
		s.ByMonth = []MonthCount{}
	case 2:
		s.ByMonth = []MonthCount{{Month: "2024-01", Documents: 2}, {Month: str(), Documents: 0}}
	}
	return s
}

func TestSloganJSONIsEncodingJSONs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		s := randomSlogan(rng)
		var got, want bytes.Buffer
		sloganJSON(&got, &s, "    ")
		if err := encodeIndented(&want, listElement(s), "    "); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("slogan %+v:\ngot  %s\nwant %s", s, got.Bytes(), want.Bytes())
		}
	}
}

func FuzzSloganJSON(f *testing.F) {
	for _, s := range oddStrings {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, text, path string) {
		s := Slogan{Text: text, Kind: "slogan", Variants: []Variant{{Text: path, Count: 1}},
			Locations: []Location{{Path: path, Start: 1, End: 2}}, FirstSeen: text}
		var got, want bytes.Buffer
		sloganJSON(&got, &s, "    ")
		if err := encodeIndented(&want, listElement(s), "    "); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("got  %s\nwant %s", got.Bytes(), want.Bytes())
		}
	})
}

// TestPlainJSONAsEncodingJSON checks plainJSON against what encoding/json writes, on strings
// built from the bytes each of its checks looks at, every byte in every place of the eight
// that are checked at once.
func TestPlainJSONAsEncodingJSON(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "\x7f", "\x1f", "\x00", `"`, `\`, "#", "]", "中", "é", "😀",
		"\u2028", "\u2029", "\u2027", "\u202a", "\xe2\x80", "\xff", "\xed\xa0\x80", "\xe0\x80\x80", "\xe0\xa0\x80", "\xef\xbf\xbd"}
	plain := func(s string) bool {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		return b.String() == `"`+s+`"`+"\n"
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var s string
		for range rng.IntN(12) {
			s += pieces[rng.IntN(len(pieces))]
		}
		for pad := range 9 { // the odd piece at every offset of an eight-byte word
			x := strings.Repeat("p", pad) + s
			if got, want := plainJSON(x), plain(x); got != want {
				t.Fatalf("plainJSON(%q) = %v, want %v", x, got, want)
			}
		}
	}
}

// BenchmarkPlainJSON checks the strings of a report: paths and Chinese text.
func BenchmarkPlainJSON(b *testing.B) {
	for _, s := range []string{"/corpora/xinwenlianbo/texts/2019-03-05-012.txt", "坚持以人民为中心的发展思想"} {
		b.Run(fmt.Sprintf("%d-bytes", len(s)), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				if !plainJSON(s) {
					b.Fatal("not plain")
				}
			}
		})
	}
}
