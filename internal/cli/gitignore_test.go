package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/index"
)

// TestScanHonoursGitignore: in a git work tree a repost that .gitignore leaves out is not
// read, and --no-ignore-vcs reads it.
func TestScanHonoursGitignore(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	story, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", "003_3f59fbc2fd11db04.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"story.txt":  string(story),
		"copy.bak":   string(story),
		".gitignore": "*.bak\n",
	})
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	for _, cmd := range []string{"scan", "slogans", "calibrate", "fingerprint"} {
		t.Run(cmd, func(t *testing.T) {
			env, _, errOut := diffEnv("", 0, nil)
			code := Run([]string{cmd, dir}, env)
			if !strings.Contains(errOut.String(), "left out 1 file or folder that git ignores") {
				t.Errorf("exit %d; stderr lacks the ignored count: %s", code, errOut)
			}
			env, out, errOut := diffEnv("", 0, nil)
			if code := Run([]string{cmd, "--no-ignore-vcs", dir}, env); code != exitOK {
				t.Fatalf("--no-ignore-vcs: exit %d: %s", code, errOut)
			}
			if strings.Contains(errOut.String(), "git ignores") {
				t.Errorf("--no-ignore-vcs still ignores: %s", errOut)
			}
			if (cmd == "scan" || cmd == "fingerprint") && !strings.Contains(out.String(), "copy.bak") {
				t.Errorf("--no-ignore-vcs: the ignored copy is not in the report:\n%s", out)
			}
		})
	}
	env, out, _ := diffEnv("", 0, nil)
	Run([]string{"scan", dir}, env)
	if strings.Contains(out.String(), "copy.bak") {
		t.Errorf("the ignored copy was read:\n%s", out)
	}
}

// TestUsageWidth: the help of the commands added here fits 80 columns.
func TestUsageWidth(t *testing.T) {
	for _, cmd := range []string{"diff", "explain", "calibrate"} {
		env, out, _ := diffEnv("", 0, nil)
		if code := Run([]string{cmd, "-h"}, env); code != exitOK {
			t.Fatalf("%s -h: exit %d", cmd, code)
		}
		if w := maxLineWidth(out.String()); w > 80 {
			t.Errorf("%s -h: a line is %d cells wide", cmd, w)
		}
	}
}

// TestIndexRemembersNoIgnoreVCS: an index built with --no-ignore-vcs keeps the files git
// ignores through later updates and checks, so a check still finds a copy of one, until
// --no-ignore-vcs=false.
func TestIndexRemembersNoIgnoreVCS(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir, seeds := seedRepo(t)
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	ignored := strings.TrimSuffix(seeds[0], ".txt") + ".bak"
	if err := os.Rename(seeds[0], ignored); err != nil {
		t.Fatal(err)
	}
	writeText(t, ".gitignore", "*.bak\n")
	indexed := func() bool {
		t.Helper()
		x, err := index.Load(filepath.Join(".neardup", "index"))
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(x.Entries, func(e index.Entry) bool { return e.Path == ignored })
	}
	if code, _, errOut := run(t, "index", "--no-ignore-vcs", "articles"); code != exitOK || !indexed() {
		t.Fatalf("index --no-ignore-vcs: exit %d, %s indexed: %v: %s", code, ignored, indexed(), errOut)
	}
	writeText(t, "new/fresh.txt", fresh)
	if code, _, errOut := run(t, "check", "new/fresh.txt"); code != exitOK || !indexed() {
		t.Fatalf("check of a new article: exit %d, %s still indexed: %v: %s", code, ignored, indexed(), errOut)
	}
	writeText(t, "new/repost.txt", repost(readText(t, ignored)))
	if code, out, _ := run(t, "check", "new/repost.txt"); code != exitFindings || !strings.Contains(out, ignored) {
		t.Errorf("check of a repost of the ignored article: exit %d, want %d naming %s:\n%s", code, exitFindings, ignored, out)
	}
	if code, _, errOut := run(t, "index"); code != exitOK || !indexed() {
		t.Fatalf("index without the flag: exit %d, %s still indexed: %v: %s", code, ignored, indexed(), errOut)
	}
	if code, _, errOut := run(t, "index", "--no-ignore-vcs=false"); code != exitOK || indexed() {
		t.Fatalf("index --no-ignore-vcs=false: exit %d, %s still indexed: %v: %s", code, ignored, indexed(), errOut)
	}
}
