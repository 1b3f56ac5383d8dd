package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCalibrateGolden(t *testing.T) {
	t.Chdir("../..")
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := runCLI(t, "", "calibrate", "--format", format, "testdata/corpus")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, "calibrate."+format, out)
			if format == "text" {
				if w := maxLineWidth(out); w > 80 {
					t.Errorf("a line is %d cells wide", w)
				}
			}
		})
	}
}

// TestCalibrateAgreesWithScan: the near-duplicates calibrate counts at a setting are the
// ones scan reports with it, and its tables say so for the other settings too.
func TestCalibrateAgreesWithScan(t *testing.T) {
	t.Chdir("../..")
	type calOut struct {
		Found        int `json:"near_duplicates"`
		Candidates   int `json:"candidates"`
		DocDistances []struct {
			DocDistance int `json:"doc_distance"`
			Found       int `json:"near_duplicates"`
		} `json:"doc_distance_choices"`
		Similarities []struct {
			MinSimilarity float64 `json:"min_similarity"`
			Found         int     `json:"near_duplicates"`
		} `json:"min_similarity_choices"`
		Samples struct {
			Below []struct {
				Similarity float64 `json:"similarity"`
			} `json:"below_min_similarity"`
			Above []struct {
				Similarity float64 `json:"similarity"`
			} `json:"above_min_similarity"`
		} `json:"samples"`
	}
	scanCount := func(args ...string) int {
		code, out, stderr := runCLI(t, "", append([]string{"scan", "--format", "json", "--no-slogans", "testdata/corpus"}, args...)...)
		if code != exitOK {
			t.Fatalf("scan %v: exit %d: %s", args, code, stderr)
		}
		var res struct {
			Duplicates []json.RawMessage `json:"duplicates"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		return len(res.Duplicates)
	}
	code, out, stderr := runCLI(t, "", "calibrate", "--format", "json", "--doc-distance", "6", "--min-similarity", "0.4", "testdata/corpus")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cal calOut
	if err := json.Unmarshal([]byte(out), &cal); err != nil {
		t.Fatal(err)
	}
	if want := scanCount("--doc-distance", "6", "--min-similarity", "0.4"); cal.Found != want || want == 0 {
		t.Errorf("calibrate counts %d near-duplicates, scan reports %d", cal.Found, want)
	}
	for _, row := range cal.DocDistances {
		if row.DocDistance == 10 {
			if want := scanCount("--doc-distance", "10", "--min-similarity", "0.4"); row.Found != want {
				t.Errorf("at --doc-distance 10: calibrate %d, scan %d", row.Found, want)
			}
		}
	}
	for _, row := range cal.Similarities {
		if row.MinSimilarity == 0.7 {
			if want := scanCount("--doc-distance", "6", "--min-similarity", "0.7"); row.Found != want {
				t.Errorf("at --min-similarity 0.7: calibrate %d, scan %d", row.Found, want)
			}
		}
	}
	for _, s := range cal.Samples.Below {
		if s.Similarity >= 0.4 {
			t.Errorf("a sample below the threshold has similarity %v", s.Similarity)
		}
	}
	for _, s := range cal.Samples.Above {
		if s.Similarity < 0.4 {
			t.Errorf("a sample above the threshold has similarity %v", s.Similarity)
		}
	}
}

func TestCalibrateUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		stderr string
	}{
		{nil, "no input"},
		{[]string{"-f", "html", "testdata/corpus"}, `unknown --format "html"`},
		{[]string{"--samples", "-1", "testdata/corpus"}, "--samples must be 0 or more"},
		{[]string{"--doc-distance", "20", "testdata/corpus"}, "--doc-distance must be between 0 and 16"},
		{[]string{"no/such/folder"}, "no such file or folder"},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"calibrate"}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.stderr)
		}
	}
}
