//go:build !linux

package index

import (
	"io/fs"
	"os"
	"path/filepath"
)

// statter stats the entries of one folder by their paths. Change time, inode and device
// are left 0 here: changes are told by size and modification time, and by the content hash
// of racily clean files.
type statter struct{ dir string }

func newStatter(_ *os.File, dir string) statter { return statter{dir} }

func (s statter) lstat(name string) (fileStat, error) {
	return info(os.Lstat(filepath.Join(s.dir, name)))
}

func (s statter) stat(name string) (fileStat, error) {
	return info(os.Stat(filepath.Join(s.dir, name)))
}

func info(fi os.FileInfo, err error) (fileStat, error) {
	if err != nil {
		return fileStat{kind: otherFile}, err
	}
	return fileStat{kind: kindOf(fi.Mode()), size: fi.Size(), modTime: fi.ModTime().UnixNano()}, nil
}

// statOf is the fileStat of a regular file from os.Stat.
func statOf(fi os.FileInfo) fileStat {
	return fileStat{kind: regularFile, size: fi.Size(), modTime: fi.ModTime().UnixNano()}
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
