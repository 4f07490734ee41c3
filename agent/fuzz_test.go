package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/internal/jsonpass"
	selection "github.com/chatgate/chatgate/select"
)

var fuzzContentTypes = []string{"", "application/json", "text/xml", "application/x-www-form-urlencoded", "text/plain"}

// FuzzDecode: for any method of the catalogue, any body and query either
// decode to canonical values that are valid JSON and decode again to the
// same values (canonical is a fixed point), or give an *Error with a client
// status. Never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(11), uint8(1), `{"ChatSessionId":157,"ToAssociate":"ducimus"}`, "")
	f.Add(uint8(11), uint8(2), `<r><ChatSessionId>1</ChatSessionId><ToAssociate>a</ToAssociate></r>`, "")
	f.Add(uint8(11), uint8(3), `ChatSessionId=1&ToAssociate=%C3%B8`, "x=1")
	f.Add(uint8(9), uint8(1), `null`, "chatSessionEntityId=0157")
	f.Add(uint8(1), uint8(1), `{"tableRight":{"mask":15},"chatSessionId":1,"flags":1,"status":4,"user":{"type":"1"},"whenRequested":"2024-01-02T03:04:05.006Z"}`, "")
	f.Add(uint8(19), uint8(2), `<r><ChatSessionId>5</ChatSessionId><Message><Type>2</Type></Message></r>`, "")
	f.Add(uint8(28), uint8(1), `{"chatTopicId":1,"useragents":[{"user":null,"canListen":"true"}]}`, "")
	f.Add(uint8(0), uint8(1), `{"chatSessionId":"42","toAssociate":"\ud83d\ude00\ud800"}`, "")
	f.Add(uint8(19), uint8(1), `{"chatSessionId":5,"message":{"message":"hi","zz":[{"a":"\ud83d\ude00","A":"\ud800"}]}}`, "")
	f.Add(uint8(1), uint8(1), `{"chatSessionId":5,"Extra":"a","extra2":"b","person":{"x":[[[]]]},"user":{"extraFields":{"a":"1"}}}`, "")
	f.Add(uint8(19), uint8(2), `<r><chatSessionId>5</chatSessionId><message><zz>1</zz><ZZ><a>2</a></ZZ></message></r>`, "")
	f.Fuzz(func(t *testing.T, method, contentType uint8, body, rawQuery string) {
		methods := Chat().Methods
		m := methods[int(method)%len(methods)]
		ct := fuzzContentTypes[int(contentType)%len(fuzzContentTypes)]
		query, _ := url.ParseQuery(rawQuery)
		call, err := Decode(m, ct, []byte(body), query, nil)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.StatusCode() < 400 || e.StatusCode() > 499 || e.Message == "" {
				t.Fatalf("Decode error %#v is not a client error", err)
			}
			return
		}
		// The canonical request, sent again, decodes to itself.
		again := url.Values{}
		for _, p := range m.Params {
			raw, ok := call.Value(p)
			if !ok {
				continue
			}
			if !gjson.ValidBytes(raw) {
				t.Fatalf("%s: canonical %q is not JSON", p.Name, raw)
			}
			if p.In == "query" {
				text, _ := call.Text(p.Name)
				again.Set(p.Name, text)
			}
		}
		canonical, _ := call.AppendBody(nil, func(p *Param) bool { return p.In == "body" })
		if err := meetsRules(canonical); err != nil {
			t.Fatalf("canonical %q: %v", canonical, err)
		}
		second, err := Decode(m, "application/json", canonical, again, nil)
		if err != nil {
			t.Fatalf("canonical %s %v refused: %v", canonical, again, err)
		}
		for _, p := range m.Params {
			a, _ := call.Value(p)
			b, _ := second.Value(p)
			if !bytes.Equal(a, b) {
				t.Fatalf("%s: %s then %s", p.Name, a, b)
			}
		}
	})
}

// meetsRules checks, apart from the decoder's own code, what every
// request body the backend gets must be, unknown properties included:
// valid UTF-8 with no unpaired surrogate escape, no name twice in one
// object in any ASCII case, and no more than maxDepth arrays and objects.
func meetsRules(doc []byte) error {
	if !utf8.Valid(doc) || hasLoneSurrogate(string(doc)) { // outside strings JSON has no backslash
		return errors.New("not valid Unicode")
	}
	type frame struct {
		object, wantKey bool
		seen            map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.object {
			if top.wantKey {
				key := string(appendLower(nil, tok.(string))) // ASCII folding, as the catalogue's
				if top.seen[key] {
					return fmt.Errorf("%q given twice", tok)
				}
				top.seen[key] = true
				top.wantKey = false
				continue
			}
			top.wantKey = true
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{object: d == '{', wantKey: d == '{', seen: make(map[string]bool)})
			if len(stack) > maxDepth {
				return fmt.Errorf("nested more than %d deep", maxDepth)
			}
		}
	}
}

// FuzzTemplate: a template that parses expands without panicking, and its
// values never add a path segment or a query parameter.
func FuzzTemplate(f *testing.F) {
	f.Add("/s/{ChatSessionId}/to/{ToAssociate}?x={ToAssociate}&u={caller}", "a/b?c&d=e")
	f.Add("/{ToAssociate}", "..")
	name := func(n string) (string, bool) { return n, n == "ChatSessionId" || n == "ToAssociate" || n == Caller }
	f.Fuzz(func(t *testing.T, tmpl, value string) {
		parsed, err := ParseTemplate(tmpl, name)
		if err != nil {
			return
		}
		base, baseQuery, err := parsed.Expand(func(string) (string, bool) { return "x", true })
		if err != nil {
			t.Fatalf("the sample expansion failed: %v", err)
		}
		p, q, err := parsed.Expand(func(string) (string, bool) { return value, true })
		if err != nil {
			return
		}
		if count(p, '/') != count(base, '/') || count(q, '&') != count(baseQuery, '&') || count(q, '=') != count(baseQuery, '=') {
			t.Fatalf("%q with %q expands to %q?%q; the sample gives %q?%q", tmpl, value, p, q, base, baseQuery)
		}
	})
}

func count(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return n
}

// FuzzShape: any JSON answer, shaped to any method's return type, stays
// valid JSON (or is refused as the input was invalid JSON or not UTF-8), and shaping it again
// changes nothing: the catalogue's spelling and names are a fixed point.
func FuzzShape(f *testing.F) {
	f.Add(uint8(9), `{"chatSessionId":"157","status":4,"flags":"useristyping","user":{"type":1},"customerConsented":1}`)
	f.Add(uint8(18), `[{"type":2,"specialType":"0","whenPosted":"2024-01-02T03:04:05"}]`)
	f.Add(uint8(21), `true`)
	f.Add(uint8(20), `{"widget":{"requiredFields":"email, NAME","size":"-1"},"openingHours":null}`)
	shapes := NewShapes(Chat())
	f.Fuzz(func(t *testing.T, method uint8, doc string) {
		methods := Chat().Methods
		shape := shapes.Of(methods[int(method)%len(methods)].Returns)
		once, err := selection.Rewrite(nil, []byte(doc), nil, nil, shape)
		if err != nil {
			var twice *jsonpass.TwiceError
			if errors.As(err, &twice) {
				if !keyTwice(doc, twice.Name) {
					t.Fatalf("%q refused for %s twice: %v", doc, twice.Name, err)
				}
				return
			}
			if gjson.Valid(doc) && utf8.ValidString(doc) && nestingOK(doc) { // gjson lets invalid UTF-8 pass
				t.Fatalf("valid %q refused: %v", doc, err)
			}
			return
		}
		if !gjson.ValidBytes(once) {
			t.Fatalf("shaped %q is not JSON", once)
		}
		twice, err := selection.Rewrite(nil, once, nil, nil, shape)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("shaped again: %q, %v; once %q", twice, err, once)
		}
	})
}

// keyTwice reports a valid JSON document with an object that has two keys
// equal to name in any case (what a shape may spell as one name).
func keyTwice(doc, name string) bool {
	dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
	var seen []map[string]int // per open object, its keys folded; nil for an array
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				seen = append(seen, map[string]int{})
				expectKey = true
				continue
			case '[':
				seen = append(seen, nil)
			default:
				seen = seen[:len(seen)-1]
			}
		case string:
			if expectKey {
				key := strings.ToLower(v)
				if seen[len(seen)-1][key]++; key == strings.ToLower(name) && seen[len(seen)-1][key] == 2 {
					return true
				}
				expectKey = false
				continue
			}
		}
		if len(seen) == 0 {
			return false
		}
		expectKey = seen[len(seen)-1] != nil && dec.More()
	}
}

// nestingOK reports a document the engine's nesting bound admits.
func nestingOK(doc string) bool {
	depth := 0
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '[', '{':
			if depth++; depth > selection.MaxNesting {
				return false
			}
		case ']', '}':
			depth--
		}
	}
	return true
}
