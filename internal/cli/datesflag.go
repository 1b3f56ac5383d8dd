package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/dates"
)

// readDates reads a --dates table and keys it by the documents' paths as the scan lists them.
// A row may name a document by that path, by the path cleaned, or, when the row has no
// folder in it and the name is unique in the corpus, by its file name: a table made from a
// crawl's index rarely knows where the user keeps the files. It returns how many rows named
// no document.
func readDates(name string, docs []*corpus.Document) (dates.Table, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, fmt.Errorf("reading dates: %w", err)
	}
	defer f.Close()
	rows, err := dates.ReadCSV(f, name)
	if err != nil {
		return nil, 0, err
	}
	clean := make(dates.Table, len(rows))
	for k, t := range rows {
		clean[filepath.Clean(k)] = t
	}
	baseCount := map[string]int{}
	for _, d := range docs {
		baseCount[filepath.Base(d.Path)]++
	}
	used := map[string]bool{}
	table := dates.Table{}
	for _, d := range docs {
		for _, key := range []string{d.Path, filepath.Clean(d.Path), filepath.Base(d.Path)} {
			if key == filepath.Base(d.Path) && baseCount[key] > 1 {
				continue
			}
			if t, ok := clean[filepath.Clean(key)]; ok {
				table[d.Path] = t
				used[filepath.Clean(key)] = true
				break
			}
		}
	}
	return table, len(clean) - len(used), nil
}
