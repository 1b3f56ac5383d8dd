package report

import (
	"fmt"
	"io"

	"github.com/neardup/neardup/diff"
)

// WriteSlogansReport is the text form of neardup slogans: a one-line summary, the slogans,
// and the skipped files.
func WriteSlogansReport(w io.Writer, r *Result, top int) error {
	if _, err := fmt.Fprintf(w, "neardup: %d documents, %d recurring phrases (in %d or more documents)\n\n",
		len(r.Documents), len(r.Slogans), r.Settings.MinDocs); err != nil {
		return err
	}
	if err := WriteSlogansTextTop(w, r.Slogans, top); err != nil {
		return err
	}
	if len(r.Skipped) > 0 {
		if _, err := fmt.Fprintf(w, "\nSkipped %d files:\n", len(r.Skipped)); err != nil {
			return err
		}
		for _, s := range r.Skipped {
			if _, err := fmt.Fprintf(w, "  %s: %s\n", Clean(s.Path), s.Reason); err != nil {
				return err
			}
		}
	}
	return nil
}

// DiffSummary is the end of a text diff: a line, or two if the layout is narrower.
func DiffSummary(s diff.Summary, normalized bool, width int) string {
	switch {
	case s.Same() && normalized:
		return "no differences once normalised"
	case s.Same():
		return "no differences"
	}
	rows := Count(s.Changed, "row") + " changed"
	chars := fmt.Sprintf("%s deleted, %d inserted", Count(s.Deleted, "character"), s.Inserted)
	if len(rows)+2+len(chars) > width {
		return rows + "\n" + chars
	}
	return rows + ": " + chars
}
