package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"

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
        --min-docs N        a phrase must occur in at least N documents
                            (default 3; use 2 for a handful of documents)
        --min-chars N       shortest phrase, in characters after normalisation
                            (default 6; a quoted phrase may be 4)
        --ignore FILE       phrases to leave out, one per line (# starts a
                            comment)
        --kind LIST         list only these kinds, comma-separated: slogan,
                            template, name, phrase, boilerplate (default: all)
        --top N             text output lists the first N phrases (default 100;
                            0: all)
        --dates FILE        dates of documents, CSV lines of path,YYYY-MM-DD;
                            other documents are dated by front matter (date:)
                            or their path
        --since DATE        mine only documents dated DATE (YYYY-MM-DD) or later
        --until DATE        mine only documents dated DATE or earlier
    -f, --format FORMAT     text or json (default: from the -o extension, else
                            text)
    -o, --output FILE       write to FILE (atomically) instead of stdout
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out
    -j, --jobs N            CPUs to use (default: all of them)
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

func init() { commands["slogans"] = command{runSlogans, slogansUsage} }

type slogansFlags struct {
	minDocs, minChars, top int
	ignore, format, output string
	kinds, dates           string
	since, until           string
	wanted                 map[string]bool // --kind resolved; nil: every kind
	window                 window          // --since and --until resolved
	read                   readFlags
	paths                  []string
}

func runSlogans(env *Env, args []string) int {
	f, code := parseSlogansFlags(env, args)
	if code != proceed {
		return code
	}
	defer useCPUs(f.read.jobs)()
	in, code := loadCorpus(env, "slogans", f.paths, f.read, f.ignore, f.output)
	if code != proceed {
		return code
	}
	defer in.bar.Finish()
	var table dates.Table
	if f.dates != "" {
		var err error
		if table, _, err = readDates(f.dates, in.docs); err != nil {
			errorf(env, "slogans: %v", err)
			return exitUsage
		}
	}
	docs := in.docs
	if f.window.set() {
		docs = f.window.keep(docs, scan.DatesOf(docs, table))
	}
	in.bar.Report(fmt.Sprintf("mining %d documents", len(docs)), 0, -1)
	res := scan.Slogans(docs, scan.Options{
		MinDocs: f.minDocs, MinChars: f.minChars, Ignore: in.ignore, Jobs: f.read.jobs, Skipped: in.skipped, Dates: table,
	})
	in.bar.Finish()
	if f.wanted != nil {
		res.Slogans = slices.DeleteFunc(res.Slogans, func(s report.Slogan) bool { return !f.wanted[s.Kind] })
	}

	render := func(w io.Writer) error {
		if f.format == "json" {
			return report.WriteJSON(w, res)
		}
		return report.WriteSlogansReport(w, res, f.top)
	}
	return writeOutput(env, f.output, render)
}

// parseSlogansFlags reads and checks the flags of slogans; f.format is resolved.
func parseSlogansFlags(env *Env, args []string) (*slogansFlags, int) {
	fs := newFlagSet("slogans")
	f := &slogansFlags{}
	fs.IntVar(&f.minDocs, "min-docs", slogan.DefaultMinDocs, "")
	fs.IntVar(&f.minChars, "min-chars", slogan.DefaultMinChars, "")
	fs.StringVar(&f.ignore, "ignore", "", "")
	fs.StringVar(&f.kinds, "kind", "", "")
	fs.IntVar(&f.top, "top", report.MaxTextSlogans, "")
	fs.StringVar(&f.dates, "dates", "", "")
	fs.StringVar(&f.since, "since", "", "")
	fs.StringVar(&f.until, "until", "", "")
	fs.StringVarP(&f.format, "format", "f", "", "")
	fs.StringVarP(&f.output, "output", "o", "", "")
	f.read.add(fs)
	if done, code := parseFlags(env, fs, slogansUsage, args); done {
		return nil, code
	}
	f.paths = fs.Args()
	format, err := outputFormat(f.format, f.output)
	if err == nil && (format == "html" || format == "csv") {
		err = fmt.Errorf("--format %s is made by neardup scan; use text or json here", format)
	}
	if err != nil {
		errorf(env, "slogans: %v", err)
		return nil, exitUsage
	}
	f.format = format
	var msg string
	switch {
	case f.minDocs < 2:
		msg = "--min-docs must be at least 2 (a phrase in one document does not recur)"
	case f.minChars < 1:
		msg = "--min-chars must be at least 1"
	case f.top < 0:
		msg = "--top must be 0 (all) or more"
	}
	if msg == "" {
		if f.wanted, err = parseKinds(f.kinds); err == nil {
			f.window, err = parseWindow(f.since, f.until)
		}
		if err != nil {
			msg = err.Error()
		}
	}
	code := checkInputFlags(env, "slogans", f.paths, "neardup slogans --min-docs 2 testdata/corpus",
		msg, checkReadFlags(f.read.jobs, f.read.maxFileSize))
	return f, code
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
