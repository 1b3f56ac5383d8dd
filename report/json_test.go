package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"testing"
)

// wholeJSON is the document WriteJSON streams, encoded in one piece: the reference its bytes
// must equal.
func wholeJSON(t *testing.T, r *Result) []byte {
	t.Helper()
	out := *r
	out.Schema = Schema
	out.Documents = nonNil(out.Documents)
	out.Families = nonNil(out.Families)
	out.Identical = nonNil(out.Identical)
	out.Duplicates = nonNil(out.Duplicates)
	out.Passages = nonNil(out.Passages)
	out.Slogans = nonNil(slices.Clone(out.Slogans))
	for i := range out.Slogans {
		out.Slogans[i].Variants = nonNil(out.Slogans[i].Variants)
		out.Slogans[i].Locations = nonNil(out.Slogans[i].Locations)
	}
	out.Capped = nonNil(out.Capped)
	out.Skipped = nonNil(out.Skipped)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteJSONStreamsTheWholeDocument(t *testing.T) {
	full := fixtureResult()
	full.Skipped = []Skip{{Path: "bin/x.png", Reason: "binary (contains NUL bytes)"}}
	full.Slogans = append(full.Slogans, Slogan{Text: "<b>&</b>", Kind: "phrase", Documents: 3})
	// Lists longer than the batches that are encoded at once, on every CPU, and not a
	// multiple of them.
	many := fixtureResult()
	for len(many.Documents) < 3*runtime.GOMAXPROCS(0)*listBatch {
		many.Documents = append(many.Documents, many.Documents...)
	}
	many.Documents = many.Documents[:len(many.Documents)-1]
	for i := range many.Documents {
		many.Documents[i].Path = fmt.Sprintf("doc%05d.txt", i)
	}
	for len(many.Slogans) < 2*listBatch+7 {
		many.Slogans = append(many.Slogans, many.Slogans...)
	}
	// Slogans in so many documents that a batch holds a few of them, or one (see
	// batchLocations), among others in a few.
	heavy := fixtureResult()
	base := heavy.Slogans[0]
	heavy.Slogans = nil
	for i, n := range []int{batchLocations/3 + 1, 2 * batchLocations, batchLocations/3 + 1, 1, batchLocations - 1, 2, batchLocations/3 + 1} {
		s := base
		s.Text = fmt.Sprintf("slogan %d", i)
		s.Locations = nil
		for k := range n {
			s.Locations = append(s.Locations, Location{Path: fmt.Sprintf("doc%05d.txt", k), Start: k, End: k + 4})
		}
		heavy.Slogans = append(heavy.Slogans, s)
	}
	if b := listBatches(reflect.ValueOf(heavy.Slogans)); len(b) < 5 {
		t.Fatalf("the heavy slogans make batches %v, want at least four", b)
	}
	for name, r := range map[string]*Result{"empty": {}, "fixture": full, "many": many, "heavy": heavy} {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteJSON(&got, r); err != nil {
				t.Fatal(err)
			}
			if want := wholeJSON(t, r); !bytes.Equal(got.Bytes(), want) {
				t.Errorf("streamed JSON differs from the document encoded whole:\n%s\nwant:\n%s", got.Bytes(), want)
			}
			if !json.Valid(got.Bytes()) {
				t.Error("not valid JSON")
			}
		})
	}
}

// failingWriter fails after n bytes.
type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriteJSONReportsWriteErrors(t *testing.T) {
	r := fixtureResult()
	for i := 0; i < 80; i++ {
		r.Documents = append(r.Documents, r.Documents...)
		if len(r.Documents) > 5000 {
			break
		}
	}
	if err := WriteJSON(&failingWriter{n: 100 << 10}, r); err == nil {
		t.Error("a write error was not returned")
	}
}
