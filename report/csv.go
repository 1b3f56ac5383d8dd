package report

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSVColumns are the columns of WriteCSV, in order. Every row has all of them; a column that
// does not apply to the row's kind is empty.
//
//	kind        pair, passage or member
//	a, b        pair: the two documents, a first in input order; passage: the documents it
//	            is copied between; member: the family's source and one of its members
//	similarity  Jaccard similarity of the n-grams (member: to the source), 3 decimals
//	distance    pair: Hamming distance of the fingerprints
//	a_start, a_end, b_start, b_end
//	            passage: code point offsets in a and b, 0-based, end exclusive
//	family      member: the family's number, 1 for the largest
//	date        member: the member's date, YYYY-MM-DD, when it has one
//	excerpt     passage: the start of its text in a
var CSVColumns = []string{"kind", "a", "b", "similarity", "distance", "a_start", "a_end", "b_start", "b_end", "family", "date", "excerpt"}

// WriteCSV writes the pairs, then the passages, then the families' members, one row each,
// after a header row of CSVColumns (RFC 4180: comma separated, quoted where needed). Fields
// are written as they are, so that a reader gets the paths back exactly.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	row := make([]string, len(CSVColumns))
	write := func() {
		if cw.Error() == nil {
			_ = cw.Write(row) // the error stays in cw
		}
		clear(row)
	}
	copy(row, CSVColumns)
	write()
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	for _, d := range r.Duplicates {
		row[0], row[1], row[2], row[3], row[4] = "pair", d.A, d.B, num(d.Similarity), strconv.Itoa(d.Distance)
		write()
	}
	for _, p := range r.Passages {
		row[0], row[1], row[2], row[3] = "passage", p.A, p.B, num(p.Similarity)
		row[5], row[6], row[7], row[8] = strconv.Itoa(p.AStart), strconv.Itoa(p.AEnd), strconv.Itoa(p.BStart), strconv.Itoa(p.BEnd)
		row[11] = p.Excerpt
		write()
	}
	for i, f := range r.Families {
		for _, m := range f.Members {
			row[0], row[1], row[2], row[3] = "member", f.Source, m.Path, num(m.Similarity)
			row[9], row[10] = strconv.Itoa(i+1), m.Date
			write()
		}
	}
	cw.Flush()
	return cw.Error()
}
