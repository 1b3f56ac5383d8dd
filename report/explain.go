package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
)

// checkFlag names the neardup flag that sets each threshold of match.Options.
var checkFlag = map[string]string{
	"DocDistance":     "--doc-distance",
	"PassageDistance": "--passage-distance",
	"MinSimilarity":   "--min-similarity",
	"MinPassage":      "--min-passage",
}

// checkMeaning says in a few words what passing each check means for scan.
var checkMeaning = map[string]string{
	"document candidate": "fingerprints close enough to compare the whole texts",
	"clause candidate":   "a shared clause makes the pair a candidate",
	"near-duplicate":     "similar enough as wholes",
	"copied passage":     "a common passage long enough to report",
	"short candidate":    "both short and alike by MinHash",
}

// WriteExplanation writes, for "neardup explain", every measure of a pair of documents
// beside the threshold it is held to, and the verdict.
func WriteExplanation(w io.Writer, e match.Explanation, docs [2]*corpus.Document) error {
	var b strings.Builder
	ew := printer{&b}
	for i, name := range []string{"A", "B"} {
		ew.printf("%s  %s: %d characters, %d normalised, %d distinct %d-grams\n",
			name, Clean(docs[i].Path), e.Chars[i], e.Normalized[i], e.Grams[i], e.N)
	}
	ew.printf("\nMeasures\n")
	ew.printf("  %-24s %.3f  (%d shared of %d %d-grams in either)\n", "n-gram Jaccard", e.Jaccard,
		e.SharedGrams, e.Grams[0]+e.Grams[1]-e.SharedGrams, e.N)
	ew.printf("  %-24s %.3f  (%d of A's %d)\n", "A contained in B", e.Containment[0], e.SharedGrams, e.Grams[0])
	ew.printf("  %-24s %.3f  (%d of B's %d)\n", "B contained in A", e.Containment[1], e.SharedGrams, e.Grams[1])
	ew.printf("  %-24s %d bits  (%016x, %016x)\n", "fingerprint distance", e.Distance, e.Fingerprints[0], e.Fingerprints[1])
	ew.printf("  %-24s %d exact, %d near  (of %d in A, %d in B)\n", "shared clauses", e.SharedClauses, e.NearClauses,
		e.Clauses[0], e.Clauses[1])
	if e.Longest.Length == 0 {
		ew.printf("  %-24s none\n", "longest common passage")
	} else {
		ew.printf("  %-24s %d characters: A %d-%d, B %d-%d\n", "longest common passage", e.Longest.Length,
			e.Longest.AStart, e.Longest.AEnd, e.Longest.BStart, e.Longest.BEnd)
		ew.printf("    %s\n", explainExcerpt(docs[0].Slice(e.Longest.AStart, e.Longest.AEnd), 15))
	}

	ew.printf("\nThresholds\n")
	for _, c := range e.Checks {
		rel, value := ">=", fmt.Sprintf("%.3f", c.Value)
		if c.AtMost {
			rel = "<="
		}
		threshold := fmt.Sprintf("%.3g", c.Threshold)
		if c.Option != "MinSimilarity" {
			value, threshold = fmt.Sprintf("%d", int(c.Value)), fmt.Sprintf("%d", int(c.Threshold))
		}
		flag := checkFlag[c.Option]
		switch c.Name {
		case "clause candidate":
			flag = "clauses exact or within " + flag // a count: the flag says what is near
		case "short candidate":
			flag = "n-grams of the shorter" // the size that makes a document short
		}
		ew.printf("  %-20s %-3s  %s %s %s (%s)\n", c.Name, yesNo(c.Passes), value, rel, threshold, flag)
		ew.printf("  %-20s      %s\n", "", checkMeaning[c.Name])
	}

	ew.printf("\nVerdict\n")
	switch {
	case e.Duplicate:
		ew.printf("  near-duplicates (similarity %.3f)\n", Round3(e.Jaccard))
	case len(e.Passages) > 0:
		ew.printf("  not near-duplicates; %d copied passage(s), the longest A %d-%d, B %d-%d\n", len(e.Passages),
			e.Passages[0].AStart, e.Passages[0].AEnd, e.Passages[0].BStart, e.Passages[0].BEnd)
	default:
		ew.printf("  no match: neither near-duplicates nor a copied passage\n")
	}
	switch e.ContainedIn() {
	case 0:
		ew.printf("  A is contained in B: %.3f of its %d-grams are in B\n", e.Containment[0], e.N)
	case 1:
		ew.printf("  B is contained in A: %.3f of its %d-grams are in A\n", e.Containment[1], e.N)
	case 2:
		ew.printf("  each contains the other: %.3f of A's %d-grams are in B, %.3f of B's in A\n",
			e.Containment[0], e.N, e.Containment[1])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printer formats into a builder, which cannot fail; the text is written out at once.
type printer struct{ b *strings.Builder }

func (p printer) printf(format string, a ...any) { fmt.Fprintf(p.b, format, a...) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// explainExcerpt quotes the start and the end of s, cleaned for the terminal.
func explainExcerpt(s string, keep int) string {
	s = Clean(s)
	rs := []rune(s)
	if len(rs) <= 2*keep+1 {
		return "“" + s + "”"
	}
	return "“" + string(rs[:keep]) + " … " + string(rs[len(rs)-keep:]) + "”"
}

// The JSON form of an explanation. Field names are stable: scripts read them.
type (
	explainDoc struct {
		Path        string  `json:"path"`
		Chars       int     `json:"chars"`
		Normalized  int     `json:"normalized_chars"`
		Grams       int     `json:"ngrams"`
		Fingerprint string  `json:"fingerprint"`
		Clauses     int     `json:"clauses"`
		Contained   float64 `json:"containment"` // share of its n-grams found in the other
	}
	explainCheck struct {
		Name      string  `json:"name"`
		Flag      string  `json:"flag"`
		Value     float64 `json:"value"`
		Threshold float64 `json:"threshold"`
		Compare   string  `json:"compare"` // ">=" or "<="
		Passes    bool    `json:"passes"`
	}
	explainSpan struct {
		Length int `json:"length"`
		AStart int `json:"a_start"`
		AEnd   int `json:"a_end"`
		BStart int `json:"b_start"`
		BEnd   int `json:"b_end"`
	}
	explainOut struct {
		Schema        string         `json:"schema"`
		NGram         int            `json:"ngram"`
		A             explainDoc     `json:"a"`
		B             explainDoc     `json:"b"`
		Jaccard       float64        `json:"jaccard"`
		SharedGrams   int            `json:"shared_ngrams"`
		Distance      int            `json:"distance"`
		SharedClauses int            `json:"shared_clauses"`
		NearClauses   int            `json:"near_clauses"`
		Longest       *explainSpan   `json:"longest_common,omitempty"`
		Checks        []explainCheck `json:"checks"`
		ContainedIn   string         `json:"contained,omitempty"` // "a_in_b", "b_in_a", "both" or absent
		NearDuplicate bool           `json:"near_duplicate"`
		Passages      []explainSpan  `json:"passages"`
		ContainedAt   float64        `json:"contained_at"`
	}
)

// WriteExplanationJSON writes the explanation as JSON (schema neardup-explain/1).
func WriteExplanationJSON(w io.Writer, e match.Explanation, docs [2]*corpus.Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(explainJSON(e, docs))
}

func explainJSON(e match.Explanation, docs [2]*corpus.Document) explainOut {
	doc := func(i int) explainDoc {
		return explainDoc{
			Path: docs[i].Path, Chars: e.Chars[i], Normalized: e.Normalized[i], Grams: e.Grams[i],
			Fingerprint: fmt.Sprintf("%016x", e.Fingerprints[i]), Clauses: e.Clauses[i],
			Contained: Round3(e.Containment[i]),
		}
	}
	out := explainOut{
		Schema: "neardup-explain/1", NGram: e.N, A: doc(0), B: doc(1),
		Jaccard: Round3(e.Jaccard), SharedGrams: e.SharedGrams, Distance: e.Distance,
		SharedClauses: e.SharedClauses, NearClauses: e.NearClauses,
		NearDuplicate: e.Duplicate, Passages: []explainSpan{}, ContainedAt: match.ContainedAt,
	}
	if e.Longest.Length > 0 {
		l := e.Longest
		out.Longest = &explainSpan{l.Length, l.AStart, l.AEnd, l.BStart, l.BEnd}
	}
	for _, c := range e.Checks {
		cmp := ">="
		if c.AtMost {
			cmp = "<="
		}
		value := c.Value
		if c.Option == "MinSimilarity" {
			value = Round3(value)
		}
		out.Checks = append(out.Checks, explainCheck{
			Name: c.Name, Flag: checkFlag[c.Option], Value: value, Threshold: c.Threshold, Compare: cmp, Passes: c.Passes,
		})
	}
	switch e.ContainedIn() {
	case 0:
		out.ContainedIn = "a_in_b"
	case 1:
		out.ContainedIn = "b_in_a"
	case 2:
		out.ContainedIn = "both"
	}
	for _, p := range e.Passages {
		out.Passages = append(out.Passages, explainSpan{max(p.ALength, p.BLength), p.AStart, p.AEnd, p.BStart, p.BEnd})
	}
	return out
}
