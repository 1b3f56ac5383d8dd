package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/neardup/neardup/baseline"
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/index"
	"github.com/neardup/neardup/internal/config"
	"github.com/neardup/neardup/internal/gitstage"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
)

const checkUsage = `Usage: neardup check [flags] FILE...
       neardup check [flags] --staged
       neardup check [flags] --against DIR FILE...

Fail when a file near-duplicates a document of the corpus or another file being
checked, or copies a passage from one. The corpus is the index built by
"neardup index" (refreshed first when files changed since), or the folder named
by --against. Candidates come from the fingerprints; every finding is verified
on the text, reading the indexed files from disk.

Input:
        --staged            check the files added or modified in git's index,
                            as staged (what the commit will hold), all at once
        --against DIR       compare with the files under DIR instead of an index
        --allow-empty       succeed when there is no file to check
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)

Index:
        --index FILE        the index (default .neardup/index in the folder of
                            .neardup.toml or the repository root)
        --no-refresh        do not update a stale index; compare with the files
                            on disk and say that the index is out of date
                            (stale: a file added, removed or renamed in the
                            indexed folders; neardup index sees edits too)

What fails (override .neardup.toml):
        --min-coverage X    copied passages fail when they cover this share of a
                            file's text from one other document, and 100
                            characters at least (default 0.25; 0 and
                            --long-passage 0 make every passage fail)
        --long-passage N    or when one of them is at least N characters long
                            (default 200, longer than a shared headline and
                            dateline; 0: no such rule)
        --baseline-from-ref REF
                            fail only on findings that the files did not have
                            in the git commit REF (as they were there, or the
                            file they were renamed from)
    Near-duplicate documents always fail. With --staged, findings that the
    files had before the change (in HEAD) do not fail, nor do renames that git
    finds unchanged; a copy of a file is a new document. Clauses the index
    holds in more than --max-df documents are stock phrases of the corpus, not
    evidence.

Matching (override .neardup.toml):
        --min-similarity X  Jaccard similarity of character n-grams at which two
                            documents are near-duplicates (default 0.5)
        --min-passage N     shortest copied passage, in characters (default 30)
        --max-df N          a clause in more than N documents is a stock phrase,
                            not evidence of copying (default 10)
        --doc-distance K    fingerprint distance for document candidates
                            (default 10)
        --passage-distance K
                            fingerprint distance for clause candidates
                            (default 6)
        --ignore FILE       phrases, one per line, that are not evidence

Baseline:
        --baseline FILE     accepted findings (JSON lines, keyed by content, not
                            path); they are listed, and do not fail the check
                            (default neardup-baseline.jsonl beside
                            .neardup.toml or at the repository root, if any)
        --update-baseline   write every current finding to the baseline
                            (created if need be) and exit 0

Output:
    -f, --format FORMAT     text, json (schema neardup/1) or sarif (default
                            text)
    -j, --jobs N            CPUs to use (default: all of them)
    -q, --quiet             no warnings on stderr
    -h, --help              show this help

Settings come from .neardup.toml, found in the current folder or a parent up to
the repository root; flags override it.

Exit status: 0 when nothing was found (or everything found is in the baseline),
1 when a near-duplicate document or a copied passage was found, 2 when the check
itself failed: a usage or input error, no file to check (unless --allow-empty),
a missing or damaged index, an index of another corpus, indexed files that
cannot be read, or output that could not be written.

Examples:
    neardup index articles/ && neardup check articles/new.txt
    neardup check --staged
    neardup check --against articles/ draft.txt
    neardup check --format sarif --staged > neardup.sarif
`

func init() { commands["check"] = command{runCheck, checkUsage} }

type checkFlags struct {
	staged, allowEmpty, noRefresh, updateBaseline, quiet bool
	against, indexFile, baseline, format, ignore         string
	encoding, fromRef                                    string
	match                                                match.Options
	minCoverage                                          float64
	minCopied                                            int
	longPassage                                          int
	maxFileSize                                          int64
	jobs                                                 int
}

// proceed is returned by a step of a command that did not end it: not an exit code.
const proceed = -1

// checkRun is one check being run: its flags and what they resolved to.
type checkRun struct {
	env          *Env
	f            checkFlags
	s            *indexSetup
	ignore       []string
	baselineFile string
	base         *baseline.Baseline
}

func runCheck(env *Env, args []string) int {
	r := &checkRun{env: env}
	files, code := r.parse(args)
	if code != proceed {
		return code
	}
	defer useCPUs(r.f.jobs)()
	in, code := r.input(files)
	if code != proceed {
		return code
	}
	x, unchanged, code := r.corpus()
	if code != proceed {
		return code
	}
	checked, code := r.verify(in, x, unchanged)
	if code != proceed {
		return code
	}
	findings := baseline.Classify(checked.Result, checked.Texts, r.base)
	if r.f.updateBaseline {
		return r.writeBaseline(findings)
	}
	return r.report(checked, findings, len(in.docs))
}

func (r *checkRun) warn(msg string) {
	if !r.f.quiet {
		warnf(r.env, "%s", msg)
	}
}

// parse reads the flags, the config and the baseline, and returns the files named.
func (r *checkRun) parse(args []string) (files []string, code int) {
	env, f := r.env, &r.f
	fs := newFlagSet("check")
	def := match.DefaultOptions()
	fs.BoolVar(&f.staged, "staged", false, "")
	fs.StringVar(&f.against, "against", "", "")
	fs.BoolVar(&f.allowEmpty, "allow-empty", false, "")
	fs.StringVar(&f.encoding, "encoding", "", "")
	fs.Int64Var(&f.maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	fs.StringVar(&f.indexFile, "index", "", "")
	fs.BoolVar(&f.noRefresh, "no-refresh", false, "")
	fs.Float64Var(&f.match.MinSimilarity, "min-similarity", def.MinSimilarity, "")
	fs.IntVar(&f.match.MinPassage, "min-passage", def.MinPassage, "")
	fs.IntVar(&f.match.MaxDF, "max-df", def.MaxDF, "")
	fs.IntVar(&f.match.DocDistance, "doc-distance", def.DocDistance, "")
	fs.IntVar(&f.match.PassageDistance, "passage-distance", def.PassageDistance, "")
	fs.StringVar(&f.ignore, "ignore", "", "")
	fs.Float64Var(&f.minCoverage, "min-coverage", index.DefaultMinCoverage, "")
	fs.IntVar(&f.longPassage, "long-passage", index.DefaultLongPassage, "")
	f.minCopied = index.DefaultMinCopied
	fs.StringVar(&f.fromRef, "baseline-from-ref", "", "")
	fs.StringVar(&f.baseline, "baseline", "", "")
	fs.BoolVar(&f.updateBaseline, "update-baseline", false, "")
	fs.StringVarP(&f.format, "format", "f", "text", "")
	fs.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, checkUsage, args); done {
		return nil, code
	}
	switch f.format {
	case "text", "json", "sarif":
	default:
		errorf(env, "check: unknown --format %q: use text, json or sarif", f.format)
		return nil, exitUsage
	}
	if msg := checkReadFlags(f.jobs, f.maxFileSize); msg != "" {
		errorf(env, "check: %s", msg)
		return nil, exitUsage
	}
	if f.staged && fs.NArg() > 0 {
		errorf(env, "check: --staged takes the files from git; do not name files too")
		return nil, exitUsage
	}
	var err error
	if r.s, err = newIndexSetup(f.indexFile, f.encoding, f.maxFileSize, f.jobs); err != nil {
		errorf(env, "check: %v", err)
		return nil, exitUsage
	}
	cfg := r.s.cfg
	applyConfig(fs.Changed, cfg, &f.match)
	if v := cfg.MinCoverage; v != nil && !fs.Changed("min-coverage") {
		f.minCoverage = *v
	}
	if v := cfg.LongPassage; v != nil && !fs.Changed("long-passage") {
		f.longPassage = *v
	}
	if f.minCoverage == 0 && f.longPassage == 0 {
		f.minCopied = 0 // every passage fails
	}
	if f.minCoverage < 0 || f.minCoverage > 1 || f.longPassage < 0 {
		errorf(env, "check: --min-coverage must be between 0 and 1 and --long-passage not negative")
		return nil, exitUsage
	}
	if msg := checkMatchOptions(f.match); msg != "" {
		where := ""
		if cfg.File != "" {
			where = " (flags or " + cfg.File + ")"
		}
		errorf(env, "check: %s%s", msg, where)
		return nil, exitUsage
	}
	if r.ignore, err = ignorePhrases(cfg, f.ignore); err != nil {
		errorf(env, "check: %v", err)
		return nil, exitUsage
	}
	return fs.Args(), r.loadBaseline()
}

// loadBaseline finds and reads the baseline named by the flags or the config.
func (r *checkRun) loadBaseline() int {
	cfg := r.s.cfg
	r.baselineFile = r.f.baseline
	if r.baselineFile == "" && cfg.Baseline != "" {
		r.baselineFile = cfg.Resolve(cfg.Baseline)
	}
	if r.baselineFile == "" {
		// Beside the config, where it is committed with it: not under .neardup/, which
		// holds the index and is git-ignored.
		r.baselineFile = filepath.Join(cfg.Dir, defaultBaseline)
	}
	var err error
	if r.base, err = baseline.Load(r.baselineFile); err != nil {
		errorf(r.env, "check: %v", err)
		return exitUsage
	}
	return proceed
}

// defaultBaseline is the baseline file's name in the config folder (or repository root).
const defaultBaseline = "neardup-baseline.jsonl"

// input reads the files to check: the staged ones, or those named. A run with nothing to
// check ends here.
func (r *checkRun) input(files []string) (*checkInput, int) {
	env, f := r.env, &r.f
	var in *checkInput
	var err error
	if f.staged {
		in, err = stagedInput(r.s.cfg, r.s.opt.Settings.Encoding, f.maxFileSize, r.warn)
	} else {
		in, err = namedInput(r.s.cfg, files, env.Stdin, r.s.opt.Settings.Encoding, f.maxFileSize, r.warn)
	}
	if err != nil {
		errorf(env, "check: %v", err)
		return nil, exitUsage
	}
	if in.named == 0 || (len(in.docs) == 0 && in.unchanged > 0 && in.unchanged+in.excluded == in.named) {
		if in.named > 0 { // only renames git found unchanged, and non-documents
			if !f.quiet {
				fmt.Fprintf(env.Stderr, "neardup: check: %s renamed unchanged: no new content\n", report.Count(in.unchanged, "file"))
			}
			return nil, exitOK
		}
		if f.allowEmpty {
			if !f.quiet {
				fmt.Fprintf(env.Stderr, "neardup: check: no files to check\n")
			}
			return nil, exitOK
		}
		if f.staged {
			errorf(env, "check: no added or modified files are staged")
		} else {
			errorf(env, "check: no files to check: name at least one")
		}
		hintf(env, "pass --allow-empty to succeed with nothing to check")
		return nil, exitUsage
	}
	if len(in.docs) == 0 {
		if f.staged {
			// The commit holds files, but none is a corpus document by the config (or
			// none is text): there is nothing this gate is for.
			if !f.quiet {
				fmt.Fprintf(env.Stderr, "neardup: check: none of the %d staged files is a document to check (%d not matching include/exclude, %d not text)\n",
					in.named, in.excluded, len(in.skipped))
			}
			return nil, exitOK
		}
		errorf(env, "check: none of the named files is a text document (%d skipped)", len(in.skipped))
		return nil, exitUsage
	}
	return in, proceed
}

// corpus opens what the files are compared with: the folder of --against, indexed in
// memory, or the index. unchanged is nil when the index is known to be up to date.
func (r *checkRun) corpus() (x *index.Index, unchanged func() bool, code int) {
	env, against := r.env, r.f.against
	if against == "" {
		if x, unchanged, code = openIndex(env, r.s, !r.f.noRefresh, r.warn); code == exitOK {
			code = proceed
		}
		return x, unchanged, code
	}
	if _, err := os.Stat(against); err != nil {
		errorf(env, "check: reading %s: no such file or folder", against)
		return nil, nil, exitUsage
	}
	opt := r.s.opt
	abs, _ := filepath.Abs(against)
	opt.Roots = []string{abs}
	opt.Match = nil
	x, _, err := index.Update(nil, opt)
	if err != nil {
		errorf(env, "check: %v", err)
		return nil, nil, exitUsage
	}
	// A gate that compared with nothing must not pass as if it had looked.
	if x.Documents() == 0 {
		errorf(env, "check: no documents to compare with under %s", against)
		hintf(env, "name the folder that holds the corpus")
		return nil, nil, exitUsage
	}
	return x, nil, proceed
}

// verify checks the files against x. The check runs on the index as loaded while the
// corpus files are still being stated; its result and warnings are dropped if the index
// turns out to be stale, and the check runs again on the refreshed index.
func (r *checkRun) verify(in *checkInput, x *index.Index, unchanged func() bool) (*index.Checked, int) {
	var held []string
	opt := index.CheckOptions{Files: r.s.opt, Match: r.f.match, Ignore: r.ignore, Jobs: r.f.jobs,
		Warn:        func(msg string) { held = append(held, msg) },
		MinCoverage: r.f.minCoverage, MinCopied: r.f.minCopied, LongPassage: r.f.longPassage, Replaced: in.renamed}
	if rev := r.previousRev(in); rev != "" {
		prev, err := in.previous(r.s.cfg, rev, r.s.opt.Settings.Encoding, r.f.maxFileSize)
		if err != nil {
			errorf(r.env, "check: --baseline-from-ref: %v", err)
			return nil, exitUsage
		}
		opt.Previous = prev
	}
	checked := index.Check(x, in.docs, opt)
	if unchanged != nil && !unchanged() {
		fresh, code := refreshIndex(r.env, r.s, x, !r.f.noRefresh, r.warn)
		if code != exitOK {
			return nil, code
		}
		if fresh != x { // not only racily clean files hashed again
			held, opt.Warn = nil, r.warn
			checked = index.Check(fresh, in.docs, opt)
		}
	}
	for _, msg := range held {
		r.warn(msg)
	}
	if checked.Err != nil {
		errorf(r.env, "check: reading index %s: %v", display(r.s.file), checked.Err)
		hintf(r.env, "rebuild it with: neardup index %s", strings.Join(rootsHint(r.s), " "))
		return nil, exitUsage
	}
	checked.Result.Skipped = in.skipped
	return checked, proceed
}

// previousRev is the commit whose findings do not fail the check: the one named by
// --baseline-from-ref, else HEAD for staged files (when there is one: not before the
// first commit).
func (r *checkRun) previousRev(in *checkInput) string {
	switch {
	case r.f.fromRef != "":
		return r.f.fromRef
	case r.f.staged && gitstage.HasCommit(in.top, "HEAD"):
		return "HEAD"
	}
	return ""
}

// writeBaseline records every current finding as accepted.
func (r *checkRun) writeBaseline(findings []report.Finding) int {
	var entries []baseline.Accepted
	for _, fd := range findings {
		entries = append(entries, baseline.Accept(fd))
	}
	if err := baseline.Write(r.baselineFile, entries); err != nil {
		errorf(r.env, "check: %v", err)
		return exitFailure
	}
	if !r.f.quiet {
		fmt.Fprintf(r.env.Stderr, "neardup: check: wrote %d accepted findings to %s\n", len(entries), display(r.baselineFile))
	}
	return exitOK
}

// report writes the findings in the chosen format; exit 1 when one is not accepted.
func (r *checkRun) report(checked *index.Checked, findings []report.Finding, files int) int {
	env := r.env
	var err error
	switch r.f.format {
	case "json":
		err = report.WriteJSON(env.Stdout, report.Failing(checked.Result, findings))
	case "sarif":
		err = report.WriteSARIF(env.Stdout, findings, checked.Texts)
	default:
		sum := report.CheckSummary{Files: files, Indexed: checked.Indexed, Candidates: checked.Candidates,
			Existing: checked.Existing, Minor: checked.Minor, Stock: checked.Stock + checked.Slogans}
		if r.base != nil {
			sum.Baseline = display(r.base.File)
		}
		for _, c := range checked.Coverage {
			if c.Fails && slices.ContainsFunc(findings, func(fd report.Finding) bool {
				a, b := fd.Paths()
				return !fd.Accepted && fd.Passage != nil && (a == c.Doc && b == c.Other || a == c.Other && b == c.Doc)
			}) {
				sum.Notes = append(sum.Notes, fmt.Sprintf("%s copies %.0f%% of its text from %s (%d characters in %s, the longest %d)",
					report.Clean(c.Doc), 100*c.Share, report.Clean(c.Other), c.Copied, report.Count(c.Passages, "passage"), c.Longest))
			}
		}
		err = report.WriteCheckText(env.Stdout, findings, sum)
	}
	if err != nil {
		errorf(env, "check: %v", err)
		return exitFailure
	}
	for _, fd := range findings {
		if !fd.Accepted {
			if r.f.format == "text" {
				hintf(env, "if these are accepted, record them with: neardup check --update-baseline (see --baseline)")
			}
			return exitFindings
		}
	}
	return exitOK
}

// applyConfig takes every matching setting from the config unless its flag was given.
func applyConfig(changed func(string) bool, cfg *config.Config, o *match.Options) {
	if v := cfg.MinSimilarity; v != nil && !changed("min-similarity") {
		o.MinSimilarity = *v
	}
	if v := cfg.MinPassage; v != nil && !changed("min-passage") {
		o.MinPassage = *v
	}
	if v := cfg.MaxDF; v != nil && !changed("max-df") {
		o.MaxDF = *v
	}
	if v := cfg.DocDistance; v != nil && !changed("doc-distance") {
		o.DocDistance = *v
	}
	if v := cfg.PassageDistance; v != nil && !changed("passage-distance") {
		o.PassageDistance = *v
	}
}

func ignorePhrases(cfg *config.Config, flagFile string) ([]string, error) {
	phrases := slices.Clone(cfg.Ignore)
	for _, file := range []string{cfg.Resolve(cfg.IgnoreFile), flagFile} {
		if file == "" {
			continue
		}
		more, err := readPhraseList(file)
		if err != nil {
			return nil, err
		}
		phrases = append(phrases, more...)
	}
	return phrases, nil
}
