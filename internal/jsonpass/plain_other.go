//go:build !amd64

package jsonpass

// hasAVX2 is whether plainFrom scans with 32-byte vectors: never here.
var hasAVX2 = false

// plainFrom is i here: callers scan a word at a time (see the amd64
// version).
func plainFrom(src []byte, i int) int { return i }

// quotedEnd ends an empty string here: scanString reads the others.
func quotedEnd(src []byte, i int) int {
	if i < len(src) && src[i] == '"' {
		return i + 1
	}
	return -1
}

// unselectedRun takes no member here: unselected's Go loop reads them all.
func unselectedRun(src []byte, i int, out []byte, known *[knownSlots]knownKey, slot int, node *Node, xml, rewrite bool, limit, keepBelow, keepAbove int, cross *crossing, run *runState) (next, outLen, nextSlot int, ended bool, valueEnd, crossed int) {
	return i, len(out), slot, false, 0, 0
}
