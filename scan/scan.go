// Package scan is neardup's whole job as a library: given documents, it finds near-duplicate
// documents, passages copied between them and slogans that recur across them, verified on
// the text, and returns the result model that package report renders as text, JSON or HTML.
//
// It is the package to call first. A program that embeds neardup loads documents with
// package corpus (files and folders, a reader, or texts it already holds) and calls Run:
//
//	docs, _, err := corpus.Load([]string{"articles/"}, nil, corpus.Options{})
//	res := scan.Run(docs, scan.Options{})
//	report.WriteJSON(os.Stdout, res)
//
// A corpus larger than memory is opened instead (corpus.Open reads every file once and
// keeps a hash of each text) and scanned by RunTexts, which reads each text again when it
// compares it and spills what it cannot hold to a temporary folder; the result is Run's:
//
//	texts, _, err := corpus.Open([]string{"archive/"}, nil, corpus.Options{Jobs: 2})
//	res, err := scan.RunTexts(texts, scan.Options{Jobs: 2, Memory: 1 << 30})
//
// The order of the work is fixed here, not by the caller: near-duplicates are found first,
// slogans are mined knowing them (a press release reposted five times is one family, not
// five-fold evidence of a slogan), and passages are then sought outside the slogans. The
// packages it calls (match, slogan, simhash, text) can be used alone for one step.
//
// The name says what a user asks of it: "scan this corpus". Checking new documents
// against a stored corpus is package index's job.
package scan

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/internal/unionfind"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/slogan"
	"github.com/neardup/neardup/text"
)

// Options tunes a scan. The zero value scans with neardup's defaults and mines slogans.
type Options struct {
	Match     match.Options // zero: match.DefaultOptions; else see match.Options for zero fields
	MinDocs   int           // a slogan occurs in at least this many documents; 0 means slogan.DefaultMinDocs
	Ignore    []string      // phrases left out of all evidence and of the slogans
	NoSlogans bool          // skip slogan mining (and so the slogans' exclusion from passages)
	MinChars  int           // shortest slogan in normalised runes; 0 means slogan.DefaultMinChars
	Jobs      int           // worker goroutines; 0 means 1; the result does not depend on it
	Skipped   []corpus.Skip // inputs the caller left out, recorded in the result
	Dates     dates.Table   // dates the user gives by path; others come from front matter or the path
	// Progress, when set, is told which stage the scan is in (match's Stage names and
	// StageSlogans) and how many of its steps are done (total -1: not counted). It may be
	// called from several goroutines at once; progress.Bar.Report fits it.
	Progress func(stage string, done, total int)
	// AllPairs compares identical copies one by one and lists every pair of every family;
	// by default copies with the same normalised text are compared once and a family of more
	// than report.MaxFamilyPairs members lists its members instead of its pairs.
	AllPairs bool
	// Memory is what RunTexts may use, in bytes: the texts of the documents it compares at
	// once take what its compact state leaves of it, at least an eighth. 0 means no bound.
	// Run holds every text anyway.
	Memory int64
}

// StageSlogans is the stage of slogan mining, which reports no count.
const StageSlogans = "mining slogans"

// Texts is a corpus for RunTexts: its texts, read when asked for, and what the result
// lists of each document. corpus.FileTexts is one.
type Texts interface {
	corpus.Texts
	Entry(i int) corpus.Entry
}

// Run scans docs and returns the sorted result. docs are compared in the order given, which
// is the order pairs list them in ("A before B"). Memory holds the texts of docs and what
// the search makes of them; RunTexts finds the same holding far less.
func Run(docs []*corpus.Document, opt Options) *report.Result {
	mo := matchOptions(opt)
	if len(opt.Ignore) > 0 {
		mo.Exclude = slogan.Ignored(docs, opt.Ignore)
	}
	when := DatesOf(docs, opt.Dates)
	var res *report.Result
	if !opt.NoSlogans {
		mo.ExcludeFromPassages = func(dups []match.Duplicate) [][]text.Span {
			spans, _ := mineSlogans(res, corpus.DocumentTexts(docs), func(d int) string { return docs[d].Path }, dups, when, opt, mo.Jobs)
			return spans // documents in memory give no errors
		}
	}
	res = &report.Result{Schema: report.Schema}
	var m *match.Result
	var identical [][]int
	if opt.AllPairs {
		m = match.Find(docs, mo)
	} else {
		c := match.FindCollapsed(docs, mo)
		m, identical = c.Result, c.Identical
	}
	entries := entriesOf(docs, mo.Jobs)
	excerpts := make([]string, len(m.Passages))
	parallel.For(len(m.Passages), mo.Jobs, func(i int) {
		p := m.Passages[i]
		excerpts[i] = docs[p.A].Slice(p.AStart, min(p.AEnd, p.AStart+excerptChars))
	})
	fill(res, m, identical, entries, when, excerpts, opt, mo)
	return res
}

// RunTexts is Run over texts read when needed: it returns what Run returns for the same
// documents, holding besides the result only compact state per document and clause (see
// match.FindTexts) and, while documents are compared, the texts of what opt.Memory leaves
// of them, at least an eighth of it. Slogan mining (unless NoSlogans) reads every text twice
// and keeps none, but its own tables grow with the text (the scan peaks at about 4 bytes per byte). An error reading a text again (a file changed since it was first read) stops it.
func RunTexts(texts Texts, opt Options) (*report.Result, error) {
	mo := matchOptions(opt)
	n := texts.Len()
	when := make([]Dated, n)
	exclude := mo.Exclude
	mo.Exclude = nil
	mo.TextBudget = textBudget(texts, opt.Memory)
	mo.Read = func(i int, s string) []text.Span {
		path := texts.Entry(i).Path
		if t, rule, ok := dates.Of(path, s, opt.Dates); ok {
			when[i] = Dated{t, rule}
		}
		if len(opt.Ignore) > 0 {
			return slogan.Ignored([]*corpus.Document{{Path: path, Text: s}}, opt.Ignore)[0]
		}
		if i < len(exclude) {
			return exclude[i]
		}
		return nil
	}
	var res *report.Result
	var sloganErr error
	if !opt.NoSlogans {
		mo.ExcludeFromPassages = func(dups []match.Duplicate) [][]text.Span {
			// The miner reads each text as it needs it and keeps none.
			var spans [][]text.Span
			spans, sloganErr = mineSlogans(res, texts, func(d int) string { return texts.Entry(d).Path }, dups, when, opt, mo.Jobs)
			return spans
		}
	}
	res = &report.Result{Schema: report.Schema}
	var m *match.Result
	var identical [][]int
	if opt.AllPairs {
		r, err := match.FindTexts(texts, mo)
		if err != nil {
			return nil, err
		}
		m = r
	} else {
		c, err := match.FindCollapsedTexts(texts, mo)
		if err != nil {
			return nil, err
		}
		m, identical = c.Result, c.Identical
	}
	if sloganErr != nil {
		return nil, sloganErr
	}
	entries := make([]corpus.Entry, n)
	for i := range entries {
		entries[i] = texts.Entry(i)
	}
	excerpts, err := passageExcerpts(texts, m.Passages, mo.Jobs)
	if err != nil {
		return nil, err
	}
	fill(res, m, identical, entries, when, excerpts, opt, mo)
	return res, nil
}

// entriesOf is what the result lists of each of docs.
func entriesOf(docs []*corpus.Document, jobs int) []corpus.Entry {
	entries := make([]corpus.Entry, len(docs))
	parallel.For(len(docs), jobs, func(i int) {
		d := docs[i]
		entries[i] = corpus.Entry{Path: d.Path, Encoding: d.Encoding, Chars: d.Chars(), Bytes: len(d.Text)}
	})
	return entries
}

// compactPerByte is the live heap per byte of text that RunTexts holds besides the texts it
// compares and baseMemory, at its peak (0.61 measured on the 16x replica of xinwenlianbo,
// 240 MB, 0.64 on the 64x, 1 GB: the index of the clauses' near variants), and baseMemory
// what it holds whatever the input.
const (
	compactPerByte = 0.7
	baseMemory     = 80 << 20
)

// textBudget is what the texts compared at once may take of a budget of memory bytes: what
// the compact state leaves, and at least an eighth (0: no bound).
func textBudget(texts Texts, memory int64) int64 {
	if memory <= 0 {
		return 0
	}
	var text int64
	for i := range texts.Len() {
		text += int64(texts.Entry(i).Bytes)
	}
	return max(memory-int64(compactPerByte*float64(text))-baseMemory, memory/8)
}

// excerptChars is how much of a passage's first side the result quotes.
const excerptChars = 80

// matchOptions is the search's options for a scan with opt.
func matchOptions(opt Options) match.Options {
	mo := opt.Match
	if unset(mo) {
		def := match.DefaultOptions()
		def.Exclude, def.ExcludeFromPassages, def.Progress = mo.Exclude, mo.ExcludeFromPassages, mo.Progress
		mo = def
	}
	mo.Jobs = max(opt.Jobs, mo.Jobs, 1)
	if opt.Progress != nil {
		mo.Progress = opt.Progress
	}
	return mo
}

// mineSlogans mines the slogans of texts knowing the duplicates, records them in res and
// returns the spans they take, which no longer seed passages; path names document d.
func mineSlogans(res *report.Result, texts slogan.Texts, path func(d int) string, dups []match.Duplicate, when []Dated, opt Options, jobs int) ([][]text.Span, error) {
	if opt.Progress != nil {
		opt.Progress(StageSlogans, 0, -1)
	}
	minDocs := opt.MinDocs
	if minDocs == 0 {
		minDocs = slogan.DefaultMinDocs
	}
	found, err := slogan.FindTexts(texts, slogan.Options{
		MinDocs: minDocs, MinChars: opt.MinChars, Ignore: opt.Ignore, Family: Families(texts.Len(), dups), Jobs: jobs,
		Dates: Times(when),
	})
	if err != nil {
		return nil, err
	}
	res.Slogans = reportSlogans(found.Slogans, path, jobs, true)
	return found.Excluded, nil
}

// fill records in res what the search found, as Run and RunTexts return it.
func fill(res *report.Result, m *match.Result, identical [][]int, entries []corpus.Entry, when []Dated, excerpts []string, opt Options, mo match.Options) {
	minDocs := opt.MinDocs
	if minDocs == 0 {
		minDocs = slogan.DefaultMinDocs
	}
	mo = match.Resolved(mo)
	res.Settings = report.Settings{
		NGram: mo.N, DocDistance: mo.DocDistance, PassageDistance: mo.PassageDistance,
		MinSimilarity: mo.MinSimilarity, MinPassage: mo.MinPassage, MaxDF: mo.MaxDF, MinDocs: minDocs,
	}
	res.Documents = documents(entries, m.Fingerprints, when, mo.Jobs)
	omit := addFamilies(res, m.Duplicates, identical, opt.AllPairs)
	listed := *m
	listed.Duplicates = slices.DeleteFunc(slices.Clone(m.Duplicates), func(d match.Duplicate) bool { return omit(d.A, d.B) })
	res.Duplicates, res.Passages, res.Capped = findings(entries, &listed, excerpts, mo.Jobs)
	res.Skipped = slices.Clone(opt.Skipped)
}

// eachText reads the texts of docs on jobs goroutines and hands each to work, which may be
// called from several goroutines at once; the first error stops it.
func eachText(texts corpus.Texts, docs []int, jobs int, work func(d int, s string)) error {
	errs := make([]error, len(docs))
	var failed atomic.Bool
	parallel.For(len(docs), jobs, func(i int) {
		if failed.Load() {
			return
		}
		s, err := texts.Text(docs[i])
		if err != nil {
			errs[i] = err
			failed.Store(true)
			return
		}
		work(docs[i], s)
	})
	return errors.Join(slices.DeleteFunc(errs, func(e error) bool { return e == nil })...)
}

// passageExcerpts cuts the excerpt of every passage from its first document, reading each
// such document once, in order.
func passageExcerpts(texts corpus.Texts, ps []match.Passage, jobs int) ([]string, error) {
	byDoc := map[int][]int{}
	for i, p := range ps {
		byDoc[p.A] = append(byDoc[p.A], i)
	}
	docs := make([]int, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	out := make([]string, len(ps))
	err := eachText(texts, docs, jobs, func(d int, s string) {
		for _, i := range byDoc[d] {
			p := ps[i]
			out[i] = strings.Clone(text.Slice(s, p.AStart, min(p.AEnd, p.AStart+excerptChars)))
		}
	})
	return out, err
}

// Slogans mines the phrases that recur across docs, and nothing else: no near-duplicates
// are sought first, so each document counts on its own (Run counts a family of reposts
// once). It is the job of "neardup slogans".
func Slogans(docs []*corpus.Document, opt Options) *report.Result {
	if opt.MinDocs == 0 {
		opt.MinDocs = slogan.DefaultMinDocs
	}
	when := DatesOf(docs, opt.Dates)
	found := slogan.Find(docs, slogan.Options{
		MinDocs: opt.MinDocs, MinChars: opt.MinChars, Ignore: opt.Ignore, Jobs: max(opt.Jobs, 1),
		Dates: Times(when),
	})
	fps := make([]uint64, len(docs))
	f := match.NewFingerprinter(0)
	for i, d := range docs {
		fps[i], _ = f.Sum(d.Text)
	}
	return &report.Result{
		Schema:    report.Schema,
		Settings:  report.Settings{NGram: simhash.DefaultN, MinDocs: opt.MinDocs},
		Documents: documents(entriesOf(docs, max(opt.Jobs, 1)), fps, when, max(opt.Jobs, 1)),
		Slogans:   ReportSlogans(found.Slogans),
		Skipped:   slices.Clone(opt.Skipped),
	}
}

// documents is the result model of the documents of a run, their fingerprints and their
// dates (DatesOf).
func documents(entries []corpus.Entry, fps []uint64, when []Dated, jobs int) []report.Document {
	if len(entries) == 0 {
		return nil
	}
	out := make([]report.Document, len(entries))
	parallel.For(len(entries), jobs, func(i int) {
		d := entries[i]
		out[i] = report.Document{
			Path: d.Path, Chars: d.Chars, Fingerprint: fmt.Sprintf("%016x", fps[i]), Encoding: d.Encoding,
		}
		if w := when[i]; w.Rule != "" {
			out[i].Date, out[i].DateRule = w.Time.Format(dates.Layout), string(w.Rule)
		}
	})
	return out
}

// findings is the result model of what match found: documents are named by path, offsets
// stay code points of the original texts, excerpts[i] quotes passage i. Each item is made
// on its own, on jobs goroutines.
func findings(entries []corpus.Entry, m *match.Result, excerpts []string, jobs int) (dups []report.Duplicate, pass []report.Passage, capped []report.Capped) {
	if len(m.Duplicates) > 0 {
		dups = make([]report.Duplicate, len(m.Duplicates))
	}
	parallel.For(len(m.Duplicates), jobs, func(i int) {
		d := m.Duplicates[i]
		dups[i] = report.Duplicate{
			A: entries[d.A].Path, B: entries[d.B].Path, Similarity: report.Round3(d.Similarity), Distance: d.Distance,
			ContainmentA: report.Round3(d.ContainmentA), ContainmentB: report.Round3(d.ContainmentB),
			Relation: string(d.Relation), Aligned: report.Round3(d.Aligned), Folded: d.Folded,
		}
	})
	if len(m.Passages) > 0 {
		pass = make([]report.Passage, len(m.Passages))
	}
	parallel.For(len(m.Passages), jobs, func(i int) {
		p := m.Passages[i]
		pass[i] = report.Passage{
			A: entries[p.A].Path, AStart: p.AStart, AEnd: p.AEnd,
			B: entries[p.B].Path, BStart: p.BStart, BEnd: p.BEnd,
			Similarity: report.Round3(p.Similarity), Folded: p.Folded,
			Excerpt: excerpts[i],
		}
	})
	for _, c := range m.Capped {
		capped = append(capped, report.Capped{Text: c.Text, Documents: c.Documents})
	}
	return dups, pass, capped
}

// Dated is a document's date and the rule that found it; the zero Time means undated.
type Dated struct {
	Time time.Time
	Rule dates.Rule
}

// DatesOf dates every document, in order, by dates.Of.
func DatesOf(docs []*corpus.Document, table dates.Table) []Dated {
	out := make([]Dated, len(docs))
	for i, d := range docs {
		if t, rule, ok := dates.Of(d.Path, d.Text, table); ok {
			out[i] = Dated{t, rule}
		}
	}
	return out
}

// unset reports whether no tuning field of o was set: the distances' zero is a real value
// (exact matches only), so only a wholly zero Options stands for the defaults.
func unset(o match.Options) bool {
	return o.N == 0 && o.DocDistance == 0 && o.PassageDistance == 0 && o.MinSimilarity == 0 &&
		o.PassageSimilarity == 0 && o.MinPassage == 0 && o.MaxDF == 0
}

// Families groups near-duplicate documents (a press release and its reposts), giving each of
// the n documents the smallest index of its group. Groups here are connected components:
// right for counting a slogan once per family, too loose to name a family's members.
func Families(n int, dups []match.Duplicate) []int {
	parent := unionfind.New[int](n)
	for _, d := range dups {
		if d.Relation == match.NearCopy || d.Relation == "" {
			unionfind.Union(parent, d.A, d.B)
		}
	}
	return unionfind.Roots(parent)
}

// TextOf returns a lookup of the documents' texts by path, the form report.WriteHTML asks for.
func TextOf(docs []*corpus.Document) func(path string) (string, error) {
	byPath := make(map[string]*corpus.Document, len(docs))
	for _, d := range docs {
		byPath[d.Path] = d
	}
	return func(path string) (string, error) {
		if d, ok := byPath[path]; ok {
			return d.Text, nil
		}
		return "", fmt.Errorf("no document %s in this run", path)
	}
}

// TextsOf is TextOf for texts read when needed: each lookup reads the text again.
func TextsOf(texts Texts) func(path string) (string, error) {
	byPath := make(map[string]int, texts.Len())
	for i := range texts.Len() {
		byPath[texts.Entry(i).Path] = i
	}
	return func(path string) (string, error) {
		if i, ok := byPath[path]; ok {
			return texts.Text(i)
		}
		return "", fmt.Errorf("no document %s in this run", path)
	}
}
