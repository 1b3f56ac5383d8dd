package slogan

import (
	"testing"
	"unicode"
)

// TestFlagsOf checks the table of rune tests against the tests themselves, for every rune.
func TestFlagsOf(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if got, want := flagsOf(r), computeFlags(r); got != want {
			t.Fatalf("flagsOf(%U) = %b, want %b", r, got, want)
		}
	}
}
