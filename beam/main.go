// Command beam runs neardup's scan as an Apache Beam pipeline: read the files, normalise and
// fingerprint them, group documents and clauses by the band keys of their fingerprints'
// permuted tables and by clause text, verify every candidate pair on the text, and write
// near-duplicate pairs and copied passages as neardup/1 JSON. It reuses neardup's library
// packages (corpus, match, report), so that what it finds is what `neardup scan
// --no-slogans` finds; slogans are not mined.
//
// Without --runner it runs in this process on Beam's Prism runner. --runner and --endpoint
// send the same pipeline to a job service (Flink, Spark, Dataflow; see the README).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/neardup/neardup/corpus"
)

var (
	input    = flag.String("input", "", "folder or file of documents to scan (required)")
	output   = flag.String("output", "", "file to write the neardup/1 JSON result to (required)")
	encoding = flag.String("encoding", "", "read every file in this encoding instead of detecting it")
)

func main() {
	flag.Parse()
	// Init comes first: on a worker it takes over and never returns.
	beam.Init()
	if *input == "" || *output == "" {
		fmt.Fprintln(os.Stderr, "usage: beam --input DIR --output FILE [--runner NAME --endpoint HOST:PORT ...]")
		os.Exit(2)
	}
	if err := run(context.Background(), *input, *output, *encoding); err != nil {
		fmt.Fprintln(os.Stderr, "neardup beam:", err)
		os.Exit(2)
	}
}

// run lists the input here, on the machine that launches the job, and runs the pipeline on
// the runner the flags name (Prism in process by default).
func run(ctx context.Context, in, out, enc string) error {
	cfg := defaultConfig()
	cfg.Encoding = enc
	srcs, skips, err := corpus.Files([]string{in}, cfg.corpus())
	if err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	buildPipeline(s, cfg, srcs, skips, out)
	return beamx.Run(ctx, p)
}
