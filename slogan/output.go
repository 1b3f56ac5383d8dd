package slogan

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/text"
)

// locate finds, for every occurrence of every claimed candidate, its original span, its text
// and whether it stands where page chrome does (see chrome), and puts the occurrences in
// document order. Each document holding an occurrence is cut again, on one of jobs
// goroutines: the pieces' original spans, the lines and the map of the normalised text back
// to the original are only needed here, and only for these documents.
func (m *miner) locate(claims []*candidate, docs []*corpus.Document, jobs int) {
	// ref is an occurrence: index occ < len(c.occ) is whole pieces, the rest are bare.
	type ref struct{ claim, occ int32 }
	byDoc := make([][]ref, len(docs))
	for ci, c := range claims {
		c.found = make([]located, len(c.occ)+len(c.bare))
		for k, g := range c.occ {
			d := m.doc[g]
			byDoc[d] = append(byDoc[d], ref{int32(ci), int32(k)})
		}
		for k, b := range c.bare {
			d := m.doc[b.g]
			byDoc[d] = append(byDoc[d], ref{int32(ci), int32(len(c.occ) + k)})
		}
	}
	parallel.For(len(docs), jobs, func(d int) {
		if len(byDoc[d]) == 0 {
			return
		}
		t := cutPieces(docs[d].Text, m.ignore)
		for _, r := range byDoc[d] {
			c := claims[r.claim]
			var start, end int
			if k := int(r.occ); k < len(c.occ) {
				g := c.occ[k]
				start, end = t.occSpan(int(m.local(g)), c.k)
				// A piece given to a shorter text ends earlier than when cut (see
				// classes.shortenDangling).
				last := g + int32(c.k) - 1
				if nEnd := m.pieces.nEnd[m.piece(last)]; nEnd < t.pieces[m.local(last)].nEnd {
					end = int(t.norm.End[nEnd-1])
				}
			} else {
				// Inside a piece there is no quotation mark or bracket to pair.
				b := c.bare[k-len(c.occ)]
				start, end = int(t.norm.Start[b.i]), int(t.norm.End[b.j-1])
			}
			c.found[r.occ] = located{
				doc:    int32(d),
				span:   text.Span{Start: start, End: end},
				text:   string(t.runes[start:end]),
				chrome: t.chrome(start, end),
			}
		}
	})
	for _, c := range claims {
		// Occurrences come family by family, whole ones before bare ones; report them in
		// document order.
		slices.SortFunc(c.found, func(a, b located) int {
			if x := cmp.Compare(a.doc, b.doc); x != 0 {
				return x
			}
			return cmp.Compare(a.span.Start, b.span.Start)
		})
	}
}

// slogan builds the report entry of a claimed candidate from its own occurrences, located.
func (m *miner) slogan(c *candidate, docs []*corpus.Document) report.Slogan {
	s := report.Slogan{Occurrences: len(c.found)}
	counts := make(map[string]int)
	var order []string
	lastDoc := int32(-1)
	edgeDocs, lastEdgeDoc := 0, int32(-1)
	for _, o := range c.found {
		if counts[o.text] == 0 {
			order = append(order, o.text)
		}
		counts[o.text]++
		s.Locations = append(s.Locations, report.Location{Path: docs[o.doc].Path, Start: o.span.Start, End: o.span.End})
		if o.doc != lastDoc {
			s.Documents++
			lastDoc = o.doc
		}
		if o.doc != lastEdgeDoc && o.chrome {
			edgeDocs++
			lastEdgeDoc = o.doc
		}
	}
	for _, text := range order {
		s.Variants = append(s.Variants, report.Variant{Text: text, Count: counts[text]})
	}
	slices.SortStableFunc(s.Variants, func(a, b report.Variant) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Text, b.Text)
	})
	s.Text = s.Variants[0].Text
	if 5*edgeDocs >= 4*s.Documents {
		s.Kind = KindBoilerplate
	}
	return s
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
