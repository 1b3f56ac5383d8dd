package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/neardup/neardup/internal/golden"
)

// TestScripts runs the command-line cases in testdata/cli/*.txtar in-process, the way gojq's
// cli/test.yaml does. An archive is a folder and a sequence of runs, each in that folder:
//
//	-- file:articles/a.txt --   a file written into the folder before the first run
//	-- args --                  one line: the arguments ('quoted' words may hold spaces;
//	                            $ROOT is the repository root)
//	-- stdin --                 optional: what standard input holds
//	-- exit --                  the exit status
//	-- stdout --                what the run writes to standard output
//	-- stderr --                and to standard error
//
// In the outputs, the repository root reads $ROOT and the folder $WORK. go test -update
// rewrites exit, stdout and stderr of every run from what the runs print.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "testdata", "cli", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata/cli: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runScript(t, root, file)
		})
	}
}

// scriptRun is one run of an archive: its args section and the sections after it.
type scriptRun struct {
	args                 string
	stdin                string
	exit, stdout, stderr *txtar.File // nil when the archive lacks them
}

func runScript(t *testing.T, root, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	var runs []*scriptRun
	for i := range ar.Files {
		f := &ar.Files[i]
		switch name := f.Name; {
		case strings.HasPrefix(name, "file:"):
			path := filepath.Join(work, filepath.FromSlash(strings.TrimPrefix(name, "file:")))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		case name == "args":
			runs = append(runs, &scriptRun{args: strings.TrimSpace(string(f.Data))})
		case len(runs) == 0:
			t.Fatalf("section %q before the first args", name)
		case name == "stdin":
			runs[len(runs)-1].stdin = string(f.Data)
		case name == "exit":
			runs[len(runs)-1].exit = f
		case name == "stdout":
			runs[len(runs)-1].stdout = f
		case name == "stderr":
			runs[len(runs)-1].stderr = f
		default:
			t.Fatalf("unknown section %q", name)
		}
	}
	if len(runs) == 0 {
		t.Fatal("no args section: the archive runs nothing")
	}
	t.Chdir(work)
	// The folder as the commands see it (the temporary folder may be behind a link).
	cwd, _ := os.Getwd()
	clean := func(s string) []byte {
		for _, dir := range []string{work, cwd} {
			s = strings.ReplaceAll(s, dir, "$WORK")
		}
		return []byte(strings.ReplaceAll(s, root, "$ROOT"))
	}
	var rewritten []txtar.File // under -update: the archive with every run's new output
	next := 0
	for _, f := range ar.Files {
		switch f.Name {
		case "args":
		case "stdin", "exit", "stdout", "stderr":
			continue
		default:
			rewritten = append(rewritten, f)
			continue
		}
		r := runs[next]
		next++
		args := splitArgs(strings.ReplaceAll(r.args, "$ROOT", root))
		var out, errOut bytes.Buffer
		env := &Env{Stdin: strings.NewReader(r.stdin), Stdout: &out, Stderr: &errOut}
		code := Run(args, env)
		got := map[string][]byte{
			"exit":   []byte(strconv.Itoa(code) + "\n"),
			"stdout": clean(out.String()),
			"stderr": clean(errOut.String()),
		}
		rewritten = append(rewritten, f)
		if r.stdin != "" {
			rewritten = append(rewritten, txtar.File{Name: "stdin", Data: []byte(r.stdin)})
		}
		for _, sec := range []struct {
			name string
			f    *txtar.File
		}{{"exit", r.exit}, {"stdout", r.stdout}, {"stderr", r.stderr}} {
			rewritten = append(rewritten, txtar.File{Name: sec.name, Data: got[sec.name]})
			switch {
			case golden.Updating():
			case sec.f == nil:
				t.Errorf("neardup %s: no %s section (run go test -update to add it)", r.args, sec.name)
			case !bytes.Equal(sec.f.Data, got[sec.name]):
				t.Errorf("neardup %s: %s differs from %s; if the change is right, run go test -update and review:\n%s",
					r.args, sec.name, filepath.Base(file), golden.Diff(got[sec.name], sec.f.Data))
			}
		}
	}
	if golden.Updating() {
		ar.Files = rewritten
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// splitArgs splits a line into words at spaces; 'single quotes' keep spaces in a word.
func splitArgs(line string) []string {
	var args []string
	var word strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				args = append(args, word.String())
				word.Reset()
			}
			inWord = false
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		args = append(args, word.String())
	}
	return args
}

// Every help text fits a terminal of 80 columns.
func TestHelpWithin80Columns(t *testing.T) {
	texts := map[string]string{"neardup": usage}
	for name, c := range commands {
		texts[name] = c.usage
	}
	for name, text := range texts {
		for i, line := range strings.Split(text, "\n") {
			if n := utf8.RuneCountInString(line); n > 80 {
				t.Errorf("%s help, line %d: %d columns: %q", name, i+1, n, line)
			}
		}
	}
}
