package corpus

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadAll(t *testing.T) {
	text := strings.Repeat("新闻联播", 300)
	tests := []struct {
		name string
		r    io.Reader
		size int64
		want string
		err  bool
	}{
		{"size known", strings.NewReader(text), int64(len(text)), text, false},
		{"size unknown", strings.NewReader(text), 512, text, false},
		{"grew since the stat", strings.NewReader(text), 10, text, false},
		{"shrank since the stat", strings.NewReader("abc"), int64(len(text)), "abc", false},
		{"empty", strings.NewReader(""), 0, "", false},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader(text)), int64(len(text)), text, false},
		{"error after data", io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(errors.New("disk"))), 3, "abc", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(tt.r, tt.size)
			if (err != nil) != tt.err {
				t.Fatalf("error %v, want error: %v", err, tt.err)
			}
			if !bytes.Equal(got, []byte(tt.want)) {
				t.Errorf("read %d bytes, want %d", len(got), len(tt.want))
			}
		})
	}
}

// TestReadAllOneAllocation shows the point of readAll: a file of known size is read into
// one buffer, where io.ReadAll grows one several times.
func TestReadAllOneAllocation(t *testing.T) {
	text := strings.Repeat("新闻联播", 3000)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := readAll(strings.NewReader(text), int64(len(text))); err != nil {
			t.Fatal(err)
		}
	})
	// strings.NewReader allocates the reader itself.
	if allocs > 2 {
		t.Errorf("%v allocations per read, want at most 2", allocs)
	}
}
