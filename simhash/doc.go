// Package simhash fingerprints normalised text with 64-bit SimHash and finds
// every fingerprint within k bits of another without comparing all pairs.
//
// What to call first: h := NewHasher(DefaultN); fp, features := h.Sum(text) on
// text that is already normalised (text.AppendNormalized does that: NFKC, case and
// width folded, no whitespace or punctuation). Skip fingerprints with fewer
// than MinFeatures features. Put the rest in NewIndex(k) with Add, then ask
// Query(fp, fn) or Pairs(fn). Distance is the Hamming distance.
//
// What it is not: it reads no files, normalises nothing, and proves nothing.
// A SimHash distance is evidence for a candidate pair, which the caller then
// verifies on the text (n-gram Jaccard, diff). The index is exact for its k:
// it returns precisely the fingerprints brute force would.
//
// # Fingerprint
//
// Sum hashes every rune n-gram of the text (a sub-slice of the input, no
// copy) with murmur3 64-bit; every occurrence votes once per bit, and a bit
// is set when more than half of the votes have it set (Charikar 2002). Votes
// are counted without a branch per bit (carry-save adders over bit-sliced
// counters, byte-lane accumulators), and for n <= 3 murmur3 is inlined into
// the loop (same hash, bit for bit). Texts under 256 bytes (clauses and
// sentences) take a path of their own that keeps every count bit-sliced,
// reads keys in place and copies only the last 16 bytes. Sum allocates
// nothing. Its throughput, against murmur3.Sum64 alone over the same n-grams
// with the rune boundaries found in advance (BenchmarkSum /
// BenchmarkMurmurOnly, medians of 8 alternated runs, one core of a shared
// 2.6 GHz Xeon): 64% at 32 bytes, 88% at 128 bytes, 79% at 1 KB, 88% at
// 16 KB, 93% at 256 KB. The shortest texts still pay a fixed cost (one
// carry-save tree for a partial batch, the majority) that 8 or 9 n-grams
// cannot spread; long ones are bound by the chain of dependent loads that
// steps from rune to rune.
//
// # Choice of n and k
//
// Measured by TestNGramSeparation on 1,687 stories of xinwenlianbo and
// sogou-news-smarty and 6,000 sentences and clauses of 10-60 runes from them.
// Edited copies have 1%, 3% or 6% of their characters substituted, inserted or
// deleted at random (at least one edit), stories also a new header line.
// Distances (median/90th/99th percentile) at n = 3:
//
//	                 1% edits   3% edits   6% edits   unrelated pairs p0.1/p1/p50
//	stories          5/ 8/11    7/12/14   10/14/18    19/22/32
//	passages        10/17/22   10/17/22   12/17/21    19/22/32
//
// Smaller n keeps edited copies closer (stories at n = 2, 3% edits: 5/9/11;
// at n = 5: 10/14/18) while random unrelated pairs stay near 32 bits for every
// n. But stories written on one template (titles sharing five leading runes,
// "习近平会见…") come much closer at n = 2: their 1st percentile is 14 bits at
// n = 2 against 17 at n = 3, and 1.35% of them are within 14 bits at n = 2
// against 0.34% at n = 3. Chinese bigrams are mostly words; trigrams carry
// phrasing. Hence DefaultN = 3.
//
// DefaultDocDistance = 10 keeps 98% of 1%-edited, 84% of 3%-edited and 56%
// of 6%-edited stories, and no random unrelated pair (0.10% of same-template
// pairs). It is meant to catch reposts with light edits. It does not need to
// catch every edited copy: a heavily edited story still shares many unedited
// sentences with its source, and those produce candidates at passage level.
// k = 3, common for web pages, would keep only 23% of 1%-edited short stories.
//
// DefaultPassageDistance = 6: a single edit in a 16-feature sentence moves a
// quarter of its votes, median 10 bits, so at passage size SimHash finds
// verbatim reuse (distance 0) and the lightest variants (16% of one-edit
// sentences within 6), and no unrelated pair (0.00% of 20,000). A larger k
// would buy little recall and much index work.
//
// # Index
//
// Index follows Manku, Jain and Das Sarma (2007): b blocks, one table per
// choice of b-k key blocks, each sorted by its key blocks (radix sort), and
// pigeonhole makes it exact. Pairs does no searching: it walks each table
// once and compares the fingerprints within each run of equal keys, reporting
// a pair only from the first table whose key blocks it agrees on. Query
// binary-searches each table for its run. b comes from a cost model measured
// on real clause fingerprints (see chooseBlocks; at most 84 tables): for
// 20,000 to 200,000 distinct fingerprints, k = 3 uses 4 blocks and 4 tables,
// k = 6 uses 7 then 8 blocks (7 or 28 tables), k = 10 uses 12 blocks and 66
// tables. Identical fingerprints are stored once with a posting list.
package simhash
