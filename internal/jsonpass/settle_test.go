package jsonpass

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestUnselectedRunListsStringsForTheRewriter: in JSON, a selected string
// for the rewriter is written as it came and listed (its key, its value and
// where it went), the member taken, while the list has room and the value
// is at most 64 bytes with 64 of the input from its start; else, and in
// XML, the assembly stops at it with where it ends, as without a list.
func TestUnselectedRunListsStringsForTheRewriter(t *testing.T) {
	if !hasAVX2 {
		t.Skip("unselectedRun takes no member without AVX2 (TestDeferredStringsAreSettled covers the Go loop)")
	}
	sel := selectNode("a")
	var known [knownSlots]knownKey
	known[0].remember(sel, &Node{Whole: true}, []byte(` "a":`), 0, 1, 5, 5, false)
	run := func(value string, pad int, xml bool, run *runState) (next, outLen, valueEnd int, out []byte) {
		src := []byte(` "a":` + value + "," + strings.Repeat(" ", pad))
		out = make([]byte, 0, 2*unselectedRoom)
		next, outLen, _, _, valueEnd, _ = unselectedRun(src, 0, out, &known, 0, sel, xml, true, 10, 0, math.MaxInt, nil, run)
		return next, outLen, valueEnd, out[:outLen]
	}
	for _, text := range []string{"2000-12-04T11:10:26.1095254+01:00", "", strings.Repeat("x", 62)} {
		value := `"` + text + `"`
		var d runState
		next, _, valueEnd, out := run(value, 64, false, &d)
		member := `"a":` + value + "," // written with no blanks before the key
		want := deferred{keyStart: 2, keyEnd: 3, value: 5, end: 5 + len(value), at: 4}
		if next != len(member)+1 || valueEnd != 0 || string(out) != member || d.n != 1 || d.list[0] != want {
			t.Errorf("%s: next %d, valueEnd %d, out %q, listed %d: %+v; want %d, 0, %q, 1: %+v",
				value, next, valueEnd, out, d.n, d.list[0], len(member)+1, member, want)
		}
	}
	// the last member: listed, and ended at the object's end
	var d runState
	src := []byte(` "a":"2000-12-04"}` + strings.Repeat(" ", 64))
	next, outLen, _, ended, _, _ := unselectedRun(src, 0, make([]byte, 0, 2*unselectedRoom), &known, 0, sel, false, true, 10, 0, math.MaxInt, nil, &d)
	if next != len(` "a":"2000-12-04"`) || outLen != len(`"a":"2000-12-04"`) || !ended || d.n != 1 {
		t.Errorf("the last member: next %d, out %d bytes, ended %v, listed %d", next, outLen, ended, d.n)
	}
	stops := []struct {
		name   string
		value  string
		pad    int
		xml    bool
		listed int // the list's length before
	}{
		{"blanks after the value", `"2000-12-04" `, 64, false, 0},
		{"a control character after the value", "\"2000-12-04\"\x01", 64, false, 0},
		{"a value of 65 bytes", `"` + strings.Repeat("x", 63) + `"`, 64, false, 0},
		{"fewer than 64 bytes of input from the value", `"2000-12-04"`, 40, false, 0},
		{"a full list", `"2000-12-04"`, 64, false, deferCap},
		{"XML", `"2000-12-04"`, 64, true, 0},
		{"no list", `"2000-12-04"`, 64, false, -1},
	}
	for _, c := range stops {
		d := &runState{n: c.listed}
		if c.listed < 0 {
			d = nil
		}
		next, outLen, valueEnd, _ := run(c.value, c.pad, c.xml, d)
		end := len(` "a":` + strings.TrimRight(c.value, " \x01"))
		if next != 0 || outLen != 0 || valueEnd != end || (d != nil && d.n != c.listed) {
			t.Errorf("%s: next %d, out %d bytes, valueEnd %d; want a stop at the member, the value's end %d, nothing listed",
				c.name, next, outLen, valueEnd, end)
		}
	}
}

// TestDeferredStringsAreSettled: answers whose selected strings the
// assembly lists for the rewriter (more than the list holds, rewrites
// that grow, shrink, keep the length or keep the string, each alone and
// all mixed in one answer) come out as the Go loop writes them, whole and
// in pieces.
func TestDeferredStringsAreSettled(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("[")
	for n := range 3 * deferCap {
		if n > 0 {
			doc.WriteString(",")
		}
		// texts of every length modulo 4 (resizer's four ways), some too
		// long to list
		fmt.Fprintf(&doc, `{"id":%d,"when":"%s","skip":"unselected text","long":"%s","what":"%s"}`,
			n, strings.Repeat("w", 16+n%4), strings.Repeat("l", 40+n%70), strings.Repeat("t", n%8))
	}
	doc.WriteString("]")
	src := []byte(doc.String())
	sel := selectNode("id,when,long,what")
	rewriters := []struct {
		name string
		rw   StringRewriter
	}{
		{"all grow", lengthRewriter(2)},
		{"all shrink", lengthRewriter(-3)},
		{"all as long", lengthRewriter(0)},
		{"mixed", resizer{}},
		{"kept", keeper{}},
	}
	vector := hasAVX2
	defer func() { hasAVX2 = vector }()
	for _, c := range rewriters {
		opt := Options{Select: sel, Rewriter: c.rw}
		hasAVX2 = false // the Go loop: no list
		want, err := Append(nil, src, opt)
		if err != nil {
			t.Fatal(err)
		}
		hasAVX2 = vector
		got, err := Append(nil, src, opt)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %v\n got %.600s\nwant %.600s", c.name, err, got, want)
		}
		for _, sizes := range [][]byte{{255}, {40, 200}, {7}} {
			got, err := streamed(src, opt, sizes)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s, in pieces %v: %v\n got %.600s\nwant %.600s", c.name, sizes, err, got, want)
			}
		}
	}
}

// lengthRewriter rewrites every string to one of its text's length and
// as many bytes more (fewer if negative, to none).
type lengthRewriter int

func (l lengthRewriter) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	return append(append(append(dst, '"'), strings.Repeat("z", max(0, len(raw)-2+int(l)))...), '"'), true
}

// keeper keeps every string.
type keeper struct{}

func (keeper) Rewrite(dst, key, raw []byte) ([]byte, bool) { return dst, false }
