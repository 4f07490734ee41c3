package chat

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

var fuzzContentTypes = []string{"", "application/json", "text/xml", "application/x-www-form-urlencoded", "text/plain"}

// FuzzDecode: any body and query either decode to a request that satisfies
// every rule, whose canonical JSON is valid and decodes to the same request,
// or give an *Error with a client status. Never a panic.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), uint8(1), `{"ChatSessionId":157,"ToAssociate":"ducimus"}`, "")
	f.Add(uint8(0), uint8(2), `<r><ChatSessionId>1</ChatSessionId><ToAssociate>a</ToAssociate></r>`, "")
	f.Add(uint8(0), uint8(3), `ChatSessionId=1&ToAssociate=%C3%B8`, "x=1")
	f.Add(uint8(1), uint8(0), ``, "ChatSessionId=9")
	f.Add(uint8(2), uint8(2), `<!DOCTYPE r><r/>`, "")
	f.Add(uint8(0), uint8(1), `null`, "chatSessionId=0157&toAssociate=a")
	f.Add(uint8(0), uint8(1), `{"chatSessionId":"42","toAssociate":"\ud83d\ude00\ud800"}`, "")
	f.Add(uint8(0), uint8(2), `<r><ChatSessionId> 7 </ChatSessionId><ToAssociate>&#x1F600;&#xD800;</ToAssociate></r>`, "")
	f.Fuzz(func(t *testing.T, action, contentType uint8, body, rawQuery string) {
		a := Actions[int(action)%len(Actions)]
		ct := fuzzContentTypes[int(contentType)%len(fuzzContentTypes)]
		query, _ := url.ParseQuery(rawQuery)
		req, err := Decode(a, ct, []byte(body), query)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status < 400 || e.Status > 499 || e.Message == "" {
				t.Fatalf("Decode error %#v is not a client error", err)
			}
			return
		}
		if req.Action != a || req.ChatSessionID < 1 {
			t.Fatalf("Decode = %+v", req)
		}
		if a == Transfer && (!validUserName(req.ToAssociate) || !utf8.ValidString(req.ToAssociate) ||
			utf8.RuneCountInString(req.ToAssociate) > MaxToAssociate || strings.ContainsFunc(req.ToAssociate, unicode.IsControl)) {
			t.Fatalf("ToAssociate %q breaks the rules", req.ToAssociate)
		}
		canonical := req.CanonicalJSON()
		if !gjson.ValidBytes(canonical) {
			t.Fatalf("canonical JSON %s is not valid", canonical)
		}
		again, err := Decode(a, "application/json", canonical, nil)
		if err != nil || again != req {
			t.Fatalf("canonical JSON %s decodes to %+v, %v; want %+v", canonical, again, err, req)
		}
	})
}

// FuzzTemplate: a template that parses expands without panicking, and its
// values never add a path segment or a query parameter.
func FuzzTemplate(f *testing.F) {
	f.Add("/s/{ChatSessionId}/to/{ToAssociate}?x={ToAssociate}", "a/b?c&d=e")
	f.Add("/{ToAssociate}", "..")
	f.Fuzz(func(t *testing.T, tmpl, to string) {
		parsed, err := ParseTemplate(tmpl, FieldChatSessionID, FieldToAssociate)
		if err != nil {
			return
		}
		base, baseQuery, err := parsed.Expand(Request{Action: Transfer, ChatSessionID: 1, ToAssociate: "x"})
		if err != nil {
			t.Fatalf("the sample expansion failed: %v", err)
		}
		p, q, err := parsed.Expand(Request{Action: Transfer, ChatSessionID: 1, ToAssociate: to})
		if err != nil {
			return
		}
		if count(p, '/') != count(base, '/') || count(q, '&') != count(baseQuery, '&') || count(q, '=') != count(baseQuery, '=') {
			t.Fatalf("%q with ToAssociate %q expands to %q?%q; the sample gives %q?%q", tmpl, to, p, q, base, baseQuery)
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

// FuzzMayChange: any backend body gives a decision or ErrSessionNotObject,
// and no caller is ever matched by the empty name.
func FuzzMayChange(f *testing.F) {
	f.Add(`{"User":{"Name":"TJE0"},"TransferTo":null}`, "tje0")
	f.Add(`{"transferto":{"username":"ann"}}`, "ANN")
	f.Add(`[{"User":{}}]`, "")
	f.Fuzz(func(t *testing.T, session, caller string) {
		for _, a := range Actions {
			ok, err := MayChange(a, []byte(session), caller)
			if err != nil && !errors.Is(err, ErrSessionNotObject) {
				t.Fatalf("MayChange error %v", err)
			}
			if ok && (err != nil || caller == "") {
				t.Fatalf("MayChange(%s, %q) = %v, %v", session, caller, ok, err)
			}
		}
	})
}
