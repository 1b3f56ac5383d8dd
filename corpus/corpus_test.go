package corpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Texts written for these tests.
const (
	zhText   = "新华社北京电，国务院总理主持召开国务院常务会议，部署推进高质量发展。会议指出，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念。\n"
	zhShort  = "你好，世界。\n"
	big5Text = "中華民國的首都是臺北市。這座城市擁有許多歷史悠久的廟宇、熱鬧的夜市與現代化的建築。每年都有大量觀光客前來旅遊，品嘗當地美食。\n"
	sjisText = "日本語のテキストです。東京は日本の首都であり、多くの人々が暮らしています。春には桜が咲き、秋には紅葉が美しい。\n"
	enText   = "The café’s “special” menu – naïve, isn’t it? Prices start at €5… or so.\r\nSee you there.\r\n"
)

func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding test text: %v", err)
	}
	return b
}

func mustEncode(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// fileTests are files with the content given, read with default options.
// Each expects a document (encoding and text) or a skip (reason prefix).
var fileTests = []struct {
	name     string
	data     []byte
	encoding string // expected document encoding, or "" for a skip
	text     string // expected text
	skip     string // expected skip reason prefix
}{
	{name: "empty.txt", data: []byte{}, skip: "empty"},
	{name: "spaces.txt", data: []byte(" \r\n\t\n"), skip: "empty"},
	{name: "binary.png", data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"), skip: "binary (contains NUL bytes)"},
	{name: "nul-in-text.txt", data: []byte("an ordinary line\x00 with a NUL in it\n"), skip: "binary (contains NUL bytes)"},
	{name: "controls.bin", data: bytes.Repeat([]byte("\x01\x02\x03\x1b[0m\x04"), 50), skip: "binary (mostly not text)"},
	{name: "random-high.bin", data: []byte("\x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\xff\xfe\xfd\x81\x8d"), skip: "binary (not text in any known encoding)"},
	{name: "utf8.txt", data: []byte(zhText), encoding: "utf-8", text: zhText},
	{name: "utf8-bom.txt", data: append([]byte("\xEF\xBB\xBF"), zhText...), encoding: "utf-8", text: zhText},
	{name: "invalid-utf8.txt", data: []byte("Caf\xe9 au lait, s'il vous pla\xeet.\n"), encoding: "windows-1252", text: "Café au lait, s'il vous plaît.\n"},
	// UTF-8 with two stray bytes stays UTF-8: its Chinese must not become mojibake.
	{name: "stray-bytes-utf8.txt", data: []byte("abc\xff\xfe " + zhText), encoding: "utf-8", text: "abc\ufffd " + zhText},
	{name: "utf16le-bom.txt", data: append([]byte{0xFF, 0xFE}, mustEncode(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), zhText)...), encoding: "utf-16le", text: zhText},
	{name: "utf16be-bom.txt", data: append([]byte{0xFE, 0xFF}, mustEncode(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), zhText)...), encoding: "utf-16be", text: zhText},
	{name: "utf16le-nobom.txt", data: mustEncode(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), enText), encoding: "utf-16le", text: enText},
	// Chinese in UTF-16 has too few NUL bytes to be told by them; its characters tell it.
	{name: "utf16le-nobom-zh.txt", data: mustEncode(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), zhText), encoding: "utf-16le", text: zhText},
	{name: "utf16be-nobom-zh.txt", data: mustEncode(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), sjisText), encoding: "utf-16be", text: sjisText},
	// Pairs of ASCII letters read as UTF-16 are Han characters: English with a NUL stays binary.
	{name: "nul-in-even-text.txt", data: []byte("abc\x00def hello world\n"), skip: "binary (contains NUL bytes)"},
	{name: "gbk.txt", data: mustEncode(simplifiedchinese.GBK, zhText), encoding: "gb18030", text: zhText},
	{name: "gbk-short.txt", data: mustEncode(simplifiedchinese.GBK, zhShort), encoding: "gb18030", text: zhShort},
	{name: "big5.txt", data: mustEncode(traditionalchinese.Big5, big5Text), encoding: "big5", text: big5Text},
	{name: "shift_jis.txt", data: mustEncode(japanese.ShiftJIS, sjisText), encoding: "shift_jis", text: sjisText},
	{name: "cp1252.txt", data: mustEncode(charmap.Windows1252, enText), encoding: "windows-1252", text: enText},
	{name: "page.html", data: []byte(`<!DOCTYPE html><html><head><title>Not shown</title><style>p{color:red}</style>
<script>var s = "<p>not text</p>";</script></head>
<body><h1>标题 &amp; 副题</h1><p>第一段
  接着写。</p><noscript>no</noscript><template><p>hidden</p></template><div>第二段&nbsp;&lt;b&gt;</div></body></html>`),
		encoding: "utf-8", text: "标题 & 副题\n第一段 接着写。\n第二段\u00a0<b>\n"},
	{name: "page-gbk.htm", data: append([]byte(`<html><head><meta charset="gb2312"></head><body><p>`), append(mustEncode(simplifiedchinese.GBK, "你好"), "</p></body></html>"...)...),
		encoding: "gb18030", text: "你好\n"},
	{name: "script-only.html", data: []byte("<script>alert(1)</script>"), skip: "no visible text"},
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range fileTests {
		if err := os.WriteFile(filepath.Join(dir, tt.name), tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A hidden file and folder, never listed.
	must(t, os.WriteFile(filepath.Join(dir, ".hidden.txt"), []byte("hidden"), 0o644))
	must(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: x"), 0o644))
	// Links: a loop, a link to a file in the tree, a link to the folder itself.
	must(t, os.Symlink("loop-b", filepath.Join(dir, "loop-a")))
	must(t, os.Symlink("loop-a", filepath.Join(dir, "loop-b")))
	must(t, os.Symlink("utf8.txt", filepath.Join(dir, "zz-link-to-utf8.txt")))
	must(t, os.Symlink(".", filepath.Join(dir, "zz-self")))
	// A huge line, and a file over the limit.
	huge := strings.Repeat("长行", 1<<20) + "\n" // 6 MiB on one line
	must(t, os.WriteFile(filepath.Join(dir, "huge-line.txt"), []byte(huge), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "too-big.txt"), bytes.Repeat([]byte("a"), 8<<20+1), 0o644))
	// An unreadable file: root reads it anyway, so expect what is true.
	locked := filepath.Join(dir, "locked.txt")
	must(t, os.WriteFile(locked, []byte("secret text\n"), 0o644))
	must(t, os.Chmod(locked, 0))
	t.Cleanup(func() { os.Chmod(locked, 0o644) })
	_, openErr := os.Open(locked)

	var warnings []string
	opt := Options{MaxFileSize: 8 << 20, Warn: func(msg string) { warnings = append(warnings, msg) }}
	docs, skips, err := Load([]string{dir}, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]*Document{}
	for _, d := range docs {
		byPath[d.Path] = d
	}
	skipped := map[string]string{}
	for _, s := range skips {
		skipped[s.Path] = s.Reason
	}
	for _, tt := range fileTests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			checkOutcome(t, path, byPath[path], skipped[path], tt.encoding, tt.text, tt.skip)
		})
	}
	extra := []struct{ name, encoding, text, skip string }{
		{"loop-a", "", "", "symbolic link loop"},
		{"loop-b", "", "", "symbolic link loop"},
		{"zz-link-to-utf8.txt", "", "", "same file as " + filepath.Join(dir, "utf8.txt")},
		{"zz-self", "", "", "symbolic link to a folder, not followed"},
		{"huge-line.txt", "utf-8", huge, ""},
		{"too-big.txt", "", "", "larger than 8 MiB"},
	}
	if openErr != nil {
		extra = append(extra, struct{ name, encoding, text, skip string }{"locked.txt", "", "", "unreadable: permission denied"})
	} else {
		extra = append(extra, struct{ name, encoding, text, skip string }{"locked.txt", "utf-8", "secret text\n", ""})
	}
	for _, tt := range extra {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			checkOutcome(t, path, byPath[path], skipped[path], tt.encoding, tt.text, tt.skip)
		})
	}
	t.Run("hidden", func(t *testing.T) {
		for _, d := range docs {
			if strings.Contains(d.Path, "/.") {
				t.Errorf("hidden file read: %s", d.Path)
			}
		}
		for _, s := range skips {
			if strings.Contains(s.Path, "/.") {
				t.Errorf("hidden file listed: %s", s.Path)
			}
		}
	})
	t.Run("order", func(t *testing.T) {
		for i := 1; i < len(docs); i++ {
			if docs[i-1].Path >= docs[i].Path {
				t.Errorf("documents out of order: %s before %s", docs[i-1].Path, docs[i].Path)
			}
		}
	})
	t.Run("warnings", func(t *testing.T) {
		// One warning per skip, naming the file.
		for _, s := range skips {
			found := false
			for _, w := range warnings {
				if strings.Contains(w, s.Path) && strings.Contains(w, s.Reason) {
					found = true
				}
			}
			if !found {
				t.Errorf("no warning for skipped %s (%s)", s.Path, s.Reason)
			}
		}
	})
	t.Run("jobs", func(t *testing.T) {
		// More files than one batch of the parallel reader, so that batches meet.
		for i := range loadBatch + 40 {
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("many-%04d.txt", i)), []byte(fmt.Sprintf("第%d篇", i)), 0o644))
		}
		if loadBatch%7 != 0 {
			must(t, os.WriteFile(filepath.Join(dir, "many-0007.txt"), nil, 0o644)) // a skip between documents
		}
		load := func(jobs int) ([]*Document, []Skip, []string) {
			var warns []string
			o := opt
			o.Jobs = jobs
			o.Warn = func(msg string) { warns = append(warns, msg) }
			var progress []int
			lastTotal := -1
			o.Progress = func(done, total int) { progress, lastTotal = append(progress, done), total }
			d, s, err := Load([]string{dir}, nil, o)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSorted(progress) || len(progress) < 3 || progress[len(progress)-1] != lastTotal {
				t.Errorf("jobs=%d: progress %v does not climb to the %d files", jobs, progress, lastTotal)
			}
			return d, s, warns
		}
		d1, s1, w1 := load(1)
		d3, s3, w3 := load(3)
		if !slices.EqualFunc(d1, d3, func(a, b *Document) bool { return *a == *b }) {
			t.Errorf("jobs=3 read %d documents, jobs=1 %d, or others", len(d3), len(d1))
		}
		if !slices.Equal(s1, s3) || !slices.Equal(w1, w3) {
			t.Errorf("jobs=3 skips and warnings differ from jobs=1:\n%v\n%v\n%v\n%v", s3, s1, w3, w1)
		}
		if len(d1) < loadBatch {
			t.Errorf("only %d documents: the test does not cross a batch", len(d1))
		}
	})
}

func checkOutcome(t *testing.T, path string, doc *Document, skip, encoding, text, wantSkip string) {
	t.Helper()
	switch {
	case wantSkip != "":
		if doc != nil {
			t.Fatalf("%s: read as %s %.60q, want skip %q", path, doc.Encoding, doc.Text, wantSkip)
		}
		if !strings.HasPrefix(skip, wantSkip) {
			t.Fatalf("%s: skip reason %q, want %q", path, skip, wantSkip)
		}
	case doc == nil:
		t.Fatalf("%s: no document (skip %q), want %s", path, skip, encoding)
	default:
		if doc.Encoding != encoding {
			t.Errorf("%s: encoding %s, want %s", path, doc.Encoding, encoding)
		}
		if doc.Text != text {
			t.Errorf("%s: text\n%.200q\nwant\n%.200q", path, doc.Text, text)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFilesErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-file.txt")
	_, _, err := Files([]string{missing}, Options{})
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Files(missing) error = %v, want one naming %s", err, missing)
	}
	_, _, err = Load([]string{dir}, nil, Options{Encoding: "klingon"})
	if err == nil || !strings.Contains(err.Error(), "gb18030") || !strings.Contains(err.Error(), "klingon") {
		t.Errorf("unknown encoding error = %v, want one naming it and listing gb18030", err)
	}
}

func TestLoadStdinAndNamedFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	must(t, os.WriteFile(a, []byte("甲文件\n"), 0o644))
	// A file named twice is read once.
	docs, skips, err := Load([]string{"-", a, a}, strings.NewReader("来自标准输入\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Path != "-" || docs[0].Text != "来自标准输入\n" || docs[1].Path != a {
		t.Fatalf("docs = %+v", docs)
	}
	if len(skips) != 1 || !strings.HasPrefix(skips[0].Reason, "same file as") {
		t.Errorf("skips = %+v, want the second %s as the same file", skips, a)
	}
}

func TestStdinNamedTwice(t *testing.T) {
	docs, skips, err := Load([]string{"-", "-"}, strings.NewReader("来自标准输入的一段文字\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Text != "来自标准输入的一段文字\n" {
		t.Fatalf("docs = %+v, want standard input read once", docs)
	}
	if len(skips) != 1 || skips[0].Path != "-" || !strings.Contains(skips[0].Reason, "named twice") {
		t.Errorf("skips = %+v, want the second - skipped as named twice (not as empty)", skips)
	}
}

func TestForcedEncoding(t *testing.T) {
	tests := []struct {
		name, encoding string
		data           []byte
		want, wantEnc  string
	}{
		{"big5 alias", "Big5", encode(t, traditionalchinese.Big5, big5Text), big5Text, "big5"},
		{"gbk alias", "gbk", encode(t, simplifiedchinese.GBK, zhShort), zhShort, "gb18030"},
		{"cp1252 on utf-8 bytes", "cp1252", []byte("café"), "cafÃ©", "windows-1252"},
		{"utf-16le without BOM", "utf-16le", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), zhShort), zhShort, "utf-16le"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.txt")
			must(t, os.WriteFile(path, tt.data, 0o644))
			doc, skip, err := Read(Source{Path: path}, nil, Options{Encoding: tt.encoding})
			if err != nil || skip != nil {
				t.Fatalf("Read: %v %v", skip, err)
			}
			if doc.Text != tt.want || doc.Encoding != tt.wantEnc {
				t.Errorf("got %s %q, want %s %q", doc.Encoding, doc.Text, tt.wantEnc, tt.want)
			}
		})
	}
}

// A folder named through a link is walked; paths keep the name given.
func TestFilesLinkedFolder(t *testing.T) {
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "real", "a.txt"), []byte("文本\n"), 0o644))
	link := filepath.Join(dir, "link")
	must(t, os.Symlink("real", link))
	srcs, skips, err := Files([]string{link}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Path != filepath.Join(link, "a.txt") || len(skips) != 0 {
		t.Errorf("Files(%s) = %+v, skips %+v; want %s", link, srcs, skips, filepath.Join(link, "a.txt"))
	}
}

// The warning counts what the text shows: one U+FFFD for each run of invalid bytes.
func TestStrayBytesCountedAsReplaced(t *testing.T) {
	for _, tt := range []struct {
		data  string
		count int
	}{
		{"abc\xff\xfe " + zhText, 1},
		{"abc\xff " + zhText + "\x80\x80\x80 end", 2},
	} {
		d := decodeAs("utf-8", []byte(tt.data))
		if got := strings.Count(d.text, "\uFFFD"); got != tt.count {
			t.Errorf("%q: %d U+FFFD in the text, want %d", tt.data, got, tt.count)
		}
		want := fmt.Sprintf("%d invalid utf-8 sequence", tt.count)
		if !strings.HasPrefix(d.doubt, want) || !strings.HasSuffix(d.doubt, " replaced") {
			t.Errorf("%q: doubt %q, want %q… replaced", tt.data, d.doubt, want)
		}
	}
}
