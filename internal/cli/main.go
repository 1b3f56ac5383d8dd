package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"

	"github.com/neardup/neardup/internal/atomicfile"
)

// workerEnv marks the process that does the work, started by the one the user started.
const workerEnv = "NEARDUP_WORKER"

// Main runs neardup as the process it is in and returns its exit code. Unlike Run, it
// owns the process.
//
// Go cannot recover from running out of memory: the runtime prints "fatal error: out of
// memory" with a dump of every goroutine and exits 2, the code of a usage error. So Main
// runs the command in a child process (the same program) and watches it: when the child
// dies for lack of memory, Main prints one line that names the budget and what to do, and
// exits with exitMemory. The child writes its own messages straight to the real standard
// error (passed as a third file), so that its progress bar still sees a terminal; only what
// the Go runtime writes on a crash comes through the pipe that Main reads.
//
// On SIGINT or SIGTERM the process doing the work removes the temporary files of the
// writes in progress (an index, a report), so that the files being replaced keep their old
// content and nothing half-written stays beside them, and exits as a shell expects of a
// process killed by that signal (128 + its number). The supervisor passes SIGTERM on, and
// its death too (the child gets SIGTERM when it dies, even by SIGKILL).
func Main() int {
	if os.Getenv(workerEnv) == "" {
		if code, ok := supervise(os.Args[1:]); ok {
			return code
		}
		// The child could not be started (no executable path, say): do the work here.
	}
	handleSignals()
	env := StdEnv()
	if os.Getenv(workerEnv) != "" {
		os.Unsetenv(workerEnv) // a neardup that this one runs (through git, say) supervises itself
		if f := os.NewFile(3, "stderr"); f != nil {
			if _, err := f.Stat(); err == nil {
				env.Stderr = f
			}
		}
	}
	return Run(os.Args[1:], env)
}

// handleSignals makes SIGINT and SIGTERM end the process without leaving temporary files.
func handleSignals() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		atomicfile.Abort()
		code := 128 + 2
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		os.Exit(code)
	}()
}

// crashKeep is how much of the child's crash output is kept: the start says what went
// wrong, and a dump of a thousand goroutines need not be held whole.
const crashKeep = 1 << 20

// supervise runs the command in a child process and returns its exit code; ok is false when
// the child could not be started.
func supervise(args []string) (code int, ok bool) {
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	if os.Getenv("MALLOC_ARENA_MAX") == "" {
		// The C library reserves 64 MiB of address space for each thread that calls malloc
		// (Go's threads do, through cgo): under an address-space limit that is 0.4 GiB of a
		// scan's 1.9 GiB, for nothing, since Go allocates its own memory.
		cmd.Env = append(cmd.Env, "MALLOC_ARENA_MAX=1")
	}
	// The worker's temporary folders (spilled runs, clauses, the miner's tables) go in a
	// folder of this process's own, removed once the worker ends however it ends: one killed
	// by the system for lack of memory left gigabytes in the temporary folder.
	if tmp, err := os.MkdirTemp("", "neardup-"); err == nil {
		defer os.RemoveAll(tmp)
		cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	}
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	cmd.ExtraFiles = []*os.File{os.Stderr}
	cmd.SysProcAttr = childAttr()
	crash, err := cmd.StderrPipe()
	if err != nil {
		return 0, false
	}
	// Ctrl-C reaches the child from the terminal; SIGTERM is sent to this process alone,
	// and passed on. Either way the child cleans up and exits, and so does this process.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		return 0, false
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-signals:
				if sig != os.Interrupt {
					cmd.Process.Signal(sig)
				}
			case <-done:
				return
			}
		}
	}()
	var out bytes.Buffer
	io.Copy(&limitedBuffer{&out, crashKeep}, crash)
	err = cmd.Wait()
	close(done)

	var exit *exec.ExitError
	switch {
	case err == nil:
		code = 0
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "neardup: error: %v\n", err)
		return exitFailure, true
	}
	if outOfMemory(out.Bytes()) {
		fmt.Fprintf(os.Stderr, "neardup: error: out of memory: %s; %s\n", memorySituation(args), memoryHint)
		return exitMemory, true
	}
	if sig, ok := killedBy(err); ok {
		if sig == syscall.SIGKILL {
			// Nobody here sent it: the kernel's out-of-memory killer, most likely.
			fmt.Fprintf(os.Stderr, "neardup: error: killed by SIGKILL, most likely by the system for lack of memory: %s; %s\n", memorySituation(args), memoryHint)
			return exitMemory, true
		}
		return 128 + int(sig), true
	}
	os.Stderr.Write(out.Bytes()) // a crash that is not about memory: a bug, shown whole
	return code, true
}

// memoryMarkers are what the Go runtime, and the C library below it, write when the system
// refuses memory or address space.
var memoryMarkers = []string{
	"fatal error: out of memory",
	"runtime: out of memory",
	"cannot allocate memory",
	"pthread_create failed",
	"failed to reserve page summary memory",
	"runtime: cannot map pages",
	"fatal error: runtime: cannot allocate",
}

func outOfMemory(crash []byte) bool {
	s := string(crash)
	for _, m := range memoryMarkers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// memorySituation says what memory the run had, for the message of a child that ran out.
func memorySituation(args []string) string {
	flag := ""
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--memory="); ok {
			flag = v
		} else if a == "--memory" && i+1 < len(args) {
			flag = args[i+1]
		}
	}
	b, err := memoryBudget(flag)
	if err != nil {
		b, _ = memoryBudget("")
	}
	what := fmt.Sprintf("the memory budget was %s (%s)", formatSize(b.bytes), b.source)
	if limit, ok := addressSpaceLimit(); ok {
		what += fmt.Sprintf(", and the address-space limit %s (ulimit -v), of which Go reserves about 1.3 GiB before it holds any data", formatSize(limit))
	}
	return what
}

// limitedBuffer keeps the first max bytes written to it and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
