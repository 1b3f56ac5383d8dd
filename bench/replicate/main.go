// Command replicate makes a corpus K times the size of another for benchmarks, as the
// original files plus K-1 copies of each with heavy random edits, so that the copies are
// not near-duplicates of the original nor of each other (most of their character trigrams
// differ), yet read like the corpus: replacement characters are drawn from the same file.
//
//	go run ./bench/replicate -factor 4 SRC DST
//
// The output is the same for the same flags and input.
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"unicode"
)

func main() {
	factor := flag.Int("factor", 4, "how many times the corpus size")
	rate := flag.Float64("rate", 0.35, "share of the letters of a copy replaced")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if flag.NArg() != 2 || *factor < 1 || *rate < 0 || *rate > 1 {
		fmt.Fprintln(os.Stderr, "usage: replicate [-factor K] [-rate R] [-seed S] SRC DST")
		os.Exit(2)
	}
	if err := replicate(flag.Arg(0), flag.Arg(1), *factor, *rate, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "replicate:", err)
		os.Exit(1)
	}
}

func replicate(src, dst string, factor int, rate float64, seed uint64) error {
	var files []string
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && d.Name()[0] != '.' {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, f)
		h := fnv.New64a()
		h.Write([]byte(rel))
		for k := 0; k < factor; k++ {
			out := data
			name := rel
			if k > 0 {
				r := rand.New(rand.NewPCG(seed, h.Sum64()+uint64(k)))
				out = []byte(edit(string(data), rate, r))
				name = filepath.Join(filepath.Dir(rel), fmt.Sprintf("r%d-%s", k, filepath.Base(rel)))
			}
			p := filepath.Join(dst, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, out, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// edit replaces a share rate of the letters of text with letters drawn from text itself.
func edit(text string, rate float64, r *rand.Rand) string {
	runes := []rune(text)
	var letters []rune
	for _, c := range runes {
		if unicode.IsLetter(c) {
			letters = append(letters, c)
		}
	}
	if len(letters) == 0 {
		return text
	}
	for i, c := range runes {
		if unicode.IsLetter(c) && r.Float64() < rate {
			runes[i] = letters[r.IntN(len(letters))]
		}
	}
	return string(runes)
}
