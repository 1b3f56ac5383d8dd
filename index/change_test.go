package index

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// An in-place edit that keeps the size and restores the modification time (touch -r, some
// sync tools) is seen through the change time, as git sees it.
func TestSameSizeSameMtimeEditIsDetected(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("change times are read on linux only")
	}
	root := seedDir(t)
	file := filepath.Join(root, "articles", "doc.txt")
	writeFile(t, file, "第一段：经济运行总体平稳，稳中有进，发展质量稳步提升。")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	before := *x.Find("articles/doc.txt")
	time.Sleep(20 * time.Millisecond) // the change time must move on from the first write's
	// The same number of bytes, other words; then the time is put back.
	writeFile(t, file, "第一段：社会事业全面发展，民生保障，人民生活持续改善。")
	if err := os.Chtimes(file, old, old); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(file)
	if fi.Size() != before.Size || fi.ModTime().UnixNano() != before.ModTime {
		t.Fatalf("the edit did not keep size and time: %d %v", fi.Size(), fi.ModTime())
	}
	if x.Unchanged(options(root)) {
		t.Errorf("Unchanged: true after a same-size same-mtime edit")
	}
	y, st, err := Update(x, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Changed, []string{"articles/doc.txt"}) {
		t.Errorf("changed %v, want the edited file", st.Changed)
	}
	if e := y.Find("articles/doc.txt"); e.Hash == before.Hash || e.FP == before.FP {
		t.Errorf("the edited file keeps its old hash or fingerprint")
	}
	// Replaced by another file of the same size and time (a new inode): hashed again, and
	// only its stamps updated when the content is the same.
	data, _ := os.ReadFile(file)
	tmp := file + ".new"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	y.Written = time.Now().Add(time.Hour).UnixNano() // nothing racy
	if y.Unchanged(options(root)) {
		t.Errorf("Unchanged: true after the file was replaced by another inode")
	}
	_, st, err = Update(y, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if st.Touched != 1 || len(st.Changed) != 0 {
		t.Errorf("replaced by a copy: %+v, want one touched, none changed", st)
	}
}

// Files written just before the index (a git clone followed by neardup index) are racily
// clean: an update hashes them again. Once they are old enough, one update records them as
// settled and is written, and the index is then trusted as it is, not re-read forever.
func TestRacyEntriesSettle(t *testing.T) {
	root := seedDir(t) // written just now
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	n, wait := x.Racy()
	// wait may be 0 already on a slow machine: the window is counted from the walk's start.
	if n != len(x.Entries)+len(x.Dirs) {
		t.Fatalf("Racy() = %d, %v right after writing the files; want all %d and %d folders", n, wait, len(x.Entries), len(x.Dirs))
	}
	if x.Unchanged(options(root)) {
		t.Errorf("Unchanged trusts racily clean entries")
	}
	time.Sleep(wait)
	y, st, err := Update(x, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if st.Settled != len(x.Entries) || !st.Modified() || st.ContentChanged() {
		t.Errorf("update after the window: %+v, want every entry settled, to be written, no content change", st)
	}
	if n, _ := y.Racy(); n != 0 {
		t.Errorf("%d entries still racy", n)
	}
	if !y.Unchanged(options(root)) {
		t.Errorf("Unchanged: false for a settled index")
	}
	_, st, err = Update(y, options(root))
	if err != nil || st.Modified() || st.Unchanged != len(y.Entries) {
		t.Errorf("update of a settled index: %+v %v, want nothing to do", st, err)
	}

	// With Settle, one update does it: it waits out the window itself.
	writeFile(t, filepath.Join(root, "articles", "late.txt"), "新华社北京电 今天上午，会议在北京召开，研究部署下一阶段工作。")
	opt := options(root)
	opt.Settle = true
	z, st, err := Update(y, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := z.Racy(); n != 0 || !slices.Equal(st.Added, []string{"articles/late.txt"}) {
		t.Errorf("Settle: %d racy entries left, added %v", n, st.Added)
	}
}

// An index records its corpus folder; its head, with its own checksum, survives damage to
// the rest, so that the index can be rebuilt from the same roots.
func TestReadHeadOfDamagedIndex(t *testing.T) {
	root := seedDir(t)
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	if abs, _ := filepath.Abs(root); x.Root != abs {
		t.Errorf("Root %q, want %q", x.Root, abs)
	}
	file := filepath.Join(t.TempDir(), "index")
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	for _, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)/2] },                     // truncated
		func(b []byte) []byte { b[len(b)-10] ^= 0x40; return b },          // a flipped bit in the body
		func(b []byte) []byte { return append(b[:len(b)-1:len(b)-1], 0) }, // a bad trailer
	} {
		bad := damage(slices.Clone(data))
		if err := os.WriteFile(file, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(file); err == nil {
			t.Fatal("a damaged index loaded")
		}
		h, err := ReadHead(file)
		if err != nil || h.Root != x.Root || !slices.Equal(h.Roots, x.Roots) {
			t.Errorf("ReadHead of a damaged body: %+v, %v", h, err)
		}
	}
	bad := slices.Clone(data)
	bad[headerLen+3] ^= 1 // inside the head
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if h, err := ReadHead(file); err == nil {
		t.Errorf("ReadHead trusted a damaged head: %+v", h)
	}
}

// QuickUnchanged looks at the folders only: files added, removed or renamed are seen, and
// the index is trusted again once an update has recorded the folders.
func TestQuickUnchangedSeesFolders(t *testing.T) {
	root := seedDir(t)
	writeFile(t, filepath.Join(root, "articles", "sub", "deep.txt"), "新华社北京电 今天上午，会议在北京召开，研究部署下一阶段工作。")
	opt := options(root)
	opt.Settle = true
	x, _, err := Update(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Dirs) != 2 || x.Dirs[0].Path != "articles" || x.Dirs[1].Path != "articles/sub" {
		t.Fatalf("folders %+v, want articles and articles/sub", x.Dirs)
	}
	if !x.QuickUnchanged(opt) {
		t.Fatal("QuickUnchanged: false for a settled index")
	}
	file := filepath.Join(t.TempDir(), "index")
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	if y, err := Load(file); err != nil || len(y.Dirs) != 2 || !y.QuickUnchanged(opt) {
		t.Fatalf("the folders do not survive the file: %v", err)
	}
	for _, change := range []struct {
		name string
		do   func()
	}{
		{"a file added in a subfolder", func() {
			writeFile(t, filepath.Join(root, "articles", "sub", "new.txt"), "另一篇新的文章，内容完全不同。")
		}},
		{"a file removed", func() { os.Remove(filepath.Join(root, "articles", "sub", "deep.txt")) }},
		{"a file renamed", func() {
			os.Rename(filepath.Join(root, "articles", "sub", "new.txt"), filepath.Join(root, "articles", "sub", "renamed.txt"))
		}},
		{"a folder added", func() {
			writeFile(t, filepath.Join(root, "articles", "sub2", "x.txt"), "第三篇文章的内容也与其他的不一样。")
		}},
		{"a hidden file added", func() { writeFile(t, filepath.Join(root, "articles", ".hidden"), "x") }},
	} {
		time.Sleep(20 * time.Millisecond) // a new folder time
		change.do()
		if x.QuickUnchanged(opt) {
			t.Errorf("%s: QuickUnchanged still true", change.name)
		}
		if x, _, err = Update(x, opt); err != nil {
			t.Fatal(err)
		}
		if !x.QuickUnchanged(opt) {
			t.Errorf("%s: QuickUnchanged false after the update", change.name)
		}
	}
	// The hidden file changed no document, but the update is to be written, or every
	// later check would look at every file.
	writeFile(t, filepath.Join(root, "articles", ".hidden2"), "x")
	_, st, err := Update(x, opt)
	if err != nil || !st.Folders || !st.Modified() || st.ContentChanged() {
		t.Errorf("a hidden file: %+v %v, want only the folders modified", st, err)
	}
}

// An index mapped by Open and then cut short in place by another program: a damaged index,
// not a crash.
func TestMappedFileCutShort(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("mapping as on linux")
	}
	root := seedDir(t)
	x, _, err := Update(nil, options(root))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "index")
	if err := x.Write(file); err != nil {
		t.Fatal(err)
	}
	data, err := mapFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if y, err := decodeGuarded(data); err != nil || len(y.Entries) != len(x.Entries) {
		t.Fatalf("decoding the mapping: %v", err)
	}
	if err := os.Truncate(file, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeGuarded(data); err != errFault {
		t.Errorf("decoding a mapping whose file was cut: err %v, want errFault", err)
	}
}
