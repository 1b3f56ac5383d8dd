package index

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// han is n Han characters from a seed: texts from different seeds share next to no n-gram.
func han(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	for range n {
		b.WriteRune(rune(0x4e00 + rng.IntN(3000)))
	}
	return b.String()
}

// sentences is n unrelated sentences of 60 characters.
func sentences(seed uint64, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = han(seed*1000+uint64(i), 60) + "。"
	}
	return out
}

// The gate's rules on one corpus: a clause in more than MaxDF indexed documents, or a slogan
// of the corpus, is not evidence; passages fail on their share of the new text, not below it; a finding the
// previous version had is not new.
func TestCheckRules(t *testing.T) {
	root := t.TempDir()
	formula := "要深刻领悟两个确立的决定性意义，增强四个意识、坚定四个自信、做到两个维护。"
	for i := range 12 {
		writeFile(t, filepath.Join(root, "articles", fmt.Sprintf("f%02d.txt", i)),
			strings.Join(sentences(uint64(10+i), 4), "")+formula+strings.Join(sentences(uint64(40+i), 4), ""))
	}
	source := sentences(99, 12)
	writeFile(t, filepath.Join(root, "articles", "source.txt"), strings.Join(source, ""))
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	opt := CheckOptions{Files: options(root), MinCoverage: DefaultMinCoverage, MinCopied: DefaultMinCopied, LongPassage: DefaultLongPassage}
	check := func(text string, o CheckOptions) *Checked {
		return Check(x, []*corpus.Document{{Path: "articles/new.txt", Text: text}}, o)
	}
	findings := func(c *Checked) int { return len(c.Result.Duplicates) + len(c.Result.Passages) }

	withFormula := strings.Join(sentences(200, 3), "") + formula + strings.Join(sentences(201, 3), "")
	all := CheckOptions{Files: opt.Files} // every passage fails
	if c := check(withFormula, all); findings(c) != 0 || c.Stock == 0 {
		t.Errorf("formula story: %d findings, %d stock clauses; want none, and the formula as stock", findings(c), c.Stock)
	}
	many := all
	many.Match.MaxDF = 50 // twelve documents are no longer many, but the formula is a slogan
	if c := check(withFormula, many); findings(c) != 0 || c.Stock != 0 || c.Slogans == 0 {
		t.Errorf("formula story, max_df 50: %d findings, %d stock clauses, %d slogans; want the formula as a slogan", findings(c), c.Stock, c.Slogans)
	}
	// Without slogans mined, the formula is evidence at max_df 50.
	bare := options(root)
	bare.NoSlogans = true
	y, _, err := Update(nil, bare)
	if err != nil || len(y.Slogans) != 0 || len(x.Slogans) == 0 {
		t.Fatalf("slogans: %d mined, %d with NoSlogans, %v", len(x.Slogans), len(y.Slogans), err)
	}
	if c := Check(y, []*corpus.Document{{Path: "articles/new.txt", Text: withFormula}}, many); len(c.Result.Passages) == 0 || c.Stock+c.Slogans != 0 {
		t.Errorf("formula story, max_df 50, no slogans: %d passages, %d stock clauses; want the formula found", len(c.Result.Passages), c.Stock)
	}

	// One source sentence in nine (60 of 540 characters): below the share.
	own := sentences(300, 8)
	little := strings.Join(own, "") + source[3]
	if c := check(little, all); len(c.Result.Passages) == 0 {
		t.Fatalf("one copied sentence: no passage even with every passage failing")
	}
	if c := check(little, opt); findings(c) != 0 || c.Minor == 0 {
		t.Errorf("one copied sentence in nine: %d findings, %d minor; want it below the coverage", findings(c), c.Minor)
	}
	// Four source sentences, apart, in twelve: a third, each of them short.
	var third []string
	for i := range 4 {
		third = append(third, own[2*i], own[2*i+1], source[2*i+1])
	}
	c := check(strings.Join(third, ""), opt)
	if len(c.Result.Passages) == 0 || len(c.Coverage) == 0 || c.Coverage[0].Other != "articles/source.txt" || c.Coverage[0].Share < 0.3 {
		t.Fatalf("a third copied: passages %v, coverage %+v", c.Result.Passages, c.Coverage)
	}

	// The same text, with what it had before: nothing new; an added copy is new.
	prev := opt
	prev.Previous = map[string]string{"articles/new.txt": strings.Join(third, "")}
	if c := check(strings.Join(third, "")+"改了一个字。", prev); findings(c) != 0 || c.Existing == 0 {
		t.Errorf("edited file: %d findings, %d existing; want none new", findings(c), c.Existing)
	}
	prev.Previous = map[string]string{"articles/new.txt": strings.Join(own, "")}
	if c := check(strings.Join(third, ""), prev); findings(c) == 0 {
		t.Errorf("copies added by the change: no finding")
	}
}

// A file that copies an indexed document verbatim, or two checked files that are one text, are
// near-duplicates: the scan behind a check compares identical texts once, through the first,
// and a check that took that for all the pairs let the plainest copy through.
func TestCheckIdenticalCopies(t *testing.T) {
	root := t.TempDir()
	story := strings.Join(sentences(7, 10), "")
	writeFile(t, filepath.Join(root, "articles", "story.txt"), story)
	writeFile(t, filepath.Join(root, "articles", "other.txt"), strings.Join(sentences(8, 10), ""))
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	opt := CheckOptions{Files: options(root), MinCoverage: DefaultMinCoverage, MinCopied: DefaultMinCopied, LongPassage: DefaultLongPassage}
	c := Check(x, []*corpus.Document{{Path: "articles/copy.txt", Text: story}}, opt)
	if c.Err != nil || len(c.Result.Duplicates) != 1 || c.Result.Duplicates[0].Similarity != 1 {
		t.Fatalf("verbatim copy of an indexed story: %+v, %v; want one near-duplicate of similarity 1", c.Result.Duplicates, c.Err)
	}
	if d := c.Result.Duplicates[0]; !(d.A == "articles/copy.txt" && d.B == "articles/story.txt" || d.B == "articles/copy.txt" && d.A == "articles/story.txt") {
		t.Errorf("the pair is %s and %s; want the copy and the story", d.A, d.B)
	}
	fresh := strings.Join(sentences(9, 10), "")
	c = Check(x, []*corpus.Document{{Path: "articles/a.txt", Text: fresh}, {Path: "articles/b.txt", Text: fresh}}, opt)
	if c.Err != nil || len(c.Result.Duplicates) != 1 {
		t.Fatalf("two checked files with one new text: %+v, %v; want them as one near-duplicate pair", c.Result.Duplicates, c.Err)
	}
}
