package baseline_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neardup/neardup/baseline"
	"github.com/neardup/neardup/report"
)

// A team accepts a passage its new article quotes from an old one: moved by an edit of the
// article around it, the passage keeps its identity and stays accepted.
func ExampleClassify() {
	quote := "市政府今天召开新闻发布会，介绍今年一季度全市经济运行情况。"
	texts := map[string]string{"old.txt": quote + "其他内容。", "new.txt": "导语。" + quote}
	res := &report.Result{Passages: []report.Passage{{A: "new.txt", AStart: 3, AEnd: 32, B: "old.txt", BStart: 0, BEnd: 29}}}

	dir, _ := os.MkdirTemp("", "baseline")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "baseline.jsonl")
	var accepted []baseline.Accepted
	for _, f := range baseline.Classify(res, texts, nil) {
		accepted = append(accepted, baseline.Accept(f))
	}
	if err := baseline.Write(file, accepted); err != nil {
		fmt.Println(err)
		return
	}

	b, _ := baseline.Load(file)
	texts["new.txt"] = "新的导语。" + quote // the quote moved: offsets change, its text does not
	res.Passages[0].AStart, res.Passages[0].AEnd = 5, 34
	for _, f := range baseline.Classify(res, texts, b) {
		fmt.Println(f.Kind(), "accepted:", f.Accepted)
	}
	// Output:
	// passage accepted: true
}
