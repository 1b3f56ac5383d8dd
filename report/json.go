package report

import (
	"encoding/json"
	"io"
	"slices"
)

// WriteJSON writes r as one indented JSON document. Lists are never null, so a reader can
// range over them without checking.
func WriteJSON(w io.Writer, r *Result) error {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// The output is data, not HTML: keep <, > and & readable.
	enc.SetEscapeHTML(false)
	return enc.Encode(&out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
