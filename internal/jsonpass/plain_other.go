//go:build !amd64

package jsonpass

// hasAVX2 is whether plainPrefix scans with 32-byte vectors: never here.
var hasAVX2 = false

// plainPrefix is 0 here: callers scan a word at a time (see the amd64
// version).
func plainPrefix(s []byte) int { return 0 }
