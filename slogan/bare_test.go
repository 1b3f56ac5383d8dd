package slogan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neardup/neardup/report"
	"github.com/neardup/neardup/text"
)

func TestPhraseSetMatch(t *testing.T) {
	distinct := []string{"人民公安为人民", "人民公安", "公安为人民", "为人民服务", "人民", "平安中国"}
	class := []int32{0, 1, 2, 3, 4, 5}
	quoted := []bool{false, true, false, false, true, true}
	arena := newTextArena()
	for _, text := range distinct {
		arena.add([]byte(text))
	}
	set := newPhraseSet(&arena, class, quoted, nil, 5, 4)
	tests := []struct {
		text string
		want []string // phrases the text begins with, shortest first
	}{
		{"人民公安为人民服务", []string{"人民公安", "人民公安为人民"}},
		{"人民公安", []string{"人民公安"}},
		{"人民警察", nil},
		{"公安为人民服务", []string{"公安为人民"}},
		{"为人民服务", []string{"为人民服务"}},
		{"平安中", nil},
		{"人民", nil}, // two runes: shorter than any phrase kept
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			norm := text.Normalize(tt.text)
			var got []string
			if norm.Len() >= set.keyRunes {
				set.match(norm.Text, int(norm.Byte[set.keyRunes]), func(k int) { got = append(got, string(set.text(k))) })
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

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
		{phrase, []int{0, 1, 2}},
		{long, []int{3, 4, 5}}, // the bare phrase inside belongs to the longer clause
		{"关键时刻", nil},          // short, quoted in one document only: its bare uses do not count
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
	for _, s := range res.Slogans {
		if s.Text != phrase && s.Text != long && strings.Contains(long, s.Text) {
			t.Errorf("fragment %q of %q reported", s.Text, long)
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
	var s *report.Slogan
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
			phrase: "network",
			texts: []string{
				"The river rose overnight. Network, they said, was down.",
				"Our networking stack is fast and small.",
				"A neural network was trained on the data.",
				"Every packet left the network-layer queue.",
				"Rain fell; the 5G network held up.",
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
			var s *report.Slogan
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
