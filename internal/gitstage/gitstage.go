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
	"slices"
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
// slash paths from root. A renamed or copied file is listed under its new path.
func Changed(root string) ([]string, error) {
	changes, err := Changes(root)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(changes))
	for i, c := range changes {
		names[i] = c.Path
	}
	return names, nil
}

// Change is one file the commit adds or modifies.
type Change struct {
	Path string // slash path from the work tree's root
	// From is the file this one was renamed or copied from, as git detects it (-M -C):
	// "" for a file added or modified in place.
	From   string
	Status byte // 'A' added, 'M' modified, 'R' renamed, 'C' copied
	// Same is set for a rename or copy whose content git found unchanged (similarity 100).
	Same bool
}

// Changes lists the files the commit adds or modifies, with the renames and copies git
// detects among them (git diff --cached -M -C), sorted by path.
func Changes(root string) ([]Change, error) {
	out, err := git(root, nil, "diff", "--cached", "-M", "-C", "--name-status", "--diff-filter=AMRC", "-z")
	if err != nil {
		return nil, err
	}
	fields := strings.Split(string(out), "\x00")
	var changes []Change
	for i := 0; i < len(fields); i++ {
		status := fields[i]
		if status == "" {
			continue
		}
		c := Change{Status: status[0]}
		switch c.Status {
		case 'R', 'C':
			if i+2 >= len(fields) {
				return nil, fmt.Errorf("git diff: unexpected output %q", status)
			}
			c.From, c.Path = fields[i+1], fields[i+2]
			c.Same = status[1:] == "100"
			i += 2
		case 'A', 'M':
			if i+1 >= len(fields) {
				return nil, fmt.Errorf("git diff: unexpected output %q", status)
			}
			c.Path = fields[i+1]
			i++
		default:
			return nil, fmt.Errorf("git diff: unexpected status %q", status)
		}
		changes = append(changes, c)
	}
	slices.SortFunc(changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return changes, nil
}

// HasCommit reports whether rev names a commit in the repository at root.
func HasCommit(root, rev string) bool {
	_, err := git(root, nil, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// ReadAt returns the content of each named file (slash paths from root) in the commit rev,
// nil for a file that rev does not hold.
func ReadAt(root, rev string, names []string) ([][]byte, error) {
	return readObjects(root, rev+":", names, true)
}

// Read returns the staged content of each named file (slash paths from root), with one git
// cat-file process for all of them.
func Read(root string, names []string) ([][]byte, error) {
	return readObjects(root, ":", names, false)
}

// readObjects reads the objects prefix+name with one git cat-file process; a missing one is
// nil when missingOK, else an error.
func readObjects(root, prefix string, names []string, missingOK bool) ([][]byte, error) {
	var req bytes.Buffer
	for _, n := range names {
		// cat-file --batch reads one name a line.
		if strings.ContainsAny(n, "\n\r") {
			return nil, fmt.Errorf("cannot read %s%s: its name has a line break", prefix, n)
		}
		fmt.Fprintf(&req, "%s%s\n", prefix, n)
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
			return nil, fmt.Errorf("reading %s%s: git cat-file: %w", prefix, n, err)
		}
		fields := strings.Fields(header)
		if missingOK && len(fields) == 2 && fields[1] == "missing" {
			continue
		}
		if len(fields) != 3 {
			return nil, fmt.Errorf("reading %s%s: git cat-file says %q", prefix, n, strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil || size < 0 {
			return nil, fmt.Errorf("reading %s%s: git cat-file says %q", prefix, n, strings.TrimSpace(header))
		}
		blobs[i] = make([]byte, size+1) // content and a line break
		if _, err := io.ReadFull(r, blobs[i]); err != nil {
			return nil, fmt.Errorf("reading %s%s: git cat-file: %w", prefix, n, err)
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
