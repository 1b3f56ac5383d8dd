package index

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/spaolacci/murmur3"

	"github.com/neardup/neardup/internal/atomicfile"
	"github.com/neardup/neardup/simhash"
)

// The file layout, all integers little-endian, "uvarint" as in encoding/binary:
//
//	magic    8 bytes  "NEARDUPI"
//	version  uint32   FormatVersion
//	length   uint64   length of the whole file, so truncation is named as such
//	head     uvarint length, then:
//	  n uvarint, signature uint64, encoding string
//	  written int64
//	  root string
//	  roots: count uvarint, then strings
//	  walk flags uvarint: 1 when the walk reads what .gitignore leaves out
//	  entries, documents, clauses, racy entries and folders: uvarint each
//	  slogans: documents when mined uvarint, documents changed since uvarint
//	  block size uvarint, body length uvarint
//	  sections: count uvarint, then per section its offset and length in the body
//	head crc uint32   CRC-32C of the head
//	body, the sections:
//	  entries   per entry: path string, size uvarint, mtime int64, ctime int64,
//	            inode uvarint, device uvarint, sha256 [32]byte, skip string, fp uint64,
//	            features uvarint, clauses uvarint
//	  places    per entry: offset of its record in entries uint64, first clause uint32
//	  folders   per folder: path string, mtime int64, ctime int64, inode uvarint,
//	            device uvarint
//	  clauses   column by column, entry after entry: hash uint64, fp uint64, df uint32,
//	            start uint32, length uint32, entry uint32
//	  hashes    fan-out bits uint32, fan-out uint32 × (2^bits+1), then per clause, sorted
//	            by hash then clause: hash uint64, clause uint32
//	  bands     4 tables, each: fan-out bits uint32, fan-out, then per clause, sorted by
//	            one 16-bit quarter of its fingerprint (table t: bits 16t..16t+15) then
//	            clause: fp uint64, clause uint32
//	  docprints per document with enough features, in entry order: fp uint64, entry uint32
//	  slogans   fan-out bits uint32, fan-out, then per text, sorted by key: key uint64
//	            (the hash of its first sloganKeyRunes runes), offset uint32, length uint32
//	  slogantext the normalised texts, one after another
//	blocks   uint32 per block of blockSize bytes of everything before it: CRC-32C
//	blocks crc uint32   CRC-32C of the block checksums
//	crc      uint32   CRC-32C (Castagnoli) of everything before it
//
// A string is a uvarint length and that many bytes of UTF-8. The head has a checksum of its
// own so that what the index was built from can be trusted even when the rest is damaged:
// the index is then rebuilt from the same roots.
//
// A check reads only what its query needs, so that its cost does not grow with the corpus
// (see view): the head, a fan-out slot and a few sorted records per clause it looks up (as
// git's pack index is read), the records of the entries it hits, the document fingerprints.
// The checksum of the whole file is verified by Load, which reads everything anyway; a
// check verifies the block checksums of the blocks it reads instead, so damage is found
// where it would mislead, at a cost in proportion to what is read.
const (
	magic = "NEARDUPI"
	// FormatVersion changes whenever the layout does; an index of another version is
	// rebuilt, never read.
	FormatVersion = 6
	headerLen     = 8 + 4 + 8
	trailerLen    = 4 + 4   // blocks crc, crc
	blockSize     = 4 << 10 // a page: a check reads (and verifies) few bytes per place
)

// The sections of the body, in order.
const (
	secEntries = iota
	secPlaces
	secFolders
	secClauses
	secHashes
	secBands
	secDocPrints
	secSlogans
	secSloganText
	numSections
)

// bands is the number of band tables: two fingerprints within 3 bits agree on one of
// four 16-bit quarters; farther ones often do too (see candidates).
const bands = 4

// sloganKeyRunes is how many leading runes of a slogan text key it: the shortest slogan
// (slogan.DefaultMinQuotedChars).
const sloganKeyRunes = 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrDamaged is wrapped by the errors of Load for a file that is not a whole, valid index.
var ErrDamaged = errors.New("damaged index")

// ErrVersion is wrapped by Load's error for an index written by another format version.
var ErrVersion = errors.New("index format version differs")

// Encode appends the file form of x to dst.
func Encode(dst []byte, x *Index) []byte {
	start := len(dst)
	dst = append(dst, magic...)
	dst = binary.LittleEndian.AppendUint32(dst, FormatVersion)
	dst = binary.LittleEndian.AppendUint64(dst, 0) // length, filled in below

	body, secs := encodeBody(x)
	racy, _ := x.Racy()
	var head []byte
	head = binary.AppendUvarint(head, uint64(x.Settings.N))
	head = binary.LittleEndian.AppendUint64(head, x.Settings.Signature)
	head = appendString(head, x.Settings.Encoding)
	head = binary.LittleEndian.AppendUint64(head, uint64(x.Written))
	head = appendString(head, x.Root)
	head = binary.AppendUvarint(head, uint64(len(x.Roots)))
	for _, r := range x.Roots {
		head = appendString(head, r)
	}
	head = binary.AppendUvarint(head, walkFlags(x.NoIgnoreVCS))
	for _, v := range []int{len(x.Entries), x.Documents(), x.Seeds.n, racy, x.SlogansMined, x.SlogansStale, blockSize, len(body), numSections} {
		head = binary.AppendUvarint(head, uint64(v))
	}
	for _, s := range secs {
		head = binary.AppendUvarint(head, uint64(s[0]))
		head = binary.AppendUvarint(head, uint64(s[1]))
	}
	dst = binary.AppendUvarint(dst, uint64(len(head)))
	dst = append(dst, head...)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(head, castagnoli))
	dst = append(dst, body...)

	covered := dst[start:]
	blocks := (len(covered) + blockSize - 1) / blockSize
	binary.LittleEndian.PutUint64(dst[start+12:], uint64(len(covered)+4*blocks+trailerLen))
	table := make([]byte, 0, 4*blocks)
	for b := 0; b < blocks; b++ {
		table = binary.LittleEndian.AppendUint32(table, crc32.Checksum(covered[b*blockSize:min(len(covered), (b+1)*blockSize)], castagnoli))
	}
	dst = append(dst, table...)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(table, castagnoli))
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

// encodeBody lays out the sections; secs holds each one's offset and length.
func encodeBody(x *Index) (body []byte, secs [numSections][2]int) {
	mark := func(s int, from int) { secs[s] = [2]int{from, len(body) - from} }
	body = make([]byte, 0, 128*len(x.Entries)+(clauseSize+4+12+12*bands)*x.Seeds.n+20*len(x.Slogans)+8<<20)

	at := len(body)
	offsets := make([]uint64, len(x.Entries))
	for i := range x.Entries {
		e := &x.Entries[i]
		offsets[i] = uint64(len(body) - at)
		body = appendString(body, e.Path)
		body = binary.AppendUvarint(body, uint64(e.Size))
		body = binary.LittleEndian.AppendUint64(body, uint64(e.ModTime))
		body = binary.LittleEndian.AppendUint64(body, uint64(e.CTime))
		body = binary.AppendUvarint(body, e.Ino)
		body = binary.AppendUvarint(body, e.Dev)
		body = append(body, e.Hash[:]...)
		body = appendString(body, e.Skip)
		body = binary.LittleEndian.AppendUint64(body, e.FP)
		body = binary.AppendUvarint(body, uint64(e.Features))
		body = binary.AppendUvarint(body, uint64(e.NumClauses))
	}
	mark(secEntries, at)

	at = len(body)
	for i := range x.Entries {
		body = binary.LittleEndian.AppendUint64(body, offsets[i])
		body = binary.LittleEndian.AppendUint32(body, uint32(x.Entries[i].FirstClause))
	}
	mark(secPlaces, at)

	at = len(body)
	for i := range x.Dirs {
		d := &x.Dirs[i]
		body = appendString(body, d.Path)
		body = binary.LittleEndian.AppendUint64(body, uint64(d.modTime))
		body = binary.LittleEndian.AppendUint64(body, uint64(d.cTime))
		body = binary.AppendUvarint(body, d.ino)
		body = binary.AppendUvarint(body, d.dev)
	}
	mark(secFolders, at)

	at = len(body)
	t := &x.Seeds
	n := t.n
	owner := make([]uint32, n)
	for i := range x.Entries {
		e := &x.Entries[i]
		for j := e.FirstClause; j < e.FirstClause+e.NumClauses; j++ {
			owner[j] = uint32(i)
		}
	}
	for _, col := range [][]byte{t.hash, t.fp, t.df, t.start, t.length} {
		body = append(body, col...)
	}
	for _, o := range owner {
		body = binary.LittleEndian.AppendUint32(body, o)
	}
	mark(secClauses, at)

	at = len(body)
	// Sorted by counting on 16 bits, which keeps the clauses in order within a bucket, then
	// by the rest of the hash within each (small) bucket: an index is encoded on every
	// update, and sorting is most of the work.
	type hashRec struct {
		hash uint64
		c    uint32
	}
	recs := make([]hashRec, n)
	starts := countingOrder(n, func(i int) uint16 { return uint16(t.Hash(i) >> 48) }, func(i, at int) { recs[at] = hashRec{t.Hash(i), uint32(i)} })
	for k := 0; k+1 < len(starts); k++ {
		bucket := recs[starts[k]:starts[k+1]]
		slices.SortStableFunc(bucket, func(a, b hashRec) int { return cmp.Compare(a.hash, b.hash) })
	}
	hashBits := fanBits(n)
	body = appendFanout(body, hashBits, n, func(i int) uint64 { return recs[i].hash >> (64 - hashBits) })
	for _, r := range recs {
		body = binary.LittleEndian.AppendUint64(body, r.hash)
		body = binary.LittleEndian.AppendUint32(body, r.c)
	}
	mark(secHashes, at)

	at = len(body)
	bandBits := min(fanBits(n), 16)
	order := make([]uint32, n)
	for b := range bands {
		quarter := func(i int) uint16 { return uint16(t.FP(i) >> (16 * b)) }
		countingOrder(n, quarter, func(i, at int) { order[at] = uint32(i) })
		body = appendFanout(body, bandBits, n, func(i int) uint64 { return uint64(quarter(int(order[i]))) >> (16 - bandBits) })
		for _, c := range order {
			body = binary.LittleEndian.AppendUint64(body, t.FP(int(c)))
			body = binary.LittleEndian.AppendUint32(body, c)
		}
	}
	mark(secBands, at)

	at = len(body)
	for i := range x.Entries {
		e := &x.Entries[i]
		if e.Skip == "" && int(e.Features) >= simhash.MinFeatures {
			body = binary.LittleEndian.AppendUint64(body, e.FP)
			body = binary.LittleEndian.AppendUint32(body, uint32(i))
		}
	}
	mark(secDocPrints, at)

	at = len(body)
	texts := slices.Clone(x.Slogans)
	slices.SortFunc(texts, func(a, b string) int { return cmp.Or(cmp.Compare(sloganKey(a), sloganKey(b)), strings.Compare(a, b)) })
	texts = slices.Compact(texts)
	sloganBits := fanBits(len(texts))
	body = appendFanout(body, sloganBits, len(texts), func(i int) uint64 { return sloganKey(texts[i]) >> (64 - sloganBits) })
	off := 0
	for _, s := range texts {
		body = binary.LittleEndian.AppendUint64(body, sloganKey(s))
		body = binary.LittleEndian.AppendUint32(body, uint32(off))
		body = binary.LittleEndian.AppendUint32(body, uint32(len(s)))
		off += len(s)
	}
	mark(secSlogans, at)
	at = len(body)
	for _, s := range texts {
		body = append(body, s...)
	}
	mark(secSloganText, at)
	return body, secs
}

// countingOrder places 0..n-1 by a 16-bit key, in order within a key (a counting sort):
// put(i, at) is told where i goes. It returns where each key's run starts, and n.
func countingOrder(n int, key func(i int) uint16, put func(i, at int)) []int {
	starts := make([]int, 1<<16+1)
	for i := range n {
		starts[int(key(i))+1]++
	}
	for k := 1; k < len(starts); k++ {
		starts[k] += starts[k-1]
	}
	next := slices.Clone(starts[:1<<16])
	for i := range n {
		k := key(i)
		put(i, next[k])
		next[k]++
	}
	return starts
}

// fanBits is the fan-out of a table of n sorted records: about four records per slot.
func fanBits(n int) uint {
	return uint(min(max(bits.Len(uint(n))-2, 0), 24))
}

// appendFanout appends bits and the fan-out of n sorted records whose slot (key(i), below
// 2^bits) is ascending: entry s is the first record of slot s, entry 2^bits is n.
func appendFanout(dst []byte, bits uint, n int, key func(i int) uint64) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(bits))
	i := 0
	for s := uint64(0); s <= 1<<bits; s++ {
		for i < n && key(i) < s {
			i++
		}
		dst = binary.LittleEndian.AppendUint32(dst, uint32(i))
	}
	return dst
}

// sloganKey hashes the first sloganKeyRunes runes of a normalised text (all of it when
// shorter).
func sloganKey(s string) uint64 {
	n, end := 0, 0
	for end < len(s) && n < sloganKeyRunes {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	return murmur3.Sum64([]byte(s[:end]))
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Write replaces file with x, atomically, creating its folder if needed; x keeps the
// encoding for its queries, so it must not be changed afterwards. Callers that may race
// with another writer hold the Lock.
func (x *Index) Write(file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("writing index %s: %w", file, err)
	}
	data := Encode(nil, x)
	if err := atomicfile.Write(file, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil {
		return err
	}
	// The new main file holds what a delta beside it held; the delta, naming the old main
	// file, would be ignored anyway, and a run killed before this leaves no more than that.
	if err := os.Remove(DeltaFile(file)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("writing index %s: %w", file, err)
	}
	x.d, x.folded = nil, false
	// x keeps its encoding for queries: a check right after an update does not encode the
	// index again.
	if h, err := decodeHead(data); err == nil {
		if v, err := newView(data, h); err == nil {
			x.v = v
		}
	}
	return nil
}

// Load reads and verifies file. A missing file gives an error wrapping fs.ErrNotExist; a
// file that is not a whole, valid index one wrapping ErrDamaged (or ErrVersion), whose text
// names the file and says to rebuild it.
func Load(file string) (*Index, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w", file, err)
	}
	x, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	h, err := decodeHead(data)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	v, err := newView(data, h)
	if err != nil {
		return nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	p, err := readDelta(file, &Index{Settings: x.Settings, Root: x.Root, Roots: x.Roots, v: v})
	if err != nil {
		return nil, err
	}
	if p != nil {
		return mergeDelta(x, p), nil
	}
	return x, nil
}

// Open maps file for querying: it reads the head and the block checksums, nothing that
// grows with the documents but those, and returns an index whose Entries, Dirs and Seeds
// are not decoded (nil): Documents, Find, Candidates and Check read what they need from
// the mapping, and Update decodes the rest when it needs it. A damaged block is found when
// it is read (see Checked.Err). fresh tells whether the files under the roots are still the
// indexed ones: with opt.Quick it is QuickUnchanged, asked when called; otherwise the
// index is decoded whole and verified at once, the files are stated on another goroutine,
// and fresh waits for Unchanged's verdict. Open leaves no goroutine running when it
// returns an error.
//
// The file is memory-mapped where the system can (see mapFile); a file truncated in place
// by some other program while it is read is reported as damaged, not as a crash.
func Open(file string, opt Options) (x *Index, fresh func() bool, err error) {
	data, err := mapFile(file)
	if err != nil {
		return nil, nil, fmt.Errorf("reading index %s: %w", file, err)
	}
	defer func() {
		if err != nil && errors.Is(err, errFault) {
			x, fresh, err = nil, nil, fmt.Errorf("reading index %s: %w: the file changed while it was read; rebuild it with neardup index", file, ErrDamaged)
		}
	}()
	h, err := headGuarded(data)
	if err != nil {
		return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	var v *view
	if gerr := guard(func() error { v, err = newView(data, h); return nil }); gerr != nil {
		return nil, nil, gerr
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	x = &Index{Settings: h.Settings, Written: h.Written, Root: h.Root, Roots: h.Roots, NoIgnoreVCS: h.NoIgnoreVCS,
		SlogansMined: h.slogansMined, SlogansStale: h.slogansStale, v: v}
	p, err := readDelta(file, x)
	if err != nil {
		return nil, nil, err
	}
	if p != nil {
		x.withDelta(p)
	}
	if opt.Quick {
		return x, sync.OnceValue(func() bool { return x.QuickUnchanged(opt) }), nil
	}
	decoded := make(chan *Index, 1)
	verdict := make(chan bool, 1)
	go func() {
		stamps, ok := survey(h.Roots, opt, opt.Jobs)
		y := <-decoded
		verdict <- ok && y != nil && y.matches(stamps)
	}()
	y, err := decodeGuarded(data)
	if err == nil && p != nil {
		y = mergeDelta(y, p)
	} else if err == nil {
		y.v = v
	}
	decoded <- y
	if err != nil {
		<-verdict
		return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	return y, sync.OnceValue(func() bool { return <-verdict }), nil
}

// full returns x with everything decoded: x itself when it is, else the decoding of its
// mapping, verified whole.
func (x *Index) full() (*Index, error) {
	if !x.lazy() {
		return x, nil
	}
	if x.d != nil {
		return x.merged()
	}
	y, err := decodeGuarded(x.v.data)
	if err != nil {
		return nil, err
	}
	y.v = x.v
	return y, nil
}

// errFault is what the guarded decoders return when reading the mapping faulted: the file
// was truncated under it.
var errFault = errors.New("memory fault reading the mapped file")

// guard runs f, turning a memory fault (SIGBUS on a mapped file cut short) into errFault.
func guard(f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			err = errFault
		}
	}()
	return f()
}

func decodeGuarded(data []byte) (x *Index, err error) {
	if gerr := guard(func() error { x, err = Decode(data); return nil }); gerr != nil {
		return nil, gerr
	}
	return x, err
}

func headGuarded(data []byte) (h *Head, err error) {
	if gerr := guard(func() error { h, err = decodeHead(data); return nil }); gerr != nil {
		return nil, gerr
	}
	return h, err
}

// Head is what an index says about how it was built, without its entries.
type Head struct {
	Settings Settings
	Written  int64
	Root     string   // "" in indexes of format 2
	Roots    []string // as Index.Roots
	// NoIgnoreVCS is as Index.NoIgnoreVCS; false in formats before 6, which did not record
	// it.
	NoIgnoreVCS bool

	// Of the current format only: counts, and where the sections of the body lie.
	entries, documents, clauses, racy int
	slogansMined, slogansStale        int
	block, bodyStart, bodyLen         int
	secs                              [numSections][2]int
}

// ReadHead reads what the index file was built from, trusting only a part that is intact:
// it serves to rebuild a damaged index from the same roots. It reads the head of the
// current format, whose checksum is its own, the heads of formats 3 and 4 (checksummed
// too), and the roots of format 2 (unverified there, so only when they look like paths).
func ReadHead(file string) (*Head, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The head comes first and is small; a megabyte holds any list of roots.
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, err
	}
	if len(data) >= headerLen && string(data[:8]) == magic {
		switch v := binary.LittleEndian.Uint32(data[8:]); v {
		case 2:
			return headV2(data)
		case 3, 4, 5: // the head as in format 6, without counts and sections (3, 4) or walk flags
			return parseHead(data, v)
		}
	}
	return decodeHead(data)
}

// headV2 reads the head of an index of format 2, which had no checksum of its own.
func headV2(data []byte) (*Head, error) {
	d := decoder{buf: data[headerLen:]}
	h := &Head{}
	h.Settings.N = d.int()
	h.Settings.Signature = d.u64()
	h.Settings.Encoding = d.str()
	h.Written = int64(d.u64())
	h.Roots = make([]string, d.count(1))
	for i := range h.Roots {
		h.Roots[i] = d.str()
		if !utf8.ValidString(h.Roots[i]) || h.Roots[i] == "" || strings.ContainsRune(h.Roots[i], 0) {
			d.fail("bad root")
		}
	}
	if d.err != nil || len(h.Roots) == 0 {
		return nil, fmt.Errorf("%w: the list of roots is unreadable", ErrDamaged)
	}
	return h, nil
}

// decodeHead reads and verifies the head of an index file of the current format.
func decodeHead(data []byte) (*Head, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	return parseHead(data, FormatVersion)
}

// parseHead reads and verifies the head that follows the header, of format 3 or later.
func parseHead(data []byte, version uint32) (*Head, error) {
	d := decoder{buf: data[headerLen:]}
	n := d.int()
	head := d.bytes(n)
	sum := d.bytes(4)
	if d.err != nil {
		return nil, fmt.Errorf("%w: truncated in its head", ErrDamaged)
	}
	if crc32.Checksum(head, castagnoli) != binary.LittleEndian.Uint32(sum) {
		return nil, fmt.Errorf("%w: checksum mismatch in its head", ErrDamaged)
	}
	bodyStart := len(data) - len(d.buf)
	d = decoder{buf: head}
	h := &Head{bodyStart: bodyStart}
	h.Settings.N = d.int()
	h.Settings.Signature = d.u64()
	h.Settings.Encoding = d.str()
	h.Written = int64(d.u64())
	h.Root = d.str()
	h.Roots = make([]string, d.count(1))
	for i := range h.Roots {
		h.Roots[i] = d.str()
	}
	if version >= 6 {
		flags := d.int()
		if flags&^walkNoIgnoreVCS != 0 {
			d.fail("unknown walk flags")
		}
		h.NoIgnoreVCS = flags&walkNoIgnoreVCS != 0
	}
	if version >= 5 {
		h.entries, h.documents, h.clauses, h.racy = d.int(), d.int(), d.int(), d.int()
		h.slogansMined, h.slogansStale = d.int(), d.int()
		h.block, h.bodyLen = d.int(), d.size()
		if d.int() != numSections {
			d.fail("other sections")
		}
		for i := range h.secs {
			h.secs[i] = [2]int{d.size(), d.size()}
			if h.secs[i][0]+h.secs[i][1] > h.bodyLen {
				d.fail("a section outside the body")
			}
		}
		if h.block <= 0 {
			d.fail("no block size")
		}
	}
	if d.err != nil || len(d.buf) != 0 {
		return nil, fmt.Errorf("%w: bad head", ErrDamaged)
	}
	return h, nil
}

// checkHeader checks the magic and the version.
func checkHeader(data []byte) error {
	if len(data) < headerLen || string(data[:8]) != magic {
		if len(data) < 8 && string(data) == magic[:len(data)] {
			return fmt.Errorf("%w: truncated to %d bytes", ErrDamaged, len(data))
		}
		return fmt.Errorf("%w: not a neardup index", ErrDamaged)
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != FormatVersion {
		return &VersionError{v}
	}
	return nil
}

// walkNoIgnoreVCS is the walk flag of Index.NoIgnoreVCS.
const walkNoIgnoreVCS = 1

func walkFlags(noIgnoreVCS bool) uint64 {
	if noIgnoreVCS {
		return walkNoIgnoreVCS
	}
	return 0
}

// VersionError says that an index is of another format version; it wraps ErrVersion.
type VersionError struct{ Version uint32 }

func (e *VersionError) Error() string {
	return fmt.Sprintf("%v: the file has format version %d, this neardup reads version %d", ErrVersion, e.Version, FormatVersion)
}

func (e *VersionError) Unwrap() error { return ErrVersion }

// checkLength checks that data is as long as its header says.
func checkLength(data []byte) error {
	if len(data) < headerLen+trailerLen {
		return fmt.Errorf("%w: truncated to %d bytes", ErrDamaged, len(data))
	}
	if n := binary.LittleEndian.Uint64(data[12:]); n != uint64(len(data)) {
		if n > uint64(len(data)) {
			return fmt.Errorf("%w: truncated: %d of %d bytes", ErrDamaged, len(data), n)
		}
		return fmt.Errorf("%w: %d bytes, the header says %d", ErrDamaged, len(data), n)
	}
	return nil
}

// Decode parses and verifies the file form of an index, all of it.
func Decode(data []byte) (*Index, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	if err := checkLength(data); err != nil {
		return nil, err
	}
	body := data[:len(data)-4]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(data[len(body):]); got != want {
		return nil, fmt.Errorf("%w: checksum mismatch (crc32c %08x, stored %08x)", ErrDamaged, got, want)
	}
	h, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	if h.bodyStart+h.bodyLen > len(data)-trailerLen {
		return nil, fmt.Errorf("%w: body longer than the file", ErrDamaged)
	}
	sec := func(s int) []byte {
		at := h.bodyStart + h.secs[s][0]
		return data[at : at+h.secs[s][1] : at+h.secs[s][1]]
	}
	x := &Index{Settings: h.Settings, Written: h.Written, Root: h.Root, Roots: h.Roots, NoIgnoreVCS: h.NoIgnoreVCS,
		SlogansMined: h.slogansMined, SlogansStale: h.slogansStale}
	d := decoder{buf: sec(secEntries)}
	total := h.clauses
	x.Entries = make([]Entry, h.entries)
	first := 0
	for i := range x.Entries {
		e := &x.Entries[i]
		d.entryFields(e)
		n := d.int()
		if n > total-first {
			d.fail("more clauses than the total")
			break
		}
		e.FirstClause, e.NumClauses = int32(first), int32(n)
		first += n
		if i > 0 && x.Entries[i-1].Path >= e.Path {
			d.fail("entries out of order")
		}
		if d.err != nil {
			break
		}
	}
	if d.err == nil && (first != total || len(d.buf) != 0) {
		d.fail("fewer clauses than the total")
	}
	if d.err == nil {
		d = decoder{buf: sec(secFolders)}
		for len(d.buf) > 0 && d.err == nil {
			x.Dirs = append(x.Dirs, d.dirStamp())
		}
	}
	cols := sec(secClauses)
	if d.err == nil && len(cols) != total*(clauseSize+4) {
		d.fail("clause columns of the wrong length")
	}
	if d.err == nil {
		x.Slogans, err = decodeSlogans(sec(secSlogans), sec(secSloganText))
		if err != nil {
			d.fail(err.Error())
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, d.err)
	}
	// The columns stay where they are in data, capped so that appending copies them.
	t := &x.Seeds
	t.n = total
	d = decoder{buf: cols}
	t.hash = d.bytes(8 * total)
	t.fp = d.bytes(8 * total)
	t.df = d.bytes(4 * total)
	t.start = d.bytes(4 * total)
	t.length = d.bytes(4 * total)
	for _, col := range []*[]byte{&t.hash, &t.fp, &t.df, &t.start, &t.length} {
		*col = (*col)[:len(*col):len(*col)]
	}
	return x, nil
}

// decodeSlogans reads the slogan texts back, in the order of their table.
func decodeSlogans(table, texts []byte) ([]string, error) {
	if len(table) < 4 {
		return nil, errors.New("no slogan table")
	}
	bits := binary.LittleEndian.Uint32(table)
	fan := 4 * ((1 << bits) + 1)
	if bits > 24 || len(table) < 4+fan || (len(table)-4-fan)%16 != 0 {
		return nil, errors.New("bad slogan table")
	}
	recs := table[4+fan:]
	var out []string
	for i := 0; i < len(recs); i += 16 {
		off := int(binary.LittleEndian.Uint32(recs[i+8:]))
		n := int(binary.LittleEndian.Uint32(recs[i+12:]))
		if off+n > len(texts) {
			return nil, errors.New("slogan text outside its section")
		}
		out = append(out, string(texts[off:off+n]))
	}
	return out, nil
}

// decoder reads the body; after the first error every read returns zero values, so the
// caller checks once. The checksum makes these errors unlikely; they guard against a
// writer bug, not against random damage.
type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail(msg string) {
	if d.err == nil {
		d.err = errors.New(msg)
		d.buf = nil
	}
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail("bad number")
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) int() int {
	v := d.uvarint()
	if v > math.MaxInt32 {
		d.fail("number out of range")
		return 0
	}
	return int(v)
}

// size reads a length or offset in bytes, which may pass 2 GiB in a large index.
func (d *decoder) size() int {
	v := d.uvarint()
	if v > math.MaxInt {
		d.fail("size out of range")
		return 0
	}
	return int(v)
}

// count reads a list length, rejecting one that the rest of the data cannot hold.
func (d *decoder) count(minSize int) int {
	n := d.int()
	if n*minSize > len(d.buf) {
		d.fail("list longer than the file")
		return 0
	}
	return n
}

func (d *decoder) u64() uint64 {
	b := d.bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

func (d *decoder) bytes(n int) []byte {
	if len(d.buf) < n {
		d.fail("unexpected end")
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) str() string {
	n := d.int()
	return string(d.bytes(n))
}

// IsNotExist reports whether err says the index file does not exist.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// entryFields decodes an entry's record up to its clause count, which the entries section
// and a single entry read by offset follow differently.
func (d *decoder) entryFields(e *Entry) {
	e.Path = d.str()
	e.Size = int64(d.uvarint())
	e.ModTime = int64(d.u64())
	e.CTime = int64(d.u64())
	e.Ino = d.uvarint()
	e.Dev = d.uvarint()
	copy(e.Hash[:], d.bytes(32))
	e.Skip = d.str()
	e.FP = d.u64()
	e.Features = int32(d.int())
}

// dirStamp decodes one folder's stamps.
func (d *decoder) dirStamp() DirStamp {
	dir := DirStamp{Path: d.str()}
	dir.kind = directory
	dir.modTime = int64(d.u64())
	dir.cTime = int64(d.u64())
	dir.ino = d.uvarint()
	dir.dev = d.uvarint()
	return dir
}
