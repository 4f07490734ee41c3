package jsonpass

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unsafe"
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

// TestHeldKeyAndNumberBoundary: a key of up to MaxHeld bytes with its
// quotes, and a number of up to MaxHeld bytes, are read (selected, or
// not); one byte more is ErrTooLong, whole and streamed in small writes
// (README, "Limitations", gives these numbers).
func TestHeldKeyAndNumberBoundary(t *testing.T) {
	for _, tc := range []struct {
		doc   string
		valid bool
	}{
		{`{"` + strings.Repeat("k", MaxHeld-2) + `":1,"a":2}`, true},
		{`{"` + strings.Repeat("k", MaxHeld-1) + `":1,"a":2}`, false},
		{`{"a":` + strings.Repeat("7", MaxHeld) + `,"b":2}`, true},
		{`{"a":` + strings.Repeat("7", MaxHeld+1) + `,"b":2}`, false},
	} {
		for _, sel := range []string{"a", "b"} {
			opt := Options{Select: selectNode(sel)}
			_, err := Append(nil, []byte(tc.doc), opt)
			p := New(&bytes.Buffer{}, opt)
			var serr error
			for i := 0; i < len(tc.doc) && serr == nil; i += 4096 {
				_, serr = p.Write([]byte(tc.doc[i:min(len(tc.doc), i+4096)]))
			}
			if serr == nil {
				serr = p.Close()
			}
			for _, e := range []error{err, serr} {
				if tc.valid && e != nil || !tc.valid && !errors.Is(e, ErrTooLong) {
					t.Errorf("%.12s... (%d bytes), $select=%s: %v (valid: %v)", tc.doc, len(tc.doc), sel, e, tc.valid)
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

// TestLongWrite: a write far longer than flushAt goes through in pieces of
// pieceAt, its output written on as it goes, in writes of at least flushAt
// (but the last): the output a Pass holds stays near flushAt (the XML of a
// 1 MB document given in one write), and the bytes are the whole
// document's.
func TestLongWrite(t *testing.T) {
	doc := entities(10000)
	for _, opt := range []Options{{Select: selectNode("id,tags")}, {XMLRoot: "R"}} {
		want, err := Append(nil, []byte(doc.String()), opt)
		if err != nil {
			t.Fatal(err)
		}
		w := &piecesWriter{}
		p := New(w, opt)
		if n, err := p.Write([]byte(doc.String())); err != nil || n != doc.Len() {
			t.Fatalf("wrote %d of %d: %v", n, doc.Len(), err)
		}
		if held := cap(p.out); held > flushAt+4*pieceAt {
			t.Errorf("%q: the Pass holds %d bytes of output after one write of %d", opt.XMLRoot, held, doc.Len())
		}
		if err := p.Close(); err != nil || !bytes.Equal(w.Bytes(), want) {
			t.Fatalf("%q: %v; the output differs from the whole document's", opt.XMLRoot, err)
		}
		for i, n := range w.sizes {
			if n > flushAt+2*pieceAt || n < flushAt && i < len(w.sizes)-1 {
				t.Errorf("%q: write %d of %d: %d bytes", opt.XMLRoot, i+1, len(w.sizes), n)
			}
		}
	}
}

// entities is a JSON array of n small objects.
func entities(n int) *strings.Builder {
	var doc strings.Builder
	doc.WriteString("[")
	for i := range n {
		if i > 0 {
			doc.WriteString(",")
		}
		fmt.Fprintf(&doc, `{"id":%d,"name":"entity %d","tags":["a","b"],"when":"2000-12-04T11:10:26"}`, i, i)
	}
	doc.WriteString("]")
	return &doc
}

// piecesWriter keeps what it is given and the size of each write.
type piecesWriter struct {
	bytes.Buffer
	sizes []int
}

func (w *piecesWriter) Write(b []byte) (int, error) {
	w.sizes = append(w.sizes, len(b))
	return w.Buffer.Write(b)
}

// TestPlacedWrites: with Options.AlignAt, the byte at AlignAt of each
// write lies lineInset bytes into a 64-byte line, the output unchanged:
// but for the writes while the output's array grows (at most two here).
// The next documents of the same Pass, reset as the gateway's pool resets
// it in between, keep that array and place every write.
func TestPlacedWrites(t *testing.T) {
	doc := entities(10000)
	const at = 4088
	for _, tc := range []struct {
		opt      Options
		unplaced int // at most, in the first document
	}{{Options{Select: selectNode("id,tags")}, 2}, {Options{XMLRoot: "R"}, 2}} {
		want, err := Append(nil, []byte(doc.String()), tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		tc.opt.AlignAt = at
		var p Pass
		var array *byte
		for round := range 4 {
			w := &placedWriter{at: at}
			p.Reset(nil, Options{})
			if round > 1 && unsafe.SliceData(p.outArray) != array {
				t.Errorf("%q, document %d: the output's array was made again", tc.opt.XMLRoot, round+1)
			}
			p.Reset(w, tc.opt)
			for rest := doc.String(); len(rest) > 0; {
				n := min(len(rest), 32<<10) // as reverse_proxy writes
				if _, err := p.Write([]byte(rest[:n])); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if err := p.Close(); err != nil || !bytes.Equal(w.Bytes(), want) {
				t.Fatalf("%q: %v; the output differs from the whole document's", tc.opt.XMLRoot, err)
			}
			limit := tc.unplaced
			if round > 0 {
				limit = 0
			}
			if w.long < 10 || w.unplaced > limit {
				t.Errorf("%q, document %d: %d of %d writes longer than %d have their byte %d elsewhere than %d bytes into a line",
					tc.opt.XMLRoot, round+1, w.unplaced, w.long, at, at, lineInset)
			}
			array = unsafe.SliceData(p.outArray)
		}
	}
}

// placedWriter keeps what it is given and counts the writes longer than
// at whose byte at is not lineInset bytes into a 64-byte line.
type placedWriter struct {
	bytes.Buffer
	at, long, unplaced int
}

func (w *placedWriter) Write(b []byte) (int, error) {
	if len(b) > w.at {
		w.long++
		if uintptr(unsafe.Pointer(&b[w.at]))%64 != lineInset {
			w.unplaced++
		}
	}
	return w.Buffer.Write(b)
}
