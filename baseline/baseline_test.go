package baseline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
