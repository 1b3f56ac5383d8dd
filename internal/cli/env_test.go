package cli

import (
	"testing"
)

// An Env with no fields set runs every command: output is discarded, there is no standard
// input, no environment and no terminal. None may panic.
func TestZeroEnv(t *testing.T) {
	t.Chdir("../..")
	a, b := "testdata/corpus/003_3f59fbc2fd11db04.txt", "testdata/corpus/100_repost_of_003.txt"
	for _, tt := range []struct {
		args []string
		want int
	}{
		{nil, exitUsage},
		{[]string{"help"}, exitOK},
		{[]string{"help", "scan"}, exitOK},
		{[]string{"scan", "-h"}, exitOK},
		{[]string{"scan", "testdata/corpus"}, exitOK},
		{[]string{"scan", "-o", "/dev/null", "--format", "html", "testdata/corpus"}, exitOK},
		{[]string{"slogans", "--min-docs", "2", "testdata/corpus"}, exitOK},
		{[]string{"fingerprint", a}, exitOK},
		{[]string{"fingerprint", "-"}, exitFailure}, // no standard input
		{[]string{"diff", a, b}, exitFindings},
		{[]string{"diff", "--color", "always", a, b}, exitFindings},
		{[]string{"diff", "-", b}, exitUsage},
		{[]string{"check", "--against", "testdata/corpus", b}, exitFindings}, // a repost of a
		{[]string{"nonsense"}, exitUsage},
	} {
		for _, env := range []*Env{{}, nil} {
			if got := Run(tt.args, env); got != tt.want {
				t.Errorf("%q with Env %v: exit %d, want %d", tt.args, env, got, tt.want)
			}
		}
	}
}
