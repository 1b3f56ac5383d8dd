// Package golden compares test output with golden files, and rewrites them when the tests
// run with -update:
//
//	go test ./... -update
//
// The flag is registered by this package, so that one flag serves the whole module: every
// package with tests imports it (those without goldens with a blank import), which keeps
// "go test ./... -update" from failing on a package that does not know the flag.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with the output of the tests")

// Updating reports whether the tests run with -update, for tests that keep their goldens in
// a form of their own (txtar archives).
func Updating() bool { return *update }

// Check compares got with the file at path; under -update it writes got there instead.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; if the change is right, run go test -update and review the diff:\n%s", path, Diff(got, want))
	}
}

// Diff describes the first line where got and want differ.
func Diff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, g, w)
		}
	}
	return "(no line differs)"
}
