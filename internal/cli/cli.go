// Package cli implements the neardup command line: one file per subcommand, all sharing
// the I/O streams in Env so that every command can be run and tested in-process.
package cli

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"golang.org/x/term"

	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/report"
)

// Exit codes. Only this package picks them.
// Findings alone use 1, so that a gate (pre-commit, CI) never mistakes a failure of the tool
// itself for a duplicate found, nor the other way round.
const (
	exitOK       = 0
	exitFindings = 1 // check found a near-duplicate or a copied passage
	exitFailure  = 2 // the tool failed: a runtime or write error
	exitUsage    = 2 // bad flags or arguments, or an input error named on the command line
	exitMemory   = 3 // the memory budget (--memory, or what the system allows) was not enough
)

// Env is the outside world a command sees. Every field may be left nil: no standard input
// (reading - is an error), output discarded, no environment variables, no terminal.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable (NO_COLOR, COLUMNS).
	Getenv func(string) string
	// IsTerminal reports whether w is an interactive terminal, and its width in cells (0 if unknown).
	IsTerminal func(w io.Writer) (tty bool, width int)
}

// StdEnv is the Env of a real process.
func StdEnv() *Env {
	return &Env{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
		IsTerminal: func(w io.Writer) (bool, int) {
			f, ok := w.(*os.File)
			if !ok || !term.IsTerminal(int(f.Fd())) {
				return false, 0
			}
			width, _, err := term.GetSize(int(f.Fd()))
			if err != nil {
				return true, 0
			}
			return true, width
		},
	}
}

const usage = `neardup finds near-duplicate documents, copied passages and recurring slogans.

Usage: neardup COMMAND [flags] ARGS...

Commands:
    scan PATH...         report near-duplicates, copied passages and slogans
    slogans PATH...      report phrases that recur across documents
    diff A B             show two files side by side with the changes marked
    explain A B          say why two documents match or do not
    calibrate PATH...    help choose the thresholds of scan
    fingerprint PATH...  print the 64-bit SimHash of each document
    index PATH...        build or update the index used by check
    check FILE...        fail if files near-duplicate the corpus or each other
    help COMMAND         show the flags and details of a command

PATH is a file, a folder (walked in sorted order, hidden entries skipped) or -
for stdin. Run "neardup help COMMAND" or "neardup COMMAND -h" for the flags of
a command. "neardup --version" prints the version it was built as.

Exit status: 0 success, 1 findings (check only), 2 a usage, input or runtime
error (a damaged index, a write that failed), 3 out of memory (see scan
--memory).

Examples:
    neardup scan testdata/corpus
    neardup scan corpus/ -o report.html
    neardup diff old.txt new.txt
    neardup check --staged
`

// command is a subcommand: what runs it, and its help text (within 80 columns).
type command struct {
	run   func(env *Env, args []string) int
	usage string
}

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

// withDefaults returns a copy of env with its nil fields filled in.
func (env *Env) withDefaults() *Env {
	e := Env{}
	if env != nil {
		e = *env
	}
	if e.Stdout == nil {
		e.Stdout = io.Discard
	}
	if e.Stderr == nil {
		e.Stderr = io.Discard
	}
	if e.Getenv == nil {
		e.Getenv = func(string) string { return "" }
	}
	if e.IsTerminal == nil {
		e.IsTerminal = func(io.Writer) (bool, int) { return false, 0 }
	}
	return &e
}

// Run runs neardup with args (without the program name) and returns the exit code.
func Run(args []string, env *Env) int {
	env = env.withDefaults()
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return exitOK
	case "help":
		return runHelp(env, args[1:])
	case "--version", "version":
		fmt.Fprintln(env.Stdout, version())
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return unknownCommand(env, args[0])
	}
	return cmd.run(env, args[1:])
}

// runHelp prints the help of the command named, or the list of commands.
func runHelp(env *Env, args []string) int {
	switch {
	case len(args) == 0 || (len(args) == 1 && (args[0] == "-h" || args[0] == "--help")):
		fmt.Fprint(env.Stdout, usage)
		return exitOK
	case len(args) > 1:
		errorf(env, "help: name one command, not %d", len(args))
		hintf(env, "neardup help scan")
		return exitUsage
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return unknownCommand(env, args[0])
	}
	fmt.Fprint(env.Stdout, cmd.usage)
	return exitOK
}

func unknownCommand(env *Env, name string) int {
	errorf(env, "unknown command %q", name)
	if s := suggest(name, slices.Sorted(maps.Keys(commands))); s != "" {
		hintf(env, "did you mean %q?", s)
	}
	hintf(env, `run "neardup -h" for the list of commands`)
	return exitUsage
}

// writeOutput renders to stdout, or to the file output ("" and "-" mean stdout), and turns a
// failure (a full disk, a closed pipe) into a message and exitFailure.
func writeOutput(env *Env, output string, render func(io.Writer) error) int {
	var err error
	if output == "" || output == "-" {
		err = render(env.Stdout)
	} else {
		err = writeFile(output, render)
	}
	if err != nil {
		errorf(env, "%v", err)
		return exitFailure
	}
	return exitOK
}

// writeFile writes a regular file atomically. A device or a pipe (-o /dev/stdout, a FIFO) is
// written in place, because renaming over it would replace the device with a file; a
// symbolic link is followed, so that the link stays and its target gets the report.
func writeFile(output string, render func(io.Writer) error) error {
	fi, err := os.Stat(output)
	switch {
	case err != nil:
		if link, lerr := os.Readlink(output); lerr == nil { // a link to a file not made yet
			if !filepath.IsAbs(link) {
				link = filepath.Join(filepath.Dir(output), link)
			}
			return atomicfile.Write(link, 0o644, render)
		}
		return atomicfile.Write(output, 0o644, render)
	case fi.IsDir():
		return fmt.Errorf("writing %s: it is a folder: name a file inside it", output)
	case fi.Mode().IsRegular():
		target, err := filepath.EvalSymlinks(output)
		if err != nil {
			return fmt.Errorf("writing %s: %w", output, err)
		}
		return atomicfile.Write(target, 0o644, render)
	}
	f, err := os.OpenFile(output, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	err = render(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	return nil
}

// checkOutput refuses, before any work, an output that cannot take the report: a folder, or
// one of the inputs, which the report would silently replace. inputs are paths as read
// ("-" for stdin is left out).
func checkOutput(output string, inputs []string) error {
	if output == "" || output == "-" {
		return nil
	}
	out, err := os.Stat(output)
	if err != nil {
		return nil // a new file
	}
	if out.IsDir() {
		return fmt.Errorf("cannot write to %s: it is a folder: name a file inside it", output)
	}
	if !out.Mode().IsRegular() {
		return nil
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if fi, err := os.Stat(in); err == nil && os.SameFile(fi, out) {
			return fmt.Errorf("cannot write to %s: it is an input (%s), and the report would replace it: name another file", output, in)
		}
	}
	return nil
}

// checkReadFlags checks the flags that every reading command shares; "" when they are good.
func checkReadFlags(jobs int, maxFileSize int64) string {
	switch {
	case jobs < 1:
		return "--jobs must be at least 1"
	case maxFileSize < 1:
		return "--max-file-size must be at least 1 (bytes)"
	}
	return ""
}

// useCPUs runs the process's Go code on at most jobs CPUs until the returned func is
// called: --jobs 1 means one core, and the collector and the report's encoders, which size
// themselves by GOMAXPROCS, not by --jobs, took the second one too.
func useCPUs(jobs int) (restore func()) {
	prev := runtime.GOMAXPROCS(0)
	if jobs >= prev {
		return func() {}
	}
	runtime.GOMAXPROCS(jobs)
	return func() { runtime.GOMAXPROCS(prev) }
}

// The message helpers clean what they print, since messages name files and quote text from
// them: a control character in a file name must not reach the terminal raw.

func errorf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: error: %s\n", report.Clean(fmt.Sprintf(format, a...)))
}

func hintf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: hint: %s\n", report.Clean(fmt.Sprintf(format, a...)))
}

func warnf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: warning: %s\n", report.Clean(fmt.Sprintf(format, a...)))
}
