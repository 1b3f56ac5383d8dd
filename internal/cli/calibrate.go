package cli

import (
	"io"

	"github.com/neardup/neardup/internal/progress"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
)

const calibrateUsage = `Usage: neardup calibrate [flags] PATH...

Help choose --doc-distance and --min-similarity for a corpus: measure every
pair that scan would compare, and a few bits' worth more, however dissimilar,
and show how their fingerprint distances and similarities are spread, how
many near-duplicates each setting would report, and sample pairs on either
side of each threshold. PATH is as for scan.

A pair is compared when the fingerprints of the two documents are within
--doc-distance bits, or, whatever the distance, when they share a clause or
are two short documents alike by MinHash.
Of the pairs compared, those whose n-gram Jaccard similarity reaches
--min-similarity are near-duplicates. Pairs of identical texts count here; scan
lists them apart, as groups of identical texts.

Flags:
    -f, --format FORMAT     text or json (default text)
        --samples N         sample pairs shown beside each threshold (default 3)
        --min-similarity X  the threshold to look around (default 0.5)
        --doc-distance K    the threshold to look around (default 10); pairs
                            are measured up to K+4 bits
        --passage-distance K  as for scan (default 6)
        --max-df N          as for scan (default 10)
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out
    -j, --jobs N            CPUs to use (default: all of them)
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Exit status: 0 when the corpus was measured, 2 on a usage or input error or a
failure (the output could not be written).

Examples:
    neardup calibrate corpus/
    neardup calibrate --format json --doc-distance 6 corpus/ > calibration.json
`

func init() { commands["calibrate"] = command{runCalibrate, calibrateUsage} }

func runCalibrate(env *Env, args []string) int {
	fs := newFlagSet("calibrate")
	def := match.DefaultOptions()
	opt := def
	var format string
	var samples int
	var rf readFlags
	fs.StringVarP(&format, "format", "f", "text", "")
	fs.IntVar(&samples, "samples", 3, "")
	fs.Float64Var(&opt.MinSimilarity, "min-similarity", def.MinSimilarity, "")
	fs.IntVar(&opt.DocDistance, "doc-distance", def.DocDistance, "")
	fs.IntVar(&opt.PassageDistance, "passage-distance", def.PassageDistance, "")
	fs.IntVar(&opt.MaxDF, "max-df", def.MaxDF, "")
	rf.add(fs)
	if done, code := parseFlags(env, fs, calibrateUsage, args); done {
		return code
	}
	if format != "text" && format != "json" {
		errorf(env, "calibrate: unknown --format %q: use text or json", format)
		return exitUsage
	}
	if samples < 0 {
		errorf(env, "calibrate: --samples must be 0 or more")
		return exitUsage
	}
	if msg := checkMatchOptions(opt); msg != "" {
		errorf(env, "calibrate: %s", msg)
		return exitUsage
	}
	if msg := checkReadFlags(rf.jobs, rf.maxFileSize); msg != "" {
		errorf(env, "calibrate: %s", msg)
		return exitUsage
	}
	defer useCPUs(rf.jobs)()
	if fs.NArg() == 0 {
		errorf(env, "calibrate: no input: name at least one file or folder")
		hintf(env, "neardup calibrate testdata/corpus")
		return exitUsage
	}
	bar := progress.New(env.Stderr, !rf.quiet && isTerminal(env), -1, "reading files")
	defer bar.Finish()
	docs, _, code := loadInput(env, fs.Args(), rf, bar)
	if code != exitOK {
		return code
	}
	opt.Jobs = rf.jobs
	opt.Progress = bar.Report
	cal := match.Calibrate(docs, opt)
	bar.Finish()
	sum := report.NewCalibration(cal, docs, match.Resolved(opt), samples)
	render := func(w io.Writer) error {
		if format == "json" {
			return report.WriteCalibrationJSON(w, sum)
		}
		return report.WriteCalibration(w, sum)
	}
	return writeOutput(env, "", render)
}
