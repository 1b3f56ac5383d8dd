package slogan

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSpilledClassTexts writes every text of the classes to the spill folder as soon as it is
// added, as FindTexts does the texts of a large corpus, and merges their variants in many
// small parts, and checks that the result is that of the texts kept in memory (Find).
func TestSpilledClassTexts(t *testing.T) {
	base, _ := plantedCorpus(t, 8)
	docs := withCopies(base, rand.New(rand.NewPCG(8, 7)))
	savedFlush, savedKeys := textFlush, maxShardKeys
	defer func() { textFlush, maxShardKeys = savedFlush, savedKeys }()
	for _, jobs := range []int{1, 2} {
		opt := Options{MinDocs: 2, Jobs: jobs}
		want := Find(docs, opt)
		for _, keys := range []int{savedKeys, 64} {
			t.Run(fmt.Sprintf("jobs=%d/keys=%d", jobs, keys), func(t *testing.T) {
				textFlush, maxShardKeys = 1, keys
				checkFindTexts(t, docs, opt, want)
				textFlush, maxShardKeys = savedFlush, savedKeys
			})
		}
	}
}
