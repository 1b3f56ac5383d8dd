package index

import (
	"fmt"
	"slices"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
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
}

// Check verifies docs against the indexed corpus x and against each other. A checked
// document named as an index entry (by its path) is that entry's new version: the entry
// is not compared with it. An indexed file that cannot be read is left out with a warning.
func Check(x *Index, docs []*corpus.Document, opt CheckOptions) *Checked {
	mo := match.Resolved(opt.Match)
	self := map[string]bool{}
	prints := make([]match.DocPrint, len(docs))
	for i, d := range docs {
		if d.Path != "-" {
			self[d.Path] = true
		}
		prints[i] = match.Print(d.Text, mo)
	}
	cands := x.Candidates(prints, self, mo)
	out := &Checked{Indexed: x.Documents(), Candidates: len(cands), Texts: map[string]string{}}
	for _, d := range docs {
		out.Texts[d.Path] = d.Text
	}

	all := slices.Clone(docs)
	copt := corpus.Options{Encoding: x.Settings.Encoding, MaxFileSize: opt.Files.MaxFileSize}
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
	res := scan.Run(all, scan.Options{Match: mo, MinDocs: len(all) + 1, Ignore: opt.Ignore, NoSlogans: true, Jobs: opt.Jobs})
	res.Settings.MinDocs = 0
	checked := map[string]bool{}
	for _, d := range docs {
		checked[d.Path] = true
	}
	involved := map[string]bool{}
	keep := func(a, b string) bool {
		k := checked[a] || checked[b]
		if k {
			involved[a], involved[b] = true, true
		}
		return k
	}
	res.Duplicates = slices.DeleteFunc(res.Duplicates, func(d report.Duplicate) bool { return !keep(d.A, d.B) })
	res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool { return !keep(p.A, p.B) })
	res.Documents = slices.DeleteFunc(res.Documents, func(d report.Document) bool {
		return !checked[d.Path] && !involved[d.Path]
	})
	res.Capped = nil
	out.Result = res
	return out
}
