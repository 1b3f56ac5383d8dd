package slogan

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/neardup/neardup/corpus"
)

// readTexts gives the texts of docs as a file read again would: a fresh copy on every call,
// counted, and failing with errRead on the fail-th call for document failDoc (0: never).
type readTexts struct {
	docs    []*corpus.Document
	calls   []int
	failDoc int
	fail    int
}

var errRead = errors.New("reading the text failed")

func newReadTexts(docs []*corpus.Document) *readTexts {
	return &readTexts{docs: docs, calls: make([]int, len(docs))}
}

func (r *readTexts) Len() int { return len(r.docs) }

func (r *readTexts) Text(i int) (string, error) {
	r.calls[i]++
	if r.fail > 0 && i == r.failDoc && r.calls[i] == r.fail {
		return "", fmt.Errorf("document %d: %w", i, errRead)
	}
	return strings.Clone(r.docs[i].Text), nil
}

// checkFindTexts checks that FindTexts finds what Find finds, asking for each text at most
// twice.
func checkFindTexts(t *testing.T, docs []*corpus.Document, opt Options, want *Result) {
	t.Helper()
	if want == nil {
		want = Find(docs, opt)
	}
	texts := newReadTexts(docs)
	got, err := FindTexts(texts, opt)
	if err != nil {
		t.Fatal(err)
	}
	got.SetPaths(func(d int) string { return docs[d].Path })
	if len(want.Slogans) == 0 {
		t.Fatal("no slogans found")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindTexts found %d slogans, Find %d; or they differ", len(got.Slogans), len(want.Slogans))
	}
	for d, n := range texts.calls {
		if n < 1 || n > 2 {
			t.Fatalf("text %d asked for %d times, want 1 or 2", d, n)
		}
	}
}

func TestFindTextsEqualsFind(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		base, _ := plantedCorpus(t, seed)
		t.Run(fmt.Sprintf("planted/seed=%d", seed), func(t *testing.T) {
			checkFindTexts(t, base, Options{Jobs: 2, Ignore: []string{"记者了解到"}}, nil)
		})
		t.Run(fmt.Sprintf("planted-copies/seed=%d/jobs=1", seed), func(t *testing.T) {
			docs := withCopies(base, rand.New(rand.NewPCG(seed, 9)))
			checkFindTexts(t, docs, Options{Jobs: 1}, nil)
		})
	}
	t.Run("xinwenlianbo", func(t *testing.T) {
		docs, want := findXinwen(t)
		checkFindTexts(t, docs, Options{Jobs: 2}, want)
	})
}

// TestFindTextsError checks that a failing Text, in the pass that cuts the documents or in
// the one that places the occurrences, is returned.
func TestFindTextsError(t *testing.T) {
	docs, _ := plantedCorpus(t, 3)
	for _, fail := range []int{1, 2} {
		for _, jobs := range []int{1, 2} {
			t.Run(fmt.Sprintf("call=%d/jobs=%d", fail, jobs), func(t *testing.T) {
				texts := newReadTexts(docs)
				texts.failDoc, texts.fail = len(docs)/2, fail
				res, err := FindTexts(texts, Options{Jobs: jobs})
				if !errors.Is(err, errRead) || res != nil {
					t.Fatalf("FindTexts returned %v and a result %v, want %v and none", err, res != nil, errRead)
				}
				if texts.calls[texts.failDoc] != fail {
					t.Fatalf("the failing text was asked for %d times, want %d", texts.calls[texts.failDoc], fail)
				}
			})
		}
	}
	texts := newReadTexts(docs)
	texts.failDoc, texts.fail = 1, 1
	if _, err := IgnoredTexts(texts, []string{"记者了解到"}); !errors.Is(err, errRead) {
		t.Errorf("IgnoredTexts returned %v, want %v", err, errRead)
	}
}
