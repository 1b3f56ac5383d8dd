package corpus

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A folder inside a git work tree is walked as git sees it: files that .gitignore (at any
// level), .git/info/exclude or the user's global excludes file leave out are not read, unless
// Options.NoIgnoreVCS is set. git itself is asked (git ls-files), so that every rule of git's
// (negations, nested files, core.excludesFile) holds exactly, with no second implementation
// to drift from it. Where git is not installed the folder is walked whole, with a warning.

// vcsView is what git lists under one walked folder: the files it does not ignore, tracked or
// not, and the folders that hold them. nil means "not in a work tree: keep everything".
type vcsView struct {
	files map[string]bool // slash paths relative to the folder
	dirs  map[string]bool // every ancestor folder of a listed file, "" included
}

// keepFile and keepDir take slash paths relative to the walked folder.
func (v *vcsView) keepFile(rel string) bool { return v == nil || v.files[rel] }
func (v *vcsView) keepDir(rel string) bool  { return v == nil || v.dirs[rel] }

// gitCommand runs git; a variable so that tests can stand in for a missing git.
var gitCommand = "git"

// vcsFiles asks git which files under dir it does not ignore. It returns nil when dir is not
// in a git work tree, when git ignores everything in it (a folder named on purpose is read
// whole, as a file named on purpose is), or when git cannot be run (then warn says so if
// the folder is in a work tree).
func vcsFiles(dir string, warn func(string, ...any)) *vcsView {
	// Paths come relative to dir; -z keeps them unquoted.
	cmd := exec.Command(gitCommand, "-C", dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) && inWorkTree(dir) {
			warn("%s is in a git work tree but git is not installed: .gitignore is not applied", dir)
		}
		// Not a work tree (git says "not a git repository"), or inside .git: walk it all.
		return nil
	}
	v := &vcsView{files: map[string]bool{}, dirs: map[string]bool{"": true}}
	for _, p := range bytes.Split(out, []byte{0}) {
		if len(p) == 0 {
			continue
		}
		rel := string(p)
		v.files[rel] = true
		for d := rel; ; {
			i := strings.LastIndexByte(d, '/')
			if i < 0 {
				break
			}
			d = d[:i]
			if v.dirs[d] {
				break
			}
			v.dirs[d] = true
		}
	}
	if len(v.files) == 0 {
		return nil
	}
	return v
}

// inWorkTree looks for a .git entry in dir or above it.
func inWorkTree(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for {
		if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
			return true
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
	}
}
