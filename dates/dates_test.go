package dates

import (
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
