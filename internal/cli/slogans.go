package cli

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/internal/progress"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/slogan"
)

const slogansUsage = `Usage: neardup slogans [flags] PATH...

Report phrases that recur, verbatim or with a small change (a character changed,
other punctuation or spacing), across documents: campaign lines, formulas, page
chrome. Each phrase is listed once, whole, with its document count, occurrences,
spellings and every location. PATH is a file, a folder (walked in sorted order,
hidden entries skipped) or - for stdin. Offsets are Unicode code points of the
decoded text, 0-based, end exclusive.

Options:
        --min-docs N        a phrase must occur in at least N documents (default 3;
                            use 2 for a handful of documents)
        --min-chars N       shortest phrase, in characters after normalisation
                            (default 6; a quoted phrase may be 4)
        --ignore FILE       phrases to leave out, one per line (# starts a comment)
        --kind LIST         list only these kinds, comma-separated: slogan, template,
                            name, phrase, boilerplate (default: all)
        --top N             text output lists the first N phrases (default 100; 0: all)
        --dates FILE        dates of documents, CSV lines of path,YYYY-MM-DD; other
                            documents are dated by front matter (date:) or their path
        --since DATE        mine only documents dated DATE (YYYY-MM-DD) or later
        --until DATE        mine only documents dated DATE or earlier
    -f, --format FORMAT     text or json (default: from the -o extension, else text)
    -o, --output FILE       write to FILE (atomically) instead of stdout
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out
    -j, --jobs N            worker goroutines (default: number of CPUs)
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Each phrase has a kind: slogan (a slogan or formula: quoted, numbered, or the
object of a verb of policy), template (one frame with different fillers, which
are listed), name (a name or title), phrase (recurring, of no other kind) and
boilerplate (page chrome: a dateline, a site header, navigation). Slogans come
first. A phrase counts every document holding it, whatever longer phrase it
stands in; longer forms made of it and a few joining words are listed under it.
With dates, each phrase has its first and last date and a count per month.

Exit status: 0 when the run finished (whatever it found), 2 on a usage or input
error or a failure (the output could not be written).

Examples:
    neardup slogans corpus/
    neardup slogans --min-docs 2 testdata/corpus
    neardup slogans --ignore stock.txt --format json corpus/ > slogans.json
`

func init() { commands["slogans"] = runSlogans }

func runSlogans(env *Env, args []string) int {
	fs := newFlagSet("slogans")
	var (
		minDocs, minChars, top int
		ignore, format, output string
		kinds, datesFile       string
		since, until           string
		encoding               string
		maxFileSize            int64
		jobs                   int
		quiet                  bool
	)
	fs.IntVar(&minDocs, "min-docs", slogan.DefaultMinDocs, "")
	fs.IntVar(&minChars, "min-chars", slogan.DefaultMinChars, "")
	fs.StringVar(&ignore, "ignore", "", "")
	fs.StringVar(&kinds, "kind", "", "")
	fs.IntVar(&top, "top", report.MaxTextSlogans, "")
	fs.StringVar(&datesFile, "dates", "", "")
	fs.StringVar(&since, "since", "", "")
	fs.StringVar(&until, "until", "", "")
	fs.StringVarP(&format, "format", "f", "", "")
	fs.StringVarP(&output, "output", "o", "", "")
	fs.StringVar(&encoding, "encoding", "", "")
	fs.Int64Var(&maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	noIgnoreVCS := fs.Bool("no-ignore-vcs", false, "")
	fs.IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, slogansUsage, args); done {
		return code
	}
	format, err := outputFormat(format, output)
	if err == nil && (format == "html" || format == "csv") {
		err = fmt.Errorf("--format %s is made by neardup scan; use text or json here", format)
	}
	if err != nil {
		errorf(env, "slogans: %v", err)
		return exitUsage
	}
	switch {
	case minDocs < 2:
		errorf(env, "slogans: --min-docs must be at least 2 (a phrase in one document does not recur)")
		return exitUsage
	case minChars < 1:
		errorf(env, "slogans: --min-chars must be at least 1")
		return exitUsage
	case checkReadFlags(jobs, maxFileSize) != "":
		errorf(env, "slogans: %s", checkReadFlags(jobs, maxFileSize))
		return exitUsage
	case top < 0:
		errorf(env, "slogans: --top must be 0 (all) or more")
		return exitUsage
	case fs.NArg() == 0:
		errorf(env, "slogans: no input: name at least one file or folder")
		hintf(env, "neardup slogans --min-docs 2 testdata/corpus")
		return exitUsage
	}
	var phrases []string
	if ignore != "" {
		if phrases, err = readPhraseList(ignore); err != nil {
			errorf(env, "slogans: %v", err)
			return exitUsage
		}
	}
	wanted, err := parseKinds(kinds)
	if err != nil {
		errorf(env, "slogans: %v", err)
		return exitUsage
	}
	window, err := parseWindow(since, until)
	if err != nil {
		errorf(env, "slogans: %v", err)
		return exitUsage
	}
	bar := progress.New(env.Stderr, !quiet && isTerminal(env), -1, "reading files")
	defer bar.Finish()
	docs, skipped, code := loadInput(env, fs.Args(), readFlags{encoding, maxFileSize, quiet, *noIgnoreVCS}, bar)
	if code != exitOK {
		return code
	}
	var table dates.Table
	if datesFile != "" {
		if table, _, err = readDates(datesFile, docs); err != nil {
			errorf(env, "slogans: %v", err)
			return exitUsage
		}
	}
	if window.set() {
		docs = window.keep(docs, scan.DatesOf(docs, table))
	}
	if err := checkOutput(output, inputPaths(docs, skipped)); err != nil {
		errorf(env, "slogans: %v", err)
		return exitUsage
	}

	bar.Report(fmt.Sprintf("mining %d documents", len(docs)), 0, -1)
	res := scan.Slogans(docs, scan.Options{MinDocs: minDocs, MinChars: minChars, Ignore: phrases, Jobs: jobs, Skipped: skipped, Dates: table})
	bar.Finish()
	if wanted != nil {
		res.Slogans = slices.DeleteFunc(res.Slogans, func(s report.Slogan) bool { return !wanted[s.Kind] })
	}

	render := func(w io.Writer) error {
		if format == "json" {
			return report.WriteJSON(w, res)
		}
		return writeSlogansReport(w, res, top)
	}
	return writeOutput(env, output, render)
}

// writeSlogansReport is the text form of neardup slogans: a one-line summary, the slogans,
// and the skipped files.
func writeSlogansReport(w io.Writer, r *report.Result, top int) error {
	if _, err := fmt.Fprintf(w, "neardup: %d documents, %d recurring phrases (in %d or more documents)\n\n",
		len(r.Documents), len(r.Slogans), r.Settings.MinDocs); err != nil {
		return err
	}
	if err := report.WriteSlogansTextTop(w, r.Slogans, top); err != nil {
		return err
	}
	if len(r.Skipped) > 0 {
		if _, err := fmt.Fprintf(w, "\nSkipped %d files:\n", len(r.Skipped)); err != nil {
			return err
		}
		for _, s := range r.Skipped {
			if _, err := fmt.Fprintf(w, "  %s: %s\n", report.Clean(s.Path), s.Reason); err != nil {
				return err
			}
		}
	}
	return nil
}

// kindNames are the kinds --kind accepts.
var kindNames = []string{slogan.KindSlogan, slogan.KindTemplate, slogan.KindName, slogan.KindPhrase, slogan.KindBoilerplate}

// parseKinds reads --kind; nil means every kind.
func parseKinds(list string) (map[string]bool, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	out := make(map[string]bool)
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(strings.ToLower(k))
		if !slices.Contains(kindNames, k) {
			return nil, fmt.Errorf("--kind: unknown kind %q (want one of %s)", k, strings.Join(kindNames, ", "))
		}
		out[k] = true
	}
	return out, nil
}

// window is the --since/--until filter; a zero end is open.
type window struct{ since, until time.Time }

func parseWindow(since, until string) (window, error) {
	var w window
	var err error
	if since != "" {
		if w.since, err = dates.Parse(since); err != nil {
			return w, fmt.Errorf("--since: %v", err)
		}
	}
	if until != "" {
		if w.until, err = dates.Parse(until); err != nil {
			return w, fmt.Errorf("--until: %v", err)
		}
	}
	if !w.since.IsZero() && !w.until.IsZero() && w.until.Before(w.since) {
		return w, fmt.Errorf("--until %s is before --since %s", until, since)
	}
	return w, nil
}

func (w window) set() bool { return !w.since.IsZero() || !w.until.IsZero() }

// keep returns the documents dated inside the window; undated documents
// are left out, as nothing says they belong to it.
func (w window) keep(docs []*corpus.Document, when []scan.Dated) []*corpus.Document {
	var out []*corpus.Document
	for i, d := range docs {
		t := when[i].Time
		if t.IsZero() || (!w.since.IsZero() && t.Before(w.since)) || (!w.until.IsZero() && t.After(w.until)) {
			continue
		}
		out = append(out, d)
	}
	return out
}
