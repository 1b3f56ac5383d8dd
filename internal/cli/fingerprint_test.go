package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/text"
)

const sampleCorpus = "../../testdata/corpus"

// TestFingerprintMatchesScan holds fingerprint to its promise: the same 64 bits that scan
// reports for each document, in the same order.
func TestFingerprintMatchesScan(t *testing.T) {
	code, out, errOut := run(t, "scan", "--format", "json", "--quiet", sampleCorpus)
	if code != exitOK {
		t.Fatalf("scan exit %d: %s", code, errOut)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "fingerprint", sampleCorpus)
	if code != exitOK {
		t.Fatalf("fingerprint exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(res.Documents) || len(lines) < 5 {
		t.Fatalf("fingerprint printed %d lines, scan reports %d documents", len(lines), len(res.Documents))
	}
	for i, d := range res.Documents {
		if want := d.Fingerprint + "  " + d.Path; lines[i] != want {
			t.Errorf("line %d = %q, want %q", i, lines[i], want)
		}
	}
}

// TestFingerprintJobs runs both output forms with one worker and with several: the bytes
// must be the same.
func TestFingerprintJobs(t *testing.T) {
	for _, mode := range [][]string{nil, {"--passages"}} {
		t.Run(fmt.Sprint("mode", mode), func(t *testing.T) {
			var outs []string
			for _, jobs := range []string{"1", "4", "7"} {
				args := append([]string{"fingerprint", "--jobs", jobs}, mode...)
				code, out, errOut := run(t, append(args, sampleCorpus)...)
				if code != exitOK {
					t.Fatalf("--jobs %s: exit %d: %s", jobs, code, errOut)
				}
				outs = append(outs, out)
			}
			if outs[0] == "" {
				t.Fatal("no output")
			}
			for i := 1; i < len(outs); i++ {
				if outs[i] != outs[0] {
					t.Errorf("output with more jobs differs from --jobs 1")
				}
			}
		})
	}
}

// TestFingerprintPassages checks that each passage line names a clause of the document, in
// order, with offsets in bounds.
func TestFingerprintPassages(t *testing.T) {
	path := filepath.Join(sampleCorpus, "003_3f59fbc2fd11db04.txt")
	code, out, errOut := run(t, "fingerprint", "--passages", path)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	var clauses []text.Span
	for _, sp := range text.Clauses(doc) {
		if len(text.AppendNormalized(nil, string([]rune(doc)[sp.Start:sp.End]))) > 0 {
			clauses = append(clauses, sp)
		}
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(clauses) || len(lines) < 10 {
		t.Fatalf("%d passage lines, want one per non-empty clause (%d)", len(lines), len(clauses))
	}
	chars := utf8.RuneCountInString(doc)
	for i, line := range lines {
		f := strings.SplitN(line, "  ", 4)
		if len(f) != 4 || len(f[0]) != 16 || f[3] != path {
			t.Fatalf("line %d %q: want HEX16  START  END  PATH", i, line)
		}
		if _, err := strconv.ParseUint(f[0], 16, 64); err != nil || strings.ToLower(f[0]) != f[0] {
			t.Errorf("line %d: %q is not lower-case hex", i, f[0])
		}
		start, err1 := strconv.Atoi(f[1])
		end, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || start < 0 || end > chars || start >= end {
			t.Fatalf("line %d: offsets %q %q out of [0,%d]", i, f[1], f[2], chars)
		}
		if start != clauses[i].Start || end != clauses[i].End {
			t.Errorf("line %d: span %d-%d, clause %d is %d-%d", i, start, end, i, clauses[i].Start, clauses[i].End)
		}
	}
}

func TestFingerprintCLI(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	article := filepath.Join(dir, "a.txt")
	writeText(t, empty, "")
	writeText(t, article, "中共中央政治局委员、中央外事工作委员会办公室主任王毅等出席欢迎仪式。")
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    string // substring of stdout
		wantErr    string // substring of stderr
		wantNoErr  bool   // stderr must be empty
		wantNLines int    // lines on stdout, when > 0
	}{
		{name: "help", args: []string{"-h"}, wantCode: exitOK, wantOut: "HEX16  PATH"},
		{name: "no input", args: nil, wantCode: exitUsage, wantErr: "no input"},
		{name: "missing path", args: []string{filepath.Join(dir, "nope")}, wantCode: exitUsage, wantErr: "no such file"},
		{name: "bad encoding", args: []string{"--encoding", "klingon", article}, wantCode: exitUsage, wantErr: "unknown encoding"},
		{name: "bad jobs", args: []string{"--jobs", "0", article}, wantCode: exitUsage, wantErr: "--jobs"},
		{name: "skips with a warning", args: []string{empty, article}, wantCode: exitOK, wantErr: "skipping " + empty, wantNLines: 1},
		{name: "quiet skips silently", args: []string{"-q", empty, article}, wantCode: exitOK, wantNoErr: true, wantNLines: 1},
		{name: "only skipped files", args: []string{"-q", empty}, wantCode: exitUsage, wantErr: "no document"},
		{name: "stdin", args: []string{"-"}, stdin: "王毅等出席欢迎仪式。", wantCode: exitOK, wantOut: "  -\n", wantNLines: 1},
		{name: "stdin named twice is read once", args: []string{"-q", "-", article, "-"}, stdin: "王毅等出席欢迎仪式。", wantCode: exitOK, wantNLines: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv()
			e.Stdin = strings.NewReader(tt.stdin)
			code := Run(append([]string{"fingerprint"}, tt.args...), &e.Env)
			out, errOut := e.out.String(), e.err.String()
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout %q, want it to hold %q", out, tt.wantOut)
			}
			if !strings.Contains(errOut, tt.wantErr) || (tt.wantNoErr && errOut != "") {
				t.Errorf("stderr %q, want %q", errOut, tt.wantErr)
			}
			if n := strings.Count(out, "\n"); tt.wantNLines > 0 && n != tt.wantNLines {
				t.Errorf("%d lines on stdout, want %d: %q", n, tt.wantNLines, out)
			}
		})
	}
}

// TestScanJobs: the scan report must not depend on the number of workers.
func TestScanJobs(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			var outs []string
			for _, jobs := range []string{"1", "4"} {
				code, out, errOut := run(t, "scan", "--quiet", "--format", format, "--jobs", jobs, "--min-docs", "2", sampleCorpus)
				if code != exitOK {
					t.Fatalf("--jobs %s: exit %d: %s", jobs, code, errOut)
				}
				outs = append(outs, out)
			}
			if !strings.Contains(outs[0], "100_repost_of_003") {
				t.Fatalf("scan found nothing to compare: %q", outs[0])
			}
			if outs[0] != outs[1] {
				t.Errorf("--jobs 4 output differs from --jobs 1")
			}
		})
	}
}
