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
