// Package gitstage reads what a commit being made will hold: the files git's index has
// added or modified, and their staged content as bytes (not as on disk, where they may have
// changed since "git add"). It runs the git command; errors name the git step that failed.
package gitstage

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// Root returns the top folder of the work tree that dir is in ("" is the current folder).
func Root(dir string) (string, error) {
	out, err := git(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(out), "\n"), nil
}

// Changed lists the files added or modified in the index of the work tree at root, as
// slash paths from root. Renames are taken apart (--no-renames), so that a moved and edited
// file is listed as added.
func Changed(root string) ([]string, error) {
	out, err := git(root, nil, "diff", "--cached", "--name-only", "--no-renames", "--diff-filter=AM", "-z")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(string(out), "\x00") {
		if n != "" {
			names = append(names, n)
		}
	}
	return names, nil
}

// Read returns the staged content of each named file (slash paths from root), with one git
// cat-file process for all of them.
func Read(root string, names []string) ([][]byte, error) {
	var req bytes.Buffer
	for _, n := range names {
		// cat-file --batch reads one name a line.
		if strings.ContainsAny(n, "\n\r") {
			return nil, fmt.Errorf("cannot read staged file %q: its name has a line break", n)
		}
		fmt.Fprintf(&req, ":%s\n", n)
	}
	out, err := git(root, &req, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(bytes.NewReader(out))
	blobs := make([][]byte, len(names))
	for i, n := range names {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading staged %s: git cat-file: %w", n, err)
		}
		fields := strings.Fields(header)
		if len(fields) != 3 {
			return nil, fmt.Errorf("reading staged %s: git cat-file says %q", n, strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil || size < 0 {
			return nil, fmt.Errorf("reading staged %s: git cat-file says %q", n, strings.TrimSpace(header))
		}
		blobs[i] = make([]byte, size+1) // content and a line break
		if _, err := io.ReadFull(r, blobs[i]); err != nil {
			return nil, fmt.Errorf("reading staged %s: git cat-file: %w", n, err)
		}
		blobs[i] = blobs[i][:size]
	}
	return blobs, nil
}

// git runs one git command in dir and returns its standard output; its error is what git
// said on standard error.
func git(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}
