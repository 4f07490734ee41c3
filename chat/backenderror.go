package chat

import (
	"bytes"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/format"
)

// MaxErrorBody is how much of a backend's error answer is read: enough for
// any message, and no more of a page nobody will see.
const MaxErrorBody = 64 << 10

// MaxErrorMessage bounds a backend's message as relayed, in characters.
const MaxErrorMessage = 256

// errorMessageKeys are the properties a backend's JSON error names its
// message in, most specific first: SuperOffice's ErrorMessage and Message,
// the common "error" and "message", RFC 9457's "detail". Matched ASCII
// case-insensitively.
var errorMessageKeys = []string{"ErrorMessage", "Message", "error", "detail"}

// BackendMessage returns the message a backend's error answer (status 4xx
// or 5xx, body at most MaxErrorBody bytes) gives, as one trimmed line of at
// most MaxErrorMessage characters, or "" when it gives none:
//
//   - a JSON object: the first string among ErrorMessage, Message, error
//     (or error.message), detail; a JSON string: that string;
//   - short text (text/*, or no Content-Type): its first non-blank line;
//   - an HTML or XML page, other types, invalid JSON or UTF-8: nothing.
//     A page is never passed on, not even in part.
func BackendMessage(contentType string, body []byte) string {
	body = bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	if len(body) == 0 || !utf8.Valid(body) {
		return ""
	}
	mediaType := ""
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return ""
		}
		mediaType = mt
	}
	switch {
	case format.IsJSON(mediaType):
		return jsonMessage(body)
	case mediaType == "text/html" || strings.Contains(mediaType, "xml") || body[0] == '<':
		return ""
	case mediaType != "" && !strings.HasPrefix(mediaType, "text/"):
		return ""
	case body[0] == '{' && gjson.ValidBytes(body): // JSON labelled as text
		return jsonMessage(body)
	}
	return oneLine(string(body))
}

func jsonMessage(body []byte) string {
	if !gjson.ValidBytes(body) {
		return ""
	}
	doc := gjson.ParseBytes(body)
	if doc.Type == gjson.String {
		return oneLine(doc.Str)
	}
	if !doc.IsObject() {
		return ""
	}
	for _, key := range errorMessageKeys {
		v := property(doc, key)
		if v.Type == gjson.String {
			if msg := oneLine(v.Str); msg != "" {
				return msg
			}
		}
		if v.IsObject() { // {"error":{"code":"...","message":"..."}}
			if m := property(v, "message"); m.Type == gjson.String {
				if msg := oneLine(m.Str); msg != "" {
					return msg
				}
			}
		}
	}
	return ""
}

// oneLine is the first non-blank line of s, trimmed, with any other control
// character dropped, cut to MaxErrorMessage characters (an ellipsis marks
// the cut).
func oneLine(s string) string {
	for line := range strings.Lines(s) {
		line = strings.TrimFunc(line, unicode.IsSpace)
		if line == "" {
			continue
		}
		var b strings.Builder
		n := 0
		for _, r := range line {
			if unicode.IsControl(r) || r == utf8.RuneError {
				continue
			}
			if n == MaxErrorMessage {
				b.WriteString("…")
				break
			}
			b.WriteRune(r)
			n++
		}
		return strings.TrimSpace(b.String())
	}
	return ""
}

var utf8BOM = []byte("\xef\xbb\xbf")
