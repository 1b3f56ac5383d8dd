// Command degenerate writes the degenerate corpora of the robustness benchmarks:
//
//	DIR/copies: COPIES identical copies of one story (mirrored sites, boilerplate pages)
//	DIR/shared: SHARED files of distinct text that all hold one 60-character paragraph
//
//	go run ./bench/degenerate -copies 10000 -shared 20000 -story testdata/corpus/000_23cf1a7057c403ae.txt DIR
//
// The output is the same for the same flags.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// paragraph is the one all files of DIR/shared hold: 60 characters.
const paragraph = "各地各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动经济质的有效提升和量的增长。"

func main() {
	copies := flag.Int("copies", 10000, "identical copies of the story")
	shared := flag.Int("shared", 20000, "files sharing one paragraph")
	story := flag.String("story", "testdata/corpus/000_23cf1a7057c403ae.txt", "the story to copy")
	unique := flag.Int("unique", 30, "characters of distinct text around the shared paragraph")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: degenerate [-copies N] [-shared N] [-story FILE] DIR")
		os.Exit(2)
	}
	if err := write(flag.Arg(0), *story, *copies, *shared, *unique); err != nil {
		fmt.Fprintln(os.Stderr, "degenerate:", err)
		os.Exit(1)
	}
}

func write(dir, story string, copies, shared, unique int) error {
	text, err := os.ReadFile(story)
	if err != nil {
		return err
	}
	for _, sub := range []string{"copies", "shared"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	for i := range copies {
		if err := os.WriteFile(filepath.Join(dir, "copies", fmt.Sprintf("%05d.txt", i)), text, 0o644); err != nil {
			return err
		}
	}
	// Distinct text: two sentences of characters drawn from the story, different for each
	// file, one before and one after the paragraph. The default length makes the paragraph
	// most of each file, so that the files are near-duplicates of each other as well.
	var letters []rune
	for _, r := range string(text) {
		if r >= 0x4e00 && r <= 0x9fff {
			letters = append(letters, r)
		}
	}
	if len(letters) == 0 {
		return fmt.Errorf("%s has no Chinese characters to draw from", story)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range shared {
		var b strings.Builder
		for s := range 2 {
			for range unique / 2 {
				b.WriteRune(letters[r.IntN(len(letters))])
			}
			b.WriteString("。\n")
			if s == 0 {
				b.WriteString(paragraph + "\n")
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "shared", fmt.Sprintf("%05d.txt", i)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	if n := utf8.RuneCountInString(paragraph); n != 60 {
		panic(fmt.Sprintf("paragraph has %d characters, want 60", n))
	}
}
