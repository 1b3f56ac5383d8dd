package slogan

import (
	"reflect"
	"slices"
	"testing"
	"unicode"

	"github.com/neardup/neardup/text"
)

// TestFlagsOf checks the table of rune tests against the tests themselves, for every rune.
func TestFlagsOf(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := flagsOf(r), computeFlags(r); got != want {
			t.Fatalf("flagsOf(%U) = %b, want %b", r, got, want)
		}
	}
}

// TestRecut checks that a document made again from the piece table, kept in memory or
// spilled, is the document as cut.
func TestRecut(t *testing.T) {
	for _, spill := range []bool{false, true} {
		for _, claimed := range []bool{false, true} {
			checkRecut(t, spill, claimed)
		}
	}
}

// checkRecut makes the documents again, before the runs are claimed or after (when the
// miner keeps only which pieces are ignored).
func checkRecut(t *testing.T, spill, claimed bool) {
	docs, _ := plantedCorpus(t, 5)
	first := text.Clauses(docs[0].Text)[0]
	ignore := normalizeIgnore([]string{string([]rune(docs[0].Text)[first.Start:first.End])})
	pt := newPieceTable(len(docs))
	var dir *spillDir
	if spill {
		dir = &spillDir{}
		defer dir.close()
		pt.spill = &pieceSpill{spillFile{dir: dir}}
		defer pt.spill.close()
	}
	cls := newClasses(DefaultVariantMinChars, dir)
	var cut []*docText
	for _, d := range docs {
		dt := cutPieces(d.Text, ignore)
		cls.add(dt, pt.count)
		pt.add(dt)
		cut = append(cut, dt)
	}
	if err := cls.classify(pt, 1); err != nil {
		t.Fatal(err)
	}
	m := newMiner(pt, ignore, 2, nil, nil)
	if err := pt.dropMined(); err != nil {
		t.Fatal(err)
	}
	if claimed {
		byPosition := slices.Clone(m.doc)
		m.claimed()
		for g, d := range byPosition {
			if got := m.docAt(int32(g)); got != d {
				t.Fatalf("spilled %v: docAt(%d) = %d once claimed, want %d", spill, g, got, d)
			}
		}
	}
	ignored := 0
	for d, want := range cut {
		got, err := m.recut(int32(d), docs[d].Text)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.runes, want.runes) || !reflect.DeepEqual(got.lines, want.lines) || len(got.pieces) != len(want.pieces) {
			t.Fatalf("spilled %v, claimed %v, document %d: runes, lines or number of pieces differ", spill, claimed, d)
		}
		for i, w := range want.pieces {
			g := got.pieces[i]
			if g.start != w.start || g.end != w.end || g.nStart != w.nStart || g.nEnd != w.nEnd || g.quoted != w.quoted || (g.class < 0) != (w.class < 0) {
				t.Fatalf("spilled %v, claimed %v, document %d, piece %d: %+v, want %+v", spill, claimed, d, i, g, w)
			}
			if w.class < 0 {
				ignored++
			}
		}
	}
	if ignored == 0 {
		t.Error("no piece was ignored")
	}
}
