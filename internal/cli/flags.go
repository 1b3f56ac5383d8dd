package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// newFlagSet makes a flag set whose errors come back to the caller instead of exiting, and
// whose usage is the hand-written text of the command.
func newFlagSet(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// parseFlags parses args. When it returns done, the command must return code: -h printed the
// usage to stdout (exit 0), or the flags were wrong and the error was printed (exit 2).
func parseFlags(env *Env, fs *pflag.FlagSet, usage string, args []string) (done bool, code int) {
	err := fs.Parse(args)
	if err == nil {
		return false, 0
	}
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprint(env.Stdout, usage)
		return true, exitOK
	}
	errorf(env, "%s: %v", fs.Name(), err)
	hintf(env, `run "neardup %s -h" for usage`, fs.Name())
	return true, exitUsage
}
