package scan_test

import (
	"fmt"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/scan"
)

func ExampleRun() {
	release := "市政府今天召开新闻发布会，介绍今年一季度全市经济运行情况。一季度全市地区生产总值同比增长百分之五点二，" +
		"规模以上工业增加值增长百分之六点一，社会消费品零售总额增长百分之四点八。"
	docs := []*corpus.Document{
		{Path: "daily/0301.txt", Text: release},
		{Path: "evening/0302.txt", Text: "据报道，" + release + "发布会上还回答了记者提问。"},
		{Path: "weather/0302.txt", Text: "今天夜间到明天白天，全市多云转阴，局部地区有小雨，最高气温十八度，最低气温九度。"},
	}
	res := scan.Run(docs, scan.Options{})
	for _, d := range res.Duplicates {
		fmt.Printf("%s ~ %s similarity %.2f\n", d.A, d.B, d.Similarity)
	}
	fmt.Println(len(res.Passages), "passages")
	// Output:
	// daily/0301.txt ~ evening/0302.txt similarity 0.83
	// 0 passages
}
