package cli

import (
	"io"
	"testing"
)

func BenchmarkZZCheckProf(b *testing.B) {
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, IsTerminal: func(io.Writer) (bool, int) { return false, 0 }}
	for b.Loop() {
		runCheck(env, []string{"--index", "/tmp/xw/index", "/work/shared/corpora/xinwenlianbo/texts/20241216-12.txt"})
	}
}
