package corpus

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gitRepo makes a git work tree holding files (slash paths; content "x" unless given).
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull) // no excludes file of the machine's user
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := t.TempDir()
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if text == "" {
			text = "内容"
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func relPaths(t *testing.T, root string, srcs []Source) []string {
	var out []string
	for _, s := range srcs {
		rel, err := filepath.Rel(root, s.Path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func TestFilesHonoursGitignore(t *testing.T) {
	dir := gitRepo(t, map[string]string{
		".gitignore":          "*.log\nbuild/\n!keep.log\n",
		"a.txt":               "",
		"debug.log":           "",
		"keep.log":            "",
		"build/out.txt":       "",
		"news/b.txt":          "",
		"news/.gitignore":     "draft-*\n",
		"news/draft-1.txt":    "",
		"generated/.keep":     "",
		"generated/data.txt":  "",
		"generated/more.txt":  "",
		".git/info/exclude":   "generated/\n",
		"nested/deep/c.txt":   "",
		"nested/deep/skip.md": "",
		"nested/.gitignore":   "*.md\n",
	})
	var warnings []string
	warn := func(msg string) { warnings = append(warnings, msg) }

	srcs, _, err := Files([]string{dir}, Options{Warn: warn})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.txt", "keep.log", "nested/deep/c.txt", "news/b.txt"}
	if got := relPaths(t, dir, srcs); !slices.Equal(got, want) {
		t.Errorf("walk: %v, want %v", got, want)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "left out 5 files or folders that git ignores") {
		t.Errorf("warnings: %q", warnings)
	}

	srcs, _, err = Files([]string{dir}, Options{NoIgnoreVCS: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, srcs); len(got) != 10 {
		t.Errorf("NoIgnoreVCS: %d files %v, want the 10 that are not hidden", len(got), got)
	}

	// A subfolder is walked with the rules that apply to it from above.
	srcs, _, err = Files([]string{filepath.Join(dir, "news")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, srcs); !slices.Equal(got, []string{"news/b.txt"}) {
		t.Errorf("subfolder: %v", got)
	}

	// A folder git ignores as a whole is read when named, as a file is.
	srcs, _, err = Files([]string{filepath.Join(dir, "build"), filepath.Join(dir, "debug.log")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, srcs); !slices.Equal(got, []string{"build/out.txt", "debug.log"}) {
		t.Errorf("named ignored folder and file: %v", got)
	}
}

func TestFilesOutsideAWorkTree(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".gitignore", "a.txt", "b.log"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("*.log\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srcs, _, err := Files([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, srcs); !slices.Equal(got, []string{"a.txt", "b.log"}) {
		t.Errorf("a .gitignore outside a work tree is applied: %v", got)
	}
}

func TestFilesWithoutGit(t *testing.T) {
	dir := gitRepo(t, map[string]string{".gitignore": "*.log\n", "a.txt": "", "b.log": ""})
	defer func(old string) { gitCommand = old }(gitCommand)
	gitCommand = "neardup-test-no-such-git"
	var warnings []string
	srcs, _, err := Files([]string{dir}, Options{Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := relPaths(t, dir, srcs); !slices.Equal(got, []string{"a.txt", "b.log"}) {
		t.Errorf("without git: %v", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "git is not installed") {
		t.Errorf("warnings: %q", warnings)
	}
}

func TestFilesIgnoredCallback(t *testing.T) {
	dir := gitRepo(t, map[string]string{".gitignore": "*.log\n", "a.txt": "", "b.log": "", "c.log": ""})
	var warnings []string
	var counted []int
	_, _, err := Files([]string{dir}, Options{
		Warn:    func(msg string) { warnings = append(warnings, msg) },
		Ignored: func(folder string, n int) { counted = append(counted, n) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 || !slices.Equal(counted, []int{2}) {
		t.Errorf("warnings %q, counts %v; want none and [2]", warnings, counted)
	}
}
