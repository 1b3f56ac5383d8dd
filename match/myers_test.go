package match

import (
	"math/rand/v2"
	"testing"
)

func TestMyersDistanceIsLevenshtein(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var peq peqTable
	for _, alphabet := range [][]rune{[]rune("ab"), []rune("中国人民的"), []rune("abcdefghijklmnopqrstuvwxyz0123456789新闻联播中央电视台报道记者")} {
		for range 3000 {
			p := make([]rune, r.IntN(myersMax+1))
			for i := range p {
				p[i] = alphabet[r.IntN(len(alphabet))]
			}
			q := make([]rune, r.IntN(300))
			for i := range q {
				q[i] = alphabet[r.IntN(len(alphabet))]
			}
			if got, want := myersDistance(p, q, &peq), levenshtein(p, q); got != want {
				t.Fatalf("myersDistance(%q, %q) = %d, levenshtein %d", string(p), string(q), got, want)
			}
		}
	}
}
