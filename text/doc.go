// Package text is neardup's one view of characters: how a text is normalised for comparison
// (NFKC, case folding, punctuation and spacing dropped) with an exact map from every
// normalised rune back to the original code points, and how a text is cut into sentences
// and clauses.
//
// Every other package (corpus, match, slogan, diff, simhash's callers) compares text through
// Normalize and cuts it through Sentences and Clauses, so that "equal" and "a clause" mean
// the same thing everywhere. Offsets are in Unicode code points of the original text,
// 0-based, end exclusive.
package text
