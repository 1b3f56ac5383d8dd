package match

// myersMax is the longest text myersDistance takes as its pattern: one bit per character of
// myersWords machine words. Growth windows compared on the text are at most 200 characters,
// so they never fall back to the banded table of levenshteinWithin, which costs a cell per
// character pair in its band against a few word operations per character here.
const (
	myersWords = 4
	myersMax   = 64 * myersWords
)

// peqSlots is the size of peqTable's open addressing: twice the most distinct characters a
// pattern holds.
const peqSlots = 2 * myersMax

// peqTable maps each character of a pattern to the bit masks of the positions it holds, by
// open addressing. Slots belong to the pattern set last when their stamp is gen, so that a
// reset costs the pattern's length, not the table's size.
type peqTable struct {
	gen   uint32
	stamp [peqSlots]uint32
	keys  [peqSlots]rune
	masks [peqSlots][myersWords]uint64
}

func peqSlot(r rune) uint32 { return uint32(r) * 0x9E3779B1 >> 23 } // 9 bits: 512 slots

func (t *peqTable) reset(p []rune) {
	t.gen++
	if t.gen == 0 { // wrapped: stamps of 2^32 resets ago would look current
		t.stamp = [peqSlots]uint32{}
		t.gen = 1
	}
	for i, r := range p {
		k := peqSlot(r)
		for t.stamp[k] == t.gen && t.keys[k] != r {
			k = (k + 1) & (peqSlots - 1)
		}
		if t.stamp[k] != t.gen {
			t.keys[k], t.stamp[k], t.masks[k] = r, t.gen, [myersWords]uint64{}
		}
		t.masks[k][i>>6] |= 1 << (i & 63)
	}
}

// slot is the slot of r, or -1 when the pattern does not hold it.
func (t *peqTable) slot(r rune) int {
	for k := peqSlot(r); t.stamp[k] == t.gen; k = (k + 1) & (peqSlots - 1) {
		if t.keys[k] == r {
			return int(k)
		}
	}
	return -1
}

// myersDistance is the edit distance (Levenshtein) of p and t, len(p) <= myersMax, by the
// bit-parallel algorithm of Myers (1999) as Hyyrö (2003) states it for whole texts: one
// column of the distance table per character of t, in a few word operations per 64
// characters of p.
func myersDistance(p, t []rune, peq *peqTable) int {
	m := len(p)
	if m == 0 {
		return len(t)
	}
	peq.reset(p)
	if m > 64 {
		return myersBlocks(m, t, peq)
	}
	pv, mv := ^uint64(0)>>(64-m), uint64(0)
	top := uint64(1) << (m - 1)
	score := m
	for _, c := range t {
		eq := uint64(0)
		if k := peq.slot(c); k >= 0 {
			eq = peq.masks[k][0]
		}
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

// myersBlocks is myersDistance of a pattern of m > 64 characters, set in peq: the column is
// cut in blocks of 64 rows, and each block passes the horizontal difference of its last row
// (+1, 0 or -1) to the block below (Hyyrö 2003, as edlib computes it). Bits of the last block
// above the pattern's last row only ever reach higher bits, so they do not touch the score.
func myersBlocks(m int, t []rune, peq *peqTable) int {
	blocks := (m + 63) / 64
	var pv, mv [myersWords]uint64
	for b := range blocks {
		pv[b] = ^uint64(0)
	}
	last := blocks - 1
	top := uint64(1) << ((m - 1) & 63)
	score := m
	var zero [myersWords]uint64
	for _, c := range t {
		eqs := &zero
		if k := peq.slot(c); k >= 0 {
			eqs = &peq.masks[k]
		}
		hin := 1 // the first row of the table grows by one per column
		for b := 0; b <= last; b++ {
			eq, p, n := eqs[b], pv[b], mv[b]
			var pin, nin uint64 // the difference coming in from the block above, as bits
			switch hin {
			case 1:
				pin = 1
			case -1:
				nin = 1
			}
			xv := eq | n
			eq |= nin
			xh := (((eq & p) + p) ^ p) | eq
			ph := n | ^(xh | p)
			mh := p & xh
			if b == last {
				switch {
				case ph&top != 0:
					score++
				case mh&top != 0:
					score--
				}
			} else {
				hin = int(ph>>63) - int(mh>>63)
			}
			ph = ph<<1 | pin
			mh = mh<<1 | nin
			pv[b] = mh | ^(xv | ph)
			mv[b] = ph & xv
		}
	}
	return score
}
