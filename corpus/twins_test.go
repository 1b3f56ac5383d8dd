package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func readDoc(t *testing.T, path string) *Document {
	t.Helper()
	doc, skip, err := Read(Source{Path: path}, nil, Options{Warn: func(msg string) { t.Logf("warning: %s", msg) }})
	if err != nil {
		t.Fatal(err)
	}
	if skip != nil {
		t.Fatalf("%s skipped: %s", path, skip.Reason)
	}
	return doc
}

// A file in a legacy encoding and its UTF-8 twin decode to the same text.
func TestTwinsCommitted(t *testing.T) {
	tests := []struct{ raw, utf8, encoding string }{
		{"seeds-002.gbk.txt", "seeds-002.utf8.txt", "gb18030"},
		{"english.cp1252.txt", "english.utf8.txt", "windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "encoding")
			raw, want := readDoc(t, filepath.Join(dir, tt.raw)), readDoc(t, filepath.Join(dir, tt.utf8))
			if raw.Encoding != tt.encoding || want.Encoding != "utf-8" {
				t.Errorf("encodings %s and %s, want %s and utf-8", raw.Encoding, want.Encoding, tt.encoding)
			}
			if raw.Text != want.Text {
				t.Errorf("decoded %s differs from %s:\n%.300q\n%.300q", tt.raw, tt.utf8, raw.Text, want.Text)
			}
		})
	}
}

const corpora = "../../shared/corpora"

func needCorpora(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(corpora); err != nil {
		t.Skipf("%s not present: %v", corpora, err)
	}
}

// The raw GBK and CP1252 originals of the shared corpora decode to their
// UTF-8 conversions.
func TestTwinsCorpora(t *testing.T) {
	needCorpora(t)
	for _, set := range []struct{ dir, raw, encoding string }{
		{"clough-stevenson", "raw-cp1252", "windows-1252"},
		{"zh-reuse-pairs", "raw-gbk", "gb18030"},
	} {
		raws, err := filepath.Glob(filepath.Join(corpora, set.dir, set.raw, "*.txt"))
		if err != nil || len(raws) == 0 {
			t.Fatalf("no raw files in %s/%s: %v", set.dir, set.raw, err)
		}
		for _, raw := range raws {
			t.Run(set.dir+"/"+filepath.Base(raw), func(t *testing.T) {
				got := readDoc(t, raw)
				want := readDoc(t, filepath.Join(corpora, set.dir, "texts", filepath.Base(raw)))
				if got.Encoding != set.encoding {
					t.Errorf("encoding %s, want %s", got.Encoding, set.encoding)
				}
				if got.Text != want.Text {
					t.Errorf("decoded text differs from texts/%s", filepath.Base(raw))
				}
			})
		}
	}
}

// The SogouCA sample is one GBK file of <doc> records; texts/sogouca-NNN.txt
// holds record NNN as title, blank line, content.
func TestTwinsSogou(t *testing.T) {
	needCorpora(t)
	dir := filepath.Join(corpora, "sogou-news-smarty")
	doc := readDoc(t, filepath.Join(dir, "raw-gbk", "news_tensite_xml.smarty.dat"))
	if doc.Encoding != "gb18030" {
		t.Errorf("encoding %s, want gb18030", doc.Encoding)
	}
	if n := strings.Count(doc.Text, "\uFFFD"); n > 0 {
		t.Errorf("%d replacement characters in the decoded text", n)
	}
	record := regexp.MustCompile(`(?s)<doc>.*?<contenttitle>(.*?)</contenttitle>\s*<content>(.*?)</content>`)
	recs := record.FindAllStringSubmatch(doc.Text, -1)
	if len(recs) != 200 {
		t.Fatalf("%d records, want 200", len(recs))
	}
	for i, rec := range recs {
		name := fmt.Sprintf("sogouca-%03d.txt", i+1)
		text, err := os.ReadFile(filepath.Join(dir, "texts", name))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(string(text), "\n")
		if got := rec[1] + "\n\n" + rec[2]; got != want {
			t.Errorf("record %d differs from %s:\n%.120q\n%.120q", i+1, name, got, want)
		}
	}
}
