package jsonpass

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestKnownKeys: keys the member loops remember by position match only the
// same bytes in an object of the same selection: other keys at the same
// position (other case, other escapes, a prefix, blanks, longer than 32
// bytes) and other levels are read as if nothing was remembered, in JSON
// and in XML, whole and in pieces.
func TestKnownKeys(t *testing.T) {
	long := strings.Repeat("k", 40)
	doc := `[{"a":1,"B":2,"ab":{"a":3,"x":4}},` +
		`{"B":5,"a":6,"ab":7},` +
		`{"A":8,"b":9,"aB":{"x":10,"a":11}},` +
		`{"a\u0062":12,"a":13},` +
		`{"a" :14,"ab" : 15},` +
		`{"` + long + `":16,"ab":17},` +
		`{"` + long + `x":18,"ab":19},` +
		`{"a_b":20,"ab":21},` +
		`{"p":{"a":22,"b":23},"q":{"a":24,"b":25}},` + // one level, two selections
		"{\"a\":26,\n  \"ab\":27},{\"a\":28,\n    \"ab\":29},{\"a\":30, \"B\":31},{\"a\":32,\t\"ab\":33}," + // other blanks
		"{\"a\":34,\n" + strings.Repeat(" ", 28) + "\"ab\":35},{\"a\":36,\n" + strings.Repeat(" ", 28) + "\"ab\":37}]" // past 32 bytes
	sel := selectNode("a,ab/a,p/a,q/b," + long)
	var in any
	if err := unmarshal([]byte(doc), &in); err != nil {
		t.Fatal(err)
	}
	want := projectDocument(in, sel)
	var p Pass
	for round := range 2 { // the second with every key remembered
		got, err := p.Append(nil, []byte(doc), Options{Select: sel})
		var out any
		if err != nil || unmarshal(got, &out) != nil || !reflect.DeepEqual(out, want) {
			t.Fatalf("round %d: %s, %v", round, got, err)
		}
		if pieces, err := streamed([]byte(doc), Options{Select: sel}, []byte{1, 3}); err != nil || !bytes.Equal(pieces, got) {
			t.Fatalf("round %d in pieces: %s, %v", round, pieces, err)
		}
	}
	if b, _ := json.Marshal(want); len(b) == 0 {
		t.Fatal("no reference")
	}

	xmlDoc := "[{\"a\":1,\"a_b\":2,\"ab\":3},{\"a\":4,\"a_x005F_b\":5,\"AB\":6},{\"a\":7, \"a_b\":8,\n\"ab\":9}]"
	wantXML := `<ArrayOfR xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
		`<R><a>1</a><a_b i:nil="true"/><ab>3</ab></R>` +
		`<R><a>4</a><a_x005F_x005F_b i:nil="true"/><AB>6</AB></R>` +
		`<R><a>7</a><a_b i:nil="true"/><ab>9</ab></R></ArrayOfR>`
	for round := range 2 {
		got, err := p.Append(nil, []byte(xmlDoc), Options{Select: selectNode("a,ab"), XMLRoot: "R"})
		if err != nil || !strings.HasSuffix(string(got), wantXML) {
			t.Fatalf("round %d: %s, %v; want ...%s", round, got, err, wantXML)
		}
	}
}

// TestUnselectedKnownMembers: a run of known members that are not selected
// (written by unselected, a tight loop) gives what the first object, read
// with nothing known, gave: for every kind of value, blanks where the
// first had none, and the object's last member; in JSON and XML, whole
// and in pieces, with AVX2 and without. An invalid value among them is
// refused as anywhere else.
func TestUnselectedKnownMembers(t *testing.T) {
	vector := hasAVX2
	defer func() { hasAVX2 = vector }()
	for _, hasAVX2 = range []bool{vector, false} {
		testUnselectedKnownMembers(t)
	}
}

func testUnselectedKnownMembers(t *testing.T) {
	long := strings.Repeat("text ", 20)
	values := []string{`"plain text here"`, `"esc\"aped\\ \u00e9 \ud83d\ude00"`, `"ünïcödé"`, `""`,
		`"` + long + `"`, `"` + long[:31] + `\n` + long + `"`, `"` + long[:32] + `é"`,
		`0`, `7`, `123456789012`, `12.5`, `1E5`, `-12.5e+3`,
		`true`, `false`, `null`, `{"x":[1,{"y":"z"}]}`, `[]`, `{}`, `[1, 2 ,3]`, "{ \"a\" :\n[ -0.5e-3 , {} ] }",
		strings.Repeat(`[{"a":`, 40) + "1" + strings.Repeat("}]", 40), // deeper than the assembly goes
		`"a <b> & c"`, `"ab"`, `"abc"`, `"twelve chars"`, `"thirteen chr."`, // around boundedTilde's bounds
		`"tail &"`, `"<head"`, `"` + long[:30] + `"`, `"` + long[:29] + `>"`, // markup at a short text's ends
		// two-byte UTF-8 (TWO_BYTE_TEXT) at a block's last bytes, before the
		// quote, throughout, and beside longer sequences
		`"` + long[:30] + `é"`, `"` + long[:31] + `ø"`, `"` + long[:29] + `ß"`, `"é"`, `"` + strings.Repeat("é", 40) + `"`,
		`"` + strings.Repeat("aø", 30) + `"`, "\"\u0080\u07ff\xc2\x80\xdf\xbf\"", `"ß€ø😀"`, `"<ø>&"`}
	var obj strings.Builder
	obj.WriteString(`{"id":7`)
	for n, v := range values {
		fmt.Fprintf(&obj, `,"member%02d":%s`, n, v)
	}
	obj.WriteString(`,"last":"the end"}`)
	first := obj.String()
	blanks := strings.NewReplacer(`":`, "\":  \n", `,"`, " ,\n\t\"", `}`, " }").Replace(first)
	every, deeper := "id,last", "id,last/x"
	for n := range values {
		every += fmt.Sprintf(",member%02d", n)
		deeper += fmt.Sprintf(",member%02d/x", n)
	}
	for _, c := range []struct {
		sel string
		rw  StringRewriter
	}{{"id", nil}, {every, nil}, {every, tilde{}}, {deeper, nil}, {deeper, tilde{}}, {every, boundedTilde{3, 12}}} {
		sel := selectNode(c.sel)
		for _, xmlRoot := range []string{"", "R"} {
			testKnownMembers(t, first, blanks, long, Options{Select: sel, Rewriter: c.rw, XMLRoot: xmlRoot})
		}
		// keys remembered for XML are not JSON's: one Pass, XML then JSON
		doc := []byte("[" + first + "," + first + "]")
		want, _ := Append(nil, doc, Options{Select: sel, Rewriter: c.rw})
		var p Pass
		for _, root := range []string{"R", "", "R", ""} {
			got, err := p.Append(nil, doc, Options{Select: sel, Rewriter: c.rw, XMLRoot: root})
			if root == "" && (err != nil || !bytes.Equal(got, want)) {
				t.Fatalf("JSON after XML:\n got %s, %v\nwant %s", got, err, want)
			}
		}
	}
}

// tilde rewrites every string: a rewriter the member loops must call.
type tilde struct{}

func (tilde) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	return append(append(append(dst, '"', '~'), raw[1:len(raw)-1]...), '"'), true
}

// boundedTilde is tilde for plain texts of min to max bytes alone, and
// says so (RewriteBounds); others it keeps, escaped or not.
type boundedTilde struct{ min, max int }

func (b boundedTilde) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	if n := len(raw) - 2; n < b.min || n > b.max {
		return dst, false
	}
	return tilde{}.Rewrite(dst, key, raw)
}

func (b boundedTilde) RewriteBounds() (int, int) { return b.min, b.max }

// testKnownMembers checks the object first repeated, known and not, and
// with blanks, and then broken, with opt.
func testKnownMembers(t *testing.T, first, blanks, long string, opt Options) {
	xmlRoot := opt.XMLRoot
	{
		// each object as it is written alone (a value selected whole keeps
		// its blanks)
		alone := func(obj string) (string, string, string) {
			one, err := Append(nil, []byte("["+obj+"]"), opt)
			if err != nil {
				t.Fatal(err)
			}
			if xmlRoot == "" {
				return "[", string(one[1 : len(one)-1]), "]"
			}
			return xmlItem(t, one)
		}
		open, item, close := alone(first)
		_, blanksItem, _ := alone(blanks)
		doc := "[" + first + "," + first + "," + blanks + "," + first + "]"
		sep := ","
		if xmlRoot != "" {
			sep = ""
		}
		want := []byte(open + item + sep + item + sep + blanksItem + sep + item + close)
		var p Pass
		for round := range 2 { // the second with the first object known too
			got, err := p.Append(nil, []byte(doc), opt)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%q round %d:\n got %s, %v\nwant %s", xmlRoot, round, got, err, want)
			}
			for _, sizes := range [][]byte{{1}, {7, 3}, {40}, {200, 1}} {
				if got, err := streamed([]byte(doc), opt, sizes); err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%q in pieces %v:\n got %s, %v\nwant %s", xmlRoot, sizes, got, err, want)
				}
			}
		}
		// digits, then a byte just outside them, at each place of the
		// assembly's 16-byte digit reads
		var digitsThen []string
		for n := 1; n <= 17; n++ {
			for _, c := range "/:.;" {
				digitsThen = append(digitsThen, strings.Repeat("1", n)+string(c))
			}
		}
		for _, bad := range append(digitsThen, `01`, `:1`, `/1`, `:`, `tru`, `nul`, `nullx`, `-`, `1.`, `12a`, `1e`, `"a`+"\x01"+`"`,
			`"`+long+"\x1f"+`"`, `"\q"`, "\"\xff\"", "\"\xc3\"", "\"a\xc3\"", "\"\x80\"", "\"\xc3a\"", "\"\xc0\xaf\"",
			"\"\xc1\xbf\"", "\"\xc3\xc3\xa9\"", "\"\xf5\x80\x80\x80\"", "\"\xed\xa0\x80\"", "\""+long[:31]+"\xc3a\"",
			"\""+long[:30]+"\xc3\xa9\xa9\"", "\""+long[:31]+"\xa9\"", "\""+long[:32]+"\xa9é\"", "\"\xe2\x82\"", "\"\xe2\x82a\"", "\"\xc3\xc0\"", "\"é\x01\"", `"é\q"`, `[1,]`, `{"a"}`, `1 2`, `"a" "b"`,
			`{"a":1,}`, `[1 2]`, `{"a":1 "b":2}`, `[}`, `{]`, `{"a":01}`, `[-]`, `[1.]`, `[1e]`, `[tru]`,
			`{"a":"`+long+"\x01"+`"}`, `{"a" 1}`, `{,}`, `[[1],[2}]`, `{1:2}`, "[1,\x01 2]", `[1]]`,
			`{"a":`+strings.Repeat("[", 64)+"1"+strings.Repeat("]", 64)+"]") { // 65 levels, the first closed wrong
			broken := strings.Replace(first, `"member15":null`, `"member15":`+bad, 1)
			doc := "[" + first + "," + broken + "]"
			if _, err := p.Append(nil, []byte(doc), opt); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("%q: %s taken: %v", xmlRoot, bad, err)
			}
			if _, err := streamed([]byte(doc), opt, []byte{5}); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("%q in pieces: %s taken: %v", xmlRoot, bad, err)
			}
		}
		// a known key whose last byte (its colon) is another: the member
		// start matches in all but that byte
		for _, bad := range []string{`"member15";null`, `"member15"xnull`, `"member15"]null`} {
			doc := "[" + first + "," + strings.Replace(first, `"member15":null`, bad, 1) + "]"
			if _, err := p.Append(nil, []byte(doc), opt); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("%q: %s taken: %v", xmlRoot, bad, err)
			}
			if _, err := streamed([]byte(doc), opt, []byte{5}); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("%q in pieces: %s taken: %v", xmlRoot, bad, err)
			}
		}
	}
}

// xmlItem splits the XML of a one-item array into what comes before the
// item, the item, and what comes after it.
func xmlItem(t *testing.T, doc []byte) (string, string, string) {
	s := string(doc)
	start, end := strings.Index(s, "<R>"), strings.LastIndex(s, "</R>")
	if start < 0 || end < 0 {
		t.Fatalf("no item in %s", s)
	}
	end += len("</R>")
	return s[:start], s[start:end], s[end:]
}

// TestKnownKeysSurviveACut: a write that ends inside a key of an object
// whose keys are known leaves them where they were: each member's slot
// still holds that member's key at the object's end (a member counted
// twice shifted the rest, each then read the slow way and remembered one
// slot on), in JSON and XML, for a cut in every key.
func TestKnownKeysSurviveACut(t *testing.T) {
	obj := `{"alpha":1,"beta":"two","gamma":null,"delta":[4],"epsilon":true}`
	keys := []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	doc := "[" + obj + "," + obj + "]"
	second := len("[" + obj + ",")
	for _, xmlRoot := range []string{"", "R"} {
		for _, key := range keys {
			cut := second + strings.Index(obj, `"`+key+`"`) + 3
			p := New(io.Discard, Options{Select: selectNode("beta"), XMLRoot: xmlRoot})
			p.known = new(knownTable) // none another Pass filled
			for _, piece := range []string{doc[:cut], doc[cut:]} {
				if _, err := p.write([]byte(piece)); err != nil { // keeps its table
					t.Fatal(err)
				}
			}
			for m, want := range keys {
				k := p.known.keys[2*37+m] // the objects are at depth 2
				var start [32]byte
				for w, word := range k.words {
					binary.LittleEndian.PutUint64(start[w*8:], word)
				}
				if got := string(start[:k.n]); got != `"`+want+`":` {
					t.Errorf("%q, cut in %s: member %d known as %s", xmlRoot, key, m, got)
				}
			}
		}
	}
}

// TestUnselectedRunTwoByteText: the assembly reads a string whose text
// has two-byte UTF-8 sequences anywhere (TWO_BYTE_TEXT), a key's value or
// in an object it skips, but for a lead byte at a block's last place with
// no quote in the block; and leaves any other sequence, and a broken one,
// to the Go loop.
func TestUnselectedRunTwoByteText(t *testing.T) {
	if !hasAVX2 {
		t.Skip("unselectedRun takes no member without AVX2 (TestUnselectedKnownMembers covers the Go loop)")
	}
	node := selectNode("x")
	var known [knownSlots]knownKey
	known[0].remember(node, nil, []byte(`"a":`), 0, 0, 4, 4, false)
	taken := func(value string) bool {
		member := `"a":` + value + ","
		i, _, _, _, _, _ := unselectedRun([]byte(member+strings.Repeat(" ", 32)), 0, make([]byte, 0, 2*unselectedRoom), &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil)
		if i != 0 && i != len(member) {
			t.Fatalf("%q: stopped at %d", value, i)
		}
		return i == len(member)
	}
	for _, char := range []string{"é", "ø", "ß", "\u0080", "\u07ff"} {
		for at := range 70 {
			for _, after := range []int{0, 1, 5, 31, 40} {
				text := strings.Repeat("x", at) + char + strings.Repeat("y", after)
				want := at%32 != 31 // a lead byte last in a block of text with no quote
				if got := taken(`"` + text + `"`); got != want {
					t.Errorf("%q at %d, %d bytes after it: taken %v", char, at, after, got)
				}
				if got := taken(`{"k":"` + text + `","` + text + `":[1]}`); got != want { // the texts and keys of a skipped object
					t.Errorf("an object with %q at %d, %d bytes after it: taken %v", char, at, after, got)
				}
			}
		}
	}
	// a selected string for the rewriter: read to its end for the Go loop
	sel := selectNode("a")
	var selKnown [knownSlots]knownKey
	selKnown[0].remember(sel, &Node{Whole: true}, []byte(`"a":`), 0, 0, 4, 4, false)
	for _, value := range []string{`"Kundestøtte"`, `"` + strings.Repeat("ø", 40) + `"`} {
		src := []byte(`"a":` + value + "," + strings.Repeat(" ", 32))
		i, _, _, _, valueEnd, _ := unselectedRun(src, 0, make([]byte, 0, 2*unselectedRoom), &selKnown, 0, sel, false, true, 10, 0, math.MaxInt, nil, nil)
		if i != 0 || valueEnd != len(`"a":`+value) {
			t.Errorf("selected %s: stopped at %d, the value's end %d", value, i, valueEnd)
		}
	}
	for _, value := range []string{`"€"`, `"😀"`, `"é€"`, "\"\xc3\"", "\"\x80\"", "\"\xc3a\"", "\"\xc1\xbf\"", "\"\xe2\x82\"",
		`"é\n"`, "\"é\x01\"", `{"k":"€"}`, `{"€":1}`} {
		if taken(value) {
			t.Errorf("%q taken", value)
		}
	}
}

// TestUnselectedRunBounds: the assembly loop writes only within out's
// capacity (unselectedRoom bytes of room a member, or it takes none), and stops at
// the first member it does not take: a selected key, another key, a value
// it leaves to the Go loop, or a value no comma follows.
func TestUnselectedRunBounds(t *testing.T) {
	if !hasAVX2 {
		t.Skip("unselectedRun takes no member without AVX2 (TestUnselectedKnownMembers covers the Go loop)")
	}
	node := selectNode("x")
	src := []byte(`"a":"text","b":null,"c":-1,"a":"more",` + strings.Repeat(" ", 32))
	var known [knownSlots]knownKey
	known[0].remember(node, nil, src, 0, 0, 4, 4, false)
	known[1].remember(node, nil, src, 11, 11, 15, 15, false)
	known[2].remember(node, nil, src, 20, 20, 24, 24, false)
	for _, c := range []struct {
		room      int
		i, n, out int
	}{
		{room: unselectedRoom - 1, i: 0, n: 0, out: 0},
		{room: unselectedRoom, i: 11, n: 1, out: len(`"a":null,`)},
		{room: unselectedRoom + 8, i: 11, n: 1, out: len(`"a":null,`)}, // unselectedRoom-1 left after the first
		{room: unselectedRoom + 9, i: 20, n: 2, out: len(`"a":null,"b":null,`)},
	} {
		out := make([]byte, 3, 3+c.room)
		i, l, slot, _, _, _ := unselectedRun(src, 0, out, &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil)
		if i != c.i || slot != c.n || l != 3+c.out {
			t.Errorf("room %d: stopped at %d, slot %d, output %d; want %d, %d, %d", c.room, i, slot, l, c.i, c.n, 3+c.out)
		}
		if got := string(out[3:l]); got != `"a":null,"b":null,`[:c.out] {
			t.Errorf("room %d: wrote %q", c.room, got)
		}
	}
	// a key remembered as selected, a slot of another node (a table of
	// JSON members is never read for XML: see TestUnselectedKnownMembers)
	known[0].unselectedIn = nil
	if i, _, _, _, _, _ := unselectedRun(src, 0, make([]byte, 0, 2*unselectedRoom), &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil); i != 0 {
		t.Errorf("a selected key taken: stopped at %d", i)
	}
	known[0].remember(node, nil, src, 0, 0, 4, 4, false)
	if i, _, _, _, _, _ := unselectedRun(src, 0, make([]byte, 0, 2*unselectedRoom), &known, 0, selectNode("x"), false, false, 10, 0, math.MaxInt, nil, nil); i != 0 {
		t.Errorf("another node's key taken: stopped at %d", i)
	}
	// selected scalars in a row, each copied as it came, then a key not
	// selected: one run, each member read with its own known key
	sel := selectNode("a,b")
	row := []byte(`"a":1,"b":true,"c":"x",` + strings.Repeat(" ", 32))
	var rowKnown [knownSlots]knownKey
	rowKnown[0].remember(sel, &Node{Whole: true}, row, 0, 0, 4, 4, false)
	rowKnown[1].remember(sel, &Node{Whole: true}, row, 6, 6, 10, 10, false)
	rowKnown[2].remember(sel, nil, row, 15, 15, 19, 19, false)
	rowOut := make([]byte, 0, 4*unselectedRoom)
	i, l, slot, _, _, _ := unselectedRun(row, 0, rowOut, &rowKnown, 0, sel, false, false, 10, 0, math.MaxInt, nil, nil)
	if want := `"a":1,"b":true,"c":null,`; i != len(`"a":1,"b":true,"c":"x",`) || slot != 3 || string(rowOut[:l]) != want {
		t.Errorf("selected scalars: stopped at %d, slot %d, wrote %q; want %d, 3, %q", i, slot, rowOut[:l], len(`"a":1,"b":true,"c":"x",`), want)
	}
	// the same run from the last two slots on into the first ones
	rowKnown[knownSlots-2], rowKnown[knownSlots-1], rowKnown[0] = rowKnown[0], rowKnown[1], rowKnown[2]
	i, l, slot, _, _, _ = unselectedRun(row, 0, rowOut, &rowKnown, knownSlots-2, sel, false, false, 10, 0, math.MaxInt, nil, nil)
	if i != len(`"a":1,"b":true,"c":"x",`) || slot != knownSlots+1 || string(rowOut[:l]) != `"a":1,"b":true,"c":null,` {
		t.Errorf("selected scalars from slot %d: stopped at %d, slot %d, wrote %q", knownSlots-2, i, slot, rowOut[:l])
	}
	// a number longer than MaxHeld is the Go loop's (ErrTooLong); a string
	// of any length is read here
	for _, c := range []struct {
		value string
		taken bool
	}{
		{strings.Repeat("7", MaxHeld-len(`"a":`)), true},
		{strings.Repeat("7", MaxHeld), false}, // valid: the Go loop reads it
		{strings.Repeat("7", MaxHeld+1), false},
		{"[" + strings.Repeat("7", MaxHeld+1) + "]", false},
		{"0." + strings.Repeat("7", MaxHeld), false},
		{`"` + strings.Repeat("s", 4*MaxHeld) + `"`, true},
	} {
		member := []byte(`"a":` + c.value + "," + strings.Repeat(" ", 32))
		i, _, _, _, _, _ := unselectedRun(member, 0, make([]byte, 0, 2*unselectedRoom), &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil)
		if taken := i == len(`"a":`+c.value+","); taken != c.taken || !taken && i != 0 {
			t.Errorf("a value of %d bytes: stopped at %d, taken %v", len(c.value), i, c.taken)
		}
	}
	// the last member: ended at the byte after its blanks; or left to the
	// Go loop when its value or blanks reach the end of src
	for _, c := range []struct {
		src   string
		i     int
		ended bool
	}{
		{`"a":"text"}` + strings.Repeat(" ", 32), 10, true},
		{`"a":"text"  ]` + strings.Repeat(" ", 32), 12, true},
		{`"a":"text"` + strings.Repeat(" ", 32), 0, false},
		{`"a":"text"`, 0, false},
		{`"a":12`, 0, false},
	} {
		out := make([]byte, 0, 2*unselectedRoom)
		i, l, slot, ended, _, _ := unselectedRun([]byte(c.src), 0, out, &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil)
		want := ""
		if c.ended {
			want = `"a":null`
		}
		if i != c.i || ended != c.ended || string(out[:l]) != want || slot != len(want)/len(`"a":null`) {
			t.Errorf("%q: stopped at %d, ended %v, wrote %q, slot %d; want %d, %v, %q", c.src, i, ended, out[:l], slot, c.i, c.ended, want)
		}
	}
	// with cross (the objects of an array), at an object's end on into the
	// next object, from slot cross.base (3 here): while a comma and an
	// object follow
	pad := strings.Repeat(" ", 32)
	objects := &crossing{base: 3, n: 3, between: [64]byte{'}', ',', '{'}}
	known[3] = known[0]
	for _, c := range []struct {
		src     string
		cross   *crossing
		i, slot int
		ended   bool
		crossed int
		out     string
	}{
		{`"a":"x"},{"a":1},{"a":null}]` + pad, objects, 26, 4, true, 2, `"a":null},{"a":null},{"a":null`},
		{`"a":"x"} ,` + "\n\t" + `{ "a":1}` + pad, objects, 13, 3, false, 1, `"a":null},{`}, // the next start is not as remembered
		{`"a":"x"},{}` + pad, objects, 10, 3, false, 1, `"a":null},{`},
		{`"a":"x"},"s"` + pad, objects, 7, 1, true, 0, `"a":null`},
		{`"a":"x"},[]` + pad, objects, 7, 1, true, 0, `"a":null`},
		{`"a":"x"}` + pad + pad, objects, 7, 1, true, 0, `"a":null`}, // src ends in the blanks
		{`"a":"x"},` + pad + pad, objects, 7, 1, true, 0, `"a":null`},
		{`"a":"x"};{"a":1}` + pad, objects, 7, 1, true, 0, `"a":null`},
		{`"a":"x"],{"a":1}` + pad, objects, 7, 1, true, 0, `"a":null`}, // not the object's end
		{`"a":"x"},{"a":1}` + pad, nil, 7, 1, true, 0, `"a":null`},     // not an array's objects
	} {
		out := make([]byte, 0, 2*unselectedRoom)
		i, l, slot, ended, _, crossed := unselectedRun([]byte(c.src), 0, out, &known, 0, node, false, false, 10, 0, math.MaxInt, c.cross, nil)
		if i != c.i || slot != c.slot || ended != c.ended || crossed != c.crossed || string(out[:l]) != c.out {
			t.Errorf("%q, cross %v: stopped at %d, slot %d, ended %v, crossed %d, wrote %q; want %d, %d, %v, %d, %q",
				c.src, c.cross != nil, i, slot, ended, crossed, out[:l], c.i, c.slot, c.ended, c.crossed, c.out)
		}
	}
	// in XML, the item's closing and opening tags between
	var xmlKnown [knownSlots]knownKey
	xmlKnown[0].remember(node, nil, []byte(`"a":`), 0, 0, 4, 4, true)
	items := &crossing{base: 0, n: len("</R><R>")}
	copy(items.between[:], "</R><R>")
	src = []byte(`"a":"x"},{"a":1}]` + pad)
	out := make([]byte, 0, 2*unselectedRoom)
	i, l, _, ended, _, crossed := unselectedRun(src, 0, out, &xmlKnown, 0, node, true, false, 10, 0, math.MaxInt, items, nil)
	if got := string(out[:l]); got != `<a i:nil="true"/></R><R><a i:nil="true"/>` || i != 15 || !ended || crossed != 1 {
		t.Errorf("XML: stopped at %d, ended %v, crossed %d, wrote %q", i, ended, crossed, got)
	}
	// only with room for all 64 bytes of them after the member (the room
	// a member needs is checked before it): a selected number of 32 bytes
	// under a name of 29 is 95 bytes of XML
	name := strings.Repeat("k", 29)
	xmlKnown[0].remember(node, &Node{Whole: true}, []byte(`"`+name+`":`), 0, 0, 32, 32, true)
	number := strings.Repeat("7", 32)
	src = []byte(`"` + name + `":` + number + `},{"` + name + `":1}]` + pad)
	element := "<" + name + ">" + number + "</" + name + ">"
	for _, c := range []struct {
		room    int
		crossed int
		out     string
	}{
		{unselectedRoom, 0, element},
		{95 + 63, 0, element},
		{95 + 64, 1, element + "</R><R>"},
	} {
		out := make([]byte, 0, c.room)
		_, l, _, _, _, crossed := unselectedRun(src, 0, out, &xmlKnown, 0, node, true, false, 10, 0, math.MaxInt, items, nil)
		if got := string(out[:l]); got != c.out || crossed != c.crossed {
			t.Errorf("XML, room %d: crossed %d, wrote %q; want %d, %q", c.room, crossed, got, c.crossed, c.out)
		}
	}
}

// TestNextObject: an array's objects, read one after the other by the
// member loop (nextObject), give what each gives alone: with other
// elements between them, blanks, empty objects, nested arrays, the
// rewriter's keys (the array's for its scalars, each member's for its
// values), whole and in pieces, JSON and XML; and an array that breaks
// between them is still refused.
func TestNextObject(t *testing.T) {
	docs := []string{
		`[{"a":"x","bb":"y"},{"a":"x","bb":"y"},{"a":"x","bb":"y"}]`,
		`{"abc":[{"a":"x","bb":"y"},"s",{"a":"x","bb":"y"} , {"a":"x"},7,{},{"bb":"y","a":"x"}],"z":"w"}`,
		"[{\"a\":1}\n ,\n\t{\"a\":2} ,{ \"a\" : 3 },{}]",
		`[[{"a":1},{"a":2}],[{"a":3},{"b":4}],{"a":[{"a":5},{"a":6}]}]`,
		`{"a":{"a":1},"b":{"a":2}}`,
		// the assembly goes on into an empty object (src long enough for it)
		`[{"a":"x"},{"a":"x"},{},{"a":"x"},{ },"` + strings.Repeat("s", 40) + `"]`,
	}
	for _, doc := range docs {
		for _, sel := range []string{"", "a", "abc/a,z", "a/a,b"} {
			for _, plugs := range []uint8{0, 1} {
				for _, sizes := range [][]byte{{1}, {5, 2}, {255}} {
					checkDocument(t, []byte(doc), sel, sizes, plugs)
				}
			}
		}
	}
	// the rewriter reads each value under its own key (marker: odd lengths)
	got, err := Append(nil, []byte(docs[1]), Options{Rewriter: marker{}})
	want := `{"abc":[{"a":"~x","bb":"y"},"~s",{"a":"~x","bb":"y"},{"a":"~x"},7,{},{"bb":"y","a":"~x"}],"z":"~w"}`
	if err != nil || string(got) != want {
		t.Errorf("rewritten:\n got %s, %v\nwant %s", got, err, want)
	}
	for _, bad := range []string{`[{"a":1},]`, `[{"a":1},,{"a":2}]`, `[{"a":1}{"a":2}]`, `[{"a":1},{"a":2}}`, `[{"a":1},{"a":2]`, `[{"a":1},{`} {
		for _, sizes := range [][]byte{{1}, {255}} {
			if _, err := streamed([]byte(bad), Options{Select: selectNode("a")}, sizes); !errors.Is(err, ErrInvalidJSON) {
				t.Errorf("%s in pieces %v: %v", bad, sizes, err)
			}
		}
	}
}

// TestKnownKeySize: a Pass holds knownSlots known keys for as long as it
// lives, one Pass for each answer in flight; the README's memory figures
// count them at 128 bytes.
func TestKnownKeySize(t *testing.T) {
	if size := unsafe.Sizeof(knownKey{}); size > 128 {
		t.Errorf("a known key is %d bytes", size)
	}
}

// TestUnselectedRunGuessedSpans: a known key remembers its member's span,
// and the next member's start is taken from it only where it is right:
// values of a string and an integer whose length changes from one run to
// the next (longer, shorter, by a block, back) are each read to their own
// end, and the span follows the last one.
func TestUnselectedRunGuessedSpans(t *testing.T) {
	if !hasAVX2 {
		t.Skip("unselectedRun takes no member without AVX2")
	}
	node := selectNode("x")
	var known [knownSlots]knownKey
	known[0].remember(node, nil, []byte(`"a":`), 0, 0, 4, 4, false)
	known[1].remember(node, nil, []byte(`"b":`), 0, 0, 4, 4, false)
	known[2].remember(node, nil, []byte(`"c":`), 0, 0, 4, 4, false)
	for _, c := range []struct{ a, b string }{
		{`"x"`, `1`}, {`"x"`, `1`}, {`"xy"`, `12`}, {`"x"`, `1`},
		{`"` + strings.Repeat("x", 40) + `"`, `1234567890123456`}, {`""`, `9`}, {`"x"`, `1`}, {`"x"`, `1`},
	} {
		members := `"a":` + c.a + `,"b":` + c.b + `,"c":null,`
		src := []byte(members + `"a":` + strings.Repeat(" ", 40))
		out := make([]byte, 0, 4*unselectedRoom)
		i, l, slot, _, _, _ := unselectedRun(src, 0, out, &known, 0, node, false, false, 10, 0, math.MaxInt, nil, nil)
		if want := `"a":null,"b":null,"c":null,`; i != len(members) || slot != 3 || string(out[:l]) != want {
			t.Fatalf("a %s, b %s: stopped at %d, slot %d, wrote %q; want %d, 3, %q", c.a, c.b, i, slot, out[:l], len(members), want)
		}
		if a, b := int(known[0].span), int(known[1].span); a != len(`"a":`+c.a+`,`) || b != len(`"b":`+c.b+`,`) {
			t.Errorf("a %s, b %s: spans %d and %d remembered", c.a, c.b, a, b)
		}
	}
}
