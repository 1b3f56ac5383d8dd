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
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/slogan"
	"github.com/neardup/neardup/text"
)

// Options tunes a scan. The zero value scans with neardup's defaults and mines slogans.
type Options struct {
	Match     match.Options // zero: match.DefaultOptions; else see match.Options for zero fields
	MinDocs   int           // a slogan occurs in at least this many documents; 0 means slogan.DefaultMinDocs
	Ignore    []string      // phrases left out of all evidence and of the slogans
	NoSlogans bool          // skip slogan mining (and so the slogans' exclusion from passages)
	Jobs      int           // worker goroutines; 0 means 1; the result does not depend on it
	Skipped   []corpus.Skip // inputs the caller left out, recorded in the result
	Dates     dates.Table   // dates the user gives by path; others come from front matter or the path
}

// Run scans docs and returns the sorted result. docs are compared in the order given, which
// is the order pairs list them in ("A before B").
func Run(docs []*corpus.Document, opt Options) *report.Result {
	if opt.MinDocs == 0 {
		opt.MinDocs = slogan.DefaultMinDocs
	}
	mo := opt.Match
	if unset(mo) {
		def := match.DefaultOptions()
		def.Exclude, def.ExcludeFromPassages = mo.Exclude, mo.ExcludeFromPassages
		mo = def
	}
	mo.Jobs = max(opt.Jobs, mo.Jobs, 1)
	res := &report.Result{Schema: report.Schema}
	if len(opt.Ignore) > 0 {
		mo.Exclude = slogan.Ignored(docs, opt.Ignore)
	}
	if !opt.NoSlogans {
		mo.ExcludeFromPassages = func(dups []match.Duplicate) [][]text.Span {
			found := slogan.Find(docs, slogan.Options{
				MinDocs: opt.MinDocs, Ignore: opt.Ignore, Family: Families(len(docs), dups), Jobs: mo.Jobs,
			})
			res.Slogans = found.Slogans
			return found.Excluded
		}
	}
	m := match.Find(docs, mo)
	mo = match.Resolved(mo)
	res.Settings = report.Settings{
		NGram: mo.N, DocDistance: mo.DocDistance, PassageDistance: mo.PassageDistance,
		MinSimilarity: mo.MinSimilarity, MinPassage: mo.MinPassage, MaxDF: mo.MaxDF, MinDocs: opt.MinDocs,
	}
	when := DatesOf(docs, opt.Dates)
	for i, d := range docs {
		rd := report.Document{
			Path: d.Path, Chars: d.Chars(), Fingerprint: fmt.Sprintf("%016x", m.Fingerprints[i]), Encoding: d.Encoding,
		}
		if !when[i].Time.IsZero() {
			rd.Date, rd.DateRule = when[i].Time.Format(dates.Layout), string(when[i].Rule)
		}
		res.Documents = append(res.Documents, rd)
	}
	for _, d := range m.Duplicates {
		res.Duplicates = append(res.Duplicates, report.Duplicate{
			A: docs[d.A].Path, B: docs[d.B].Path, Similarity: Round3(d.Similarity), Distance: d.Distance,
		})
	}
	for _, p := range m.Passages {
		res.Passages = append(res.Passages, report.Passage{
			A: docs[p.A].Path, AStart: p.AStart, AEnd: p.AEnd,
			B: docs[p.B].Path, BStart: p.BStart, BEnd: p.BEnd,
			Similarity: Round3(p.Similarity),
			Excerpt:    docs[p.A].Slice(p.AStart, min(p.AEnd, p.AStart+80)),
		})
	}
	for _, c := range m.Capped {
		res.Capped = append(res.Capped, report.Capped{Text: c.Text, Documents: c.Documents})
	}
	for _, s := range opt.Skipped {
		res.Skipped = append(res.Skipped, report.Skip{Path: s.Path, Reason: s.Reason})
	}
	return res
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
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	root := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, d := range dups {
		ra, rb := root(d.A), root(d.B)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for i := range parent {
		parent[i] = root(i)
	}
	return parent
}

// Round3 keeps similarities readable and stable across platforms in the output.
func Round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
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
