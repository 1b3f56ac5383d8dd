package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/mattn/go-runewidth"
	"github.com/neardup/neardup/diff"
)

// SideBySide sets out how WriteSideBySide lays out a comparison.
type SideBySide struct {
	NameA, NameB string // shown above the columns
	// Width is the whole line in terminal cells (CJK characters take two). Values below
	// MinSideBySideWidth are raised to it.
	Width int
	// Color marks changes with ANSI colours; otherwise they are marked [-deleted-] and
	// {+inserted+}, so that a pipe or a file still shows them.
	Color bool
	// Context, when Fold is set, is how many unchanged lines are shown around each changed
	// one. Lines are the lines written (a long paragraph wraps into many), so a one-word
	// change in a long paragraph shows as a few lines; each run of hidden lines is replaced
	// by one line saying how many it hides.
	Context int
	Fold    bool
}

// MinSideBySideWidth is the narrowest layout: two columns that each fit a line number, a wide
// character and the change markers around it.
const MinSideBySideWidth = 40

// ANSI styles. Each visual line ends with a reset, so that padding is never coloured.
const (
	ansiDelete = "\x1b[31;7m" // red, reversed: visible on light and dark themes, and without hue
	ansiInsert = "\x1b[32;7m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

// gutter marks how a row differs, as sdiff does: ' ' equal, '|' changed, '<' left only, '>' right only.
func gutter(r diff.Row) byte {
	switch {
	case r.Right == nil:
		return '<'
	case r.Left == nil:
		return '>'
	}
	for _, e := range r.Left {
		if e.Op != diff.Equal {
			return '|'
		}
	}
	for _, e := range r.Right {
		if e.Op != diff.Equal {
			return '|'
		}
	}
	return ' '
}

// WriteSideBySide writes rows as two columns, each wrapped to its width. Control characters of
// the texts are never written raw: they show as U+FFFD.
func WriteSideBySide(w io.Writer, rows []diff.Row, opt SideBySide) error {
	width := max(opt.Width, MinSideBySideWidth)
	linesA, linesB := countLines(rows, true), countLines(rows, false)
	numWidth := len(strconv.Itoa(max(linesA, linesB, 1)))
	// A line: number, space, text | gutter " x " | number, space, text.
	col := (width - 3) / 2
	text := col - numWidth - 1

	ew := &errWriter{w: w}
	header := func(name string) string {
		name = truncateCells(cleanCell(name), col)
		return name + strings.Repeat(" ", col-cellWidth(name))
	}
	hl, hr := header(opt.NameA), header(opt.NameB)
	if opt.Color {
		ew.printf("%s%s%s   %s%s%s\n", ansiDim, hl, ansiReset, ansiDim, strings.TrimRight(hr, " "), ansiReset)
	} else {
		ew.printf("%s   %s\n", hl, strings.TrimRight(hr, " "))
	}

	var out []outLine
	lineA, lineB := 1, 1
	startA, startB := true, true // the next unit starts a new line of the file
	for _, r := range rows {
		left := column(r.Left, text, opt.Color)
		right := column(r.Right, text, opt.Color)
		numA := number(r.Left, &lineA, &startA)
		numB := number(r.Right, &lineB, &startB)
		g := gutter(r)
		for i := range max(len(left), len(right)) {
			var b strings.Builder
			cell := func(num string, lines []cellLine) {
				if i > 0 {
					num = ""
				}
				b.WriteString(strings.Repeat(" ", numWidth-len(num)))
				if opt.Color && num != "" {
					b.WriteString(ansiDim + num + ansiReset)
				} else {
					b.WriteString(num)
				}
				b.WriteByte(' ')
				if i < len(lines) {
					b.WriteString(lines[i].text)
					b.WriteString(strings.Repeat(" ", text-lines[i].width))
				} else {
					b.WriteString(strings.Repeat(" ", text))
				}
			}
			cell(numA, left)
			mark := byte(' ')
			if i == 0 {
				mark = g
			}
			b.WriteByte(' ')
			b.WriteByte(mark)
			b.WriteByte(' ')
			cell(numB, right)
			changed := (i < len(left) && left[i].changed) || (i < len(right) && right[i].changed) ||
				(i == 0 && diff.Changed(r))
			out = append(out, outLine{strings.TrimRight(b.String(), " "), changed})
		}
	}
	if !opt.Fold {
		for _, l := range out {
			ew.printf("%s\n", l.text)
		}
		return ew.err
	}
	show := make([]bool, len(out))
	for i, l := range out {
		if !l.changed {
			continue
		}
		for k := max(i-opt.Context, 0); k <= min(i+opt.Context, len(out)-1); k++ {
			show[k] = true
		}
	}
	for i := 0; i < len(out); {
		if show[i] {
			ew.printf("%s\n", out[i].text)
			i++
			continue
		}
		j := i
		for j < len(out) && !show[j] {
			j++
		}
		note := foldNote(j - i)
		if opt.Color {
			note = ansiDim + note + ansiReset
		}
		ew.printf("%s\n", note)
		i = j
	}
	return ew.err
}

// outLine is one written line and whether it shows a change.
type outLine struct {
	text    string
	changed bool
}

// foldNote stands for n hidden unchanged lines.
func foldNote(n int) string {
	if n == 1 {
		return "··· 1 unchanged line hidden ···"
	}
	return "··· " + strconv.Itoa(n) + " unchanged lines hidden ···"
}

// countLines counts the lines of one side (a unit without a line break continues the line).
func countLines(rows []diff.Row, left bool) int {
	n := 0
	for _, r := range rows {
		side := r.Right
		if left {
			side = r.Left
		}
		for _, e := range side {
			n += strings.Count(e.Text, "\n")
		}
	}
	return n + 1
}

// number returns the line number to show beside a unit: empty for a missing side or for the
// continuation of a line cut into several units.
func number(side []diff.Edit, line *int, start *bool) string {
	if side == nil {
		return ""
	}
	num := ""
	if *start {
		num = strconv.Itoa(*line)
	}
	var last string
	for _, e := range side {
		*line += strings.Count(e.Text, "\n")
		if e.Text != "" {
			last = e.Text
		}
	}
	*start = strings.HasSuffix(last, "\n")
	return num
}

// column lays one side of a row out: the paragraph re-flowed (a line break that only wraps it
// reads as a space, or as nothing between Chinese characters), wrapped to width cells, then
// the blank lines that follow it.
func column(side []diff.Edit, width int, color bool) []cellLine {
	edits, blank := diff.Reflow(side)
	lines := wrapEdits(edits, width, color)
	for range blank {
		lines = append(lines, cellLine{})
	}
	return lines
}

// cellLine is one visual line of a column: its bytes (with markers or colour codes) and width.
type cellLine struct {
	text    string
	width   int
	changed bool // holds deleted or inserted text
}

// wrapEdits lays one side's edits out in lines of at most width cells. Without colour a change
// is wrapped in [- -] or {+ +}, closed at the end of each line and reopened on the next, so
// every line reads on its own.
func wrapEdits(edits []diff.Edit, width int, color bool) []cellLine {
	var lines []cellLine
	var b strings.Builder
	used := 0 // cells used, counting the closing marker of an open change
	open := diff.Equal
	changed := false
	closeChange := func() {
		if open == diff.Equal {
			return
		}
		if color {
			b.WriteString(ansiReset)
		} else if open == diff.Delete {
			b.WriteString("-]")
		} else {
			b.WriteString("+}")
		}
		open = diff.Equal
	}
	endLine := func() {
		closeChange()
		lines = append(lines, cellLine{b.String(), used, changed})
		b.Reset()
		used = 0
		changed = false
	}
	markerCells := 4 // open and close
	if color {
		markerCells = 0
	}
	for _, e := range edits {
		for _, r := range e.Text {
			shown, ok := cellRune(r)
			if !ok {
				continue
			}
			rw := 0
			for _, s := range shown {
				rw += cells.RuneWidth(s)
			}
			cost := rw
			if e.Op != open && e.Op != diff.Equal {
				cost += markerCells
			}
			if used+cost > width && used > 0 {
				endLine()
				cost = rw
				if e.Op != diff.Equal {
					cost += markerCells
				}
			}
			if e.Op != open {
				closeChange()
				switch {
				case e.Op == diff.Equal:
				case color && e.Op == diff.Delete:
					b.WriteString(ansiDelete)
				case color:
					b.WriteString(ansiInsert)
				case e.Op == diff.Delete:
					b.WriteString("[-")
				default:
					b.WriteString("{+")
				}
				open = e.Op
			}
			b.WriteString(shown)
			used += cost
			changed = changed || e.Op != diff.Equal
		}
	}
	if used > 0 || len(lines) == 0 {
		endLine()
	}
	return lines
}

// cellRune returns how r is shown in a column: line breaks not at all (rows are lines), a tab
// as a space, and control, bidi and line separator characters as U+FFFD, so that text from the
// corpus can never move the cursor, recolour or reorder the terminal.
func cellRune(r rune) (string, bool) {
	switch {
	case r == '\n' || r == '\r':
		return "", false
	case r == '\t':
		return "    ", true
	case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
		return "\uFFFD", true
	case unicode.Is(unicode.Variation_Selector, r) || r == '\u200d' ||
		(cells.RuneWidth(r) == 0 && !unicode.In(r, unicode.Mn, unicode.Me)):
		// Zero-width joiners, variation selectors and format characters make terminals draw
		// widths that differ from what was measured; the text reads the same without them.
		return "", false
	}
	return string(r), true
}

// cleanCell makes a one-line label (a file name) safe and flat.
func cleanCell(s string) string {
	var b strings.Builder
	for _, r := range s {
		if shown, ok := cellRune(r); ok {
			b.WriteString(shown)
		} else if r == '\n' || r == '\r' {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// cells measures display width. East Asian ambiguous characters count as one cell whatever the
// locale says, so output and its goldens do not depend on the environment.
var cells = &runewidth.Condition{StrictEmojiNeutral: true}

// cellWidth is the width of a cleaned string, rune by rune as wrapEdits measures.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		n += cells.RuneWidth(r)
	}
	return n
}

// truncateCells cuts a cleaned string to at most w cells by dropping its start, which for a
// path keeps the file name: "…/news/a.txt".
func truncateCells(s string, w int) string {
	if cellWidth(s) <= w {
		return s
	}
	rs := []rune(s)
	n, i := 1, len(rs) // "…" takes one cell
	for i > 0 && n+cells.RuneWidth(rs[i-1]) <= w {
		i--
		n += cells.RuneWidth(rs[i])
	}
	return "…" + string(rs[i:])
}
