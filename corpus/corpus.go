// Package corpus turns the paths a user names into decoded documents, and
// says which inputs it left out and why. Package text normalises and cuts
// what it returns.
//
// Files walks paths into a sorted list of Sources, Read decodes one Source
// into a Document (detecting its encoding, reducing HTML to its visible
// text) or says why it was skipped, and Load does both for all of them.
// A program that already holds its texts builds Documents directly, or
// decodes bytes of unknown encoding with FromBytes and a reader with FromReader.
//
// Nothing here prints: skipped files are returned as Skips and reported
// through Options.Warn.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/neardup/neardup/internal/parallel"
)

// MaxFileSize is the default limit on the size of one input file. Larger
// files are skipped without being read: a corpus of articles has no
// document that big, and a file that big is nearly always a dump or a mistake.
const MaxFileSize = 64 << 20

// Source is a file to read. Path "-" is standard input.
type Source struct {
	Path string // as the user gave it; a file under a folder: filepath.Join(folder, rel)
	Size int64  // from the walk; 0 for stdin
}

// Document is one decoded input.
type Document struct {
	Path     string // as in Source
	Text     string // decoded original text, UTF-8; for .html/.htm the visible text
	Encoding string // "utf-8", "utf-16le", "gb18030", "big5", "shift_jis", "windows-1252", ...
}

// Skip is an input that was left out, with a short reason. Reports list it as it is.
type Skip struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Options control reading. The zero value reads with detection, the
// default size limit and no warnings.
type Options struct {
	Encoding    string           // force this encoding (see Encodings); "" detects
	MaxFileSize int64            // skip larger files; 0 means MaxFileSize
	Warn        func(msg string) // one line per skipped file or doubtful decoding; may be nil
	// NoIgnoreVCS walks folders whole. Otherwise a folder inside a git work tree is walked
	// as git sees it: what .gitignore leaves out is not read (see vcsFiles).
	NoIgnoreVCS bool
	// Ignored, when set, is told how many entries git ignores under each folder walked,
	// instead of a warning through Warn; an index kept up to date by a pre-commit hook
	// stays quiet about them.
	Ignored func(folder string, entries int)
	// Progress, when set, is called by Load before each file it reads and once at the end,
	// with the files read so far and the files to read, on the goroutine that called Load.
	// With Jobs above 1 it is called after each batch of files instead.
	Progress func(done, total int)
	// Jobs is how many files Load reads and decodes at once; 0 means 1. Warnings, skips and
	// documents still come in input order, on the goroutine that called Load.
	Jobs int
	// Hold is how many bytes of text Open may keep in memory: when all the texts fit, it
	// keeps them, since reading a file again costs more than keeping its text (a scan reads
	// each text three or four times); when they do not, it keeps none, as a scan then reads
	// texts again a budget's worth at a time and a share held besides would only raise its
	// peak. 0 keeps none.
	Hold int64
}

func (opt Options) maxSize() int64 {
	if opt.MaxFileSize > 0 {
		return opt.MaxFileSize
	}
	return MaxFileSize
}

func (opt Options) warnf(format string, args ...any) {
	if opt.Warn != nil {
		opt.Warn(fmt.Sprintf(format, args...))
	}
}

func (opt Options) skip(path, reason string) Skip {
	opt.warnf("skipping %s: %s", path, reason)
	return Skip{Path: path, Reason: reason}
}

// errMissing is a named path that does not exist, said in plain words (and still
// fs.ErrNotExist to errors.Is).
var errMissing = missingError{}

type missingError struct{}

func (missingError) Error() string { return "no such file or folder" }
func (missingError) Unwrap() error { return fs.ErrNotExist }

// fileID identifies a file across links.
type fileID struct{ dev, ino uint64 }

// Files lists the files to read under paths, in the order given and each
// folder in sorted order. Hidden files and folders (name starting with '.')
// inside a folder are left out silently, and so, inside a git work tree, are
// the files git ignores (unless opt.NoIgnoreVCS; one warning says how many).
// Symbolic links to files are followed, and a file reached twice (through a
// link or a hard link, or named twice) is listed once; links to folders are
// not followed, so loops cannot happen. A path that does not exist is an error.
func Files(paths []string, opt Options) ([]Source, []Skip, error) {
	w := walker{opt: opt, seen: map[fileID]string{}}
	stdinNamed := false
	for _, p := range paths {
		if p == "-" {
			// Standard input can be read once; a second "-" would read nothing.
			if stdinNamed {
				w.skips = append(w.skips, opt.skip(p, "standard input named twice, read once"))
				continue
			}
			stdinNamed = true
			w.srcs = append(w.srcs, Source{Path: "-"})
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("reading %s: %w", p, errMissing)
			}
			if errors.Is(err, fs.ErrPermission) {
				w.skips = append(w.skips, opt.skip(p, "unreadable: permission denied"))
				continue
			}
			return nil, nil, fmt.Errorf("reading %s: %w", p, err)
		}
		if fi.IsDir() {
			if err := w.dir(p); err != nil {
				return nil, nil, err
			}
			continue
		}
		w.file(p, fi)
	}
	return w.srcs, w.skips, nil
}

type walker struct {
	opt   Options
	seen  map[fileID]string
	srcs  []Source
	skips []Skip
}

// file adds one file that Stat (links followed) described as fi.
func (w *walker) file(path string, fi fs.FileInfo) {
	if !fi.Mode().IsRegular() {
		w.skips = append(w.skips, w.opt.skip(path, "not a regular file"))
		return
	}
	if id, ok := idOf(fi); ok {
		if first, dup := w.seen[id]; dup {
			w.skips = append(w.skips, w.opt.skip(path, "same file as "+first))
			return
		}
		w.seen[id] = path
	}
	if fi.Size() > w.opt.maxSize() {
		w.skips = append(w.skips, w.opt.skip(path, fmt.Sprintf("larger than %s", byteSize(w.opt.maxSize()))))
		return
	}
	if fi.Size() == 0 {
		w.skips = append(w.skips, w.opt.skip(path, "empty"))
		return
	}
	w.srcs = append(w.srcs, Source{Path: path, Size: fi.Size()})
}

func (w *walker) dir(root string) error {
	// WalkDir does not follow a root that is a link; "link/." makes it.
	walkRoot := root
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator) + "."
	}
	var vcs *vcsView
	if !w.opt.NoIgnoreVCS {
		vcs = vcsFiles(walkRoot, w.opt.warnf)
	}
	ignored := 0
	defer func() {
		switch {
		case w.opt.Ignored != nil:
			if ignored > 0 {
				w.opt.Ignored(root, ignored)
			}
		case ignored == 1:
			w.opt.warnf("%s: left out 1 file or folder that git ignores", root)
		case ignored > 1:
			w.opt.warnf("%s: left out %d files or folders that git ignores", root, ignored)
		}
	}()
	return filepath.WalkDir(walkRoot, func(path string, d fs.DirEntry, err error) error {
		if err == nil && vcs != nil && path != walkRoot {
			rel, rerr := filepath.Rel(walkRoot, path)
			if rerr == nil && !strings.HasPrefix(d.Name(), ".") {
				rel = filepath.ToSlash(rel)
				if d.IsDir() && !vcs.keepDir(rel) {
					ignored++
					return filepath.SkipDir
				}
				if !d.IsDir() && !vcs.keepFile(rel) {
					ignored++
					return nil
				}
			}
		}
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				w.skips = append(w.skips, w.opt.skip(path, "unreadable: permission denied"))
				return nil
			}
			return fmt.Errorf("reading %s: %w", path, err)
		}
		if path != walkRoot && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(path)
			switch {
			case errors.Is(err, syscall.ELOOP):
				w.skips = append(w.skips, w.opt.skip(path, "symbolic link loop"))
			case errors.Is(err, fs.ErrNotExist):
				w.skips = append(w.skips, w.opt.skip(path, "broken symbolic link"))
			case err != nil:
				w.skips = append(w.skips, w.opt.skip(path, "unreadable: "+errText(err)))
			case fi.IsDir():
				w.skips = append(w.skips, w.opt.skip(path, "symbolic link to a folder, not followed"))
			default:
				w.file(path, fi)
			}
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			w.skips = append(w.skips, w.opt.skip(path, "unreadable: "+errText(err)))
			return nil
		}
		w.file(path, fi)
		return nil
	})
}

// errText is the cause of a path error without the path, which the Skip names.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read reads and decodes one source. A file that cannot be a text document
// (binary, empty, too large, unreadable, not a regular file) gives a Skip,
// not an error; errors are for failures that should stop the run.
func Read(src Source, stdin io.Reader, opt Options) (*Document, *Skip, error) {
	data, skip, err := readBytes(src, stdin, opt)
	if skip != nil || err != nil {
		return nil, skip, err
	}
	return decodeDocument(src.Path, data, opt)
}

func readBytes(src Source, stdin io.Reader, opt Options) ([]byte, *Skip, error) {
	limit := opt.maxSize()
	skipped := func(reason string) ([]byte, *Skip, error) {
		s := opt.skip(src.Path, reason)
		return nil, &s, nil
	}
	var r io.Reader
	hint := int64(512) // what io.ReadAll starts with when the size is unknown
	if src.Path == "-" {
		if stdin == nil {
			return nil, nil, errors.New("reading -: no standard input")
		}
		r = stdin
	} else {
		f, err := os.Open(src.Path)
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				return skipped("unreadable: permission denied")
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, nil, fmt.Errorf("reading %s: %w", src.Path, errMissing)
			}
			return nil, nil, fmt.Errorf("reading %s: %w", src.Path, err)
		}
		defer f.Close()
		// The file may have changed since the walk, or come straight from
		// Read without Files: check again before reading.
		fi, err := f.Stat()
		if err != nil {
			return nil, nil, fmt.Errorf("reading %s: %w", src.Path, err)
		}
		if !fi.Mode().IsRegular() {
			return skipped("not a regular file")
		}
		if fi.Size() > limit {
			return skipped("larger than " + byteSize(limit))
		}
		r = f
		hint = fi.Size()
	}
	data, err := readAll(io.LimitReader(r, limit+1), hint)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return skipped("unreadable: permission denied")
		}
		if errors.Is(err, syscall.EISDIR) {
			return skipped("not a regular file")
		}
		return nil, nil, fmt.Errorf("reading %s: %w", src.Path, err)
	}
	if int64(len(data)) > limit {
		return skipped("larger than " + byteSize(limit))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return skipped("empty")
	}
	return data, nil, nil
}

// readAll is io.ReadAll starting from room for size bytes and the read that finds the end,
// so that a file whose size is known is read into one allocation instead of a series of
// doubling ones (about three times the corpus in garbage).
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the file grew since the stat: let append pick the room
		}
	}
}

// FromBytes decodes data as the file at path would be (encoding detected, HTML reduced to
// its visible text when path ends in .html or .htm), for a program that holds bytes rather
// than files. The Skip says why data is not a text document.
func FromBytes(path string, data []byte, opt Options) (*Document, *Skip, error) {
	if int64(len(data)) > opt.maxSize() {
		s := opt.skip(path, "larger than "+byteSize(opt.maxSize()))
		return nil, &s, nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		s := opt.skip(path, "empty")
		return nil, &s, nil
	}
	return decodeDocument(path, data, opt)
}

// FromReader reads r to its end and decodes it as FromBytes does, reading no more than
// the size limit allows.
func FromReader(path string, r io.Reader, opt Options) (*Document, *Skip, error) {
	data, err := readAll(io.LimitReader(r, opt.maxSize()+1), 512)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return FromBytes(path, data, opt)
}

// Load lists the files under paths and reads them all, in order.
func Load(paths []string, stdin io.Reader, opt Options) ([]*Document, []Skip, error) {
	var docs []*Document
	skips, err := load(paths, stdin, opt, func(_ Source, d *Document) { docs = append(docs, d) })
	if err != nil {
		return nil, skips, err
	}
	if docs == nil {
		docs = []*Document{}
	}
	return docs, skips, nil
}

// load lists the files under paths and reads them all, handing each document to add in
// input order, on the goroutine that called it.
func load(paths []string, stdin io.Reader, opt Options, add func(Source, *Document)) ([]Skip, error) {
	if _, err := lookupEncoding(opt.Encoding); err != nil {
		return nil, err
	}
	srcs, skips, err := Files(paths, opt)
	if err != nil {
		return skips, err
	}
	if opt.Jobs > 1 {
		return loadParallel(srcs, skips, stdin, opt, add)
	}
	for i, src := range srcs {
		if opt.Progress != nil {
			opt.Progress(i, len(srcs))
		}
		doc, skip, err := Read(src, stdin, opt)
		if err != nil {
			return skips, err
		}
		if skip != nil {
			skips = append(skips, *skip)
			continue
		}
		add(src, doc)
	}
	if opt.Progress != nil {
		opt.Progress(len(srcs), len(srcs))
	}
	return skips, nil
}

// loadBatch is how many files loadParallel reads before it hands on their warnings and
// reports progress: small enough for the bar to move, large enough to keep the workers fed.
const loadBatch = 256

// loadParallel is load's reading on opt.Jobs goroutines. Each file's warnings are held
// with its result and passed on in input order, so the output is that of the serial load;
// the first error in input order stops it.
func loadParallel(srcs []Source, skips []Skip, stdin io.Reader, opt Options, add func(Source, *Document)) ([]Skip, error) {
	type read struct {
		doc   *Document
		skip  *Skip
		err   error
		warns []string
	}
	results := make([]read, min(loadBatch, len(srcs)))
	for lo := 0; lo < len(srcs); lo += loadBatch {
		if opt.Progress != nil {
			opt.Progress(lo, len(srcs))
		}
		batch := srcs[lo:min(lo+loadBatch, len(srcs))]
		parallel.For(len(batch), opt.Jobs, func(i int) {
			r := &results[i]
			*r = read{}
			o := opt
			o.Warn = nil
			if opt.Warn != nil {
				o.Warn = func(msg string) { r.warns = append(r.warns, msg) }
			}
			r.doc, r.skip, r.err = Read(batch[i], stdin, o)
		})
		for i, r := range results[:len(batch)] {
			for _, w := range r.warns {
				opt.Warn(w)
			}
			switch {
			case r.err != nil:
				return skips, r.err
			case r.skip != nil:
				skips = append(skips, *r.skip)
			default:
				add(batch[i], r.doc)
			}
		}
		clear(results) // the texts go with add, not with the buffer
	}
	if opt.Progress != nil {
		opt.Progress(len(srcs), len(srcs))
	}
	return skips, nil
}
