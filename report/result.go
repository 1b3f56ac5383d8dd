// Package report holds the result of a neardup run and renders it as text, JSON or HTML.
//
// The JSON form is a stable interface (schema "neardup/1"); field names here are part of it.
// Every offset is in Unicode code points of the original decoded text, 0-based, end exclusive.
package report

import "github.com/neardup/neardup/corpus"

// Schema names the JSON layout written by neardup; bump it when a field changes meaning.
const Schema = "neardup/1"

// Result is everything one run found, already sorted for output.
type Result struct {
	Schema    string     `json:"schema"`
	Settings  Settings   `json:"settings"`
	Documents []Document `json:"documents"`
	// Families are repost families, largest first: sets of documents every two of which
	// are near-duplicates, each with its likely source.
	Families []Family `json:"families"`
	// Identical lists the groups of documents with the same normalised text, largest first.
	// A group is compared once: pairs inside it are not listed, and a pair or passage naming
	// its first member holds for every member.
	Identical  []IdenticalGroup `json:"identical"`
	Duplicates []Duplicate      `json:"duplicates"`
	Passages   []Passage        `json:"passages"`
	Slogans    []Slogan         `json:"slogans"`
	// Capped lists passages left out of the passage evidence because they recur in more
	// documents than the document-frequency limit; the slogans report shows them whole.
	Capped  []Capped `json:"capped"`
	Skipped []Skip   `json:"skipped"`
}

// Settings records the parameters a result was made with, so a report says how it was made.
type Settings struct {
	NGram           int     `json:"ngram"`
	DocDistance     int     `json:"doc_distance"`
	PassageDistance int     `json:"passage_distance"`
	MinSimilarity   float64 `json:"min_similarity"`
	MinPassage      int     `json:"min_passage"`
	MaxDF           int     `json:"max_df"`
	MinDocs         int     `json:"min_docs"`
}

// Document is one input text.
type Document struct {
	Path        string `json:"path"`
	Chars       int    `json:"chars"`       // code points of the decoded text
	Fingerprint string `json:"fingerprint"` // 64-bit SimHash, 16 lower-case hex digits
	Encoding    string `json:"encoding,omitempty"`
	Date        string `json:"date,omitempty"`      // YYYY-MM-DD, when the document has one
	DateRule    string `json:"date_rule,omitempty"` // where the date came from: table, front-matter or path
}

// Duplicate is a verified pair of near-duplicate documents, A before B in input order.
type Duplicate struct {
	A          string  `json:"a"`
	B          string  `json:"b"`
	Similarity float64 `json:"similarity"` // Jaccard similarity of the character n-gram sets
	Distance   int     `json:"distance"`   // Hamming distance of the document fingerprints
	// ContainmentA is the share of A's n-grams found in B, ContainmentB of B's in A.
	ContainmentA float64 `json:"containment_a"`
	ContainmentB float64 `json:"containment_b"`
	// Relation is "near-copy", "a-contains-b" or "b-contains-a" (see match.Relation).
	Relation string `json:"relation"`
	// Aligned is the alignment similarity that made a heavily edited pair a near-copy.
	Aligned float64 `json:"aligned,omitempty"`
	// Folded: one side is Traditional Chinese, the other not; they matched through folding.
	Folded bool `json:"folded,omitempty"`
}

// Passage is a verified span of text shared by two documents.
type Passage struct {
	A          string  `json:"a"`
	AStart     int     `json:"a_start"`
	AEnd       int     `json:"a_end"`
	B          string  `json:"b"`
	BStart     int     `json:"b_start"`
	BEnd       int     `json:"b_end"`
	Similarity float64 `json:"similarity"`
	// Folded: one side is Traditional Chinese, the other not; they matched through folding.
	Folded bool `json:"folded,omitempty"`
	// Excerpt is the start of the passage in A, for the text report; JSON readers cut the
	// passage out of the files themselves.
	Excerpt string `json:"-"`
}

// Slogan is a phrase that recurs, verbatim or with small variations, across documents.
type Slogan struct {
	// Text is the most frequent spelling; for a template, its frame with … where the
	// fillers go (中方愿同…方一道).
	Text string `json:"text"`
	// Kind is always set: "slogan" (a slogan or formula), "template" (one frame, different
	// fillers), "name" (a name or title), "phrase" (a recurring phrase of no other kind) or
	// "boilerplate" (page chrome: datelines, headers, column tags).
	Kind string `json:"kind"`
	// Documents counts every document holding the phrase, whatever longer phrase it
	// stands in.
	Documents   int       `json:"documents"`
	Occurrences int       `json:"occurrences"`
	Variants    []Variant `json:"variants"` // spellings a character, punctuation or width apart
	// Fillers lists, for a template, what fills its frame and how often.
	Fillers []Variant `json:"fillers,omitempty"`
	// Forms are longer phrases made of this one and a few joining words (推进中国式现代化),
	// each with its own counts; they are not listed as slogans of their own.
	Forms     []Form     `json:"forms"`
	Locations []Location `json:"locations"`
	// FirstSeen and LastSeen are the earliest and latest dates (YYYY-MM-DD) of the dated
	// documents holding it; empty when none is dated.
	FirstSeen string `json:"first_seen,omitempty"`
	LastSeen  string `json:"last_seen,omitempty"`
	// ByMonth counts the dated documents holding it per month, in order of month.
	ByMonth []MonthCount `json:"by_month"`
}

// Form is a longer phrase holding a slogan, with its own counts.
type Form struct {
	Text        string `json:"text"`
	Documents   int    `json:"documents"`
	Occurrences int    `json:"occurrences"`
}

// MonthCount is the number of dated documents of one month ("2024-03") holding a slogan.
type MonthCount struct {
	Month     string `json:"month"`
	Documents int    `json:"documents"`
}

// Variant is one spelling of a slogan and how often it occurs.
type Variant struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Location is one occurrence of a slogan or capped passage.
type Location struct {
	Path  string `json:"path"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Capped is a passage that occurs in more documents than the limit allows as evidence.
type Capped struct {
	Text      string `json:"text"`
	Documents int    `json:"documents"`
}

// Skip is an input that was not compared, and why: what package corpus returned.
type Skip = corpus.Skip

// Family is a set of near-duplicate documents that were verified pairwise: every two members
// are near-duplicates (or identical), not merely linked through a chain of pairs.
type Family struct {
	// Source is the member most likely published first, chosen by SourceRule:
	// "earliest-date" (the earliest dated member, the longest among those of that day) or
	// "longest" (no member has a date: the member with the most characters).
	Source     string `json:"source"`
	SourceRule string `json:"source_rule"`
	Size       int    `json:"size"` // members, the source included
	// PairsListed is false for a family of more than MaxFamilyPairs members: its members
	// with their similarity to the source stand for the pairs among them, which are left out
	// of duplicates (PairsOmitted counts them; `scan --all-pairs` lists them).
	PairsListed  bool           `json:"pairs_listed"`
	PairsOmitted int            `json:"pairs_omitted"`
	Members      []FamilyMember `json:"members"` // the source first, then most similar first
}

// FamilyMember is one document of a family.
type FamilyMember struct {
	Path       string  `json:"path"`
	Similarity float64 `json:"similarity"`     // to the family's source; 1 for the source
	Date       string  `json:"date,omitempty"` // YYYY-MM-DD, as in documents
	Chars      int     `json:"chars"`
}

// IdenticalGroup is a set of documents whose normalised texts are equal.
type IdenticalGroup struct {
	Members []string `json:"members"` // in input order
}

// MaxFamilyPairs is the largest family whose pairs are all listed in duplicates; a larger one
// lists its members with their similarity to the source instead, so that output grows with
// the documents, not with their pairs.
const MaxFamilyPairs = 30

// Round3 keeps similarities readable and stable across platforms in the output.
func Round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}
