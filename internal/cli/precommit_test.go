//go:build integration

package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neardup/neardup/index"
)

// buildNeardup builds the command into a temporary folder.
func buildNeardup(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "neardup")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/neardup/neardup")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// gitRepo is a temporary repository with its own HOME, so that neither git nor pre-commit
// reads or writes anything outside the test.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	home := t.TempDir()
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL="+filepath.Join(home, "gitconfig"),
	)
	r.run("git", "init", "-q", "-b", "main")
	r.run("git", "config", "user.name", "Test")
	r.run("git", "config", "user.email", "test@example.com")
	r.run("git", "config", "commit.gpgsign", "false")
	return r
}

// exec runs a command in the repository and returns its exit code and combined output.
func (r *gitRepo) exec(name string, args ...string) (int, string) {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		r.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return 0, string(out)
}

func (r *gitRepo) run(name string, args ...string) string {
	r.t.Helper()
	code, out := r.exec(name, args...)
	if code != 0 {
		r.t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

func (r *gitRepo) write(rel, text string) {
	r.t.Helper()
	writeText(r.t, filepath.Join(r.dir, filepath.FromSlash(rel)), text)
}

// unstage drops a rejected file from the index and the work tree.
func (r *gitRepo) drop(rels ...string) {
	r.t.Helper()
	for _, rel := range rels {
		r.run("git", "rm", "-q", "--cached", "--", rel)
		if err := os.Remove(filepath.Join(r.dir, filepath.FromSlash(rel))); err != nil {
			r.t.Fatal(err)
		}
	}
}

func TestPreCommitManifest(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatalf("pre-commit is not installed (apt-get install pre-commit; .ci/run does): %v", err)
	}
	out, err := exec.Command("pre-commit", "validate-manifest", "../../.pre-commit-hooks.yaml").CombinedOutput()
	if err != nil {
		t.Fatalf("validate-manifest: %v\n%s", err, out)
	}
	data := readText(t, "../../.pre-commit-hooks.yaml")
	for _, want := range []string{"id: neardup", "entry: neardup check --staged", "language: golang", "pass_filenames: false"} {
		if !strings.Contains(data, want) {
			t.Errorf(".pre-commit-hooks.yaml lacks %q", want)
		}
	}
}

func TestPreCommitEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("pre-commit"); err != nil {
		t.Fatalf("pre-commit is not installed (apt-get install pre-commit; .ci/run does): %v", err)
	}
	bin := buildNeardup(t)
	r := newGitRepo(t)

	seeds, err := filepath.Glob("../../testdata/corpus/00*.txt")
	if err != nil || len(seeds) < 5 {
		t.Fatalf("seed articles: %v", err)
	}
	var articles []string
	for _, s := range seeds {
		rel := "articles/" + filepath.Base(s)
		r.write(rel, readText(t, s))
		articles = append(articles, rel)
	}
	// An article that quotes another one at length: reuse that the corpus already has.
	quoting := "articles/102_meeting_quotes_000.txt"
	r.write(quoting, readText(t, "../../testdata/corpus/102_meeting_quotes_000.txt"))
	// A series that shares a headline and dateline, and stories that all quote the standard
	// political formula: stock phrases of this corpus once it holds more than max_df of them.
	for i := range 12 {
		r.write(fmt.Sprintf("articles/formula-%02d.txt", i), fmt.Sprintf("%s第%d期\n\n%s%s。%s%s。\n",
			seriesHeadline, i, dateline, randomHan(uint64(100+i), 150), formula, randomHan(uint64(200+i), 150)))
	}
	r.write(".neardup.toml", "include = [\"articles/**/*.txt\", \"drafts/**/*.txt\"]\n")
	r.write(".gitignore", ".neardup/\n")
	r.write(".pre-commit-config.yaml", fmt.Sprintf(`repos:
  - repo: local
    hooks:
      - id: neardup
        name: neardup
        entry: %s check --staged
        language: system
        pass_filenames: false
        types: [text]
`, bin))
	r.run("git", "add", "-A")
	r.run("git", "commit", "-q", "-m", "corpus")
	r.run(bin, "index", "articles")
	r.run("pre-commit", "install")

	// commit stages the files, commits them through the hook and says whether the hook let
	// the commit through; a commit that passed is undone, so that each case starts from the
	// same corpus.
	commit := func(t *testing.T, msg string, files ...string) (bool, string) {
		t.Helper()
		r.run("git", append([]string{"add", "-A", "--"}, files...)...)
		code, out := r.exec("git", "commit", "-m", msg)
		if code == 0 {
			if !strings.Contains(out, "Passed") {
				t.Errorf("the hook did not run:\n%s", out)
			}
			r.run("git", "reset", "-q", "--hard", "HEAD~1")
		} else {
			r.run("git", "reset", "-q", "--hard", "HEAD")
		}
		r.run("git", "clean", "-q", "-f", "-d", "articles")
		return code == 0, out
	}

	t.Run("one-character edit of an article that quotes another passes", func(t *testing.T) {
		// The quotation fails a check of the file on its own: it is reuse the file had
		// before the edit that the gate lets through, not a lack of findings.
		if code, out := r.exec(bin, "check", quoting); code != 1 {
			t.Fatalf("check %s: exit %d, want 1 (the quotation)\n%s", quoting, code, out)
		}
		text := readText(t, filepath.Join(r.dir, quoting))
		r.write(quoting, strings.Replace(text, "会议", "会上", 1))
		if ok, out := commit(t, "edit", quoting); !ok {
			t.Errorf("a one-character edit failed:\n%s", out)
		}
	})

	t.Run("rename passes", func(t *testing.T) {
		r.run("git", "mv", quoting, "articles/quotes-moved.txt")
		if ok, out := commit(t, "move", "articles"); !ok {
			t.Errorf("a rename failed:\n%s", out)
		}
	})

	t.Run("copy of an article beside an edit of it fails", func(t *testing.T) {
		// git takes the new file for a copy (C100) of the edited one: the corpus now holds
		// the text twice, the plainest near-copy there is.
		source := articles[1]
		text := readText(t, filepath.Join(r.dir, source))
		r.write("articles/copy.txt", text)
		r.write(source, text+"\n一行新的文字。\n")
		r.run("git", "add", "-A", "--", "articles")
		if out := r.run("git", "diff", "--cached", "-M", "-C", "--name-status"); !strings.Contains(out, "C100") {
			t.Fatalf("git does not see a copy:\n%s", out)
		}
		if ok, out := commit(t, "copy", "articles"); ok || !strings.Contains(out, "near-duplicate: ") || !strings.Contains(out, "articles/copy.txt") {
			t.Errorf("a verbatim copy passed, or was not named:\n%s", out)
		}
	})

	t.Run("new story quoting the standard formula passes", func(t *testing.T) {
		r.write("articles/new-formula.txt", fmt.Sprintf("新的报道\n\n%s%s。%s%s。\n", dateline, randomHan(300, 200), formula, randomHan(301, 200)))
		// It passes as the formula is a stock phrase of the corpus, not on the coverage.
		r.run("git", "add", "articles/new-formula.txt")
		if code, out := r.exec(bin, "check", "--staged", "--min-coverage", "0", "--long-passage", "0"); code != 0 || !strings.Contains(out, "stock phrase") {
			t.Errorf("check --staged with every passage failing: exit %d, want 0 and stock phrases\n%s", code, out)
		}
		if ok, out := commit(t, "formula", "articles/new-formula.txt"); !ok {
			t.Errorf("a story quoting the formula failed:\n%s", out)
		}
	})

	t.Run("new story sharing only a headline passes", func(t *testing.T) {
		r.write("articles/new-series.txt", fmt.Sprintf("%s第3期\n\n%s%s。%s。\n", seriesHeadline, dateline, randomHan(400, 250), randomHan(401, 250)))
		if ok, out := commit(t, "series", "articles/new-series.txt"); !ok {
			t.Errorf("a story sharing a headline failed:\n%s", out)
		}
	})

	t.Run("story a third of which is copied from one article fails", func(t *testing.T) {
		// Sentences of the article, each shorter than a passage that fails on its length,
		// between new ones: only the share copied says it is a copy.
		source := articles[0]
		var copied []string
		n := 0
		for _, sent := range strings.SplitAfter(readText(t, filepath.Join(r.dir, source)), "。") {
			sent = strings.TrimSpace(sent)
			if l := len([]rune(sent)); l >= 40 && l < 150 && n < 450 {
				copied = append(copied, sent)
				n += l
			}
		}
		var b strings.Builder
		b.WriteString("一篇新的稿子\n\n")
		for i, sent := range copied {
			fmt.Fprintf(&b, "%s。%s\n", randomHan(uint64(500+i), 2*len([]rune(sent))), sent)
		}
		total := len([]rune(b.String()))
		if share := float64(n) / float64(total); share < 0.3 || share > 0.36 || len(copied) < 3 {
			t.Fatalf("test story: %d of %d characters copied in %d sentences; want a third", n, total, len(copied))
		}
		r.write("articles/third.txt", b.String())
		ok, out := commit(t, "third", "articles/third.txt")
		if ok {
			t.Fatalf("a story a third of which is copied passed:\n%s", out)
		}
		// The share counts the copied text less the corpus's slogans in it: under the third.
		if !strings.Contains(out, "articles/third.txt copies ") || !strings.Contains(out, "% of its text from "+source) {
			t.Errorf("message does not name the source and the share:\n%s", out)
		}
	})

	t.Run("zero files is exit 2", func(t *testing.T) {
		if code, out := r.exec(bin, "check", "--staged"); code != 2 {
			t.Errorf("check --staged with nothing staged: exit %d, want 2\n%s", code, out)
		}
	})

	t.Run("edited repost of an existing article fails", func(t *testing.T) {
		r.write("articles/2024/repost.txt", repost(readText(t, filepath.Join(r.dir, articles[2]))))
		r.run("git", "add", "articles/2024/repost.txt")
		code, out := r.exec("git", "commit", "-m", "repost")
		if code == 0 {
			t.Fatalf("commit of a repost passed:\n%s", out)
		}
		if !strings.Contains(out, "near-duplicate: articles/2024/repost.txt and "+articles[2]) || !strings.Contains(out, "similarity") {
			t.Errorf("message does not name the original:\n%s", out)
		}
		r.drop("articles/2024/repost.txt")
	})

	t.Run("new different article passes", func(t *testing.T) {
		r.write("articles/2024/fresh.txt", fresh)
		r.write("README.md", "# corpus\n") // not a corpus document: left out by the include globs
		r.run("git", "add", "articles/2024/fresh.txt", "README.md")
		code, out := r.exec("git", "commit", "-m", "fresh")
		if code != 0 {
			t.Fatalf("commit of a new article failed:\n%s", out)
		}
		if !strings.Contains(out, "neardup") || !strings.Contains(out, "Passed") {
			t.Errorf("hook did not run and pass:\n%s", out)
		}
	})

	t.Run("two near-identical new articles in one commit fail", func(t *testing.T) {
		// Many other new files, so that a hook given file names would be split into
		// batches; --staged sees them all at once.
		var staged []string
		for i := range 24 {
			rel := fmt.Sprintf("drafts/other-%02d.txt", i)
			r.write(rel, fmt.Sprintf("第%d篇草稿：%s", i, randomHan(uint64(i), 80)))
			staged = append(staged, rel)
		}
		twinA := "drafts/twin-a.txt"
		twinB := "drafts/twin-z.txt"
		r.write(twinA, twinText+"\n河边的柳树抽出了新芽。")
		r.write(twinB, strings.Replace(twinText, "秋收时节", "金秋时节", 1)+"\n河边的桃花开得正艳。")
		r.run("git", "add", "drafts")

		// The property pre-commit batching would break: each batch holding one twin looks
		// clean, as the other twin is in no index (drafts/ is not an indexed root).
		for _, batch := range [][]string{append(staged[:12:12], twinA), append(staged[12:], twinB)} {
			args := append([]string{"check", "--no-refresh"}, batch...)
			if code, out := r.exec(bin, args...); code != 0 {
				t.Errorf("a batch holding one twin failed (exit %d):\n%s", code, out)
			}
		}
		if code, out := r.exec(bin, "check", "--staged"); code != 1 || !strings.Contains(out, twinA+" and "+twinB) {
			t.Errorf("check --staged: exit %d\n%s", code, out)
		}

		code, out := r.exec("git", "commit", "-m", "twins")
		if code == 0 {
			t.Fatalf("commit of two near-identical articles passed:\n%s", out)
		}
		if !strings.Contains(out, "near-duplicate: "+twinA+" and "+twinB) {
			t.Errorf("message does not name both files:\n%s", out)
		}
	})
}

const (
	seriesHeadline = "【学习贯彻党的二十届四中全会精神】夯实基础 全面发力 谱写中国式现代化更加绚丽的篇章"
	dateline       = "央视网消息（新闻联播）："
	formula        = "会议强调，要深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”，切实把思想和行动统一到党中央决策部署上来。要以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大和二十届历次全会精神"
)

const twinText = `秋收时节，北方平原上的麦田一望无际。农机手们驾驶着收割机在田间来回穿梭，金黄的麦粒源源不断地装进卡车。
村里的合作社今年引进了烘干设备，农户们再也不用担心连阴雨让粮食发霉。
合作社负责人介绍，烘干后的小麦品质更稳定，收购价格也比往年高出一些。
晚上，村民们聚在文化广场上跳起了广场舞，庆祝又一个丰收年。`

// Two processes running "neardup index" at once leave a valid index.
func TestIndexTwoProcesses(t *testing.T) {
	bin := buildNeardup(t)
	dir, _ := seedRepo(t)
	for round := range 3 {
		var cmds []*exec.Cmd
		for range 2 {
			cmd := exec.Command(bin, "index", "-q", "articles")
			cmd.Dir = dir
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		for _, c := range cmds {
			if err := c.Wait(); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		x, err := index.Load(filepath.Join(dir, ".neardup", "index"))
		if err != nil {
			t.Fatalf("round %d: index unusable after two writers: %v", round, err)
		}
		if x.Documents() != 5+round {
			t.Errorf("round %d: %d documents indexed, want %d", round, x.Documents(), 5+round)
		}
		// Touch the corpus so that the next round writes again.
		writeText(t, filepath.Join(dir, "articles", fmt.Sprintf("round-%d.txt", round)), fmt.Sprintf("%s第%d轮。", fresh, round))
	}
}

// randomHan is n Han characters drawn at random from a seed: texts from different seeds share
// next to no n-gram, so they are unrelated drafts whatever the candidate search.
func randomHan(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var b strings.Builder
	for range n {
		b.WriteRune(rune(0x4e00 + rng.IntN(3000)))
	}
	return b.String()
}
