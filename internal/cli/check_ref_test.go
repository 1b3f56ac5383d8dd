package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// --baseline-from-ref fails only on findings that the files did not have in the commit
// named; a commit that does not exist is a failure of the gate (exit 2).
func TestCheckBaselineFromRef(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	quotes := readText(t, "../../testdata/corpus/102_meeting_quotes_000.txt")
	dir, seeds := seedRepo(t)
	if err := os.RemoveAll(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	quoting := "drafts/quotes.txt"
	writeText(t, filepath.Join(dir, quoting), quotes)
	git("add", "-A")
	git("commit", "-q", "-m", "corpus")
	if code, _, stderr := run(t, "index", "-q", "articles"); code != 0 {
		t.Fatalf("index: %s", stderr)
	}

	// The draft quotes an article: a finding it already had in main.
	if code, stdout, _ := run(t, "check", quoting); code != 1 {
		t.Fatalf("check %s: exit %d, want 1 (it quotes %s)\n%s", quoting, code, seeds[0], stdout)
	}
	text := readText(t, filepath.Join(dir, quoting))
	writeText(t, filepath.Join(dir, quoting), strings.Replace(text, "会议", "会上", 1))
	if code, stdout, stderr := run(t, "check", "--baseline-from-ref", "main", quoting); code != 0 || !strings.Contains(stdout, "had before the change") {
		t.Errorf("edited draft against main: exit %d, want 0\n%s%s", code, stdout, stderr)
	}
	// A repost added to it is new.
	writeText(t, filepath.Join(dir, quoting), text+"\n"+repost(readText(t, filepath.Join(dir, seeds[2]))))
	if code, stdout, _ := run(t, "check", "--baseline-from-ref", "main", quoting); code != 1 || !strings.Contains(stdout, seeds[2]) {
		t.Errorf("draft with a repost added: exit %d, want 1 naming %s\n%s", code, seeds[2], stdout)
	}
	if code, _, stderr := run(t, "check", "--baseline-from-ref", "nosuchref", quoting); code != 2 || !strings.Contains(stderr, "nosuchref") {
		t.Errorf("unknown ref: exit %d, want 2\n%s", code, stderr)
	}
}
