package slogan

import (
	"strings"
	"unicode"
)

// Kinds of recurring phrase, so that a reader sees slogans first.
const (
	// KindSlogan is a slogan or political formula: a set phrase a writer quotes, numbers
	// (两个确立) or makes the object of a verb of policy (推进中国式现代化).
	KindSlogan = "slogan"
	// KindTemplate is one frame with different fillers (中方愿同…方一道): Fillers lists them.
	KindTemplate = "template"
	// KindName is a name or title: who speaks, who is meant (国务院总理李强).
	KindName = "name"
	// KindPhrase is a recurring phrase of no other kind.
	KindPhrase = "phrase"
	// KindBoilerplate is page chrome: a dateline, a site header, a column tag, navigation.
	KindBoilerplate = "boilerplate"
)

// kindRank orders kinds for output: slogans first, chrome last.
func kindRank(k string) int {
	switch k {
	case KindSlogan:
		return 0
	case KindTemplate:
		return 1
	case KindName:
		return 2
	case KindPhrase:
		return 3
	}
	return 4
}

// signals are the evidence for a kind, as shares of an item's occurrences (or documents).
type signals struct {
	quoted   float64 // occurrences that are a whole quoted piece
	verb     float64 // occurrences with a verb of policy in the few tokens before
	verbs    int     // distinct verbs of policy seen before it
	speech   float64 // occurrences right before a verb of speaking or meeting
	edge     float64 // documents where it opens one of the first two lines
	chrome   float64 // documents where it stands where page chrome does (see chrome)
	numbered bool    // a numbered formula: 两个确立, 四个意识, 一带一路
	title    bool    // holds a title word: 总书记, 总理, 外长
}

// Thresholds of the signals, chosen on xinwenlianbo and gov-work-reports (see README).
const (
	quotedSlogan = 0.2
	verbSlogan   = 0.3
	verbsSlogan  = 3
	speechName   = 0.3
	edgeChrome   = 0.8
)

// kindOf decides an item's kind from its signals; the first that applies wins.
func kindOf(s signals) string {
	switch {
	case s.chrome >= edgeChrome || s.edge >= edgeChrome:
		return KindBoilerplate
	case s.title || s.speech >= speechName:
		return KindName
	case s.numbered || s.quoted >= quotedSlogan || (s.verb >= verbSlogan && s.verbs >= verbsSlogan):
		return KindSlogan
	}
	return KindPhrase
}

// policyVerbs are the verbs that take a slogan or formula as their object in Chinese
// official prose: 推进中国式现代化, 践行“两山”理念, 建设平安中国.
var policyVerbs = strings.Fields(`推进 推动 坚持 践行 贯彻 落实 弘扬 建设 实现 树立 增强 做到 深化 加快
	构建 打造 秉持 牢记 坚定 捍卫 维护 共建 倡导 传承 发扬 宣传 坚守 遵循 推行 培育 厚植 筑牢 铸牢
	助力 奋力 锚定 聚焦 围绕 夯实 擦亮 叫响 唱响 秉承 恪守`)

// speechVerbs follow a speaker or a host: 习近平总书记强调, 国务院总理李强出席.
var speechVerbs = strings.Fields(`表示 强调 指出 说 会见 会谈 出席 主持 发表 宣布 称 通电话 讲话 考察
	回信 签署 致 应约 同 在 对 向 表态 指 介绍 认为 希望 谈到`)

// titleWords mark a name or a title.
var titleWords = strings.Fields(`总书记 主席 总理 委员长 部长 书记 大使 总统 首相 外长 秘书长 主任 局长
	市长 省长 县长 会长 院长 国王 议长 司令 发言人 董事长 总经理 理事长 代表团 政委 参谋长 国务委员
	president minister secretary chairman professor`)

var hanNumerals = "一二两三四五六七八九十百千"

// numbered reports a formula built on numbers: a numeral and a counter (两个确立, 四大
// 发明, 五位一体), or two numerals (一带一路, 一国两制).
func numbered(norm string) bool {
	rs := []rune(norm)
	if len(rs) < 3 {
		return false
	}
	if !strings.ContainsRune(hanNumerals, rs[0]) {
		return false
	}
	// 一个 is also the indefinite article (一个重要…): with 一, only two numerals count.
	if rs[0] != '一' && strings.ContainsRune("个大项位条种件新为", rs[1]) {
		return true
	}
	for _, r := range rs[2:] {
		if strings.ContainsRune(hanNumerals, r) {
			return true
		}
	}
	return false
}

func hasTitle(norm string) bool {
	for _, w := range titleWords {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// policyVerbSet holds policyVerbs, all of two characters, for lookups by pair.
var policyVerbSet = func() map[string]bool {
	m := make(map[string]bool)
	for _, v := range policyVerbs {
		m[v] = true
	}
	return m
}()

func startsWithAny(text string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(text, w) {
			return true
		}
	}
	return false
}

// isFillerRune reports runes a template's fillers are made of when they are numbers: digits
// and Chinese numerals (党的二十届三中全会 / 四中全会, 造成至少3人死亡).
func isFillerRune(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune(hanNumerals+"零〇", r)
}

// template finds the frame shared by the normalised spellings of an item: the common prefix
// and suffix and, between them, the fillers. It is a template when the fillers are numbers,
// or when there are three or more and no spelling has half the occurrences (counts, per
// spelling): a phrase that is mostly spelt one way, now and then with a character changed,
// has variants, not fillers.
func template(spellings []string, counts []int) (prefix, suffix string, fillers []string, ok bool) {
	if len(spellings) < 2 {
		return "", "", nil, false
	}
	rs := make([][]rune, len(spellings))
	for i, s := range spellings {
		rs[i] = []rune(s)
	}
	p := len(rs[0])
	for _, r := range rs[1:] {
		k := 0
		for k < p && k < len(r) && r[k] == rs[0][k] {
			k++
		}
		p = k
	}
	s := len(rs[0]) - p
	for _, r := range rs[1:] {
		k := 0
		for k < s && k < len(r)-p && r[len(r)-1-k] == rs[0][len(rs[0])-1-k] {
			k++
		}
		s = k
	}
	numbers := true
	for _, r := range rs {
		f := string(r[p : len(r)-s])
		fillers = append(fillers, f)
		for _, c := range f {
			numbers = numbers && isFillerRune(c)
		}
	}
	if p+s == 0 {
		return "", "", nil, false
	}
	total, top := 0, 0
	for _, c := range counts {
		total += c
		top = max(top, c)
	}
	ok = numbers || (len(spellings) >= 3 && 2*top < total)
	return string(rs[0][:p]), string(rs[0][len(rs[0])-s:]), fillers, ok
}
