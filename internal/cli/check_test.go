package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/neardup/neardup/index"
	"github.com/neardup/neardup/report"
)

// testEnv runs commands in-process and keeps what they print.
type testEnv struct {
	Env
	out, err bytes.Buffer
}

func newTestEnv() *testEnv {
	e := &testEnv{}
	e.Env = Env{
		Stdin: strings.NewReader(""), Stdout: &e.out, Stderr: &e.err,
		Getenv:     func(string) string { return "" },
		IsTerminal: func(io.Writer) (bool, int) { return false, 0 },
	}
	return e
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	e := newTestEnv()
	code = Run(args, &e.Env)
	return code, e.out.String(), e.err.String()
}

// seedRepo makes a folder that looks like a repository root (it has .git, so the config
// search stops there) holding the seed articles under articles/, and enters it.
func seedRepo(t *testing.T) (dir string, seeds []string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../../testdata/corpus/00*.txt")
	if err != nil || len(files) < 5 {
		t.Fatalf("seed articles missing in testdata/corpus: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel := "articles/" + filepath.Base(f)
		writeText(t, filepath.Join(dir, rel), string(data))
		seeds = append(seeds, rel)
	}
	t.Chdir(dir)
	return dir, seeds
}

func writeText(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// repost is an edited copy of an article as a content farm would publish it: a new
// headline, a few words changed, the last paragraphs dropped.
func repost(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	keep := lines[:max(1, len(lines)*3/4)]
	body := strings.Join(keep, "\n")
	body = strings.Replace(body, "，", "、", 3)
	body = strings.Replace(body, "的", "之", 5)
	return "【转载】本文转自网络，版权归原作者所有\n" + body + "\n（责任编辑：小王）\n"
}

// copier writes a new article around one long paragraph of text.
func copier(text string) string {
	var para string
	for _, l := range strings.Split(text, "\n") {
		if len([]rune(l)) > len([]rune(para)) {
			para = l
		}
	}
	return "今天的评论谈一谈城市里的小公园，它们如何改变了居民的日常生活。\n" + para +
		"\n说到底，公园绿地的价值在于让每个人都能走出家门，在树荫下歇一歇脚。\n"
}

const fresh = `春天的江南小镇，细雨蒙蒙。老街两旁的茶馆里坐满了喝早茶的老人，他们一边品茶一边聊着家长里短。
镇上新开了一家书店，店主是从省城回乡的年轻人，他说想让孩子们在家门口就能读到好书。
书店的二楼是一间小小的展厅，陈列着镇上老手艺人制作的竹编、木雕和刺绣，吸引了不少游客驻足。
傍晚时分，河边的石桥上亮起了灯笼，倒映在水中，像一幅流动的水墨画。`

func TestCheckExitCodes(t *testing.T) {
	dir, seeds := seedRepo(t)
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(readText(t, seeds[2])))
	writeText(t, filepath.Join(dir, "new", "copier.txt"), copier(readText(t, seeds[1])))
	writeText(t, filepath.Join(dir, "new", "fresh.txt"), fresh)
	writeText(t, filepath.Join(dir, "new", "twin-a.txt"), fresh+"\n第一稿。")
	writeText(t, filepath.Join(dir, "new", "twin-b.txt"), strings.Replace(fresh, "春天", "初春", 1)+"\n第二稿。")
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // each must appear
		notStdout  []string
		stderrWant string
	}{
		{"clean new article", []string{"check", "new/fresh.txt"}, 0, []string{"no near-duplicates"}, nil, ""},
		{"edited repost", []string{"check", "new/repost.txt"}, 1,
			[]string{"near-duplicate: new/repost.txt and " + seeds[2], "similarity"}, nil, "update-baseline"},
		{"copied passage", []string{"check", "new/copier.txt"}, 1,
			[]string{"copied passage: new/copier.txt [", seeds[1]}, []string{"near-duplicate:"}, ""},
		{"two new near-identical files", []string{"check", "new/twin-a.txt", "new/twin-b.txt"}, 1,
			[]string{"near-duplicate: new/twin-a.txt and new/twin-b.txt"}, nil, ""},
		{"indexed file is not its own duplicate", []string{"check", seeds[0]}, 0, []string{"no near-duplicates"}, nil, ""},
		{"no files", []string{"check"}, 2, nil, nil, "no files to check"},
		{"no files allowed", []string{"check", "--allow-empty"}, 0, nil, nil, "no files to check"},
		{"missing file", []string{"check", "new/nope.txt"}, 2, nil, nil, "nope.txt"},
		{"bad flag", []string{"check", "--min-similarity", "2", "new/fresh.txt"}, 2, nil, nil, "--min-similarity"},
		{"similarity NaN", []string{"check", "--min-similarity", "NaN", "new/repost.txt"}, 2, nil, nil, "--min-similarity"},
		{"jobs 0", []string{"check", "--jobs", "0", "new/fresh.txt"}, 2, nil, nil, "--jobs"},
		{"index jobs 0", []string{"index", "--jobs", "0", "articles"}, 2, nil, nil, "--jobs"},
		{"bad format", []string{"check", "--format", "xml", "new/fresh.txt"}, 2, nil, nil, "--format"},
		{"staged with files", []string{"check", "--staged", "new/fresh.txt"}, 2, nil, nil, "--staged"},
		{"against a folder, no index", []string{"check", "--index", "none", "--against", "articles", "new/repost.txt"}, 1,
			[]string{"near-duplicate: new/repost.txt and " + seeds[2]}, nil, ""},
		{"against a missing folder", []string{"check", "--against", "nowhere", "new/repost.txt"}, 2, nil, nil, "nowhere"},
		{"against a folder with no documents", []string{"check", "--against", "empty", "new/repost.txt"}, 2, nil, nil, "no documents to compare with"},
		{"no index", []string{"check", "--index", "none/index", "new/repost.txt"}, 2, nil, nil, "neardup index"},
		{"help", []string{"check", "-h"}, 0, []string{"Usage: neardup check"}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tc.notStdout {
				if strings.Contains(stdout, s) {
					t.Errorf("stdout has %q:\n%s", s, stdout)
				}
			}
			if !strings.Contains(stderr, tc.stderrWant) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderrWant, stderr)
			}
		})
	}
}

func TestCheckJSONAndSARIF(t *testing.T) {
	dir, seeds := seedRepo(t)
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: %s", stderr)
	}
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(readText(t, seeds[3])))
	writeText(t, filepath.Join(dir, "new", "copier.txt"), copier(readText(t, seeds[0])))

	code, stdout, stderr := run(t, "check", "--format", "json", "new/repost.txt", "new/copier.txt")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, stdout)
	}
	// The copier is mostly the copied paragraph: besides its passage it is reported as
	// contained in its source, after the near-copy (pairs come most similar first).
	if res.Schema != report.Schema || len(res.Duplicates) == 0 || len(res.Passages) == 0 || res.Duplicates[0].Relation != "near-copy" {
		t.Fatalf("JSON: schema %q, %d duplicates, %d passages", res.Schema, len(res.Duplicates), len(res.Passages))
	}
	if d := res.Duplicates[0]; d.A != "new/repost.txt" || d.B != seeds[3] || d.Similarity < 0.5 {
		t.Errorf("duplicate %+v", d)
	}
	for _, p := range res.Passages {
		if p.A != "new/copier.txt" || p.B != seeds[0] || p.AEnd-p.AStart < 30 {
			t.Errorf("passage %+v", p)
		}
	}
	var docs []string
	for _, d := range res.Documents {
		docs = append(docs, d.Path)
	}
	if want := []string{"new/repost.txt", "new/copier.txt", seeds[0], seeds[3]}; !sameSet(docs, want) {
		t.Errorf("documents %v, want %v", docs, want)
	}

	// SARIF: one result per finding; fingerprints stable across runs.
	sarif := func() map[string]any {
		code, stdout, stderr := run(t, "check", "--format", "sarif", "new/repost.txt", "new/copier.txt")
		if code != 1 {
			t.Fatalf("sarif: exit %d: %s", code, stderr)
		}
		var log map[string]any
		if err := json.Unmarshal([]byte(stdout), &log); err != nil {
			t.Fatalf("SARIF does not parse: %v", err)
		}
		return log
	}
	first, second := sarif(), sarif()
	if first["version"] != "2.1.0" {
		t.Errorf("SARIF version %v", first["version"])
	}
	results := first["runs"].([]any)[0].(map[string]any)["results"].([]any)
	if len(results) != len(res.Duplicates)+len(res.Passages) {
		t.Errorf("%d SARIF results for %d findings", len(results), len(res.Duplicates)+len(res.Passages))
	}
	prints := func(log map[string]any) []string {
		var out []string
		for _, r := range log["runs"].([]any)[0].(map[string]any)["results"].([]any) {
			out = append(out, r.(map[string]any)["partialFingerprints"].(map[string]any)["neardupFinding/v1"].(string))
		}
		return out
	}
	if a, b := prints(first), prints(second); !slices.Equal(a, b) || len(a) == 0 || a[0] == "" {
		t.Errorf("fingerprints differ between runs: %v vs %v", a, b)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestCheckBaseline(t *testing.T) {
	dir, seeds := seedRepo(t)
	writeText(t, filepath.Join(dir, ".neardup.toml"), "include = [\"articles/**/*.txt\"]\nbaseline = \".neardup/baseline.jsonl\"\n")
	writeText(t, filepath.Join(dir, "articles", "repost.txt"), repost(readText(t, seeds[4])))

	// The config says what to index: check builds the index itself.
	code, _, stderr := run(t, "check", "articles/repost.txt")
	if code != 1 || !strings.Contains(stderr, "building it") {
		t.Fatalf("exit %d, want 1 after building the index:\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "check", "--update-baseline", "articles/repost.txt"); code != 0 {
		t.Fatalf("update-baseline: exit %d: %s", code, stderr)
	}
	base := readText(t, filepath.Join(dir, ".neardup", "baseline.jsonl"))
	if !strings.Contains(base, `"kind":"duplicate"`) || !strings.Contains(base, "articles/repost.txt") {
		t.Fatalf("baseline:\n%s", base)
	}
	code, stdout, stderr := run(t, "check", "articles/repost.txt")
	if code != 0 || !strings.Contains(stdout, "accepted near-duplicate: articles/repost.txt and "+seeds[4]) {
		t.Fatalf("accepted finding: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// An edit makes the duplicate new again.
	writeText(t, filepath.Join(dir, "articles", "repost.txt"), repost(readText(t, seeds[4]))+"\n补充一句。")
	if code, stdout, _ := run(t, "check", "articles/repost.txt"); code != 1 {
		t.Errorf("edited repost passes on an old acceptance:\n%s", stdout)
	}
	// JSON lists only what fails.
	writeText(t, filepath.Join(dir, "articles", "repost.txt"), repost(readText(t, seeds[4])))
	code, stdout, _ = run(t, "check", "--format", "json", "articles/repost.txt")
	var res report.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 || len(res.Duplicates) != 0 {
		t.Errorf("JSON with the finding accepted: exit %d, err %v, %d duplicates", code, err, len(res.Duplicates))
	}
}

func TestCheckStaleIndex(t *testing.T) {
	dir, seeds := seedRepo(t)
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: %s", stderr)
	}
	file := filepath.Join(dir, ".neardup", "index")
	// An article added to the corpus after indexing, and a repost of it.
	original := copier(readText(t, seeds[0])) + strings.Repeat("\n"+fresh, 2)
	writeText(t, filepath.Join(dir, "articles", "late.txt"), original)
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(original))

	// --no-refresh still finds it (the index is brought up to date in memory), says the
	// index is stale, and leaves the file alone.
	before := readText(t, file)
	code, stdout, stderr := run(t, "check", "--no-refresh", "new/repost.txt")
	if code != 1 || !strings.Contains(stdout, "articles/late.txt") || !strings.Contains(stderr, "out of date (0 changed, 1 new, 0 removed files)") {
		t.Fatalf("--no-refresh: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if readText(t, file) != before {
		t.Errorf("--no-refresh rewrote the index")
	}
	// By default the index is refreshed on disk.
	if code, stdout, stderr := run(t, "check", "new/repost.txt"); code != 1 || !strings.Contains(stdout, "articles/late.txt") {
		t.Fatalf("refresh: exit %d\n%s\n%s", code, stdout, stderr)
	}
	x, err := index.Load(file)
	if err != nil || x.Find("articles/late.txt") == nil {
		t.Fatalf("refreshed index lacks the new file: %v", err)
	}

	// An index made with other settings is an error with --no-refresh, rebuilt otherwise.
	x.Settings.N = 5
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "check", "--no-refresh", "new/repost.txt"); code != 2 || !strings.Contains(stderr, "other settings") {
		t.Errorf("settings mismatch: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "check", "new/repost.txt"); code != 1 || !strings.Contains(stderr, "rebuilt") {
		t.Errorf("settings mismatch with refresh: exit %d: %s", code, stderr)
	}

	// A damaged index is never used: here its block checksums, which a check verifies when
	// it opens the index (damage elsewhere is found in the blocks a check reads: see the
	// index package's tests).
	data := []byte(readText(t, file))
	data[len(data)-12] ^= 1
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run(t, "check", "new/repost.txt")
	if code != 2 || !strings.Contains(stderr, "checksum mismatch") || !strings.Contains(stderr, "neardup index") {
		t.Errorf("damaged index: exit %d: %s", code, stderr)
	}
	// neardup index rebuilds it from the paths it recorded, which have a checksum of their own.
	if code, _, stderr := run(t, "index"); code != 0 || !strings.Contains(stderr, "building it again") {
		t.Errorf("index over a damaged file, no paths: exit %d: %s", code, stderr)
	}
	if x, err := index.Load(file); err != nil || x.Find("articles/late.txt") == nil {
		t.Errorf("after neardup index: %v", err)
	}
	// When even those are lost, it says which paths to pass.
	data = []byte(readText(t, file))
	data[30] ^= 1
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "index"); code != 2 || !strings.Contains(stderr, "does not say what it was built from") || !strings.Contains(stderr, "neardup index articles/") {
		t.Errorf("index over a file damaged in its head, no paths: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "index", "articles"); code != 0 || !strings.Contains(stderr, "building it again") {
		t.Errorf("index over a damaged file: exit %d: %s", code, stderr)
	}
	if _, err := index.Load(file); err != nil {
		t.Errorf("after neardup index: %v", err)
	}
}

func TestIndexCommand(t *testing.T) {
	dir, _ := seedRepo(t)
	if code, _, stderr := run(t, "index"); code != 2 || !strings.Contains(stderr, "no paths to index") {
		t.Errorf("index without paths or config: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "index", "missing"); code != 2 || !strings.Contains(stderr, "missing") {
		t.Errorf("index of a missing folder: exit %d: %s", code, stderr)
	}
	writeText(t, filepath.Join(dir, ".neardup.toml"), "include = [\"articles/*.txt\"]\nmin_simlarity = 0.5\n")
	if code, _, stderr := run(t, "index"); code != 2 || !strings.Contains(stderr, "unknown key min_simlarity") {
		t.Errorf("config typo: exit %d: %s", code, stderr)
	}
	writeText(t, filepath.Join(dir, ".neardup.toml"), "include = [\"articles/*.txt\"]\nexclude = [\"articles/000_*\"]\n")
	code, stdout, stderr := run(t, "index")
	if code != 0 || !strings.Contains(stdout, "4 documents, 4 added") {
		t.Fatalf("index from config: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "index"); code != 0 || !strings.Contains(stdout, "is up to date") {
		t.Errorf("second run: %s", stdout)
	}
}

// Goroutines running "neardup index" at once leave a valid index.
func TestIndexConcurrentRuns(t *testing.T) {
	dir, _ := seedRepo(t)
	var wg sync.WaitGroup
	codes := make([]int, 6)
	stderrs := make([]string, len(codes))
	for i := range codes {
		wg.Go(func() {
			e := newTestEnv()
			codes[i] = Run([]string{"index", "-q", "articles"}, &e.Env)
			stderrs[i] = e.err.String()
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Errorf("run %d: exit %d: %s", i, c, stderrs[i])
		}
	}
	x, err := index.Load(filepath.Join(dir, ".neardup", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if x.Documents() != 5 {
		t.Errorf("index holds %d documents, want 5", x.Documents())
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".neardup", ".index.tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// BenchmarkCheckCorpus checks one edited repost against an index of a real corpus, the
// whole command in-process: loading the index, stating the corpus, candidates and
// verification.
func BenchmarkCheckCorpus(b *testing.B) {
	corpus, _ := filepath.Abs("../../../shared/corpora/xinwenlianbo/texts")
	if _, err := os.Stat(corpus); err != nil {
		b.Skipf("corpus %s absent", corpus)
	}
	dir := b.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		b.Fatal(err)
	}
	b.Chdir(dir)
	idx := filepath.Join(dir, "index")
	e := newTestEnv()
	if code := Run([]string{"index", "-q", "--index", idx, corpus}, &e.Env); code != 0 {
		b.Fatalf("index: %s", e.err.String())
	}
	data, err := os.ReadFile(filepath.Join(corpus, "20240926-07.txt"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile("probe.txt", []byte(strings.Replace(string(data), "的", "地", 1)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		e := newTestEnv()
		if code := Run([]string{"check", "--index", idx, "probe.txt"}, &e.Env); code != 1 {
			b.Fatalf("check: exit %d: %s", code, e.err.String())
		}
	}
}

// A check that finds a story added to the corpus writes a small delta beside the index, not
// a new index, with the same verdict; a damaged delta fails the gate (exit 2) naming it;
// neardup index folds the delta into the index.
func TestCheckRefreshWritesDelta(t *testing.T) {
	dir, seeds := seedRepo(t)
	// Enough documents that one more is not the tenth that has the slogans mined again.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 30 {
		var b strings.Builder
		for range 400 {
			b.WriteRune(rune(0x4e00 + rng.IntN(3000)))
		}
		writeText(t, filepath.Join(dir, "articles", fmt.Sprintf("filler%02d.txt", i)), b.String())
	}
	if code, _, stderr := run(t, "index", "articles"); code != 0 {
		t.Fatalf("index: %s", stderr)
	}
	file := filepath.Join(dir, ".neardup", "index")
	original := copier(readText(t, seeds[0])) + strings.Repeat("\n"+fresh, 2)
	writeText(t, filepath.Join(dir, "articles", "late.txt"), original)
	writeText(t, filepath.Join(dir, "new", "repost.txt"), repost(original))
	before := readText(t, file)
	for range 2 {
		if code, stdout, stderr := run(t, "check", "new/repost.txt"); code != 1 || !strings.Contains(stdout, "articles/late.txt") {
			t.Fatalf("check with a new story in the corpus: exit %d\n%s\n%s", code, stdout, stderr)
		}
	}
	if readText(t, file) != before {
		t.Errorf("the check rewrote the index instead of writing a delta")
	}
	delta := readText(t, index.DeltaFile(file))
	if len(delta) == 0 || len(delta) > len(before)/2 {
		t.Errorf("delta of one story: %d bytes, index %d", len(delta), len(before))
	}

	damaged := []byte(delta)
	damaged[len(damaged)/2] ^= 1
	if err := os.WriteFile(index.DeltaFile(file), damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "check", "new/repost.txt"); code != 2 || !strings.Contains(stderr, "index.delta") || !strings.Contains(stderr, "damaged") {
		t.Errorf("damaged delta: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "index"); code != 0 || !strings.Contains(stderr, "building it again") {
		t.Errorf("index over a damaged delta: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(index.DeltaFile(file)); !os.IsNotExist(err) {
		t.Errorf("the rebuilt index left the damaged delta: %v", err)
	}

	writeText(t, filepath.Join(dir, "articles", "later.txt"), fresh)
	if code, _, stderr := run(t, "check", "new/repost.txt"); code != 1 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(index.DeltaFile(file)); err != nil {
		t.Fatalf("no delta after a story was added: %v", err)
	}
	if code, _, stderr := run(t, "index"); code != 0 {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(index.DeltaFile(file)); !os.IsNotExist(err) {
		t.Errorf("neardup index did not fold the delta: %v", err)
	}
	x, err := index.Load(file)
	if err != nil || x.Find("articles/later.txt") == nil || x.Find("articles/late.txt") == nil {
		t.Errorf("the folded index lacks the stories added: %v", err)
	}
}
