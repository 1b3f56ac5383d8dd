package cli

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// benchCorpus is the real corpus the benchmarks run on when it is present.
const benchCorpus = "../../../shared/corpora/xinwenlianbo/texts"

// BenchmarkFingerprint is neardup fingerprint over the corpus folder, reading included, with
// one worker and with all: what the whole-process comparison with the peers measures.
func BenchmarkFingerprint(b *testing.B) {
	dir := benchCorpus
	if _, err := os.Stat(dir); err != nil {
		dir = "../../testdata"
	}
	srcs, _, err := corpus.Files([]string{dir}, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, s := range srcs {
		size += s.Size
	}
	for _, jobs := range []int{1, runtime.NumCPU()} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				err := fingerprintStream(&Env{}, srcs, corpus.Options{}, false, jobs, func(printed1) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
