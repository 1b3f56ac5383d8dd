package diff

import (
	"strings"
	"testing"
)

func sideMarkup(r Row) (string, string) {
	return markup(r.Left), markup(r.Right)
}

func TestNormalized(t *testing.T) {
	tests := []struct {
		name        string
		a, b        string
		left, right []string // per row, markup of each side after Normalized
		changed     int      // rows still changed
	}{
		{
			name:  "full-width comma and stop against half-width",
			a:     "会议强调，要坚持稳中求进工作总基调。\n",
			b:     "会议强调, 要坚持稳中求进工作总基调.\n",
			left:  []string{"会议强调，要坚持稳中求进工作总基调。\n"},
			right: []string{"会议强调, 要坚持稳中求进工作总基调.\n"},
		},
		{
			name:  "case and spacing",
			a:     "Hello World\n",
			b:     "hello  world\n",
			left:  []string{"Hello World\n"},
			right: []string{"hello  world\n"},
		},
		{
			name:    "a real change next to a punctuation change keeps only the real one",
			a:       "会议强调，要坚持稳中求进工作总基调。\n",
			b:       "会议强调,要坚持稳中有进工作总基调.\n",
			left:    []string{"会议强调，要坚持稳中[-求-]进工作总基调。\n"},
			right:   []string{"会议强调,要坚持稳中{+有+}进工作总基调.\n"},
			changed: 1,
		},
		{
			name:  "full-width digits and letters",
			a:     "ＧＤＰ增长６％\n",
			b:     "GDP增长6%\n",
			left:  []string{"ＧＤＰ增长６％\n"},
			right: []string{"GDP增长6%\n"},
		},
		{
			name:    "a paragraph only in B stays inserted",
			a:       "第一段。\n",
			b:       "第一段。\n\n新加的一段。\n",
			changed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := RowsNormalized(tt.a, tt.b)
			if got := Summarize(rows).Changed; got != tt.changed {
				t.Errorf("%d rows changed, want %d", got, tt.changed)
			}
			var a, b strings.Builder
			for i, r := range rows {
				for _, e := range r.Left {
					a.WriteString(e.Text)
				}
				for _, e := range r.Right {
					b.WriteString(e.Text)
				}
				if i < len(tt.left) {
					l, rt := sideMarkup(r)
					if l != tt.left[i] || rt != tt.right[i] {
						t.Errorf("row %d: %q | %q, want %q | %q", i, l, rt, tt.left[i], tt.right[i])
					}
				}
			}
			if a.String() != tt.a || b.String() != tt.b {
				t.Errorf("sides no longer give the texts: %q, %q", a.String(), b.String())
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	rows := Rows("会议在北京召开。\n\n删掉的一段话。\n\n不变。\n\n", "会议在上海召开。\n\n不变。\n\n加 的。\n")
	got := Summarize(rows)
	// 北京 -> 上海 (2 and 2), 删掉的一段话。 (7) only in A, 加的。 (3, the space not counted) only in B.
	want := Summary{Rows: got.Rows, Changed: 3, OnlyA: 1, OnlyB: 1, Deleted: 9, Inserted: 5}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got.Same() {
		t.Error("Same() on a diff with changes")
	}
	if s := Summarize(Rows("一样。\n", "一样。\n")); !s.Same() || s.Rows != 1 {
		t.Errorf("identical texts: %+v", s)
	}
}

// checkNormalizedRows checks what RowsNormalized promises whatever the texts: the sides still
// give the texts, each side holds only its own operations, and a change is never made of
// text that normalises to nothing alone.
func checkNormalizedRows(t *testing.T, rows []Row, a, b string) {
	t.Helper()
	if got := sideText(rows, true); got != a {
		t.Errorf("left side gives %q, want %q", got, a)
	}
	if got := sideText(rows, false); got != b {
		t.Errorf("right side gives %q, want %q", got, b)
	}
	for i, r := range rows {
		for _, e := range r.Left {
			if e.Op == Insert {
				t.Errorf("row %d: insert on the left", i)
			}
			if e.Op == Delete && r.Right != nil && normalizedKey(e.Text) == "" {
				t.Errorf("row %d: deleted %q normalises to nothing", i, e.Text)
			}
		}
		for _, e := range r.Right {
			if e.Op == Delete {
				t.Errorf("row %d: delete on the right", i)
			}
			if e.Op == Insert && r.Left != nil && normalizedKey(e.Text) == "" {
				t.Errorf("row %d: inserted %q normalises to nothing", i, e.Text)
			}
		}
	}
}
