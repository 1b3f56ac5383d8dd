package cli

import (
	"fmt"
	"io"
	"runtime"

	"github.com/neardup/neardup/corpus"
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
    -f, --format FORMAT     text or json (default: from the -o extension, else text)
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

func init() { commands["slogans"] = runSlogans }

func runSlogans(env *Env, args []string) int {
	fs := newFlagSet("slogans")
	var (
		minDocs, minChars      int
		ignore, format, output string
		encoding               string
		maxFileSize            int64
		jobs                   int
		quiet                  bool
	)
	fs.IntVar(&minDocs, "min-docs", slogan.DefaultMinDocs, "")
	fs.IntVar(&minChars, "min-chars", slogan.DefaultMinChars, "")
	fs.StringVar(&ignore, "ignore", "", "")
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
	bar := progress.New(env.Stderr, !quiet && isTerminal(env), -1, "reading files")
	defer bar.Finish()
	docs, skipped, code := loadInput(env, fs.Args(), readFlags{encoding, maxFileSize, quiet, *noIgnoreVCS, jobs}, bar)
	if code != exitOK {
		return code
	}
	if err := checkOutput(output, inputPaths(docs, skipped)); err != nil {
		errorf(env, "slogans: %v", err)
		return exitUsage
	}

	bar.Report(fmt.Sprintf("mining %d documents", len(docs)), 0, -1)
	res := scan.Slogans(docs, scan.Options{MinDocs: minDocs, MinChars: minChars, Ignore: phrases, Jobs: jobs, Skipped: skipped})
	bar.Finish()

	render := func(w io.Writer) error {
		if format == "json" {
			return report.WriteJSON(w, res)
		}
		return writeSlogansReport(w, res)
	}
	return writeOutput(env, output, render)
}

// writeSlogansReport is the text form of neardup slogans: a one-line summary, the slogans,
// and the skipped files.
func writeSlogansReport(w io.Writer, r *report.Result) error {
	if _, err := fmt.Fprintf(w, "neardup: %d documents, %d recurring phrases (in %d or more documents)\n\n",
		len(r.Documents), len(r.Slogans), r.Settings.MinDocs); err != nil {
		return err
	}
	if err := report.WriteSlogansText(w, r.Slogans); err != nil {
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
