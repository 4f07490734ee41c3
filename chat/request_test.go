package chat

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	long := strings.Repeat("ø", MaxToAssociate)
	for _, tc := range []struct {
		name        string
		action      Action
		contentType string
		body        string
		query       string
		want        Request
		wantStatus  int    // 0: success
		wantMessage string // part of the error message
	}{
		{name: "json", action: Transfer, contentType: "application/json; charset=utf-8",
			body: `{"ChatSessionId": 157, "ToAssociate": "ducimus"}`,
			want: Request{Transfer, 157, "ducimus"}},
		{name: "text/json", action: Transfer, contentType: "text/json",
			body: `{"ChatSessionId":1,"ToAssociate":"a"}`, want: Request{Transfer, 1, "a"}},
		{name: "json-patch", action: Reject, contentType: "application/json-patch+json",
			body: `{"ChatSessionId":798}`, want: Request{Reject, 798, ""}},
		{name: "merge-patch", action: Accept, contentType: "application/merge-patch+json",
			body: `{"ChatSessionId":2147483647}`, want: Request{Accept, 2147483647, ""}},
		{name: "json names ignore case", action: Transfer, contentType: "application/json",
			body: `{"chatsessionid":5,"TOASSOCIATE":"x"}`, want: Request{Transfer, 5, "x"}},
		{name: "json unknown properties ignored", action: Transfer, contentType: "application/json",
			body: `{"x":[1,{"y":2}],"ChatSessionId":5,"ToAssociate":"x","z":null}`, want: Request{Transfer, 5, "x"}},
		{name: "json escapes", action: Transfer, contentType: "application/json",
			body: `{"ChatSessionId":5,"ToAssociate":"a\"b\u00f8"}`, want: Request{Transfer, 5, "a\"bø"}},
		{name: "reject ignores ToAssociate", action: Reject, contentType: "application/json",
			body: `{"ChatSessionId":5,"ToAssociate":17}`, want: Request{Reject, 5, ""}},
		{name: "xml", action: Transfer, contentType: "application/xml",
			body: `<?xml version="1.0" encoding="utf-8"?><Request><ChatSessionId>157</ChatSessionId><ToAssociate>ducimus</ToAssociate></Request>`,
			want: Request{Transfer, 157, "ducimus"}},
		{name: "text/xml with namespace and layout", action: Transfer, contentType: "text/xml",
			body: "<r xmlns=\"urn:x\">\n  <chatsessionid>\n    42\n  </chatsessionid>\n  <toassociate>a &amp; b</toassociate>\n  <Other><Deep/></Other>\n</r>",
			want: Request{Transfer, 42, "a & b"}},
		{name: "xml nil is absent", action: Reject, contentType: "text/xml",
			body: `<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ChatSessionId i:nil="true"/></r>`, query: "ChatSessionId=9",
			want: Request{Reject, 9, ""}},
		{name: "json with byte order mark", action: Accept, contentType: "application/json",
			body: "\xef\xbb\xbf{\"ChatSessionId\":4}", want: Request{Accept, 4, ""}},
		{name: "xml with byte order mark", action: Accept, contentType: "application/xml",
			body: "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><r><ChatSessionId>4</ChatSessionId></r>", want: Request{Accept, 4, ""}},
		{name: "form", action: Transfer, contentType: "application/x-www-form-urlencoded",
			body: "ChatSessionId=157&ToAssociate=a%26b+c", want: Request{Transfer, 157, "a&b c"}},
		{name: "form leading zeros", action: Accept, contentType: "application/x-www-form-urlencoded",
			body: "chatSessionId=0042", want: Request{Accept, 42, ""}},
		{name: "query only", action: Transfer, query: "ChatSessionId=3&toassociate=bob",
			want: Request{Transfer, 3, "bob"}},
		{name: "query only with content type and empty body", action: Accept, contentType: "application/json", query: "ChatSessionId=3",
			want: Request{Accept, 3, ""}},
		{name: "query completes body", action: Transfer, contentType: "application/json",
			body: `{"ChatSessionId":3}`, query: "ToAssociate=bob", want: Request{Transfer, 3, "bob"}},
		{name: "same value twice", action: Accept, contentType: "application/json",
			body: `{"ChatSessionId":3}`, query: "chatsessionid=3", want: Request{Accept, 3, ""}},
		{name: "longest ToAssociate", action: Transfer, contentType: "application/json",
			body: `{"ChatSessionId":3,"ToAssociate":"` + long + `"}`, want: Request{Transfer, 3, long}},

		// Int32 as a string of digits, in every body type (SPEC step 2).
		{name: "json digit string leading zeros", action: Transfer, contentType: "application/json",
			body: `{"chatSessionId":"0042","toAssociate":"bob"}`, want: Request{Transfer, 42, "bob"}},
		{name: "json digit string max", action: Accept, contentType: "text/json",
			body: `{"ChatSessionId":"2147483647"}`, want: Request{Accept, 2147483647, ""}},
		{name: "json string and number agree", action: Accept, contentType: "application/json",
			body: `{"ChatSessionId":"7"}`, query: "chatSessionId=007", want: Request{Accept, 7, ""}},
		{name: "xml digit string leading zeros", action: Accept, contentType: "application/xml",
			body: `<r><ChatSessionId>00157</ChatSessionId></r>`, want: Request{Accept, 157, ""}},
		{name: "query leading zeros", action: Reject, query: "ChatSessionId=0009", want: Request{Reject, 9, ""}},
		// null and empty bodies, as the official client sends them (agents-chat.md A.1).
		{name: "null body and query", action: Transfer, contentType: "application/json",
			body: `null`, query: "chatSessionId=5&toAssociate=bob", want: Request{Transfer, 5, "bob"}},
		{name: "null body with blanks and BOM", action: Accept, contentType: "application/json; charset=utf-8",
			body: "\xef\xbb\xbf null \n", query: "ChatSessionId=5", want: Request{Accept, 5, ""}},
		{name: "empty body and query", action: Reject, contentType: "application/json",
			query: "ChatSessionId=6", want: Request{Reject, 6, ""}},
		{name: "null body without parameters", action: Accept, contentType: "application/json", body: `null`,
			wantStatus: 400, wantMessage: "ChatSessionId is required"},
		{name: "empty body without parameters", action: Transfer, contentType: "application/json",
			wantStatus: 400, wantMessage: "ChatSessionId is required"},
		{name: "null body, id in query, associate missing", action: Transfer, contentType: "application/json", body: `null`,
			query: "ChatSessionId=1", wantStatus: 400, wantMessage: "ToAssociate is required"},
		{name: "json string plus sign", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"+1"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be an integer from 1 to 2147483647"},
		{name: "json string leading blank", action: Accept, contentType: "application/json", body: `{"ChatSessionId":" 1"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string trailing blank", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"1 "}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string fraction", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"1.0"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json number fraction zero", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1.0}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string past int32", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"2147483648"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string empty", action: Accept, contentType: "application/json", body: `{"ChatSessionId":""}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string zero", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"000"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string negative", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"-1"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string hex", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"0x10"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "json string fullwidth digits", action: Accept, contentType: "application/json", body: `{"ChatSessionId":"\uff11"}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "xml plus sign", action: Accept, contentType: "application/xml", body: `<r><ChatSessionId>+1</ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "xml fraction", action: Accept, contentType: "application/xml", body: `<r><ChatSessionId>1.0</ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "xml past int32", action: Accept, contentType: "text/xml", body: `<r><ChatSessionId>2147483648</ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form leading blank", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=%201",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form fraction", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=1.0",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form past int32", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=2147483648",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "query plus sign", action: Accept, query: "ChatSessionId=%2B1",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},

		{name: "missing id", action: Reject, contentType: "application/json", body: `{}`,
			wantStatus: 400, wantMessage: "ChatSessionId is required"},
		{name: "null id", action: Reject, contentType: "application/json", body: `{"ChatSessionId":null}`,
			wantStatus: 400, wantMessage: "ChatSessionId is required"},
		{name: "missing ToAssociate", action: Transfer, contentType: "application/json", body: `{"ChatSessionId":1}`,
			wantStatus: 400, wantMessage: "ToAssociate is required"},
		{name: "zero id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":0}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be an integer from 1 to 2147483647"},
		{name: "negative id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":-1}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "id past int32", action: Accept, contentType: "application/json", body: `{"ChatSessionId":2147483648}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "huge id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":99999999999999999999999}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "fraction id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1.5}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "exponent id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1e2}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "string id in json", action: Accept, contentType: "application/json", body: `{"chatSessionId":"157"}`,
			want: Request{Accept, 157, ""}},
		{name: "bool id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":true}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "object id", action: Accept, contentType: "application/json", body: `{"ChatSessionId":{"a":1}}`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form signed id", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=%2B5",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form empty id", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "form spaced id", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=+5",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "query bad id", action: Accept, query: "ChatSessionId=abc",
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "empty ToAssociate", action: Transfer, contentType: "application/json", body: `{"ChatSessionId":1,"ToAssociate":""}`,
			wantStatus: 400, wantMessage: "ToAssociate must be a non-empty string of at most 255 characters"},
		{name: "ToAssociate too long", action: Transfer, contentType: "application/json", body: `{"ChatSessionId":1,"ToAssociate":"` + long + `x"}`,
			wantStatus: 400, wantMessage: "ToAssociate must be"},
		{name: "ToAssociate number", action: Transfer, contentType: "application/json", body: `{"ChatSessionId":1,"ToAssociate":5}`,
			wantStatus: 400, wantMessage: "ToAssociate must be"},
		{name: "ToAssociate invalid utf-8", action: Transfer, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=1&ToAssociate=%FF",
			wantStatus: 400, wantMessage: "ToAssociate must be"},
		{name: "conflicting ids", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1}`, query: "ChatSessionId=2",
			wantStatus: 400, wantMessage: "ChatSessionId is given more than once with different values"},
		{name: "conflicting ids in body", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1,"chatsessionid":2}`,
			wantStatus: 400, wantMessage: "ChatSessionId is given more than once"},
		{name: "conflicting associates", action: Transfer, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=1&ToAssociate=a&ToAssociate=b",
			wantStatus: 400, wantMessage: "ToAssociate is given more than once"},
		{name: "invalid json", action: Accept, contentType: "application/json", body: `{"ChatSessionId":1`,
			wantStatus: 400, wantMessage: "not valid JSON"},
		{name: "json array", action: Accept, contentType: "application/json", body: `[{"ChatSessionId":1}]`,
			wantStatus: 400, wantMessage: "must be a JSON object"},
		{name: "invalid xml", action: Accept, contentType: "application/xml", body: `<r><ChatSessionId>1</r>`,
			wantStatus: 400, wantMessage: "not valid XML"},
		{name: "xml doctype", action: Accept, contentType: "application/xml",
			body:       `<!DOCTYPE r [<!ENTITY x "1">]><r><ChatSessionId>&x;</ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "document type declarations are not allowed"},
		{name: "xml two roots", action: Accept, contentType: "application/xml", body: `<r><ChatSessionId>1</ChatSessionId></r><r/>`,
			wantStatus: 400, wantMessage: "more than one root"},
		{name: "xml nested value", action: Accept, contentType: "application/xml", body: `<r><ChatSessionId><a>1</a></ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "ChatSessionId must be"},
		{name: "xml other charset", action: Accept, contentType: "application/xml",
			body:       `<?xml version="1.0" encoding="ISO-8859-1"?><r><ChatSessionId>1</ChatSessionId></r>`,
			wantStatus: 400, wantMessage: "not valid XML"},
		{name: "invalid form", action: Accept, contentType: "application/x-www-form-urlencoded", body: "ChatSessionId=%zz",
			wantStatus: 400, wantMessage: "not valid form data"},
		{name: "body without content type", action: Accept, body: `{"ChatSessionId":1}`,
			wantStatus: 415, wantMessage: "needs a Content-Type"},
		{name: "text/plain", action: Accept, contentType: "text/plain", body: `{"ChatSessionId":1}`,
			wantStatus: 415, wantMessage: "unsupported Content-Type"},
		{name: "multipart", action: Accept, contentType: "multipart/form-data; boundary=x", body: "--x--",
			wantStatus: 415, wantMessage: "unsupported Content-Type"},
		{name: "malformed content type", action: Accept, contentType: "application/json; charset", body: `{"ChatSessionId":1}`,
			wantStatus: 415, wantMessage: "malformed"},
		{name: "other charset", action: Accept, contentType: "application/json; charset=utf-16", body: `{"ChatSessionId":1}`,
			wantStatus: 415, wantMessage: "utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(tc.action, tc.contentType, []byte(tc.body), query)
			if tc.wantStatus == 0 {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if got != tc.want {
					t.Fatalf("Decode = %+v; want %+v", got, tc.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode = %+v, %v; want an *Error", got, err)
			}
			if e.Status != tc.wantStatus || !strings.Contains(e.Message, tc.wantMessage) {
				t.Fatalf("Decode error = %d %q; want %d containing %q", e.Status, e.Message, tc.wantStatus, tc.wantMessage)
			}
		})
	}
}

func TestDecodeNeverEchoesValues(t *testing.T) {
	secret := "s3cr3t-value"
	for _, body := range []string{
		`{"ChatSessionId":"` + secret + `"}`,
		`{"ChatSessionId":1,"ToAssociate":["` + secret + `"]}`,
		`<r><ChatSessionId>` + secret + `</ChatSessionId></r>`,
	} {
		ct := "application/json"
		if body[0] == '<' {
			ct = "application/xml"
		}
		_, err := Decode(Transfer, ct, []byte(body), nil)
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("Decode(%s) error = %v", body, err)
		}
	}
}

func TestCanonicalJSON(t *testing.T) {
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Transfer, 157, "ducimus"}, `{"ChatSessionId":157,"ToAssociate":"ducimus"}`},
		{Request{Transfer, 1, "a\"b\\c\n<ø>"}, `{"ChatSessionId":1,"ToAssociate":"a\"b\\c\n\u003cø\u003e"}`},
		{Request{Accept, 2147483647, ""}, `{"ChatSessionId":2147483647}`},
		{Request{Reject, 798, "ignored"}, `{"ChatSessionId":798}`},
	} {
		if got := string(tc.req.CanonicalJSON()); got != tc.want {
			t.Errorf("CanonicalJSON(%+v) = %s; want %s", tc.req, got, tc.want)
		}
	}
}

// Every refusal carries a client error status.
func TestDecodeStatuses(t *testing.T) {
	_, err := Decode(Accept, "image/png", []byte("x"), nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusUnsupportedMediaType {
		t.Fatalf("err = %v", err)
	}
}
