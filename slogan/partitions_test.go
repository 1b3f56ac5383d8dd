package slogan

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestSuffixPartitions cuts the sorted suffixes of a small corpus, with copies, into many
// partitions (as a large corpus is cut) and checks that the result is that of one partition.
func TestSuffixPartitions(t *testing.T) {
	base, _ := plantedCorpus(t, 5)
	docs := withCopies(base, rand.New(rand.NewPCG(5, 7)))
	for _, jobs := range []int{1, 2} {
		opt := Options{MinDocs: 2, Jobs: jobs}
		want := Find(docs, opt)
		saved, savedTokens := partitionSuffixes, partTokens
		partitionSuffixes, partTokens = 50, 64
		got := Find(docs, opt)
		partitionSuffixes, partTokens = saved, savedTokens
		if len(want.Slogans) == 0 {
			t.Fatal("the corpus holds no slogans")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("jobs %d: the result in many partitions differs from that in one", jobs)
		}
	}
}

// TestSpilledSuffixes spills the token stream and the sorted suffixes of a small corpus, as
// FindTexts does those of a large one, read in parts on two goroutines, and checks that the
// result is that of both kept in memory (Find).
func TestSpilledSuffixes(t *testing.T) {
	base, _ := plantedCorpus(t, 6)
	docs := withCopies(base, rand.New(rand.NewPCG(6, 7)))
	opt := Options{MinDocs: 2, Jobs: 2}
	want := Find(docs, opt)
	if len(want.Slogans) == 0 {
		t.Fatal("the corpus holds no slogans")
	}
	savedSpill, savedParts, savedBatch, savedTokens := spillMinSuffixes, partitionSuffixes, mineBatch, partTokens
	defer func() {
		spillMinSuffixes, partitionSuffixes, mineBatch, partTokens = savedSpill, savedParts, savedBatch, savedTokens
	}()
	spillMinSuffixes, mineBatch, partTokens = 0, 7, 64
	for _, parts := range []int{savedParts, 300} {
		partitionSuffixes = parts
		checkFindTexts(t, docs, opt, want)
	}
}

// TestWideTokens holds the token stream of a small corpus in 32 bits, as that of a corpus of
// more than narrowIDs distinct tokens is held, in memory and spilled, and checks that the
// result is that of the stream held in 16.
func TestWideTokens(t *testing.T) {
	base, _ := plantedCorpus(t, 7)
	docs := withCopies(base, rand.New(rand.NewPCG(7, 7)))
	opt := Options{MinDocs: 2, Jobs: 2}
	want := Find(docs, opt)
	if len(want.Slogans) == 0 {
		t.Fatal("the corpus holds no slogans")
	}
	savedIDs, savedSpill, savedBatch := narrowIDs, spillMinSuffixes, mineBatch
	defer func() { narrowIDs, spillMinSuffixes, mineBatch = savedIDs, savedSpill, savedBatch }()
	narrowIDs = 0
	if got := Find(docs, opt); !reflect.DeepEqual(got, want) {
		t.Errorf("the result on a stream of 32 bits differs from that on one of 16")
	}
	spillMinSuffixes, mineBatch = 0, 7
	checkFindTexts(t, docs, opt, want)
}
