package diff

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// chineseCases show what the Chinese-aware cleanup changes. raw is go-diff's semantic cleanup
// alone (recorded so that the difference stays visible); want is Chars.
var chineseCases = []struct {
	name, a, b, raw, want string
}{
	{
		name: "names either side of a comma stay two changes",
		a:    "出席会议的有王明，李华等。",
		b:    "出席会议的有张三，赵四等。",
		raw:  "出席会议的有[-王明，李华-]{+张三，赵四+}等。",
		want: "出席会议的有[-王明-]{+张三+}，[-李华-]{+赵四+}等。",
	},
	{
		name: "enumeration comma is kept",
		a:    "代表来自北京、上海和广州。",
		b:    "代表来自天津、重庆和广州。",
		raw:  "代表来自[-北京、上海-]{+天津、重庆+}和广州。",
		want: "代表来自[-北京-]{+天津+}、[-上海-]{+重庆+}和广州。",
	},
	{
		name: "repeated clause is inserted after the comma",
		a:    "好好学习，天天向上。",
		b:    "好好学习，天天向上，天天向上。",
		raw:  "好好学习，天天向上{+，天天向上+}。",
		want: "好好学习，{+天天向上，+}天天向上。",
	},
	{
		name: "inserted sentence starts after the full stop",
		a:    "会议指出。要坚持。",
		b:    "会议指出。要加强。要坚持。",
		raw:  "会议指出。要{+加强。要+}坚持。",
		want: "会议指出。{+要加强。+}要坚持。",
	},
	{
		name: "one shared character inside a rewritten word is folded in",
		a:    "一是加强领导，二是完善制度，三是强化监督。",
		b:    "一是强化领导，二是健全机制，三是严格考核。",
		raw:  "一是[-加-]强{+化+}领导，二是[-完善制度，三是强化监督-]{+健全机制，三是严格考核+}。",
		want: "一是[-加强-]{+强化+}领导，二是[-完善制度-]{+健全机制+}，三是[-强化监督-]{+严格考核+}。",
	},
	{
		name: "chance match in a rewritten phrase",
		a:    "今年以来，全省经济运行总体平稳。",
		b:    "今年以来，全市经济运行稳中向好。",
		raw:  "今年以来，全[-省-]{+市+}经济运行[-总体平-]稳{+中向好+}。",
		want: "今年以来，全[-省-]{+市+}经济运行[-总体平稳-]{+稳中向好+}。",
	},
	{
		name: "attribution and subject are separate clauses",
		a:    "专家认为，房价短期内难以大幅下跌。",
		b:    "业内人士指出，楼市短期内难以明显回暖。",
		raw:  "[-专家认为，房价-]{+业内人士指出，楼市+}短期内难以[-大幅下跌-]{+明显回暖+}。",
		want: "[-专家认为-]{+业内人士指出+}，[-房价-]{+楼市+}短期内难以[-大幅下跌-]{+明显回暖+}。",
	},
	{
		name: "small edits are left alone",
		a:    "记者从市教育局获悉，今年全市共有3万名考生参加中考。",
		b:    "记者从市教育局了解到，今年全市共有3.2万名考生报名参加中考。",
		raw:  "记者从市教育局[-获悉-]{+了解到+}，今年全市共有3{+.2+}万名考生{+报名+}参加中考。",
		want: "记者从市教育局[-获悉-]{+了解到+}，今年全市共有3{+.2+}万名考生{+报名+}参加中考。",
	},
	{
		name: "english reads as go-diff made it",
		a:    "The quick brown fox jumps over the lazy dog.",
		b:    "The quick red fox jumped over the lazy cat.",
		raw:  "The quick [-brown-]{+red+} fox jump[-s-]{+ed+} over the lazy [-dog-]{+cat+}.",
		want: "The quick [-brown-]{+red+} fox jump[-s-]{+ed+} over the lazy [-dog-]{+cat+}.",
	},
}

func TestCharsChinese(t *testing.T) {
	for _, c := range chineseCases {
		t.Run(c.name, func(t *testing.T) {
			if got := markup(Raw(c.a, c.b)); got != c.raw {
				t.Errorf("go-diff alone:\n got %s\nwant %s", got, c.raw)
			}
			got := Chars(c.a, c.b)
			if m := markup(got); m != c.want {
				t.Errorf("Chars:\n got %s\nwant %s", m, c.want)
			}
			checkEdits(t, got, c.a, c.b)
		})
	}
}

// checkEdits asserts that edits rebuild a and b and are in normal form.
func checkEdits(t *testing.T, edits []Edit, a, b string) {
	t.Helper()
	var ga, gb strings.Builder
	for i, e := range edits {
		if e.Text == "" {
			t.Errorf("edit %d is empty", i)
		}
		if e.Op != Insert {
			ga.WriteString(e.Text)
		}
		if e.Op != Delete {
			gb.WriteString(e.Text)
		}
	}
	if ga.String() != a {
		t.Errorf("left side gives %q, want %q", ga.String(), a)
	}
	if gb.String() != b {
		t.Errorf("right side gives %q, want %q", gb.String(), b)
	}
}

func sideText(rows []Row, left bool) string {
	var s strings.Builder
	for _, r := range rows {
		side := r.Right
		if left {
			side = r.Left
		}
		for _, e := range side {
			s.WriteString(e.Text)
		}
	}
	return s.String()
}

// rowsMarkup shows rows one per line: left | right, with a one-sided row's other side as ~.
func rowsMarkup(rows []Row) string {
	var b strings.Builder
	side := func(es []Edit) string {
		if es == nil {
			return "~"
		}
		return strings.ReplaceAll(markup(es), "\n", "")
	}
	for _, r := range rows {
		b.WriteString(side(r.Left) + " | " + side(r.Right) + "\n")
	}
	return b.String()
}

func TestRows(t *testing.T) {
	long := strings.Repeat("这是一个很长的句子。", 150) // 1,500 runes on one line
	tests := []struct {
		name, a, b, want string
	}{
		{
			name: "identical",
			a:    "甲\n乙\n",
			b:    "甲\n乙\n",
			want: "甲 | 甲\n乙 | 乙\n",
		},
		{
			name: "paragraph inserted",
			a:    "第一段。\n第三段。\n",
			b:    "第一段。\n新加的第二段。\n第三段。\n",
			want: "第一段。 | 第一段。\n~ | {+新加的第二段。+}\n第三段。 | 第三段。\n",
		},
		{
			name: "paragraph deleted and another edited",
			a:    "开头。\n删掉的一段话。\n会议在北京召开。\n",
			b:    "开头。\n会议在上海召开。\n",
			want: "开头。 | 开头。\n[-删掉的一段话。-] | ~\n会议在[-北京-]召开。 | 会议在{+上海+}召开。\n",
		},
		{
			name: "unrelated paragraphs are not paired",
			a:    "甲乙丙丁戊己庚辛。\n",
			b:    "子丑寅卯辰巳午未。\n",
			want: "[-甲乙丙丁戊己庚辛。-] | ~\n~ | {+子丑寅卯辰巳午未。+}\n",
		},
		{
			name: "no final line break on one side",
			a:    "同一行",
			b:    "同一行\n",
			want: "同一行 | 同一行{++}\n",
		},
		{
			name: "empty left",
			a:    "",
			b:    "新\n",
			want: "~ | {+新+}\n",
		},
		{
			name: "a long line is cut at sentence ends",
			a:    long,
			b:    long,
			want: strings.Repeat(strings.Repeat("这是一个很长的句子。", 100)+" | "+strings.Repeat("这是一个很长的句子。", 100)+"\n", 1) +
				strings.Repeat("这是一个很长的句子。", 50) + " | " + strings.Repeat("这是一个很长的句子。", 50) + "\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := Rows(tt.a, tt.b)
			if got := rowsMarkup(rows); got != tt.want {
				t.Errorf("rows:\n%s\nwant:\n%s", got, tt.want)
			}
			if got := sideText(rows, true); got != tt.a {
				t.Errorf("left side gives %q, want %q", got, tt.a)
			}
			if got := sideText(rows, false); got != tt.b {
				t.Errorf("right side gives %q, want %q", got, tt.b)
			}
		})
	}
}

func TestCharsCoarseBeyondLimit(t *testing.T) {
	a := "前缀" + strings.Repeat("甲乙", MaxChars/2) + "后缀"
	b := "前缀" + strings.Repeat("乙甲", MaxChars/2) + "后缀"
	got := Chars(a, b)
	checkEdits(t, got, a, b)
	if len(got) != 4 || got[0].Text != "前缀" || got[3].Text != "后缀" || got[1].Op != Delete || got[2].Op != Insert {
		t.Errorf("want prefix, one delete, one insert, suffix; got %d edits", len(got))
	}
}

func TestRowsLargeInputIsBoundedAndExact(t *testing.T) {
	// About 1 MB per side, one line each: must be cut into units and still rebuild both texts.
	var a, b strings.Builder
	for i := range 30000 {
		s := "第" + string(rune('甲'+i%50)) + "条新闻说了一些事情。"
		a.WriteString(s)
		if i%7 == 0 {
			s = "改写后的" + s
		}
		b.WriteString(s)
	}
	rows := Rows(a.String(), b.String())
	if sideText(rows, true) != a.String() || sideText(rows, false) != b.String() {
		t.Fatal("sides do not rebuild the inputs")
	}
	for i, r := range rows {
		n := 0
		for _, e := range append(append([]Edit(nil), r.Left...), r.Right...) {
			n += utf8.RuneCountInString(e.Text)
		}
		if n > 2*MaxParagraph+2 {
			t.Fatalf("row %d holds %d runes, more than two units", i, n)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := strings.Repeat("今天天气很好，我们去公园散步。\n", 40)
	b := strings.Repeat("今天天气不错，他们去公园跑步。\n", 40)
	first := rowsMarkup(Rows(a, b))
	for range 5 {
		if got := rowsMarkup(Rows(a, b)); got != first {
			t.Fatal("two runs gave different rows")
		}
	}
}

// FuzzDiff checks Rows on any input: the left sides rebuild A and the right sides B exactly
// (as Go decodes them), and within a row the equal text of the two sides is the same once
// whitespace is dropped. That is the reconstruction property restated for folded line breaks:
// an equal edit may hold a line break on one side where the other has a space or nothing.
func FuzzDiff(f *testing.F) {
	for _, c := range chineseCases {
		f.Add(c.a, c.b)
	}
	for _, c := range rewrapCases {
		f.Add(c.a, c.b)
	}
	f.Add("第一段。\n第三段。\n", "第一段。\n新加的第二段。\n第三段。\n")
	f.Add("", "x")
	f.Add("a\r\nb", "a\nb\r\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		// Invalid UTF-8 reads as U+FFFD, so the sides rebuild the texts as Go decodes them.
		wa, wb := string([]rune(a)), string([]rune(b))
		checkRows(t, Rows(a, b), wa, wb)
		checkEdits(t, Chars(a, b), wa, wb)
		checkNormalizedRows(t, RowsNormalized(a, b), wa, wb)
	})
}

func BenchmarkRows(b *testing.B) {
	for _, paras := range []int{10, 100, 1000} {
		var x, y strings.Builder
		for i := range paras {
			x.WriteString("记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。\n")
			if i%3 == 0 {
				y.WriteString("记者从市教育局了解到，今年全市共有3.2万名考生报名参加中考。\n")
			} else {
				y.WriteString("记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。\n")
			}
		}
		b.Run(fmt.Sprintf("%dparagraphs", paras), func(b *testing.B) {
			b.SetBytes(int64(x.Len() + y.Len()))
			b.ReportAllocs()
			for b.Loop() {
				Rows(x.String(), y.String())
			}
		})
	}
}
