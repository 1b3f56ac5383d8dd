package simhash_test

import (
	"fmt"

	"github.com/neardup/neardup/simhash"
)

func ExampleHasher_Sum() {
	h := simhash.NewHasher(simhash.DefaultN)
	a, features := h.Sum([]byte("国务院新闻办公室今天举行新闻发布会介绍经济运行情况"))
	b, _ := h.Sum([]byte("国务院新闻办公室今日举行新闻发布会介绍经济运行情况"))
	c, _ := h.Sum([]byte("今年夏粮生产再获丰收农业农村部表示秋粮长势总体良好"))
	fmt.Println("features:", features)
	fmt.Println("one character changed is closer than unrelated:", simhash.Distance(a, b) < simhash.Distance(a, c))
	// Output:
	// features: 23
	// one character changed is closer than unrelated: true
}

func ExampleIndex() {
	h := simhash.NewHasher(simhash.DefaultN)
	texts := []string{
		"中共中央政治局委员中央外事工作委员会办公室主任王毅等出席欢迎仪式",
		"今年夏粮生产再获丰收农业农村部表示秋粮长势总体良好",
		"中共中央政治局委员中央外事工作委员会办公室主任王毅等出席欢迎仪式",
	}
	x := simhash.NewIndex(simhash.DefaultPassageDistance)
	for id, text := range texts {
		if fp, n := h.Sum([]byte(text)); n >= simhash.MinFeatures {
			x.Add(fp, int32(id))
		}
	}
	x.Pairs(func(a, b int32, dist int) {
		fmt.Printf("passages %d and %d are %d bits apart\n", a, b, dist)
	})
	// Output:
	// passages 0 and 2 are 0 bits apart
}
