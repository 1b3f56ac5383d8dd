package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplainGolden(t *testing.T) {
	t.Chdir("../..")
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", "explain", "--format", format,
				"testdata/corpus/003_3f59fbc2fd11db04.txt", "testdata/corpus/100_repost_of_003.txt")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, "explain."+format, out)
		})
	}
}

func TestExplainCommand(t *testing.T) {
	seed := func(name string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	story, other := seed("003_3f59fbc2fd11db04.txt"), seed("000_23cf1a7057c403ae.txt")
	// A page that carries the whole story among other news.
	cut := strings.Index(other[len(other)/2:], "\n") + len(other)/2 + 1
	page := other[:cut] + story + "\n" + other[cut:]
	dir := writeFiles(t, map[string]string{"story.txt": story, "page.txt": page, "other.txt": other})
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name    string
		args    []string
		code    int
		want    []string
		wantNot []string
		stderr  string
	}{
		{name: "story inside a page", args: []string{p("story.txt"), p("page.txt")},
			want: []string{"A is contained in B: 1.000", "near-duplicate       no", "copied passage       yes", "A contained in B         1.000"}},
		{name: "page around a story", args: []string{p("page.txt"), p("story.txt")}, want: []string{"B is contained in A: 1.000"}},
		{name: "unrelated", args: []string{p("story.txt"), p("other.txt")}, want: []string{"near-duplicate       no"}, wantNot: []string{"is contained in"}},
		{name: "threshold flag is applied", args: []string{"--min-similarity", "0.01", p("story.txt"), p("page.txt")},
			want: []string{"near-duplicate       yes", ">= 0.01 (--min-similarity)"}},
		{name: "stdin", args: []string{"-", p("page.txt")}, want: []string{"A is contained in B"}},
		{name: "help", args: []string{"-h"}, want: []string{"Usage: neardup explain"}},
		{name: "one file", args: []string{p("story.txt")}, code: exitUsage, stderr: "want two files, got 1"},
		{name: "missing file", args: []string{p("story.txt"), p("nope.txt")}, code: exitUsage, stderr: "nope.txt"},
		{name: "bad format", args: []string{"-f", "html", p("story.txt"), p("page.txt")}, code: exitUsage, stderr: `unknown --format "html"`},
		{name: "bad threshold", args: []string{"--min-similarity", "2", p("story.txt"), p("page.txt")}, code: exitUsage, stderr: "--min-similarity must be in (0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin := ""
			if tt.name == "stdin" {
				stdin = story
			}
			env, out, errOut := diffEnv(stdin, 0, nil)
			if code := Run(append([]string{"explain"}, tt.args...), env); code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out.String(), w) {
					t.Errorf("output holds %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
		})
	}

	env, out, errOut := diffEnv("", 0, nil)
	if code := Run([]string{"explain", "--format", "json", p("story.txt"), p("page.txt")}, env); code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var got struct {
		Contained string `json:"contained"`
		A         struct {
			Containment float64 `json:"containment"`
		} `json:"a"`
		Checks []struct {
			Name   string `json:"name"`
			Passes bool   `json:"passes"`
		} `json:"checks"`
		Longest struct {
			AStart, AEnd int
		} `json:"longest_common"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if got.Contained != "a_in_b" || got.A.Containment != 1 || len(got.Checks) != 5 {
		t.Errorf("json: %+v", got)
	}
}

// TestExplainReusePair2 is the case on the real pair, when the corpora are here.
func TestExplainReusePair2(t *testing.T) {
	dir, _ := filepath.Abs("../../../shared/corpora/zh-reuse-pairs/texts")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("zh-reuse-pairs not on this machine: %v", err)
	}
	env, out, errOut := diffEnv("", 0, nil)
	if code := Run([]string{"explain", filepath.Join(dir, "pair2-source.txt"), filepath.Join(dir, "pair2-suspicious.txt")}, env); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "A is contained in B") {
		t.Errorf("pair2: containment not shown:\n%s", out)
	}
}
