//go:build !linux

package index

import (
	"io/fs"
	"os"
	"path/filepath"
)

// statter stats the entries of one folder by their paths.
type statter struct{ dir string }

func newStatter(_ *os.File, dir string) statter { return statter{dir} }

func (s statter) lstat(name string) (fileKind, int64, int64, error) {
	return info(os.Lstat(filepath.Join(s.dir, name)))
}

func (s statter) stat(name string) (fileKind, int64, int64, error) {
	return info(os.Stat(filepath.Join(s.dir, name)))
}

func info(fi os.FileInfo, err error) (fileKind, int64, int64, error) {
	if err != nil {
		return otherFile, 0, 0, err
	}
	return kindOf(fi.Mode()), fi.Size(), fi.ModTime().UnixNano(), nil
}

func kindOf(m fs.FileMode) fileKind {
	switch {
	case m.IsRegular():
		return regularFile
	case m.IsDir():
		return directory
	case m&fs.ModeSymlink != 0:
		return symlink
	}
	return otherFile
}
