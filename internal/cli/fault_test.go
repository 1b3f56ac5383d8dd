//go:build unix

package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neardup/neardup/index"
)

// mainEnv makes the test binary run as neardup (Main, supervisor and all) instead of the
// tests: the fault-injection tests kill real processes.
const mainEnv = "NEARDUP_TEST_AS_MAIN"

// exhaustEnv makes the worker ask for more memory than any system gives, as a scan that
// outgrows its machine does, to see what the user gets; it has spilled to a temporary
// folder first, as such a scan would have.
const exhaustEnv = "NEARDUP_TEST_EXHAUST"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) != "" {
		if os.Getenv(workerEnv) != "" && os.Getenv(exhaustEnv) != "" {
			if dir, err := os.MkdirTemp("", "neardup-spill-"); err == nil {
				os.WriteFile(filepath.Join(dir, "run-000001"), []byte("spilled"), 0o644)
			}
			hog := make([]byte, 1<<46)
			hog[len(hog)-1] = 1
		}
		os.Exit(Main())
	}
	os.Exit(m.Run())
}

// neardupCmd is the test binary run as neardup in dir.
func neardupCmd(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
}

// runNeardup runs neardup in dir to the end and returns its exit code and output.
func runNeardup(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := neardupCmd(t, dir, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}

func TestOutOfMemoryIsOneLine(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the supervisor is exercised on linux")
	}
	cmd := neardupCmd(t, ".", "scan", "-q", "--memory", "3GiB", "../../testdata/corpus")
	tmp := t.TempDir()
	cmd.Env = append(cmd.Env, exhaustEnv+"=1", "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	code := cmd.ProcessState.ExitCode()
	msg := stderr.String()
	if code != exitMemory || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "neardup: error: out of memory:") ||
		!strings.Contains(msg, "3.0 GiB (--memory 3GiB)") || !strings.Contains(msg, "raise the budget") {
		t.Errorf("a worker out of memory: exit %d, stderr:\n%s", code, msg)
	}
	// What the worker spilled goes with it.
	if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
		t.Errorf("the worker out of memory left %v in the temporary folder (%v)", left, err)
	}
	// A budget that the input needs more than stops the scan before it starts.
	code, _, msg = runNeardup(t, ".", "scan", "-q", "--memory", "10MiB", "../../testdata/corpus")
	if code != exitMemory || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "more than the memory budget of 10 MiB (--memory 10MiB)") {
		t.Errorf("scan over budget: exit %d, stderr:\n%s", code, msg)
	}
	// Without trouble the supervisor is invisible: the worker's output and exit code.
	code, out, msg := runNeardup(t, ".", "scan", "-q", "--format", "json", "../../testdata/corpus")
	if code != 0 || msg != "" || !strings.Contains(out, `"schema"`) {
		t.Errorf("supervised scan: exit %d, stderr %q, stdout %.100q", code, msg, out)
	}
	code, _, msg = runNeardup(t, ".", "scan", "--memory", "lots", "x")
	if code != exitUsage || !strings.Contains(msg, `--memory "lots"`) {
		t.Errorf("bad --memory: exit %d, stderr:\n%s", code, msg)
	}
}

// faultCorpus writes n articles made from the seed articles with random edits, so that a
// run of index or scan over them lasts long enough to be killed at every stage.
func faultCorpus(t *testing.T, dir string, seeds []string, n int) {
	t.Helper()
	var texts [][]rune
	for _, s := range seeds {
		b, err := os.ReadFile(filepath.Join(dir, s))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, []rune(string(b)))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		src := texts[i%len(texts)]
		out := slices.Clone(src)
		for j := range out {
			if out[j] > 0x4e00 && r.IntN(3) == 0 {
				out[j] = src[r.IntN(len(src))]
			}
		}
		writeText(t, filepath.Join(dir, "articles", fmt.Sprintf("%04d.txt", i)), string(out))
	}
}

// tempFiles lists the temporary files atomicfile leaves beside target.
func tempFiles(t *testing.T, target string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// killAfter starts cmd and kills it: SIGTERM to neardup, or SIGKILL to neardup and its
// worker at once (its process group), as the kernel or kill -9 would. It kills after delay,
// or, when target is set, delay after target's temporary file appears: in the middle of
// the write, which random delays over a whole run seldom hit.
func killAfter(t *testing.T, cmd *exec.Cmd, target string, delay time.Duration, sig syscall.Signal) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	if target != "" {
		deadline := time.Now().Add(10 * time.Second)
	poll:
		for len(tempFiles(t, target)) == 0 && time.Now().Before(deadline) {
			select {
			case <-exited:
				break poll
			default:
				time.Sleep(50 * time.Microsecond)
			}
		}
	}
	time.Sleep(delay)
	if sig == syscall.SIGKILL {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	} else {
		cmd.Process.Signal(sig)
	}
	<-exited
}

// Kill the index writer and the report writer at random moments: the old or the new file is
// always whole, SIGTERM leaves no temporary file, the next run removes what SIGKILL left,
// and check is right afterwards.
func TestKilledWritesLeaveNothingBehind(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("signals and process groups as on linux")
	}
	dir, seeds := seedRepo(t)
	faultCorpus(t, dir, seeds, 100)
	extra := filepath.Join(dir, "articles", "zz-extra.txt")
	file := filepath.Join(dir, ".neardup", "index")
	// The two states of the corpus, and what each gives: an index without and with the
	// extra article, a report without and with it.
	state := func(with bool) {
		if with {
			writeText(t, extra, fresh+"\n"+fresh)
		} else {
			os.Remove(extra)
		}
	}
	report := filepath.Join(dir, "report.json")
	var reports [2]string
	var entries [2]int
	var took time.Duration
	for i, with := range []bool{false, true} {
		state(with)
		start := time.Now()
		if code, _, stderr := runNeardup(t, dir, "index", "-q", "articles"); code != 0 {
			t.Fatalf("index: exit %d: %s", code, stderr)
		}
		took = max(took, time.Since(start))
		x, err := index.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		entries[i] = len(x.Entries)
		if code, _, stderr := runNeardup(t, dir, "scan", "-q", "articles", "-o", report); code != 0 {
			t.Fatalf("scan: exit %d: %s", code, stderr)
		}
		reports[i] = readText(t, report)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d; an index run takes %v", seed, took)
	r := rand.New(rand.NewPCG(seed, 0))

	leftovers := 0 // SIGKILLs that hit a write: the next run had a temporary file to remove
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		for round := range faultRounds {
			with := round%2 == 0
			state(with)
			// Even rounds kill at a random moment of the run, odd ones during the write.
			delay := time.Duration(r.Int64N(int64(took) * 3 / 2))
			indexTarget, reportTarget := "", ""
			if round%2 == 1 {
				delay = time.Duration(r.Int64N(int64(time.Millisecond)))
				indexTarget, reportTarget = file, report
			}
			killAfter(t, neardupCmd(t, dir, "index", "-q", "articles"), indexTarget, delay, sig)
			x, err := index.Load(file)
			if err != nil {
				t.Fatalf("%v after %v: the index is damaged: %v", sig, delay, err)
			}
			if n := len(x.Entries); n != entries[0] && n != entries[1] {
				t.Fatalf("%v after %v: the index has %d entries, neither the old nor the new", sig, delay, n)
			}
			if sig == syscall.SIGTERM {
				if left := tempFiles(t, file); len(left) > 0 {
					t.Fatalf("SIGTERM after %v left %v", delay, left)
				}
			}

			killAfter(t, neardupCmd(t, dir, "scan", "-q", "articles", "-o", report), reportTarget, delay, sig)
			if got := readText(t, report); got != reports[0] && got != reports[1] {
				t.Fatalf("%v after %v: the report is neither the old nor the new one (%d bytes)", sig, delay, len(got))
			}
			if sig == syscall.SIGTERM {
				if left := tempFiles(t, report); len(left) > 0 {
					t.Fatalf("SIGTERM after %v left %v", delay, left)
				}
			}

			// The next runs finish, and clean up what a SIGKILL left.
			leftovers += len(tempFiles(t, file)) + len(tempFiles(t, report))
			if code, _, stderr := runNeardup(t, dir, "index", "-q"); code != 0 {
				t.Fatalf("index after %v: exit %d: %s", sig, code, stderr)
			}
			if left := tempFiles(t, file); len(left) > 0 {
				t.Fatalf("the next index left %v", left)
			}
			if code, _, stderr := runNeardup(t, dir, "scan", "-q", "articles", "-o", report); code != 0 {
				t.Fatalf("scan after %v: exit %d: %s", sig, code, stderr)
			}
			if left := tempFiles(t, report); len(left) > 0 {
				t.Fatalf("the next scan -o left %v", left)
			}
			want := 0
			if with {
				want = 1
			}
			if x, err := index.Load(file); err != nil || len(x.Entries) != entries[want] {
				t.Fatalf("the index after a clean run: %v", err)
			}
		}
	}
	t.Logf("%d temporary files left by SIGKILL, removed by the next run", leftovers)
	// And check is right: a repost of an indexed article is found.
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(readText(t, seeds[2])))
	code, stdout, stderr := runNeardup(t, dir, "check", "new/repost.txt")
	if code != exitFindings || !strings.Contains(stdout, seeds[2]) {
		t.Errorf("check after the faults: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// Kill a check while it writes the index's delta (a story added to or removed from the
// corpus since the index was written): the index read with its delta is always the old or
// the new one, SIGTERM leaves no temporary file, the next check removes what SIGKILL left,
// and its verdict is right.
func TestKilledDeltaWritesLeaveNothingBehind(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("signals and process groups as on linux")
	}
	dir, seeds := seedRepo(t)
	faultCorpus(t, dir, seeds, 100)
	if code, _, stderr := runNeardup(t, dir, "index", "-q", "articles"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	file := filepath.Join(dir, ".neardup", "index")
	extra := filepath.Join(dir, "articles", "zz-extra.txt")
	probe := filepath.Join("new", "repost.txt")
	writeText(t, filepath.Join(dir, probe), repost(readText(t, seeds[2])))
	x, err := index.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	entries := [2]int{len(x.Entries), len(x.Entries) + 1}
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	leftovers, deltas := 0, 0
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		for round := range faultRounds {
			with := round%2 == 0
			if with {
				writeText(t, extra, fresh+"\n"+fresh)
			} else {
				os.Remove(extra)
			}
			delay := time.Duration(r.Int64N(int64(2 * time.Millisecond)))
			killAfter(t, neardupCmd(t, dir, "check", "-q", probe), index.DeltaFile(file), delay, sig)
			x, err := index.Load(file)
			if err != nil {
				t.Fatalf("%v after %v: the index and its delta are damaged: %v", sig, delay, err)
			}
			if n := len(x.Entries); n != entries[0] && n != entries[1] {
				t.Fatalf("%v after %v: the index has %d entries, neither the old nor the new", sig, delay, n)
			}
			if sig == syscall.SIGTERM {
				if left := slices.Concat(tempFiles(t, file), tempFiles(t, index.DeltaFile(file))); len(left) > 0 {
					t.Fatalf("SIGTERM after %v left %v", delay, left)
				}
			}
			leftovers += len(tempFiles(t, index.DeltaFile(file)))
			code, stdout, stderr := runNeardup(t, dir, "check", probe)
			if code != exitFindings || !strings.Contains(stdout, seeds[2]) {
				t.Fatalf("check after %v: exit %d\n%s\n%s", sig, code, stdout, stderr)
			}
			if left := slices.Concat(tempFiles(t, file), tempFiles(t, index.DeltaFile(file))); len(left) > 0 {
				t.Fatalf("the next check left %v", left)
			}
			want := 0
			if with {
				want = 1
			}
			if x, err := index.Load(file); err != nil || len(x.Entries) != entries[want] {
				t.Fatalf("the index after a clean check: %v", err)
			}
			if _, err := os.Stat(index.DeltaFile(file)); err == nil {
				deltas++
			}
		}
	}
	if deltas == 0 {
		t.Errorf("no check wrote a delta: the test shows nothing")
	}
	t.Logf("%d temporary delta files left by SIGKILL, removed by the next check; %d rounds ended with a delta", leftovers, deltas)
}
