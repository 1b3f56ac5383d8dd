// Package index keeps, in one file, what neardup check needs to know about a corpus without
// reading it: per document its path, size, modification time, a SHA-256 of its bytes, its
// SimHash fingerprint and the fingerprints of its seed clauses (match.Print), and the
// settings they were made with.
//
// The file is a versioned binary format with a CRC-32C over everything, written atomically
// (internal/atomicfile) under a lock file, so a reader sees a whole old or a whole new index
// and two writers take turns. A damaged file is an error, never used.
//
// Update brings an index up to date with the files on disk, deciding as git does which
// files may have changed: it re-reads only files whose size, modification time, change time,
// inode or device differ from what it recorded, or that were "racily clean" (modified too
// close to the last update for their times to prove anything), and re-fingerprints only
// those whose content hash changed; it adds new files and drops files that are gone. The
// change time is what catches an edit that kept the size and restored the modification
// time (touch -r, some sync tools): no program can set it.
//
// An index records the folder its paths are relative to (Root), so that a caller can refuse
// an index made for another corpus.
//
// Check answers the question of a gate: do these documents near-duplicate a document of the
// corpus (or each other), or copy a passage from one? It lives here, beside the index it
// queries, because the answer comes from the index: candidates are found with its
// fingerprints (Candidates), and only those are read from disk and verified on the text with
// scan.Run, so a check costs a handful of documents, not the corpus. Its result has the
// shape of a scan's, which package report renders; package baseline tells the findings a
// team has accepted from new ones.
package index

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/neardup/neardup/match"
)

// Settings are what the stored fingerprints depend on. Thresholds and distances are not
// among them: they are applied when the index is queried, so changing them needs no rebuild.
type Settings struct {
	N int // n-gram size in runes
	// Signature fingerprints a fixed probe text with the current code. It changes when
	// normalisation, hashing or clause cutting change, which makes fingerprints from an older
	// neardup incomparable even though N is the same.
	Signature uint64
	Encoding  string // forced input encoding, "" for detection
}

// CurrentSettings returns the Settings this build of neardup makes fingerprints with.
func CurrentSettings(n int, encoding string) Settings {
	opt := match.Resolved(match.Options{N: n})
	return Settings{N: opt.N, Signature: signature(opt.N), Encoding: encoding}
}

// probe exercises normalisation (widths, case, punctuation, spaces),
// clause cutting and seed selection.
const probe = "新华社北京５月１日电（记者 张三）ＡＢＣ Test，國務院總理主持召开常务会议；会议指出：要坚持稳中求进工作总基调！" +
	"Half-width, FULL-WIDTH and “quoted” text.\n第二段：经济运行总体平稳，稳中有进。"

func signature(n int) uint64 {
	p := match.Print(probe, match.Options{N: n})
	h := fnv.New64a()
	fmt.Fprintf(h, "%x %d", p.FP, p.Features)
	for _, c := range p.Clauses {
		fmt.Fprintf(h, " %d %d %x %x %t", c.Start, c.End, c.Hash, c.FP, c.Seed)
	}
	return h.Sum64()
}

// Clause is a seed clause of a document: one that can find candidates.
type Clause struct {
	Start, End int32  // code points of the original text
	Hash       uint64 // exact identity of the normalised clause text
	FP         uint64 // SimHash of the normalised clause text
	// DF is the number of indexed documents holding a seed clause with this Hash, so that
	// a check can skip stock phrases without counting them again.
	DF int32
}

// Entry is one file under the indexed roots.
type Entry struct {
	Path    string // slash-separated, relative to the index root
	Size    int64
	ModTime int64 // nanoseconds since 1970
	// CTime (nanoseconds), Ino and Dev are the file's change time, inode and device, as git
	// records them; 0 where the system does not tell them.
	CTime    int64
	Ino, Dev uint64
	Hash     [32]byte // SHA-256 of the raw bytes
	// Skip says why the file is not a document (binary, undecodable, ...). Such files are
	// kept so that an update does not read them again while they are unchanged.
	Skip     string
	FP       uint64
	Features int32
	// FirstClause and NumClauses place the entry's seed clauses in Index.Seeds; read
	// them with Index.Clauses.
	FirstClause, NumClauses int32
}

// Index is a loaded index.
type Index struct {
	Settings Settings
	// Root is the absolute folder that entry paths and relative roots are relative to: the
	// corpus this index is of.
	Root string
	// Roots are the paths the index was built from, slash-separated and relative to the
	// index root; an update walks them again.
	Roots []string
	// NoIgnoreVCS says that the walk reads what .gitignore leaves out (index
	// --no-ignore-vcs): the index records it so that later updates and checks walk the same
	// files, not drop the ones git ignores.
	NoIgnoreVCS bool
	// Written is when the walk that produced this index started. A file modified in the same
	// clock tick may look unchanged by size and time, so files not older than this are
	// hashed again on the next update (the "racily clean" case of git's index).
	Written int64
	Entries []Entry // sorted by Path, paths unique
	// Dirs are the folders under the roots, sorted by Path, stamped before the walk.
	Dirs []DirStamp
	// Seeds holds the seed clauses of all entries, entry after entry.
	Seeds ClauseTable

	// Slogans are the normalised texts of the corpus's slogans, as scan mines them (every
	// spelling that occurs), sorted: stock phrases that are not evidence of copying.
	// SlogansMined is the number of documents they were mined from, SlogansStale the
	// documents added, changed or removed since; Update mines again when that is more than
	// a tenth of them (see Options.Slogans).
	Slogans                    []string
	SlogansMined, SlogansStale int

	// v reads the file in place, for an index from Open (whose Entries, Dirs and Seeds are
	// then not decoded) or one that was encoded for a check.
	v *view
	// d is the delta read with the mapped main file (see DeltaFile): x is then their union.
	d *deltaPart
	// folded says that x was decoded with a delta applied: writing it replaces both files.
	folded bool
}

// Clauses returns a copy of e's seed clauses.
func (x *Index) Clauses(e *Entry) []Clause {
	out := make([]Clause, e.NumClauses)
	for i := range out {
		out[i] = x.Seeds.At(int(e.FirstClause) + i)
	}
	return out
}

// ClauseTable holds clauses column by column, in the little-endian form they have in the
// index file, so that a loaded index uses them where they lie: the hundreds of thousands
// of clauses of a large corpus are neither decoded nor copied, and a check reads only the
// columns it needs.
type ClauseTable struct {
	n int
	// Per clause: uint64 hash, uint64 fingerprint, uint32 document frequency, uint32
	// start and uint32 length in code points.
	hash, fp, df, start, length []byte
}

// clauseSize is the bytes a clause takes in the columns.
const clauseSize = 8 + 8 + 4 + 4 + 4

// Len is the number of clauses.
func (t *ClauseTable) Len() int { return t.n }

// Hash is the Hash of clause i.
func (t *ClauseTable) Hash(i int) uint64 { return binary.LittleEndian.Uint64(t.hash[8*i:]) }

// FP is the FP of clause i.
func (t *ClauseTable) FP(i int) uint64 { return binary.LittleEndian.Uint64(t.fp[8*i:]) }

// DF is the DF of clause i.
func (t *ClauseTable) DF(i int) int32 { return int32(binary.LittleEndian.Uint32(t.df[4*i:])) }

// At returns clause i.
func (t *ClauseTable) At(i int) Clause {
	start := int32(binary.LittleEndian.Uint32(t.start[4*i:]))
	return Clause{
		Start: start,
		End:   start + int32(binary.LittleEndian.Uint32(t.length[4*i:])),
		Hash:  t.Hash(i),
		FP:    t.FP(i),
		DF:    t.DF(i),
	}
}

func (t *ClauseTable) append(c Clause) {
	t.hash = binary.LittleEndian.AppendUint64(t.hash, c.Hash)
	t.fp = binary.LittleEndian.AppendUint64(t.fp, c.FP)
	t.df = binary.LittleEndian.AppendUint32(t.df, uint32(c.DF))
	t.start = binary.LittleEndian.AppendUint32(t.start, uint32(c.Start))
	t.length = binary.LittleEndian.AppendUint32(t.length, uint32(c.End-c.Start))
	t.n++
}

// Documents counts the entries that are documents (not skipped).
func (x *Index) Documents() int {
	if x.lazy() {
		if x.d != nil {
			return x.v.h.documents - x.d.maskedDocs + x.d.x.Documents()
		}
		return x.v.h.documents
	}
	n := 0
	for i := range x.Entries {
		if x.Entries[i].Skip == "" {
			n++
		}
	}
	return n
}

// Find returns the entry with this path, or nil.
func (x *Index) Find(path string) *Entry {
	if x.lazy() {
		if x.d != nil {
			if e := x.d.x.Find(path); e != nil {
				return e
			}
		}
		if i := x.v.find(path); i >= 0 && (x.d == nil || !x.d.maskedIdx[i]) {
			if e, err := x.v.entry(i); err == nil {
				return e
			}
		}
		return nil
	}
	lo, hi := 0, len(x.Entries)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x.Entries[m].Path < path {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(x.Entries) && x.Entries[lo].Path == path {
		return &x.Entries[lo]
	}
	return nil
}

// racy reports whether e's recorded stamps cannot be trusted to mean "unchanged": the file
// was modified so close to the moment the walk that recorded them started that a later
// edit could have kept the same times (the "racily clean" entries of git's index). Such a
// file is hashed again by the next update, which records it as settled once the window has
// passed.
func (x *Index) racy(e *Entry) bool {
	return e.ModTime >= x.Written-racyWindow(e.ModTime)
}

// racyWindow is how close to the walk a modification time must be to make an entry racy.
// The kernel stamps files from a clock that ticks every few milliseconds, so on a file
// system with sub-second times a tenth of a second is ample; a time in whole seconds may
// come from a file system that keeps two-second times (FAT), which needs two seconds.
func racyWindow(modTime int64) int64 {
	if modTime%int64(time.Second) == 0 {
		return int64(2 * time.Second)
	}
	return int64(100 * time.Millisecond)
}

// Racy counts the entries and folders that are racily clean, and says how long from now
// until they no longer would be if the index were updated again (for an index from Open,
// the count the file records, and no wait).
func (x *Index) Racy() (n int, settle time.Duration) {
	if x.lazy() {
		if x.d != nil {
			return x.d.racy, 0
		}
		return x.v.h.racy, 0
	}
	now := time.Now().UnixNano()
	count := func(modTime int64) {
		if modTime >= x.Written-racyWindow(modTime) {
			n++
			settle = max(settle, time.Duration(modTime+racyWindow(modTime)-now))
		}
	}
	for i := range x.Entries {
		count(x.Entries[i].ModTime)
	}
	for i := range x.Dirs {
		count(x.Dirs[i].modTime)
	}
	return n, settle
}

// sameDirs reports whether x and y record the same folders with the same stamps, none of
// them racily clean in x and settled in y.
func sameDirs(x, y *Index) bool {
	if len(x.Dirs) != len(y.Dirs) {
		return false
	}
	for i := range x.Dirs {
		a, b := &x.Dirs[i], &y.Dirs[i]
		if a.Path != b.Path || a.modTime != b.modTime || a.cTime != b.cTime || a.ino != b.ino || a.dev != b.dev ||
			(a.modTime >= x.Written-racyWindow(a.modTime) && b.modTime < y.Written-racyWindow(b.modTime)) {
			return false
		}
	}
	return true
}

// sameStamps reports whether e records exactly what a look at the disk found.
func (e *Entry) sameStamps(s *fileStat) bool {
	return e.Size == s.size && e.ModTime == s.modTime && e.CTime == s.cTime && e.Ino == s.ino && e.Dev == s.dev
}

// fileStat is what a stat says about a file.
type fileStat struct {
	kind           fileKind
	size           int64
	modTime, cTime int64
	ino, dev       uint64
}
