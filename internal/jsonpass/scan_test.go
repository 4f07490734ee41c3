package jsonpass

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"testing"
)

// plainWord agrees with plainStringByte on every byte in every position.
func TestPlainWord(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 8; pos++ {
			var b [8]byte
			for i := range b {
				b[i] = 'a'
			}
			b[pos] = byte(c)
			if got, want := plainWord(binary.LittleEndian.Uint64(b[:])), plainStringByte[c]; got != want {
				t.Fatalf("byte %#x at %d: plainWord = %v; want %v", c, pos, got, want)
			}
		}
	}
	// Bytes above 0x80 next to a low byte must not hide it.
	for _, w := range [][8]byte{{0xff, 0x1f, 'a', 'a', 'a', 'a', 'a', 'a'}, {0x80, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '"'}} {
		if plainWord(binary.LittleEndian.Uint64(w[:])) {
			t.Fatalf("%q is plain", w)
		}
	}
}

// specialBytes marks exactly the first byte that plainStringByte refuses,
// whatever follows it.
func TestSpecialBytesFirstExact(t *testing.T) {
	for first := 0; first < 8; first++ {
		for c := 0; c < 256; c++ {
			if plainStringByte[c] {
				continue
			}
			for _, after := range []byte{0x00, '"', '\\', 0x1f, 0x21, 0x5d, 0xff} {
				var b [8]byte
				for i := range b {
					b[i] = 'a'
					if i > first {
						b[i] = after
					}
				}
				b[first] = byte(c)
				m := specialBytes(binary.LittleEndian.Uint64(b[:]))
				if got := bits.TrailingZeros64(m) >> 3; got != first {
					t.Fatalf("%q: first special byte at %d; want %d", b, got, first)
				}
			}
		}
	}
}

// plainPrefix stops at the first byte plainStringByte refuses, every byte
// value in every position of the first and a later block, or at the end
// of the last whole block; without AVX2 it reads nothing.
func TestPlainPrefix(t *testing.T) {
	want := func(s []byte) int {
		if !hasAVX2 {
			return 0
		}
		blocks := len(s) &^ 31
		for i, c := range s[:blocks] {
			if !plainStringByte[c] {
				return i
			}
		}
		return blocks
	}
	check := func(s []byte) {
		t.Helper()
		if got, w := plainPrefix(s), want(s); got != w {
			t.Fatalf("%q: %d; want %d", s, got, w)
		}
	}
	for n := range 100 {
		check([]byte(strings.Repeat("a", n)))
	}
	for c := range 256 {
		for _, pos := range []int{0, 1, 17, 31, 32, 45, 63, 64, 70} {
			s := []byte(strings.Repeat("x", 71))
			s[pos] = byte(c)
			check(s)
			check(s[:pos+1])
			check(s[:pos])
		}
	}
	// a later special byte does not hide an earlier one
	s := []byte(strings.Repeat("y", 64))
	s[40], s[50], s[9] = '"', 0xff, 0x1f
	check(s)
}
