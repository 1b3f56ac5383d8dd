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
// The order of the work is fixed here, not by the caller: near-duplicates are found first,
// slogans are mined knowing them (a press release reposted five times is one family, not
// five-fold evidence of a slogan), and passages are then sought outside the slogans. The
// packages it calls (match, slogan, simhash, text) can be used alone for one step.
//
// The name says what a user asks of it: "scan this corpus". Checking new documents
// against a stored corpus is package index's job.
package scan

import (
	"fmt"
	"slices"
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
}

// StageSlogans is the stage of slogan mining, which reports no count.
const StageSlogans = "mining slogans"

// Run scans docs and returns the sorted result. docs are compared in the order given, which
// is the order pairs list them in ("A before B").
func Run(docs []*corpus.Document, opt Options) *report.Result {
	if opt.MinDocs == 0 {
		opt.MinDocs = slogan.DefaultMinDocs
	}
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
	res := &report.Result{Schema: report.Schema}
	if len(opt.Ignore) > 0 {
		mo.Exclude = slogan.Ignored(docs, opt.Ignore)
	}
	when := DatesOf(docs, opt.Dates)
	if !opt.NoSlogans {
		mo.ExcludeFromPassages = func(dups []match.Duplicate) [][]text.Span {
			if opt.Progress != nil {
				opt.Progress(StageSlogans, 0, -1)
			}
			found := slogan.Find(docs, slogan.Options{
				MinDocs: opt.MinDocs, MinChars: opt.MinChars, Ignore: opt.Ignore, Family: Families(len(docs), dups), Jobs: mo.Jobs,
				Dates: Times(when),
			})
			res.Slogans = ReportSlogans(found.Slogans)
			return found.Excluded
		}
	}
	var m *match.Result
	var identical [][]int
	if opt.AllPairs {
		m = match.Find(docs, mo)
	} else {
		c := match.FindCollapsed(docs, mo)
		m, identical = c.Result, c.Identical
	}
	mo = match.Resolved(mo)
	res.Settings = report.Settings{
		NGram: mo.N, DocDistance: mo.DocDistance, PassageDistance: mo.PassageDistance,
		MinSimilarity: mo.MinSimilarity, MinPassage: mo.MinPassage, MaxDF: mo.MaxDF, MinDocs: opt.MinDocs,
	}
	res.Documents = documents(docs, m.Fingerprints, when, mo.Jobs)
	omit := addFamilies(res, m.Duplicates, identical, opt.AllPairs)
	listed := *m
	listed.Duplicates = slices.DeleteFunc(slices.Clone(m.Duplicates), func(d match.Duplicate) bool { return omit(d.A, d.B) })
	res.Duplicates, res.Passages, res.Capped = findings(docs, &listed, mo.Jobs)
	res.Skipped = slices.Clone(opt.Skipped)
	return res
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
		Documents: documents(docs, fps, when, max(opt.Jobs, 1)),
		Slogans:   ReportSlogans(found.Slogans),
		Skipped:   slices.Clone(opt.Skipped),
	}
}

// documents is the result model of the documents of a run, their fingerprints and their
// dates (DatesOf).
func documents(docs []*corpus.Document, fps []uint64, when []Dated, jobs int) []report.Document {
	if len(docs) == 0 {
		return nil
	}
	out := make([]report.Document, len(docs))
	parallel.For(len(docs), jobs, func(i int) {
		d := docs[i]
		out[i] = report.Document{
			Path: d.Path, Chars: d.Chars(), Fingerprint: fmt.Sprintf("%016x", fps[i]), Encoding: d.Encoding,
		}
		if w := when[i]; w.Rule != "" {
			out[i].Date, out[i].DateRule = w.Time.Format(dates.Layout), string(w.Rule)
		}
	})
	return out
}

// findings is the result model of what match found: documents are named by path, offsets
// stay code points of the original texts. Each item is made on its own, on jobs goroutines
// (an excerpt is cut from its document's text by code points).
func findings(docs []*corpus.Document, m *match.Result, jobs int) (dups []report.Duplicate, pass []report.Passage, capped []report.Capped) {
	if len(m.Duplicates) > 0 {
		dups = make([]report.Duplicate, len(m.Duplicates))
	}
	parallel.For(len(m.Duplicates), jobs, func(i int) {
		d := m.Duplicates[i]
		dups[i] = report.Duplicate{
			A: docs[d.A].Path, B: docs[d.B].Path, Similarity: report.Round3(d.Similarity), Distance: d.Distance,
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
			A: docs[p.A].Path, AStart: p.AStart, AEnd: p.AEnd,
			B: docs[p.B].Path, BStart: p.BStart, BEnd: p.BEnd,
			Similarity: report.Round3(p.Similarity), Folded: p.Folded,
			Excerpt: docs[p.A].Slice(p.AStart, min(p.AEnd, p.AStart+80)),
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
