package cli

import (
	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/match"
	"github.com/neardup/neardup/report"
)

const explainUsage = `Usage: neardup explain [flags] A B

Say why two documents match or do not: every measure neardup takes of the
pair, each threshold beside it and whether the pair passes it, and what scan
reports for the two alone. A or B may be - for stdin.

Measures: n-gram Jaccard similarity (what --min-similarity applies to); the
containment of each side in the other (the share of its n-grams found in the
other: near 1 for a text copied whole into a longer one); the fingerprint
distance (--doc-distance); shared clauses, exact or within --passage-distance;
the longest passage both hold word for word once normalised (--min-passage),
with its offsets in code points. The copied passages scan reports tolerate
edits, so they can be longer.

Flags:
    -f, --format FORMAT     text or json (default text)
        --min-similarity X  as for scan (default 0.5)
        --min-passage N     as for scan (default 30)
        --doc-distance K    as for scan (default 10)
        --passage-distance K  as for scan (default 6)
        --encoding NAME     decode both files as NAME (default: detect per file)
    -h, --help              show this help

In a corpus the verdict can differ: there, clauses found in more than
--max-df documents and slogans are not evidence.

Exit status: 0 when the pair was measured, 2 on a usage error, a file that
cannot be read or output that could not be written.

Examples:
    neardup explain a.txt b.txt
    neardup explain --format json a.txt b.txt
`

func init() { commands["explain"] = command{runExplain, explainUsage} }

func runExplain(env *Env, args []string) int {
	fs := newFlagSet("explain")
	def := match.DefaultOptions()
	opt := def
	var format, encoding string
	fs.StringVarP(&format, "format", "f", "text", "")
	fs.Float64Var(&opt.MinSimilarity, "min-similarity", def.MinSimilarity, "")
	fs.IntVar(&opt.MinPassage, "min-passage", def.MinPassage, "")
	fs.IntVar(&opt.DocDistance, "doc-distance", def.DocDistance, "")
	fs.IntVar(&opt.PassageDistance, "passage-distance", def.PassageDistance, "")
	fs.StringVar(&encoding, "encoding", "", "")
	if done, code := parseFlags(env, fs, explainUsage, args); done {
		return code
	}
	if format != "text" && format != "json" {
		errorf(env, "explain: unknown --format %q: use text or json", format)
		return exitUsage
	}
	if msg := checkMatchOptions(opt); msg != "" {
		errorf(env, "explain: %s", msg)
		return exitUsage
	}
	if fs.NArg() != 2 {
		errorf(env, "explain: want two files, got %d", fs.NArg())
		hintf(env, "neardup explain a.txt b.txt")
		return exitUsage
	}
	pathA, pathB := fs.Arg(0), fs.Arg(1)
	if pathA == "-" && pathB == "-" {
		errorf(env, "explain: only one of A and B can be - (stdin)")
		return exitUsage
	}
	ropt := corpus.Options{Encoding: encoding, Warn: func(msg string) { warnf(env, "%s", msg) }}
	var docs [2]*corpus.Document
	for i, path := range []string{pathA, pathB} {
		text, err := readForDiff(env, path, ropt)
		if err != nil {
			errorf(env, "explain: %v", err)
			return exitUsage
		}
		docs[i] = &corpus.Document{Path: path, Text: text}
	}
	e := match.Explain(docs[0], docs[1], opt)
	if format == "json" {
		if err := report.WriteExplanationJSON(env.Stdout, e, docs); err != nil {
			errorf(env, "explain: %v", err)
			return exitFailure
		}
		return exitOK
	}
	if err := report.WriteExplanation(env.Stdout, e, docs); err != nil {
		errorf(env, "explain: %v", err)
		return exitFailure
	}
	return exitOK
}
