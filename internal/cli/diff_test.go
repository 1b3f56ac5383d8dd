package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// diffEnv is an Env whose stdout is a terminal of ttyWidth cells when ttyWidth > 0.
func diffEnv(stdin string, ttyWidth int, vars map[string]string) (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string { return vars[k] },
		IsTerminal: func(w io.Writer) (bool, int) {
			return ttyWidth > 0 && w == io.Writer(&out), ttyWidth
		},
	}, &out, &errOut
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var (
	ansi      = regexp.MustCompile("\x1b\\[[0-9;]*m")
	diffCells = &runewidth.Condition{StrictEmojiNeutral: true}
)

// maxLineWidth is the widest line of out in display cells, colour codes not counted.
func maxLineWidth(out string) int {
	widest := 0
	for _, line := range strings.Split(ansi.ReplaceAllString(out, ""), "\n") {
		w := 0
		for _, r := range line {
			w += diffCells.RuneWidth(r)
		}
		widest = max(widest, w)
	}
	return widest
}

const (
	diffOld = "新华社北京3月5日电 国务院总理今天在人民大会堂作政府工作报告。\n会议强调，要坚持稳中求进工作总基调。\n"
	diffNew = "新华社北京3月5日电（记者张三）国务院总理5日在人民大会堂作政府工作报告。\n会议指出，要坚持稳中求进工作总基调。\n新加的一段。\n"
)

func TestDiffCommand(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": diffOld, "b.txt": diffNew, "empty.txt": "", "bin.dat": "\x00\x01\x02\x03binary\x00"})
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	tests := []struct {
		name     string
		args     []string
		stdin    string
		tty      int
		vars     map[string]string
		code     int
		want     []string // in stdout
		wantNot  []string // not in stdout
		stderr   string   // in stderr
		maxWidth int
	}{
		{name: "help", args: []string{"-h"}, want: []string{"Usage: neardup diff", "0 if the files are the same", "1 if\nthey differ"}},
		{name: "pipe marks changes without colour", code: exitFindings, args: []string{a, b}, want: []string{"[-今天-]", "{+5日+}", "> 3 {+新加的一段。+}"}, wantNot: []string{"\x1b"}, maxWidth: 100},
		{name: "identical files exit 0", args: []string{a, a}, wantNot: []string{"[-", "{+", "|"}},
		{name: "terminal gets colour and its width", code: exitFindings, args: []string{a, b}, tty: 70, want: []string{"\x1b[31;7m", "\x1b[32;7m5日\x1b[0m", "/001/a.txt"}, wantNot: []string{"[-"}, maxWidth: 70},
		{name: "NO_COLOR on a terminal", code: exitFindings, args: []string{a, b}, tty: 70, vars: map[string]string{"NO_COLOR": "1"}, want: []string{"[-今天-]"}, wantNot: []string{"\x1b"}, maxWidth: 70},
		{name: "color always in a pipe", code: exitFindings, args: []string{"--color", "always", a, b}, want: []string{"\x1b[31;7m"}},
		{name: "color never on a terminal", code: exitFindings, args: []string{"--color=never", a, b}, tty: 70, wantNot: []string{"\x1b"}},
		{name: "explicit width", code: exitFindings, args: []string{"-w", "60", a, b}, tty: 200, maxWidth: 60},
		{name: "stdin", code: exitFindings, args: []string{"-", b}, stdin: diffOld, want: []string{"[-今天-]"}},
		{name: "empty file", code: exitFindings, args: []string{filepath.Join(dir, "empty.txt"), b}, want: []string{"> 1 {+新华社"}},
		{name: "html to stdout", code: exitFindings, args: []string{"--format", "html", a, b}, want: []string{"<!DOCTYPE html>", "<del>今天</del>", "<ins>5日</ins>"}},
		{name: "one file", args: []string{a}, code: exitUsage, stderr: "want two files, got 1"},
		{name: "missing file", args: []string{a, filepath.Join(dir, "nope.txt")}, code: exitUsage, stderr: "nope.txt"},
		{name: "binary file", args: []string{a, filepath.Join(dir, "bin.dat")}, code: exitUsage, stderr: "cannot compare"},
		{name: "bad colour", args: []string{"--color", "sometimes", a, b}, code: exitUsage, stderr: `unknown --color "sometimes"`},
		{name: "bad format", args: []string{"--format", "json", a, b}, code: exitUsage, stderr: `unknown --format "json"`},
		{name: "too narrow", args: []string{"--width", "10", a, b}, code: exitUsage, stderr: "too narrow"},
		{name: "two stdins", args: []string{"-", "-"}, code: exitUsage, stderr: "only one of A and B"},
		{name: "output onto an input", args: []string{a, b, "-o", b}, code: exitUsage, stderr: "is an input"},
		{name: "output onto a folder", args: []string{a, b, "-o", dir}, code: exitUsage, stderr: "is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, out, errOut := diffEnv(tt.stdin, tt.tty, tt.vars)
			if code := Run(append([]string{"diff"}, tt.args...), env); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out.String(), w) {
					t.Errorf("stdout holds %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", errOut, tt.stderr)
			}
			if tt.maxWidth > 0 {
				if w := maxLineWidth(out.String()); w > tt.maxWidth {
					t.Errorf("a line is %d cells wide, more than %d", w, tt.maxWidth)
				}
			}
		})
	}
}

func TestDiffOutputFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.txt": diffOld, "b.txt": diffNew})
	for _, name := range []string{"diff.html", "diff.txt"} {
		t.Run(name, func(t *testing.T) {
			env, out, errOut := diffEnv("", 80, nil)
			path := filepath.Join(dir, name)
			if code := Run([]string{"diff", "-o", path, filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}, env); code != exitFindings {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out.Len() != 0 {
				t.Errorf("stdout is not empty: %q", out)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			isHTML := strings.HasPrefix(string(data), "<!DOCTYPE html>")
			if isHTML != strings.HasSuffix(name, ".html") {
				t.Errorf("%s: html = %v", name, isHTML)
			}
			if strings.Contains(string(data), "\x1b") {
				t.Errorf("%s holds colour codes: a file is not a terminal", name)
			}
		})
	}
}

// TestDiffWidth80 checks the promise of --width: no line wider, whatever the script.
func TestDiffWidth80(t *testing.T) {
	rep := strings.Repeat
	cases := map[string][2]string{
		"chinese":                        {rep("国务院总理今天在人民大会堂作政府工作报告，", 40) + "\n第二段。\n", rep("国务院总理5日在人民大会堂作政府工作报告，", 40) + "\n第二段！\n"},
		"english":                        {rep("The committee approved the budget for next year. ", 30) + "\n", rep("The committee rejected the budget for this year. ", 30) + "\n"},
		"mixed":                          {rep("GDP增长5.2%，CPI上涨0.2%；", 30) + "\n", rep("GDP增长5.0%，CPI下降0.3%；", 30) + "\n"},
		"wide characters at wrap points": {"a" + rep("汉", 300) + "\n", "ab" + rep("汉", 301) + "\n"},
		"one very long line":             {rep("甲乙丙丁", 2000), rep("甲乙丙戊", 2000)},
	}
	for name, ab := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"a.txt": ab[0], "b.txt": ab[1]})
			for _, color := range []string{"never", "always"} {
				env, out, errOut := diffEnv("", 0, nil)
				code := Run([]string{"diff", "--width", "80", "--color", color, filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}, env)
				if code != exitFindings {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				if w := maxLineWidth(out.String()); w > 80 {
					t.Errorf("--color %s: a line is %d cells wide", color, w)
				}
				if strings.Count(out.String(), "\n") < 3 {
					t.Errorf("--color %s: output too short to have wrapped:\n%s", color, out)
				}
			}
		})
	}
}

// longText is the five seed articles of testdata/corpus one after another, 16,000 characters
// of real news pages with long one-line paragraphs: the shape of a work report.
func longText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, name := range []string{"000_23cf1a7057c403ae.txt", "001_48da54082cd1e79e.txt", "002_833e7cf23b0882c7.txt", "003_3f59fbc2fd11db04.txt", "004_88eef64a6bcd9e22.txt"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}

// replaceOnce changes the first old in s, failing the test if there is none.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q to change", old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestDiffOneWordInALongText is the case of the 20,000-character work report with one word
// changed: a short diff, exit 1; the same file, exit 0.
func TestDiffOneWordInALongText(t *testing.T) {
	type pair struct{ name, a, b string }
	orig := longText(t)
	cases := []pair{{"seeds", orig, replaceOnce(t, orig, "派出所所长", "派出所长")}}
	// The real report, when the shared corpora are on this machine.
	if data, err := os.ReadFile("../../../shared/corpora/gov-work-reports/texts/2019.txt"); err == nil {
		cases = append(cases, pair{"2019 work report", string(data), replaceOnce(t, string(data), "稳中求进", "稳中有进")})
	} else {
		t.Logf("2019 work report not checked: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if n := len([]rune(c.a)); n < 15000 {
				t.Fatalf("the text is only %d characters", n)
			}
			dir := writeFiles(t, map[string]string{"a.txt": c.a, "b.txt": c.b})
			a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")

			env, out, errOut := diffEnv("", 0, nil)
			if code := Run([]string{"diff", a, b}, env); code != exitFindings {
				t.Fatalf("changed copy: exit %d, want 1: %s", code, errOut)
			}
			got := out.String()
			if n := strings.Count(got, "\n"); n >= 40 {
				t.Errorf("one changed word takes %d lines:\n%s", n, got)
			}
			if !strings.Contains(got, "1 row changed") || !strings.Contains(got, "unchanged lines hidden") {
				t.Errorf("no summary or no fold note:\n%s", got)
			}

			env, out, errOut = diffEnv("", 0, nil)
			if code := Run([]string{"diff", a, a}, env); code != exitOK {
				t.Fatalf("same file: exit %d, want 0: %s", code, errOut)
			}
			if n := strings.Count(out.String(), "\n"); n > 3 || !strings.Contains(out.String(), "no differences") {
				t.Errorf("identical files print %d lines:\n%s", n, out)
			}

			env, out, _ = diffEnv("", 0, nil)
			if code := Run([]string{"diff", "--full", a, b}, env); code != exitFindings {
				t.Fatalf("--full: exit %d", code)
			}
			if strings.Contains(out.String(), "hidden") || strings.Count(out.String(), "\n") < 300 {
				t.Errorf("--full hides lines (%d lines)", strings.Count(out.String(), "\n"))
			}
		})
	}
}

func TestDiffContextAndColumns(t *testing.T) {
	var a strings.Builder
	for i := range 30 {
		fmt.Fprintf(&a, "第%d段，内容不变。\n", i+1)
	}
	b := replaceOnce(t, a.String(), "第15段，内容不变。", "第15段，内容改了。")
	dir := writeFiles(t, map[string]string{"a.txt": a.String(), "b.txt": b})
	pa, pb := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	tests := []struct {
		name     string
		args     []string
		vars     map[string]string
		tty      int
		lines    int // lines written, 0: not checked
		maxWidth int
		code     int
	}{
		{name: "default context 3", args: []string{pa, pb}, lines: 1 + 1 + 7 + 1 + 1, code: exitFindings},
		{name: "context 1", args: []string{"--context", "1", pa, pb}, lines: 1 + 1 + 3 + 1 + 1, code: exitFindings},
		{name: "-U 0", args: []string{"-U0", pa, pb}, lines: 1 + 1 + 1 + 1 + 1, code: exitFindings},
		{name: "full", args: []string{"--full", pa, pb}, lines: 1 + 30 + 1, code: exitFindings},
		{name: "COLUMNS in a pipe", args: []string{pa, pb}, vars: map[string]string{"COLUMNS": "50"}, maxWidth: 50, code: exitFindings},
		{name: "terminal width over COLUMNS", args: []string{pa, pb}, vars: map[string]string{"COLUMNS": "200"}, tty: 60, maxWidth: 60, code: exitFindings},
		{name: "bad COLUMNS is ignored", args: []string{pa, pb}, vars: map[string]string{"COLUMNS": "wide"}, maxWidth: 100, code: exitFindings},
		{name: "negative context", args: []string{"--context", "-1", pa, pb}, code: exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, out, errOut := diffEnv("", tt.tty, tt.vars)
			if code := Run(append([]string{"diff", "--color", "never"}, tt.args...), env); code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errOut)
			}
			if n := strings.Count(out.String(), "\n"); tt.lines > 0 && n != tt.lines {
				t.Errorf("%d lines, want %d:\n%s", n, tt.lines, out)
			}
			if tt.maxWidth > 0 {
				if w := maxLineWidth(out.String()); w > tt.maxWidth || w < tt.maxWidth-10 {
					t.Errorf("widest line %d cells, want about %d:\n%s", w, tt.maxWidth, out)
				}
			}
		})
	}
}

func TestDiffNormalized(t *testing.T) {
	orig := longText(t)
	// The same text with every half-width comma made full-width, as a repost might.
	retyped := strings.ReplaceAll(orig, ",", "，")
	if retyped == orig {
		t.Fatal("the text has no half-width comma")
	}
	edited := replaceOnce(t, retyped, "派出所所长", "派出所长")
	dir := writeFiles(t, map[string]string{"a.txt": orig, "b.txt": retyped, "c.txt": edited})
	a, b, c := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt"), filepath.Join(dir, "c.txt")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{a, b}, exitFindings, "[-,-]"},
		{[]string{"--normalized", a, b}, exitOK, "no differences once normalised"},
		{[]string{"--normalized", a, c}, exitFindings, "1 row changed: 1 character deleted, 0 inserted"},
	}
	for _, tt := range tests {
		env, out, errOut := diffEnv("", 0, nil)
		if code := Run(append([]string{"diff"}, tt.args...), env); code != tt.code {
			t.Fatalf("%v: exit %d, want %d: %s", tt.args, code, tt.code, errOut)
		}
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%v: output lacks %q:\n%s", tt.args, tt.want, out)
		}
	}
	// The normalised diff still shows the original text of each side.
	env, out, _ := diffEnv("", 0, nil)
	Run([]string{"diff", "--normalized", "-U0", a, c}, env)
	if !strings.Contains(out.String(), "，") || !strings.Contains(out.String(), ",") {
		t.Errorf("the sides lost their own punctuation:\n%s", out)
	}
}
