package cli

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
	"github.com/neardup/neardup/internal/progress"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/slogan"
)

const scanUsage = `Usage: neardup scan [flags] PATH...

Report near-duplicate documents, passages copied between documents, and slogans
(phrases that recur across many documents). PATH is a file, a folder (walked in
sorted order, hidden entries skipped) or - for stdin. Every offset is in Unicode
code points of the decoded text, 0-based, end exclusive.

Output:
    -f, --format FORMAT     text, json, html or csv (default: from the -o
                            extension, else text)
    -o, --output FILE       write to FILE (atomically) instead of stdout

Matching:
        --min-similarity X  Jaccard similarity of character n-grams at which two
                            documents are near-duplicates (default 0.5)
        --min-passage N     shortest copied passage reported, in characters
                            (default 30)
        --max-df N          a clause found in more than N documents is a stock
                            phrase: it is capped, not evidence of copying
                            (default 10)
        --doc-distance K    fingerprint distance for document candidates
                            (default 10)
        --passage-distance K
                            fingerprint distance for clause candidates
                            (default 6)
        --all-pairs         list every pair: compare identical copies one by one
                            and list the pairs inside large families (default:
                            a family of more than 30 lists its members,
                            identical copies are compared once)

Families:
        --dates FILE        CSV of path,date rows (YYYY-MM-DD) dating documents,
                            so a family's source is its earliest member; rows
                            may name a file by its name alone; dates also come
                            from front matter and from dates in paths

Slogans:
        --min-docs N        a slogan occurs in at least N documents (default 3)
        --ignore FILE       phrases, one per line, left out of all evidence and
                            of the slogans
        --no-slogans        do not look for slogans

Input:
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out (inside a
                            git work tree, folders are walked as git sees them)

Other:
    -j, --jobs N            worker goroutines (default: number of CPUs)
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Exit status: 0 when the scan ran (whatever it found), 2 on a usage or input
error or a failure (the output could not be written), 3 when memory ran out.

Examples:
    neardup scan testdata/corpus
    neardup scan --format json corpus/ > result.json
    neardup scan corpus/ -o report.html
    find . -name '*.txt' | xargs neardup scan --min-docs 3
`

func init() { commands["scan"] = command{runScan, scanUsage} }

type scanFlags struct {
	format, output string
	match          match.Options
	minDocs        int
	ignore         string
	noSlogans      bool
	dates          string
	allPairs       bool
	encoding       string
	maxFileSize    int64
	jobs           int
	quiet          bool
	noIgnoreVCS    bool
	paths          []string // the arguments
}

func runScan(env *Env, args []string) int {
	f, code := parseScanFlags(env, args)
	if code != proceed {
		return code
	}
	var ignore []string
	var err error
	if f.ignore != "" {
		if ignore, err = readPhraseList(f.ignore); err != nil {
			errorf(env, "scan: %v", err)
			return exitUsage
		}
	}
	bar := progress.New(env.Stderr, !f.quiet && isTerminal(env), -1, "reading files")
	defer bar.Finish()
	docs, skipped, code := loadInput(env, f.paths, readFlags{f.encoding, f.maxFileSize, f.quiet, f.noIgnoreVCS, f.jobs}, bar)
	if code != exitOK {
		return code
	}
	if err := checkOutput(f.output, inputPaths(docs, skipped)); err != nil {
		errorf(env, "scan: %v", err)
		return exitUsage
	}
	table, code := scanDates(env, f, docs)
	if code != proceed {
		return code
	}

	defer limitMemory(env, docs)()
	res := scan.Run(docs, scan.Options{
		Match: f.match, MinDocs: f.minDocs, Ignore: ignore, NoSlogans: f.noSlogans, Jobs: f.jobs, Skipped: skipped,
		Progress: bar.Report, Dates: table, AllPairs: f.allPairs,
	})
	bar.Finish()
	return writeReport(env, res, docs, f.format, f.output)
}

// parseScanFlags reads and checks the flags of scan; f.format is resolved.
func parseScanFlags(env *Env, args []string) (*scanFlags, int) {
	fs := newFlagSet("scan")
	f := &scanFlags{}
	def := match.DefaultOptions()
	fs.StringVarP(&f.format, "format", "f", "", "")
	fs.StringVarP(&f.output, "output", "o", "", "")
	fs.Float64Var(&f.match.MinSimilarity, "min-similarity", def.MinSimilarity, "")
	fs.IntVar(&f.match.MinPassage, "min-passage", def.MinPassage, "")
	fs.IntVar(&f.match.MaxDF, "max-df", def.MaxDF, "")
	fs.IntVar(&f.match.DocDistance, "doc-distance", def.DocDistance, "")
	fs.IntVar(&f.match.PassageDistance, "passage-distance", def.PassageDistance, "")
	fs.IntVar(&f.minDocs, "min-docs", slogan.DefaultMinDocs, "")
	fs.StringVar(&f.ignore, "ignore", "", "")
	fs.BoolVar(&f.noSlogans, "no-slogans", false, "")
	fs.StringVar(&f.dates, "dates", "", "")
	fs.BoolVar(&f.allPairs, "all-pairs", false, "")
	fs.StringVar(&f.encoding, "encoding", "", "")
	fs.Int64Var(&f.maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	fs.BoolVar(&f.noIgnoreVCS, "no-ignore-vcs", false, "")
	fs.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, scanUsage, args); done {
		return nil, code
	}
	f.paths = fs.Args()
	var err error
	if f.format, err = outputFormat(f.format, f.output); err != nil {
		errorf(env, "scan: %v", err)
		return nil, exitUsage
	}
	msg := checkMatchOptions(f.match)
	if msg == "" && f.minDocs < 2 {
		msg = "--min-docs must be at least 2 (a phrase in one document does not recur)"
	}
	if msg == "" {
		msg = checkReadFlags(f.jobs, f.maxFileSize)
	}
	if msg != "" {
		errorf(env, "scan: %s", msg)
		return nil, exitUsage
	}
	if len(f.paths) == 0 {
		errorf(env, "scan: no input: name at least one file or folder")
		hintf(env, "neardup scan testdata/corpus")
		return nil, exitUsage
	}
	return f, proceed
}

// scanDates reads the table of --dates, if any.
func scanDates(env *Env, f *scanFlags, docs []*corpus.Document) (dates.Table, int) {
	if f.dates == "" {
		return nil, proceed
	}
	table, unmatched, err := readDates(f.dates, docs)
	if err != nil {
		errorf(env, "scan: %v", err)
		return nil, exitUsage
	}
	if unmatched > 0 && !f.quiet {
		warnf(env, "%s: %d rows name no document of this scan", f.dates, unmatched)
	}
	return table, proceed
}

const (
	// The analysis holds, at its peak, about 5.5 bytes of live heap per byte of text on the
	// xinwenlianbo news corpus: for a moment, while the tables of the clause fingerprint index
	// are built; slogan mining peaks at about 4.2. liveHeapPerByte rounds that up.
	liveHeapPerByte = 6
	// memoryPerByte and memoryBase make the heap limit limitMemory sets; what the limit does
	// not count (the mapped program, about 15 MiB) comes on top, within the target of three
	// times the input plus 100 MB.
	memoryPerByte = 3
	memoryBase    = 80 << 20
)

// limitMemory keeps the heap of a scan under 3 times the text plus 80 MiB, instead of the
// twice-the-live-heap that Go's collector allows by default, as long as that leaves a quarter
// of room above the live heap: the collector then runs more often near the limit (about 7%
// more CPU on 15 MB of news), where with less room it would run nearly all the time. It does
// nothing when GOMEMLIMIT or the embedding program set a limit. The returned func restores
// the previous limit.
func limitMemory(env *Env, docs []*corpus.Document) func() {
	if env.Getenv("GOMEMLIMIT") != "" || debug.SetMemoryLimit(-1) != math.MaxInt64 {
		return func() {}
	}
	var text int64
	for _, d := range docs {
		text += int64(len(d.Text))
	}
	limit := memoryPerByte*text + memoryBase
	if liveHeapPerByte*text*5/4 > limit {
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

func checkMatchOptions(o match.Options) string {
	switch {
	case !(o.MinSimilarity > 0 && o.MinSimilarity <= 1): // NaN too
		return "--min-similarity must be in (0, 1]"
	case o.MinPassage < 1:
		return "--min-passage must be at least 1"
	case o.MaxDF < 2:
		return "--max-df must be at least 2"
	case o.DocDistance < 0 || o.DocDistance > 16:
		return "--doc-distance must be between 0 and 16"
	case o.PassageDistance < 0 || o.PassageDistance > 16:
		return "--passage-distance must be between 0 and 16"
	}
	return ""
}

// outputFormat picks the format from the flag, or else from the output file's extension.
func outputFormat(flag, output string) (string, error) {
	if flag == "" {
		switch strings.ToLower(filepath.Ext(output)) {
		case ".html", ".htm":
			return "html", nil
		case ".json":
			return "json", nil
		case ".csv":
			return "csv", nil
		}
		return "text", nil
	}
	switch flag {
	case "text", "json", "html", "csv":
		return flag, nil
	}
	return "", fmt.Errorf("unknown --format %q: use text, json, html or csv", flag)
}

// readFlags are the flags of every command that reads a corpus.
type readFlags struct {
	encoding    string
	maxFileSize int64
	quiet       bool
	noIgnoreVCS bool
	jobs        int // files read at once
}

// loadInput reads every document, warning on stderr about skipped files and counting the
// files read on bar (which may be nil). An input error (a missing path) is a usage error;
// no document at all is an error too.
func loadInput(env *Env, paths []string, rf readFlags, bar *progress.Bar) ([]*corpus.Document, []corpus.Skip, int) {
	opt := corpus.Options{Encoding: rf.encoding, MaxFileSize: rf.maxFileSize, NoIgnoreVCS: rf.noIgnoreVCS, Jobs: rf.jobs}
	if !rf.quiet {
		opt.Warn = func(msg string) {
			bar.Clear() // the warning takes the bar's line; the bar comes back below it
			warnf(env, "%s", msg)
		}
	}
	if bar != nil {
		opt.Progress = func(done, total int) { bar.Report("reading files", done, total) }
	}
	docs, skipped, err := corpus.Load(paths, env.Stdin, opt)
	if err != nil {
		errorf(env, "%v", err)
		return nil, nil, exitUsage
	}
	if len(docs) == 0 {
		errorf(env, "no documents to compare in %s (%d files skipped)", strings.Join(paths, " "), len(skipped))
		hintf(env, "name text files or folders that hold them")
		return nil, nil, exitUsage
	}
	return docs, skipped, exitOK
}

// inputPaths lists every path a run read or skipped, for checkOutput.
func inputPaths(docs []*corpus.Document, skipped []corpus.Skip) []string {
	paths := make([]string, 0, len(docs)+len(skipped))
	for _, d := range docs {
		paths = append(paths, d.Path)
	}
	for _, s := range skipped {
		paths = append(paths, s.Path)
	}
	return paths
}

// writeReport renders res to -o FILE atomically, or to stdout.
func writeReport(env *Env, res *report.Result, docs []*corpus.Document, format, output string) int {
	render := func(w io.Writer) error {
		switch format {
		case "json":
			return report.WriteJSON(w, res)
		case "html":
			return report.WriteHTML(w, res, scan.TextOf(docs))
		case "csv":
			return report.WriteCSV(w, res)
		}
		return report.WriteText(w, res)
	}
	return writeOutput(env, output, render)
}
