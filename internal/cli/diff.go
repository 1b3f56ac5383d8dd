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
they differ, 2 on a usage error or a file that cannot be read.

Examples:
    neardup diff old.txt new.txt
    neardup diff --width 80 --color always a.txt b.txt | less -R
    neardup diff --normalized --full report-v1.txt report-v2.txt
    neardup diff a.txt b.txt -o diff.html
`

func init() { commands["diff"] = runDiff }

// defaultDiffWidth is the layout width when stdout is not a terminal of known width.
const defaultDiffWidth = 100

func runDiff(env *Env, args []string) int {
	fs := newFlagSet("diff")
	var width, context int
	var full, normalized bool
	var color, format, output, encoding string
	fs.IntVarP(&context, "context", "U", 3, "")
	fs.BoolVar(&full, "full", false, "")
	fs.BoolVar(&normalized, "normalized", false, "")
	fs.IntVarP(&width, "width", "w", 0, "")
	fs.StringVar(&color, "color", "auto", "")
	fs.StringVarP(&format, "format", "f", "", "")
	fs.StringVarP(&output, "output", "o", "", "")
	fs.StringVar(&encoding, "encoding", "", "")
	if done, code := parseFlags(env, fs, diffUsage, args); done {
		return code
	}
	if fs.NArg() != 2 {
		errorf(env, "diff: want two files, got %d", fs.NArg())
		hintf(env, "neardup diff old.txt new.txt")
		return exitUsage
	}
	if format == "" {
		format = "text"
		switch strings.ToLower(filepath.Ext(output)) {
		case ".html", ".htm":
			format = "html"
		}
	}
	if format != "text" && format != "html" {
		errorf(env, "diff: unknown --format %q: use text or html", format)
		return exitUsage
	}
	if color != "auto" && color != "always" && color != "never" {
		errorf(env, "diff: unknown --color %q: use auto, always or never", color)
		return exitUsage
	}
	if fs.Changed("width") && width < report.MinSideBySideWidth {
		errorf(env, "diff: --width %d is too narrow: use at least %d", width, report.MinSideBySideWidth)
		return exitUsage
	}
	if context < 0 {
		errorf(env, "diff: --context %d: use 0 or more lines", context)
		return exitUsage
	}
	pathA, pathB := fs.Arg(0), fs.Arg(1)
	if pathA == "-" && pathB == "-" {
		errorf(env, "diff: only one of A and B can be - (stdin)")
		return exitUsage
	}

	if err := checkOutput(output, []string{pathA, pathB}); err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	opt := corpus.Options{Encoding: encoding, Warn: func(msg string) { warnf(env, "%s", msg) }}
	textA, err := readForDiff(env, pathA, opt)
	if err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	textB, err := readForDiff(env, pathB, opt)
	if err != nil {
		errorf(env, "diff: %v", err)
		return exitUsage
	}
	var rows []diff.Row
	if normalized {
		rows = diff.RowsNormalized(textA, textB)
	} else {
		rows = diff.Rows(textA, textB)
	}
	sum := diff.Summarize(rows)

	toFile := output != "" && output != "-"
	tty, ttyWidth := false, 0
	if !toFile {
		tty, ttyWidth = env.IsTerminal(env.Stdout)
	}
	if !fs.Changed("width") {
		width = defaultDiffWidth
		if tty && ttyWidth > 0 {
			width = ttyWidth
		} else if n, err := strconv.Atoi(strings.TrimSpace(env.Getenv("COLUMNS"))); err == nil && n > 0 {
			// A pipe has no width; COLUMNS is how a shell or a pager passes the terminal's on.
			width = max(n, report.MinSideBySideWidth)
		}
	}
	layout := report.SideBySide{
		NameA:   pathA,
		NameB:   pathB,
		Width:   width,
		Color:   color == "always" || (color == "auto" && tty && env.Getenv("NO_COLOR") == ""),
		Context: context,
		Fold:    !full,
	}
	render := func(w io.Writer) error {
		if format == "html" {
			return report.WriteDiffHTML(w, pathA, pathB, rows)
		}
		if err := report.WriteSideBySide(w, rows, layout); err != nil {
			return err
		}
		_, err := fmt.Fprintln(w, diffSummary(sum, normalized, max(width, report.MinSideBySideWidth)))
		return err
	}
	if code := writeOutput(env, output, render); code != exitOK {
		return exitUsage // trouble, as GNU diff says: 1 would read as "the files differ"
	}
	if sum.Same() {
		return exitOK
	}
	return exitFindings // the files differ, as GNU diff says it
}

// diffSummary is the end of a text diff: a line, or two if the layout is narrower.
func diffSummary(s diff.Summary, normalized bool, width int) string {
	switch {
	case s.Same() && normalized:
		return "no differences once normalised"
	case s.Same():
		return "no differences"
	}
	rows := plural(s.Changed, "row") + " changed"
	chars := fmt.Sprintf("%s deleted, %d inserted", plural(s.Deleted, "character"), s.Inserted)
	if len(rows)+2+len(chars) > width {
		return rows + "\n" + chars
	}
	return rows + ": " + chars
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// readForDiff decodes one file as scan would. Unlike scan, it compares an empty file (as
// empty text) rather than skipping it, and fails on a file that is not text.
func readForDiff(env *Env, path string, opt corpus.Options) (string, error) {
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
