package cli

import (
	"bytes"
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
		{name: "help", args: []string{"-h"}, want: []string{"Usage: neardup diff", "Exit status: 0 whether or not the files differ"}},
		{name: "pipe marks changes without colour", args: []string{a, b}, want: []string{"[-今天-]", "{+5日+}", "> 3 {+新加的一段。+}"}, wantNot: []string{"\x1b"}, maxWidth: 100},
		{name: "identical files exit 0", args: []string{a, a}, wantNot: []string{"[-", "{+", "|"}},
		{name: "terminal gets colour and its width", args: []string{a, b}, tty: 70, want: []string{"\x1b[31;7m", "\x1b[32;7m5日\x1b[0m", "/001/a.txt"}, wantNot: []string{"[-"}, maxWidth: 70},
		{name: "NO_COLOR on a terminal", args: []string{a, b}, tty: 70, vars: map[string]string{"NO_COLOR": "1"}, want: []string{"[-今天-]"}, wantNot: []string{"\x1b"}, maxWidth: 70},
		{name: "color always in a pipe", args: []string{"--color", "always", a, b}, want: []string{"\x1b[31;7m"}},
		{name: "color never on a terminal", args: []string{"--color=never", a, b}, tty: 70, wantNot: []string{"\x1b"}},
		{name: "explicit width", args: []string{"-w", "60", a, b}, tty: 200, maxWidth: 60},
		{name: "stdin", args: []string{"-", b}, stdin: diffOld, want: []string{"[-今天-]"}},
		{name: "empty file", args: []string{filepath.Join(dir, "empty.txt"), b}, want: []string{"> 1 {+新华社"}},
		{name: "html to stdout", args: []string{"--format", "html", a, b}, want: []string{"<!DOCTYPE html>", "<del>今天</del>", "<ins>5日</ins>"}},
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
			if code := Run([]string{"diff", "-o", path, filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}, env); code != exitOK {
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
				if code != exitOK {
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
