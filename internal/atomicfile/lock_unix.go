//go:build unix

package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive flock on f, waiting for it when wait is set. The kernel drops it
// when the holder dies, whatever kills it: that is what makes a leftover recognisable.
func lock(f *os.File, wait bool) error {
	how := unix.LOCK_EX
	if !wait {
		how |= unix.LOCK_NB
	}
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

// removeIfAbandoned removes the temporary file name when no writer holds its lock. The
// lock is held while removing, so that a writer that opened the file an instant before
// cannot take it over after the check.
func removeIfAbandoned(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if lock(f, false) != nil {
		return false // a live writer holds it
	}
	return os.Remove(name) == nil
}
