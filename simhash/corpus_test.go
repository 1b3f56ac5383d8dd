package simhash

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"
)

// corporaDir holds the shared real corpora (see each folder's SOURCE.md).
const corporaDir = "../../shared/corpora"

// loadStories reads an evenly spaced sample of about limit texts of a
// corpus, in file name order, and skips the test when the corpora are absent.
func loadStories(t *testing.T, corpus string, limit int) [][]byte {
	t.Helper()
	if _, err := os.Stat(corporaDir); os.IsNotExist(err) {
		t.Skipf("%s is absent: real-text case not run", corporaDir)
	}
	return readStories(t, filepath.Join(corporaDir, corpus, "texts"), limit)
}

func readStories(tb testing.TB, dir string, limit int) [][]byte {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(names) == 0 {
		tb.Fatalf("no texts in %s: %v", dir, err)
	}
	slices.Sort(names)
	step := max(1, len(names)/limit)
	var out [][]byte
	for i := 0; i < len(names) && len(out) < limit; i += step {
		data, err := os.ReadFile(names[i])
		if err != nil {
			tb.Fatalf("reading %s: %v", names[i], err)
		}
		out = append(out, data)
	}
	return out
}

// splitSentences cuts raw text after sentence punctuation and at line
// breaks and normalises each piece; empty pieces are dropped.
func splitSentences(raw []byte) [][]byte {
	return splitAt(raw, "。！？；!?;\n")
}

// splitClauses also cuts at commas, enumeration commas and colons.
func splitClauses(raw []byte) [][]byte {
	return splitAt(raw, "。！？；!?;\n，、,：:")
}

func splitAt(raw []byte, cuts string) [][]byte {
	var out [][]byte
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, cuts)
		piece := raw
		if i >= 0 {
			_, size := utf8.DecodeRune(raw[i:])
			piece, raw = raw[:i], raw[i+size:]
		} else {
			raw = nil
		}
		if norm := quickNormalize(piece); len(norm) > 0 {
			out = append(out, norm)
		}
	}
	return out
}
