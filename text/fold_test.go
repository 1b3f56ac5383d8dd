package text

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFoldHan(t *testing.T) {
	tests := []struct{ in, want rune }{
		{'發', '发'}, {'髮', '发'}, {'後', '后'}, {'臺', '台'}, {'裡', '里'}, {'裏', '里'},
		{'為', '为'}, {'爲', '为'}, {'國', '国'}, {'发', '发'}, {'中', '中'}, {'a', 'a'}, {'，', '，'},
	}
	for _, tt := range tests {
		if got := FoldHan(tt.in); got != tt.want {
			t.Errorf("FoldHan(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A Traditional repost keeps its offsets: the map is one to one on Han text, so every
// normalised rune points at the character it was folded from.
func TestNormalizeTraditionalMap(t *testing.T) {
	orig := "（記者）臺灣發展，經濟後來居上。"
	n := Normalize(orig)
	checkMap(t, orig, n)
	if got, want := string(n.Text), "记者台湾发展经济后来居上"; got != want {
		t.Fatalf("Normalize = %q, want %q", got, want)
	}
	origRunes := []rune(orig)
	for i := range n.Len() {
		if n.End[i]-n.Start[i] != 1 {
			t.Fatalf("rune %d maps to [%d,%d), want one code point", i, n.Start[i], n.End[i])
		}
		if FoldHan(origRunes[n.Start[i]]) != []rune(string(n.Text))[i] {
			t.Errorf("rune %d: %q does not fold to %q", i, origRunes[n.Start[i]], []rune(string(n.Text))[i])
		}
	}
}

// The testdata articles in Traditional script (testdata/planted/hant, made from
// testdata/planted/hans by OpenCC's s2tw, see text/internal/foldgen) normalise to nearly the
// bytes of their Simplified originals, and Folded tells the scripts apart.
func TestFoldTraditionalArticles(t *testing.T) {
	files, err := filepath.Glob("../testdata/planted/hans/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in testdata/planted/hans (%v)", err)
	}
	same, total := 0, 0
	for _, f := range files {
		hans, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		hant, err := os.ReadFile(filepath.Join("../testdata/planted/hant", filepath.Base(f)))
		if err != nil {
			t.Fatal(err)
		}
		if Folded(string(hans)) {
			t.Errorf("%s: Simplified article taken as Traditional", f)
		}
		if !Folded(string(hant)) {
			t.Errorf("%s: Traditional article not taken as Traditional", f)
		}
		a, b := []rune(string(AppendNormalized(nil, string(hans)))), []rune(string(AppendNormalized(nil, string(hant))))
		if len(a) != len(b) {
			t.Errorf("%s: %d normalised runes in Simplified, %d in Traditional", f, len(a), len(b))
			continue
		}
		for i := range a {
			if a[i] == b[i] {
				same++
			}
		}
		total += len(a)
	}
	// OpenCC's phrase tables pick a character by context (乾/干, 著/着); one character at a
	// time cannot, which leaves a few in a thousand different.
	if share := float64(same) / float64(total); share < 0.995 {
		t.Errorf("%.4f of normalised characters agree between the scripts, want >= 0.995", share)
	} else {
		t.Logf("%d normalised characters, %.4f agree between the scripts", total, share)
	}
}
