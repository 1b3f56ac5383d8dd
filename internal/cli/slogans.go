package cli

import (
	"fmt"
	"io"

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
    -f, --format FORMAT     text or json (default: from the -o extension, else
                            text)
    -o, --output FILE       write to FILE (atomically) instead of stdout
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out
    -j, --jobs N            worker goroutines (default: number of CPUs)
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Page chrome (a site header, a dateline, navigation, a source line at the bottom)
is listed too, marked [boilerplate].

Exit status: 0 when the run finished (whatever it found), 2 on a usage or input
error or a failure (the output could not be written).

Examples:
    neardup slogans corpus/
    neardup slogans --min-docs 2 testdata/corpus
    neardup slogans --ignore stock.txt --format json corpus/ > slogans.json
`

func init() { commands["slogans"] = command{runSlogans, slogansUsage} }

type slogansFlags struct {
	minDocs, minChars      int
	ignore, format, output string
	read                   readFlags
	paths                  []string
}

func runSlogans(env *Env, args []string) int {
	f, code := parseSlogansFlags(env, args)
	if code != proceed {
		return code
	}
	in, code := loadCorpus(env, "slogans", f.paths, f.read, f.ignore, f.output)
	if code != proceed {
		return code
	}
	defer in.bar.Finish()
	in.bar.Report(fmt.Sprintf("mining %d documents", len(in.docs)), 0, -1)
	res := scan.Slogans(in.docs, scan.Options{MinDocs: f.minDocs, MinChars: f.minChars, Ignore: in.ignore, Jobs: f.read.jobs, Skipped: in.skipped})
	in.bar.Finish()

	render := func(w io.Writer) error {
		if f.format == "json" {
			return report.WriteJSON(w, res)
		}
		return report.WriteSlogansReport(w, res)
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
	}
	code := checkInputFlags(env, "slogans", f.paths, "neardup slogans --min-docs 2 testdata/corpus",
		msg, checkReadFlags(f.read.jobs, f.read.maxFileSize))
	return f, code
}
