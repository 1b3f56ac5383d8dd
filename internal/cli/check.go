package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/index"
	"github.com/neardup/neardup/internal/config"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
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

Matching (override .neardup.toml):
        --min-similarity X  Jaccard similarity of character n-grams at which two
                            documents are near-duplicates (default 0.5)
        --min-passage N     shortest copied passage, in characters (default 30)
        --max-df N          a clause in more than N documents is a stock phrase,
                            not evidence of copying (default 10)
        --doc-distance K    fingerprint distance for document candidates (default 10)
        --passage-distance K  fingerprint distance for clause candidates (default 6)
        --ignore FILE       phrases, one per line, that are not evidence

Baseline:
        --baseline FILE     accepted findings (JSON lines); they are listed, and
                            do not fail the check
        --update-baseline   write every current finding to the baseline and exit 0

Output:
    -f, --format FORMAT     text, json (schema neardup/1) or sarif (default text)
    -j, --jobs N            worker goroutines (default: number of CPUs)
    -q, --quiet             no warnings on stderr
    -h, --help              show this help

Settings come from .neardup.toml, found in the current folder or a parent up to
the repository root; flags override it.

Exit status: 0 when nothing was found (or everything found is in the baseline),
1 when a near-duplicate document or a copied passage was found, 2 on a usage or
input error (also: no file to check, unless --allow-empty; a missing or damaged
index).

Examples:
    neardup index articles/ && neardup check articles/new.txt
    neardup check --staged
    neardup check --against articles/ draft.txt
    neardup check --format sarif --staged > neardup.sarif
`

func init() { commands["check"] = runCheck }

type checkFlags struct {
	staged, allowEmpty, noRefresh, updateBaseline, quiet bool
	against, indexFile, baseline, format, ignore         string
	encoding                                             string
	match                                                match.Options
	maxFileSize                                          int64
	jobs                                                 int
}

func runCheck(env *Env, args []string) int {
	fs := newFlagSet("check")
	var f checkFlags
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
	fs.StringVar(&f.baseline, "baseline", "", "")
	fs.BoolVar(&f.updateBaseline, "update-baseline", false, "")
	fs.StringVarP(&f.format, "format", "f", "text", "")
	fs.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, checkUsage, args); done {
		return code
	}
	switch f.format {
	case "text", "json", "sarif":
	default:
		errorf(env, "check: unknown --format %q: use text, json or sarif", f.format)
		return exitUsage
	}
	if msg := checkReadFlags(f.jobs, f.maxFileSize); msg != "" {
		errorf(env, "check: %s", msg)
		return exitUsage
	}
	if f.staged && fs.NArg() > 0 {
		errorf(env, "check: --staged takes the files from git; do not name files too")
		return exitUsage
	}

	s, err := newIndexSetup(f.indexFile, f.encoding, f.maxFileSize, f.jobs)
	if err != nil {
		errorf(env, "check: %v", err)
		return exitUsage
	}
	cfg := s.cfg
	applyConfig(fs.Changed, cfg, &f.match)
	if msg := checkMatchOptions(f.match); msg != "" {
		where := ""
		if cfg.File != "" {
			where = " (flags or " + cfg.File + ")"
		}
		errorf(env, "check: %s%s", msg, where)
		return exitUsage
	}
	warn := func(msg string) {
		if !f.quiet {
			warnf(env, "%s", msg)
		}
	}

	ignore, err := ignorePhrases(cfg, f.ignore)
	if err != nil {
		errorf(env, "check: %v", err)
		return exitUsage
	}
	baselineFile := f.baseline
	if baselineFile == "" && cfg.Baseline != "" {
		baselineFile = cfg.Resolve(cfg.Baseline)
	}
	if f.updateBaseline && baselineFile == "" {
		errorf(env, "check: --update-baseline needs a baseline file")
		hintf(env, "add --baseline FILE, or baseline = \".neardup/baseline.jsonl\" to %s", config.FileName)
		return exitUsage
	}
	var base *config.Baseline
	if baselineFile != "" {
		if base, err = config.LoadBaseline(baselineFile); err != nil {
			errorf(env, "check: %v", err)
			return exitUsage
		}
	}

	// The files to check.
	var in *checkInput
	if f.staged {
		in, err = stagedInput(cfg, s.opt.Settings.Encoding, f.maxFileSize, warn)
	} else {
		in, err = namedInput(cfg, fs.Args(), env.Stdin, s.opt.Settings.Encoding, f.maxFileSize, warn)
	}
	if err != nil {
		errorf(env, "check: %v", err)
		return exitUsage
	}
	if in.named == 0 {
		if f.allowEmpty {
			if !f.quiet {
				fmt.Fprintf(env.Stderr, "neardup: check: no files to check\n")
			}
			return exitOK
		}
		if f.staged {
			errorf(env, "check: no added or modified files are staged")
		} else {
			errorf(env, "check: no files to check: name at least one")
		}
		hintf(env, "pass --allow-empty to succeed with nothing to check")
		return exitUsage
	}
	if len(in.docs) == 0 {
		if f.staged {
			// The commit holds files, but none is a corpus document by the config (or
			// none is text): there is nothing this gate is for.
			if !f.quiet {
				fmt.Fprintf(env.Stderr, "neardup: check: none of the %d staged files is a document to check (%d not matching include/exclude, %d not text)\n",
					in.named, in.excluded, len(in.skipped))
			}
			return exitOK
		}
		errorf(env, "check: none of the named files is a text document (%d skipped)", len(in.skipped))
		return exitUsage
	}

	// The corpus to compare with.
	var corpusIndex *index.Index
	var unchanged func() bool // nil when corpusIndex is known to be up to date
	if f.against != "" {
		if _, err := os.Stat(f.against); err != nil {
			errorf(env, "check: reading %s: no such file or folder", f.against)
			return exitUsage
		}
		opt := s.opt
		abs, _ := filepath.Abs(f.against)
		opt.Roots = []string{abs}
		opt.Match = nil
		if corpusIndex, _, err = index.Update(nil, opt); err != nil {
			errorf(env, "check: %v", err)
			return exitUsage
		}
		// A gate that compared with nothing must not pass as if it had looked.
		if corpusIndex.Documents() == 0 {
			errorf(env, "check: no documents to compare with under %s", f.against)
			hintf(env, "name the folder that holds the corpus")
			return exitUsage
		}
	} else {
		var code int
		if corpusIndex, unchanged, code = openIndex(env, s, !f.noRefresh, warn); code != exitOK {
			return code
		}
	}

	// The check runs on the index as loaded while the corpus files are still being
	// stated; its result and warnings are dropped if the index turns out to be stale.
	texts := maps.Clone(in.texts)
	var held []string
	res, stats := checkDocs(in, corpusIndex, s.opt, f.match, ignore, f.jobs, func(msg string) { held = append(held, msg) })
	if unchanged != nil && !unchanged() {
		fresh, code := refreshIndex(env, s, corpusIndex, !f.noRefresh, warn)
		if code != exitOK {
			return code
		}
		if fresh != corpusIndex { // not only racily clean files hashed again
			corpusIndex, in.texts, held = fresh, texts, nil
			res, stats = checkDocs(in, corpusIndex, s.opt, f.match, ignore, f.jobs, warn)
		}
	}
	for _, msg := range held {
		warn(msg)
	}
	findings := classify(res, in, base)

	if f.updateBaseline {
		var entries []config.Accepted
		for _, fd := range findings {
			entries = append(entries, fd.accepted())
		}
		if err := config.WriteBaseline(baselineFile, entries); err != nil {
			errorf(env, "check: %v", err)
			return exitFailure
		}
		if !f.quiet {
			fmt.Fprintf(env.Stderr, "neardup: check: wrote %d accepted findings to %s\n", len(entries), display(baselineFile))
		}
		return exitOK
	}

	failed := 0
	for _, fd := range findings {
		if !fd.isAccepted {
			failed++
		}
	}
	var werr error
	switch f.format {
	case "json":
		werr = report.WriteJSON(env.Stdout, jsonResult(res, findings, in))
	case "sarif":
		werr = writeSARIF(env.Stdout, findings, in.texts)
	default:
		werr = writeCheckText(env.Stdout, findings, in, corpusIndex, stats, base)
	}
	if werr != nil {
		errorf(env, "check: %v", werr)
		return exitFailure
	}
	if failed > 0 {
		if f.format == "text" {
			hintf(env, "if these are accepted, record them with: neardup check --update-baseline (see --baseline)")
		}
		return exitFailure
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

// checkInput is the set of files being checked.
type checkInput struct {
	docs     []*corpus.Document // Path relative to the config folder when inside it
	inside   []bool             // a file, named as the index names it (not stdin)
	named    int                // files named or staged, before filtering
	excluded int                // staged files that are not corpus documents by the config
	skipped  []report.Skip
	texts    map[string]string // every document of the run by path, for SARIF regions
}

func namedInput(cfg *config.Config, paths []string, stdin io.Reader, encoding string, maxFileSize int64, warn func(string)) (*checkInput, error) {
	in := &checkInput{texts: map[string]string{}}
	if len(paths) == 0 {
		return in, nil
	}
	opt := corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize, Warn: warn}
	docs, skips, err := corpus.Load(paths, stdin, opt)
	if err != nil {
		return nil, err
	}
	in.named = len(docs) + len(skips)
	in.skipped = append(in.skipped, skips...)
	for _, d := range docs {
		if d.Path != "-" {
			d.Path = indexName(cfg, d.Path)
		}
		in.add(d, d.Path != "-")
	}
	return in, nil
}

// indexName names a file as the index does: relative to the config folder when inside
// it, else by its absolute path.
func indexName(cfg *config.Config, p string) string {
	if rel, ok := cfg.Rel(p); ok {
		return rel
	}
	if abs, err := filepath.Abs(p); err == nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(p)
}

func (in *checkInput) add(d *corpus.Document, inside bool) {
	in.docs = append(in.docs, d)
	in.inside = append(in.inside, inside)
	in.texts[d.Path] = d.Text
}

// stagedInput reads the added and modified files from git's index, as staged. Renames are
// taken apart (--no-renames) so that a moved and edited file is checked as added.
func stagedInput(cfg *config.Config, encoding string, maxFileSize int64, warn func(string)) (*checkInput, error) {
	in := &checkInput{texts: map[string]string{}}
	top, err := gitOutput(nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	topDir := strings.TrimRight(string(top), "\n")
	out, err := gitOutput(nil, "diff", "--cached", "--name-only", "--no-renames", "--diff-filter=AM", "-z")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(string(out), "\x00") {
		if n != "" {
			names = append(names, n)
		}
	}
	in.named = len(names)
	var wanted []string
	var rels []string
	for _, n := range names {
		rel, inside := cfg.Rel(filepath.Join(topDir, filepath.FromSlash(n)))
		if !inside || !cfg.Match(rel) {
			in.excluded++
			continue
		}
		if strings.ContainsAny(n, "\n\r") {
			return nil, fmt.Errorf("cannot read staged file %q: its name has a line break", n)
		}
		wanted = append(wanted, n)
		rels = append(rels, rel)
	}
	if len(wanted) == 0 {
		return in, nil
	}
	blobs, err := stagedBlobs(topDir, wanted)
	if err != nil {
		return nil, err
	}
	// corpus reads files: give it each blob under its own name, so that the extension
	// still says whether it is HTML.
	tmp, err := os.MkdirTemp("", "neardup-staged-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for i, data := range blobs {
		dir := filepath.Join(tmp, strconv.Itoa(i))
		if err := os.Mkdir(dir, 0o700); err != nil {
			return nil, err
		}
		file := filepath.Join(dir, filepath.Base(filepath.FromSlash(wanted[i])))
		if err := os.WriteFile(file, data, 0o600); err != nil {
			return nil, err
		}
		opt := corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize, Warn: func(msg string) {
			warn(strings.ReplaceAll(msg, file, rels[i]+" (staged)"))
		}}
		doc, skip, err := corpus.Read(corpus.Source{Path: file, Size: int64(len(data))}, nil, opt)
		if err != nil {
			return nil, fmt.Errorf("reading staged %s: %w", wanted[i], err)
		}
		if skip != nil {
			in.skipped = append(in.skipped, report.Skip{Path: rels[i], Reason: skip.Reason})
			continue
		}
		doc.Path = rels[i]
		in.add(doc, true)
	}
	return in, nil
}

// stagedBlobs reads the staged content of the named files (paths from the top of the
// work tree) with one git cat-file process.
func stagedBlobs(top string, names []string) ([][]byte, error) {
	var req bytes.Buffer
	for _, n := range names {
		fmt.Fprintf(&req, ":%s\n", n)
	}
	out, err := gitOutput(&req, "-C", top, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(bytes.NewReader(out))
	blobs := make([][]byte, len(names))
	for i, n := range names {
		header, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading staged %s: git cat-file: %w", n, err)
		}
		fields := strings.Fields(header)
		if len(fields) != 3 {
			return nil, fmt.Errorf("reading staged %s: git cat-file says %q", n, strings.TrimSpace(header))
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil || size < 0 {
			return nil, fmt.Errorf("reading staged %s: git cat-file says %q", n, strings.TrimSpace(header))
		}
		blobs[i] = make([]byte, size+1) // content and a line break
		if _, err := io.ReadFull(r, blobs[i]); err != nil {
			return nil, fmt.Errorf("reading staged %s: git cat-file: %w", n, err)
		}
		blobs[i] = blobs[i][:size]
	}
	return blobs, nil
}

func gitOutput(stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("--staged: git %s: %s", args[0], msg)
	}
	return out, nil
}

// openIndex loads the index. When it was made with the current settings it is returned
// at once, and unchanged tells later whether the files on disk are still the indexed ones
// (they are being stated meanwhile); when they are not, the caller brings the index up to
// date with refreshIndex. An index of other settings is brought up to date first, and a
// missing one built when the config says what to index; unchanged is then nil.
func openIndex(env *Env, s *indexSetup, refresh bool, warn func(string)) (x *index.Index, unchanged func() bool, code int) {
	x, unchanged, err := index.Open(s.file, s.opt)
	switch {
	case err == nil:
	case index.IsNotExist(err) && refresh && s.defaultRoots() != nil:
		warn(fmt.Sprintf("no index at %s yet: building it from the include globs of %s", display(s.file), s.cfg.File))
		x, _, err = s.update(nil, func(string) {})
		if err != nil {
			errorf(env, "check: %v", err)
			return nil, nil, exitFailure
		}
		return x, nil, exitOK
	case index.IsNotExist(err):
		errorf(env, "check: no index at %s", display(s.file))
		hintf(env, "build it with: neardup index PATH...   (or compare with a folder: neardup check --against DIR FILE...)")
		return nil, nil, exitUsage
	default:
		errorf(env, "check: %v", err)
		hintf(env, "rebuild it with: neardup index %s", strings.Join(rootsHint(s), " "))
		return nil, nil, exitUsage
	}

	if x.Settings == s.opt.Settings {
		return x, unchanged, exitOK
	}
	if !refresh {
		errorf(env, "check: index %s was made with other settings (n-gram size, encoding or a different neardup version)", display(s.file))
		hintf(env, "rebuild it with: neardup index")
		return nil, nil, exitUsage
	}
	x, code = refreshIndex(env, s, x, refresh, warn)
	return x, nil, code
}

// refreshIndex brings x up to date with the files on disk: written back when refresh is
// allowed and the file is writable, otherwise in memory only, with a warning.
func refreshIndex(env *Env, s *indexSetup, x *index.Index, refresh bool, warn func(string)) (*index.Index, int) {
	opt := s.opt
	opt.Roots = x.Roots
	fresh, st, err := index.Update(x, opt)
	if err != nil {
		errorf(env, "check: updating index %s: %v", display(s.file), err)
		return nil, exitFailure
	}
	if !st.Modified() {
		return x, exitOK
	}
	what := staleSummary(st)
	if refresh {
		// Update under the lock, from what is on disk now: another process may have
		// written a newer index meanwhile.
		y, _, err := s.update(nil, func(string) {})
		if err == nil {
			if !st.Rebuilt {
				return y, exitOK
			}
			warn(fmt.Sprintf("index %s was made with other settings: rebuilt it", display(s.file)))
			return y, exitOK
		}
		warn(fmt.Sprintf("index %s is out of date (%s) and could not be updated: %v", display(s.file), what, err))
	} else {
		warn(fmt.Sprintf("index %s is out of date (%s): checked against the files on disk; run neardup index to update it", display(s.file), what))
	}
	return fresh, exitOK
}

func staleSummary(st *index.Stats) string {
	return fmt.Sprintf("%d changed, %d new, %d removed files", len(st.Changed)+st.Touched, len(st.Added), len(st.Removed))
}

func rootsHint(s *indexSetup) []string {
	if s.defaultRoots() != nil {
		return nil
	}
	return []string{"PATH..."}
}

type checkStats struct {
	indexed    int // documents in the index
	candidates int // indexed documents verified on the text
}

// checkDocs finds the indexed documents that may match the checked ones, reads them, and
// verifies the lot with match.Find. The result keeps only findings that involve a checked
// document; the checked documents come first in res.Documents.
func checkDocs(in *checkInput, x *index.Index, iopt index.Options, opt match.Options, ignore []string, jobs int, warn func(string)) (*report.Result, checkStats) {
	opt = match.Resolved(opt)
	self := map[string]bool{}
	prints := make([]match.DocPrint, len(in.docs))
	for i, d := range in.docs {
		if in.inside[i] {
			self[d.Path] = true
		}
		prints[i] = match.Print(d.Text, opt)
	}
	cands := candidates(x, prints, self, opt, linearQueries)
	stats := checkStats{indexed: x.Documents(), candidates: len(cands)}

	docs := slices.Clone(in.docs)
	copt := corpus.Options{Encoding: x.Settings.Encoding, MaxFileSize: iopt.MaxFileSize}
	for _, e := range cands {
		doc, skip, err := corpus.Read(corpus.Source{Path: iopt.Path(e.Path)}, nil, copt)
		if err != nil || skip != nil {
			warn(fmt.Sprintf("indexed file %s could not be read; run neardup index to update the index", e.Path))
			continue
		}
		doc.Path = e.Path
		docs = append(docs, doc)
		in.texts[doc.Path] = doc.Text
	}

	// No slogans are mined among this handful of documents: the minimum is set above their
	// number, so only the ignore list is left out of the evidence.
	res := scan.Run(docs, scan.Options{Match: opt, MinDocs: len(docs) + 1, Ignore: ignore, NoSlogans: true, Jobs: jobs})
	res.Settings.MinDocs = 0
	checked := map[string]bool{}
	for _, d := range in.docs {
		checked[d.Path] = true
	}
	involved := map[string]bool{}
	res.Duplicates = slices.DeleteFunc(res.Duplicates, func(d report.Duplicate) bool {
		keep := checked[d.A] || checked[d.B]
		if keep {
			involved[d.A], involved[d.B] = true, true
		}
		return !keep
	})
	res.Passages = slices.DeleteFunc(res.Passages, func(p report.Passage) bool {
		keep := checked[p.A] || checked[p.B]
		if keep {
			involved[p.A], involved[p.B] = true, true
		}
		return !keep
	})
	res.Documents = slices.DeleteFunc(res.Documents, func(d report.Document) bool {
		return !checked[d.Path] && !involved[d.Path]
	})
	res.Capped = nil
	res.Skipped = in.skipped
	return res, stats
}

// candidates returns the indexed documents worth verifying against the checked prints:
// a document fingerprint within DocDistance, or a seed clause with the same text or a
// fingerprint within PassageDistance. Clauses found in more than MaxDF documents are stock
// phrases and find nothing, as in match.Find.
//
// Up to linear distinct checked clauses are compared one by one (see linearQueries).
func candidates(x *index.Index, prints []match.DocPrint, self map[string]bool, opt match.Options, linear int) []*index.Entry {
	picked := make([]bool, len(x.Entries))

	for _, p := range prints {
		if p.Features < simhash.MinFeatures {
			continue
		}
		for i := range x.Entries {
			e := &x.Entries[i]
			if e.Skip == "" && int(e.Features) >= simhash.MinFeatures && simhash.Distance(p.FP, e.FP) <= opt.DocDistance {
				picked[i] = true
			}
		}
	}

	// The checked seed clauses go into a small index that every indexed clause queries:
	// building an index of the hundreds of thousands of indexed clauses would cost more
	// than the whole check. A prefilter turns most indexed clauses away with a few bit
	// tests; the few thousand it lets through are compared with every checked clause when
	// there are few of those, which is cheaper than an index query.
	byHash := map[uint64]int32{}
	var queryFPs []uint64
	pre := newPrefilter(opt.PassageDistance)
	for _, p := range prints {
		for _, c := range p.Clauses {
			if !c.Seed {
				continue
			}
			if _, ok := byHash[c.Hash]; ok {
				continue
			}
			byHash[c.Hash] = int32(len(queryFPs))
			queryFPs = append(queryFPs, c.FP)
			pre.add(c.Hash, c.FP)
		}
	}
	if len(queryFPs) > 0 {
		var near *simhash.Index
		if len(queryFPs) > linear {
			near = simhash.NewIndex(opt.PassageDistance)
			for q, fp := range queryFPs {
				near.Add(fp, int32(q))
			}
			near.Build()
		}
		// Documents reached through each checked clause; a clause that reaches more than
		// MaxDF documents through its variants is a stock phrase as well.
		reached := make([][]int32, len(queryFPs))
		seeds := &x.Seeds
		for i := range x.Entries {
			e := &x.Entries[i]
			for j := int(e.FirstClause); j < int(e.FirstClause+e.NumClauses); j++ {
				hash, fp := seeds.Hash(j), seeds.FP(j)
				if !pre.mayMatch(hash, fp) || int(seeds.DF(j)) >= opt.MaxDF+1 {
					continue
				}
				if q, ok := byHash[hash]; ok {
					reached[q] = appendDoc(reached[q], int32(i))
					continue
				}
				if near != nil {
					near.Query(fp, func(q int32, _ int) {
						reached[q] = appendDoc(reached[q], int32(i))
					})
					continue
				}
				for q, qfp := range queryFPs {
					if simhash.Distance(qfp, fp) <= opt.PassageDistance {
						reached[q] = appendDoc(reached[q], int32(i))
					}
				}
			}
		}
		for _, docs := range reached {
			if len(docs) > opt.MaxDF {
				continue
			}
			for _, d := range docs {
				picked[d] = true
			}
		}
	}

	var out []*index.Entry
	for i, ok := range picked {
		if ok && !self[x.Entries[i].Path] && x.Entries[i].Skip == "" {
			out = append(out, &x.Entries[i])
		}
	}
	return out
}

// linearQueries is the most checked clauses that are compared one by one with each indexed
// clause the prefilter lets through; with more, they go into a simhash.Index. At 64 a
// linear pass costs about as much as one index query.
const linearQueries = 64

// prefilter answers "may this clause have the same hash as an added one, or a fingerprint
// within k bits of an added one?" with a few bit tests, so that the hundreds of thousands
// of indexed clauses that match nothing cost no lookup. Cut into k+1 blocks, two
// fingerprints within k bits agree on a whole block (pigeonhole); the filter keeps, per
// block, a bitmap of its low 16 bits over the added fingerprints, and one of the low 16
// bits of the added hashes. False positives go on to the exact test.
type prefilter struct {
	width uint   // bits per block
	mask  uint16 // the bits of a block that its key holds: all of them when it has at most 16
	// maps[0] holds the hashes, maps[1+i] block i of the fingerprints. A key is 16 bits,
	// so key>>6 indexes a map without a bounds check.
	maps [][1 << 16 / 64]uint64
}

func newPrefilter(k int) *prefilter {
	blocks := k + 1
	width := uint(64 / blocks)
	return &prefilter{width: width, mask: uint16(1<<min(width, 16) - 1), maps: make([][1 << 16 / 64]uint64, 1+blocks)}
}

func (p *prefilter) add(hash, fp uint64) {
	key := uint16(hash)
	p.maps[0][key>>6] |= 1 << (key & 63)
	for i := 1; i < len(p.maps); i++ {
		key := uint16(fp) & p.mask
		p.maps[i][key>>6] |= 1 << (key & 63)
		fp >>= p.width
	}
}

func (p *prefilter) mayMatch(hash, fp uint64) bool {
	if key := uint16(hash); p.maps[0][key>>6]&(1<<(key&63)) != 0 {
		return true
	}
	for i := 1; i < len(p.maps); i++ {
		key := uint16(fp) & p.mask
		if p.maps[i][key>>6]&(1<<(key&63)) != 0 {
			return true
		}
		fp >>= p.width
	}
	return false
}

// appendDoc appends d unless it is already last (entries are visited in order).
func appendDoc(docs []int32, d int32) []int32 {
	if n := len(docs); n > 0 && docs[n-1] == d {
		return docs
	}
	return append(docs, d)
}

// finding is one verified duplicate or passage that involves a checked file.
type finding struct {
	dup        *report.Duplicate
	pas        *report.Passage
	id         string
	isAccepted bool
}

func (fd *finding) kind() string {
	if fd.dup != nil {
		return "duplicate"
	}
	return "passage"
}

func (fd *finding) paths() (a, b string) {
	if fd.dup != nil {
		return fd.dup.A, fd.dup.B
	}
	return fd.pas.A, fd.pas.B
}

func (fd *finding) accepted() config.Accepted {
	a, b := fd.paths()
	acc := config.Accepted{Kind: fd.kind(), A: a, B: b, ID: fd.id}
	if fd.pas != nil {
		acc.Excerpt = report.Excerpt(fd.pas.Excerpt, 40)
	}
	return acc
}

// classify gives every finding its identity and looks it up in the baseline. A duplicate
// is identified by both paths and both texts, so any edit makes it new again; a passage by
// both paths and the normalised text of both sides, so edits elsewhere in the files keep it
// accepted.
func classify(res *report.Result, in *checkInput, base *config.Baseline) []*finding {
	var out []*finding
	for i := range res.Duplicates {
		d := &res.Duplicates[i]
		id := findingID("duplicate", d.A, in.texts[d.A], d.B, in.texts[d.B])
		out = append(out, &finding{dup: d, id: id, isAccepted: base.Accepts(id)})
	}
	for i := range res.Passages {
		p := &res.Passages[i]
		a := text.AppendNormalized(nil, sliceRunes(in.texts[p.A], p.AStart, p.AEnd))
		b := text.AppendNormalized(nil, sliceRunes(in.texts[p.B], p.BStart, p.BEnd))
		id := findingID("passage", p.A, string(a), p.B, string(b))
		out = append(out, &finding{pas: p, id: id, isAccepted: base.Accepts(id)})
	}
	return out
}

func findingID(kind, pathA, textA, pathB, textB string) string {
	if pathB < pathA {
		pathA, textA, pathB, textB = pathB, textB, pathA, textA
	}
	h := sha256.New()
	for _, s := range []string{kind, pathA, textA, pathB, textB} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func sliceRunes(text string, start, end int) string {
	d := corpus.Document{Text: text}
	return d.Slice(start, end)
}

// jsonResult is res with only the findings that fail the check.
func jsonResult(res *report.Result, findings []*finding, in *checkInput) *report.Result {
	out := *res
	out.Duplicates, out.Passages = nil, nil
	for _, fd := range findings {
		switch {
		case fd.isAccepted:
		case fd.dup != nil:
			out.Duplicates = append(out.Duplicates, *fd.dup)
		default:
			out.Passages = append(out.Passages, *fd.pas)
		}
	}
	return &out
}

func writeCheckText(w io.Writer, findings []*finding, in *checkInput, x *index.Index, st checkStats, base *config.Baseline) error {
	var b strings.Builder
	failed, accepted := 0, 0
	for _, pass := range []bool{false, true} {
		for _, fd := range findings {
			if fd.isAccepted != pass {
				continue
			}
			label := "near-duplicate"
			if fd.pas != nil {
				label = "copied passage"
			} else if fd.dup != nil && fd.dup.Relation != "" && fd.dup.Relation != "near-copy" {
				label = "contained document" // one document holds most of the other
			}
			if pass {
				label = "accepted " + label
				accepted++
			} else {
				failed++
			}
			if d := fd.dup; d != nil {
				fmt.Fprintf(&b, "%s: %s and %s (similarity %.3f, fingerprint distance %d)\n",
					label, report.Clean(d.A), report.Clean(d.B), d.Similarity, d.Distance)
				continue
			}
			p := fd.pas
			fmt.Fprintf(&b, "%s: %s [%d,%d) and %s [%d,%d) (similarity %.3f)\n    %q\n",
				label, report.Clean(p.A), p.AStart, p.AEnd, report.Clean(p.B), p.BStart, p.BEnd, p.Similarity,
				report.Excerpt(p.Excerpt, 60))
		}
	}
	fmt.Fprintf(&b, "neardup: checked %s against %s and each other (%s verified): ",
		report.Count(len(in.docs), "file"), report.Count(st.indexed, "indexed document"), report.Count(st.candidates, "candidate"))
	if failed == 0 && accepted == 0 {
		b.WriteString("no near-duplicates or copied passages\n")
	} else {
		b.WriteString(report.Count(failed, "finding"))
		if accepted > 0 {
			fmt.Fprintf(&b, ", %d more accepted by the baseline %s", accepted, display(base.File))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// SARIF 2.1.0: one result per finding, located in the first file with the other as a
// related location; partialFingerprints carry the baseline identity, which is stable
// across runs.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	} `json:"driver"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
}

type sarifSupp struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

type sarifLocation struct {
	ID               int `json:"id,omitempty"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

func sarifLoc(path string, text string, start, end int, whole bool) sarifLocation {
	var l sarifLocation
	// A URI reference: spaces, quotes and angle brackets in file names are percent-encoded.
	l.PhysicalLocation.ArtifactLocation.URI = (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
	if whole {
		end = utf8.RuneCountInString(text)
		start = 0
	}
	r := &sarifRegion{}
	r.StartLine, r.StartColumn = lineColumn(text, start)
	r.EndLine, r.EndColumn = lineColumn(text, end)
	l.PhysicalLocation.Region = r
	return l
}

// lineColumn turns a code point offset into a 1-based line and column (code points).
func lineColumn(text string, offset int) (line, col int) {
	line, col = 1, 1
	i := 0
	for _, r := range text {
		if i == offset {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i++
	}
	return line, col
}

func writeSARIF(w io.Writer, findings []*finding, texts map[string]string) error {
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0"}
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	run.Tool.Driver.Name = "neardup"
	run.Tool.Driver.InformationURI = "https://github.com/neardup/neardup"
	run.Tool.Driver.Rules = []sarifRule{
		{ID: "near-duplicate", ShortDescription: sarifMessage{"The document near-duplicates another document."}},
		{ID: "copied-passage", ShortDescription: sarifMessage{"A passage is copied from another document."}},
	}
	for _, fd := range findings {
		res := sarifResult{Level: "error", PartialFingerprints: map[string]string{"neardupFinding/v1": fd.id}}
		if d := fd.dup; d != nil {
			res.RuleID = "near-duplicate"
			res.Message.Text = fmt.Sprintf("%s near-duplicates %s (similarity %.3f).", d.A, d.B, d.Similarity)
			res.Locations = []sarifLocation{sarifLoc(d.A, texts[d.A], 0, 0, true)}
			rel := sarifLoc(d.B, texts[d.B], 0, 0, true)
			rel.ID = 1
			res.RelatedLocations = []sarifLocation{rel}
		} else {
			p := fd.pas
			res.RuleID = "copied-passage"
			res.Message.Text = fmt.Sprintf("Passage copied from %s (similarity %.3f): %s", p.B, p.Similarity, report.Excerpt(p.Excerpt, 60))
			res.Locations = []sarifLocation{sarifLoc(p.A, texts[p.A], p.AStart, p.AEnd, false)}
			rel := sarifLoc(p.B, texts[p.B], p.BStart, p.BEnd, false)
			rel.ID = 1
			res.RelatedLocations = []sarifLocation{rel}
		}
		if fd.isAccepted {
			res.Suppressions = []sarifSupp{{Kind: "external", Justification: "accepted in the neardup baseline"}}
		}
		run.Results = append(run.Results, res)
	}
	log.Runs = []sarifRun{run}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(&log)
}
