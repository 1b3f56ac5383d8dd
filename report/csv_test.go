package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestCSVRoundTrip(t *testing.T) {
	hostile := "a,\"b\"\nc.txt"
	r := &Result{
		Duplicates: []Duplicate{{A: hostile, B: "y.txt", Similarity: 0.8126, Distance: 4}},
		Passages:   []Passage{{A: "x.txt", AStart: 1, AEnd: 40, B: "y.txt", BStart: 2, BEnd: 41, Similarity: 0.9, Excerpt: "共同,“富裕”"}},
		Families: []Family{{Source: "y.txt", SourceRule: "longest", Size: 2, Members: []FamilyMember{
			{Path: "y.txt", Similarity: 1}, {Path: hostile, Similarity: 0.813, Date: "2024-03-01"}}}},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not valid CSV: %v\n%s", err, buf.String())
	}
	want := [][]string{
		CSVColumns,
		{"pair", hostile, "y.txt", "0.813", "4", "", "", "", "", "", "", ""},
		{"passage", "x.txt", "y.txt", "0.900", "", "1", "40", "2", "41", "", "", "共同,“富裕”"},
		{"member", "y.txt", "y.txt", "1.000", "", "", "", "", "", "1", "", ""},
		{"member", "y.txt", hostile, "0.813", "", "", "", "", "", "1", "2024-03-01", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}
