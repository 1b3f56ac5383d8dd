package slogan

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/text"
)

// plantedPhrases are invented; none occurs in the seed articles the filler comes from.
// Clauses are joined with 、 here; the generator varies that punctuation.
var plantedPhrases = []string{
	"晨光照亮千家小路、警灯守护万户平安",
	"走遍百村知晓民情、问遍千户化解民忧、办好万事温暖民心",
	"青山绿水映照初心",
	"把平安稳稳送到群众家门口",
	"数字赋能开创城乡共治新格局",
	"一张蓝图坚持绘到底、一份答卷始终交人民",
	"柔性执法温暖人心、刚性监管守护公平",
	"小巷总理踏遍街头巷尾",
}

// ownFragment is a clause of plantedPhrases[1] that is also planted on its own, in
// ownFragmentDocs articles that do not hold the whole phrase: it must be reported separately,
// with those articles only.
const (
	ownFragment     = "问遍千户化解民忧"
	ownFragmentDocs = 3
)

// barePlanted are indices of single-clause plantedPhrases that are also planted bare, inside a
// longer clause, in bareDocs further articles: they must be found there too, at the exact
// span of the phrase. Each clause has its own words around the phrase (bareWrappers, one per
// insertion), so that no clause recurs whole.
var (
	barePlanted  = []int{2, 4, 7}
	bareWrappers = [][2]string{
		{"大家都说", "是实实在在的好事"}, {"这次活动让", "的理念深入人心"}, {"正是", "带来的变化"},
		{"村民们常把", "挂在嘴边"}, {"他认为", "离不开每个人"}, {"展板上写着", "几个大字"},
		{"我们始终相信", "的力量"}, {"只有做到", "才能赢得信任"}, {"课堂上老师讲起", "的故事"},
	}
)

const bareDocs = 3

// joiningWords stand before a planted phrase in some of its hosts (秉持“…”, 牢记…).
var joiningWords = []string{"秉持", "牢记", "践行"}

// plant is what the generator put where.
type plant struct {
	phrase    string // the phrase as planted, before any variation
	locations []report.Location
	docs      map[string]bool
}

// fillerSentences returns the distinct Chinese sentences of the seed articles, each at most once,
// so that filler text itself rarely recurs.
func fillerSentences(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("../testdata/corpus/00*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed articles in testdata/corpus: %v", err)
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(b)
		runes := []rune(doc)
		for _, s := range text.Sentences(doc) {
			sent := string(runes[s.Start:s.End])
			han := 0
			for _, r := range sent {
				if unicode.Is(unicode.Han, r) {
					han++
				}
			}
			key := string(text.AppendNormalized(nil, sent))
			if han < 12 || seen[key] || !strings.ContainsAny(sent[len(sent)-3:], "。！？") {
				continue
			}
			seen[key] = true
			out = append(out, sent)
		}
	}
	return out
}

// changeOne replaces one Han character in a clause of at least DefaultVariantMinChars runes.
func changeOne(rng *rand.Rand, phrase string) string {
	clauses := strings.Split(phrase, "、")
	var long []int
	for i, c := range clauses {
		if len([]rune(c)) >= DefaultVariantMinChars {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return phrase
	}
	ci := long[rng.IntN(len(long))]
	rs := []rune(clauses[ci])
	rs[1+rng.IntN(len(rs)-2)] = []rune("甲乙丙丁戊己庚辛")[rng.IntN(8)]
	clauses[ci] = string(rs)
	return strings.Join(clauses, "、")
}

// plantedCorpus builds 60 articles from filler sentences and plants the phrases in them.
func plantedCorpus(t *testing.T, seed uint64) ([]*corpus.Document, []*plant) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	filler := fillerSentences(t)
	rng.Shuffle(len(filler), func(i, j int) { filler[i], filler[j] = filler[j], filler[i] })
	const articles = 60
	perArticle := min(6, len(filler)/articles)
	if perArticle < 3 {
		t.Fatalf("only %d filler sentences", len(filler))
	}
	// Each article is a list of paragraphs; a planted phrase is inserted as a sentence of its own.
	type insert struct {
		text     string
		plant    *plant
		from, to int // runes of text that are the phrase; to == 0: all of it
	}
	bodies := make([][]insert, articles)
	for a := range bodies {
		for _, s := range filler[a*perArticle : (a+1)*perArticle] {
			bodies[a] = append(bodies[a], insert{text: s})
		}
	}
	put := func(a int, text string, p *plant) {
		at := rng.IntN(len(bodies[a]) + 1)
		bodies[a] = slices.Insert(bodies[a], at, insert{text: text, plant: p})
	}
	putAt := func(a int, text string, p *plant, from, to int) {
		at := rng.IntN(len(bodies[a]) + 1)
		bodies[a] = slices.Insert(bodies[a], at, insert{text: text, plant: p, from: from, to: to})
	}
	var plants []*plant
	taken := map[int]bool{} // articles holding plantedPhrases[1]
	for i, phrase := range plantedPhrases {
		p := &plant{phrase: phrase, docs: map[string]bool{}}
		plants = append(plants, p)
		n := 6 + rng.IntN(9)
		for j, a := range rng.Perm(articles)[:n] {
			text := phrase
			switch j % 4 {
			case 1:
				text = changeOne(rng, phrase)
			case 2:
				text = strings.ReplaceAll(phrase, "、", []string{"，", "；", ", "}[rng.IntN(3)])
			}
			// Half the hosts quote it; of the single-clause phrases, every third host has it
			// behind the same joining word, which must not make it a phrase of its own. (A
			// changed character behind a joining word is not planted: a one-edit variant is
			// only found when it is a piece of its own.)
			before, after := "", ""
			if j%2 == 0 {
				before, after = "“", "”"
			}
			if !strings.Contains(phrase, "、") && j%3 == 0 && j%4 != 1 {
				before = joiningWords[i%len(joiningWords)] + before
			}
			if before != "" || after != "" {
				from := len([]rune(before))
				putAt(a, before+text+after, p, from, from+len([]rune(text)))
			} else {
				put(a, text, p)
			}
			if j == 0 && i%2 == 0 {
				put(a, phrase, p) // twice in one article
			}
			if i == 1 {
				taken[a] = true
			}
		}
	}
	for k, i := range barePlanted {
		p := plants[i]
		added := 0
		for _, a := range rng.Perm(articles) {
			if added == bareDocs {
				break
			}
			path := fmt.Sprintf("article%02d.txt", a)
			if p.docs[path] {
				continue
			}
			p.docs[path] = true // a placeholder, cleared below, so that each article is new
			w := bareWrappers[k*bareDocs+added]
			from := len([]rune(w[0]))
			at := rng.IntN(len(bodies[a]) + 1)
			bodies[a] = slices.Insert(bodies[a], at, insert{text: w[0] + p.phrase + w[1], plant: p, from: from, to: from + len([]rune(p.phrase))})
			added++
		}
	}
	frag := &plant{phrase: ownFragment, docs: map[string]bool{}}
	plants = append(plants, frag)
	for _, a := range rng.Perm(articles) {
		if len(frag.docs) == ownFragmentDocs {
			break
		}
		if !taken[a] {
			put(a, ownFragment, frag)
			frag.docs[fmt.Sprintf("article%02d.txt", a)] = true
		}
	}
	for _, p := range plants {
		clear(p.docs)
	}

	docs := make([]*corpus.Document, articles)
	for a, body := range bodies {
		path := fmt.Sprintf("article%02d.txt", a)
		var sb strings.Builder
		fmt.Fprintf(&sb, "第%d篇稿件\n\n", a+1)
		for k, in := range body {
			if k > 0 && k%3 == 0 {
				sb.WriteString("\n")
			}
			if in.plant != nil {
				start := len([]rune(sb.String()))
				sb.WriteString(in.text)
				end := len([]rune(sb.String()))
				if in.to > 0 {
					start, end = start+in.from, start+in.to
				}
				in.plant.locations = append(in.plant.locations, report.Location{Path: path, Start: start, End: end})
				in.plant.docs[path] = true
				sb.WriteString("。")
				continue
			}
			sb.WriteString(in.text)
		}
		sb.WriteString("\n")
		docs[a] = &corpus.Document{Path: path, Text: sb.String()}
	}
	return docs, plants
}

func sortLocations(ls []report.Location) []report.Location {
	ls = slices.Clone(ls)
	slices.SortFunc(ls, func(a, b report.Location) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	return ls
}

func TestPlantedCorpus(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			docs, plants := plantedCorpus(t, seed)
			res := Find(docs, Options{})
			plantedAt := map[report.Location]bool{}
			for _, p := range plants {
				for _, l := range p.locations {
					plantedAt[l] = true
				}
			}
			whole := plants[1] // the phrase ownFragment is a clause of
			for _, p := range plants {
				var found []Slogan
				for _, s := range res.Slogans {
					if s.Text == p.phrase {
						found = append(found, s)
					}
				}
				if len(found) != 1 {
					t.Errorf("%s: reported %d times, want once", p.phrase, len(found))
					continue
				}
				s := found[0]
				want := len(p.docs)
				if p.phrase == ownFragment {
					// Every host counts: its own articles and those of the phrase it is a clause of.
					union := maps.Clone(p.docs)
					for d := range whole.docs {
						var a int
						fmt.Sscanf(d, "article%02d.txt", &a)
						if strings.Contains(docs[a].Text, ownFragment) {
							union[d] = true
						}
					}
					want = len(union)
				}
				if s.Documents != want {
					t.Errorf("%s: %d documents, want %d", p.phrase, s.Documents, want)
				}
				if p.phrase != ownFragment {
					if s.Occurrences != len(p.locations) {
						t.Errorf("%s: %d occurrences, want %d", p.phrase, s.Occurrences, len(p.locations))
					}
					if got, want := sortLocations(reportLocations(s.Locations)), sortLocations(p.locations); !slices.Equal(got, want) {
						t.Errorf("%s: locations\n got %v\nwant %v", p.phrase, got, want)
					}
				}
				if s.Kind == KindBoilerplate || s.Kind == KindTemplate {
					t.Errorf("%s: kind %q", p.phrase, s.Kind)
				}
				for _, f := range s.Forms {
					if strings.Contains(f.Text, p.phrase) && f.Documents > s.Documents {
						t.Errorf("%s: form %q in more documents (%d) than the phrase", p.phrase, f.Text, f.Documents)
					}
				}
			}
			// A clause of a planted phrase may be reported (an enumeration is split into its
			// members too), but then with every host of the phrase; nothing else may overlap a
			// planted location.
			for _, s := range res.Slogans {
				if slices.ContainsFunc(plants, func(p *plant) bool { return p.phrase == s.Text }) {
					continue
				}
				part := false
				for _, p := range plants {
					if strings.Contains(p.phrase, s.Text) {
						part = true
						exact := 0
						for d := range p.docs {
							var a int
							fmt.Sscanf(d, "article%02d.txt", &a)
							if strings.Contains(docs[a].Text, s.Text) {
								exact++
							}
						}
						if s.Documents < exact {
							t.Errorf("clause %q of %q: %d documents, but %d hosts hold it", s.Text, p.phrase, s.Documents, exact)
						}
					}
				}
				if part {
					continue
				}
				for _, l := range s.Locations {
					for pl := range plantedAt {
						if pl.Path == l.Path && pl.Start < l.End && l.Start < pl.End {
							t.Errorf("slogan %q at %v overlaps planted %v", s.Text, l, pl)
						}
					}
				}
			}
			// Every planted location is covered, so that match leaves it out.
			for pl := range plantedAt {
				var a int
				fmt.Sscanf(pl.Path, "article%02d.txt", &a)
				if !covers(res.Excluded[a], pl.Start, pl.End) {
					t.Errorf("planted %v not covered", pl)
				}
			}
		})
	}
}

func covers(spans []text.Span, start, end int) bool {
	for _, s := range spans {
		if s.Start <= start && end <= s.End {
			return true
		}
	}
	return false
}

func reportLocations(ls []Location) []report.Location {
	out := make([]report.Location, len(ls))
	for i, l := range ls {
		out[i] = report.Location{Path: l.Path, Start: l.Start, End: l.End}
	}
	return out
}
