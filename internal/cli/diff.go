package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/diff"
	"github.com/neardup/neardup/report"
)

const diffUsage = `Usage: neardup diff [flags] A B

Show two files side by side with the changes marked character by character.
Paragraphs are aligned first, then each aligned pair is compared; long lines
wrap inside their column. Widths are in terminal cells (a Chinese character
takes two). A or B may be - for stdin.

Flags:
    -U, --context N       show N unchanged lines around each change (default 3);
                          each run of hidden lines becomes one line saying how
                          many it hides
        --full            show every line, changed or not
        --normalized      ignore what scan ignores: punctuation ("，" against
                          ","), spacing and line breaks, case, full-width and
                          half-width forms; each side still shows its own text
    -w, --width N         line width in cells (default: the terminal's, else
                          $COLUMNS, else 100)
        --color WHEN      auto, always or never (default auto: colour on a
                          terminal, unless NO_COLOR is set)
    -f, --format FORMAT   text or html (default: html if -o names a .html
                          file, else text)
    -o, --output FILE     write to FILE (atomically) instead of stdout
        --encoding NAME   decode both files as NAME (default: detect per file)
    -h, --help            show this help

Without colour, deleted text reads [-like this-], inserted text {+like this+}.
The column between the sides marks each row: | changed, < only in A, > only
in B. The last line sums the changes up. --context and --full apply to text;
an HTML page always holds every row.

Exit status, as for GNU diff: 0 if the files are the same as compared (a line
re-wrapped is no change, nor with --normalized a change of punctuation), 1 if
they differ, 2 on a usage error, a file that cannot be read or output that
could not be written.

Examples:
    neardup diff old.txt new.txt
    neardup diff --width 80 --color always a.txt b.txt | less -R
    neardup diff --normalized --full report-v1.txt report-v2.txt
    neardup diff a.txt b.txt -o diff.html
`

func init() { commands["diff"] = command{runDiff, diffUsage} }

// defaultDiffWidth is the layout width when stdout is not a terminal of known width.
const defaultDiffWidth = 100

type diffFlags struct {
	width, context                  int
	widthSet, full, normalized      bool
	color, format, output, encoding string
	pathA, pathB                    string
}

func runDiff(env *Env, args []string) int {
	f, code := parseDiffFlags(env, args)
	if code != proceed {
		return code
	}
	if err := checkOutput(f.output, []string{f.pathA, f.pathB}); err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	opt := corpus.Options{Encoding: f.encoding, Warn: func(msg string) { warnf(env, "%s", msg) }}
	textA, err := readForDiff(env, f.pathA, opt)
	if err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	textB, err := readForDiff(env, f.pathB, opt)
	if err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	var rows []diff.Row
	if f.normalized {
		rows = diff.RowsNormalized(textA, textB)
	} else {
		rows = diff.Rows(textA, textB)
	}
	sum := diff.Summarize(rows)
	layout := diffLayout(env, f)
	render := func(w io.Writer) error {
		if f.format == "html" {
			return report.WriteDiffHTML(w, f.pathA, f.pathB, rows)
		}
		if err := report.WriteSideBySide(w, rows, layout); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w, report.DiffSummary(sum, f.normalized, max(layout.Width, report.MinSideBySideWidth)))
		return err
	}
	if code := writeOutput(env, f.output, render); code != exitOK {
		return exitUsage // trouble, as GNU diff says: 1 would read as "the files differ"
	}
	if sum.Same() {
		return exitOK
	}
	return exitFindings // the files differ, as GNU diff says it
}

// parseDiffFlags reads and checks the flags and the two paths of diff.
func parseDiffFlags(env *Env, args []string) (*diffFlags, int) {
	fs := newFlagSet("diff")
	f := &diffFlags{}
	fs.IntVarP(&f.context, "context", "U", 3, "")
	fs.BoolVar(&f.full, "full", false, "")
	fs.BoolVar(&f.normalized, "normalized", false, "")
	fs.IntVarP(&f.width, "width", "w", 0, "")
	fs.StringVar(&f.color, "color", "auto", "")
	fs.StringVarP(&f.format, "format", "f", "", "")
	fs.StringVarP(&f.output, "output", "o", "", "")
	fs.StringVar(&f.encoding, "encoding", "", "")
	if done, code := parseFlags(env, fs, diffUsage, args); done {
		return nil, code
	}
	f.widthSet = fs.Changed("width")
	if fs.NArg() != 2 {
		errorf(env, "diff: want two files, got %d", fs.NArg())
		hintf(env, "neardup diff old.txt new.txt")
		return nil, exitUsage
	}
	if f.format == "" {
		f.format = "text"
		switch strings.ToLower(filepath.Ext(f.output)) {
		case ".html", ".htm":
			f.format = "html"
		}
	}
	f.pathA, f.pathB = fs.Arg(0), fs.Arg(1)
	var msg string
	switch {
	case f.format != "text" && f.format != "html":
		msg = fmt.Sprintf("unknown --format %q: use text or html", f.format)
	case f.color != "auto" && f.color != "always" && f.color != "never":
		msg = fmt.Sprintf("unknown --color %q: use auto, always or never", f.color)
	case f.widthSet && f.width < report.MinSideBySideWidth:
		msg = fmt.Sprintf("--width %d is too narrow: use at least %d", f.width, report.MinSideBySideWidth)
	case f.context < 0:
		msg = fmt.Sprintf("--context %d: use 0 or more lines", f.context)
	case f.pathA == "-" && f.pathB == "-":
		msg = "only one of A and B can be - (stdin)"
	}
	if msg != "" {
		errorf(env, "diff: %s", msg)
		return nil, exitUsage
	}
	return f, proceed
}

// diffLayout is how the side-by-side text is laid out: the width from the flag, else the
// terminal's, else COLUMNS; colour on a terminal unless NO_COLOR says otherwise.
func diffLayout(env *Env, f *diffFlags) report.SideBySide {
	toFile := f.output != "" && f.output != "-"
	tty, ttyWidth := false, 0
	if !toFile {
		tty, ttyWidth = env.IsTerminal(env.Stdout)
	}
	width := f.width
	if !f.widthSet {
		width = defaultDiffWidth
		if tty && ttyWidth > 0 {
			width = ttyWidth
		} else if n, err := strconv.Atoi(strings.TrimSpace(env.Getenv("COLUMNS"))); err == nil && n > 0 {
			// A pipe has no width; COLUMNS is how a shell or a pager passes the terminal's on.
			width = max(n, report.MinSideBySideWidth)
		}
	}
	return report.SideBySide{
		NameA:   f.pathA,
		NameB:   f.pathB,
		Width:   width,
		Color:   f.color == "always" || (f.color == "auto" && tty && env.Getenv("NO_COLOR") == ""),
		Context: f.context,
		Fold:    !f.full,
	}
}

// readForDiff decodes one file as scan would. Unlike scan, it compares an empty file (as
// empty text) rather than skipping it, and fails on a file that is not text.
func readForDiff(env *Env, path string, opt corpus.Options) (string, error) {
	// A skip is an error here, or an empty text; its "skipping" warning would say otherwise.
	warn := opt.Warn
	opt.Warn = func(msg string) {
		if warn != nil && !strings.HasPrefix(msg, "skipping "+path+": ") {
			warn(msg)
		}
	}
	doc, skip, err := corpus.Read(corpus.Source{Path: path}, env.Stdin, opt)
	if err != nil {
		return "", err
	}
	if skip != nil {
		if skip.Reason == "empty" {
			return "", nil
		}
		return "", fmt.Errorf("cannot compare %s: %s", path, skip.Reason)
	}
	return doc.Text, nil
}
