package atomicfile

import "os"

// The temporary folders in use, for Abort.
var dirs = map[string]bool{}

// TempDir creates a temporary folder (os.MkdirTemp with pattern) for files a run spills, and
// returns a func that removes it with all it holds. Abort removes it too, so that a run ended
// by a signal leaves nothing behind.
func TempDir(pattern string) (string, func(), error) {
	mu.Lock()
	defer mu.Unlock()
	if aborted {
		return "", func() {}, ErrAborted
	}
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", func() {}, err
	}
	dirs[dir] = true
	return dir, func() {
		mu.Lock()
		defer mu.Unlock()
		if dirs[dir] {
			os.RemoveAll(dir)
			delete(dirs, dir)
		}
	}, nil
}

// removeDirs removes the temporary folders; mu is held.
func removeDirs() {
	for dir := range dirs {
		os.RemoveAll(dir)
		delete(dirs, dir)
	}
}
