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
	"regexp"
	"strconv"
	"strings"
	"time"
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

var (
	// compactDate is 20240301 between non-digits; separatedDate is 2024-03-01, 2024_3_1,
	// 2024.03.01 or 2024/03/01, the two separators checked equal in code (RE2 has no
	// back-references). Neither consumes the character after it, so that dates in
	// consecutive path elements are all seen; consider checks that boundary instead.
	compactDate   = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})`)
	separatedDate = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})([-_./])([0-9]{1,2})([-_./])([0-9]{1,2})`)
)

// InPath finds a date in a path. When several are present the last one wins: the file name
// says more than the folder it was filed in.
func InPath(path string) (time.Time, bool) {
	p := filepath.ToSlash(path)
	type found struct {
		at int
		t  time.Time
	}
	var best *found
	consider := func(at, end int, y, m, d string) {
		if end < len(p) && '0' <= p[end] && p[end] <= '9' {
			return
		}
		if t, ok := calendar(y, m, d); ok && (best == nil || at >= best.at) {
			best = &found{at, t}
		}
	}
	for _, m := range compactDate.FindAllStringSubmatchIndex(p, -1) {
		consider(m[2], m[1], p[m[2]:m[3]], p[m[4]:m[5]], p[m[6]:m[7]])
	}
	for _, m := range separatedDate.FindAllStringSubmatchIndex(p, -1) {
		if p[m[4]:m[5]] == p[m[8]:m[9]] {
			consider(m[2], m[1], p[m[2]:m[3]], p[m[6]:m[7]], p[m[10]:m[11]])
		}
	}
	if best == nil {
		return time.Time{}, false
	}
	return best.t, true
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
