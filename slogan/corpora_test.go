package slogan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// loadCorpus loads one of the shared corpora, or skips the test when it is absent.
func loadCorpus(tb testing.TB, name string) []*corpus.Document {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpora", name, "texts")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus absent: %v", err)
	}
	docs, _, err := corpus.Load([]string{dir}, nil, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

// topSlogans returns the first n items of kind slogan.
func topSlogans(res *Result, n int) []Slogan {
	var out []Slogan
	for _, s := range res.Slogans {
		if s.Kind == KindSlogan && len(out) < n {
			out = append(out, s)
		}
	}
	return out
}

// TestGovWorkReportsSlogans checks that the generic policy phrases that verbs of policy
// stand before in 53 government work reports (深化体制改革, 推动技术进步) are not among the
// top 20 slogans, while the formulas of the reports are.
func TestGovWorkReportsSlogans(t *testing.T) {
	res := Find(loadCorpus(t, "gov-work-reports"), Options{Jobs: 2})
	top := make(map[string]bool)
	for _, s := range topSlogans(res, 20) {
		top[s.Text] = true
	}
	for _, generic := range []string{"体制改革", "制度改革", "技术进步", "农业科技", "卫生事业", "综合改革", "教育改革", "国防建设", "千方百计"} {
		if top[generic] {
			t.Errorf("%s, a generic phrase, is in the top 20 slogans", generic)
		}
	}
	for _, formula := range []string{"一国两制", "为人民服务", "三个代表", "依法治国"} {
		if !top[formula] {
			t.Errorf("%s is not in the top 20 slogans", formula)
		}
	}
}

// TestCloughStevensonSlogans checks that the slogans of 100 English student answers are
// whole words with content at both ends: never "For example" or "called".
func TestCloughStevensonSlogans(t *testing.T) {
	res := Find(loadCorpus(t, "clough-stevenson"), Options{Jobs: 2})
	for _, s := range topSlogans(res, 20) {
		words := strings.Fields(strings.ToLower(s.Text))
		if len(words) < 2 || englishFunction[words[0]] || englishFunction[words[len(words)-1]] {
			t.Errorf("%q is a slogan", s.Text)
		}
	}
}
