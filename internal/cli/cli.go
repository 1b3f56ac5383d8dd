// Package cli implements the neardup command line: one file per subcommand, all sharing
// the I/O streams in Env so that every command can be run and tested in-process.
package cli

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/neardup/neardup/internal/atomicfile"
)

// Exit codes. Only this package picks them.
const (
	exitOK      = 0
	exitFailure = 1 // a runtime failure, or a check that found duplicates
	exitUsage   = 2 // bad flags or arguments, or an input error named on the command line
)

// Env is the outside world a command sees.
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

Usage:
    neardup scan [flags] PATH...         report near-duplicates, copied passages and slogans
    neardup slogans [flags] PATH...      report phrases that recur across documents
    neardup diff [flags] A B             show two files side by side with the changes marked
    neardup fingerprint [flags] PATH...  print the 64-bit SimHash of each document
    neardup index [flags] PATH...        build or update the index used by check
    neardup check [flags] FILE...        fail if files near-duplicate the corpus or each other

PATH is a file, a folder (walked in sorted order, hidden entries skipped) or - for stdin.
Run "neardup COMMAND -h" for the flags of a command.

Examples:
    neardup scan testdata/corpus
    neardup scan corpus/ -o report.html
    neardup diff old.txt new.txt
    neardup check --staged
`

type command func(env *Env, args []string) int

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

// Run runs neardup with args (without the program name) and returns the exit code.
func Run(args []string, env *Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, usage)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		errorf(env, "unknown command %q", args[0])
		hintf(env, `run "neardup -h" for the list of commands`)
		return exitUsage
	}
	return cmd(env, args[1:])
}

// writeOutput renders to stdout, or to the file output atomically ("" and "-" mean stdout),
// and turns a failure into a message and exit status 1.
func writeOutput(env *Env, output string, render func(io.Writer) error) int {
	var err error
	if output == "" || output == "-" {
		err = render(env.Stdout)
	} else {
		err = atomicfile.Write(output, 0o644, render)
	}
	if err != nil {
		errorf(env, "%v", err)
		return exitFailure
	}
	return exitOK
}

func errorf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: error: "+format+"\n", a...)
}

func hintf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: hint: "+format+"\n", a...)
}

func warnf(env *Env, format string, a ...any) {
	fmt.Fprintf(env.Stderr, "neardup: warning: "+format+"\n", a...)
}
