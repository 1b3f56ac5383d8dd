package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileTextsReadAgainAsLoaded(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.txt": "新闻联播今天播出。", "b.html": "<p>可见的文字</p><script>x</script>", "c.txt": "", "d.txt": "second text"}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, jobs := range []int{1, 3} {
		opt := Options{Jobs: jobs}
		docs, skips, err := Load([]string{dir}, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		ft, fskips, err := Open([]string{dir}, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(skips) != len(fskips) || ft.Len() != len(docs) {
			t.Fatalf("Open: %d documents, %d skips; Load: %d, %d", ft.Len(), len(fskips), len(docs), len(skips))
		}
		var total int64
		for i, d := range docs {
			s, err := ft.Text(i)
			if err != nil {
				t.Fatal(err)
			}
			e := ft.Entry(i)
			if s != d.Text || e.Path != d.Path || e.Encoding != d.Encoding || e.Chars != d.Chars() || e.Bytes != len(d.Text) {
				t.Errorf("document %d: %q %+v, want %q %s", i, s, e, d.Text, d.Path)
			}
			total += int64(len(d.Text))
		}
		if ft.Bytes() != total {
			t.Errorf("Bytes %d, want %d", ft.Bytes(), total)
		}
	}
}

func TestFileTextsChangedDuringTheScan(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte("原来的文字 "+p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ft, _, err := Open([]string{dir}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Same size, other text; then a file emptied; then one removed.
	if err := os.WriteFile(a, []byte("原来的文章 "+a), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ft.Text(0); err == nil || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), "changed during the scan") {
		t.Errorf("edited file: error %v, want one naming %s as changed during the scan", err, a)
	}
	if err := os.WriteFile(b, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ft.Text(1); err == nil || !strings.Contains(err.Error(), b) {
		t.Errorf("emptied file: error %v, want one naming %s", err, b)
	}
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	if _, err := ft.Text(1); err == nil || !strings.Contains(err.Error(), b) {
		t.Errorf("removed file: error %v, want one naming %s", err, b)
	}
}

func TestFileTextsHoldStandardInput(t *testing.T) {
	ft, _, err := Open([]string{"-"}, strings.NewReader("从标准输入读来的文字"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if s, err := ft.Text(0); err != nil || s != "从标准输入读来的文字" {
			t.Errorf("Text(0) = %q, %v", s, err)
		}
	}
}

// TestFileTextsHoldWhenAllFit checks that texts are kept from the first reading when all of
// them fit Options.Hold, and none is kept when they do not.
func TestFileTextsHoldWhenAllFit(t *testing.T) {
	texts := []string{"第一篇文章的文字", "第二篇文章的文字，长一些"}
	total := int64(len(texts[0]) + len(texts[1]))
	for _, hold := range []int64{total, total - 1} {
		dir := t.TempDir()
		paths := []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")}
		for i, p := range paths {
			if err := os.WriteFile(p, []byte(texts[i]), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ft, _, err := Open([]string{dir}, nil, Options{Hold: hold})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		for i, p := range paths {
			s, err := ft.Text(i)
			switch {
			case hold == total && (err != nil || s != texts[i]):
				t.Errorf("hold %d, all fit: text %d is %q, %v; want %q", hold, i, s, err, texts[i])
			case hold < total && (err == nil || !strings.Contains(err.Error(), p)):
				t.Errorf("hold %d, not all fit: text %d of a removed file gave error %v, want one naming %s", hold, i, err, p)
			}
		}
	}
}
