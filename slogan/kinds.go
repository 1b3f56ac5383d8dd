package slogan

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	quoted         float64 // occurrences that are a whole quoted piece
	titled         float64 // occurrences in book-title marks (《高端访谈》): a name of a work
	verb           float64 // occurrences with a verb of policy in the few tokens before
	verbs          int     // distinct verbs of policy seen before it
	adherence      float64 // occurrences with a verb of adherence before (坚持, 践行, 弘扬)
	adherenceVerbs int     // distinct verbs of adherence seen before it
	cohesion       float64 // how far it is a closed unit, not a free phrase (see finder.cohesion)
	programme      float64 // occurrences that name a programme: 平安中国建设, 科教兴国战略
	speech         float64 // occurrences right before a verb of speaking or meeting
	edge           float64 // documents where it opens one of the first two lines
	chrome         float64 // documents where it stands where page chrome does (see chrome)
	numbered       int     // how it is built on numbers (see numbered): 两个确立, 一带一路
	title          bool    // holds a title word: 总书记, 总理, 外长
	event          bool    // names a meeting or a report: 二十届三中全会, 党的二十大, 政府工作报告
	open           bool    // opens with a degree adverb or holds a time word: 更高水平, 本世纪末
	cutRight       bool    // where it goes on, it always goes on with one token (二十届二中|全会)
	cutLeft        bool    // likewise before it (和|平发展道路)
}

// Thresholds of the signals, chosen on xinwenlianbo and gov-work-reports (see README).
const (
	quotedSlogan = 0.2
	// A numbered formula is quoted now and then at least: 两个确立 in every story.
	quotedNumbered       = 0.05
	verbSlogan           = 0.3
	verbsSlogan          = 2
	cohesionSlogan       = 0.5
	adherenceSlogan      = 0.3
	adherenceVerbsSlogan = 2
	programmeSlogan      = 0.15
	speechName           = 0.3
	edgeChrome           = 0.8
)

// policy reports the verb signal: a verb of policy before enough of its occurrences, and
// more than one verb.
func (s signals) policy() bool { return s.verb >= verbSlogan && s.verbs >= verbsSlogan }

// kindOf decides an item's kind from its signals; the first that applies wins.
func kindOf(s signals) string {
	switch {
	case s.chrome >= edgeChrome || s.edge >= edgeChrome:
		return KindBoilerplate
	case s.title || s.event || s.speech >= speechName || (s.quoted >= quotedSlogan && 2*s.titled > s.quoted):
		return KindName
	case s.cutLeft || s.cutRight:
		return KindPhrase
	case s.quoted-s.titled >= quotedSlogan:
		return KindSlogan
	case s.open:
		return KindPhrase
	// A numbered formula needs a quote now and then, the verbs, or (with a counter) to be
	// a closed unit: 两个方面 (two aspects) and 千方百计 are neither.
	case s.numbered != notNumbered && (s.quoted >= quotedNumbered || s.policy() ||
		(s.numbered == counted && s.cohesion >= cohesionSlogan)):
		return KindSlogan
	// A verb of policy takes generic objects too (深化体制改革): it counts for a closed unit,
	// for a free phrase that writers hold to with several verbs of adherence (坚持多边主义),
	// or for one that names a programme (平安中国建设).
	case s.policy() && (s.cohesion >= cohesionSlogan || s.programme >= programmeSlogan ||
		(s.adherence >= adherenceSlogan && s.adherenceVerbs >= adherenceVerbsSlogan)):
		return KindSlogan
	}
	return KindPhrase
}

// policyVerbs are the verbs that take a slogan or formula as their object in Chinese
// official prose: 推进中国式现代化, 践行“两山”理念, 建设平安中国.
var policyVerbs = strings.Fields(`推进 推动 坚持 践行 贯彻 落实 弘扬 建设 实现 树立 增强 做到 深化 加快
	构建 打造 秉持 牢记 坚定 捍卫 维护 共建 倡导 传承 发扬 宣传 坚守 遵循 推行 培育 厚植 筑牢 铸牢
	助力 奋力 锚定 聚焦 围绕 夯实 擦亮 叫响 唱响 秉承 恪守`)

// adherenceVerbs are the verbs of policy that say a writer holds to a line rather than works
// on a matter (推进, 深化 take 体制改革 as well): 坚持多边主义, 践行以人民为中心.
var adherenceVerbs = strings.Fields(`坚持 贯彻 践行 弘扬 牢记 增强 树立 秉持 坚定 捍卫 铸牢 恪守 秉承 遵循
	倡导 传承 发扬 坚守 唱响 叫响`)

// programmeNouns follow a formula that names a programme or a line (平安中国建设, 科教兴国
// 战略, 一个中国原则, 总体国家安全观); a generic phrase rarely takes them (体制改革, 双边关系).
var programmeNouns = strings.Fields(`建设 战略 行动 工程 理念 思想 精神 倡议 方针 路线 道路 原则 目标 观`)

// programmeFirsts are the first characters of programmeNouns, to rule most text out at once.
var programmeFirsts = func() string {
	var b strings.Builder
	for _, w := range programmeNouns {
		r, _ := utf8.DecodeRuneInString(w)
		if !strings.ContainsRune(b.String(), r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}()

// namesProgramme reports whether text starts with a programme noun.
func namesProgramme(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return strings.ContainsRune(programmeFirsts, r) && startsWithAny(text, programmeNouns)
}

// speechVerbs follow a speaker or a host: 习近平总书记强调, 国务院总理李强出席.
var speechVerbs = strings.Fields(`表示 强调 指出 说 会见 会谈 出席 主持 发表 宣布 称 通电话 讲话 考察
	回信 签署 致 应约 同 在 对 向 表态 指 介绍 认为 希望 谈到`)

// titleWords mark a name or a title.
var titleWords = strings.Fields(`总书记 主席 总理 委员长 部长 书记 大使 总统 首相 外长 秘书长 主任 局长
	市长 省长 县长 会长 院长 国王 议长 司令 发言人 董事长 总经理 理事长 代表团 政委 参谋长 国务委员
	元首 领导人 president minister secretary chairman professor`)

var hanNumerals = "一二两三四五六七八九十百千"

// Ways a formula is built on numbers.
const (
	notNumbered = iota
	counted     // a numeral and a counter: 两个确立, 四大发明, 五位一体
	twoNumerals // 一带一路, 一国两制, and idioms alike (千方百计)
)

// numbered reports whether and how a phrase is built on numbers.
func numbered(norm string) int {
	rs := []rune(norm)
	// A fraction or a count of digits is a quantity: 百分之二十, 两位数增长.
	if len(rs) < 3 || strings.Contains(norm, "分之") || strings.Contains(norm, "位数") {
		return notNumbered
	}
	if !strings.ContainsRune(hanNumerals, rs[0]) {
		return notNumbered
	}
	// 一个 is also the indefinite article (一个重要…): with 一, only two numerals count.
	if rs[0] != '一' && strings.ContainsRune("个大项位条种件新为", rs[1]) {
		return counted
	}
	for _, r := range rs[2:] {
		if strings.ContainsRune(hanNumerals, r) {
			return twoNumerals
		}
	}
	return notNumbered
}

// eventWords end the name of a meeting or a report: a name, not a formula.
var eventWords = strings.Fields(`会议 全会 大会 峰会 论坛 博览会 运动会 座谈会 发布会 工作报告`)

// meetingVerbs are what is done to a meeting: 主持会议 is no name.
var meetingVerbs = strings.Fields(`主持 出席 召开 举行 参加 列席 开好 筹备`)

// namesEvent reports the name of a meeting, a session or a report: it ends with an event
// word (中央军委政治工作会议, 政府工作报告), or opens with an ordinal of a session or
// congress, a number of two numerals before 届 or 大 (二十届三中全会精神, 党的二十大) or any
// number before 次 and a meeting (第十三次全会). A clause that mentions one (学习党的二十大
// 精神) is none.
func namesEvent(norm string) bool {
	if utf8.RuneCountInString(norm) > maxNameRunes {
		return false
	}
	// 主持会议 and 出席会议 are what a speaker does, not the name of a meeting.
	for _, w := range eventWords {
		if strings.HasSuffix(norm, w) && !startsWithAny(norm, meetingVerbs) {
			return true
		}
	}
	rs := []rune(norm)
	// The ordinal may follow 党的 or 第.
	for i := 0; i < len(rs) && i <= 2; {
		if !strings.ContainsRune(hanNumerals, rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && strings.ContainsRune(hanNumerals, rs[j]) {
			j++
		}
		if j < len(rs) && (j-i >= 2 && strings.ContainsRune("届大", rs[j]) || rs[j] == '次' && j+1 < len(rs) && strings.ContainsRune("会全大", rs[j+1])) {
			return true
		}
		i = j
	}
	return false
}

// maxNameRunes bounds the name of a meeting or a report (十四届全国人大常委会第十三次会议).
const maxNameRunes = 16

// degreeAdverbs open a comparison, never a set phrase: 更高水平, 较快增长.
const degreeAdverbs = "更最较很越愈极"

// timeWords mark a time expression: 本世纪末, 改革开放以来.
var timeWords = strings.Fields(`世纪 年代 年底 年初 年末 以来 期间 今年 明年 去年 目前 当前`)

// opensOpen reports a phrase that is a comparison or a time expression, however often it is
// the object of a verb of policy.
func opensOpen(norm string) bool {
	r, _ := utf8.DecodeRuneInString(norm)
	if strings.ContainsRune(degreeAdverbs, r) {
		return true
	}
	for _, w := range timeWords {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// isTitleMark reports the book-title marks, which enclose the name of a work.
func isTitleMark(r rune) bool { return r == '《' || r == '〈' }

func hasTitle(norm string) bool {
	for _, w := range titleWords {
		if strings.Contains(norm, w) {
			return true
		}
	}
	return false
}

// policyVerbSet holds policyVerbs and adherenceVerbs, all of two characters, for lookups by
// pair; adherenceVerbSet the latter.
var policyVerbSet, adherenceVerbSet = func() (map[string]bool, map[string]bool) {
	all, adherence := make(map[string]bool), make(map[string]bool)
	for _, v := range policyVerbs {
		all[v] = true
	}
	for _, v := range adherenceVerbs {
		all[v] = true
		adherence[v] = true
	}
	return all, adherence
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
