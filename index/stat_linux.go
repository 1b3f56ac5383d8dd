package index

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// statter stats the entries of one open folder with fstatat, relative to the folder: the
// kernel does not walk the folder's path again for each of its ten thousand files, and
// nothing is allocated per file.
type statter struct{ fd int }

func newStatter(dir *os.File, _ string) statter { return statter{int(dir.Fd())} }

func (s statter) lstat(name string) (fileStat, error) {
	return s.at(name, unix.AT_SYMLINK_NOFOLLOW)
}

func (s statter) stat(name string) (fileStat, error) { return s.at(name, 0) }

func (s statter) at(name string, flags int) (fileStat, error) {
	var st unix.Stat_t
	err := unix.Fstatat(s.fd, name, &st, flags)
	for err == unix.EINTR {
		err = unix.Fstatat(s.fd, name, &st, flags)
	}
	if err != nil {
		return fileStat{kind: otherFile}, err
	}
	var kind fileKind
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		kind = regularFile
	case unix.S_IFDIR:
		kind = directory
	case unix.S_IFLNK:
		kind = symlink
	default:
		kind = otherFile
	}
	return fileStat{kind, st.Size, st.Mtim.Nano(), st.Ctim.Nano(), st.Ino, st.Dev}, nil
}

// statOf is the fileStat of a regular file from os.Stat.
func statOf(fi os.FileInfo) fileStat {
	s := fileStat{kind: regularFile, size: fi.Size(), modTime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.cTime = st.Ctim.Nano()
		s.ino, s.dev = st.Ino, st.Dev
	}
	return s
}
