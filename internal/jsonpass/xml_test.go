package jsonpass

import "testing"

// TestPlainTextWord: the 8-byte test agrees with the byte table for every
// byte at every position.
func TestPlainTextWord(t *testing.T) {
	for b := range 256 {
		for pos := range 8 {
			w := []byte("abcdefgh")
			w[pos] = byte(b)
			var word uint64
			for i := 7; i >= 0; i-- {
				word = word<<8 | uint64(w[i])
			}
			if got := plainTextWord(word); got != plainText[b] {
				t.Fatalf("byte %#x at %d: plainTextWord = %v, plainText = %v", b, pos, got, plainText[b])
			}
		}
	}
}
