package diff

import (
	"strings"
	"testing"
)

// reflowMarkup shows rows one per line as they read: each side re-flowed, a blank line
// after it as ¶, a missing side as ~.
func reflowMarkup(rows []Row) string {
	var b strings.Builder
	side := func(es []Edit) string {
		if es == nil {
			return "~"
		}
		r, blank := Reflow(es)
		return markup(r) + strings.Repeat("¶", blank)
	}
	for _, r := range rows {
		b.WriteString(side(r.Left) + " | " + side(r.Right) + "\n")
	}
	return b.String()
}

// hardWrap cuts every line of text after n runes, as a wrapper for Chinese text does: anywhere,
// spaces kept.
func hardWrap(text string, n int) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		rs := []rune(strings.TrimSuffix(line, "\n"))
		for len(rs) > n {
			b.WriteString(string(rs[:n]) + "\n")
			rs = rs[n:]
		}
		b.WriteString(string(rs))
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

const (
	rewrapEnglish = "The city council voted on Tuesday evening to fund four kilometres of protected cycling lanes along the riverside district, after two years of consultation.\n\n" +
		"Council members said the project would be paid for from the regional transport fund.\n"
	rewrapChinese = "记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。\n" +
		"考试将于6月20日开始，为期三天，全市共设考点四十个。\n" +
		"各考点将安排医护人员值守，并为有特殊需要的考生提供帮助。\n"
	rewrapMixed = "新版本使用 Go 语言编写，速度提高了 2.5 倍，内存占用减少了一半以上，启动时间缩短到 120 毫秒，详情见 release notes 一文。\n"
)

var rewrapCases = []struct {
	name, a, b, want string
	allEqual         bool // the texts differ in line breaks only
}{
	{
		name: "english re-wrapped at 60 with one edit",
		a:    rewrapEnglish,
		b: "The city council voted on Tuesday evening to fund four\n" +
			"kilometres of protected cycle lanes along the riverside\n" +
			"district, after two years of consultation.\n\n" +
			"Council members said the project would be paid for from\n" +
			"the regional transport fund.\n",
		want: "The city council voted on Tuesday evening to fund four kilometres of protected cycl[-ing-] lanes along the riverside district, after two years of consultation.¶ | " +
			"The city council voted on Tuesday evening to fund four kilometres of protected cycl{+e+} lanes along the riverside district, after two years of consultation.¶\n" +
			"Council members said the project would be paid for from the regional transport fund. | Council members said the project would be paid for from the regional transport fund.\n",
	},
	{
		name:     "english wrapped at two widths",
		a:        "The city council voted on Tuesday\nevening to fund four kilometres of\nprotected cycling lanes along the\nriverside district.\n",
		b:        "The city council voted on Tuesday evening to fund four kilometres\nof protected cycling lanes along the riverside district.\n",
		want:     "The city council voted on Tuesday evening to fund four kilometres of protected cycling lanes along the riverside district. | The city council voted on Tuesday evening to fund four kilometres of protected cycling lanes along the riverside district.\n",
		allEqual: true,
	},
	{
		name: "chinese hard-wrapped at 16 with one edit",
		a:    rewrapChinese,
		b:    strings.Replace(hardWrap(rewrapChinese, 16), "获悉", "了解到", 1),
		want: "记者从市教育局[-获悉-]，今年全市共有3万名考生参加中考，比去年增加了两千人。 | 记者从市教育局{+了解到+}，今年全市共有3万名考生参加中考，比去年增加了两千人。\n" +
			"考试将于6月20日开始，为期三天，全市共设考点四十个。 | 考试将于6月20日开始，为期三天，全市共设考点四十个。\n" +
			"各考点将安排医护人员值守，并为有特殊需要的考生提供帮助。 | 各考点将安排医护人员值守，并为有特殊需要的考生提供帮助。\n",
	},
	{
		name:     "chinese hard-wrapped, nothing else",
		a:        rewrapChinese,
		b:        hardWrap(rewrapChinese, 13),
		want:     "记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。 | 记者从市教育局获悉，今年全市共有3万名考生参加中考，比去年增加了两千人。\n考试将于6月20日开始，为期三天，全市共设考点四十个。 | 考试将于6月20日开始，为期三天，全市共设考点四十个。\n各考点将安排医护人员值守，并为有特殊需要的考生提供帮助。 | 各考点将安排医护人员值守，并为有特殊需要的考生提供帮助。\n",
		allEqual: true,
	},
	{
		// The wrapper dropped the space after 了; the break next to a Chinese character reads
		// as nothing, as it does in Chinese text, and the missing space is no change.
		name: "mixed, wrapped at spaces and between chinese characters",
		a:    rewrapMixed,
		b: "新版本使用 Go 语言编写，速度提高了\n" +
			"2.5 倍，内存占用减少了一半以上，启动\n" +
			"时间缩短到 120 毫秒，详情见 release\n" +
			"notes 一文。\n",
		want:     "新版本使用 Go 语言编写，速度提高了 2.5 倍，内存占用减少了一半以上，启动时间缩短到 120 毫秒，详情见 release notes 一文。 | 新版本使用 Go 语言编写，速度提高了2.5 倍，内存占用减少了一半以上，启动时间缩短到 120 毫秒，详情见 release notes 一文。\n",
		allEqual: true,
	},
	{
		// Where a wrapper cut a word, the break reads as a space (it cannot be told from one
		// that took the place of a space), but it is still no change.
		name:     "mixed, hard-wrapped through words and numbers",
		a:        rewrapMixed,
		b:        hardWrap(rewrapMixed, 16),
		want:     "新版本使用 Go 语言编写，速度提高了 2.5 倍，内存占用减少了一半以上，启动时间缩短到 120 毫秒，详情见 release notes 一文。 | 新版本使用 Go 语言编写，速度提高了 2.5 倍，内存占用减少了一半以上，启动时间缩短到 12 0 毫秒，详情见 release notes 一文。\n",
		allEqual: true,
	},
	{
		name: "paragraph split in two",
		a:    "The council approved the lanes on Tuesday. Work starts in spring and takes nine months.\n\nShops asked for loading bays.\n",
		b:    "The council approved the lanes on Tuesday.\n\nWork starts in spring and takes nine months.\n\nShops asked for loading bays.\n",
		want: "The council approved the lanes on Tuesday.[- -] | The council approved the lanes on Tuesday.¶\n" +
			"Work starts in spring and takes nine months.¶ | Work starts in spring and takes nine months.¶\n" +
			"Shops asked for loading bays. | Shops asked for loading bays.\n",
	},
	{
		name: "two paragraphs merged",
		a:    "会议听取了工作报告。\n\n会议审议了预算草案，并通过了决议。\n\n散会。\n",
		b:    "会议听取了工作报告，审议了预算草案，并通过了决议。\n\n散会。\n",
		want: "会议听取了工作报告[-。-]¶ | 会议听取了工作报告\n" +
			"[-会议-]审议了预算草案，并通过了决议。¶ | {+，+}审议了预算草案，并通过了决议。¶\n" +
			"散会。 | 散会。\n",
	},
	{
		// Without a blank line, a paragraph break and a wrapped line look alike: both sides
		// read the same, and only the rows show that B starts a paragraph.
		name:     "chinese split without a blank line",
		a:        "会议听取了工作报告。会议审议了预算草案，并通过了决议。\n",
		b:        "会议听取了工作报告。\n会议审议了预算草案，并通过了决议。\n",
		want:     "会议听取了工作报告。 | 会议听取了工作报告。\n会议审议了预算草案，并通过了决议。 | 会议审议了预算草案，并通过了决议。\n",
		allEqual: true,
	},
	{
		name: "title and byline stay rows of their own",
		a:    "Council approves cycling lanes\nBy a staff reporter\n\n" + rewrapEnglish,
		b: "Council approves cycling lanes\nBy a staff reporter\n\n" +
			"The city council voted on Tuesday evening to fund four kilometres of protected\n" +
			"cycling lanes along the riverside district, after two years of consultation.\n\n" +
			"Council members said the project would be paid for from the regional transport\nfund.\n",
		want: "Council approves cycling lanes | Council approves cycling lanes\n" +
			"By a staff reporter¶ | By a staff reporter¶\n" +
			"The city council voted on Tuesday evening to fund four kilometres of protected cycling lanes along the riverside district, after two years of consultation.¶ | The city council voted on Tuesday evening to fund four kilometres of protected cycling lanes along the riverside district, after two years of consultation.¶\n" +
			"Council members said the project would be paid for from the regional transport fund. | Council members said the project would be paid for from the regional transport fund.\n",
		allEqual: true,
	},
}

func TestRowsRewrapped(t *testing.T) {
	for _, c := range rewrapCases {
		t.Run(c.name, func(t *testing.T) {
			rows := Rows(c.a, c.b)
			if got := reflowMarkup(rows); got != c.want {
				t.Errorf("rows:\n%s\nwant:\n%s", got, c.want)
			}
			checkRows(t, rows, c.a, c.b)
			for i, r := range rows {
				for _, e := range append(append([]Edit(nil), r.Left...), r.Right...) {
					if c.allEqual && e.Op != Equal {
						t.Errorf("row %d marks %q as changed; only line breaks differ", i, e.Text)
					}
				}
			}
		})
	}
}

// checkRows asserts the properties of Rows: the left sides rebuild a and the right sides b
// exactly, each side holds only its own operations, and the equal text of a row is the same on
// both sides once whitespace is dropped (it differs only where a line break was folded).
func checkRows(t *testing.T, rows []Row, a, b string) {
	t.Helper()
	if got := sideText(rows, true); got != a {
		t.Errorf("left side gives %q, want %q", got, a)
	}
	if got := sideText(rows, false); got != b {
		t.Errorf("right side gives %q, want %q", got, b)
	}
	for i, r := range rows {
		var eqL, eqR strings.Builder
		for _, e := range r.Left {
			if e.Op == Insert {
				t.Errorf("row %d: insert on the left", i)
			}
			if e.Op == Equal {
				eqL.WriteString(e.Text)
			}
		}
		for _, e := range r.Right {
			if e.Op == Delete {
				t.Errorf("row %d: delete on the right", i)
			}
			if e.Op == Equal {
				eqR.WriteString(e.Text)
			}
		}
		if l, r := key(eqL.String()), key(eqR.String()); l != r {
			t.Errorf("row %d: equal text differs beyond whitespace: %q and %q", i, l, r)
		}
	}
}

func TestUnits(t *testing.T) {
	wrapped60 := hardWrap(strings.Repeat("这是一个用来测试换行的句子，", 12)+"结束。\n", 60)
	tests := []struct {
		name, text string
		want       []string
	}{
		{"one paragraph per line", "第一段。\n第二段。\n", []string{"第一段。\n", "第二段。\n"}},
		{"blank lines go with the paragraph before", "\n\n甲。\n\n\n乙。\n", []string{"\n\n", "甲。\n\n\n", "乙。\n"}},
		{"short lines are not joined", "姓名：张三\n电话：12345\n地址：北京市\n", []string{"姓名：张三\n", "电话：12345\n", "地址：北京市\n"}},
		{
			"greedy-wrapped english is one paragraph",
			"The city council voted on Tuesday evening to fund four\nkilometres of protected cycle lanes along the riverside\ndistrict, after two years of consultation.\n",
			[]string{"The city council voted on Tuesday evening to fund four\nkilometres of protected cycle lanes along the riverside\ndistrict, after two years of consultation.\n"},
		},
		{"hard-wrapped chinese with a line ending on a full stop", "标题\n\n" + wrapped60, []string{"标题\n\n", wrapped60}},
		{
			"a sentence end ends a line that is not full",
			"The council met on Tuesday evening and voted to fund the new lanes.\nWork starts in spring.\n",
			[]string{"The council met on Tuesday evening and voted to fund the new lanes.\n", "Work starts in spring.\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := units(tt.text)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("units:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestReflow(t *testing.T) {
	tests := []struct {
		name  string
		side  []Edit
		want  string
		blank int
	}{
		{"english break reads as a space", []Edit{{Equal, "riverside\ndistrict\n"}}, "riverside district", 0},
		{"chinese break reads as nothing", []Edit{{Equal, "铁军\n?近日\r\n\r\n"}}, "铁军?近日", 1},
		{"past a closing quote", []Edit{{Equal, "业绩。”\n“关键"}}, "业绩。”“关键", 0},
		{"a kept space next to chinese", []Edit{{Equal, "缩短到\n 120"}}, "缩短到 120", 0},
		{"a break inside a change keeps its op", []Edit{{Equal, "cycl"}, {Delete, "ing\nlanes"}, {Equal, " go\n\n\n"}}, "cycl[-ing lanes-] go", 2},
		{"blank lines alone", []Edit{{Delete, "\n\n"}}, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, blank := Reflow(tt.side)
			if markup(got) != tt.want || blank != tt.blank {
				t.Errorf("got %q and %d blank lines, want %q and %d", markup(got), blank, tt.want, tt.blank)
			}
		})
	}
}
