package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/neardup/neardup/internal/golden"
)

// TestSARIFURIIsEscaped: SARIF locations are URI references, so characters a file name may
// hold but a URI may not are percent-encoded.
func TestSARIFURIIsEscaped(t *testing.T) {
	got := sarifLoc(`corp/a "b" <c>.txt`, "text", 0, 1, false).PhysicalLocation.ArtifactLocation.URI
	if want := "corp/a%20%22b%22%20%3Cc%3E.txt"; got != want {
		t.Errorf("uri %q, want %q", got, want)
	}
}

// checkFixture is a check that found a near-duplicate, a copied passage whose excerpt holds
// a control character, and a passage the baseline accepts.
func checkFixture() ([]Finding, map[string]string) {
	texts := map[string]string{
		"new/repost.txt":   "【转载】第一行\n第二行的文字，有一些变化。\n",
		"articles/a.txt":   "第一行\n第二行的文字，有一些变化。\n",
		"new/copier b.txt": "今天的评论。\n聂展云要求，全市公安机关要全要素保障。\n结尾。",
		"articles/c.txt":   "开头。\n聂展云要求，全市公安机关要全要素保障。",
	}
	dup := &Duplicate{A: "new/repost.txt", B: "articles/a.txt", Similarity: 0.81, Distance: 8}
	pas := &Passage{A: "new/copier b.txt", AStart: 7, AEnd: 26, B: "articles/c.txt", BStart: 4, BEnd: 23,
		Similarity: 1, Excerpt: "聂展云要求，\x1b[31m全市公安机关要全要素保障。"}
	old := &Passage{A: "new/copier b.txt", AStart: 0, AEnd: 6, B: "articles/c.txt", BStart: 0, BEnd: 3,
		Similarity: 0.9, Excerpt: "今天的评论。"}
	return []Finding{
		{Duplicate: dup, ID: "d1"},
		{Passage: old, ID: "p0", Accepted: true},
		{Passage: pas, ID: "p1"},
	}, texts
}

func TestCheckTextGolden(t *testing.T) {
	findings, _ := checkFixture()
	var b bytes.Buffer
	if err := WriteCheckText(&b, findings, CheckSummary{Files: 2, Indexed: 5, Candidates: 3, Baseline: ".neardup/baseline.jsonl"}); err != nil {
		t.Fatal(err)
	}
	// Failing findings first, accepted last; nothing raw from the terminal escape.
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("a control character reached the text report")
	}
	if i, j := strings.Index(b.String(), "copied passage: new/copier"), strings.Index(b.String(), "accepted copied passage"); i < 0 || j < i {
		t.Errorf("accepted finding not listed after the failing ones:\n%s", b.String())
	}
	golden.Check(t, "../testdata/check/text.golden", b.Bytes())

	b.Reset()
	if err := WriteCheckText(&b, nil, CheckSummary{Files: 1, Indexed: 1, Candidates: 0}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../testdata/check/text-clean.golden", b.Bytes())
}

func TestSARIFGolden(t *testing.T) {
	findings, texts := checkFixture()
	var b bytes.Buffer
	if err := WriteSARIF(&b, findings, texts); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []any  `json:"suppressions"`
				Locations    []struct {
					PhysicalLocation struct {
						Region struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatalf("SARIF does not parse: %v", err)
	}
	res := log.Runs[0].Results
	if len(res) != 3 || res[0].RuleID != "near-duplicate" || len(res[1].Suppressions) != 1 || len(res[2].Suppressions) != 0 {
		t.Fatalf("results: %+v", res)
	}
	// The passage at code points 7-26 of "今天的评论。\n聂展…" is line 2, columns 1 to 20.
	if r := res[2].Locations[0].PhysicalLocation.Region; r.StartLine != 2 || r.StartColumn != 1 || r.EndLine != 2 || r.EndColumn != 20 {
		t.Errorf("passage region %+v", r)
	}
	golden.Check(t, "../testdata/check/sarif.golden", b.Bytes())
}
