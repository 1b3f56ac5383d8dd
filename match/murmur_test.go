package match

import (
	"math/rand/v2"
	"testing"

	"github.com/spaolacci/murmur3"
)

func TestMurmur32IsLibrarys(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 64)
	for range 100000 {
		b := buf[:r.IntN(len(buf)+1)]
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got, want := murmur32(b), murmur3.Sum32(b); got != want {
			t.Fatalf("murmur32(%x) = %x, murmur3.Sum32 %x", b, got, want)
		}
	}
}
