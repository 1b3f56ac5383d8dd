package dates

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(Layout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestInPath(t *testing.T) {
	tests := []struct {
		path, want string // want "" for no date
	}{
		{"texts/20240301-01.txt", "2024-03-01"},
		{"2024-03-01.txt", "2024-03-01"},
		{"news/2024/03/01/story.txt", "2024-03-01"},
		{"news/2024_3_1_story.txt", "2024-03-01"},
		{"archive/20230105/20240301-02.txt", "2024-03-01"},
		{"texts/20241399-01.txt", ""}, // no month 13
		{"texts/20240431.txt", ""},    // no 31 April
		{"texts/120240301.txt", ""},   // nine digits are an id, not a date
		{"texts/2024-03/01.txt", ""},  // mixed separators
		{"sogouca-063.txt", ""},       // no date at all
		{"texts/1999.12.31.html", "1999-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, ok := InPath(tt.path)
			if tt.want == "" {
				if ok {
					t.Fatalf("InPath(%q) = %s, want no date", tt.path, got.Format(Layout))
				}
				return
			}
			if !ok || !got.Equal(day(tt.want)) {
				t.Fatalf("InPath(%q) = %s, %v; want %s", tt.path, got.Format(Layout), ok, tt.want)
			}
		})
	}
}

func TestInFrontMatter(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"yaml", "---\ntitle: x\ndate: 2024-03-01\n---\nbody", "2024-03-01"},
		{"quoted time", "---\ndate: \"2024-03-01T08:00:00+08:00\"\n---\n", "2024-03-01"},
		{"toml", "+++\ndate = 2023-12-31\n+++\n", "2023-12-31"},
		{"not at top", "intro\n---\ndate: 2024-03-01\n---\n", ""},
		{"after the fence", "---\ntitle: x\n---\ndate: 2024-03-01\n", ""},
		{"bad date", "---\ndate: soon\n---\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := InFrontMatter(tt.text)
			if tt.want == "" {
				if ok {
					t.Fatalf("got %s, want no date", got.Format(Layout))
				}
				return
			}
			if !ok || !got.Equal(day(tt.want)) {
				t.Fatalf("got %s, %v; want %s", got.Format(Layout), ok, tt.want)
			}
		})
	}
}

func TestOfOrder(t *testing.T) {
	table := Table{"a/20240301.txt": day("2020-01-01")}
	if got, rule, _ := Of("a/20240301.txt", "---\ndate: 2022-02-02\n---\n", table); rule != FromTable || !got.Equal(day("2020-01-01")) {
		t.Errorf("table first: got %s by %s", got.Format(Layout), rule)
	}
	if got, rule, _ := Of("a/20240301.txt", "---\ndate: 2022-02-02\n---\n", nil); rule != FromFrontMatter || !got.Equal(day("2022-02-02")) {
		t.Errorf("front matter before path: got %s by %s", got.Format(Layout), rule)
	}
	if _, _, ok := Of("a/b.txt", "text", nil); ok {
		t.Errorf("no date anywhere: got one")
	}
}

func TestReadCSV(t *testing.T) {
	table, err := ReadCSV(strings.NewReader("path,date\nx.txt,2024-03-01\n\n\"y, z.txt\",2024/3/2\n"), "dates.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != 2 || !table["x.txt"].Equal(day("2024-03-01")) || !table["y, z.txt"].Equal(day("2024-03-02")) {
		t.Fatalf("table = %v", table)
	}
	_, err = ReadCSV(strings.NewReader("x.txt,2024-03-01\ny.txt,someday\n"), "dates.csv")
	if err == nil || !strings.Contains(err.Error(), "dates.csv: row 2") {
		t.Fatalf("bad row: err = %v, want it to name the file and row", err)
	}
}

// The regular expressions InPath scans by hand.
var (
	compactDate   = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})`)
	separatedDate = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})([-_./])([0-9]{1,2})([-_./])([0-9]{1,2})`)
)

// inPathByRegexp is InPath as the regular expressions find dates.
func inPathByRegexp(path string) (time.Time, bool) {
	p := filepath.ToSlash(path)
	bestAt := -1
	var best time.Time
	consider := func(at, end int, y, m, d string) {
		if end < len(p) && '0' <= p[end] && p[end] <= '9' {
			return
		}
		if t, ok := calendar(y, m, d); ok && at >= bestAt {
			bestAt, best = at, t
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
	return best, bestAt >= 0
}

var inPathSeeds = []string{
	"20240301-01.txt", "a/2024-03-01.txt", "news/2024/03/01/a.txt", "2024_3_1", "2024.03.01x",
	"x20240230", "1999123120001231", "2024-03-01-2024-04-02", "2024-3-011", "2024-03/01",
	"é20240301", "\xff20240301\xff2024.1.2", "20240301", "2024-1-", "2024--1-1", "192012121",
	"/work/shared/corpora/xinwenlianbo/texts/20240101-01.txt", "a2024-12-31b2023_1_1.txt",
}

func TestInPathAgreesWithRegexp(t *testing.T) {
	for _, p := range inPathSeeds {
		got, ok := InPath(p)
		want, wantOK := inPathByRegexp(p)
		if ok != wantOK || !got.Equal(want) {
			t.Errorf("InPath(%q) = %v %v, regexp %v %v", p, got, ok, want, wantOK)
		}
	}
}

func FuzzInPath(f *testing.F) {
	for _, p := range inPathSeeds {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		got, ok := InPath(p)
		want, wantOK := inPathByRegexp(p)
		if ok != wantOK || !got.Equal(want) {
			t.Fatalf("InPath(%q) = %v %v, regexp %v %v", p, got, ok, want, wantOK)
		}
	})
}

// TestInPathAgreesWithRegexpOnDigits tries many short strings of digits and separators,
// where the two ways of reading dates could part.
func TestInPathAgreesWithRegexpOnDigits(t *testing.T) {
	const alphabet = "0123912-_./x中"
	x := uint32(1)
	for range 200000 {
		var b strings.Builder
		b.WriteString([]string{"", "19", "20", "x20", "/2"}[x%5])
		for range 4 + x%14 {
			x = x*1664525 + 1013904223
			b.WriteString(string([]rune(alphabet)[x>>8%uint32(len([]rune(alphabet)))]))
		}
		p := b.String()
		got, ok := InPath(p)
		want, wantOK := inPathByRegexp(p)
		if ok != wantOK || !got.Equal(want) {
			t.Fatalf("InPath(%q) = %v %v, regexp %v %v", p, got, ok, want, wantOK)
		}
	}
}
