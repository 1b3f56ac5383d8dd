package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/neardup/neardup/index"
)

// fullDisk is a writer that fails as a full disk does.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

func TestWriteErrorsAreFailuresNotFindings(t *testing.T) {
	dir, seeds := seedRepo(t)
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(readText(t, seeds[2])))
	writeText(t, filepath.Join(dir, "new", "fresh.txt"), fresh)
	for _, args := range [][]string{
		{"check", "new/repost.txt"}, // it has findings: the failed write must win over them
		{"check", "new/fresh.txt"},
		{"check", "--format", "json", "new/repost.txt"},
		{"check", "--format", "sarif", "new/repost.txt"},
		{"scan", "-q", "articles"},
		{"slogans", "-q", "articles"},
		{"fingerprint", "-q", "articles"},
	} {
		e := newTestEnv()
		e.Stdout = fullDisk{}
		code := Run(args, &e.Env)
		if code != exitFailure || exitFailure == exitFindings {
			t.Errorf("%v to a full disk: exit %d, want %d; stderr:\n%s", args, code, exitFailure, e.err.String())
		}
		if !strings.Contains(e.err.String(), "no space left") {
			t.Errorf("%v: stderr does not say the disk is full:\n%s", args, e.err.String())
		}
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		code, _, stderr := run(t, "scan", "-q", "articles", "-o", "/dev/full")
		if code != exitFailure || !strings.Contains(stderr, "/dev/full") {
			t.Errorf("scan -o /dev/full: exit %d, stderr %q", code, stderr)
		}
	}
}

// The gate is asked about one corpus and given the index of another: a failure of the gate
// (2), never a finding (1) nor a silent comparison with the other corpus.
func TestCheckRefusesIndexOfAnotherCorpus(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := seedRepo(t)
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	idx := filepath.Join(other, ".neardup", "index")
	t.Chdir(wd)
	dir, seeds := seedRepo(t) // a second repository, entered
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(readText(t, seeds[2])))
	code, stdout, stderr := run(t, "check", "--index", idx, "new/repost.txt")
	if code != exitUsage || !strings.Contains(stderr, other) || strings.Contains(stdout, "near-duplicate") {
		t.Errorf("check with another corpus's index: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// Right after a git clone every file is newer than any index could trust; neardup index
// must leave an index that later checks trust, not one they re-read forever.
func TestIndexAfterCloneIsNotRacy(t *testing.T) {
	dir, _ := seedRepo(t) // its files written just now, as by a clone
	code, stdout, stderr := run(t, "index", "articles")
	if code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	x, err := index.Load(filepath.Join(dir, ".neardup", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Racy(); n != 0 {
		t.Errorf("%d of %d entries racily clean after neardup index:\n%s", n, len(x.Entries), stdout)
	}
	// And an index left racy by an older run is fixed by the next one, not "up to date".
	x.Written = x.Entries[0].ModTime
	if err := x.Write(filepath.Join(dir, ".neardup", "index")); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = run(t, "index")
	if code != 0 || strings.Contains(stdout, "up to date") || !strings.Contains(stdout, "verified") {
		t.Errorf("index over a racy index: exit %d: %s", code, stdout)
	}
}
