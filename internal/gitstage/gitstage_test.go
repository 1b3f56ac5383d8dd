package gitstage

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// The staged content is read, not the file on disk, and only added or modified files are
// listed.
func TestStagedContent(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, dir, "init", "-q", ".")
	write("old.txt", "committed\n")
	write("gone.txt", "to be deleted\n")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-qm", "first")
	write("old.txt", "staged edit\n")
	write("sub/new 文件.txt", "新的\n")
	write("empty.txt", "")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "rm", "-q", "gone.txt")
	write("old.txt", "edited after add\n")

	root, err := Root(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := filepath.EvalSymlinks(dir); root != filepath.ToSlash(want) && root != want {
		t.Errorf("root %q, want %q", root, want)
	}
	names, err := Changed(root)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"empty.txt", "old.txt", "sub/new 文件.txt"}; !slices.Equal(names, want) {
		t.Fatalf("changed %q, want %q", names, want)
	}
	blobs, err := Read(root, names)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"", "staged edit\n", "新的\n"} {
		if string(blobs[i]) != want {
			t.Errorf("%s: %q, want %q", names[i], blobs[i], want)
		}
	}
}

// Errors say which git step failed, and nothing about how neardup was called.
func TestErrors(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	_, err := Root(t.TempDir())
	if err == nil || !strings.HasPrefix(err.Error(), "git rev-parse: ") || strings.Contains(err.Error(), "--staged") {
		t.Errorf("outside a repository: %v", err)
	}
	if _, err := Read(t.TempDir(), []string{"a\nb"}); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("a name with a line break: %v", err)
	}
}
