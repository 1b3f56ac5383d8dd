// Command neardup finds near-duplicate documents, reused passages and recurring slogans
// in a corpus of articles, and shows them as side-by-side diffs.
//
// Run "neardup -h" for usage; the work is done in internal/cli.
package main

import (
	"os"

	"github.com/neardup/neardup/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
