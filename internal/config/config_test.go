package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFind(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(repo, "articles", "2024", "05")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}

	// No file: the repository root is the base.
	c, err := Find(deep)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "" || c.Dir != repo {
		t.Errorf("no config: File %q Dir %q, want none and %q", c.File, c.Dir, repo)
	}

	// A file above the repository root is not used.
	write(t, filepath.Join(filepath.Dir(repo), FileName), "min_passage = 1\n")
	t.Cleanup(func() { os.Remove(filepath.Join(filepath.Dir(repo), FileName)) })
	if c, _ := Find(deep); c.File != "" {
		t.Errorf("found %s above the repository root", c.File)
	}

	write(t, filepath.Join(repo, FileName), `
min_similarity = 0.7
min_passage = 40
max_df = 20
doc_distance = 5
passage_distance = 2
include = ["articles/**/*.txt"]
exclude = ["articles/drafts/**", "*.tmp.txt"]
ignore = ["新闻联播"]
ignore_file = "ignore.txt"
baseline = ".neardup/baseline.jsonl"
`)
	c, err = Find(deep)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != filepath.Join(repo, FileName) || c.Dir != repo {
		t.Fatalf("config at %q, dir %q", c.File, c.Dir)
	}
	if *c.MinSimilarity != 0.7 || *c.MinPassage != 40 || *c.MaxDF != 20 || *c.DocDistance != 5 || *c.PassageDistance != 2 {
		t.Errorf("thresholds not read: %+v", c)
	}
	if c.Resolve(c.Baseline) != filepath.Join(repo, ".neardup", "baseline.jsonl") {
		t.Errorf("baseline resolves to %s", c.Resolve(c.Baseline))
	}
	if rel, ok := c.Rel(filepath.Join(deep, "a.txt")); !ok || rel != "articles/2024/05/a.txt" {
		t.Errorf("Rel: %q %v", rel, ok)
	}
	if _, ok := c.Rel(filepath.Dir(repo)); ok {
		t.Errorf("Rel: a path outside the config folder counts as inside")
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"unknown key", "min_similarty = 0.5\n", "unknown key min_similarty"},
		{"unknown nested key", "[thresholds]\nmin = 1\n", "unknown key thresholds"},
		{"wrong type", "min_passage = \"long\"\n", "min_passage"},
		{"bad glob", "include = [\"articles/[.txt\"]\n", "bad glob"},
		{"not toml", "include = [\n", "neardup.toml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), FileName)
			write(t, file, tc.text)
			_, err := Load(file)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file) {
				t.Errorf("error %v: want one naming %s and %q", err, file, tc.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	c := &Config{
		Include: []string{"articles/**/*.txt", "*.md"},
		Exclude: []string{"articles/drafts/**", "README.md"},
	}
	cases := []struct {
		path string
		want bool
	}{
		{"articles/a.txt", true},
		{"articles/2024/05/a.txt", true},
		{"articles/a.html", false},
		{"other/a.txt", false},
		{"articles/drafts/a.txt", false},
		{"articles/drafts/x/y/a.txt", false},
		{"notes/x.md", true},
		{"README.md", false},
		{"docs/README.md", false},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			if got := c.Match(tc.path); got != tc.want {
				t.Errorf("Match(%q) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
	if !(&Config{}).Match("anything/at/all") {
		t.Errorf("no globs: every file should be a document")
	}
}
