package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/neardup/neardup/diff"
)

func TestWriteSideBySideGolden(t *testing.T) {
	rows := diff.Rows(fixtureTexts["news/a.txt"], fixtureTexts["news/b.txt"]+
		"A long English line that has to wrap inside its column, with words and 数字 123456789 mixed.\n")
	tests := []struct {
		golden string
		opt    SideBySide
	}{
		{"sidebyside-60.txt", SideBySide{NameA: "news/a.txt", NameB: "news/b.txt", Width: 60}},
		{"sidebyside-120.txt", SideBySide{NameA: "news/a.txt", NameB: "news/b.txt", Width: 120}},
		{"sidebyside-60-color.txt", SideBySide{NameA: "news/a.txt", NameB: "news/b.txt", Width: 60, Color: true}},
		{"sidebyside-120-color.txt", SideBySide{NameA: "news/a.txt", NameB: "news/b.txt", Width: 120, Color: true}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSideBySide(&b, rows, tt.opt); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, b.Bytes())
			checkWidth(t, b.String(), max(tt.opt.Width, MinSideBySideWidth))
		})
	}
}

var ansiCode = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkWidth fails for a line wider than width cells, or for an escape other than a colour.
func checkWidth(t *testing.T, out string, width int) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		plain := ansiCode.ReplaceAllString(line, "")
		if strings.ContainsFunc(plain, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
		if w := cellWidth(plain); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, width, plain)
		}
	}
}

func TestSideBySideMarksChangesWithoutColour(t *testing.T) {
	rows := diff.Rows("会议在北京召开。\n删掉的一段话。\n", "会议在上海召开。\n")
	var b bytes.Buffer
	if err := WriteSideBySide(&b, rows, SideBySide{NameA: "a", NameB: "b", Width: 60}); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"a                              b\n" +
		"1 会议在[-北京-]召开。       | 1 会议在{+上海+}召开。\n" +
		"2 [-删掉的一段话。-]         <\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// hardWrapRunes breaks s after every n runes.
func hardWrapRunes(s string, n int) string {
	rs := []rune(s)
	var b strings.Builder
	for len(rs) > n {
		b.WriteString(string(rs[:n]) + "\n")
		rs = rs[n:]
	}
	b.WriteString(string(rs))
	return b.String()
}

func TestSideBySideReflowsRewrappedText(t *testing.T) {
	a := "标题\n\n记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。\n\n" +
		"The council voted on Tuesday evening to fund the new lanes along the river.\n"
	b := "标题\n\n记者从市教育局获悉，今年全市共有3万名考生\n参加中考，比去年增加了两千人。\n\n" +
		"The council voted on Tuesday evening to fund\nthe new lanes along the river.\n"
	var out bytes.Buffer
	if err := WriteSideBySide(&out, diff.Rows(a, b), SideBySide{NameA: "a", NameB: "b", Width: 100}); err != nil {
		t.Fatal(err)
	}
	// One row per paragraph, no change marked, each paragraph re-flowed in its column; B's
	// line numbers show where its lines start.
	want := "" +
		"a                                                  b\n" +
		"1 标题                                             1 标题\n" +
		"\n" +
		"3 记者从市教育局获悉，今年全市共有3万名考生参加    3 记者从市教育局获悉，今年全市共有3万名考生参加\n" +
		"  中考，比去年增加了两千人。                         中考，比去年增加了两千人。\n" +
		"\n" +
		"5 The council voted on Tuesday evening to fund t   6 The council voted on Tuesday evening to fund t\n" +
		"  he new lanes along the river.                      he new lanes along the river.\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSideBySideTerminalSafety(t *testing.T) {
	hostile := "标题\x1b]0;pwned\x07\x1b[2J\u202e反转\r\u0085结束\t制表\x00\n"
	rows := diff.Rows(hostile, "标题\x1b[31m红色\x9b1m\n")
	var b bytes.Buffer
	if err := WriteSideBySide(&b, rows, SideBySide{NameA: "a\x1b[2J", NameB: "b\n", Width: 60, Color: true}); err != nil {
		t.Fatal(err)
	}
	plain := ansiCode.ReplaceAllString(b.String(), "")
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\r", "\u0085", "\x9b", "\x00"} {
		if strings.Contains(plain, bad) {
			t.Errorf("output holds %q", bad)
		}
	}
	for _, code := range ansiCode.FindAllString(b.String(), -1) {
		if code != ansiDelete && code != ansiInsert && code != ansiDim && code != ansiReset {
			t.Errorf("output holds escape %q, not one of the renderer's", code)
		}
	}
	checkWidth(t, b.String(), 60)
}

func TestSideBySideWidth(t *testing.T) {
	long := func(s string, n int) string { return strings.Repeat(s, n) }
	texts := map[string][2]string{
		"chinese": {long("中华人民共和国成立于一九四九年，", 30) + "\n短句。\n", long("中华人民共和国成立于1949年，", 30) + "\n短句！\n"},
		"english": {long("The quick brown fox jumps over the lazy dog. ", 20) + "\n", long("The quick red fox jumped over the lazy cat. ", 20) + "\n"},
		"mixed":   {long("Go语言diff测试a中b文c", 25) + "\n", long("Go語言diff测验a中bb文c", 25) + "\n"},
		// A wide character lands on every possible wrap point when the ASCII prefix shifts it.
		"wide at wrap": {"x" + long("宽", 200) + "\n", "xy" + long("宽", 200) + "\n"},
		"emoji":        {long("👍🏽❤️e\u0301漢", 40) + "\n", long("👍❤漢e", 40) + "\n"},
		"tabs":         {long("a\tb\t宽\t", 40) + "\n", long("a\tc\t宽\t", 40) + "\n"},
		"no newline":   {long("甲乙丙", 500), long("甲乙丁", 500)},
		// Re-wrapped paragraphs are re-flowed into one row: wide characters either side of a
		// folded break must still fit.
		"rewrapped": {long("中华人民共和国成立于一九四九年，", 12) + "\n\n" + long("The quick brown fox jumps. ", 9) + "\n",
			hardWrapRunes(long("中华人民共和国成立于一九四九年，", 12), 23) + "\n\n" + hardWrapRunes(long("The quick brown fox jumps. ", 9), 37) + "\n"},
	}
	for name, ab := range texts {
		for _, width := range []int{40, 41, 60, 80, 97} {
			for _, color := range []bool{false, true} {
				var b bytes.Buffer
				if err := WriteSideBySide(&b, diff.Rows(ab[0], ab[1]), SideBySide{NameA: ab[0][:10], NameB: "b", Width: width, Color: color}); err != nil {
					t.Fatal(err)
				}
				t.Run(name, func(t *testing.T) { checkWidth(t, b.String(), width) })
			}
		}
	}
}

func BenchmarkWriteSideBySide(b *testing.B) {
	rows := diff.Rows(strings.Repeat(fixtureTexts["news/a.txt"], 50), strings.Repeat(fixtureTexts["news/b.txt"], 50))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteSideBySide(&bytes.Buffer{}, rows, SideBySide{Width: 100}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSideBySideFoldsUnchangedLines(t *testing.T) {
	var a strings.Builder
	for i := range 40 {
		fmt.Fprintf(&a, "第%d段，内容不变。\n", i+1)
	}
	b := strings.Replace(a.String(), "第20段，内容不变。", "第20段，内容改了。", 1)
	rows := diff.Rows(a.String(), b)
	tests := []struct {
		context     int
		lines       int      // written lines: header, notes, shown lines
		want        []string // in the output
		hiddenFirst string   // the note before the change
	}{
		{context: 3, lines: 1 + 1 + 7 + 1, want: []string{"第17段", "第23段", "内容[-不变-]"}, hiddenFirst: "··· 16 unchanged lines hidden ···"},
		{context: 0, lines: 1 + 1 + 1 + 1, want: []string{"第20段"}, hiddenFirst: "··· 19 unchanged lines hidden ···"},
		{context: 100, lines: 1 + 40, want: []string{"第1段", "第40段"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.context), func(t *testing.T) {
			var out bytes.Buffer
			if err := WriteSideBySide(&out, rows, SideBySide{NameA: "a", NameB: "b", Width: 80, Fold: true, Context: tt.context}); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			if n := strings.Count(got, "\n"); n != tt.lines {
				t.Errorf("%d lines, want %d:\n%s", n, tt.lines, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if tt.hiddenFirst != "" && !strings.Contains(got, tt.hiddenFirst) {
				t.Errorf("output lacks %q:\n%s", tt.hiddenFirst, got)
			}
			if strings.Contains(got, "第16段") && tt.context < 4 {
				t.Errorf("line 16 is shown with context %d:\n%s", tt.context, got)
			}
		})
	}
	// A long paragraph with one change shows only the lines near it.
	long := strings.Repeat("国务院总理在人民大会堂作政府工作报告，", 60) + "\n"
	changed := strings.Replace(long, "人民大会堂作", "人民大会堂做", 1)
	var out bytes.Buffer
	if err := WriteSideBySide(&out, diff.Rows(long, changed), SideBySide{Width: 80, Fold: true, Context: 2}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n > 1+4+1 {
		t.Errorf("a one-character change in one long paragraph takes %d lines:\n%s", n, out.String())
	}
}
