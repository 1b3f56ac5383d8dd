// Command degenerate writes the degenerate corpora of bench/degenerate.sh: many identical
// copies of one story, or many different stories sharing one short paragraph.
//
//	go run ./bench/degenerate identical N DIR   # N copies of testdata/corpus/003
//	go run ./bench/degenerate paragraph N DIR   # N random stories, each with one shared 60-character paragraph
//	go run ./bench/degenerate summary FILE      # pairs, families and identical groups of a JSON result
package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "summary" {
		if err := summary(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "degenerate:", err)
			os.Exit(2)
		}
		return
	}
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: degenerate identical|paragraph N DIR")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "degenerate: N must be a positive number")
		os.Exit(2)
	}
	dir := os.Args[3]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := write(os.Args[1], n, dir); err != nil {
		fmt.Fprintln(os.Stderr, "degenerate:", err)
		os.Exit(2)
	}
}

func write(kind string, n int, dir string) error {
	var story string
	switch kind {
	case "identical":
		b, err := os.ReadFile(filepath.Join("testdata", "corpus", "003_3f59fbc2fd11db04.txt"))
		if err != nil {
			return fmt.Errorf("run from the repository root: %w", err)
		}
		story = string(b)
	case "paragraph":
	default:
		return fmt.Errorf("unknown kind %q: identical or paragraph", kind)
	}
	// Seeded: the same corpus every run.
	rng := rand.New(rand.NewPCG(1, 2))
	shared := randomText(rng, 60)
	for i := range n {
		text := story
		if kind == "paragraph" {
			text = randomText(rng, 200) + "\n\n" + shared + "\n\n" + randomText(rng, 200) + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%06d.txt", i)), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// randomText is n common CJK ideographs with a full stop every 20: prose to the
// segmenter, and no two such texts share an n-gram by more than chance.
func randomText(rng *rand.Rand, n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteRune(rune(0x4e00 + rng.IntN(0x5000)))
		if i%20 == 19 {
			sb.WriteRune('。')
		}
	}
	return sb.String()
}

// summary prints the table cells of degenerate.sh for one neardup/1 result.
func summary(name string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var r struct {
		Duplicates []struct{}                   `json:"duplicates"`
		Families   []struct{ Size int }         `json:"families"`
		Identical  []struct{ Members []string } `json:"identical"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	largest := 0
	for _, f := range r.Families {
		largest = max(largest, f.Size)
	}
	fmt.Printf("%d | %d (%d) | %d", len(r.Duplicates), len(r.Families), largest, len(r.Identical))
	return nil
}
