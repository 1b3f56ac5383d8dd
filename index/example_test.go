package index_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/index"
)

// A gate checks a new article against the corpus: the index holds the corpus's
// fingerprints, and only the candidates they find are read again and verified.
func ExampleCheck() {
	release := "市政府今天召开新闻发布会，介绍今年一季度全市经济运行情况。一季度全市地区生产总值同比增长百分之五点二，" +
		"规模以上工业增加值增长百分之六点一，社会消费品零售总额增长百分之四点八。"
	dir, _ := os.MkdirTemp("", "corpus")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "0301.txt"), []byte(release), 0o644)
	os.WriteFile(filepath.Join(dir, "weather.txt"), []byte("今天夜间到明天白天，全市多云转阴，局部地区有小雨，最高气温十八度，最低气温九度。"), 0o644)

	opt := index.Options{Root: dir, Roots: []string{"."}, Settings: index.CurrentSettings(0, "")}
	x, _, err := index.Update(nil, opt) // x.Write(file) keeps it; index.Load reads it back
	if err != nil {
		fmt.Println(err)
		return
	}
	draft := &corpus.Document{Path: "drafts/0302.txt", Text: "据报道，" + release + "发布会上还回答了记者提问。"}
	checked := index.Check(x, []*corpus.Document{draft}, index.CheckOptions{Files: opt})
	for _, d := range checked.Result.Duplicates {
		fmt.Printf("%s near-duplicates %s (similarity %.2f)\n", d.A, d.B, d.Similarity)
	}
	fmt.Printf("%d indexed, %d verified\n", checked.Indexed, checked.Candidates)
	// Output:
	// drafts/0302.txt near-duplicates 0301.txt (similarity 0.83)
	// 2 indexed, 1 verified
}
