package slogan

import (
	"fmt"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/neardup/neardup/internal/unionfind"
)

// TestMergeVariantsManyParts splits the deletion keys into far more parts than there are
// lengths (as a 1 GB corpus does, where the miner once waited forever on a full channel of
// parts) and checks that the joins are those of one part per range of lengths.
func TestMergeVariantsManyParts(t *testing.T) {
	texts := newTextStore(4, nil)
	const distinct = 400
	for i := range distinct {
		// Texts of one length, many a character apart: 推进第001号工作, 推进第002号工作, ...
		text := fmt.Appendf(nil, "推进第%03d号工作", i)
		texts.add(int32(i), utf8.RuneCount(text), text)
	}
	merge := func(jobs int) []int32 {
		parent, err := mergeVariants(texts, distinct, 4, jobs)
		if err != nil {
			t.Error(err)
			return nil
		}
		return unionfind.Roots(parent)
	}
	// The forests may differ with the order of the joins; their groups may not.
	want := merge(1)

	saved := maxShardKeys
	maxShardKeys = 8
	defer func() { maxShardKeys = saved }()
	done := make(chan []int32)
	go func() { done <- merge(2) }()
	select {
	case got := <-done:
		if !slices.Equal(got, want) {
			t.Errorf("variants merged in many parts differ from those merged in few")
		}
	case <-time.After(time.Minute): // a guard against a hang, not a measure of speed
		t.Fatal("mergeVariants with many parts did not return")
	}
}
