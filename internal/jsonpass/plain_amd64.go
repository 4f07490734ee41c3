package jsonpass

import "golang.org/x/sys/cpu"

// hasAVX2 is whether plainPrefix scans with 32-byte vectors.
var hasAVX2 = cpu.X86.HasAVX2

// plainPrefix returns how many bytes at s's start are plain string bytes:
// none of them a quote, a backslash, a control character or not ASCII
// (specialBytes' classes). It reads whole 32-byte blocks, with AVX2: the
// index of the first special byte if it lies in one, else the length of
// the blocks (0 without AVX2). Callers go on from there a word at a time.
func plainPrefix(s []byte) int {
	if hasAVX2 {
		return plainPrefixAVX2(s)
	}
	return 0
}

//go:noescape
func plainPrefixAVX2(s []byte) int
