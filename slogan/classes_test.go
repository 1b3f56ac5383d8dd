package slogan

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSpilledClasses writes every text of the classes to the spill folder as soon as it is
// added, classes the pieces in many passes and merges their variants in many small parts, as
// FindTexts does those of a large corpus, and checks that the result is that of the pieces
// classed as they come, with their texts in memory (Find).
func TestSpilledClasses(t *testing.T) {
	base, _ := plantedCorpus(t, 8)
	docs := withCopies(base, rand.New(rand.NewPCG(8, 7)))
	savedFlush, savedKeys, savedTable := textFlush, maxShardKeys, classTableBytes
	defer func() { textFlush, maxShardKeys, classTableBytes = savedFlush, savedKeys, savedTable }()
	for _, jobs := range []int{1, 2} {
		opt := Options{MinDocs: 2, Jobs: jobs}
		want := Find(docs, opt)
		for _, small := range []bool{false, true} {
			t.Run(fmt.Sprintf("jobs=%d/small=%v", jobs, small), func(t *testing.T) {
				textFlush = 1
				if small {
					maxShardKeys, classTableBytes = 64, 1<<12
				}
				checkFindTexts(t, docs, opt, want)
				textFlush, maxShardKeys, classTableBytes = savedFlush, savedKeys, savedTable
			})
		}
	}
}
