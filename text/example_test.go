package text_test

import (
	"fmt"

	"github.com/neardup/neardup/text"
)

func ExampleNormalize() {
	orig := "“新质生产力”，ＡＩ\r\n赋能。"
	n := text.Normalize(orig)
	fmt.Printf("%s\n", n.Text)
	// The third normalised rune, 生, came from code points [3,4) of orig.
	fmt.Println(n.Start[2], n.End[2])
	// Output:
	// 新质生产力ai赋能
	// 3 4
}

func ExampleSentences() {
	doc := "他说：“好。”然后走了。增长3.5%\n第二行"
	runes := []rune(doc)
	for _, s := range text.Sentences(doc) {
		fmt.Printf("%q\n", string(runes[s.Start:s.End]))
	}
	// Output:
	// "他说：“好。”"
	// "然后走了。"
	// "增长3.5%"
	// "第二行"
}
