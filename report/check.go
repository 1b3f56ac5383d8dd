package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Finding is one verified duplicate or passage that a check found, with its identity in a
// baseline of accepted findings (package baseline) and whether the baseline accepts it.
// Exactly one of Duplicate and Passage is set.
type Finding struct {
	Duplicate *Duplicate
	Passage   *Passage
	ID        string
	Accepted  bool
}

// Kind is "duplicate" or "passage".
func (f *Finding) Kind() string {
	if f.Duplicate != nil {
		return "duplicate"
	}
	return "passage"
}

// Paths are the two documents of the finding.
func (f *Finding) Paths() (a, b string) {
	if f.Duplicate != nil {
		return f.Duplicate.A, f.Duplicate.B
	}
	return f.Passage.A, f.Passage.B
}

// Failing returns r with only the findings that are not accepted, the form a check
// writes as JSON.
func Failing(r *Result, findings []Finding) *Result {
	out := *r
	out.Duplicates, out.Passages = nil, nil
	for _, fd := range findings {
		switch {
		case fd.Accepted:
		case fd.Duplicate != nil:
			out.Duplicates = append(out.Duplicates, *fd.Duplicate)
		default:
			out.Passages = append(out.Passages, *fd.Passage)
		}
	}
	return &out
}

// CheckSummary is what the last line of a check's text report counts.
type CheckSummary struct {
	Files      int    // documents checked
	Indexed    int    // documents of the corpus
	Candidates int    // corpus documents verified on the text
	Baseline   string // the baseline file as it is named to the user
}

// WriteCheckText writes the findings of a check, those that fail first, then those the
// baseline accepts, and a summary line.
func WriteCheckText(w io.Writer, findings []Finding, s CheckSummary) error {
	var b strings.Builder
	failed, accepted := 0, 0
	for _, pass := range []bool{false, true} {
		for _, fd := range findings {
			if fd.Accepted != pass {
				continue
			}
			label := "near-duplicate"
			if fd.Passage != nil {
				label = "copied passage"
			} else if d := fd.Duplicate; d != nil && d.Relation != "" && d.Relation != "near-copy" {
				label = "contained document" // one document holds most of the other
			}
			if pass {
				label = "accepted " + label
				accepted++
			} else {
				failed++
			}
			if d := fd.Duplicate; d != nil {
				fmt.Fprintf(&b, "%s: %s and %s (similarity %.3f, fingerprint distance %d)\n",
					label, Clean(d.A), Clean(d.B), d.Similarity, d.Distance)
				continue
			}
			p := fd.Passage
			fmt.Fprintf(&b, "%s: %s [%d,%d) and %s [%d,%d) (similarity %.3f)\n    %q\n",
				label, Clean(p.A), p.AStart, p.AEnd, Clean(p.B), p.BStart, p.BEnd, p.Similarity,
				Excerpt(p.Excerpt, 60))
		}
	}
	fmt.Fprintf(&b, "neardup: checked %s against %s and each other (%s verified): ",
		Count(s.Files, "file"), Count(s.Indexed, "indexed document"), Count(s.Candidates, "candidate"))
	if failed == 0 && accepted == 0 {
		b.WriteString("no near-duplicates or copied passages\n")
	} else {
		b.WriteString(Count(failed, "finding"))
		if accepted > 0 {
			fmt.Fprintf(&b, ", %d more accepted by the baseline %s", accepted, s.Baseline)
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

// WriteSARIF writes the findings of a check as a SARIF 2.1.0 log, for code-scanning tools:
// one result per finding, accepted ones marked as suppressed. texts holds the documents'
// texts by path, to turn offsets into lines and columns.
func WriteSARIF(w io.Writer, findings []Finding, texts map[string]string) error {
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0"}
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	run.Tool.Driver.Name = "neardup"
	run.Tool.Driver.InformationURI = "https://github.com/neardup/neardup"
	run.Tool.Driver.Rules = []sarifRule{
		{ID: "near-duplicate", ShortDescription: sarifMessage{"The document near-duplicates another document."}},
		{ID: "copied-passage", ShortDescription: sarifMessage{"A passage is copied from another document."}},
	}
	for _, fd := range findings {
		res := sarifResult{Level: "error", PartialFingerprints: map[string]string{"neardupFinding/v1": fd.ID}}
		if d := fd.Duplicate; d != nil {
			res.RuleID = "near-duplicate"
			res.Message.Text = fmt.Sprintf("%s near-duplicates %s (similarity %.3f).", d.A, d.B, d.Similarity)
			res.Locations = []sarifLocation{sarifLoc(d.A, texts[d.A], 0, 0, true)}
			rel := sarifLoc(d.B, texts[d.B], 0, 0, true)
			rel.ID = 1
			res.RelatedLocations = []sarifLocation{rel}
		} else {
			p := fd.Passage
			res.RuleID = "copied-passage"
			res.Message.Text = fmt.Sprintf("Passage copied from %s (similarity %.3f): %s", p.B, p.Similarity, Excerpt(p.Excerpt, 60))
			res.Locations = []sarifLocation{sarifLoc(p.A, texts[p.A], p.AStart, p.AEnd, false)}
			rel := sarifLoc(p.B, texts[p.B], p.BStart, p.BEnd, false)
			rel.ID = 1
			res.RelatedLocations = []sarifLocation{rel}
		}
		if fd.Accepted {
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
