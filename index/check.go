package index

import (
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/slogan"
	"github.com/neardup/neardup/text"
)

// CheckOptions tunes Check.
type CheckOptions struct {
	// Files says where the indexed files are (Root) and how large one may be
	// (MaxFileSize); the rest of it is not used.
	Files  Options
	Match  match.Options // thresholds and distances; zero fields take the defaults
	Ignore []string      // phrases that are not evidence, as in scan.Options
	Jobs   int           // worker goroutines; 0 means 1
	Warn   func(msg string)

	// Previous holds, by the path of a checked document, the text it had before the change
	// (for a renamed or copied file, the text of its source). A finding that text had too,
	// with the same document (and, for a passage, the same part of it), is not new: it is
	// counted in Checked.Existing and left out of the result.
	Previous map[string]string
	// Replaced are indexed paths that the checked documents replace (the old names of
	// renamed files): they are not compared with.
	Replaced []string

	// MinCoverage is the share of a checked document's text (code points) that its copied
	// passages from one other document must cover, MinCopied code points at least, for them
	// to be findings, unless one of them is at least LongPassage code points long. All zero
	// keeps every passage. Near-duplicate documents are findings whatever their coverage.
	MinCoverage float64
	MinCopied   int
	LongPassage int
}

// The gate's defaults, measured on 60 real news stories (xinwenlianbo) checked as new
// against the other 10,240: a shared headline and dateline is at most 75 characters (a
// third of a short story, hence MinCopied above it); the formula sentences and quotations
// of official texts that stories share with one other story cover up to a fifth of it and
// stay under 200 characters, with few exceptions; a story a third of which is copied from
// one other is caught by the share with room for passage edges.
const (
	DefaultMinCoverage = 0.25
	DefaultMinCopied   = 100
	DefaultLongPassage = 200
)

// minStockSlogan is the shortest slogan (normalised runes) whose text is not evidence.
// Political news is dense with short slogans (高质量发展, 中国式现代化): leaving all of them
// out took a story a third of which was copied from one other down to 10% copied, under the
// threshold. Measured on xinwenlianbo (20 held-out formula stories, 40 random, that story):
// from 8 runes on, the formula runs (深刻领悟两个确立的决定性意义增强四个意识…) are still
// left out and the copied third is still 26%; 6 gives 24%, 12 fails one formula story more.
const minStockSlogan = 8

// Coverage is how much of a checked document its passages copy from one other document.
type Coverage struct {
	Doc, Other string
	Share      float64 // copied code points over the document's code points
	Copied     int     // code points of the document in passages with Other
	Longest    int     // code points of the longest passage
	Passages   int
	Fails      bool // Share >= MinCoverage and Copied >= MinCopied, or Longest >= LongPassage
}

// Checked is what Check found.
type Checked struct {
	// Result holds the duplicates and passages that involve a checked document, and the
	// documents they name, the checked ones first. Settings.MinDocs is 0: no slogans are
	// mined among a handful of documents.
	Result     *report.Result
	Indexed    int                // documents in the index
	Candidates int                // indexed documents verified on the text
	Read       []*corpus.Document // the candidates as read from disk, named as in the index
	// Texts holds the text of every document checked or read, by path: what
	// baseline.Classify and report.WriteSARIF take.
	Texts map[string]string
	// Coverage lists, per checked document and other document its passages copy from, the
	// share they cover, sorted by the two paths; those that do not fail are not in Result.
	Coverage []Coverage
	Minor    int // passages left out of Result as below the coverage threshold
	Existing int // findings left out of Result as the previous versions had them
	// Stock counts the distinct clauses of the checked documents that the index knows as
	// stock phrases of the corpus (in more than MaxDF documents): they are not evidence.
	Stock int
	// Slogans counts the distinct slogans of the corpus (Index.Slogans) that the checked
	// documents hold: the text they cover is not evidence of copying, as in a scan (it
	// counts neither towards a passage nor towards its coverage).
	Slogans int
	// Err is set when the index was found damaged while it was read: the result is then
	// incomplete and must not pass a gate.
	Err error
}

// Check verifies docs against the indexed corpus x and against each other. A checked
// document named as an index entry (by its path) is that entry's new version: the entry
// is not compared with it. An indexed file that cannot be read is left out with a warning.
// Clauses the index holds in more than MaxDF documents are stock phrases of the corpus and
// are not evidence of copying, nor is the text of the corpus's slogans; see CheckOptions for
// coverage and previous versions.
func Check(x *Index, docs []*corpus.Document, opt CheckOptions) *Checked {
	v, err := x.source()
	if err != nil {
		return &Checked{Result: &report.Result{Schema: report.Schema}, Texts: map[string]string{}, Err: err}
	}
	out := check(v, docs, opt)
	if len(opt.Previous) == 0 || out.Err != nil {
		return out
	}
	var prev []*corpus.Document
	for _, d := range docs {
		if t, ok := opt.Previous[d.Path]; ok {
			prev = append(prev, &corpus.Document{Path: d.Path, Text: t, Encoding: d.Encoding})
		}
	}
	if len(prev) == 0 {
		return out
	}
	// Before the change, the checked files that are new did not exist, and the others held
	// their previous versions: none of them is taken from the index, which a refresh has
	// given their new texts (a copy would otherwise be found in its source's past).
	was := opt
	was.Replaced = slices.Clone(opt.Replaced)
	for _, d := range docs {
		was.Replaced = append(was.Replaced, d.Path)
	}
	before := check(v, prev, was)
	if before.Err != nil {
		out.Err = before.Err
		return out
	}
	checked := map[string]bool{}
	for _, d := range docs {
		checked[d.Path] = true
	}
	res := out.Result
	n := len(res.Duplicates) + len(res.Passages)
	res.Duplicates = slices.DeleteFunc(res.Duplicates, func(d report.Duplicate) bool {
		return slices.ContainsFunc(before.Result.Duplicates, func(o report.Duplicate) bool { return o.A == d.A && o.B == d.B })
	})
	res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool {
		return slices.ContainsFunc(before.Result.Passages, func(o report.Passage) bool { return samePassage(p, o, checked) })
	})
	out.Existing = n - len(res.Duplicates) - len(res.Passages)
	if out.Existing > 0 {
		pruneDocuments(res, checked)
	}
	return out
}

// samePassage reports whether p, found now, is o, found in the previous versions: between
// the same documents, over the same part of a document the change did not touch.
func samePassage(p, o report.Passage, checked map[string]bool) bool {
	if p.A != o.A || p.B != o.B {
		return false
	}
	switch {
	case !checked[p.B]:
		return p.BStart < o.BEnd && o.BStart < p.BEnd
	case !checked[p.A]:
		return p.AStart < o.AEnd && o.AStart < p.AEnd
	}
	return true // both documents changed: the pair had a passage before
}

func check(v *source, docs []*corpus.Document, opt CheckOptions) *Checked {
	mo := match.Resolved(opt.Match)
	self := map[string]bool{}
	for _, p := range opt.Replaced {
		self[p] = true
	}
	prints := make([]match.DocPrint, len(docs))
	for i, d := range docs {
		if d.Path != "-" {
			self[d.Path] = true
		}
		prints[i] = match.Print(d.Text, mo)
	}
	cands, stock := candidates(v, prints, self, mo)
	out := &Checked{Indexed: v.documents, Candidates: len(cands), Texts: map[string]string{}}
	for _, d := range docs {
		out.Texts[d.Path] = d.Text
	}

	// The stock clauses of the checked documents, as they spell them, join the ignore list:
	// the handful of documents verified here cannot tell a formula of the corpus from a copy.
	ignore := slices.Clone(opt.Ignore)
	seen := map[uint64]bool{}
	for i, p := range prints {
		for _, c := range p.Clauses {
			if c.Seed && stock[c.Hash] && !seen[c.Hash] {
				seen[c.Hash] = true
				ignore = append(ignore, text.Slice(docs[i].Text, c.Start, c.End))
			}
		}
	}
	out.Stock = len(seen)

	// The corpus's slogans that the checked documents hold are left out of the passages of
	// every document verified, as scan leaves out the slogans it mines.
	var slogans []string
	known := map[string]bool{}
	for _, d := range docs {
		for _, s := range v.main.slogansIn(text.AppendNormalized(nil, d.Text)) {
			if !known[s] && utf8.RuneCountInString(s) >= minStockSlogan {
				known[s] = true
				slogans = append(slogans, s)
			}
		}
	}
	out.Slogans = len(slogans)
	if out.Err = v.err(); out.Err != nil {
		out.Result = &report.Result{Schema: report.Schema}
		return out
	}

	all := slices.Clone(docs)
	copt := corpus.Options{Encoding: v.main.h.Settings.Encoding, MaxFileSize: opt.Files.MaxFileSize}
	for _, e := range cands {
		doc, skip, err := corpus.Read(corpus.Source{Path: opt.Files.Path(e.Path)}, nil, copt)
		if err != nil || skip != nil {
			if opt.Warn != nil {
				opt.Warn(fmt.Sprintf("indexed file %s could not be read; run neardup index to update the index", e.Path))
			}
			continue
		}
		doc.Path = e.Path
		all = append(all, doc)
		out.Read = append(out.Read, doc)
		out.Texts[doc.Path] = doc.Text
	}

	// No slogans are mined among this handful of documents: the minimum is set above their
	// number, so only the ignore list is left out of the evidence.
	if len(slogans) > 0 {
		mo.ExcludeFromPassages = func([]match.Duplicate) [][]text.Span { return slogan.Ignored(all, slogans) }
	}
	// Every pair is compared, identical copies too: a scan compares a group of identical texts
	// once, through its first member, and lists no pair inside it, but a file that copies an
	// indexed one verbatim is the plainest near-duplicate a check must report.
	res := scan.Run(all, scan.Options{Match: mo, MinDocs: len(all) + 1, Ignore: ignore, NoSlogans: true, Jobs: opt.Jobs, AllPairs: true})
	res.Settings.MinDocs = 0
	checked := map[string]bool{}
	for _, d := range docs {
		checked[d.Path] = true
	}
	res.Duplicates = slices.DeleteFunc(res.Duplicates, func(d report.Duplicate) bool { return !checked[d.A] && !checked[d.B] })
	res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool { return !checked[p.A] && !checked[p.B] })
	// Text of a checked document that stock phrases cover (the corpus's slogans, its stock
	// clauses, the phrases to ignore) is not evidence: passages may run across it, as the
	// alignment grows them, but it counts neither towards their length nor their coverage,
	// and a passage with less than MinPassage characters of other text is none.
	stockSpans := map[string][]text.Span{}
	if phrases := slices.Concat(ignore, slogans); len(phrases) > 0 {
		for i, spans := range slogan.Ignored(docs, phrases) {
			stockSpans[docs[i].Path] = spans
		}
	}
	n := len(res.Passages)
	res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool {
		return checked[p.A] && evidence(stockSpans[p.A], p.AStart, p.AEnd) < mo.MinPassage ||
			checked[p.B] && evidence(stockSpans[p.B], p.BStart, p.BEnd) < mo.MinPassage
	})
	out.Minor = n - len(res.Passages)
	out.Coverage = coverage(res.Passages, out.Texts, checked, stockSpans, opt)
	if opt.MinCoverage > 0 || opt.LongPassage > 0 || opt.MinCopied > 0 {
		fails := map[[2]string]bool{}
		for _, c := range out.Coverage {
			if c.Fails {
				fails[[2]string{c.Doc, c.Other}] = true
			}
		}
		n := len(res.Passages)
		res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool {
			return !fails[[2]string{p.A, p.B}] && !fails[[2]string{p.B, p.A}]
		})
		out.Minor += n - len(res.Passages)
	}
	pruneDocuments(res, checked)
	res.Capped = nil
	out.Result = res
	return out
}

// pruneDocuments keeps the checked documents and those a finding names.
func pruneDocuments(res *report.Result, checked map[string]bool) {
	involved := map[string]bool{}
	for _, d := range res.Duplicates {
		involved[d.A], involved[d.B] = true, true
	}
	for _, p := range res.Passages {
		involved[p.A], involved[p.B] = true, true
	}
	res.Documents = slices.DeleteFunc(res.Documents, func(d report.Document) bool {
		return !checked[d.Path] && !involved[d.Path]
	})
}

// coverage measures, per checked document and other document, the part of the checked
// document its passages with the other cover, leaving out what stock phrases cover.
func coverage(passages []report.Passage, texts map[string]string, checked map[string]bool, stock map[string][]text.Span, opt CheckOptions) []Coverage {
	spans := map[[2]string][]text.Span{}
	for _, p := range passages {
		if checked[p.A] {
			k := [2]string{p.A, p.B}
			spans[k] = append(spans[k], text.Span{Start: p.AStart, End: p.AEnd})
		}
		if checked[p.B] {
			k := [2]string{p.B, p.A}
			spans[k] = append(spans[k], text.Span{Start: p.BStart, End: p.BEnd})
		}
	}
	var out []Coverage
	for k, ss := range spans {
		n := utf8.RuneCountInString(texts[k[0]])
		copied := make([]bool, n)
		longest := 0
		for _, s := range ss {
			longest = max(longest, evidence(stock[k[0]], s.Start, s.End))
			for i := max(s.Start, 0); i < min(s.End, n); i++ {
				copied[i] = true
			}
		}
		for _, s := range stock[k[0]] {
			for i := max(s.Start, 0); i < min(s.End, n); i++ {
				copied[i] = false
			}
		}
		covered := 0
		for _, c := range copied {
			if c {
				covered++
			}
		}
		c := Coverage{Doc: k[0], Other: k[1], Copied: covered, Longest: longest, Passages: len(ss)}
		if n > 0 {
			c.Share = float64(covered) / float64(n)
		}
		c.Fails = (opt.MinCoverage <= 0 && opt.LongPassage <= 0 && opt.MinCopied <= 0) ||
			(c.Share >= opt.MinCoverage && covered >= opt.MinCopied) || (opt.LongPassage > 0 && longest >= opt.LongPassage)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Coverage) int { return cmp.Or(cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Other, b.Other)) })
	return out
}

// evidence is how many code points of [start, end) the sorted, disjoint stock spans leave.
func evidence(stock []text.Span, start, end int) int {
	n := end - start
	for _, s := range stock {
		if s.Start >= end {
			break
		}
		if lo, hi := max(s.Start, start), min(s.End, end); lo < hi {
			n -= hi - lo
		}
	}
	return n
}
