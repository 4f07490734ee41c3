package selection

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// FuzzParse: any $select text parses to a selection, to "everything", or to
// an *Error; never a panic, and never an error for text within the limits
// that has no empty name.
func FuzzParse(f *testing.F) {
	f.Add("name,department,category/id")
	f.Add("*")
	f.Add("a//b,,c")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse([]string{s}, 256)
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Fatalf("Parse(%q) error %v is not an *Error", s, err)
		}
	})
}

// FuzzProject: for any selection and document, Project never panics;
// succeeds on every valid document (and only on valid ones); its output is
// valid JSON with the same top-level keys in the same order; and projecting
// the output again changes nothing.
func FuzzProject(f *testing.F) {
	f.Add("a,c/d", `{"a":1,"b":{"x":[1,2]},"c":{"d":"e","f":null}}`)
	f.Add("id", `[{"id":1,"x":2},{"id":3}]`)
	f.Add("n\u00e5me", `{"N\u00c5ME":"\ud83d\ude00","x":-1.5e3}`)
	f.Add("a/b/c", `{"a":[[{"b":{"c":true,"d":false}}]]}`)
	f.Fuzz(func(t *testing.T, selectParam, doc string) {
		sel, err := Parse([]string{selectParam}, 256)
		if err != nil || sel == nil {
			return
		}
		out, err := sel.Project(nil, []byte(doc))
		valid := json.Valid([]byte(doc)) && utf8.ValidString(doc) && !strings.HasPrefix(doc, "\xef\xbb\xbf")
		if err != nil {
			if valid && nesting(doc) <= MaxNesting {
				t.Fatalf("Project refused valid JSON %q: %v", doc, err)
			}
			return
		}
		if !valid && (!json.Valid(bytes.TrimPrefix([]byte(doc), []byte("\xef\xbb\xbf"))) || !utf8.ValidString(doc)) {
			t.Fatalf("Project accepted invalid JSON %q", doc)
		}
		if !json.Valid(out) {
			t.Fatalf("Project(%q) = %q is not valid JSON", doc, out)
		}
		if k1, k2 := topKeys(t, []byte(strings.TrimPrefix(doc, "\xef\xbb\xbf"))), topKeys(t, out); k1 != k2 {
			t.Fatalf("keys changed: %s -> %s", k1, k2)
		}
		// The same engine, fed in pieces, writes the same bytes.
		var streamed bytes.Buffer
		p := jsonpass.New(&streamed, jsonpass.Options{Select: sel.Node()})
		for d := []byte(doc); len(d) > 0; {
			k := min(1+len(doc)%7, len(d))
			if _, err := p.Write(d[:k]); err != nil {
				t.Fatalf("streaming %q: %v", doc, err)
			}
			d = d[k:]
		}
		if err := p.Close(); err != nil || !bytes.Equal(streamed.Bytes(), out) {
			t.Fatalf("streamed %q (%v); whole %q", streamed.Bytes(), err, out)
		}
		again, err := sel.Project(nil, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("projecting twice: %q then %q (%v)", out, again, err)
		}
	})
}

// topKeys lists the keys of a top-level object, or of each object in a
// top-level array, in order.
func topKeys(t *testing.T, doc []byte) string {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", doc, err)
	}
	items := []json.RawMessage{v}
	if v[0] == '[' {
		_ = json.Unmarshal(v, &items)
	}
	var b strings.Builder
	for _, item := range items {
		d := json.NewDecoder(bytes.NewReader(item))
		if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
			b.WriteString("|")
			continue
		}
		for d.More() {
			key, _ := d.Token()
			b.WriteString(key.(string) + ",")
			var skip json.RawMessage
			_ = d.Decode(&skip)
		}
		b.WriteString("|")
	}
	return b.String()
}

func nesting(doc string) int {
	depth, most, inString, escaped := 0, 0, false, false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
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
