package jsonpass

import (
	"math"
	"strings"
	"syscall"
	"testing"
)

// atPageEnd returns a copy of b that ends where an unreadable page
// begins: a read past len(b) faults.
func atPageEnd(t *testing.T, b []byte) []byte {
	size := (len(b) + 4095) &^ 4095
	mem, err := syscall.Mmap(-1, 0, size+4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	return mem[size-len(b) : size : size]
}

// TestUnselectedRunSrcEnd: unselectedRun reads no byte past src, even
// when a member start of 32 bytes, as remembered, ends src (its value is
// not there to read), a value's last block or digits do, a string's
// closing quote is src's last byte (31 bytes of text: its one block
// ends src; what follows is not there), or a string's second block
// would pass src's end.
func TestUnselectedRunSrcEnd(t *testing.T) {
	if !hasAVX2 {
		t.Skip("unselectedRun takes no member without AVX2")
	}
	node := selectNode("x")
	member := `"` + strings.Repeat("k", 29) + `":`
	var known [knownSlots]knownKey
	known[0].remember(node, nil, []byte(member), 0, 0, 32, 32, false)
	for _, doc := range []string{member, member + `"` + strings.Repeat("v", 30) + `"`,
		member + `"` + strings.Repeat("v", 31) + `"`, member + `"` + strings.Repeat("v", 40) + `"`, member + "12", member + "nul", member + `"v",`,
		member + strings.Repeat("1", 15), member + strings.Repeat("1", 16), member + strings.Repeat("1", 17), member + strings.Repeat("1", 33)} {
		src := atPageEnd(t, []byte(doc))
		copy(src, doc)
		if i, l, _, _, _, _ := unselectedRun(src, 0, make([]byte, 0, 2*unselectedRoom), &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil); i != 0 || l != 0 {
			t.Errorf("%q: stopped at %d, wrote %d bytes", doc, i, l)
		}
	}
}
