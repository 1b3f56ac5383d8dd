package cli

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"scan", "scan", 0}, {"", "scan", 4}, {"scna", "scan", 1}, {"sacn", "scan", 1},
		{"quite", "quiet", 1}, {"fingerprnt", "fingerprint", 1}, {"index", "diff", 5}, {"指纹", "指文", 1},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := editDistance(tt.b, tt.a); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"check", "diff", "explain", "fingerprint", "index", "scan", "slogans"}
	for typed, want := range map[string]string{
		"scna": "scan", "chek": "check", "fingerprnt": "fingerprint", "sl": "slogans", "explian": "explain",
		"x": "", "report": "", "s": "", // "s" begins two names: no guess
	} {
		if got := suggest(typed, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", typed, got, want)
		}
	}
}
