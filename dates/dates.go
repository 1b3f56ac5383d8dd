// Package dates finds the date of a document, for the questions that need time: which copy
// of a press release came first, and since when a slogan recurs.
//
// A date comes, in this order of trust, from a table the user gives (ReadCSV: path,date
// rows, what `--dates FILE` reads), from front matter at the top of the text (a `date:`
// line between `---` or `+++` fences), or from the file's path (20240301-01.txt,
// 2024-03-01.txt, news/2024/03/01/a.txt). Of says which rule gave the date, so that a
// report can say why it called one copy the first. Only calendar dates are kept: a number
// that is not a valid day (20241399) is no date.
package dates

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Rule names where a date came from.
type Rule string

const (
	FromTable       Rule = "table"        // the --dates file
	FromFrontMatter Rule = "front-matter" // a date: line at the top of the text
	FromPath        Rule = "path"         // the file or folder names
)

// Table maps a document's path, as the corpus lists it, to its date.
type Table map[string]time.Time

// Layout is how dates are written in neardup's output: ISO 8601 calendar dates.
const Layout = "2006-01-02"

// Of returns the date of the document at path with text, and the rule that found it.
// table may be nil.
func Of(path, text string, table Table) (time.Time, Rule, bool) {
	if t, ok := table[path]; ok {
		return t, FromTable, true
	}
	if t, ok := InFrontMatter(text); ok {
		return t, FromFrontMatter, true
	}
	if t, ok := InPath(path); ok {
		return t, FromPath, true
	}
	return time.Time{}, "", false
}

// InPath finds a date in a path: 20240301 or 2024-03-01 (also 2024_3_1, 2024.03.01 or
// 2024/03/01, both separators the same) after the start or a non-digit and before a
// non-digit or the end. When several are present the last one wins: the file name says more
// than the folder it was filed in.
//
// It scans the path by hand, as the regular expressions
//
//	(?:^|[^0-9])((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})
//	(?:^|[^0-9])((?:19|20)[0-9]{2})([-_./])([0-9]{1,2})([-_./])([0-9]{1,2})
//
// would find their successive matches (the tests compare them), at a small part of their
// cost: every document of a scan is dated.
func InPath(path string) (time.Time, bool) {
	p := filepath.ToSlash(path)
	bestAt := -1
	var best time.Time
	consider := func(at, end int, y, m, d string) {
		if end < len(p) && isDigit(p[end]) {
			return
		}
		if t, ok := calendar(y, m, d); ok && at >= bestAt {
			bestAt, best = at, t
		}
	}
	// Compact dates first, then separated ones: of two at the same place the second wins.
	for at := yearAfter(p, 0, compactAt); at >= 0; at = yearAfter(p, at+8, compactAt) {
		consider(at, at+8, p[at:at+4], p[at+4:at+6], p[at+6:at+8])
	}
	for at, end := yearAfter(p, 0, separatedAt), 0; at >= 0; at = yearAfter(p, end, separatedAt) {
		var m0, m1, d0 int
		m0, m1, d0, end = separatedParts(p, at)
		if p[at+4] == p[m1] {
			consider(at, end, p[at:at+4], p[m0:m1], p[d0:end])
		}
	}
	if bestAt < 0 {
		return time.Time{}, false
	}
	return best, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isSeparator(c byte) bool { return c == '-' || c == '_' || c == '.' || c == '/' }

// yearAfter returns where the year of the first date that matches at (compactAt or
// separatedAt) starts, after byte from of p, preceded by the start of p or a character that
// is not a digit; -1 if none does. The character before is taken whole, as a regular
// expression steps through the text a character at a time.
func yearAfter(p string, from int, matches func(p string, at int) bool) int {
	if from == 0 && matches(p, 0) {
		return 0
	}
	for s := from; s < len(p); {
		size := 1
		if p[s] >= utf8.RuneSelf {
			_, size = utf8.DecodeRuneInString(p[s:])
		}
		if !isDigit(p[s]) && matches(p, s+size) {
			return s + size
		}
		s += size
	}
	return -1
}

// startsYear reports whether p holds a year of 19xx or 20xx at byte at.
func startsYear(p string, at int) bool {
	return at+4 <= len(p) && (p[at] == '1' && p[at+1] == '9' || p[at] == '2' && p[at+1] == '0') &&
		isDigit(p[at+2]) && isDigit(p[at+3])
}

// compactAt reports whether eight digits of a compact date start at byte at.
func compactAt(p string, at int) bool {
	return startsYear(p, at) && at+8 <= len(p) && isDigit(p[at+4]) && isDigit(p[at+5]) && isDigit(p[at+6]) && isDigit(p[at+7])
}

// separatedAt reports whether a separated date starts at byte at.
func separatedAt(p string, at int) bool {
	if !startsYear(p, at) || at+4 >= len(p) || !isSeparator(p[at+4]) {
		return false
	}
	_, m1, _, _ := separatedParts(p, at)
	return m1 > 0
}

// separatedParts returns the month p[m0:m1] and the day p[d0:d1] of a separated date whose
// year starts at byte at and is followed by a separator, each one or two digits (two when
// the text allows, as a greedy repetition takes them); m1 is 0 when no month and day follow.
func separatedParts(p string, at int) (m0, m1, d0, d1 int) {
	m0 = at + 5
	switch {
	case m0+2 < len(p) && isDigit(p[m0]) && isDigit(p[m0+1]) && isSeparator(p[m0+2]):
		m1 = m0 + 2
	case m0+1 < len(p) && isDigit(p[m0]) && isSeparator(p[m0+1]):
		m1 = m0 + 1
	default:
		return 0, 0, 0, 0
	}
	d0 = m1 + 1
	if d0 >= len(p) || !isDigit(p[d0]) {
		return 0, 0, 0, 0
	}
	d1 = d0 + 1
	if d1 < len(p) && isDigit(p[d1]) {
		d1++
	}
	return m0, m1, d0, d1
}

// calendar builds a date from its digits, refusing days that do not exist.
func calendar(y, m, d string) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return time.Time{}, false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Day() != di { // 31 April rolls over to 1 May
		return time.Time{}, false
	}
	return t, true
}

// frontMatterLines bounds how far into a text front matter is sought: it is a header, and a
// "date:" deep inside an article is prose.
const frontMatterLines = 40

// InFrontMatter finds `date: 2024-03-01` (quoted or not, a time after the day allowed) in a
// front matter block fenced by `---` or `+++` lines at the very top of text.
func InFrontMatter(text string) (time.Time, bool) {
	text = strings.TrimPrefix(text, "\ufeff")
	// Nearly every text has no front matter: its first line says so before a scanner is made.
	first, _, _ := strings.Cut(text, "\n")
	if f := strings.TrimSpace(first); f != "---" && f != "+++" {
		return time.Time{}, false
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	if !sc.Scan() {
		return time.Time{}, false
	}
	fence := strings.TrimSpace(sc.Text())
	if fence != "---" && fence != "+++" {
		return time.Time{}, false
	}
	for i := 0; i < frontMatterLines && sc.Scan(); i++ {
		line := strings.TrimSpace(sc.Text())
		if line == fence {
			break
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			key, value, ok = strings.Cut(line, "=") // TOML
		}
		if !ok || !strings.EqualFold(strings.TrimSpace(key), "date") {
			continue
		}
		if t, err := Parse(strings.Trim(strings.TrimSpace(value), `"'`)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Parse reads a date as users write them in a table or front matter: 2024-03-01,
// 2024/03/01, 20240301, or an RFC 3339 time whose day is kept.
func Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	head := s
	if i := strings.IndexAny(s, " T"); i > 0 {
		head = s[:i]
	}
	if t, ok := InPath(head); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
}

// ReadCSV reads a table of path,date rows; name is the file's name for messages. A first
// row whose date does not parse is taken as a header. Blank lines are skipped.
func ReadCSV(r io.Reader, name string) (Table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	table := Table{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return table, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s: row %d: want path,date, got %d field", name, row, len(rec))
		}
		t, err := Parse(rec[1])
		if err != nil {
			if row == 1 {
				continue // header
			}
			return nil, fmt.Errorf("%s: row %d: %v", name, row, err)
		}
		table[rec[0]] = t
	}
}
