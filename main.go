// Command neardup finds near-duplicate documents, reused passages and recurring slogans
// in a corpus of articles, and shows them as side-by-side diffs.
//
// Run "neardup -h" for usage. The command line lives in internal/cli; programs that embed
// neardup call the library packages, starting with scan (see the README's Library section).
package main

import (
	"os"

	"github.com/neardup/neardup/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
