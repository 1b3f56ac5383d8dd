//go:build !unix

package atomicfile

import (
	"os"
	"time"
)

// lock does nothing here: without flock, a leftover is told by its age alone.
func lock(*os.File, bool) error { return nil }

// staleAge is how old a temporary file must be to count as abandoned where files cannot be
// locked: far longer than any write takes.
const staleAge = 24 * time.Hour

func removeIfAbandoned(name string) bool {
	fi, err := os.Stat(name)
	if err != nil || time.Since(fi.ModTime()) < staleAge {
		return false
	}
	return os.Remove(name) == nil
}
