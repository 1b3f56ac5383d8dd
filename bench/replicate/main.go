// Command replicate makes a larger corpus from a real one for scale benchmarks: each file is
// copied N times, and every copy gets heavy random edits (a share of its characters replaced
// by characters drawn from the corpus itself, and its sentences shuffled a little), so that
// the copies are new text and not near-duplicates of the original or of each other. The
// originals are kept as copy 0, so the reuse they hold is still there to be found.
//
// Half the characters are replaced by default. A fifth, the first default, left copies that
// neardup rightly reports as copied passages of each other (four in five characters in
// place; on 4x xinwenlianbo 14,083 passages joined copies of one story, against 10,480
// passages in the whole of 1x): the reuse then grows with the square of the copies, and a
// scale benchmark measures that instead of the corpus's size. At a half, a 2x replica
// gives one such passage and the same findings as 1x otherwise (TestCopiesAreNewText).
//
//	go run ./bench/replicate -times 16 -out /tmp/x16 ../shared/corpora/xinwenlianbo/texts
//
// The output is deterministic for a given -seed, so anyone can rebuild the same corpus.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// defaultEdit is the share of characters replaced in each copy (see the package comment).
const defaultEdit = 0.5

func main() {
	times := flag.Int("times", 4, "copies of the corpus in the output, the original included")
	edit := flag.Float64("edit", defaultEdit, "share of characters replaced in each copy")
	out := flag.String("out", "", "output folder (created; must not exist)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if flag.NArg() != 1 || *out == "" || *times < 1 || !(*edit >= 0 && *edit <= 1) {
		fmt.Fprintln(os.Stderr, "usage: replicate [-times N] [-edit X] [-seed S] -out DIR CORPUS_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *times, *edit, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "replicate:", err)
		os.Exit(1)
	}
}

func run(src, out string, times int, edit float64, seed uint64) error {
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists: name a new folder", out)
	}
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	texts := make([][]rune, len(files))
	var alphabet []rune // every character of the corpus, with its frequency
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		texts[i] = []rune(string(b))
		alphabet = append(alphabet, texts[i]...)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for k := range times {
		dir := filepath.Join(out, fmt.Sprintf("r%03d", k))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for i, f := range files {
			text := texts[i]
			if k > 0 {
				text = mutate(text, alphabet, edit, rng)
			}
			name := filepath.Join(dir, filepath.Base(f))
			if err := os.WriteFile(name, []byte(string(text)), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// mutate replaces a share of the characters (never line breaks, so paragraphs stay) and
// swaps a few neighbouring sentences.
func mutate(text, alphabet []rune, edit float64, rng *rand.Rand) []rune {
	out := make([]rune, 0, len(text))
	for _, r := range text {
		if r != '\n' && rng.Float64() < edit {
			r = alphabet[rng.IntN(len(alphabet))]
			if r == '\n' {
				r = ' '
			}
		}
		out = append(out, r)
	}
	sentences := splitSentences(out)
	for i := 1; i < len(sentences); i += 3 {
		if rng.IntN(2) == 0 {
			sentences[i-1], sentences[i] = sentences[i], sentences[i-1]
		}
	}
	joined := make([]rune, 0, len(out))
	for _, s := range sentences {
		joined = append(joined, s...)
	}
	return joined
}

func splitSentences(text []rune) [][]rune {
	var out [][]rune
	start := 0
	for i, r := range text {
		if strings.ContainsRune("。！？!?\n", r) {
			out = append(out, text[start:i+1])
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}
