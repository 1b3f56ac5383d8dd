package match

// myersMax is the longest text myersDistance takes as its pattern: one bit per character of
// a machine word.
const myersMax = 64

// peqTable maps each character of a pattern to the bit mask of the positions it holds, by
// open addressing: a pattern holds at most myersMax distinct characters.
type peqTable struct {
	keys  [2 * myersMax]rune
	masks [2 * myersMax]uint64
	used  [2 * myersMax]bool
}

func peqSlot(r rune) uint32 { return uint32(r) * 0x9E3779B1 >> 25 } // 7 bits: 128 slots

func (t *peqTable) reset(p []rune) {
	t.used = [2 * myersMax]bool{}
	for i, r := range p {
		k := peqSlot(r)
		for t.used[k] && t.keys[k] != r {
			k = (k + 1) & (2*myersMax - 1)
		}
		if !t.used[k] {
			t.keys[k], t.used[k], t.masks[k] = r, true, 0
		}
		t.masks[k] |= 1 << i
	}
}

func (t *peqTable) mask(r rune) uint64 {
	for k := peqSlot(r); t.used[k]; k = (k + 1) & (2*myersMax - 1) {
		if t.keys[k] == r {
			return t.masks[k]
		}
	}
	return 0
}

// myersDistance is the edit distance (Levenshtein) of p and t, len(p) <= myersMax, by the
// bit-parallel algorithm of Myers (1999) as Hyyrö (2003) states it for whole texts: one
// column of the distance table per character of t, in a few word operations.
func myersDistance(p, t []rune, peq *peqTable) int {
	m := len(p)
	if m == 0 {
		return len(t)
	}
	peq.reset(p)
	pv, mv := ^uint64(0)>>(64-m), uint64(0)
	top := uint64(1) << (m - 1)
	score := m
	for _, c := range t {
		eq := peq.mask(c)
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		switch {
		case ph&top != 0:
			score++
		case mh&top != 0:
			score--
		}
		ph = ph<<1 | 1 // the first row of the table grows by one per column
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
	}
	return score
}
