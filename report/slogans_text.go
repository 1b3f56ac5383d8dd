package report

import (
	"fmt"
	"io"
	"strings"
)

// Bounds of the text form of the slogans section; JSON and HTML list everything.
const (
	MaxTextSlogans   = 100 // slogans listed unless the caller asks for another number
	maxTextVariants  = 5   // spellings shown per slogan besides the canonical text
	maxTextForms     = 3   // longer forms shown per slogan
	maxTextFillers   = 8   // fillers shown per template
	maxTextLocations = 3   // locations shown per slogan
	maxSloganRunes   = 200 // a paragraph-long slogan is cut here
)

// WriteSlogansText writes the slogans section of the text report with the first
// MaxTextSlogans slogans (see WriteSlogansTextTop).
func WriteSlogansText(w io.Writer, slogans []Slogan) error {
	return WriteSlogansTextTop(w, slogans, MaxTextSlogans)
}

// WriteSlogansTextTop writes the slogans section of the text report, the first top slogans
// (all when top <= 0): per slogan its rank, kind, document count and occurrences, the dates
// it was first and last seen, the phrase, its other spellings or a template's fillers with
// counts, its longest forms, and the first few locations. Line breaks inside a phrase are
// shown as ⏎.
func WriteSlogansTextTop(w io.Writer, slogans []Slogan, top int) error {
	ew := &errWriter{w: w}
	if top <= 0 {
		top = len(slogans)
	}
	ew.printf("Slogans: %s recurring across documents (slogans first, then templates, names, phrases, boilerplate; each ranked by documents):\n", Count(len(slogans), "phrase"))
	width := len(fmt.Sprint(min(len(slogans), top)))
	indent := strings.Repeat(" ", width+4)
	for i, s := range slogans {
		if i == top {
			ew.printf("  ... and %d more (use --top N, or --format json for all)\n", len(slogans)-i)
			break
		}
		ew.printf("%*d. %s [%s]\n", width+2, i+1, phrase(s.Text), Clean(s.Kind))
		seen := ""
		if s.FirstSeen != "" {
			seen = fmt.Sprintf(", seen %s to %s", s.FirstSeen, s.LastSeen)
		}
		ew.printf("%s%d documents, %d occurrences%s\n", indent, s.Documents, s.Occurrences, seen)
		for j, f := range s.Fillers {
			if j == maxTextFillers {
				ew.printf("%s... and %d more fillers\n", indent, len(s.Fillers)-j)
				break
			}
			ew.printf("%sfilled with %s (%d)\n", indent, phrase(f.Text), f.Count)
		}
		for j, f := range s.Forms {
			if j == maxTextForms {
				ew.printf("%s... and %d more forms\n", indent, len(s.Forms)-j)
				break
			}
			ew.printf("%sas %s (%d documents)\n", indent, phrase(f.Text), f.Documents)
		}
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
