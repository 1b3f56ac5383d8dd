package baseline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/report"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBaseline(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "baseline.jsonl")
	b, err := Load(file)
	if err != nil {
		t.Fatalf("missing baseline: %v", err)
	}
	if b.Accepts("x") {
		t.Errorf("empty baseline accepts")
	}
	entries := []Accepted{
		{Kind: "passage", A: "b.txt", B: "c.txt", ID: "2", Excerpt: "<script>"},
		{Kind: "duplicate", A: "a.txt", B: "b.txt", ID: "1"},
		{Kind: "duplicate", A: "a.txt", B: "b.txt", ID: "1"},
	}
	if err := Write(file, entries); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	if got := strings.Count(string(data), "\n"); got != 2 {
		t.Errorf("baseline has %d lines, want 2 (duplicates dropped):\n%s", got, data)
	}
	if !strings.HasPrefix(string(data), `{"kind":"duplicate","a":"a.txt"`) || !strings.Contains(string(data), "<script>") {
		t.Errorf("baseline not sorted or escaped oddly:\n%s", data)
	}
	b, err = Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Accepts("1") || !b.Accepts("2") || b.Accepts("3") || len(b.Entries) != 2 {
		t.Errorf("reloaded baseline: %+v", b.Entries)
	}

	write(t, file, "{\"kind\":\"duplicate\",\"id\":\"1\"}\nnot json\n")
	if _, err := Load(file); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: %v, want an error naming line 2", err)
	}
}

// A finding's identity is its content: renaming either file keeps it, swapping the sides
// keeps it, and an edit inside the passage or of a duplicate makes it new.
func TestIdentityIsContent(t *testing.T) {
	texts := map[string]string{
		"a.txt":     "甲乙丙丁戊己庚辛。同一段被复制的文字在这里。",
		"b.txt":     "子丑寅卯。同一段被复制的文字在这里。",
		"moved.txt": "子丑寅卯。同一段被复制的文字在这里。",
		"edited":    "子丑寅卯。同一段被改过的文字在这里。",
	}
	pass := func(a, b string) report.Passage {
		return report.Passage{A: a, AStart: 9, AEnd: 22, B: b, BStart: 5, BEnd: 18}
	}
	id := func(res *report.Result) []string {
		var ids []string
		for _, f := range Classify(res, texts, nil) {
			ids = append(ids, f.ID)
		}
		return ids
	}
	base := id(&report.Result{Passages: []report.Passage{pass("a.txt", "b.txt")}, Duplicates: []report.Duplicate{{A: "a.txt", B: "b.txt"}}})
	moved := id(&report.Result{Passages: []report.Passage{pass("a.txt", "moved.txt")}, Duplicates: []report.Duplicate{{A: "moved.txt", B: "a.txt"}}})
	edited := id(&report.Result{Passages: []report.Passage{pass("a.txt", "edited")}, Duplicates: []report.Duplicate{{A: "a.txt", B: "edited"}}})
	if !slices.Equal(base, moved) {
		t.Errorf("a rename changed the identities: %v, then %v", base, moved)
	}
	if edited[0] == base[0] || edited[1] == base[1] {
		t.Errorf("an edit kept an identity: %v, then %v", base, edited)
	}
}
