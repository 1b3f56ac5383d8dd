package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/atomicfile"
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
//	head crc uint32   CRC-32C of the head
//	body:
//	  entries: count uvarint, total clauses uvarint, then per entry:
//	    path string, size uvarint, mtime int64, ctime int64, inode uvarint,
//	    device uvarint, sha256 [32]byte, skip string, fp uint64, features uvarint,
//	    clauses uvarint
//	  folders: count uvarint, then per folder:
//	    path string, mtime int64, ctime int64, inode uvarint, device uvarint
//	  clauses, column by column, each column holding all clauses entry after entry:
//	    hash uint64, fp uint64, df uint32, start uint32, length uint32
//	crc      uint32   CRC-32C (Castagnoli) of everything before it
//
// A string is a uvarint length and that many bytes of UTF-8. The head has a checksum of its
// own so that what the index was built from can be trusted even when the rest is damaged:
// the index is then rebuilt from the same roots. The clauses are fixed-width
// columns rather than records of varints because they are nine tenths of an index: a
// loaded index uses them in place (ClauseTable), and a check reads the hash, fingerprint
// and df columns without decoding anything.
const (
	magic = "NEARDUPI"
	// FormatVersion changes whenever the layout does; an index of another version is
	// rebuilt, never read.
	FormatVersion = 4
	headerLen     = 8 + 4 + 8
	trailerLen    = 4
)

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
	dst = binary.AppendUvarint(dst, uint64(len(head)))
	dst = append(dst, head...)
	dst = binary.LittleEndian.AppendUint32(dst, crc32.Checksum(head, castagnoli))

	dst = binary.AppendUvarint(dst, uint64(len(x.Entries)))
	dst = binary.AppendUvarint(dst, uint64(x.Seeds.n))
	for i := range x.Entries {
		e := &x.Entries[i]
		dst = appendString(dst, e.Path)
		dst = binary.AppendUvarint(dst, uint64(e.Size))
		dst = binary.LittleEndian.AppendUint64(dst, uint64(e.ModTime))
		dst = binary.LittleEndian.AppendUint64(dst, uint64(e.CTime))
		dst = binary.AppendUvarint(dst, e.Ino)
		dst = binary.AppendUvarint(dst, e.Dev)
		dst = append(dst, e.Hash[:]...)
		dst = appendString(dst, e.Skip)
		dst = binary.LittleEndian.AppendUint64(dst, e.FP)
		dst = binary.AppendUvarint(dst, uint64(e.Features))
		dst = binary.AppendUvarint(dst, uint64(e.NumClauses))
	}
	dst = binary.AppendUvarint(dst, uint64(len(x.Dirs)))
	for i := range x.Dirs {
		d := &x.Dirs[i]
		dst = appendString(dst, d.Path)
		dst = binary.LittleEndian.AppendUint64(dst, uint64(d.modTime))
		dst = binary.LittleEndian.AppendUint64(dst, uint64(d.cTime))
		dst = binary.AppendUvarint(dst, d.ino)
		dst = binary.AppendUvarint(dst, d.dev)
	}
	t := &x.Seeds
	for _, col := range [][]byte{t.hash, t.fp, t.df, t.start, t.length} {
		dst = append(dst, col...)
	}
	binary.LittleEndian.PutUint64(dst[start+12:], uint64(len(dst)-start+trailerLen))
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// Write replaces file with x, atomically, creating its folder if needed. Callers that may
// race with another writer hold the Lock.
func (x *Index) Write(file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("writing index %s: %w", file, err)
	}
	data := Encode(nil, x)
	return atomicfile.Write(file, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
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
	return x, nil
}

// Open is Load followed by Unchanged, done at once: the files under the roots are stated
// on another goroutine while the index is verified and decoded. fresh waits for that
// verdict, which is Unchanged's. Open leaves no goroutine running when it returns an error.
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
	// The roots are taken from the head, which has its own checksum; the rest is verified
	// meanwhile, and a damaged file fails the decoding below, whose verdict is then not used.
	h, err := headGuarded(data)
	if err != nil {
		return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	if opt.Quick {
		// A few stats after the decoding: nothing to overlap.
		x, err := decodeGuarded(data)
		if err != nil {
			return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
		}
		return x, sync.OnceValue(func() bool { return x.QuickUnchanged(opt) }), nil
	}
	decoded := make(chan *Index, 1)
	verdict := make(chan bool, 1)
	go func() {
		stamps, ok := survey(h.Roots, opt, opt.Jobs)
		x := <-decoded
		verdict <- ok && x != nil && x.matches(stamps)
	}()
	x, err = decodeGuarded(data)
	decoded <- x
	if err != nil {
		<-verdict
		return nil, nil, fmt.Errorf("reading index %s: %w; rebuild it with neardup index", file, err)
	}
	return x, sync.OnceValue(func() bool { return <-verdict }), nil
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
}

// ReadHead reads what the index file was built from, trusting only a part that is intact:
// it serves to rebuild a damaged index from the same roots. It reads the head of the
// current format, whose checksum is its own, and the roots of format 2 (unverified there,
// so only when they look like paths).
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
		switch binary.LittleEndian.Uint32(data[8:]) {
		case 2:
			return headV2(data)
		case 3: // the head as now, before folders were recorded
			return parseHead(data)
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
	return parseHead(data)
}

// parseHead reads and verifies the head that follows the header, of format 3 or later.
func parseHead(data []byte) (*Head, error) {
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
	d = decoder{buf: head}
	h := &Head{}
	h.Settings.N = d.int()
	h.Settings.Signature = d.u64()
	h.Settings.Encoding = d.str()
	h.Written = int64(d.u64())
	h.Root = d.str()
	h.Roots = make([]string, d.count(1))
	for i := range h.Roots {
		h.Roots[i] = d.str()
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
		return fmt.Errorf("%w: file has version %d, this neardup reads version %d", ErrVersion, v, FormatVersion)
	}
	return nil
}

// Decode parses and verifies the file form of an index.
func Decode(data []byte) (*Index, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	if len(data) < headerLen+trailerLen {
		return nil, fmt.Errorf("%w: truncated to %d bytes", ErrDamaged, len(data))
	}
	if n := binary.LittleEndian.Uint64(data[12:]); n != uint64(len(data)) {
		if n > uint64(len(data)) {
			return nil, fmt.Errorf("%w: truncated: %d of %d bytes", ErrDamaged, len(data), n)
		}
		return nil, fmt.Errorf("%w: %d bytes, the header says %d", ErrDamaged, len(data), n)
	}
	body := data[:len(data)-trailerLen]
	if got, want := crc32.Checksum(body, castagnoli), binary.LittleEndian.Uint32(data[len(body):]); got != want {
		return nil, fmt.Errorf("%w: checksum mismatch (crc32c %08x, stored %08x)", ErrDamaged, got, want)
	}
	h, err := decodeHead(data)
	if err != nil {
		return nil, err
	}
	d := decoder{buf: body[headerLen:]}
	d.bytes(d.int() + 4) // the head, read above
	x := &Index{Settings: h.Settings, Written: h.Written, Root: h.Root, Roots: h.Roots}
	// Each entry takes at least 32 bytes of hash.
	x.Entries = make([]Entry, d.count(32))
	total := d.count(clauseSize)
	first := 0
	for i := range x.Entries {
		e := &x.Entries[i]
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
	if d.err == nil && first != total {
		d.fail("fewer clauses than the total")
	}
	if d.err == nil {
		x.Dirs = make([]DirStamp, d.count(1+8+8+1+1))
		for i := range x.Dirs {
			dir := &x.Dirs[i]
			dir.Path = d.str()
			dir.kind = directory
			dir.modTime = int64(d.u64())
			dir.cTime = int64(d.u64())
			dir.ino = d.uvarint()
			dir.dev = d.uvarint()
		}
	}
	if d.err == nil && len(d.buf) != total*clauseSize {
		d.fail("clause columns of the wrong length")
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, d.err)
	}
	// The columns stay where they are in data, capped so that appending copies them.
	t := &x.Seeds
	t.n = total
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
