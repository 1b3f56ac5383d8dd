package report

import (
	"bytes"
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
