package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWriteReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old content that is longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Write(path, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "new" {
		t.Fatalf("content %q, err %v; want %q", b, err, "new")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the replaced file's 0600", fi.Mode().Perm())
	}
	assertOnlyFile(t, dir)
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("renderer failed")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half a rep")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "old" {
		t.Errorf("old file changed to %q", b)
	}
	assertOnlyFile(t, dir)
}

func TestWriteIntoMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "out.txt")
	err := Write(path, 0o644, func(io.Writer) error { return nil })
	if err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
}

func assertOnlyFile(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v; the temporary file was left behind", names)
	}
}

func TestWriteNewFileGetsPerm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.txt")
	if err := Write(path, 0o640, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
}

func TestWriteRemovesAbandonedTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	// What a writer killed by SIGKILL leaves: a temporary file that nobody holds.
	dead := filepath.Join(dir, ".out.txt.tmp123456")
	if err := os.WriteFile(dead, []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Another target's leftovers are not this write's business.
	other := filepath.Join(dir, ".other.txt.tmp999")
	if err := os.WriteFile(other, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("abandoned temporary file still there (err %v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temporary file was removed: %v", err)
	}
}

func TestWriteKeepsTempFileOfLiveWriter(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock: leftovers are told by age there")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	busy := filepath.Join(dir, ".out.txt.tmp777")
	f, err := os.Create(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := lock(f, true); err != nil { // as a writer in another process holds it
		t.Fatal(err)
	}
	if err := Write(path, 0o644, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(busy); err != nil {
		t.Errorf("the temporary file of a live writer was removed: %v", err)
	}
	f.Close() // its writer dies
	if n := RemoveStale(path); n != 1 {
		t.Errorf("RemoveStale removed %d files once the writer was gone, want 1", n)
	}
}

func TestAbortRemovesWriteInProgress(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func() { mu.Lock(); aborted = false; mu.Unlock() }()
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half a report")
		Abort() // a signal arrives mid-write
		_, err := io.WriteString(w, " and the rest")
		return err
	})
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("file is %q, want the old content", b)
	}
	assertOnlyFile(t, dir)
	if err := Write(path, 0o644, func(io.Writer) error { return nil }); !errors.Is(err, ErrAborted) {
		t.Errorf("a write after Abort: err = %v, want ErrAborted", err)
	}
	assertOnlyFile(t, dir)
}
