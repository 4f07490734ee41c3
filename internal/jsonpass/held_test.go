package jsonpass

import (
	"bytes"
	"strings"
	"testing"
)

// TestHeldStringBoundary: the plugs read a string of up to MaxHeld bytes
// of text whole and let a longer one stream past them, whether it comes
// whole or cut anywhere near its end (a string of exactly MaxHeld bytes cut
// before its closing quote once streamed past them), as a value at the top,
// in an array or in an object, JSON and XML.
func TestHeldStringBoundary(t *testing.T) {
	for _, root := range []string{"", "R"} {
		for _, text := range []int{MaxHeld - 1, MaxHeld, MaxHeld + 1} {
			s := `"` + strings.Repeat("v", text) + `"`
			for _, wrap := range [][2]string{{"", ""}, {"[", "]"}, {`{"x":1,"a":`, "}"}} {
				doc := wrap[0] + s + wrap[1]
				opt := Options{Rewriter: rewriteAll{}, XMLRoot: root}
				whole, err := Append(nil, []byte(doc), opt)
				if err != nil {
					t.Fatal(err)
				}
				if rewritten := bytes.Contains(whole, []byte("~v")); rewritten != (text <= MaxHeld) {
					t.Fatalf("%q, %d bytes of text in %q: rewritten %v", root, text, wrap, rewritten)
				}
				end := len(wrap[0]) + len(s)
				for cut := end - 3; cut < end; cut++ {
					var out bytes.Buffer
					writeCut(t, New(&out, opt), doc, cut)
					if !bytes.Equal(out.Bytes(), whole) {
						t.Errorf("%q, %d bytes of text in %q, cut at %d of %d: streamed is not whole", root, text, wrap, cut, len(doc))
					}
				}
			}
		}
	}
}

// rewriteAll marks every string it is offered.
type rewriteAll struct{}

func (rewriteAll) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	return append(append(dst, '"', '~'), raw[1:]...), true
}
