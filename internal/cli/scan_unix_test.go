//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScanOutputFileKinds: -o writes a pipe (or a device) in place and follows a link, where
// renaming a new file over it would replace the pipe or the link itself. /dev/null is not
// tried: as root, a regression would replace it for the whole machine.
func TestScanOutputFileKinds(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("target.json", link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	read := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo) // opening blocks until the scan opens the other end
		read <- b
	}()
	tests := []struct {
		name, output string
		check        func(t *testing.T)
	}{
		{"dangling link gets its target", link, func(t *testing.T) {
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
			}
			if b, err := os.ReadFile(target); err != nil || !strings.HasPrefix(string(b), "{") {
				t.Errorf("target: %.20q, %v", b, err)
			}
		}},
		{"link to a file", link, func(t *testing.T) {
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link was replaced: %v, %v", fi.Mode(), err)
			}
		}},
		{"fifo", fifo, func(t *testing.T) {
			select {
			case b := <-read:
				if !strings.Contains(string(b), "neardup: 10 documents") {
					t.Errorf("the pipe got %.40q", b)
				}
			case <-time.After(10 * time.Second): // not a timing: the report went elsewhere
				t.Errorf("nothing came through the pipe")
			}
			if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the pipe was replaced: %v, %v", fi.Mode(), err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"scan", "-q", "testdata/corpus", "-o", tc.output}
			if tc.output == fifo {
				args = append(args, "--format", "text")
			}
			if code, _, errOut := runCLI(t, "", args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			tc.check(t)
		})
	}
}
