package slogan

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/internal/parallel"
	"github.com/neardup/neardup/text"
)

// A set phrase is often quoted or a clause of its own in some articles (“人民公安为人民”) and
// written bare inside a longer clause in others (坚持人民公安为人民的宗旨). Pieces alone miss
// the second kind, so every piece text that could be a slogan is also searched for inside the
// pieces of every document: these are its bare occurrences.

// bareOcc is an occurrence of a phrase strictly inside the piece at global position g: the
// normalised runes [i, j) of its document.
type bareOcc struct{ g, i, j int32 }

// phraseSet finds every phrase that starts at a given point of a normalised text. The phrases,
// sorted by their bytes, are an implicit trie: the phrases that begin with a prefix are a
// contiguous range, narrowed one byte at a time by binary search, and the shortest phrase of a
// range, if it equals the prefix, sorts first. A hash table of the ranges by the first
// keyRunes runes skips the wide top of the trie, where most positions of a text leave it at
// once. Beyond the sorted order and that table it needs no memory: the texts are the classes'.
type phraseSet struct {
	arena    *textArena
	ids      []int32 // texts of the arena, normalised, sorted
	class    []int32 // class of each text
	runes    []int32 // length of each text in runes
	keyRunes int     // runes in a key of the table; no text is shorter
	table    []keySlot
}

// keySlot is a slot of the open-addressing table: the texts [lo, hi) share a key whose hash
// has these low bits.
type keySlot struct {
	hash   uint32
	lo, hi uint32 // hi == 0: empty
}

// maxPhraseRunes bounds the pieces that get variants or are searched for inside other
// clauses. A slogan is a phrase; a piece longer than this is a paragraph with no clause
// punctuation (or a 30 MB line of it), and its deletion keys alone would take memory in
// proportion to the square of its length. Such a piece still counts when it recurs verbatim.
const maxPhraseRunes = 200

// keyRunes is the longest key of a phraseSet: the default shortest quoted slogan. Longer
// keys leave fewer positions of a text to go down the trie from, and narrower ranges.
const keyRunes = DefaultMinQuotedChars

// newPhraseSet takes the distinct piece texts of at least minRunes runes, or quotedRunes when
// the text was ever quoted, with their classes; not the texts marked in shortened (nil: none),
// which end in a dangling character.
func newPhraseSet(distinct *textArena, class []int32, quoted, shortened []bool, minRunes, quotedRunes int) *phraseSet {
	s := &phraseSet{arena: distinct, keyRunes: min(keyRunes, quotedRunes, minRunes)}
	for id := range int32(distinct.len()) {
		if shortened != nil && shortened[id] {
			continue
		}
		n := utf8.RuneCount(distinct.at(id))
		if n > maxPhraseRunes {
			continue
		}
		if n >= minRunes || (quoted[id] && n >= quotedRunes) {
			s.ids = append(s.ids, id)
		}
	}
	slices.SortFunc(s.ids, func(a, b int32) int { return bytes.Compare(distinct.at(a), distinct.at(b)) })
	s.class = make([]int32, len(s.ids))
	s.runes = make([]int32, len(s.ids))
	for k, id := range s.ids {
		s.class[k] = class[id]
		s.runes[k] = int32(utf8.RuneCount(distinct.at(id)))
	}
	type keyRange struct{ lo, hi int }
	var ranges []keyRange
	for lo := 0; lo < len(s.ids); {
		key := s.key(s.text(lo))
		hi := lo + 1
		for hi < len(s.ids) && bytes.HasPrefix(s.text(hi), key) {
			hi++
		}
		ranges = append(ranges, keyRange{lo, hi})
		lo = hi
	}
	// At most two thirds full, so that a probe for an absent key, the common case, ends soon.
	size := 1
	for 2*size < 3*len(ranges) {
		size *= 2
	}
	s.table = make([]keySlot, size)
	for _, r := range ranges {
		h := keyHash(s.key(s.text(r.lo)))
		for x := h & uint64(size-1); ; x = (x + 1) & uint64(size-1) {
			if s.table[x].hi == 0 {
				s.table[x] = keySlot{uint32(h), uint32(r.lo), uint32(r.hi)}
				break
			}
		}
	}
	return s
}

// text returns the k-th text in sorted order.
func (s *phraseSet) text(k int) []byte { return s.arena.at(s.ids[k]) }

// key returns the first keyRunes runes of text.
func (s *phraseSet) key(text []byte) []byte {
	n := 0
	for range s.keyRunes {
		_, size := utf8.DecodeRune(text[n:])
		n += size
	}
	return text[:n]
}

// keyHash hashes a key of a few runes from its first and last eight bytes.
func keyHash(b []byte) uint64 {
	var lo, hi uint64
	if len(b) >= 8 {
		lo = binary.LittleEndian.Uint64(b)
		hi = binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		for i, c := range b {
			lo |= uint64(c) << (8 * i)
		}
	}
	return mix(lo*polyBase^hi, len(b))
}

// match calls found with the index of every phrase that text begins with, shortest first.
// The first d bytes of text are its first keyRunes runes.
func (s *phraseSet) match(text []byte, d int, found func(k int)) {
	h := keyHash(text[:d])
	mask := uint64(len(s.table) - 1)
	var lo, hi int
	for x := h & mask; ; x = (x + 1) & mask {
		slot := s.table[x]
		if slot.hi == 0 {
			return
		}
		if slot.hash == uint32(h) && bytes.Equal(s.text(int(slot.lo))[:d], text[:d]) {
			lo, hi = int(slot.lo), int(slot.hi)
			break
		}
	}
	for {
		if lo < hi && len(s.text(lo)) == d {
			found(lo)
			lo++
		}
		if lo >= hi || d >= len(text) {
			return
		}
		// Every text in [lo, hi) begins with text[:d] and is longer: keep those whose next
		// byte is text[d].
		b := text[d]
		a, z := lo, hi
		for a < z {
			h := int(uint(a+z) >> 1)
			if s.text(h)[d] < b {
				a = h + 1
			} else {
				z = h
			}
		}
		lo = a
		for z = hi; a < z; {
			h := int(uint(a+z) >> 1)
			if s.text(h)[d] <= b {
				a = h + 1
			} else {
				z = h
			}
		}
		hi = a
		d++
	}
}

// findBare returns, per class, the bare occurrences of its phrases in the pieces of every
// document, in global order. Only classes that may reach minDocs families are kept: those
// whose standalone and bare families together do.
func (m *miner) findBare(docs []*corpus.Document, set *phraseSet, jobs int) map[int32][]bareOcc {
	// Documents in the order of the global layout, so that occurrences come out sorted.
	order := m.order
	type found struct{ class, g, i, j int32 }
	perDoc := make([][]found, len(order))
	const batch = 256
	var all []found
	for lo := 0; lo < len(order); lo += batch {
		hi := min(lo+batch, len(order))
		parallel.Workers(hi-lo, jobs, func() func(x int) {
			// The normalised text alone, with the byte offset of each rune: the full map back
			// to the original is only made for the documents that hold a slogan (see locate).
			var norm []byte
			var byteOf []int32
			return func(x int) {
				d := order[lo+x]
				norm = text.AppendNormalized(norm[:0], docs[d].Text)
				byteOf = byteOf[:0]
				for b := range string(norm) {
					byteOf = append(byteOf, int32(b))
				}
				byteOf = append(byteOf, int32(len(norm)))
				// Made only when a match touches letters of a script written with spaces.
				var full *text.Normalized
				midWord := func(k int32) bool {
					if k <= 0 || k >= int32(len(byteOf)-1) {
						return false
					}
					before, _ := utf8.DecodeLastRune(norm[:byteOf[k]])
					after, _ := utf8.DecodeRune(norm[byteOf[k]:])
					if !spacedWordRune(before) || !spacedWordRune(after) {
						return false
					}
					if full == nil {
						full = text.Normalize(docs[d].Text)
					}
					// Nothing (no space, no punctuation) between them in the original.
					return full.End[k-1] == full.Start[k]
				}
				var out []found
				for p := m.pieces.first[d]; p < m.pieces.first[d+1]; p++ {
					g := m.base[d] + p - m.pieces.first[d]
					if m.tok[g] < 0 {
						continue
					}
					nStart, nEnd := m.pieces.nStart[p], m.pieces.nEnd[p]
					for i := nStart; i+int32(set.keyRunes) <= nEnd; i++ {
						text := norm[byteOf[i]:byteOf[nEnd]]
						set.match(text, int(byteOf[i+int32(set.keyRunes)]-byteOf[i]), func(k int) {
							j := i + set.runes[k]
							if i == nStart && j == nEnd {
								return // the piece itself: a standalone occurrence
							}
							if midWord(i) || midWord(j) {
								return // origin in original: a piece of a word, not the phrase
							}
							out = append(out, found{set.class[k], g, i, j})
						})
					}
				}
				perDoc[lo+x] = out
			}
		})
		for x := lo; x < hi; x++ {
			all = append(all, perDoc[x]...)
			perDoc[x] = nil
		}
	}
	out := make(map[int32][]bareOcc)
	for _, f := range all {
		out[f.class] = append(out[f.class], bareOcc{f.g, f.i, f.j})
	}
	for _, occ := range out {
		slices.SortFunc(occ, func(a, b bareOcc) int {
			if c := cmp.Compare(a.g, b.g); c != 0 {
				return c
			}
			return cmp.Compare(a.i, b.i)
		})
	}
	return out
}

// spacedWordRune reports letters and digits of scripts that separate words with spaces, where
// a phrase found inside a run of them would be a piece of a word. Chinese and Japanese are
// written without spaces, so any position between their characters may start a phrase.
func spacedWordRune(r rune) bool {
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}
