package cli

import (
	"github.com/neardup/neardup/internal/golden"

	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup/report"
)

// runCLI runs neardup in-process from the repository root, so that paths in the output read as a
// user at the root would type them.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Stdin:      strings.NewReader(stdin),
		Stdout:     &out,
		Stderr:     &errOut,
		Getenv:     func(string) string { return "" },
		IsTerminal: func(io.Writer) (bool, int) { return false, 0 },
	}
	code = Run(args, env)
	return code, out.String(), errOut.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "scan", name), []byte(got))
}

func TestScanGolden(t *testing.T) {
	t.Chdir("../..")
	for _, format := range []string{"text", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", "scan", "--format", format, "testdata/corpus")
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			checkGolden(t, "corpus."+format, out)
		})
	}
	// A family with a chain beside it, an identical copy and dates from a table that names
	// files by their names alone (one row names no document).
	dir := t.TempDir()
	table := filepath.Join(dir, "dates.csv")
	if err := os.WriteFile(table, []byte("path,date\nundated_repost_of_edited.txt,2024-02-28\nnot-in-corpus.txt,2024-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "scan", "--dates", table, "testdata/families")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "1 rows name no document") {
		t.Errorf("stderr %q: want a warning about the row naming no document", errOut)
	}
	checkGolden(t, "families.text", out)
}

// TestScanFindsThePlantedReposts reads the JSON a user would get from the README's first
// command and checks that what the sample corpus was made to contain is found, and no more.
func TestScanFindsThePlantedReposts(t *testing.T) {
	t.Chdir("../..")
	code, out, errOut := runCLI(t, "", "scan", "--format", "json", "testdata/corpus")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Schema != "neardup/1" || len(res.Documents) != 10 {
		t.Fatalf("schema %q, %d documents; want neardup/1 and 10", res.Schema, len(res.Documents))
	}
	want := map[[2]string]bool{
		{"testdata/corpus/003_3f59fbc2fd11db04.txt", "testdata/corpus/100_repost_of_003.txt"}:           true,
		{"testdata/corpus/002_833e7cf23b0882c7.txt", "testdata/corpus/101_forum_repost_of_002.txt"}:     true,
		{"testdata/corpus/200_en_press_release.txt", "testdata/corpus/201_en_press_release_repost.txt"}: true,
	}
	for _, d := range res.Duplicates {
		if !want[[2]string{d.A, d.B}] {
			t.Errorf("unexpected near-duplicate %s ~ %s (%.3f)", d.A, d.B, d.Similarity)
		}
		delete(want, [2]string{d.A, d.B})
		if d.Similarity < 0.5 || d.Similarity > 1 {
			t.Errorf("similarity %.3f out of range", d.Similarity)
		}
	}
	for pair := range want {
		t.Errorf("missed near-duplicate %s ~ %s", pair[0], pair[1])
	}
	// 102 quotes three sentences of 000 (one character changed): the passage must cover them,
	// and cutting the reported offsets out of the files must give that text.
	var found bool
	for _, p := range res.Passages {
		if p.A != "testdata/corpus/000_23cf1a7057c403ae.txt" || p.B != "testdata/corpus/102_meeting_quotes_000.txt" {
			continue
		}
		found = true
		a := cut(t, p.A, p.AStart, p.AEnd)
		b := cut(t, p.B, p.BStart, p.BEnd)
		if !strings.HasPrefix(a, "金伯中在会上肯定了") || !strings.HasSuffix(a, "持之以恒推进基层基础工作。") {
			t.Errorf("passage in A is %q", a)
		}
		if !strings.Contains(b, "力量之源") || !strings.HasPrefix(b, "金伯中在会上肯定了") {
			t.Errorf("passage in B is %q", b)
		}
	}
	if !found {
		t.Errorf("the passage copied from 000 into 102 was not reported; passages: %+v", res.Passages)
	}
}

// cut returns the code points [start,end) of a file, as a user of the JSON would.
func cut(t *testing.T, path string, start, end int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := []rune(string(b))
	if start < 0 || end > len(r) || start > end {
		t.Fatalf("offsets [%d,%d) out of range for %s (%d code points)", start, end, path, len(r))
	}
	return string(r[start:end])
}

func TestScanSameOutputWhateverTheJobs(t *testing.T) {
	t.Chdir("../..")
	_, one, _ := runCLI(t, "", "scan", "--format", "json", "--jobs", "1", "testdata/corpus")
	_, four, _ := runCLI(t, "", "scan", "--format", "json", "--jobs", "4", "testdata/corpus")
	if one != four || one == "" {
		t.Errorf("--jobs 1 and --jobs 4 give different output")
	}
}

func TestScanWritesFileAtomically(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	out := filepath.Join(dir, "result.json")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runCLI(t, "", "scan", "-q", "testdata/corpus", "-o", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res report.Result
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("-o result.json did not write JSON: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the output: %v", entries)
	}

	// A failed write leaves the old file alone: the output folder does not exist.
	code, _, errOut = runCLI(t, "", "scan", "-q", "testdata/corpus", "-o", filepath.Join(dir, "missing", "r.json"))
	if code != exitFailure || !strings.Contains(errOut, "missing") {
		t.Errorf("writing into a missing folder: exit %d, stderr %q", code, errOut)
	}
}

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	article := filepath.Join(dir, "article.txt")
	const articleText = "一段只有一篇的文字，不会和别的重复，也不该被报告覆盖。"
	if err := os.WriteFile(article, []byte(articleText), 0o644); err != nil {
		t.Fatal(err)
	}
	controls := filepath.Join(dir, "evil\x1b[2J\x07.txt")
	if err := os.WriteFile(controls, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"no command", nil, "", exitUsage, "", "Usage:"},
		{"help", []string{"-h"}, "", exitOK, "neardup scan", ""},
		{"scan help", []string{"scan", "-h"}, "", exitOK, "--min-similarity", ""},
		{"unknown command", []string{"scna"}, "", exitUsage, "", `unknown command "scna"`},
		{"no paths", []string{"scan"}, "", exitUsage, "", "no input"},
		{"missing path", []string{"scan", filepath.Join(dir, "nope.txt")}, "", exitUsage, "", "nope.txt"},
		{"empty folder", []string{"scan", empty}, "", exitUsage, "", "no documents"},
		{"bad format", []string{"scan", "--format", "xml", empty}, "", exitUsage, "", "unknown --format"},
		{"bad flag", []string{"scan", "--frobnicate", empty}, "", exitUsage, "", "frobnicate"},
		{"bad similarity", []string{"scan", "--min-similarity", "2", empty}, "", exitUsage, "", "--min-similarity"},
		{"bad min-docs", []string{"scan", "--min-docs", "1", empty}, "", exitUsage, "", "--min-docs"},
		{"missing ignore file", []string{"scan", "--ignore", filepath.Join(dir, "no-list"), "-"}, "一段文字。", exitUsage, "", "no-list"},
		{"stdin", []string{"scan", "-"}, "一段只有一篇的文字，不会和别的重复。", exitOK, "1 document,", ""},
		{"stdin twice", []string{"scan", "-", "-"}, "一段只有一篇的文字，不会和别的重复。", exitOK, "1 document,", "named twice"},
		{"similarity NaN", []string{"scan", "--min-similarity", "NaN", article}, "", exitUsage, "", "--min-similarity"},
		{"jobs 0", []string{"scan", "--jobs", "0", article}, "", exitUsage, "", "--jobs must be at least 1"},
		{"jobs -1", []string{"slogans", "-j", "-1", article}, "", exitUsage, "", "--jobs must be at least 1"},
		{"max-file-size -1", []string{"scan", "--max-file-size", "-1", article}, "", exitUsage, "", "--max-file-size"},
		{"max-file-size 0", []string{"slogans", "--max-file-size", "0", article}, "", exitUsage, "", "--max-file-size"},
		{"output is a folder", []string{"scan", article, "-o", empty}, "", exitUsage, "", "is a folder"},
		{"output is an input", []string{"scan", article, "-o", article}, "", exitUsage, "", "is an input"},
		{"slogans output is an input", []string{"slogans", dir, "-o", article}, "", exitUsage, "", "is an input"},
		{"control characters in a name", []string{"scan", controls, article}, "", exitOK, "", "evil\uFFFD[2J\uFFFD.txt: empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout %q does not contain %q", stdout, tc.stdout)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.stderr)
			}
			if strings.ContainsAny(stderr, "\x1b\x07") {
				t.Errorf("stderr holds a raw control character: %q", stderr)
			}
		})
	}
	if b, err := os.ReadFile(article); err != nil || string(b) != articleText {
		t.Errorf("the input named as output was changed: %q, %v", b, err)
	}
}

// TestScanIgnoreList: a phrase on the ignore list is no evidence of copying, so a passage made
// only of it disappears while the rest of the report stays.
func TestScanIgnoreList(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	list := filepath.Join(dir, "ignore.txt")
	phrase := "金伯中在会上肯定了金华市公安基层基础工作的先进做法及取得的成效。金伯中强调,公安基层基础工作永远在路上,公安基层基础是一切公安工作的力量源泉和关键支撑,是确保经济社会平稳发展的平安基石。要不忘本来,不忘初心,以咬定青山不放松的韧劲和功成不必在我的胸襟,持之以恒推进基层基础工作。"
	if err := os.WriteFile(list, []byte("# quoted by 102\n"+phrase+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, with, _ := runCLI(t, "", "scan", "--format", "json", "testdata/corpus")
	code, without, errOut := runCLI(t, "", "scan", "--format", "json", "--ignore", list, "testdata/corpus")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a, b report.Result
	if err := json.Unmarshal([]byte(with), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(without), &b); err != nil {
		t.Fatal(err)
	}
	if len(a.Passages) == 0 || len(b.Passages) >= len(a.Passages) {
		t.Errorf("passages: %d without the ignore list, %d with it; want fewer with it", len(a.Passages), len(b.Passages))
	}
	if len(b.Duplicates) != len(a.Duplicates) {
		t.Errorf("the ignore list changed the near-duplicates: %d -> %d", len(a.Duplicates), len(b.Duplicates))
	}
}
