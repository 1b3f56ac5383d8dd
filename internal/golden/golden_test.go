package golden

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every package of the module with tests registers -update, or "go test ./... -update" fails
// there with "flag provided but not defined".
func TestEveryPackageTakesUpdate(t *testing.T) {
	root := "../.."
	withTests := map[string]bool{}
	importing := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
				return filepath.SkipDir // a module of its own
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.Dir(path)
		withTests[dir] = true
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), `"github.com/neardup/neardup/internal/golden"`) {
			importing[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(withTests) < 5 {
		t.Fatalf("found tests in %d folders only: the walk is wrong", len(withTests))
	}
	for dir := range withTests {
		if !importing[dir] && filepath.Base(dir) != "golden" { // this package registers the flag itself
			t.Errorf("%s has tests but none imports internal/golden: add update_test.go with a blank import", dir)
		}
	}
}
