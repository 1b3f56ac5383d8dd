package corpus

import (
	"fmt"
	"hash/maphash"
	"io"
)

// Texts is a corpus whose texts are asked for by index, when needed, instead of being held:
// a scan of a corpus larger than memory reads each text again when it compares it. Text may
// be called from several goroutines at once.
type Texts interface {
	Len() int
	Text(i int) (string, error)
}

// DocumentTexts is Texts over documents held in memory.
type DocumentTexts []*Document

func (d DocumentTexts) Len() int                   { return len(d) }
func (d DocumentTexts) Text(i int) (string, error) { return d[i].Text, nil }

// Entry is what FileTexts keeps of one document between readings.
type Entry struct {
	Path     string // as in Source
	Encoding string // as in Document
	Chars    int    // code points of the text
	Bytes    int    // bytes of the text (UTF-8)
}

// FileTexts is Texts over files: Open reads every file once, keeping of each text only its
// size and a hash (and the texts themselves when they all fit Options.Hold), and Text reads
// and decodes the file again. A file whose decoded text is
// not the one read first (edited, replaced, or gone since) is an error naming it: a scan
// never mixes two versions of a document. Standard input, which cannot be read twice, is
// held whole.
type FileTexts struct {
	entries []Entry
	srcs    []Source
	sums    []uint64
	held    map[int]string // texts kept: standard input's, and all when they fit Options.Hold
	seed    maphash.Seed
	opt     Options
}

// Open lists the files under paths as Files does and reads them all as Load does (on
// opt.Jobs goroutines, warnings and skips in input order), keeping only what FileTexts
// needs to read each text again.
func Open(paths []string, stdin io.Reader, opt Options) (*FileTexts, []Skip, error) {
	f := &FileTexts{seed: maphash.MakeSeed(), held: map[int]string{}, opt: opt}
	f.opt.Warn, f.opt.Progress, f.opt.Ignored = nil, nil, nil // a second reading says nothing
	var held int64
	all := true // every text is held
	skips, err := load(paths, stdin, opt, func(src Source, d *Document) {
		i := len(f.entries)
		f.entries = append(f.entries, Entry{Path: d.Path, Encoding: d.Encoding, Chars: d.Chars(), Bytes: len(d.Text)})
		f.srcs = append(f.srcs, src)
		f.sums = append(f.sums, maphash.String(f.seed, d.Text))
		if src.Path == "-" || held+int64(len(d.Text)) <= opt.Hold {
			f.held[i] = d.Text
			held += int64(len(d.Text))
		} else {
			all = false
		}
	})
	if err != nil {
		return nil, skips, err
	}
	if !all {
		for i := range f.held {
			if f.srcs[i].Path != "-" {
				delete(f.held, i)
			}
		}
	}
	return f, skips, nil
}

// Len is the number of documents.
func (f *FileTexts) Len() int { return len(f.entries) }

// Entry returns what is kept of document i.
func (f *FileTexts) Entry(i int) Entry { return f.entries[i] }

// Bytes is the size of all the texts, in bytes.
func (f *FileTexts) Bytes() int64 {
	var n int64
	for _, e := range f.entries {
		n += int64(e.Bytes)
	}
	return n
}

// Text reads and decodes document i again.
func (f *FileTexts) Text(i int) (string, error) {
	if s, ok := f.held[i]; ok {
		return s, nil
	}
	doc, skip, err := Read(f.srcs[i], nil, f.opt)
	if err != nil {
		return "", err
	}
	path := f.entries[i].Path
	if skip != nil {
		return "", fmt.Errorf("%s changed during the scan: now %s", path, skip.Reason)
	}
	if len(doc.Text) != f.entries[i].Bytes || maphash.String(f.seed, doc.Text) != f.sums[i] {
		return "", fmt.Errorf("%s changed during the scan: its text is not the one read first", path)
	}
	return doc.Text, nil
}

// Documents returns documents that carry only the paths and encodings, not the texts, for
// what needs no more (a table of dates by path).
func (f *FileTexts) Documents() []*Document {
	docs := make([]*Document, len(f.entries))
	for i, e := range f.entries {
		docs[i] = &Document{Path: e.Path, Encoding: e.Encoding}
	}
	return docs
}
