// Package atomicfile writes files so that a reader sees either the old content or the new,
// never a half-written file: the data goes to a temporary file beside the target, which is
// synced and then renamed over it.
//
// Nothing is left behind either. A temporary file is locked (flock) by its writer for as
// long as it exists, so a later Write can tell the leftovers of a writer that died (kill -9,
// a power cut) from the file of one still at work, and removes only the former. A program
// that ends on a signal calls Abort first, which removes the temporary files of the writes
// in progress.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrAborted is returned by a Write that Abort stopped.
var ErrAborted = errors.New("interrupted")

// The writes in progress, for Abort.
var (
	mu      sync.Mutex
	live    = map[string]bool{}
	aborted bool
)

// tempPrefix is how the temporary files of path begin; Write removes stale ones by it.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp" }

// Write creates or replaces path with what fill writes. A new file gets perm; a replaced one
// keeps its own permissions. If fill or any step fails, the previous file is left untouched
// and the temporary file is removed. Temporary files of path left by writers that died are
// removed first.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) (err error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	RemoveStale(path)
	tmp, err := createLocked(dir, tempPrefix(path)+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	name := tmp.Name()
	defer func() {
		mu.Lock()
		delete(live, name)
		mu.Unlock()
		if err != nil {
			os.Remove(name)
			tmp.Close()
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err = fill(bw); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// The rename happens with mu held, so that Abort either runs before it (and the rename
	// fails: the file is gone) or after it (and there is nothing left to remove).
	mu.Lock()
	if aborted {
		mu.Unlock()
		return fmt.Errorf("writing %s: %w", path, ErrAborted)
	}
	err = os.Rename(name, path)
	mu.Unlock()
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Closing releases the lock; the file now has its final name, which no one removes.
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// createLocked creates a temporary file in dir, locks it and records it as live, all under
// mu: Abort, which a signal handler calls just before the process exits, then either finds
// the file recorded and removes it, or runs first and no file is made. A concurrent
// RemoveStale of another process may remove the file between its creation and the lock
// (the file looks abandoned for that instant); the lock is then taken on a file with no
// name, which is noticed and retried.
func createLocked(dir, pattern string) (*os.File, error) {
	mu.Lock()
	defer mu.Unlock()
	for {
		if aborted {
			return nil, ErrAborted
		}
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		if err := lock(f, true); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		mine, err := f.Stat()
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		named, err := os.Stat(f.Name())
		if err != nil || !os.SameFile(mine, named) {
			f.Close() // removed by RemoveStale before we locked it: make another
			continue
		}
		live[f.Name()] = true
		return f, nil
	}
}

// RemoveStale removes the temporary files of path that no live writer holds: those left
// by a Write that was killed. It returns how many it removed; errors are ignored, since a
// leftover that cannot be removed now is tried again by the next write.
func RemoveStale(path string) int {
	dir := filepath.Dir(path)
	prefix := tempPrefix(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	removed := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		name := filepath.Join(dir, e.Name())
		mu.Lock()
		mine := live[name]
		mu.Unlock()
		if mine {
			continue
		}
		if removeIfAbandoned(name) {
			removed++
		}
	}
	return removed
}

// Abort removes the temporary files of every Write in progress and makes those writes, and
// any later one, fail with ErrAborted. A program calls it when a signal ends it, just before
// it exits, so that an interrupted write leaves nothing behind; the files being replaced
// keep their old content.
func Abort() {
	mu.Lock()
	defer mu.Unlock()
	aborted = true
	for name := range live {
		os.Remove(name)
		delete(live, name)
	}
	removeDirs()
}
