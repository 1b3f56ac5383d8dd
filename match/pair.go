package match

import (
	"slices"
	"strings"

	"github.com/neardup/neardup/corpus"
	"github.com/neardup/neardup/simhash"
	"github.com/neardup/neardup/text"
)

// Find compares all documents in one process. A pipeline that spreads the work over machines
// (neardup's Beam pipeline) makes the candidate pairs with its own grouping and needs the
// rest of Find one document or one pair at a time: the keys a document is grouped by (Keys),
// the rules that cap a clause and add candidates (NearVariants, CappedCandidates), and the
// verification of one pair (VerifyPair). Given the same candidates and the same capped
// clauses, they find what Find finds without exclusions (no ignored phrases, no slogans).

// SeedClause is a clause that finds candidates: one member of a group of equal clause texts.
type SeedClause struct {
	Index      int    // position among the document's clauses
	Start, End int    // code points of the original text
	Hash       uint64 // exact identity of the normalised text: the group key
	FP         uint64 // SimHash of the normalised text
	Near       bool   // has enough n-grams for FP to find near variants
	Runes      int    // normalised characters
	Text       string // the normalised text, to verify near variants on
	Quote      string // the original text, trimmed, as Capped lists it
}

// DocKeys is what the candidate search needs of one document.
type DocKeys struct {
	FP       uint64
	Features int
	Runes    int // normalised characters
	Seeds    []SeedClause
	// MinHash is the signature of a short document, whose candidates also come from
	// agreeing on its values (see shortCandidates); nil for others. ^0 marks an empty bucket.
	MinHash []uint32
	// Anchors are the winnowed k-grams of the normalised text (see anchorSeeds).
	Anchors []Anchor
}

// Anchor is one anchor of a document: the hash of its k-gram and its byte offset in the
// normalised text.
type Anchor struct {
	Hash uint64
	At   int32
}

// AnchorSeed is an anchor two documents share, at byte offsets A and B of their normalised
// texts.
type AnchorSeed struct{ A, B int32 }

// MaxAnchorMembers is the most occurrences of one anchor that are paired up.
const MaxAnchorMembers = maxAnchorMembers

// AnchorPair reports whether the anchors a pair shares, sorted by A then B, make it a
// candidate: enough of them, two near each other on about the same diagonal.
func AnchorPair(seeds []AnchorSeed) bool {
	as := make([]anchorSeed, len(seeds))
	for i, s := range seeds {
		as[i] = anchorSeed{0, 1, s.A, s.B}
	}
	return len(seeds) >= minAnchorHits && nearPair(as)
}

// FewAnchors reports whether a pair found only through shared anchors shares too few of
// them to be judged as documents: only its passages are sought.
func FewAnchors(shared, anchorsA, anchorsB int) bool {
	return float64(shared) < anchorPairShare*float64(min(anchorsA, anchorsB))
}

// ShortAgreements reports whether two short documents that agree on this many MinHash
// buckets (each pair passing ShortPair) are a candidate.
func ShortAgreements(featuresA, featuresB, agree int) bool {
	return agree >= 2 || min(featuresA, featuresB) < twoBucketGrams
}

// Evidence is what the whole corpus tells about one pair, beyond its two texts.
type Evidence struct {
	Capped         func(hash uint64) bool // clause texts capped by MaxDF, by SeedClause.Hash
	Anchors        []AnchorSeed           // the anchors the pair shares, sorted by A then B
	StockA, StockB []int32                // offsets of each side's anchors found in more than MaxDF documents
	PassagesOnly   bool                   // found only through a few anchors (FewAnchors)
}

// MinHashBucketLimit is the most documents one MinHash value makes candidates of each other.
const MinHashBucketLimit = maxMinHashBucket

// ShortPair reports whether two documents of these feature counts that agree on a MinHash
// value are a candidate pair, as Find decides it.
func ShortPair(featuresA, featuresB int, opt Options) bool {
	opt = withDefaults(opt)
	fa, fb := featuresA, featuresB
	return min(fa, fb) <= shortGrams && float64(min(fa, fb)) >= opt.MinSimilarity*float64(max(fa, fb))*0.9
}

// Keys fingerprints one document as Find does and returns its seed clauses in text order.
func Keys(s string, opt Options) DocKeys {
	opt = withDefaults(opt)
	st := prepare(s, nil, simhash.NewHasher(opt.N), opt.N)
	norm := text.AppendNormalized(nil, s)
	doc := &corpus.Document{Text: s}
	k := DocKeys{FP: st.fp, Features: st.feats, Runes: st.runes}
	if f := st.feats; f >= simhash.MinFeatures && float64(f)*opt.MinSimilarity <= shortGrams {
		k.MinHash = st.minHash
	}
	refs, _, _ := winnow(nil, norm, 0, nil, nil, nil)
	for _, r := range refs {
		k.Anchors = append(k.Anchors, Anchor{Hash: r.hash, At: r.nb})
	}
	for i, c := range st.clauses {
		if !c.seed {
			continue
		}
		p := st.prints[i]
		k.Seeds = append(k.Seeds, SeedClause{
			Index: i, Start: int(c.start), End: int(c.end), Hash: p.hash, FP: p.fp, Near: p.near,
			Runes: int(p.runes), Text: string(norm[c.nb:c.ne]), Quote: strings.TrimSpace(doc.Slice(int(c.start), int(c.end))),
		})
	}
	return k
}

// NearVariants reports whether two seed clauses of different texts are near variants as Find
// verifies them: fingerprints within PassageDistance and texts similar on the characters.
func NearVariants(a, b SeedClause, opt Options) bool {
	opt = withDefaults(opt)
	if !a.Near || !b.Near || a.Hash == b.Hash || simhash.Distance(a.FP, b.FP) > opt.PassageDistance {
		return false
	}
	var sc scratch
	return similarAtLeast([]byte(a.Text), []byte(b.Text), opt.N, nearClauseSimilarity, &sc)
}

// CappedCandidates returns which of the documents holding one capped clause Find makes
// candidates for near-duplicate documents, every pair of them (see docCandidates). docs are
// the distinct documents holding the clause, in any order, docRunes their normalised
// lengths and clauseRunes the clause's.
func CappedCandidates(docs, docRunes []int, clauseRunes int, opt Options) []int {
	opt = withDefaults(opt)
	if len(docs) <= docPairFactor*opt.MaxDF {
		return docs
	}
	var big []int
	for i, d := range docs {
		if clauseRunes*bigShare >= docRunes[i] {
			big = append(big, d)
		}
	}
	if len(big) > maxBigGroup {
		return nil
	}
	return big
}

// VerifyPair verifies one candidate pair as Find does: its verdict as documents (near-copy,
// or one containing the other) from the n-gram sets, and unless they are near-copies the
// passages grown from the clauses the two share, exactly or as near variants, that the
// evidence does not cap, and from the anchors they share. The results name a as document 0
// and b as document 1.
func VerifyPair(a, b *corpus.Document, ev Evidence, opt Options) (*Duplicate, []Passage) {
	opt = withDefaults(opt)
	capped := ev.Capped
	if capped == nil {
		capped = func(uint64) bool { return false }
	}
	h := simhash.NewHasher(opt.N)
	sa, sb := prepare(a.Text, nil, h, opt.N), prepare(b.Text, nil, h, opt.N)
	sa.norm, sb.norm = text.AppendNormalized(nil, a.Text), text.AppendNormalized(nil, b.Text)
	for _, st := range []*docState{&sa, &sb} {
		for i := range st.clauses {
			if st.clauses[i].seed && capped(st.prints[i].hash) {
				st.clauses[i].capped = true
			}
		}
	}
	sa.stock, sb.stock = slices.Sorted(slices.Values(ev.StockA)), slices.Sorted(slices.Values(ev.StockB))
	var sc scratch
	var dup *Duplicate
	if !ev.PassagesOnly {
		sa.grams, sb.grams = gramSet(sa.norm, nil, opt.N, nil), gramSet(sb.norm, nil, opt.N, nil)
		if len(sa.grams) >= simhash.MinFeatures && len(sb.grams) >= simhash.MinFeatures {
			if v := judgePair(&sa, &sb, opt, &sc); v.Relation != "" {
				v.A, v.B, v.Distance = 0, 1, simhash.Distance(sa.fp, sb.fp)
				v.Folded = text.Folded(a.Text) != text.Folded(b.Text)
				dup = &v
			}
		}
	}
	if dup != nil && dup.Relation == NearCopy {
		return dup, nil
	}
	var seeds []seed
	for i, ca := range sa.clauses {
		pa := sa.prints[i]
		if !ca.seed || capped(pa.hash) {
			continue
		}
		for j, cb := range sb.clauses {
			pb := sb.prints[j]
			if !cb.seed {
				continue
			}
			if pa.hash == pb.hash {
				seeds = append(seeds, seed{int32(i), int32(j)})
				continue
			}
			if pa.near && pb.near && simhash.Distance(pa.fp, pb.fp) <= opt.PassageDistance && !capped(pb.hash) &&
				similarAtLeast(sa.norm[ca.nb:ca.ne], sb.norm[cb.nb:cb.ne], opt.N, nearClauseSimilarity, &sc) {
				seeds = append(seeds, seed{int32(i), int32(j)})
			}
		}
	}
	var found []Passage
	if len(seeds) > 0 {
		found = passages(0, 1, sa.src, sb.src, &sa, &sb, seeds, opt, &sc)
	}
	if len(ev.Anchors) > 0 {
		as := make([]anchorSeed, len(ev.Anchors))
		for i, s := range ev.Anchors {
			as[i] = anchorSeed{0, 1, s.A, s.B}
		}
		more := anchorPassages(0, 1, sa.src, sb.src, &sa, &sb, as, opt, &sc)
		found = mergePassages(sa.src, sb.src, found, more, opt, &sc)
	}
	for i := range found {
		p := &found[i]
		p.Folded = text.Folded(sa.src.Slice(p.AStart, p.AEnd)) != text.Folded(sb.src.Slice(p.BStart, p.BEnd))
	}
	return dup, found
}
