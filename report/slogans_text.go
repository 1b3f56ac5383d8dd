package report

import (
	"fmt"
	"io"
	"strings"
)

// Bounds of the text form of the slogans section; JSON and HTML list everything.
const (
	MaxTextSlogans   = 100 // slogans listed
	maxTextVariants  = 5   // spellings shown per slogan besides the canonical text
	maxTextLocations = 3   // locations shown per slogan
	maxSloganRunes   = 200 // a paragraph-long slogan is cut here
)

// WriteSlogansText writes the slogans section of the text report: per slogan its rank, kind,
// document count and occurrences, the phrase, its other spellings with counts, and the first
// few locations. Line breaks inside a phrase are shown as ⏎.
func WriteSlogansText(w io.Writer, slogans []Slogan) error {
	ew := &errWriter{w: w}
	ew.printf("Slogans: %s recurring across documents (ranked by documents, then length):\n", Count(len(slogans), "phrase"))
	width := len(fmt.Sprint(min(len(slogans), MaxTextSlogans)))
	indent := strings.Repeat(" ", width+4)
	for i, s := range slogans {
		if i == MaxTextSlogans {
			ew.printf("  ... and %d more (use --format json for all)\n", len(slogans)-i)
			break
		}
		kind := ""
		if s.Kind != "" {
			kind = " [" + Clean(s.Kind) + "]"
		}
		ew.printf("%*d. %s%s\n", width+2, i+1, phrase(s.Text), kind)
		ew.printf("%s%d documents, %d occurrences\n", indent, s.Documents, s.Occurrences)
		shown := 0
		for _, v := range s.Variants {
			if v.Text == s.Text {
				continue
			}
			if shown == maxTextVariants {
				ew.printf("%salso %d more spellings\n", indent, countOthers(s)-shown)
				break
			}
			ew.printf("%salso %s (%d)\n", indent, phrase(v.Text), v.Count)
			shown++
		}
		for j, l := range s.Locations {
			if j == maxTextLocations {
				ew.printf("%s... and %d more locations\n", indent, len(s.Locations)-j)
				break
			}
			ew.printf("%sat %s [%d,%d)\n", indent, Clean(l.Path), l.Start, l.End)
		}
	}
	return ew.err
}

func countOthers(s Slogan) int {
	n := 0
	for _, v := range s.Variants {
		if v.Text != s.Text {
			n++
		}
	}
	return n
}

// phrase shows a slogan's text on one line: line breaks become ⏎, control characters are
// neutralised, and a very long text is cut.
func phrase(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i, f := range fields {
		fields[i] = strings.TrimSpace(f)
	}
	s = Clean(strings.Join(fields, " ⏎ "))
	if rs := []rune(s); len(rs) > maxSloganRunes {
		return string(rs[:maxSloganRunes]) + "…"
	}
	return s
}
