package match

import (
	"os"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

func TestLongestCommon(t *testing.T) {
	tests := []struct {
		a, b string
		want string // the common text as found in A
	}{
		{"甲乙丙丁戊己", "子丑乙丙丁寅", "乙丙丁"},
		{"abcabcabd", "xxabcabdyy", "abcabd"},
		{"会议强调，要坚持稳中求进。", "他说:要坚持稳中求进,不动摇", "要坚持稳中求进"},
		{"完全不同", "另外的话", ""},
		{"", "任何", ""},
	}
	for _, tt := range tests {
		a, b := &corpus.Document{Text: tt.a}, &corpus.Document{Text: tt.b}
		c := longestCommonOf(a, b)
		if got := a.Slice(c.AStart, c.AEnd); got != tt.want {
			t.Errorf("%q, %q: %q (%+v), want %q", tt.a, tt.b, got, c, tt.want)
		}
		if c.Length != len([]rune(tt.want)) {
			t.Errorf("%q, %q: length %d", tt.a, tt.b, c.Length)
		}
	}
}

func TestExplain(t *testing.T) {
	base := "国务院总理今天在人民大会堂作政府工作报告，回顾过去一年的工作，部署今年的任务。会议强调，要坚持稳中求进工作总基调，推动高质量发展，着力稳就业、稳金融、稳外贸。"
	longer := "本报讯 " + base + "另据报道，各地代表团认真审议了报告，一致认为报告实事求是、振奋人心，是一个凝心聚力、催人奋进的好报告。代表们纷纷表示，要把会议精神带回去，结合本地实际抓好贯彻落实，为全年目标任务的完成打下坚实基础。"
	tests := []struct {
		name      string
		a, b      string
		duplicate bool
		contained int
		passes    map[string]bool
	}{
		{"identical", base, base, true, 2, map[string]bool{"document candidate": true, "near-duplicate": true, "copied passage": true}},
		{"A inside a longer B", base, longer, false, 0, map[string]bool{"near-duplicate": false, "copied passage": true, "clause candidate": true}},
		{"B inside A", longer, base, false, 1, map[string]bool{"near-duplicate": false, "copied passage": true}},
		{"two short items", "今天全市天气晴朗，最高气温二十五度，适宜出行。", "今天全市天气晴朗，最高气温二十六度，适宜出游。", true, 2, // each 0.78 in the other
			map[string]bool{"short candidate": true, "document candidate": false, "near-duplicate": true}},
		{"unrelated", base, "今天天气很好，我们去公园散步，看见很多人在放风筝，孩子们跑来跑去，非常开心。", false, -1,
			map[string]bool{"near-duplicate": false, "copied passage": false, "clause candidate": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(&corpus.Document{Path: "a", Text: tt.a}, &corpus.Document{Path: "b", Text: tt.b}, DefaultOptions())
			if e.Duplicate != tt.duplicate {
				t.Errorf("Duplicate = %v, want %v (Jaccard %.3f)", e.Duplicate, tt.duplicate, e.Jaccard)
			}
			if got := e.ContainedIn(); got != tt.contained {
				t.Errorf("ContainedIn = %d, want %d (containment %v)", got, tt.contained, e.Containment)
			}
			for _, c := range e.Checks {
				if want, ok := tt.passes[c.Name]; ok && c.Passes != want {
					t.Errorf("%s passes = %v, want %v (%+v)", c.Name, c.Passes, want, c)
				}
			}
			if e.Duplicate && !(passes(e, "near-duplicate") && (passes(e, "document candidate") || passes(e, "clause candidate") || passes(e, "short candidate"))) {
				t.Errorf("Find reports a duplicate the checks do not explain: %+v", e.Checks)
			}
			if e.Jaccard < 0 || e.Jaccard > 1 || e.Jaccard > min(e.Containment[0], e.Containment[1])+1e-9 {
				t.Errorf("Jaccard %v against containment %v", e.Jaccard, e.Containment)
			}
		})
	}
}

// TestExplainReusePair is the case: pair2 of zh-reuse-pairs, where the suspicious
// text takes in most of the source.
func TestExplainReusePair(t *testing.T) {
	dir := "../../shared/corpora/zh-reuse-pairs/texts/"
	src, err1 := os.ReadFile(dir + "pair2-source.txt")
	sus, err2 := os.ReadFile(dir + "pair2-suspicious.txt")
	if err1 != nil || err2 != nil {
		t.Skipf("zh-reuse-pairs not on this machine: %v %v", err1, err2)
	}
	e := Explain(&corpus.Document{Text: string(src)}, &corpus.Document{Text: string(sus)}, DefaultOptions())
	t.Logf("Jaccard %.3f, containment %.3f / %.3f, distance %d, shared clauses %d, longest %d", e.Jaccard, e.Containment[0], e.Containment[1], e.Distance, e.SharedClauses, e.Longest.Length)
	if e.ContainedIn() != 0 {
		t.Errorf("the source is not contained in the suspicious text: %v", e.Containment)
	}
	if !strings.Contains(string(sus), (&corpus.Document{Text: string(src)}).Slice(e.Longest.AStart, e.Longest.AStart+5)) {
		t.Error("the longest common passage does not start with text of the suspicious side")
	}
}

func passes(e Explanation, name string) bool {
	for _, c := range e.Checks {
		if c.Name == name {
			return c.Passes
		}
	}
	return false
}

// BenchmarkExplain measures one explanation of a repost pair of the sample corpus, Find on
// the two included.
func BenchmarkExplain(b *testing.B) {
	read := func(name string) *corpus.Document {
		data, err := os.ReadFile("../testdata/corpus/" + name)
		if err != nil {
			b.Fatal(err)
		}
		return &corpus.Document{Path: name, Text: string(data)}
	}
	a, c := read("003_3f59fbc2fd11db04.txt"), read("100_repost_of_003.txt")
	b.ReportAllocs()
	for b.Loop() {
		Explain(a, c, DefaultOptions())
	}
}
