package cli

import (
	"bufio"
	"runtime"
	"strconv"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/progress"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
)

const fingerprintUsage = `Usage: neardup fingerprint [flags] PATH...

Print the 64-bit SimHash of each document, one line per document in input order:

    HEX16  PATH

HEX16 is 16 lower-case hex digits, then two spaces and the path. It is the
fingerprint neardup scan reports for the document: the character 3-grams of its
normalised text (NFKC, case folded, punctuation and spaces removed). Two
documents whose fingerprints differ in few bits are likely near-duplicates.
PATH is a file, a folder (walked in sorted order, hidden entries skipped) or -
for stdin.

With --passages, one line per clause (the passages neardup scan compares)
instead:

    HEX16  START  END  PATH

START and END are Unicode code points of the decoded text, 0-based, end
exclusive. The path comes last so that it may hold spaces. Clauses that
normalise to nothing (punctuation alone) are left out.

Options:
        --passages          one line per clause instead of one per document
    -j, --jobs N            CPUs to use (default: all of them); the
                            output is the same for every N
        --encoding NAME     decode every file as NAME (default: detect per file)
        --max-file-size N   skip files larger than N bytes (default 64 MiB)
        --no-ignore-vcs     also read files that .gitignore leaves out
    -q, --quiet             no warnings or progress on stderr
    -h, --help              show this help

Documents are read, fingerprinted and printed as a stream, so memory stays small
however large the corpus.

Exit status: 0 when every document was fingerprinted or skipped with a warning,
2 on a usage or input error or a failure (the output could not be written).

Examples:
    neardup fingerprint corpus/ > prints.txt
    neardup fingerprint --passages article.txt
    cat article.txt | neardup fingerprint -
`

func init() { commands["fingerprint"] = command{runFingerprint, fingerprintUsage} }

func runFingerprint(env *Env, args []string) int {
	fs := newFlagSet("fingerprint")
	var (
		passages    bool
		jobs        int
		encoding    string
		maxFileSize int64
		quiet       bool
	)
	fs.BoolVar(&passages, "passages", false, "")
	fs.IntVarP(&jobs, "jobs", "j", runtime.NumCPU(), "")
	fs.StringVar(&encoding, "encoding", "", "")
	fs.Int64Var(&maxFileSize, "max-file-size", corpus.MaxFileSize, "")
	noIgnoreVCS := fs.Bool("no-ignore-vcs", false, "")
	fs.BoolVarP(&quiet, "quiet", "q", false, "")
	if done, code := parseFlags(env, fs, fingerprintUsage, args); done {
		return code
	}
	switch {
	case checkReadFlags(jobs, maxFileSize) != "":
		errorf(env, "fingerprint: %s", checkReadFlags(jobs, maxFileSize))
		return exitUsage
	case fs.NArg() == 0:
		errorf(env, "fingerprint: no input: name at least one file or folder")
		hintf(env, "neardup fingerprint testdata/corpus")
		return exitUsage
	}
	defer useCPUs(jobs)()
	opt := corpus.Options{Encoding: encoding, MaxFileSize: maxFileSize, NoIgnoreVCS: *noIgnoreVCS}
	if !quiet {
		opt.Warn = func(msg string) { warnf(env, "%s", msg) }
	}
	// Load of no path checks the encoding name and nothing else: a bad name is a usage
	// error before any output, as in scan.
	if _, _, err := corpus.Load(nil, nil, opt); err != nil {
		errorf(env, "fingerprint: %v", err)
		return exitUsage
	}
	srcs, _, err := corpus.Files(fs.Args(), opt)
	if err != nil {
		errorf(env, "%v", err)
		return exitUsage
	}

	printed, err := printFingerprints(env, srcs, opt, passages, jobs, !quiet && isTerminal(env))
	if err != nil {
		errorf(env, "%v", err)
		return exitFailure
	}
	if printed == 0 {
		errorf(env, "fingerprint: no document to fingerprint in the input (every file was skipped)")
		return exitUsage
	}
	return exitOK
}

// printFingerprints streams the lines of srcs to stdout, each source's warnings beside its
// lines, and counts the documents printed.
func printFingerprints(env *Env, srcs []corpus.Source, opt corpus.Options, passages bool, jobs int, bars bool) (int, error) {
	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	bar := progress.New(env.Stderr, bars, len(srcs), "fingerprinting")
	printed := 0
	err := fingerprintStream(env, srcs, opt, passages, jobs, func(r printed1) error {
		for _, w := range r.warnings {
			if err := out.Flush(); err != nil { // keep warnings next to the lines they explain
				return err
			}
			bar.Finish()
			warnf(env, "%s", w)
		}
		bar.Add(1)
		if r.printed {
			printed++
		}
		_, err := out.Write(r.lines)
		return err
	})
	bar.Finish()
	if err == nil {
		err = out.Flush()
	}
	return printed, err
}

// isTerminal reports whether stderr is an interactive terminal, where progress may be drawn.
func isTerminal(env *Env) bool {
	tty, _ := env.IsTerminal(env.Stderr)
	return tty
}

// printed1 is the output of one source: its lines, and the warnings reading it raised.
type printed1 struct {
	lines    []byte
	warnings []string
	printed  bool // a document was read (not skipped)
	err      error
}

// fingerprintStream reads, normalises and fingerprints srcs on jobs goroutines and calls emit
// with each source's output in input order. At most a window of sources is in flight, so
// memory does not grow with the corpus. Standard input is read by the feeding goroutine, in
// order, so that "-" named twice reads it once, like a one-goroutine run.
func fingerprintStream(env *Env, srcs []corpus.Source, opt corpus.Options, passages bool, jobs int, emit func(printed1) error) error {
	type job struct {
		src  corpus.Source
		doc  *corpus.Document // already read (stdin)
		skip *corpus.Skip
		warn []string
		out  chan printed1
	}
	window := 16 * jobs
	order := make(chan chan printed1, window)
	work := make(chan job, window)
	quit := make(chan struct{})
	defer close(quit)

	// fill runs on a worker, with that worker's Fingerprinter.
	fill := func(j *job, fp *match.Fingerprinter) printed1 {
		r := printed1{warnings: j.warn}
		doc, skip := j.doc, j.skip
		if doc == nil && skip == nil {
			o := opt
			o.Warn = func(msg string) { r.warnings = append(r.warnings, msg) }
			if opt.Warn == nil {
				o.Warn = nil
			}
			var err error
			doc, skip, err = corpus.Read(j.src, nil, o)
			if err != nil {
				r.err = err
				return r
			}
		}
		if skip != nil {
			return r
		}
		r.printed = true
		r.lines = appendPrints(nil, doc, passages, fp)
		return r
	}

	go func() {
		defer close(order)
		defer close(work)
		for _, src := range srcs {
			j := job{src: src, out: make(chan printed1, 1)}
			if src.Path == "-" {
				o := opt
				o.Warn = func(msg string) { j.warn = append(j.warn, msg) }
				if opt.Warn == nil {
					o.Warn = nil
				}
				var err error
				if j.doc, j.skip, err = corpus.Read(src, env.Stdin, o); err != nil {
					j.out <- printed1{err: err}
					select {
					case order <- j.out:
					case <-quit:
					}
					return
				}
				if j.doc == nil && j.skip == nil {
					j.skip = &corpus.Skip{Path: src.Path}
				}
			}
			select {
			case order <- j.out:
			case <-quit:
				return
			}
			select {
			case work <- j:
			case <-quit:
				return
			}
		}
	}()
	for range jobs {
		go func() {
			fp := match.NewFingerprinter(0)
			for j := range work {
				j.out <- fill(&j, fp)
			}
		}()
	}
	for ch := range order {
		r := <-ch
		if r.err != nil {
			return r.err
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// appendPrints appends the output lines of one document.
func appendPrints(dst []byte, doc *corpus.Document, passages bool, f *match.Fingerprinter) []byte {
	path := report.Clean(doc.Path)
	if !passages {
		fp, _ := f.Sum(doc.Text)
		return appendLine(dst, fp, path)
	}
	p := match.Print(doc.Text, match.DefaultOptions())
	for _, c := range p.Clauses {
		dst = appendHex(dst, c.FP)
		dst = append(dst, "  "...)
		dst = strconv.AppendInt(dst, int64(c.Start), 10)
		dst = append(dst, "  "...)
		dst = strconv.AppendInt(dst, int64(c.End), 10)
		dst = append(dst, "  "...)
		dst = append(dst, path...)
		dst = append(dst, '\n')
	}
	return dst
}

func appendLine(dst []byte, fp uint64, path string) []byte {
	dst = appendHex(dst, fp)
	dst = append(dst, "  "...)
	dst = append(dst, path...)
	return append(dst, '\n')
}

// appendHex appends fp as 16 lower-case hex digits, zero padded.
func appendHex(dst []byte, fp uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		dst = append(dst, digits[fp>>uint(shift)&0xF])
	}
	return dst
}
