package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
