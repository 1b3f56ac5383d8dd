package simhash

import (
	"fmt"
	"math/rand/v2"
	"testing"

	spaolacci "github.com/spaolacci/murmur3"
	twmb "github.com/twmb/murmur3"
)

// The two murmur3 libraries give the same hashes: the 64-bit one (the first half of x64
// 128) that fingerprints n-grams and clauses, and the 32-bit one of n-gram sets.
func TestMurmurLibrariesAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	buf := make([]byte, 300)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	for n := 0; n <= len(buf); n++ {
		for _, off := range []int{0, 1, 7} {
			if off+n > len(buf) {
				continue
			}
			b := buf[off : off+n]
			if a, s := twmb.Sum64(b), spaolacci.Sum64(b); a != s {
				t.Fatalf("Sum64 of %d bytes at %d: twmb %016x, spaolacci %016x", n, off, a, s)
			}
			if a, s := twmb.Sum32(b), spaolacci.Sum32(b); a != s {
				t.Fatalf("Sum32 of %d bytes at %d: twmb %08x, spaolacci %08x", n, off, a, s)
			}
		}
	}
}

// BenchmarkMurmurLibraries hashes sub-slices the sizes neardup hashes: a 3-gram of Chinese
// (9 bytes), of mixed text (5), and a clause (60).
func BenchmarkMurmurLibraries(b *testing.B) {
	buf := []byte("新华社北京５月１日电ABC Test，國務院總理主持召开常务会议；会议指出：要坚持稳中求进工作总基调！")
	for _, size := range []int{5, 9, 60} {
		for _, lib := range []struct {
			name string
			sum  func([]byte) uint64
		}{
			{"twmb/Sum64", twmb.Sum64}, {"spaolacci/Sum64", spaolacci.Sum64},
			{"twmb/Sum32", func(b []byte) uint64 { return uint64(twmb.Sum32(b)) }},
			{"spaolacci/Sum32", func(b []byte) uint64 { return uint64(spaolacci.Sum32(b)) }},
		} {
			b.Run(fmt.Sprintf("%s/%dB", lib.name, size), func(b *testing.B) {
				b.ReportAllocs()
				var sink uint64
				for i := 0; b.Loop(); i++ {
					lo := i % (len(buf) - size)
					sink ^= lib.sum(buf[lo : lo+size])
				}
				if sink == 1 {
					b.Log(sink)
				}
			})
		}
	}
}
