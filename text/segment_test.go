package text

import (
	"reflect"
	"testing"
)

var segmentTests = []struct {
	name      string
	in        string
	sentences []string
	clauses   []string
}{
	{"chinese terminators", "第一句。第二句！第三句？第四句；完",
		[]string{"第一句。", "第二句！", "第三句？", "第四句；", "完"},
		[]string{"第一句。", "第二句！", "第三句？", "第四句；", "完"}},
	{"closing quote stays", "他说：“好。”然后走了。",
		[]string{"他说：“好。”", "然后走了。"},
		[]string{"他说：", "“好。”", "然后走了。"}},
	{"clause marks", "一、二，三：四,五:六",
		[]string{"一、二，三：四,五:六"},
		[]string{"一、", "二，", "三：", "四,", "五:", "六"}},
	{"line breaks and trimming", "  标题  \r\n\r\n　正文第一段\n  \n第二段  ",
		[]string{"标题", "正文第一段", "第二段"},
		[]string{"标题", "正文第一段", "第二段"}},
	{"numbers are not cut", "增长3.5%，达到1,000亿元，12:30开会。",
		[]string{"增长3.5%，达到1,000亿元，12:30开会。"},
		[]string{"增长3.5%，", "达到1,000亿元，", "12:30开会。"}},
	{"full-width decimal", "增长３．５个百分点．下一句",
		[]string{"增长３．５个百分点．", "下一句"},
		[]string{"增长３．５个百分点．", "下一句"}},
	{"ellipsis run", "短短3天内……为深入学习。",
		[]string{"短短3天内……", "为深入学习。"},
		[]string{"短短3天内……", "为深入学习。"}},
	{"english", "It works. See e.g. the docs! Really?! \"Yes.\" Done",
		[]string{"It works.", "See e.g.", "the docs!", "Really?!", "\"Yes.\"", "Done"},
		[]string{"It works.", "See e.g.", "the docs!", "Really?!", "\"Yes.\"", "Done"}},
	{"punctuation only dropped", "。。。\n——\n（）\n好",
		[]string{"好"},
		[]string{"好"}},
	{"brackets after terminator", "（完。）下文",
		[]string{"（完。）", "下文"},
		[]string{"（完。）", "下文"}},
	{"empty", "", nil, nil},
}

func TestSegment(t *testing.T) {
	for _, tt := range segmentTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spanTexts(tt.in, Sentences(tt.in)); !reflect.DeepEqual(got, tt.sentences) {
				t.Errorf("Sentences(%q) =\n%q\nwant\n%q", tt.in, got, tt.sentences)
			}
			if got := spanTexts(tt.in, Clauses(tt.in)); !reflect.DeepEqual(got, tt.clauses) {
				t.Errorf("Clauses(%q) =\n%q\nwant\n%q", tt.in, got, tt.clauses)
			}
		})
	}
}

func spanTexts(text string, spans []Span) []string {
	runes := []rune(text)
	var out []string
	for _, s := range spans {
		out = append(out, string(runes[s.Start:s.End]))
	}
	return out
}

// checkSpans asserts spans are in bounds, non-empty, ordered and disjoint.
func checkSpans(t *testing.T, text string, spans []Span) {
	t.Helper()
	n := len([]rune(text))
	prev := 0
	for i, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > n {
			t.Fatalf("span %d %v: out of order or bounds (previous end %d, text %d code points)", i, s, prev, n)
		}
		prev = s.End
	}
}
