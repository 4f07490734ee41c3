package chat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Field names of the request body, as spelled in the reference pages.
const (
	FieldChatSessionID = "ChatSessionId"
	FieldToAssociate   = "ToAssociate"
)

// IsProperty reports whether name is a property of a chat request, ignoring
// ASCII case.
func IsProperty(name string) bool {
	return asciiEqualFold(name, FieldChatSessionID) || asciiEqualFold(name, FieldToAssociate)
}

var utf8BOM = []byte("\xef\xbb\xbf")

// MaxToAssociate is the longest ToAssociate accepted, in characters.
const MaxToAssociate = 255

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

// Decode reads a chat request from its body and query parameters. Property
// names match ASCII case-insensitively; a property given more than once, in
// the body, the query or both, must carry the same value each time. An empty
// (or all-whitespace) body is no body: the query alone carries the
// properties, whatever the Content-Type. Properties the action does not take
// are ignored.
func Decode(a Action, contentType string, body []byte, query url.Values) (Request, error) {
	c := collector{req: Request{Action: a}}
	body = bytes.TrimPrefix(body, utf8BOM) // .NET clients often send one
	if len(bytes.TrimSpace(body)) > 0 {
		if err := c.body(contentType, body); err != nil {
			return Request{}, err
		}
	}
	for name, values := range query {
		for _, v := range values {
			if err := c.text(name, v); err != nil {
				return Request{}, err
			}
		}
	}
	if !c.haveID {
		return Request{}, badRequest("%s is required", FieldChatSessionID)
	}
	if a == Transfer && !c.haveTo {
		return Request{}, badRequest("%s is required", FieldToAssociate)
	}
	return c.req, nil
}

// CanonicalJSON is the body sent upstream: {"ChatSessionId":157,"ToAssociate":"x"}.
func (r Request) CanonicalJSON() []byte {
	b := make([]byte, 0, 48+len(r.ToAssociate))
	b = append(b, `{"ChatSessionId":`...)
	b = strconv.AppendInt(b, int64(r.ChatSessionID), 10)
	if r.Action == Transfer {
		to, _ := json.Marshal(r.ToAssociate) // a string always marshals
		b = append(b, `,"ToAssociate":`...)
		b = append(b, to...)
	}
	return append(b, '}')
}

// collector gathers properties from every source and checks each as it comes.
type collector struct {
	req    Request
	haveID bool
	haveTo bool
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
	if !doc.IsObject() {
		return badRequest("the request body must be a JSON object")
	}
	var err error
	doc.ForEach(func(key, value gjson.Result) bool {
		err = c.jsonProperty(key.String(), value)
		return err == nil
	})
	return err
}

func (c *collector) jsonProperty(name string, value gjson.Result) error {
	switch {
	case asciiEqualFold(name, FieldChatSessionID):
		switch value.Type {
		case gjson.Null:
			return nil
		case gjson.Number:
			return c.setID(value.Raw)
		}
		return invalidID()
	case asciiEqualFold(name, FieldToAssociate) && c.req.Action == Transfer:
		switch value.Type {
		case gjson.Null:
			return nil
		case gjson.String:
			return c.setTo(value.Str)
		}
		return invalidTo()
	}
	return nil
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

// text takes a property given as text: a form field, a query parameter or
// an XML element.
func (c *collector) text(name, value string) error {
	switch {
	case asciiEqualFold(name, FieldChatSessionID):
		return c.setID(value)
	case asciiEqualFold(name, FieldToAssociate) && c.req.Action == Transfer:
		return c.setTo(value)
	}
	return nil
}

// setID takes the digits of a ChatSessionId: a JSON integer literal or a
// numeric string. Fractions, exponents and signs other than a minus are not
// integers of the int32 the reference pages name.
func (c *collector) setID(digits string) error {
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return invalidID()
	}
	n, err := strconv.ParseInt(digits, 10, 32)
	if err != nil || n < 1 {
		return invalidID()
	}
	if c.haveID && c.req.ChatSessionID != int32(n) {
		return badRequest("%s is given more than once with different values", FieldChatSessionID)
	}
	c.req.ChatSessionID, c.haveID = int32(n), true
	return nil
}

func (c *collector) setTo(s string) error {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxToAssociate {
		return invalidTo()
	}
	if c.haveTo && c.req.ToAssociate != s {
		return badRequest("%s is given more than once with different values", FieldToAssociate)
	}
	c.req.ToAssociate, c.haveTo = s, true
	return nil
}

func invalidID() error {
	return badRequest("%s must be an integer from 1 to 2147483647", FieldChatSessionID)
}

func invalidTo() error {
	return badRequest("%s must be a non-empty string of at most %d characters", FieldToAssociate, MaxToAssociate)
}
