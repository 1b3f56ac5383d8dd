package index

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// seedDir copies the seed articles into a fresh folder and returns it.
func seedDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	seeds, err := filepath.Glob("../testdata/corpus/00*.txt")
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seed articles in testdata/corpus: %v", err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "articles", filepath.Base(s)), string(data))
	}
	return dir
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func options(root string) Options {
	return Options{Root: root, Roots: []string{"articles"}, Settings: CurrentSettings(0, ""), Jobs: 2}
}

func paths(x *Index) []string {
	var out []string
	for _, e := range x.Entries {
		out = append(out, e.Path)
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	root := seedDir(t)
	x, st, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Added) != 5 || x.Documents() != 5 {
		t.Fatalf("added %d, documents %d; want 5 and 5", len(st.Added), x.Documents())
	}
	for i := range x.Entries {
		e := &x.Entries[i]
		if e.NumClauses == 0 || e.FP == 0 || e.Features == 0 {
			t.Errorf("%s: no fingerprints stored: %+v", e.Path, e)
		}
		for _, c := range x.Clauses(e) {
			if c.DF < 1 || c.End <= c.Start {
				t.Errorf("%s: bad clause %+v", e.Path, c)
			}
		}
	}
	y, err := Decode(Encode(nil, x))
	if err != nil {
		t.Fatal(err)
	}
	if y.Settings != x.Settings || !slices.Equal(y.Roots, x.Roots) || y.Written != x.Written || len(y.Entries) != len(x.Entries) {
		t.Fatalf("decoded header differs: %+v vs %+v", y.Settings, x.Settings)
	}
	for i := range x.Entries {
		a, b := &x.Entries[i], &y.Entries[i]
		if *a != *b || !slices.Equal(x.Clauses(a), y.Clauses(b)) {
			t.Errorf("entry %d differs after a round trip", i)
		}
	}
	// The walk is recorded in the head, which ReadHead trusts on its own.
	for _, walkAll := range []bool{false, true} {
		opt := options(root)
		opt.NoIgnoreVCS = walkAll
		x, _, err := Update(nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "index")
		if err := x.Write(file); err != nil {
			t.Fatal(err)
		}
		y, err := Load(file)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ReadHead(file)
		if err != nil {
			t.Fatal(err)
		}
		if x.NoIgnoreVCS != walkAll || y.NoIgnoreVCS != walkAll || h.NoIgnoreVCS != walkAll {
			t.Errorf("NoIgnoreVCS %v: built %v, loaded %v, head %v", walkAll, x.NoIgnoreVCS, y.NoIgnoreVCS, h.NoIgnoreVCS)
		}
	}
}

func TestUpdate(t *testing.T) {
	root := seedDir(t)
	file := filepath.Join(root, ".neardup", "index")
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	first := paths(x)
	a, b, c := first[0], first[1], first[2]

	// Edit one file, delete one, rename one, add one.
	edited := filepath.Join(root, filepath.FromSlash(a))
	data, _ := os.ReadFile(edited)
	writeFile(t, edited, "新的第一段：这是一段修改后加上的文字，用来改变指纹。\n"+string(data[:len(data)/2]))
	if err := os.Remove(filepath.Join(root, filepath.FromSlash(b))); err != nil {
		t.Fatal(err)
	}
	renamed := "articles/renamed/moved.txt"
	if err := os.MkdirAll(filepath.Join(root, "articles", "renamed"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, filepath.FromSlash(c)), filepath.Join(root, filepath.FromSlash(renamed))); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "articles", "zz-new.txt"), "一篇新加入语料库的文章，内容与其他文章都不相同，长度足够计算指纹。")
	writeFile(t, filepath.Join(root, "articles", "binary.dat"), "\x00\x01\x02\x03binary\x00\x00")

	old, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	y, st, err := Update(old, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Changed, []string{a}) {
		t.Errorf("changed %v, want [%s]", st.Changed, a)
	}
	if want := []string{"articles/binary.dat", renamed, "articles/zz-new.txt"}; !slices.Equal(st.Added, want) {
		t.Errorf("added %v, want %v", st.Added, want)
	}
	if !slices.Equal(st.Removed, []string{b, c}) {
		t.Errorf("removed %v, want [%s %s]", st.Removed, b, c)
	}
	if y.Find(b) != nil || y.Find(c) != nil {
		t.Errorf("deleted and renamed-away files are still indexed: %v", paths(y))
	}
	if e := y.Find("articles/binary.dat"); e == nil || e.Skip == "" {
		t.Errorf("binary file should be indexed as skipped, got %+v", e)
	}
	if e, o := y.Find(a), old.Find(a); e == nil || e.FP == o.FP || e.Hash == o.Hash {
		t.Errorf("edited file keeps its old fingerprint")
	}
	if e, o := y.Find(renamed), old.Find(c); e == nil || e.FP != o.FP || e.Hash != o.Hash {
		t.Errorf("renamed file should keep its content hash and fingerprint")
	}

	// Nothing changed since: nothing is read again. Back-date the index's write time so
	// that the files no longer count as racily clean.
	y.Written = time.Now().Add(time.Hour).UnixNano()
	if !y.Unchanged(options(root)) {
		t.Errorf("Unchanged: false right after an update")
	}
	_, st2, err := Update(y, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if st2.Modified() || st2.Unchanged != len(y.Entries) {
		t.Errorf("second update: %+v, want nothing modified", st2)
	}
	// Touching a file without changing it updates only its time.
	later := time.Now().Add(2 * time.Hour)
	if err := os.Chtimes(filepath.Join(root, "articles", "zz-new.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	if y.Unchanged(options(root)) {
		t.Errorf("Unchanged: true after a file's time changed")
	}
	_, st3, err := Update(y, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if st3.Touched != 1 || len(st3.Changed) != 0 {
		t.Errorf("touched file: %+v, want Touched 1 and nothing changed", st3)
	}
}

func TestSettingsChangeRebuilds(t *testing.T) {
	root := seedDir(t)
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	opt := options(root)
	opt.Settings = CurrentSettings(4, "")
	if opt.Settings == x.Settings {
		t.Fatal("settings for n=4 equal those for the default n")
	}
	y, st, err := Update(x, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Rebuilt || len(st.Added) != len(x.Entries) || y.Settings.N != 4 {
		t.Errorf("settings change: rebuilt=%v added=%d n=%d, want a full rebuild with n=4", st.Rebuilt, len(st.Added), y.Settings.N)
	}
}

func TestDamagedIndex(t *testing.T) {
	root := seedDir(t)
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	good := Encode(nil, x)
	flip := func(i int) []byte {
		b := slices.Clone(good)
		b[i] ^= 0x10
		return b
	}
	cases := []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"empty", nil, "truncated to 0 bytes", ErrDamaged},
		{"truncated header", good[:5], "truncated", ErrDamaged},
		{"truncated body", good[:len(good)/2], "truncated", ErrDamaged},
		{"truncated trailer", good[:len(good)-1], "truncated", ErrDamaged},
		{"flipped byte in the body", flip(len(good) / 2), "checksum mismatch", ErrDamaged},
		{"flipped byte in a path", flip(headerLen + 40), "checksum mismatch", ErrDamaged},
		{"flipped checksum", flip(len(good) - 2), "checksum mismatch", ErrDamaged},
		{"bytes appended", append(slices.Clone(good), 0), "the header says", ErrDamaged},
		{"other version", func() []byte { b := slices.Clone(good); b[8] = 99; return b }(), "version 99", ErrVersion},
		{"not an index", []byte("# a text file that happens to be there\n"), "not a neardup index", ErrDamaged},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "index")
			if err := os.WriteFile(file, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			x, err := Load(file)
			if err == nil {
				t.Fatalf("damaged index loaded: %d entries", len(x.Entries))
			}
			msg := err.Error()
			if !errors.Is(err, tc.err) || !strings.Contains(msg, tc.want) || !strings.Contains(msg, file) || !strings.Contains(msg, "neardup index") {
				t.Errorf("error %q: want %v mentioning %q, the file and how to rebuild", msg, tc.err, tc.want)
			}
		})
	}
}

func TestMissingIndex(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope"))
	if !IsNotExist(err) {
		t.Errorf("missing index: %v, want a not-exist error", err)
	}
}

// Two writers at once, each loading, updating and writing under the lock, leave a valid
// index that holds the work of both.
func TestConcurrentWriters(t *testing.T) {
	root := seedDir(t)
	file := filepath.Join(root, ".neardup", "index")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			writeFile(t, filepath.Join(root, "articles", "w", "writer"+string(rune('a'+i))+".txt"),
				strings.Repeat("第"+string(rune('一'+i))+"位作者写下的独立内容，", 10))
			unlock, err := Lock(file)
			if err != nil {
				errs[i] = err
				return
			}
			defer unlock()
			old, err := Load(file)
			if err != nil && !IsNotExist(err) {
				errs[i] = err
				return
			}
			x, _, err := Update(old, options(root))
			if err == nil {
				err = x.Write(file)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	x, err := Load(file)
	if err != nil {
		t.Fatalf("after concurrent writers: %v", err)
	}
	// The last writer saw every file written before it took the lock; a final update must
	// find nothing new that a writer had already indexed, and the index must be whole.
	if x.Documents() < 5 {
		t.Errorf("index holds %d documents", x.Documents())
	}
	y, st, err := Update(x, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Removed) != 0 || y.Documents() != 5+len(errs) {
		t.Errorf("final update: removed %v, %d documents; want none removed and %d documents", st.Removed, y.Documents(), 5+len(errs))
	}
}

func FuzzDecode(f *testing.F) {
	root := seedDir(f)
	x, _, err := Update(nil, options(root))
	if err != nil {
		f.Fatal(err)
	}
	good := Encode(nil, x)
	f.Add(good)
	f.Add(good[:headerLen+10])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := Decode(data)
		if err != nil {
			return
		}
		// Whatever decodes must encode back to the same bytes.
		if again := Encode(nil, y); string(again) != string(data) {
			t.Errorf("decode/encode is not the identity")
		}
	})
}

func BenchmarkLoad(b *testing.B) {
	dir := "../../shared/corpora/xinwenlianbo/texts"
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("corpus %s absent", dir)
	}
	x, _, err := Update(nil, Options{Root: dir, Roots: []string{"."}, Settings: CurrentSettings(0, ""), Jobs: 2})
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "index")
	if err := x.Write(file); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(file)
	b.Run("load", func(b *testing.B) {
		b.SetBytes(fi.Size())
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Load(file); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		opt := Options{Root: dir, Settings: x.Settings, Jobs: 2}
		b.SetBytes(fi.Size())
		b.ReportAllocs()
		for b.Loop() {
			_, fresh, err := Open(file, opt)
			if err != nil {
				b.Fatal(err)
			}
			if !fresh() {
				b.Fatal("corpus changed")
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		x.Written = time.Now().Add(time.Hour).UnixNano()
		opt := Options{Root: dir, Roots: []string{"."}, Settings: x.Settings, Jobs: 2}
		b.ReportAllocs()
		for b.Loop() {
			if !x.Unchanged(opt) {
				b.Fatal("corpus changed")
			}
		}
	})
}

// Every change that matters to a check makes Unchanged, and Open's verdict, false; what
// an index leaves out (hidden files, empty files) does not.
func TestUnchangedSeesChanges(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	cases := []struct {
		name      string
		roots     func(root string) []string // default "articles"
		change    func(t *testing.T, root string)
		unchanged bool
	}{
		{"nothing", nil, func(*testing.T, string) {}, true},
		{"edited in place, same size", nil, func(t *testing.T, root string) {
			f := filepath.Join(root, "articles", "a.txt")
			data, _ := os.ReadFile(f)
			data[0] ^= 1
			if err := os.WriteFile(f, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"time changed", nil, func(t *testing.T, root string) {
			if err := os.Chtimes(filepath.Join(root, "articles", "b.txt"), time.Now(), time.Now()); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"file added", nil, func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "articles", "c.txt"), "第三篇文章的内容。")
		}, false},
		{"file added in a new subfolder", nil, func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "articles", "2024", "d.txt"), "第四篇文章的内容。")
		}, false},
		{"file removed", nil, func(t *testing.T, root string) {
			if err := os.Remove(filepath.Join(root, "articles", "sub", "e.txt")); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"link to a folder", nil, func(t *testing.T, root string) {
			if err := os.Symlink(filepath.Join(root, "articles", "sub"), filepath.Join(root, "articles", "link")); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"hidden file added", nil, func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "articles", ".draft.txt"), "草稿")
		}, true},
		{"empty file added", nil, func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "articles", "empty.txt"), "")
		}, true},
		{"root is the index root", func(string) []string { return []string{"."} }, func(*testing.T, string) {}, true},
		{"root outside the index root", func(root string) []string { return []string{filepath.Join(root, "articles")} },
			func(*testing.T, string) {}, true},
		{"root outside the index root, edited", func(root string) []string { return []string{filepath.Join(root, "articles") + "/"} },
			func(t *testing.T, root string) {
				writeFile(t, filepath.Join(root, "articles", "sub", "e.txt"), "改过的第五篇。")
			}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range map[string]string{"a.txt": "第一篇文章的内容。", "b.txt": "第二篇文章的内容。", "sub/e.txt": "第五篇文章的内容。"} {
				f := filepath.Join(root, "articles", filepath.FromSlash(name))
				writeFile(t, f, text)
				if err := os.Chtimes(f, old, old); err != nil {
					t.Fatal(err)
				}
			}
			opt := options(root)
			if tc.roots != nil {
				opt.Roots = tc.roots(root)
				if filepath.IsAbs(opt.Roots[0]) {
					opt.Root = t.TempDir() // the corpus lies outside it
				}
			}
			x, _, err := Update(nil, opt)
			if err != nil {
				t.Fatal(err)
			}
			if x.Documents() != 3 {
				t.Fatalf("%d documents indexed, want 3", x.Documents())
			}
			file := filepath.Join(t.TempDir(), "index")
			if err := x.Write(file); err != nil {
				t.Fatal(err)
			}
			tc.change(t, root)
			if got := x.Unchanged(opt); got != tc.unchanged {
				t.Errorf("Unchanged = %v, want %v", got, tc.unchanged)
			}
			y, fresh, err := Open(file, opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := fresh(); got != tc.unchanged || len(y.Entries) != len(x.Entries) {
				t.Errorf("Open: fresh = %v with %d entries, want %v with %d", got, len(y.Entries), tc.unchanged, len(x.Entries))
			}
		})
	}
}

// Open reports a damaged index as Load does, and gives no verdict.
func TestOpenDamaged(t *testing.T) {
	root := seedDir(t)
	seeds, _ := filepath.Glob(filepath.Join(root, "articles", "*.txt"))
	// A few hundred documents, so that damage in the clause columns is tried too.
	for i := range 200 {
		data, err := os.ReadFile(seeds[i%len(seeds)])
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(root, "articles", fmt.Sprintf("copy-%03d.txt", i)), fmt.Sprintf("第%d份。\n%s", i, data))
	}
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	good := Encode(nil, x)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"flipped byte", func() []byte { b := slices.Clone(good); b[len(b)/2] ^= 1; return b }()},
		{"truncated", good[:len(good)-100]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "index")
			if err := os.WriteFile(file, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			y, fresh, err := Open(file, options(root))
			if err == nil || y != nil || fresh != nil || !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), file) {
				t.Errorf("Open of a damaged index: %v, %v", y, err)
			}
		})
	}
	// The undamaged one loads, and encodes back to the same bytes.
	file := filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(file, good, 0o644); err != nil {
		t.Fatal(err)
	}
	y, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if again := Encode(nil, y); !bytes.Equal(again, good) {
		t.Errorf("a loaded index encodes to other bytes")
	}
}
