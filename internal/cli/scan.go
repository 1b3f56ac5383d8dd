package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/pflag"

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
        --memory SIZE       memory budget, such as 500MiB or 2GiB (default:
                            1/16 of the machine's or the control group's memory)
    -j, --jobs N            CPUs to use (default: all of them)
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Texts are read again when they are compared, a budget's worth at a time, state
beyond the budget is spilled to a temporary folder, and the collector keeps the
heap within the budget. What a scan cannot spill (about half a byte per byte
of text; 1.3 with slogans, whose mining keeps tables of its own) takes up to 3/4
of the machine's memory by default; a --memory below it stops the scan before
it starts, with exit status 3. So does one that runs out of memory anyway,
with a one-line message instead of the Go runtime's dump.

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
	read           readFlags
	memory         string
	memBudget      budget   // --memory resolved
	paths          []string // the arguments
}

func runScan(env *Env, args []string) int {
	f, code := parseScanFlags(env, args)
	if code != proceed {
		return code
	}
	defer useCPUs(f.read.jobs)()
	in, code := openCorpus(env, "scan", f.paths, f.read, f.ignore, f.output, f.memBudget.bytes/holdShare)
	if code != proceed {
		return code
	}
	bar := in.bar
	defer bar.Finish()
	table, code := scanDates(env, f, in.texts.Documents())
	if code != proceed {
		return code
	}

	text := in.texts.Bytes()
	floor, expect := scanNeed(text, f.noSlogans)
	room, restore, err := applyBudget(f.memBudget, floor, expect, text)
	if err != nil {
		bar.Finish()
		errorf(env, "scan: %v; %s", err, memoryHint)
		return exitMemory
	}
	defer restore()
	res, err := scan.RunTexts(in.texts, scan.Options{
		Match: f.match, MinDocs: f.minDocs, Ignore: in.ignore, NoSlogans: f.noSlogans, Jobs: f.read.jobs,
		Skipped: in.skipped, Progress: bar.Report, Dates: table, AllPairs: f.allPairs, Memory: room,
	})
	bar.Finish()
	if err != nil {
		errorf(env, "scan: %v", err)
		return exitFailure
	}
	return writeReport(env, res, scan.TextsOf(in.texts), f.format, f.output)
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
	f.read.add(fs)
	fs.StringVar(&f.memory, "memory", "", "")
	if done, code := parseFlags(env, fs, scanUsage, args); done {
		return nil, code
	}
	var err error
	if f.memBudget, err = memoryBudget(f.memory); err != nil {
		errorf(env, "scan: %v", err)
		return nil, exitUsage
	}
	f.paths = fs.Args()
	if f.format, err = outputFormat(f.format, f.output); err != nil {
		errorf(env, "scan: %v", err)
		return nil, exitUsage
	}
	minDocs := ""
	if f.minDocs < 2 {
		minDocs = "--min-docs must be at least 2 (a phrase in one document does not recur)"
	}
	code := checkInputFlags(env, "scan", f.paths, "neardup scan testdata/corpus",
		checkMatchOptions(f.match), minDocs, checkReadFlags(f.read.jobs, f.read.maxFileSize))
	return f, code
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
	if unmatched > 0 && !f.read.quiet {
		warnf(env, "%s: %d rows name no document of this scan", f.dates, unmatched)
	}
	return table, proceed
}

// A scan holds, besides the program, compact state per document, the texts of the documents
// it compares at once (what the rest leaves of the budget, scan.Options.Memory), and, while
// it groups the clauses, the index of their near variants; clauses, anchors and clause
// prints go to disk beyond the budget. Measured by sampling the live heap, its peak is in the
// index: 227 MB on the 16x replica of xinwenlianbo (240 MB of text) with --memory 500MiB,
// 729 MB on the 64x (1 GB) by default, about 0.65 byte per byte of text beside memoryBase.
// Slogan mining reads the texts again and keeps none; it classes pieces in passes over their
// spilled hashes and spills its token stream once sorted, but holds the stream (2 bytes a
// token) while it sorts, and its runs of pieces while they grow: the scan's live heap peaks
// at about 1.5 GB on the 64x replica (1 GB of text; 1.33 bytes per byte beside memoryBase,
// largest gctrace figure), and its RSS at 533 MB on the 16x with --memory 500MiB.
const (
	// floorPerByte is what a scan cannot spill, per byte of text (the documents' state, the
	// index of near variants, the candidates): a --memory under it and memoryBase stops the
	// scan before it starts.
	floorPerByte = 0.5
	// expectPerByte and sloganPerByte are the live heap a scan is expected to hold at its
	// peak, without and with slogans: a default budget gives way to it.
	expectPerByte = 0.8
	sloganPerByte = 1.3
	// memoryBase is what a scan needs whatever its input: the runtime, the program and
	// the buffers of its workers.
	memoryBase = 80 << 20
)

// scanNeed is the memory a scan of text bytes cannot do without, and what it is expected
// to hold.
func scanNeed(text int64, noSlogans bool) (floor, expect int64) {
	floor = int64(floorPerByte*float64(text)) + memoryBase
	if noSlogans {
		return floor, int64(expectPerByte*float64(text)) + memoryBase
	}
	slogans := int64(sloganPerByte*float64(text)) + memoryBase
	return max(floor, slogans), slogans
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

// readFlags are the flags of scan and slogans, the commands that read a whole corpus.
type readFlags struct {
	encoding    string
	maxFileSize int64
	quiet       bool
	noIgnoreVCS bool
	jobs        int
}

func (rf *readFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&rf.encoding, "encoding", "", "")
	fs.Int64Var(&rf.maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	fs.BoolVar(&rf.noIgnoreVCS, "no-ignore-vcs", false, "")
	fs.IntVarP(&rf.jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&rf.quiet, "quiet", "q", false, "")
}

// loaded is a corpus read by loadCorpus.
type loaded struct {
	docs    []*corpus.Document
	skipped []corpus.Skip
	ignore  []string      // the phrases of the ignore list
	bar     *progress.Bar // still drawn: the caller goes on with its own stages
}

// readIgnore reads the ignore list of --ignore, if one is named.
func readIgnore(env *Env, cmd, file string) ([]string, int) {
	if file == "" {
		return nil, proceed
	}
	phrases, err := readPhraseList(file)
	if err != nil {
		errorf(env, "%s: %v", cmd, err)
		return nil, exitUsage
	}
	return phrases, proceed
}

// loadCorpus does what scan and slogans do before their own work: read the ignore list and
// the documents, with progress, and refuse an output that would replace an input. cmd
// names the command in messages.
func loadCorpus(env *Env, cmd string, paths []string, rf readFlags, ignoreFile, output string) (*loaded, int) {
	l := &loaded{}
	var code int
	if l.ignore, code = readIgnore(env, cmd, ignoreFile); code != proceed {
		return nil, code
	}
	l.bar = progress.New(env.Stderr, !rf.quiet && isTerminal(env), -1, "reading files")
	if l.docs, l.skipped, code = loadInput(env, paths, rf, l.bar); code != exitOK {
		l.bar.Finish()
		return nil, code
	}
	if err := checkOutput(output, inputPaths(l.docs, l.skipped)); err != nil {
		l.bar.Finish()
		errorf(env, "%s: %v", cmd, err)
		return nil, exitUsage
	}
	return l, proceed
}

// opened is a corpus opened by openCorpus: its texts are read again when needed.
type opened struct {
	texts   *corpus.FileTexts
	skipped []corpus.Skip
	ignore  []string
	bar     *progress.Bar
}

// holdShare is the share of the budget, one over it, that the texts of a scan may take in
// memory (corpus.Options.Hold): the rest are read again when they are needed.
const holdShare = 8

// openCorpus is loadCorpus for a command that reads the texts again when it needs them,
// keeping up to hold bytes of them in memory.
func openCorpus(env *Env, cmd string, paths []string, rf readFlags, ignoreFile, output string, hold int64) (*opened, int) {
	o := &opened{}
	var code int
	if o.ignore, code = readIgnore(env, cmd, ignoreFile); code != proceed {
		return nil, code
	}
	o.bar = progress.New(env.Stderr, !rf.quiet && isTerminal(env), -1, "reading files")
	opt := readOptions(env, rf, o.bar)
	opt.Hold = hold
	texts, skipped, err := corpus.Open(paths, env.Stdin, opt)
	if err != nil {
		o.bar.Finish()
		errorf(env, "%v", err)
		return nil, exitUsage
	}
	if texts.Len() == 0 {
		o.bar.Finish()
		errorf(env, "no documents to compare in %s (%d files skipped)", strings.Join(paths, " "), len(skipped))
		hintf(env, "name text files or folders that hold them")
		return nil, exitUsage
	}
	o.texts, o.skipped = texts, skipped
	if err := checkOutput(output, inputPaths(texts.Documents(), skipped)); err != nil {
		o.bar.Finish()
		errorf(env, "%s: %v", cmd, err)
		return nil, exitUsage
	}
	return o, proceed
}

// checkInputFlags ends a command's flag checks: the first message of msgs that is not
// empty is a usage error, and so are no paths at all (hint is an example of a call).
func checkInputFlags(env *Env, cmd string, paths []string, hint string, msgs ...string) int {
	for _, msg := range msgs {
		if msg != "" {
			errorf(env, "%s: %s", cmd, msg)
			return exitUsage
		}
	}
	if len(paths) == 0 {
		errorf(env, "%s: no input: name at least one file or folder", cmd)
		hintf(env, "%s", hint)
		return exitUsage
	}
	return proceed
}

// loadInput reads every document, warning on stderr about skipped files and counting the
// files read on bar (which may be nil). An input error (a missing path) is a usage error;
// no document at all is an error too.
func loadInput(env *Env, paths []string, rf readFlags, bar *progress.Bar) ([]*corpus.Document, []corpus.Skip, int) {
	docs, skipped, err := corpus.Load(paths, env.Stdin, readOptions(env, rf, bar))
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

// readOptions are the corpus options of rf, warning on stderr about skipped files and
// counting the files read on bar (which may be nil).
func readOptions(env *Env, rf readFlags, bar *progress.Bar) corpus.Options {
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
	return opt
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
func writeReport(env *Env, res *report.Result, texts func(path string) (string, error), format, output string) int {
	render := func(w io.Writer) error {
		switch format {
		case "json":
			return report.WriteJSON(w, res)
		case "html":
			return report.WriteHTML(w, res, texts)
		case "csv":
			return report.WriteCSV(w, res)
		}
		return report.WriteText(w, res)
	}
	return writeOutput(env, output, render)
}
