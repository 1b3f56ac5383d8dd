package cli

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/neardup/neardup/internal/atomicfile"
)

// Main runs neardup as the process it is in and returns its exit code. Unlike Run, it
// owns the process: on SIGINT or SIGTERM it removes the temporary files of the writes in
// progress (an index, a report), so that the files being replaced keep their old content
// and nothing half-written stays beside them, and exits as a shell expects of a process
// killed by that signal (128 + its number).
func Main() int {
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
	return Run(os.Args[1:], StdEnv())
}
