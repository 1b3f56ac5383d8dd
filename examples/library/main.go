// Command library shows neardup used as a library: it scans the files and folders named on
// its command line and prints the result as neardup/1 JSON, the same as
// "neardup scan --format json PATH...".
//
// It lives in a module of its own, which reaches neardup only through its public packages
// (a replace directive points at this checkout), so that it proves they are enough.
//
//	cd examples/library && go run . ../../testdata/corpus
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: library PATH...")
		os.Exit(2)
	}
	docs, skipped, err := corpus.Load(os.Args[1:], os.Stdin, corpus.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "library:", err)
		os.Exit(2)
	}
	res := scan.Run(docs, scan.Options{Jobs: runtime.NumCPU(), Skipped: skipped})
	if err := report.WriteJSON(os.Stdout, res); err != nil {
		fmt.Fprintln(os.Stderr, "library:", err)
		os.Exit(1)
	}
}
