package cli

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readPhraseList reads a list of phrases, one per line; blank lines and lines starting with
// # are left out.
func readPhraseList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading phrase list: %w", err)
	}
	defer f.Close()
	var phrases []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		phrases = append(phrases, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading phrase list %s: %w", path, err)
	}
	return phrases, nil
}
