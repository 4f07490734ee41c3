package jsonpass

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// streamed feeds src to a Pass in pieces whose sizes cycle through sizes
// (each at least 1), its output placed as the gateway's is, and returns
// the output and the first error.
func streamed(src []byte, opt Options, sizes []byte) ([]byte, error) {
	var out bytes.Buffer
	opt.AlignAt = 4088
	p := New(&out, opt)
	for k := 0; len(src) > 0; k++ {
		n := 1
		if len(sizes) > 0 {
			n = int(sizes[k%len(sizes)]) + 1
		}
		n = min(n, len(src))
		if _, err := p.Write(src[:n]); err != nil {
			return nil, err
		}
		src = src[n:]
	}
	if err := p.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// writeCut feeds doc to p in two writes, cut at cut, and closes it.
func writeCut(t *testing.T, p *Pass, doc string, cut int) {
	t.Helper()
	for _, piece := range []string{doc[:cut], doc[cut:]} {
		if _, err := p.Write([]byte(piece)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// selectNode builds a selection tree as select.Parse does (without its
// limits): nil for everything.
func selectNode(text string) *Node {
	root, any := &Node{}, false
	for _, item := range strings.Split(text, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		if item == "*" {
			return nil
		}
		n := root
		for _, name := range strings.Split(item, "/") {
			if name = strings.TrimSpace(name); name == "" {
				return nil
			}
			n = n.Child(name)
		}
		n.Whole, any = true, true
	}
	if !any {
		return nil
	}
	return root
}

// marker rewrites the strings of keys with an odd length, and shape spells
// the key "id" as "Id" and writes the number 4 under it as "Four": plugs
// that change bytes, to see them stream as they go whole.
type marker struct{}

func (marker) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	if len(key)%2 == 0 {
		return dst, false
	}
	return append(append(append(dst, '"', '~'), raw[1:len(raw)-1]...), '"'), true
}

// resizer rewrites a string by its text's length (n): for n%4 of 0 it
// keeps it, 1 writes one as long, 2 one byte shorter and 3 two bytes
// longer: rewrites that grow, shrink and keep in one answer (settle).
type resizer struct{}

func (resizer) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	n := len(raw) - 2
	switch n % 4 {
	case 0:
		return dst, false
	case 2:
		n--
	case 3:
		n += 2
	}
	return append(append(append(dst, '"'), strings.Repeat("r", n)...), '"'), true
}

type idShape struct{}

func (idShape) Field(key []byte) ([]byte, Shape, bool) {
	if strings.EqualFold(string(key), "id") {
		return []byte("Id"), idShape{}, true
	}
	return nil, nil, false
}
func (idShape) Elem() Shape { return idShape{} }
func (idShape) Scalar(dst, raw []byte) ([]byte, bool) {
	if string(raw) == "4" {
		return append(dst, `"Four"`...), true
	}
	return dst, false
}

// FuzzStream is the engine's differential target: for any document, any
// $select, any plugs and any split into pieces, the streamed output is the
// whole-body output (JSON and XML alike), the engine accepts exactly what
// encoding/json accepts in UTF-8 (RFC 8259 8.1: encoding/json itself lets
// invalid UTF-8 in strings pass) within MaxNesting, a leading byte order
// mark aside, and with no string plug its output reads, with encoding/json,
// as the document's values with what is not selected null.
func FuzzStream(f *testing.F) {
	for _, seed := range []struct{ doc, sel string }{
		{`{"a":1,"b":{"x":[1, 2]},"c":{"d":"e","f":null}}`, "a,c/d"},
		{` [ {"id":4,"x":"2021-01-15T12:00:00"} , {"ID":3} ] `, "id"},
		{`{"N\u00c5ME":"\ud83d\ude00","x":-1.5e3,"a b":"<&>\r\t"}`, "n\u00e5me"},
		{`{"a":[[{"b":{"c":true,"d":false}}]]}`, "a/b/c"},
		{"\xef\xbb\xbf{\"_x_\":\"\",\"\":[{}],\"\\u00e9\":\"\\ud800\"}", "*"},
		{`"top"`, "x"},
		{"{\"a\":\"Bj\xf8rn\",\"b\":\"\xc3(\",\"c\":\"\xed\xa0\x80\",\"d\":\"\xc0\xaf\"}", "b"},                         // not UTF-8: a Latin-1 byte, a cut sequence, a surrogate, an overlong form
		{"[{\"n\u00e5\":\"Bj\u00f8rn \u20ac \U0001F600\"},{\"N\u00c5\":\"\u00e6\u00f8\u00e5\"}]", "n\u00e5"},            // UTF-8 text cut across pieces
		{"[{\"a\":1,\n \"b\":[{\"c\":2}]},{\"a\":1,\n \"b\":[{\"c\":3}]},{\"a\" : 2,\n  \"b\":null,\"B\":4}]", "a,b/c"}, // keys the member loops remember
	} {
		f.Add(seed.doc, seed.sel, []byte{0, 2, 6}, uint8(0))
		f.Add(seed.doc, seed.sel, []byte{1}, uint8(7))
	}
	f.Fuzz(func(t *testing.T, doc, sel string, sizes []byte, plugs uint8) {
		checkDocument(t, []byte(doc), sel, sizes, plugs)
	})
}

// checkDocument checks what FuzzStream promises of src.
func checkDocument(t *testing.T, src []byte, sel string, sizes []byte, plugs uint8) {
	t.Helper()
	opt := fuzzOptions(sel, plugs)
	whole, err := Append(nil, src, opt)
	got, serr := streamed(src, opt, sizes)
	if (err == nil) != (serr == nil) || !bytes.Equal(got, whole) {
		t.Fatalf("streamed %q, %v; whole %q, %v", got, serr, whole, err)
	}
	// into an output with room to spare, where the assembly takes every
	// member it can (it needs room for each) and goes on into next objects
	roomy, rerr := Append(make([]byte, 0, 8*len(src)+1024), src, opt)
	if (err == nil) != (rerr == nil) || !bytes.Equal(roomy, whole) {
		t.Fatalf("with room %q, %v; whole %q, %v", roomy, rerr, whole, err)
	}
	body := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	valid := json.Valid(body) && utf8.Valid(body) && nesting(body) <= MaxNesting
	if valid != (err == nil) {
		t.Fatalf("valid %v, engine: %v", valid, err)
	}
	if err != nil {
		return
	}
	if !json.Valid(whole) {
		t.Fatalf("output %q is not JSON", whole)
	}
	if opt.Rewriter == nil && opt.Shape == nil {
		var in, out any
		if err := unmarshal(body, &in); err != nil {
			t.Fatal(err)
		}
		if err := unmarshal(whole, &out); err != nil {
			t.Fatal(err)
		}
		if want := projectDocument(in, opt.Select); !reflect.DeepEqual(out, want) {
			t.Fatalf("encoding/json reads %#v; want %#v", out, want)
		}
	}
	opt.XMLRoot = "Root"
	xmlWhole, err := Append(nil, src, opt)
	xmlStreamed, serr := streamed(src, opt, sizes)
	if err != nil || serr != nil || !bytes.Equal(xmlWhole, xmlStreamed) {
		t.Fatalf("XML streamed %q, %v; whole %q, %v", xmlStreamed, serr, xmlWhole, err)
	}
	xmlRoomy, err := Append(make([]byte, 0, 16*len(src)+1024), src, opt)
	if err != nil || !bytes.Equal(xmlWhole, xmlRoomy) {
		t.Fatalf("XML with room %q, %v; whole %q", xmlRoomy, err, xmlWhole)
	}
}

// fuzzOptions are the $select sel and the plugs that bits of plugs turn on.
func fuzzOptions(sel string, plugs uint8) Options {
	opt := Options{Select: selectNode(sel)}
	if plugs&1 != 0 {
		opt.Rewriter = marker{}
	}
	if plugs&2 != 0 {
		opt.Shape = idShape{}
	}
	if plugs&4 != 0 { // a rewriter that says which plain strings it leaves
		opt.Rewriter = boundedTilde{3, 12}
	}
	if plugs&8 != 0 {
		opt.Rewriter = resizer{}
	}
	return opt
}

// FuzzRepeatedObjects drives the member loops' fast paths (known keys, the
// loop of members not selected, the vector string scan) with any values:
// an array of one object three times and another once checks as
// FuzzStream's documents do, and each copy of the first object, known or
// not, is written as the object alone is, in JSON and XML.
func FuzzRepeatedObjects(f *testing.F) {
	entity := `{"ChatSessionId":746,"User":null,"CustomerAlias":"illum","CustomerName":"Streich, Renner and Bradtke",` +
		`"WhenRequested":"2000-12-04T11:10:26.1095254+01:00","CustomerConsented":true,"Rank":789,"Rating":-3.5e2,` +
		`"FieldProperties":{"fieldName":{"FieldRight":null,"FieldType":"System.Int32","FieldLength":377}},"Status":"Closed"}`
	f.Add(entity, strings.Replace(entity, `"illum"`, `"ill\u00fcm"`, 1), "ChatSessionId,Status,User/Name", []byte{31}, uint8(0))
	f.Add(entity, strings.Replace(entity, `789`, `0789`, 1), "Status", []byte{200, 3}, uint8(1))
	f.Add(strings.ReplaceAll(entity, `,"`, ",\n  \""), entity, "Rank", []byte{64}, uint8(2))
	nordic := strings.Replace(entity, `"Streich, Renner and Bradtke"`, `"Strøm, Ærlig og Bråten AS ø, søndag – Kundestøtte"`, 1) // two-byte UTF-8 at blocks' ends, and a longer sequence
	f.Add(nordic, strings.Replace(nordic, "ø", "\xc3", 1), "ChatSessionId,CustomerName", []byte{17}, uint8(3))
	f.Add(entity, entity, "CustomerAlias,CustomerName,WhenRequested,Status", []byte{90}, uint8(8)) // strings that grow, shrink and stay in one answer
	f.Fuzz(func(t *testing.T, first, other, sel string, sizes []byte, plugs uint8) {
		checkDocument(t, []byte("["+first+","+first+","+other+","+first+"]"), sel, sizes, plugs)
		for _, root := range []string{"", "Root"} {
			opt := fuzzOptions(sel, plugs)
			opt.XMLRoot = root
			one, err := Append(nil, []byte("["+first+"]"), opt)
			if err != nil || strings.TrimSpace(first) == "" {
				return // no object to repeat
			}
			var p Pass // the second time with every key known
			for round := range 2 {
				three, err := p.Append(nil, []byte("["+first+","+first+" , "+first+"]"), opt)
				if err != nil {
					t.Fatalf("%q alone is valid, three times: %v", first, err)
				}
				var want string
				switch {
				case root == "" && opt.Select == nil && opt.Rewriter == nil && opt.Shape == nil:
					want = "[" + first + "," + first + " , " + first + "]" // copied as it came
				case root == "":
					item := string(one[1 : len(one)-1])
					want = "[" + item + "," + item + "," + item + "]"
				default:
					// the item: an element or a nil one, up to the array's end
					s := string(one)
					start, end := strings.Index(s, "<Root"), strings.LastIndex(s, "</ArrayOfRoot>")
					if start < 0 || end < start {
						t.Fatalf("no item in %s", s)
					}
					want = s[:start] + strings.Repeat(s[start:end], 3) + s[end:]
				}
				if string(three) != want {
					t.Fatalf("round %d, root %q:\n got %s\nwant %s", round, root, three, want)
				}
			}
		}
	})
}

func unmarshal(b []byte, v *any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// projectDocument is the $select projection of a whole decoded document: a
// top-level scalar is left as it is.
func projectDocument(v any, n *Node) any {
	switch v.(type) {
	case []any, map[string]any:
		return project(v, n)
	}
	return v
}

// project is the $select projection on decoded values.
func project(v any, n *Node) any {
	if n == nil || n.Whole {
		return v
	}
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = project(t[i], n)
		}
		return t
	case map[string]any:
		for k, val := range t {
			t[k] = project(val, n.lookup([]byte(k)))
			if n.lookup([]byte(k)) == nil {
				t[k] = nil
			}
		}
		return t
	}
	return nil
}

func nesting(doc []byte) int {
	depth, most, inString, escaped := 0, 0, false, false
	for _, c := range doc {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == '[' || c == '{'):
			depth++
			most = max(most, depth)
		case !inString && (c == ']' || c == '}'):
			depth--
		}
	}
	return most
}
