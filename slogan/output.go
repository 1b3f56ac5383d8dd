package slogan

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/neardup/neardup/text"
)

// locateOne finds an occurrence of a claimed candidate, the run of pieces at global position
// g, in the document t: its original span, its text and whether it stands where page chrome
// does (see chrome).
func (m *miner) locateOne(t *docText, c *candidate, g, doc int32) located {
	start, end := t.occSpan(int(m.local(g)), c.k)
	// A piece given to a shorter text ends earlier than when cut (see
	// classes.shortenDangling).
	last := g + int32(c.k) - 1
	if asCut := t.pieces[m.local(last)].nEnd; m.pieces.minedEnd(m.piece(last), asCut) < asCut {
		end = int(t.norm.End[m.pieces.minedEnd(m.piece(last), asCut)-1])
	}
	first := t.pieces[m.local(g)]
	l := located{
		doc:    doc,
		span:   text.Span{Start: start, End: end},
		text:   string(t.runes[start:end]),
		chrome: t.chrome(start, end),
		quoted: (c.k == 1 && first.quoted) || isQuote(t.runes[start]),
	}
	l.opensAfter, l.titled = quoteMarks(t.runes, int32(start), int32(end))
	return l
}

// Page chrome, as opposed to a phrase of the articles, is recognised by where it stands:
//
//   - an occurrence that starts one of the first two non-blank lines (a site name, a dateline
//     such as 央视网消息（新闻联播）, a forum header);
//   - an occurrence that is one or more whole lines ending in one of the last two non-blank
//     lines, when that line does not end a sentence (来源:湖州公安, 返回顶部 返回列表; but not
//     王毅参加会见。, a formula that closes many stories);
//   - an occurrence that is one or more whole lines of at most navMaxRunes normalised runes
//     holding a navigation word (首页, 上一篇, 版权所有 …), anywhere in the file.
//
// A slogan is boilerplate when at least four in five of its documents have such an
// occurrence: chrome stands in its place in nearly every file, while a phrase of the articles
// may open a paragraph near the top now and then.
const (
	edgeLines   = 2
	navMaxRunes = 40
)

// navWords are normalised (case folded, no spaces) words of site navigation and page chrome.
var navWords = []string{
	"首页", "返回", "上一篇", "下一篇", "上一条", "下一条", "版权所有", "责任编辑", "登录", "注册",
	"回复", "举报", "收藏", "分享到", "打印", "关闭", "联系我们", "网站地图", "免责声明",
	"copyright", "allrightsreserved", "home", "login", "signin", "next", "previous",
}

func (t *docText) chrome(start, end int) bool {
	first, last := t.lineOf(start), t.lineOf(end-1)
	if first < 0 || last < 0 {
		return false
	}
	i, j := t.norm.Runes(start, end)
	if i != t.lines[first].nStart {
		return false
	}
	if first < edgeLines {
		return true
	}
	if j != t.lines[last].nEnd {
		return false
	}
	if last >= len(t.lines)-edgeLines && !t.lines[last].sentence {
		return true
	}
	if j-i > navMaxRunes {
		return false
	}
	text := t.text(int32(i), int32(j))
	for _, w := range navWords {
		if bytes.Contains(text, []byte(w)) {
			return true
		}
	}
	return false
}

// normalizeIgnore normalises the phrases, drops those that normalise to nothing, and puts
// longer phrases first so that a phrase inside a longer one does not split it.
func normalizeIgnore(phrases []string) [][]byte {
	var out [][]byte
	for _, p := range phrases {
		if b := text.AppendNormalized(nil, p); len(b) > 0 {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b []byte) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return bytes.Compare(a, b)
	})
	return slices.CompactFunc(out, bytes.Equal)
}

func isTerminal(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '?', '.', '…', '；', ';':
		return true
	}
	return false
}
