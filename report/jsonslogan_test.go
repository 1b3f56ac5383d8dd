package report

import (
	"bytes"
	"math/rand/v2"
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
