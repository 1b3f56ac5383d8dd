package slogan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestBareOccurrences plants a phrase that stands on its own in one document and bare inside
// longer clauses in others.
func TestBareOccurrences(t *testing.T) {
	phrase := "人民公安为人民"
	long := "坚持人民公安为人民的根本宗旨" // a longer clause holding it, in three documents
	docs := docsOf(
		filler[0]+"他说，“"+phrase+"”是我们的初心。",
		filler[1]+"大家牢记"+phrase+"的要求。",
		filler[2]+"始终把"+phrase+"落到实处。",
		filler[3]+long+"。",
		filler[4]+long+"。",
		filler[0]+long+"，"+"“关键时刻”不能含糊。",
		filler[1]+"关键时刻能冲得出来的人。",
	)
	res := Find(docs, Options{})
	tests := []struct {
		text string
		docs []int // documents it must be reported in; nil: not reported
	}{
		{phrase, []int{0, 1, 2, 3, 4, 5}}, // every document holding it, bare or not
		{long, []int{3, 4, 5}},            // and the longer clause on its own
		{"关键时刻", nil},                     // short, quoted in one document only: its bare uses do not count
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s := bySloganText(res, tt.text)
			if s == nil {
				s = bySloganText(res, "“"+tt.text+"”")
			}
			if tt.docs == nil {
				if s != nil {
					t.Fatalf("reported: %+v", *s)
				}
				return
			}
			if s == nil {
				t.Fatalf("not reported; slogans %v", res.Slogans)
			}
			var got []int
			for _, l := range s.Locations {
				var d int
				fmt.Sscanf(l.Path, "d%d.txt", &d)
				got = append(got, d)
				text := string([]rune(docs[d].Text)[l.Start:l.End])
				if strings.Trim(text, "“”") != tt.text {
					t.Errorf("location %v holds %q", l, text)
				}
			}
			if !slices.Equal(got, tt.docs) || s.Documents != len(tt.docs) {
				t.Errorf("documents %d at %v, want %v", s.Documents, got, tt.docs)
			}
		})
	}
	// A part of the longer clause may be a phrase of its own (根本宗旨), but then with
	// every document holding it.
	for _, s := range res.Slogans {
		if s.Text != phrase && s.Text != long && strings.Contains(long, s.Text) && s.Documents < 3 {
			t.Errorf("part %q of %q in %d documents, want 3 or more", s.Text, long, s.Documents)
		}
	}
}

// TestBareSpansAreOriginal checks that a bare occurrence is given in code points of the
// original text, across full-width letters and spaces that normalisation folds away.
func TestBareSpansAreOriginal(t *testing.T) {
	phrase := "ＡＩ赋能千行百业"
	docs := docsOf(
		filler[0]+"“"+phrase+"”",
		filler[1]+"推动 AI赋能千行百业 走深走实。",
		filler[2]+"以ＡＩ 赋能千行百业为抓手。",
	)
	res := Find(docs, Options{MinDocs: 3})
	var s *Slogan
	for i := range res.Slogans {
		if strings.Contains(res.Slogans[i].Text, "赋能千行百业") {
			s = &res.Slogans[i]
		}
	}
	if s == nil || s.Documents != 3 {
		t.Fatalf("want one slogan in 3 documents; slogans %v", res.Slogans)
	}
	want := []string{phrase, "AI赋能千行百业", "ＡＩ 赋能千行百业"}
	for k, l := range s.Locations {
		if got := string([]rune(docs[k].Text)[l.Start:l.End]); got != want[k] {
			t.Errorf("%s: location holds %q, want %q", l.Path, got, want[k])
		}
	}
}

// TestVariantPieceCountedOnce plants a phrase whose one-edit variant (a character added in
// front) is a piece of its own: that piece is one occurrence of the slogan, not also a bare
// occurrence of the phrase inside it.
func TestVariantPieceCountedOnce(t *testing.T) {
	phrase := "人民生活继续得到改善"
	docs := docsOf(
		filler[0]+phrase+"。",
		filler[1]+"使"+phrase+"。",
		filler[2]+phrase+"。",
		filler[3]+"要"+phrase+"，"+filler[4],
	)
	res := Find(docs, Options{MinDocs: 3})
	s := bySloganText(res, phrase)
	if s == nil {
		t.Fatalf("not reported; slogans %v", res.Slogans)
	}
	if s.Documents != 4 || s.Occurrences != 4 || len(s.Locations) != 4 {
		t.Errorf("documents %d, occurrences %d, locations %v; want 4, 4, one per document", s.Documents, s.Occurrences, s.Locations)
	}
	for i, l := range s.Locations {
		for _, m := range s.Locations[i+1:] {
			if l.Path == m.Path && l.Start < m.End && m.Start < l.End {
				t.Errorf("locations %v and %v overlap", l, m)
			}
		}
	}
	total := 0
	for _, v := range s.Variants {
		total += v.Count
	}
	if total != s.Occurrences {
		t.Errorf("variant counts sum to %d, occurrences %d", total, s.Occurrences)
	}
}

// TestBareOccurrenceIsWholeWords checks that in a script written with spaces a phrase is not
// found inside a longer word (network in networking), while in Chinese, written without
// spaces, it is found anywhere.
func TestBareOccurrenceIsWholeWords(t *testing.T) {
	tests := []struct {
		name   string
		phrase string
		texts  []string
		docs   []int // documents the phrase is reported in; nil: not reported
	}{
		{
			name:   "inside longer words",
			phrase: "network",
			texts: []string{
				"The river rose overnight. Network, they said, was down.",
				"Our networking stack is fast and small.",
				"Many social networks grew quickly that year.",
				"A neural network was trained on the data.",
			},
		},
		{
			name:   "whole words",
			phrase: "neural network",
			texts: []string{
				"The river rose overnight. Neural network, they said, was down.",
				"Our neural networking stack is fast and small.",
				"A neural network was trained on the data.",
				"Every packet left the neural network-layer queue.",
				"Rain fell; the neural network held up.",
			},
			docs: []int{0, 2, 3, 4},
		},
		{
			name:   "Chinese has no word boundaries",
			phrase: "人民公安为人民",
			texts: []string{
				filler[0] + "“人民公安为人民”。",
				filler[1] + "坚持人民公安为人民的宗旨。",
				filler[2] + "践行人民公安为人民。",
			},
			docs: []int{0, 1, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := docsOf(tt.texts...)
			res := Find(docs, Options{MinDocs: 3})
			var s *Slogan
			for i := range res.Slogans {
				if strings.EqualFold(strings.Trim(res.Slogans[i].Text, "“”"), tt.phrase) {
					s = &res.Slogans[i]
				}
			}
			if tt.docs == nil {
				if s != nil {
					t.Fatalf("reported: %+v", *s)
				}
				return
			}
			if s == nil {
				t.Fatalf("not reported; slogans %v", res.Slogans)
			}
			var got []int
			for _, l := range s.Locations {
				var d int
				fmt.Sscanf(l.Path, "d%d.txt", &d)
				got = append(got, d)
				text := strings.Trim(string([]rune(docs[d].Text)[l.Start:l.End]), "“”")
				if !strings.EqualFold(text, tt.phrase) {
					t.Errorf("location %v holds %q", l, text)
				}
			}
			if !slices.Equal(got, tt.docs) {
				t.Errorf("found in documents %v, want %v", got, tt.docs)
			}
		})
	}
}
