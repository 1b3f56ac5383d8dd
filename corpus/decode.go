package corpus

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wlynxg/chardet/cda"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/neardup/neardup/text"
)

type namedEncoding struct {
	name    string
	aliases []string
	enc     encoding.Encoding
}

// encodings are the names Options.Encoding accepts, canonical name first.
// GB18030 stands in for GBK and GB2312, of which it is a superset.
var encodings = []namedEncoding{
	{"utf-8", []string{"utf8"}, xunicode.UTF8},
	{"utf-16le", []string{"utf16le"}, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)},
	{"utf-16be", []string{"utf16be"}, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)},
	{"gb18030", []string{"gbk", "gb2312", "cp936", "euc-cn"}, simplifiedchinese.GB18030},
	{"big5", []string{"big5-hkscs", "cp950"}, traditionalchinese.Big5},
	{"shift_jis", []string{"sjis", "shift-jis", "cp932", "windows-31j"}, japanese.ShiftJIS},
	{"euc-jp", []string{"eucjp"}, japanese.EUCJP},
	{"euc-kr", []string{"euckr", "cp949"}, korean.EUCKR},
	{"windows-1252", []string{"cp1252", "latin1", "iso-8859-1"}, charmap.Windows1252},
}

// Encodings lists the canonical names Options.Encoding accepts.
func Encodings() []string {
	names := make([]string, len(encodings))
	for i, e := range encodings {
		names[i] = e.name
	}
	return names
}

// lookupEncoding finds an encoding by name or alias; "" is nil.
func lookupEncoding(name string) (*namedEncoding, error) {
	if name == "" {
		return nil, nil
	}
	key := strings.ToLower(strings.TrimSpace(name))
	for i := range encodings {
		e := &encodings[i]
		if key == e.name {
			return e, nil
		}
		for _, a := range e.aliases {
			if key == a {
				return e, nil
			}
		}
	}
	return nil, fmt.Errorf("unknown encoding %q: use one of %s", name, strings.Join(Encodings(), ", "))
}

func encodingNamed(name string) *namedEncoding {
	e, err := lookupEncoding(name)
	if err != nil || e == nil {
		panic("corpus: no encoding " + name)
	}
	return e
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16leBOM = []byte{0xFF, 0xFE}
	utf16beBOM = []byte{0xFE, 0xFF}
)

// decodeDocument decodes data read from path into a Document, or says why
// it is not a text document.
func decodeDocument(path string, data []byte, opt Options) (*Document, *Skip, error) {
	forced, err := lookupEncoding(opt.Encoding)
	if err != nil {
		return nil, nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	isHTML := ext == ".html" || ext == ".htm"
	d := decode(data, forced, isHTML)
	if d.binary != "" {
		s := opt.skip(path, d.binary)
		return nil, &s, nil
	}
	if d.doubt != "" {
		opt.warnf("%s: %s", path, d.doubt)
	}
	text := d.text
	if isHTML {
		text = visibleText(text)
	}
	if strings.TrimSpace(text) == "" {
		reason := "empty"
		if isHTML {
			reason = "no visible text"
		}
		s := opt.skip(path, reason)
		return nil, &s, nil
	}
	return &Document{Path: path, Text: text, Encoding: d.encoding}, nil, nil
}

type decoded struct {
	text     string
	encoding string
	doubt    string // why the guess may be wrong; "" when sure
	binary   string // why this is not text; "" when it is
}

// decode turns bytes into text: a forced encoding, else a byte order mark,
// else UTF-16 recognised by its NUL bytes, else UTF-8 when valid, else the
// charset an HTML page declares, else the best legacy encoding.
func decode(data []byte, forced *namedEncoding, isHTML bool) decoded {
	if forced != nil {
		body := data
		switch {
		case forced.name == "utf-8":
			body = bytes.TrimPrefix(data, utf8BOM)
		case forced.name == "utf-16le":
			body = bytes.TrimPrefix(data, utf16leBOM)
		case forced.name == "utf-16be":
			body = bytes.TrimPrefix(data, utf16beBOM)
		}
		text, bad := decodeWith(forced, body)
		d := decoded{text: text, encoding: forced.name}
		if bad > 0 {
			d.doubt = fmt.Sprintf("%d bytes are not valid %s", bad, forced.name)
		}
		return d
	}
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return textual(decodeAs("utf-8", data[3:]))
	case bytes.HasPrefix(data, utf16leBOM):
		return textual(decodeAs("utf-16le", data[2:]))
	case bytes.HasPrefix(data, utf16beBOM):
		return textual(decodeAs("utf-16be", data[2:]))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		if name := utf16ByNULs(data); name != "" {
			d := textual(decodeAs(name, data))
			if d.binary == "" {
				d.doubt = "no byte order mark; read as " + name + " by its NUL bytes"
				return d
			}
		}
		if name := utf16ByScript(data); name != "" {
			d := textual(decodeAs(name, data))
			if d.binary == "" {
				d.doubt = "no byte order mark; read as " + name + " by its characters"
				return d
			}
		}
		return decoded{binary: "binary (contains NUL bytes)"}
	}
	if utf8.Valid(data) {
		return textual(decoded{text: string(data), encoding: "utf-8"})
	}
	if mostlyUTF8(data) {
		return textual(decodeAs("utf-8", data))
	}
	if isHTML {
		if e := declaredCharset(data); e != nil {
			d := textual(decodeAs(e.name, data))
			if d.binary == "" {
				return d
			}
		}
	}
	return guessLegacy(data)
}

// mostlyUTF8 reports whether data is UTF-8 text with a few stray bytes (a truncated copy, a
// byte flipped in transit): read as a legacy encoding, its valid characters would all turn
// into mojibake to save the few invalid bytes. Legacy text read as UTF-8 gives far more
// invalid bytes than valid multi-byte characters (GBK's byte pairs are seldom valid UTF-8),
// so four valid multi-byte characters for each invalid byte tell the two apart.
func mostlyUTF8(data []byte) bool {
	multi, invalid := 0, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			invalid++
		case size > 1:
			multi++
		}
		i += size
	}
	return multi >= 8 && invalid*4 <= multi
}

// decodeAs decodes with a known encoding, noting invalid bytes.
func decodeAs(name string, data []byte) decoded {
	e := encodingNamed(name)
	text, bad := decodeWith(e, data)
	d := decoded{text: text, encoding: name}
	if bad > 0 {
		d.doubt = fmt.Sprintf("%d invalid %s sequences replaced", bad, name)
		if bad == 1 {
			d.doubt = "1 invalid " + name + " sequence replaced"
		}
	}
	return d
}

// decodeWith decodes data and counts the replacement characters the
// decoding produced (those not already in the input as text).
func decodeWith(e *namedEncoding, data []byte) (string, int) {
	if e.name == "utf-8" {
		if utf8.Valid(data) {
			return string(data), 0
		}
		// ToValidUTF8 puts one U+FFFD for each run of invalid bytes, so runs are what the
		// count says was replaced.
		bad, inRun := 0, false
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			invalid := r == utf8.RuneError && size == 1
			if invalid && !inRun {
				bad++
			}
			inRun = invalid
			i += size
		}
		return string(bytes.ToValidUTF8(data, []byte("\uFFFD"))), bad
	}
	out, err := e.enc.NewDecoder().Bytes(data)
	if err != nil {
		// x/text decoders replace rather than fail; keep what we have.
		return string(bytes.ToValidUTF8(out, []byte("\uFFFD"))), len(data)
	}
	return string(out), bytes.Count(out, []byte("\uFFFD"))
}

// textual marks a decoding as binary when it is mostly not text: many
// control characters or replacement characters.
func textual(d decoded) decoded {
	runes, odd := 0, 0
	for _, r := range d.text {
		runes++
		if isOddRune(r) {
			odd++
		}
	}
	// A few stray bytes happen in real text (a form feed, a lost byte);
	// a tenth of them does not.
	if runes > 0 && odd*10 > runes {
		return decoded{binary: "binary (mostly not text)"}
	}
	return d
}

// isOddRune reports runes that text files do not contain: controls other
// than white space, and replacement characters.
func isOddRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		return false
	case r < 0x20 || r == 0x7F || (0x80 <= r && r < 0xA0 && r != 0x85):
		return true
	case r == utf8.RuneError:
		return true
	}
	return false
}

// utf16ByNULs recognises UTF-16 without a byte order mark: mostly-ASCII
// UTF-16 has a NUL in every other byte, at odd offsets for little endian
// and even offsets for big endian, and almost none in the other half.
func utf16ByNULs(data []byte) string {
	if len(data) < 4 {
		return ""
	}
	var even, odd int
	for i, b := range data {
		if b == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	pairs := len(data) / 2
	switch {
	case odd*4 > pairs && even*20 < odd:
		return "utf-16le"
	case even*4 > pairs && odd*20 < even:
		return "utf-16be"
	}
	return ""
}

// utf16ByScript recognises UTF-16 without a byte order mark whose text is mostly Chinese,
// Japanese or Korean, which has too few NUL bytes for utf16ByNULs. It is only asked about
// data holding NUL bytes, which no UTF-8 or legacy-encoded text has, and picks the byte
// order under which nearly every code unit is a CJK character, ASCII text or CJK or
// full-width punctuation. About half of all code units are such characters, so random
// bytes do not pass; and since two ASCII letters read as one unit are often a Han
// character, text that is mostly ASCII bytes (English with a stray NUL) does not either.
func utf16ByScript(data []byte) string {
	if len(data) < 16 || len(data)%2 != 0 {
		return ""
	}
	var le, be, asciiPairs int
	for i := 0; i < len(data); i += 2 {
		// Kana and CJK punctuation (U+3000 to U+30FF) are '0' and an ASCII byte: not counted.
		if asciiText(data[i]) && asciiText(data[i+1]) && data[i] != '0' && data[i+1] != '0' {
			asciiPairs++
		}
		if cjkTextUnit(rune(data[i]) | rune(data[i+1])<<8) {
			le++
		}
		if cjkTextUnit(rune(data[i])<<8 | rune(data[i+1])) {
			be++
		}
	}
	units := len(data) / 2
	switch {
	case asciiPairs*2 >= units:
		return ""
	case le*100 >= units*95 && le > be:
		return "utf-16le"
	case be*100 >= units*95 && be > le:
		return "utf-16be"
	}
	return ""
}

func asciiText(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || (0x20 <= b && b < 0x7F) }

func cjkTextUnit(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || (0x20 <= r && r < 0x7F):
		return true
	case unicode.In(r, text.GeneralPunctuation, text.CJKSymbolsAndPunctuation, text.HalfwidthAndFullwidthForms):
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]*charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)`)

// declaredCharset finds the charset an HTML page declares in a <meta> tag
// near its start, mapped onto the encodings we know.
func declaredCharset(data []byte) *namedEncoding {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	m := metaCharset.FindSubmatch(head)
	if m == nil {
		return nil
	}
	label := string(m[1])
	if e, err := lookupEncoding(label); err == nil {
		return e
	}
	// Other labels through the WHATWG table (x-sjis, ms936, ...).
	canon, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	name, err := htmlindex.Name(canon)
	if err != nil {
		return nil
	}
	if e, err := lookupEncoding(name); err == nil {
		return e
	}
	return nil
}

// legacyCandidates are tried, in order of preference on a tie, for bytes
// that are not UTF-8.
var legacyCandidates = []string{"gb18030", "big5", "shift_jis", "euc-jp", "euc-kr", "windows-1252"}

type candidate struct {
	decoded
	bad   int     // replacement and control characters produced
	runes int     // runes in the decoded text
	score float64 // how much it looks like text in that encoding, 0..1
}

// guessLegacy decodes with every candidate encoding, drops those that
// produce replacement or control characters, and ranks the rest by how
// common their characters are (chardet's character frequency tables for
// the CJK encodings, isolated high bytes for windows-1252).
func guessLegacy(data []byte) decoded {
	var all []candidate
	for _, name := range legacyCandidates {
		d := decodeAs(name, data)
		c := candidate{decoded: d}
		for _, r := range d.text {
			c.runes++
			if isOddRune(r) {
				c.bad++
			}
		}
		c.score = legacyScore(name, data, d.text)
		all = append(all, c)
	}
	best := -1
	for i, c := range all {
		if best < 0 || c.bad < all[best].bad || (c.bad == all[best].bad && c.score > all[best].score) {
			best = i
		}
	}
	b := all[best]
	if b.bad*10 > b.runes {
		// Nothing decodes it: if it is nearly UTF-8, keep it as that.
		u := decodeAs("utf-8", data)
		if t := textual(u); t.binary == "" {
			return u
		}
		return decoded{binary: "binary (not text in any known encoding)"}
	}
	d := b.decoded
	if b.bad > 0 {
		d.doubt = fmt.Sprintf("no encoding decodes it cleanly; read as %s with %d bad characters", d.encoding, b.bad)
		return d
	}
	// Sure when the winner looks like its language and no other clean
	// decoding comes close.
	runnerUp := 0.0
	for i, c := range all {
		if i != best && c.bad == 0 && c.score > runnerUp {
			runnerUp = c.score
		}
	}
	if b.score < 0.5 || b.score-runnerUp < 0.2 {
		d.doubt = fmt.Sprintf("encoding guessed as %s (not sure; use --encoding to force one)", d.encoding)
	}
	return d
}

// legacyScore is how much data looks like text in the named encoding.
func legacyScore(name string, data []byte, text string) float64 {
	switch name {
	case "windows-1252":
		return isolatedHighBytes(data)
	case "gb18030":
		// GBK's extension area (trail byte below 0xA1) is rare in real
		// Chinese; Big5 puts a third of its characters there.
		return cjkScore(data, gbChar, cda.NewGB2312DistributionAnalysis(), true)
	case "big5":
		return cjkScore(data, big5Char, cda.NewBig5DistributionAnalysis(), false)
	case "shift_jis":
		return cjkScore(data, sjisChar, cda.NewSJISDistributionAnalysis(), false)
	case "euc-jp":
		return cjkScore(data, eucChar, cda.NewEUCJPDistributionAnalysis(), false)
	case "euc-kr":
		return cjkScore(data, eucChar, cda.NewEUCKRDistributionAnalysis(), false)
	}
	return 0
}

// isolatedHighBytes is the share of non-ASCII bytes with ASCII on both
// sides: near 1 for Western text in a single-byte encoding (an accent, a
// curly quote), near 0 for the byte pairs of a CJK encoding.
func isolatedHighBytes(data []byte) float64 {
	high, isolated := 0, 0
	for i, b := range data {
		if b < 0x80 {
			continue
		}
		high++
		if (i == 0 || data[i-1] < 0x80) && (i+1 == len(data) || data[i+1] < 0x80) {
			isolated++
		}
	}
	if high == 0 {
		return 0
	}
	return float64(isolated) / float64(high)
}

// frequency is the part of chardet's character distribution analysers we use.
type frequency interface {
	Feed(char []byte, length int)
	GetConfidence() float64
}

// charLen gives the length of the character starting at data[i] in an
// encoding; 1 for ASCII and single-byte characters.
type charLen func(data []byte, i int) int

func gbChar(data []byte, i int) int {
	if data[i] < 0x81 || data[i] == 0xFF || i+1 >= len(data) {
		return 1
	}
	if c := data[i+1]; c >= 0x30 && c <= 0x39 {
		return 4
	}
	return 2
}

func big5Char(data []byte, i int) int {
	if data[i] < 0x81 || data[i] == 0xFF || i+1 >= len(data) {
		return 1
	}
	return 2
}

func sjisChar(data []byte, i int) int {
	c := data[i]
	if (c >= 0x81 && c <= 0x9F || c >= 0xE0 && c <= 0xFC) && i+1 < len(data) {
		return 2
	}
	return 1
}

func eucChar(data []byte, i int) int {
	c := data[i]
	switch {
	case c == 0x8F && i+2 < len(data):
		return 3
	case (c == 0x8E || c >= 0xA1 && c <= 0xFE) && i+1 < len(data):
		return 2
	}
	return 1
}

// cjkScore feeds the two-byte characters to a frequency analyser. For
// GB18030 it also scales by the share of characters outside GBK's
// extension area (trail byte below 0xA1), which real Chinese rarely uses
// and Big5 text, read as GBK, lands in a third of the time.
func cjkScore(data []byte, next charLen, f frequency, gb bool) float64 {
	var pairs, extension int
	for i := 0; i < len(data); {
		n := next(data, i)
		if n == 2 {
			pairs++
			if data[i+1] < 0xA1 {
				extension++
			}
			f.Feed(data[i:i+2], 2)
		}
		i += n
	}
	if pairs == 0 {
		return 0
	}
	main := 1.0
	if gb {
		main = 1 - float64(extension)/float64(pairs)
	}
	// Short texts give the analyser too little to go on (it answers 0.11):
	// then GB18030 is judged by its extension share alone and the others
	// get a flat score just below it, so Chinese-looking bytes read as
	// GB18030, with a warning when another encoding also decodes them.
	if pairs < 32 {
		if gb {
			return main * 0.5
		}
		return 0.4
	}
	return f.GetConfidence() * main
}
