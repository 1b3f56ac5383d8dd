package match

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/neardup/neardup/simhash"
)

// TestWinnowAsScan checks winnowing against the scan of every window it was first written
// as (winnowReference), on texts with repeats, where equal hashes decide which is picked.
func TestWinnowAsScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	pool := []rune("的一是在不了有和人这中大ab")
	for range 2000 {
		r := make([]rune, rng.IntN(200))
		for i := range r {
			r[i] = pool[rng.IntN(len(pool))]
			if i > 10 && rng.IntN(4) == 0 {
				r[i] = r[i-1-rng.IntN(10)] // repeats
			}
		}
		norm := []byte(string(r))
		if len(norm) > 0 && rng.IntN(5) == 0 { // bytes that are not UTF-8 count as runes of their own
			at := rng.IntN(len(norm))
			norm = append(norm[:at:at], append([]byte("\xed\xa0\x80\xff\xe0\x80"), norm[at:]...)...)
		}
		var excluded [][2]int
		if len(r) > 20 && rng.IntN(3) == 0 {
			excluded = [][2]int{{5, 12}}
		}
		got, _, _ := winnow(nil, norm, 7, excluded, nil, nil)
		want, _, _ := winnowReference(nil, norm, 7, excluded, nil, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: %v, want %v", string(r), got, want)
		}
	}
}

func winnowReference(dst []anchorRef, norm []byte, doc int32, excluded [][2]int, starts []int32, hashes []uint64) ([]anchorRef, []int32, []uint64) {
	// A polynomial rolling hash of the k runes, finished by a mixer: one multiply and add per
	// character instead of hashing every k-gram's bytes anew. The text is decoded once: the
	// rune leaving the window is kept in a ring.
	const p = 0x100000001B3
	pk := uint64(1) // p^anchorK
	for range anchorK {
		pk *= p
	}
	starts, hashes = starts[:0], hashes[:0]
	var ring [anchorK]rune
	var roll uint64
	i := 0
	for off, r := range string(norm) {
		starts = append(starts, int32(off))
		roll = roll*p + uint64(r)
		if i >= anchorK {
			roll -= uint64(ring[i%anchorK]) * pk
		}
		ring[i%anchorK] = r
		i++
		if g := i - anchorK; g >= 0 {
			h := ^uint64(0) // never the smallest: an excluded k-gram is not an anchor
			if len(excluded) == 0 || !overlaps(excluded, g, g+anchorK) {
				h = simhash.Mix64(roll)
				if h == ^uint64(0) {
					h--
				}
			}
			hashes = append(hashes, h)
		}
	}
	runes := len(starts)
	starts = append(starts, int32(len(norm)))
	if runes < anchorK {
		return dst, starts, hashes
	}
	grams := runes - anchorK + 1
	last := -1
	w := min(anchorW, grams)
	for lo := 0; lo+w <= grams; lo++ {
		m := lo
		for i := lo + 1; i < lo+w; i++ {
			if hashes[i] <= hashes[m] { // the rightmost smallest, as winnowing prescribes
				m = i
			}
		}
		if m != last && hashes[m] != ^uint64(0) {
			dst = append(dst, anchorRef{hashes[m], doc, starts[m]})
			last = m
		}
	}
	return dst, starts, hashes
}

func TestSortAnchorsSorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var buf []anchorRef
	for _, n := range []int{0, 5, 255, 256, 3000, 20000} {
		for _, distinct := range []int{1, 50, 1 << 30} {
			all := make([]anchorRef, n)
			for i := range all {
				h := uint64(rng.IntN(distinct)) * 0x9E3779B97F4A7C15 >> anchorShardBits
				all[i] = anchorRef{hash: h, doc: int32(rng.IntN(100)), nb: int32(rng.IntN(1000))}
			}
			want := slices.Clone(all)
			slices.SortFunc(want, compareAnchors)
			buf = sortAnchors(all, buf)
			if !slices.Equal(all, want) {
				t.Fatalf("n=%d distinct=%d: not sorted as compare3 sorts", n, distinct)
			}
		}
	}
}
