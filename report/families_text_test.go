package report

import (
	"bytes"
	"strings"
	"testing"
)

// A family of identical copies is a finding: the text report says how its members stand in
// for their pairs, and not that nothing was found.
func TestTextLargeFamily(t *testing.T) {
	r := &Result{
		Families: []Family{{Source: "a.txt", SourceRule: "longest", Size: 40, PairsListed: false,
			Members: []FamilyMember{{Path: "a.txt", Similarity: 1}, {Path: "b.txt", Similarity: 1, Date: "2024-03-01"}}}},
		Identical: []IdenticalGroup{{Members: []string{"a.txt", "b.txt"}}},
	}
	var b bytes.Buffer
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"1 family", "#1  40 documents, source a.txt (longest)", "instead of the pairs among them", "1.000  2024-03-01  b.txt", "2 documents: a.txt and 1 more"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "No near-duplicate") {
		t.Errorf("text report says nothing was found:\n%s", out)
	}
}
