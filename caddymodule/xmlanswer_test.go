package caddymodule

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatgate/chatgate/format"
)

const xsiAttr = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`

func TestXMLAnswers(t *testing.T) {
	h := provisioned(t, Handler{XMLRoots: []XMLRoot{{Path: "/chat/users*", Name: "UserEntity"}}})
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Etag": {`"v1"`}}
	for _, tc := range []struct {
		name, method, target, accept, body string
		wantType, wantBody                 string
	}{
		{"entity", "GET", "/chat/sessions/157", "application/xml", `{"ChatSessionId":157,"User":null}`,
			"application/xml; charset=utf-8", `<ChatSessionEntity` + xsiAttr + `><ChatSessionId>157</ChatSessionId><User i:nil="true"/></ChatSessionEntity>`},
		{"array", "GET", "/chat/sessions", "text/xml", `[{"ChatSessionId":157},{"ChatSessionId":184}]`,
			"text/xml; charset=utf-8", `<ArrayOfChatSessionEntity` + xsiAttr + `><ChatSessionEntity><ChatSessionId>157</ChatSessionId></ChatSessionEntity><ChatSessionEntity><ChatSessionId>184</ChatSessionId></ChatSessionEntity></ArrayOfChatSessionEntity>`},
		{"xml_root by path", "GET", "/CHAT/users/7", "application/xml", `{"Name":"ann"}`,
			"application/xml; charset=utf-8", `<UserEntity` + xsiAttr + `><Name>ann</Name></UserEntity>`},
		{"after $select", "GET", "/chat/sessions/157?$select=User", "application/xml", `{"ChatSessionId":157,"User":{"Name":"ann"}}`,
			"application/xml; charset=utf-8", `<ChatSessionEntity` + xsiAttr + `><ChatSessionId i:nil="true"/><User><Name>ann</Name></User></ChatSessionEntity>`},
		{"chat endpoint", "POST", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/xml", `{"ChatSessionId":157}`,
			"application/xml; charset=utf-8", `<ChatSessionEntity` + xsiAttr + `><ChatSessionId>157</ChatSessionId></ChatSessionEntity>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, jsonType, tc.body)
			var body *strings.Reader
			if tc.method == "POST" {
				body = strings.NewReader(`{"ChatSessionId":157}`)
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(tc.method, tc.target, body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", tc.accept)
			req.Header.Set("Accept-Encoding", "br, gzip")
			rec := serve(h, next, req)
			if rec.Code != 200 || rec.Body.String() != format.Declaration+tc.wantBody {
				t.Fatalf("answer = %d %s\nwant %s", rec.Code, rec.Body, tc.wantBody)
			}
			hdr := rec.Header()
			if hdr.Get("Content-Type") != tc.wantType || !strings.HasPrefix(hdr.Get("ETag"), `W/"v1`+variantPrefix) || hdr.Get("Vary") != varyValue {
				t.Fatalf("headers %v", hdr)
			}
			if got := next.lastHeader.Get("Accept"); got != "application/json" {
				t.Fatalf("the backend was asked for %q, want application/json", got)
			}
			if got := next.lastHeader.Get("Accept-Encoding"); got != "gzip" {
				t.Fatalf("the backend was offered codings %q, want gzip", got)
			}
		})
	}
}

func TestXMLLeavesOtherAnswersAlone(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct {
		name, method string
		status       int
		contentType  string
	}{
		{"backend error", "GET", 404, "application/json"},
		{"not JSON", "GET", 200, "text/plain"},
		{"already XML", "GET", 200, "application/xml"},
		{"no content", "GET", 204, "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"a":1}`
			if tc.method == "HEAD" || tc.status == 204 {
				body = ""
			}
			next := answering(tc.status, http.Header{"Content-Type": {tc.contentType}}, body)
			req := httptest.NewRequest(tc.method, "/x", nil)
			req.Header.Set("Accept", "application/xml")
			rec := serve(h, next, req)
			if rec.Code != tc.status || rec.Body.String() != body || rec.Header().Get("Content-Type") != tc.contentType {
				t.Fatalf("answer = %d %s %q", rec.Code, rec.Body, rec.Header().Get("Content-Type"))
			}
		})
	}
}

func TestInvalidJSONForXMLIs502(t *testing.T) {
	h := provisioned(t, Handler{})
	next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"a":`)
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("Accept", "application/xml")
	assertXMLError(t, serve(h, next, req), 502, "BadGateway", "not valid JSON")
}

func TestJSONVariantContentType(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct{ target, accept, backendType, want string }{
		{"/x", "text/json", "application/json; charset=utf-8", "text/json; charset=utf-8"},
		{"/x?$select=a", "text/json", "application/json", "text/json; charset=utf-8"},
		{"/x", "application/merge-patch+json", "application/json", "application/merge-patch+json; charset=utf-8"},
		{"/x", "application/json", "application/json", "application/json"},
		{"/x", "text/json, application/json", "application/json", "application/json"},
		{"/x", "", "application/vnd.chat+json", "application/vnd.chat+json"},
		{"/x", "text/json", "text/plain", "text/plain"},
	} {
		next := answering(200, http.Header{"Content-Type": {tc.backendType}}, `{"a":1}`)
		req := httptest.NewRequest("GET", tc.target, nil)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		rec := serve(h, next, req)
		if got := rec.Header().Get("Content-Type"); rec.Code != 200 || got != tc.want {
			t.Errorf("Accept %q, backend %q: %d Content-Type %q, want %q", tc.accept, tc.backendType, rec.Code, got, tc.want)
		}
		if got := next.lastHeader.Get("Accept"); got != tc.accept {
			t.Errorf("Accept %q reached the backend as %q", tc.accept, got)
		}
	}
}

func TestVaryOnJSONAnswers(t *testing.T) {
	h := provisioned(t, Handler{})
	next := answering(200, http.Header{"Content-Type": {"application/json"}, "Vary": {"Origin"}}, `{}`)
	rec := serve(h, next, httptest.NewRequest("GET", "/x", nil))
	if got := rec.Header().Values("Vary"); len(got) != 2 || got[0] != "Origin" || got[1] != varyValue {
		t.Fatalf("Vary = %q", got)
	}
	next = answering(200, http.Header{"Content-Type": {"text/html"}}, `x`)
	if got := serve(h, next, httptest.NewRequest("GET", "/x", nil)).Header().Values("Vary"); got != nil {
		t.Fatalf("Vary on an HTML answer: %q", got)
	}
}

func TestErrorsInTheAskedFormat(t *testing.T) {
	h := provisioned(t, Handler{MaxRequestBody: 64})
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		typ    string
		msg    string
	}{
		{"401", func() *http.Request {
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("Authorization", "SoTicket nope")
			return r
		}, 401, "Unauthorized", "SoTicket"},
		{"400 $select", func() *http.Request { return httptest.NewRequest("GET", "/x?$select=a//b", nil) }, 400, "BadRequest", "empty name"},
		{"405", func() *http.Request {
			return httptest.NewRequest("GET", "/api/v1/Agents/Chat/TransferChatSession", nil)
		}, 405, "MethodNotAllowed", "accepts only POST"},
		{"415", func() *http.Request {
			return post("/api/v1/Agents/Chat/TransferChatSession", "text/plain", "x")
		}, 415, "UnsupportedMediaType", ""},
		{"413", func() *http.Request {
			return post("/api/v1/Agents/Chat/TransferChatSession", "application/json", strings.Repeat(" ", 65))
		}, 413, "RequestEntityTooLarge", "larger than 64 bytes"},
		{"400 field", func() *http.Request {
			return post("/api/v1/Agents/Chat/TransferChatSession", "text/xml", "<r><ChatSessionId>x</ChatSessionId></r>")
		}, 400, "BadRequest", "ChatSessionId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req()
			req.Header.Set("Accept", "text/xml;q=0.9, application/json;q=0.5")
			rec := serve(h, &fakeNext{}, req)
			assertXMLError(t, rec, tc.status, tc.typ, tc.msg)
			if rec.Header().Get("Content-Type") != "text/xml; charset=utf-8" {
				t.Fatalf("Content-Type = %q", rec.Header().Get("Content-Type"))
			}
			req = tc.req()
			req.Header.Set("Accept", "text/json")
			rec = serve(h, &fakeNext{}, req)
			if rec.Code != tc.status || rec.Header().Get("Content-Type") != "text/json; charset=utf-8" || !strings.HasPrefix(rec.Body.String(), `{"Error":true`) {
				t.Fatalf("with Accept text/json: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}

// assertXMLError checks the status and the contract's error body in XML.
func assertXMLError(t *testing.T, rec *httptest.ResponseRecorder, status int, errorType, message string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d; want %d (body %s)", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasSuffix(ct, "xml; charset=utf-8") {
		t.Fatalf("Content-Type = %q", ct)
	}
	var body struct {
		XMLName                                    xml.Name `xml:"ErrorInfo"`
		Error                                      bool
		ErrorType, ErrorMessage, ErrorSource, Rest string
	}
	if err := xml.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	if !body.Error || body.ErrorType != errorType || body.ErrorSource != "chatgate" || !strings.Contains(body.ErrorMessage, message) {
		t.Fatalf("error body = %s; want ErrorType %s and a message containing %q", rec.Body, errorType, message)
	}
}

func TestXMLRootProvisioning(t *testing.T) {
	for _, root := range []XMLRoot{{Path: "/x", Name: "1x"}, {Path: "/x", Name: "a:b"}, {Path: "/x", Name: ""}, {Path: "x", Name: "X"}} {
		h := Handler{XMLRoots: []XMLRoot{root}}
		if err := h.Provision(testContext(t)); err == nil || !strings.Contains(err.Error(), "xml_root") {
			t.Errorf("xml_root %+v: Provision error %v", root, err)
		}
	}
}
