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

// plainFrom stops at the first byte plainStringByte refuses, every byte
// value in every position of the first and a later block, or at the end
// of the last whole block; without AVX2 it reads nothing. quotedEnd ends a
// string there when that byte is its quote.
func TestPlainFrom(t *testing.T) {
	want := func(s []byte, i int) int {
		if !hasAVX2 {
			return i
		}
		blocks := i + (len(s)-i)&^31
		for j := i; j < blocks; j++ {
			if !plainStringByte[s[j]] {
				return j
			}
		}
		return blocks
	}
	check := func(s []byte) {
		t.Helper()
		for _, i := range []int{0, 1, 5} {
			if i > len(s) {
				continue
			}
			w := want(s, i)
			if got := plainFrom(s, i); got != w {
				t.Fatalf("%q from %d: %d; want %d", s, i, got, w)
			}
			end := -1
			if w < len(s) && s[w] == '"' {
				end = w + 1
			}
			if got := quotedEnd(s, i); got != end {
				t.Fatalf("%q from %d: quotedEnd %d; want %d", s, i, got, end)
			}
		}
	}
	vector := hasAVX2
	defer func() { hasAVX2 = vector }()
	for _, hasAVX2 = range []bool{vector, false} {
		for n := range 100 {
			check([]byte(strings.Repeat("a", n)))
		}
		for c := range 256 {
			for _, pos := range []int{0, 1, 17, 31, 32, 36, 45, 63, 64, 70} {
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
}
