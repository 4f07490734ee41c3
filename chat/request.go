package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"
)

// Field names of the request body, as spelled in the reference pages.
const (
	FieldChatSessionID = "ChatSessionId"
	FieldToAssociate   = "ToAssociate"
)

// IsProperty reports whether name is a parameter of a chat request, ignoring
// ASCII case.
func IsProperty(name string) bool { return paramIndex(transferParams, name) >= 0 }

var utf8BOM = []byte("\xef\xbb\xbf")

// MaxToAssociate is the longest ToAssociate accepted, in characters.
const MaxToAssociate = MaxUserName

// MediaTypes are the request body types of the reference pages.
var MediaTypes = []string{
	"application/json", "text/json", "application/json-patch+json", "application/merge-patch+json",
	"application/xml", "text/xml", "application/x-www-form-urlencoded",
}

// Request is one validated chat request.
type Request struct {
	Action        Action
	ChatSessionID int32
	ToAssociate   string // set for Transfer only
}

// Error is a request refused for what it carries. Status is the HTTP status
// to answer with; Message names the field or the problem and never repeats a
// value the client sent.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// Decode reads a chat request from its body and query parameters (see
// DecodeParams) and checks that the action's required parameters are there.
func Decode(a Action, contentType string, body []byte, query url.Values) (Request, error) {
	values, err := DecodeParams(a.Params(), contentType, body, query)
	if err != nil {
		return Request{}, err
	}
	req := Request{Action: a}
	for i, p := range a.Params() {
		switch p.Name {
		case FieldChatSessionID:
			req.ChatSessionID = values[i].Int
		case FieldToAssociate:
			req.ToAssociate = values[i].Str
		}
	}
	return req, nil
}

// DecodeParams reads the values of params from a request body and its query
// parameters, in the order of params. Names match ASCII case-insensitively;
// a parameter given more than once, in the body, the query or both, must
// carry the same value each time; JSON null is as if it were not given.
// Names params does not hold are ignored.
//
// A body that is empty (or all whitespace), or that is the JSON literal
// null, is no body: the query alone carries the parameters. The official
// clients send both, with Content-Type: application/json, for methods
// without body parameters (agents-chat.md A.1). A required parameter given
// nowhere is a 400 naming it, never a complaint about the body's syntax.
func DecodeParams(params []Param, contentType string, body []byte, query url.Values) ([]Value, error) {
	c := collector{params: params, values: make([]Value, len(params))}
	body = bytes.TrimPrefix(body, utf8BOM) // .NET clients often send one
	if len(bytes.TrimSpace(body)) > 0 {
		if err := c.body(contentType, body); err != nil {
			return nil, err
		}
	}
	for name, values := range query {
		for _, v := range values {
			if err := c.text(name, v); err != nil {
				return nil, err
			}
		}
	}
	for i, p := range params {
		if p.Required && !c.values[i].Present() {
			return nil, badRequest("%s is required", p.Name)
		}
	}
	return c.values, nil
}

// CanonicalJSON is the body sent upstream: {"ChatSessionId":157,"ToAssociate":"x"}.
func (r Request) CanonicalJSON() []byte {
	values := []Value{{Type: TypeID, Int: r.ChatSessionID}, {Type: TypeUserName, Str: r.ToAssociate}}
	return AppendCanonicalJSON(make([]byte, 0, 48+len(r.ToAssociate)), r.Action.Params(), values)
}

// AppendCanonicalJSON appends the object of the given parameters' values,
// keys spelled as in params, in their order. Absent values are left out.
func AppendCanonicalJSON(dst []byte, params []Param, values []Value) []byte {
	dst = append(dst, '{')
	first := true
	for i, p := range params {
		if i >= len(values) || !values[i].Present() {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		name, _ := json.Marshal(p.Name) // a string always marshals
		dst = append(dst, name...)
		dst = append(dst, ':')
		dst = values[i].AppendJSON(dst)
	}
	return append(dst, '}')
}

// collector gathers parameter values from every source and checks each as
// it comes.
type collector struct {
	params []Param
	values []Value
}

func (c *collector) body(contentType string, body []byte) error {
	if contentType == "" {
		return &Error{Status: http.StatusUnsupportedMediaType,
			Message: "a request body needs a Content-Type: one of " + strings.Join(MediaTypes, ", ")}
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return &Error{Status: http.StatusUnsupportedMediaType, Message: "the Content-Type header is malformed"}
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		return &Error{Status: http.StatusUnsupportedMediaType, Message: "only the utf-8 charset is supported"}
	}
	switch mediaType {
	case "application/json", "text/json", "application/json-patch+json", "application/merge-patch+json":
		return c.json(body)
	case "application/xml", "text/xml":
		return c.xml(body)
	case "application/x-www-form-urlencoded":
		return c.form(body)
	}
	return &Error{Status: http.StatusUnsupportedMediaType,
		Message: "unsupported Content-Type; use one of " + strings.Join(MediaTypes, ", ")}
}

func (c *collector) json(body []byte) error {
	if !gjson.ValidBytes(body) {
		return badRequest("the request body is not valid JSON")
	}
	doc := gjson.ParseBytes(body)
	if doc.Type == gjson.Null {
		return nil // the literal null: no body
	}
	if !doc.IsObject() {
		return badRequest("the request body must be a JSON object")
	}
	var err error
	doc.ForEach(func(key, value gjson.Result) bool {
		i := paramIndex(c.params, key.String())
		if i < 0 {
			return true
		}
		v, verr := c.params[i].Type.FromJSON(value)
		if verr != nil {
			err = c.invalid(i)
			return false
		}
		err = c.set(i, v)
		return err == nil
	})
	return err
}

func (c *collector) form(body []byte) error {
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return badRequest("the request body is not valid form data")
	}
	for name, vs := range values {
		for _, v := range vs {
			if err := c.text(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// text takes a parameter given as text: a form field, a query parameter or
// an XML element.
func (c *collector) text(name, value string) error {
	i := paramIndex(c.params, name)
	if i < 0 {
		return nil
	}
	v, err := c.params[i].Type.FromText(value)
	if err != nil {
		return c.invalid(i)
	}
	return c.set(i, v)
}

// set records a parameter's value. An absent value (null) leaves it as it
// is; a second, different value is refused.
func (c *collector) set(i int, v Value) error {
	if !v.Present() {
		return nil
	}
	if c.values[i].Present() && c.values[i] != v {
		return badRequest("%s is given more than once with different values", c.params[i].Name)
	}
	c.values[i] = v
	return nil
}

// invalid is the error for a value parameter i's type refuses. It names the
// parameter and never repeats the value.
func (c *collector) invalid(i int) error {
	return badRequest("%s %s", c.params[i].Name, c.params[i].Type.Rule())
}
