package agent

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/format"
)

// Error is a request a method refuses: its status (400 unless said) and a
// message that names the parameter, and the property path inside an
// entity, without repeating the value.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// StatusCode is the HTTP status of the refusal.
func (e *Error) StatusCode() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

func badRequest(msg string) *Error { return &Error{Message: msg} }

// Call is one checked request of a method: each parameter's canonical JSON
// value, as the backend gets it.
type Call struct {
	Method *Method
	values [][]byte // canonical JSON per parameter, in catalogue order; nil: not given
}

// Value returns a parameter's canonical JSON, if it was given.
func (c *Call) Value(p *Param) ([]byte, bool) {
	for i, q := range c.Method.Params {
		if q == p {
			return c.values[i], c.values[i] != nil
		}
	}
	return nil, false
}

// Text is a scalar parameter's value as text (a number's digits, a
// string's content, an enum's member name), for a route template; false if
// the parameter is not a given scalar.
func (c *Call) Text(name string) (string, bool) {
	p := c.Method.Param(name)
	if p == nil {
		return "", false
	}
	raw, ok := c.Value(p)
	if !ok {
		return "", false
	}
	v := gjson.ParseBytes(raw)
	switch v.Type {
	case gjson.String:
		return v.Str, true
	case gjson.Number, gjson.True, gjson.False:
		return v.Raw, true
	}
	return "", false
}

// AppendBody appends the canonical body of the parameters for which keep
// reports true: the entity itself for a Save method's entity parameter,
// else an object of the given ones, keyed as the catalogue spells them. It
// reports false, appending nothing, when none of them was given.
func (c *Call) AppendBody(dst []byte, keep func(*Param) bool) ([]byte, bool) {
	if p := c.Method.EntityParam(); p != nil && keep(p) {
		raw, ok := c.Value(p)
		if !ok {
			return dst, false
		}
		return append(dst, raw...), true
	}
	n := 0
	for i, p := range c.Method.Params {
		if c.values[i] == nil || !keep(p) {
			continue
		}
		if n == 0 {
			dst = append(dst, '{')
		} else {
			dst = append(dst, ',')
		}
		dst = append(append(append(dst, '"'), p.Name...), '"', ':')
		dst = append(dst, c.values[i]...)
		n++
	}
	if n == 0 {
		return dst, false
	}
	return append(dst, '}'), true
}

// Decode reads a method's parameters from the query string and the body
// (any of MediaTypes; a Save method's body is the entity itself), names
// matched ASCII case-insensitively, checks each against its catalogue type,
// and returns their canonical JSON. A body that is empty, white space or the
// JSON literal null carries no parameters, whatever its Content-Type.
// dates (nil: date-times kept as sent) converts request date-times for the
// backend.
func Decode(m *Method, contentType string, body []byte, query url.Values, dates DateConverter) (*Call, error) {
	d := decoder{call: &Call{Method: m, values: make([][]byte, len(m.Params))}, reader: valueReader{dates: dates}}
	for name, values := range query {
		p := m.Param(name)
		if p == nil {
			if ascii, lookalike := asciiLookalike(name); lookalike && m.Param(ascii) != nil {
				// passed on, a backend that folds Unicode case would read it
				// as the parameter chatgate checked
				return nil, badRequest("a query parameter is a look-alike of " + m.Param(ascii).Name + " (a letter that Unicode case folding reads as ASCII)")
			}
			continue // another query parameter ($select...): not the method's
		}
		for _, v := range values {
			if err := d.text(p, v); err != nil {
				return nil, err
			}
		}
	}
	body = bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	if len(body) > 0 && !(string(body) == "null" && isJSONType(contentType)) {
		if err := d.body(contentType, body); err != nil {
			return nil, err
		}
	}
	for i, p := range m.Params {
		if p.Required && d.call.values[i] == nil {
			return nil, badRequest(p.Name + " is required")
		}
	}
	return d.call, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

type decoder struct {
	call   *Call
	reader valueReader
}

// isJSONType reports a JSON body type of the reference pages.
func isJSONType(contentType string) bool {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	switch mediaType {
	case format.ApplicationJSON, format.TextJSON, format.JSONPatch, format.MergePatch:
		return true
	}
	return false
}

func (d *decoder) body(contentType string, body []byte) error {
	types := strings.Join(format.RequestTypes(), ", ")
	if contentType == "" {
		return &Error{Status: http.StatusUnsupportedMediaType, Message: "a request body needs a Content-Type: one of " + types}
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return &Error{Status: http.StatusUnsupportedMediaType, Message: "the Content-Type header is malformed"}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		return &Error{Status: http.StatusUnsupportedMediaType, Message: "only the utf-8 charset is supported"}
	}
	switch {
	case isJSONType(mediaType):
		return d.json(body)
	case format.IsXML(mediaType):
		return d.xml(body)
	case mediaType == format.FormData:
		return d.form(body)
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Message: "unsupported Content-Type; use one of " + types}
}

func (d *decoder) json(body []byte) error {
	if !gjson.ValidBytes(body) {
		return badRequest("the request body is not valid JSON")
	}
	doc := gjson.ParseBytes(body)
	if p := d.call.Method.EntityParam(); p != nil {
		return d.set(p, doc)
	}
	if !doc.IsObject() {
		return badRequest("the request body must be a JSON object of parameters")
	}
	d.reader.depth = 1 // the object of parameters
	defer func() { d.reader.depth = 0 }()
	var err error
	doc.ForEach(func(key, value gjson.Result) bool {
		if p := d.call.Method.Param(key.Str); p != nil {
			err = d.set(p, value)
		}
		return err == nil
	})
	return err
}

func (d *decoder) form(body []byte) error {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return badRequest("the request body is not valid form data")
	}
	for name, vs := range values {
		p := d.call.Method.Param(name)
		if p == nil {
			continue
		}
		for _, v := range vs {
			if err := d.text(p, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// text takes a parameter given as text (a query or form field): only
// scalars and enums can be.
func (d *decoder) text(p *Param, value string) error {
	if p.Type.Array || p.Type.Type != nil || p.Type.Scalar == ScalarMap || p.Type.Scalar == ScalarObject {
		return badRequest(p.Name + " is a " + p.Type.Name + ": send it in a JSON or XML body")
	}
	if !utf8.ValidString(value) {
		return invalid(p.Name, p.Type, "")
	}
	return d.set(p, gjson.ParseBytes(AppendJSONString(nil, value)))
}

// set checks a parameter's value and records its canonical JSON. null
// leaves the parameter as it is; a second, different value is refused.
func (d *decoder) set(p *Param, v gjson.Result) error {
	if v.Type == gjson.Null && !p.Entity {
		return nil
	}
	canonical, err := d.reader.append(nil, v, p.Type, p.Name)
	if err != nil {
		return err
	}
	for i, q := range d.call.Method.Params {
		if q != p {
			continue
		}
		if prev := d.call.values[i]; prev != nil && !bytes.Equal(prev, canonical) {
			return badRequest(p.Name + " is given more than once with different values")
		}
		if string(canonical) != "null" {
			d.call.values[i] = canonical
		}
	}
	return nil
}

// xml reads a body of the reference pages' XML form: any root element with
// one child element per parameter (for a Save method, the root is the
// entity), names matched ASCII case-insensitively and namespaces ignored,
// an element marked nil="true" null. Each parameter's element is read as
// the JSON value its type asks for, then checked as JSON is. Document type
// declarations are refused outright, so no entity is ever declared,
// expanded or fetched.
func (d *decoder) xml(body []byte) error {
	if hasIllegalCharRef(body) {
		return badRequest("the request body is not valid XML: a character reference names a character XML does not allow")
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	root, err := readElement(dec, 0)
	if err != nil {
		return err
	}
	if p := d.call.Method.EntityParam(); p != nil {
		return d.set(p, gjson.ParseBytes(root.json(nil, p.Type)))
	}
	d.reader.depth = 1 // the root element, as the object of parameters in JSON
	defer func() { d.reader.depth = 0 }()
	for _, child := range root.children {
		p := d.call.Method.Param(child.name)
		if p == nil {
			continue
		}
		if err := d.set(p, gjson.ParseBytes(child.json(nil, p.Type))); err != nil {
			return err
		}
	}
	return nil
}

// element is an XML element read whole (request bodies are small: at most
// max_request_body).
type element struct {
	name     string
	nil      bool
	text     strings.Builder
	children []*element
}

// maxDepth bounds the nesting of a request body: XML elements, and the
// arrays and objects of JSON (the body's own object counted) in what the
// catalogue does not describe all the way down (an unknown property, an
// Object). The catalogue's own types nest far less.
const maxDepth = 64

func readElement(dec *xml.Decoder, depth int) (*element, error) {
	var root *element
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) && depth == 0 {
			if root == nil {
				return nil, badRequest("the request body is not valid XML: no root element")
			}
			return root, nil
		}
		if err != nil {
			return nil, badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, badRequest("XML document type declarations are not allowed")
		case xml.StartElement:
			if root != nil {
				return nil, badRequest("the request body is not valid XML: more than one root element")
			}
			if root, err = readChildren(dec, t, depth+1); err != nil {
				return nil, err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, badRequest("the request body is not valid XML: text outside the root element")
			}
		}
	}
}

func readChildren(dec *xml.Decoder, start xml.StartElement, depth int) (*element, error) {
	if depth > maxDepth {
		return nil, badRequest("the request body's XML is nested too deeply")
	}
	e := &element{name: start.Name.Local, nil: isNil(start)}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return e, nil
		case xml.Directive:
			return nil, badRequest("XML document type declarations are not allowed")
		case xml.StartElement:
			child, err := readChildren(dec, t, depth+1)
			if err != nil {
				return nil, err
			}
			e.children = append(e.children, child)
		case xml.CharData:
			e.text.Write(t)
		}
	}
}

// json writes the element as the JSON value t asks for: an array of its
// child elements, an object of them, or its text as a string (the checks
// then read numbers, booleans and names from the text). xs:int and
// xs:boolean collapse white space, so a number may be wrapped in layout.
func (e *element) json(dst []byte, t *TypeRef) []byte {
	switch {
	case e.nil:
		return append(dst, "null"...)
	case t.Array:
		dst = append(dst, '[')
		for i, c := range e.children {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = c.json(dst, t.Elem())
		}
		return append(dst, ']')
	case t.Type != nil || t.Scalar == ScalarMap || t.Scalar == ScalarObject || len(e.children) > 0:
		if len(e.children) == 0 && strings.TrimSpace(e.text.String()) != "" {
			return strconv.AppendQuote(dst, e.text.String()) // not an object: the check says so
		}
		dst = append(dst, '{')
		for i, c := range e.children {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendQuote(dst, c.name)
			dst = append(dst, ':')
			var ct *TypeRef
			if t.Type != nil {
				if p := t.Type.Property([]byte(c.name)); p != nil {
					ct = p.Type
				}
			}
			if ct == nil {
				ct = untyped
			}
			dst = c.json(dst, ct)
		}
		return append(dst, '}')
	}
	text := e.text.String()
	if t.Enum != nil || t.Scalar == ScalarId || t.Scalar == ScalarRecordId || t.Scalar == ScalarInt32 || t.Scalar == ScalarNumber || t.Scalar == ScalarBoolean {
		text = strings.TrimSpace(text)
	}
	return AppendJSONString(dst, text)
}

// untyped reads an element the catalogue does not know: its text as a
// string, or its children as an object.
var untyped = &TypeRef{Name: "Object", Scalar: ScalarString}

// AppendJSONString appends s quoted as a JSON string (strconv.Quote's Go
// escapes are not all JSON).
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, `\u00`...)
			dst = append(dst, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

func isNil(e xml.StartElement) bool {
	for _, a := range e.Attr {
		if a.Name.Local == "nil" && strings.EqualFold(strings.TrimSpace(a.Value), "true") {
			return true
		}
	}
	return false
}

// hasIllegalCharRef reports a character reference (&#...; or &#x...;) to a
// character outside XML 1.0's Char production (section 2.2): a surrogate,
// U+FFFE, U+FFFF, a C0 control other than tab, CR and LF, or past U+10FFFF.
// encoding/xml reads such a reference as U+FFFD instead of refusing it, so a
// "&#xD800;" would reach the backend as a character the client never sent.
func hasIllegalCharRef(body []byte) bool {
	for {
		i := bytes.Index(body, []byte("&#"))
		if i < 0 {
			return false
		}
		body = body[i+2:]
		end := bytes.IndexByte(body, ';')
		if end < 0 {
			return false // no reference; the decoder refuses a stray '&'
		}
		ref, base := string(body[:end]), 10
		if strings.HasPrefix(ref, "x") {
			ref, base = ref[1:], 16
		}
		n, err := strconv.ParseUint(ref, base, 32)
		if err != nil {
			if len(ref) > 0 && strings.Trim(ref, "0123456789abcdefABCDEF") == "" {
				return true // too large for any character
			}
			continue // not a reference; the decoder judges it
		}
		r := rune(n)
		legal := r == '\t' || r == '\n' || r == '\r' ||
			(r >= 0x20 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
		if !legal {
			return true
		}
		body = body[end:]
	}
}
