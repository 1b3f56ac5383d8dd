package scan_test

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/scan"
)

// TestRunTextsAsRun shows that a scan over files read when needed, with a budget that
// compares a few documents at a time, gives Run's result and report.
func TestRunTextsAsRun(t *testing.T) {
	dirs := []string{"../testdata/corpus"}
	if dir := "../../shared/corpora/xinwenlianbo/texts"; testing.Short() {
		t.Log("xinwenlianbo not compared in -short")
	} else if _, err := os.Stat(dir); err != nil {
		t.Logf("xinwenlianbo not compared: shared corpora not present (%v)", err)
	} else {
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		docs, skipped, err := corpus.Load([]string{dir}, nil, corpus.Options{Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		texts, _, err := corpus.Open([]string{dir}, nil, corpus.Options{Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		opts := []scan.Options{
			{Jobs: 2, Skipped: skipped},
			{Jobs: 2, NoSlogans: true, Ignore: []string{"新闻联播", "习近平"}},
			{Jobs: 2, AllPairs: true, NoSlogans: true},
		}
		if len(docs) > 1000 {
			opts = opts[:1] // the real corpus once, with slogans: the others take a minute more
		}
		for _, opt := range opts {
			want := scan.Run(docs, opt)
			opt.Memory = 64 << 10
			if len(docs) > 1000 {
				opt.Memory = 16 << 20 // a few hundred chunks: one candidate a chunk takes minutes here
			}
			got, err := scan.RunTexts(texts, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, %+v: RunTexts differs from Run", dir, opt)
			}
			var wantHTML, gotHTML bytes.Buffer
			if err := report.WriteHTML(&wantHTML, want, scan.TextOf(docs)); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteHTML(&gotHTML, got, scan.TextsOf(texts)); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotHTML.Bytes(), wantHTML.Bytes()) {
				t.Errorf("%s: the HTML report from texts read again differs", dir)
			}
		}
	}
}
