package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// MaxTextPassages bounds the passages listed in the text report; JSON and HTML list them all.
const MaxTextPassages = 200

// relationNote says, after a pair, what is not a plain near-copy about it.
func relationNote(d Duplicate) string {
	var note string
	for _, part := range relationParts(d) {
		note += "  (" + part + ")"
	}
	return note
}

// relationParts are the remarks on a pair that is not a plain near-copy: which side contains
// the other, and whether it matched across scripts.
func relationParts(d Duplicate) []string {
	var parts []string
	switch d.Relation {
	case "a-contains-b":
		parts = append(parts, fmt.Sprintf("the first contains %.0f%% of the second", 100*d.ContainmentB))
	case "b-contains-a":
		parts = append(parts, fmt.Sprintf("the second contains %.0f%% of the first", 100*d.ContainmentA))
	}
	if d.Folded {
		parts = append(parts, foldedNote)
	}
	return parts
}

// foldedNote marks a pair or passage that matched through Traditional→Simplified folding.
const foldedNote = "Traditional and Simplified script"

// WriteText writes a summary for people: near-duplicate pairs most similar first, copied
// passages longest first, slogans, then what was capped and skipped.
func WriteText(w io.Writer, r *Result) error {
	ew := &errWriter{w: w}
	s := r.Settings
	ew.printf("neardup: %s, %s, %s, %s, %s\n", Count(len(r.Documents), "document"), Count(len(r.Families), "family", "families"),
		Count(len(r.Duplicates), "near-duplicate pair"), Count(len(r.Passages), "copied passage"), Count(len(r.Slogans), "slogan"))
	ew.printf("settings: %d-grams, document distance <= %d bits, passage distance <= %d bits, similarity >= %.2f, passages >= %d chars, max document frequency %d\n",
		s.NGram, s.DocDistance, s.PassageDistance, s.MinSimilarity, s.MinPassage, s.MaxDF)

	writeFamiliesText(ew, r)
	if len(r.Duplicates) > 0 {
		ew.printf("\nNear-duplicate documents (Jaccard similarity of character %d-grams, Hamming distance of fingerprints):\n", s.NGram)
		for _, d := range r.Duplicates {
			ew.printf("  %.3f  d=%-2d  %s\n               %s%s\n", d.Similarity, d.Distance, Clean(d.A), Clean(d.B), relationNote(d))
		}
	}
	if len(r.Passages) > 0 {
		ew.printf("\nCopied passages (code point offsets, end exclusive):\n")
		for i, p := range r.Passages {
			if i == MaxTextPassages {
				ew.printf("  ... and %d more (%s)\n", len(r.Passages)-i, allFormats)
				break
			}
			ew.printf("  %.3f  %s [%d,%d)\n         %s [%d,%d)\n", p.Similarity, Clean(p.A), p.AStart, p.AEnd, Clean(p.B), p.BStart, p.BEnd)
			if p.Excerpt != "" {
				ew.printf("         %q\n", Excerpt(p.Excerpt, 60))
			}
		}
	}
	if len(r.Slogans) > 0 {
		ew.printf("\n")
		if ew.err == nil {
			ew.err = WriteSlogansText(w, r.Slogans)
		}
	}
	if len(r.Capped) > 0 {
		ew.printf("\nCapped: %s occur in more than %d documents and were not used as evidence of copying (see the slogans report); the most frequent:\n", Count(len(r.Capped), "clause"), s.MaxDF)
		for i, c := range r.Capped {
			if i == 5 {
				break
			}
			ew.printf("  %5d docs  %q\n", c.Documents, Excerpt(c.Text, 50))
		}
	}
	if len(r.Skipped) > 0 {
		ew.printf("\nSkipped %s:\n", Count(len(r.Skipped), "file"))
		for _, sk := range r.Skipped {
			ew.printf("  %s: %s\n", Clean(sk.Path), sk.Reason)
		}
	}
	if len(r.Duplicates) == 0 && len(r.Passages) == 0 && len(r.Families) == 0 {
		ew.printf("\nNo near-duplicate documents or copied passages found.\n")
	}
	return ew.err
}

// allFormats is the note the text report gives where it stops listing.
const allFormats = "the JSON, CSV and HTML reports list them all"

// Count says "1 thing" or "n things"; plural, if given, is the plural noun.
func Count(n int, noun string, plural ...string) string {
	if n == 1 {
		return "1 " + noun
	}
	if len(plural) > 0 {
		return fmt.Sprintf("%d %s", n, plural[0])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeFamiliesText lists the repost families, largest first, each member with its
// similarity to the source and its date.
func writeFamiliesText(ew *errWriter, r *Result) {
	if len(r.Families) == 0 {
		return
	}
	ew.printf("\nFamilies (every two members are near-duplicates; similarity to the source, which is the earliest dated member, else the longest):\n")
	for i, f := range r.Families {
		ew.printf("  #%d  %s, source %s (%s)\n", i+1, Count(f.Size, "document"), Clean(f.Source), f.SourceRule)
		if !f.PairsListed {
			ew.printf("       more than %d members: listed with their similarity to the source instead of the pairs among them (--all-pairs lists the pairs)\n", MaxFamilyPairs)
		}
		for _, m := range f.Members {
			date := m.Date
			if date == "" {
				date = "-"
			}
			ew.printf("    %.3f  %-10s  %s\n", m.Similarity, date, Clean(m.Path))
		}
	}
	if len(r.Identical) > 0 {
		ew.printf("\nIdentical documents (the same normalised text; each group was compared once, through its first member):\n")
		for _, g := range r.Identical {
			ew.printf("  %s: %s and %d more, in a family above\n", Count(len(g.Members), "document"), Clean(g.Members[0]), len(g.Members)-1)
		}
	}
}

// Excerpt returns at most n characters of s on one line, with "…" when it was cut.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(Clean(s)), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

// Clean replaces control characters, which could drive a terminal, with U+FFFD; tabs and line
// breaks become spaces.
func Clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// errWriter keeps the first write error so that a long report needs one check.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
