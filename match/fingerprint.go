package match

import (
	"sync"

	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// Fingerprinter computes the fingerprint of a document the one way neardup does: the
// SimHash of the character n-grams of its normalised text (text.AppendNormalized), which is
// what Find compares, the index stores and "neardup fingerprint" prints. It keeps its
// buffers between calls; use one per goroutine.
type Fingerprinter struct {
	h    *simhash.Hasher
	norm []byte
}

// NewFingerprinter makes a Fingerprinter of n-grams of n runes; 0 means simhash.DefaultN.
func NewFingerprinter(n int) *Fingerprinter {
	if n <= 0 {
		n = simhash.DefaultN
	}
	return &Fingerprinter{h: simhash.NewHasher(n)}
}

// Sum returns the fingerprint of s and the number of n-grams it was made of.
func (f *Fingerprinter) Sum(s string) (fp uint64, features int) {
	f.norm = text.AppendNormalized(f.norm[:0], s)
	return f.h.Sum(f.norm)
}

// normalizedScratch holds the normalisation maps prepare fills, one per document, and keeps
// none of.
var normalizedScratch = sync.Pool{New: func() any { return new(text.Normalized) }}
