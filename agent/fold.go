package agent

// EqualFold reports whether a and b are equal in any ASCII case: the way
// the catalogue matches names. Unicode folding would make "ChatSeſſionId"
// (a long s) the name ChatSessionId, which no JSON binder does. It
// allocates nothing, for strings and byte slices alike.
func EqualFold[S ~string | ~[]byte](a, b S) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
