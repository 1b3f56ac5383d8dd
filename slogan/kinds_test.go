package slogan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// The words of an invented policy prose, none of them in the seed articles: every modifier
// goes with every head, so that each pair is a phrase put together freely, as 体制改革 and
// 双边关系 are in real reports.
var (
	freeModifiers = []string{"渔业", "林业", "牧业", "矿业", "盐业", "茶业"}
	freeHeads     = []string{"改革", "合作", "资源", "规划", "普查", "治理"}
	plantVerbs    = []string{"推进", "深化", "加快", "推动"}
)

// kindsCorpus writes 60 articles of filler sentences and clauses of invented policy prose:
//   - every modifier-head pair of freeModifiers and freeHeads, each in 8 articles, after a
//     verb of policy: free phrases, which must not be slogans however often a verb stands
//     before them;
//   - 澜湖共治, a closed unit (its parts occur nowhere else), after the same verbs in 15
//     articles: a slogan;
//   - 渔业规划建设 in half the articles that hold 渔业规划: a free phrase that names a
//     programme, so a slogan;
//   - 第九届湖区论坛 in 6 articles: the name of a meeting;
//   - 《澜湖周刊》 in 6 articles: the title of a work, quoted in book-title marks: a name;
//   - 更快增速, a comparison, after the verbs in 8 articles: a phrase.
func kindsCorpus(t *testing.T) []*corpus.Document {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 12))
	filler := fillerSentences(t)
	const articles = 60
	clauses := make([][]string, articles)
	verb := func() string { return plantVerbs[rng.IntN(len(plantVerbs))] }
	plantIn := func(n int, clause func() string) {
		for _, d := range rng.Perm(articles)[:n] {
			clauses[d] = append(clauses[d], clause())
		}
	}
	for _, m := range freeModifiers {
		for _, h := range freeHeads {
			if m+h == "渔业规划" {
				continue
			}
			plantIn(8, func() string { return "要" + verb() + m + h })
		}
	}
	programme := 0
	plantIn(10, func() string {
		programme++
		if programme%2 == 0 {
			return "要" + verb() + "渔业规划建设"
		}
		return "要" + verb() + "渔业规划"
	})
	plantIn(15, func() string { return "要" + verb() + "澜湖共治" })
	plantIn(6, func() string {
		return "第九届湖区论坛" + []string{"今天开幕", "闭幕", "发布成果", "设立分会场"}[rng.IntN(4)]
	})
	plantIn(6, func() string { return "记者从《澜湖周刊》获悉" })
	plantIn(8, func() string { return "要" + verb() + "更快增速" })
	docs := make([]*corpus.Document, articles)
	for d := range docs {
		var b strings.Builder
		for i := 0; i < 3; i++ {
			b.WriteString(filler[(d*3+i)%len(filler)])
		}
		cs := clauses[d]
		rng.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		for _, c := range cs {
			b.WriteString(lead[rng.IntN(len(lead))] + "，" + c + "。")
		}
		docs[d] = &corpus.Document{Path: fmt.Sprintf("kinds-%02d.txt", d), Text: b.String()}
	}
	return docs
}

// TestKindSignals checks that the signals of a kind work on text written for them: a verb
// of policy before a free phrase does not make it a slogan, before a closed unit or a
// programme's name it does; meetings and titles are names; a comparison is a phrase.
func TestKindSignals(t *testing.T) {
	docs := kindsCorpus(t)
	res := Find(docs, Options{})
	kind := func(text string) string {
		if s := bySloganText(res, text); s != nil {
			return s.Kind
		}
		return "(not reported)"
	}
	free := 0
	for _, m := range freeModifiers {
		for _, h := range freeHeads {
			if m+h == "渔业规划" {
				continue
			}
			s := bySloganText(res, m+h)
			if s == nil {
				continue
			}
			free++
			if s.Kind == KindSlogan {
				t.Errorf("%s, a free phrase, is a slogan", m+h)
			}
		}
	}
	t.Logf("%d of %d free phrases reported", free, len(freeModifiers)*len(freeHeads)-1)
	if free < len(freeModifiers)*len(freeHeads)/2 {
		t.Errorf("only %d of the free phrases are reported: the test does not test them", free)
	}
	for _, c := range []struct{ text, want string }{
		{"澜湖共治", KindSlogan},
		{"渔业规划", KindSlogan},
		{"第九届湖区论坛", KindName},
		{"澜湖周刊", KindName},
		{"更快增速", KindPhrase},
	} {
		if got := kind(c.text); got != c.want {
			t.Errorf("%s: kind %s, want %s", c.text, got, c.want)
		}
	}
}

func TestNumbered(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"两个确立", counted}, {"四大能力短板", counted}, {"五位一体", counted},
		{"一带一路", twoNumerals}, {"一国两制", twoNumerals},
		{"一个中国", notNumbered}, {"百分之二十", notNumbered}, {"两位数增长", notNumbered},
		{"高质量发展", notNumbered},
	} {
		if got := numbered(c.text); got != c.want {
			t.Errorf("numbered(%s) = %d, want %d", c.text, got, c.want)
		}
	}
}

func TestNamesEvent(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"二十届三中全会", true}, {"党的二十大", true}, {"二十届四中全会精神", true},
		{"十四届全国人大二次会议", true}, {"政府工作报告", true}, {"第十三次全会", true},
		{"学习党的二十大精神", false}, {"两大奇迹", false}, {"四大发明", false}, {"一带一路", false},
		{"社会主义", false}, {"主持会议", false},
	} {
		if got := namesEvent(c.text); got != c.want {
			t.Errorf("namesEvent(%s) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestOpensOpen(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"更高水平", true}, {"较快增长", true}, {"本世纪末", true}, {"改革开放以来", true},
		{"高质量发展", false}, {"平安中国", false},
	} {
		if got := opensOpen(c.text); got != c.want {
			t.Errorf("opensOpen(%s) = %v, want %v", c.text, got, c.want)
		}
	}
}
