package caddymodule

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
)

// testContext is a Caddy context that ends with the test.
func testContext(t *testing.T) caddy.Context {
	ctx, cancel := caddy.NewContext(caddy.Context{Context: context.Background()})
	t.Cleanup(cancel)
	return ctx
}

// provisioned returns h provisioned and validated as Caddy would.
func provisioned(t *testing.T, h Handler) *Handler {
	t.Helper()
	if err := h.Provision(testContext(t)); err != nil {
		t.Fatalf("Provision: %v", err)
	}
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	h.logger = zap.NewNop()
	return &h
}

// seen is what reached the handlers after chatgate.
type seen struct {
	Method, Path, RawPath, RawQuery, ContentType, Authorization string
	Body                                                        string
}

// fakeNext stands for reverse_proxy: it records each request and answers
// through respond.
type fakeNext struct {
	mu         sync.Mutex
	requests   []seen
	lastHeader http.Header
	respond    func(w http.ResponseWriter, r *http.Request) error
}

func (f *fakeNext) ServeHTTP(w http.ResponseWriter, r *http.Request) error {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, seen{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery,
		r.Header.Get("Content-Type"), r.Header.Get("Authorization"), string(body)})
	f.mu.Unlock()
	if f.respond != nil {
		return f.respond(w, r)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
	return nil
}

// serve runs req through h, with a Bearer credential unless req carries an
// Authorization header of its own.
func serve(h *Handler, next caddyhttp.Handler, req *http.Request) *httptest.ResponseRecorder {
	if req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer test-token")
	}
	return serveRaw(h, next, req)
}

// serveRaw runs req through h as it is.
func serveRaw(h *Handler, next caddyhttp.Handler, req *http.Request) *httptest.ResponseRecorder {
	ctx := context.WithValue(req.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
	rec := httptest.NewRecorder()
	if err := h.ServeHTTP(rec, req.WithContext(ctx), next); err != nil {
		rec.Code = -1
		rec.Body = bytes.NewBufferString(err.Error())
	}
	return rec
}

func post(target, contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// assertError checks the status and the contract's error body.
func assertError(t *testing.T, rec *httptest.ResponseRecorder, status int, errorType, message string) {
	t.Helper()
	assertErrorFrom(t, rec, status, errorType, message, "chatgate")
}

// assertErrorFrom is assertError for an error body with the given ErrorSource.
func assertErrorFrom(t *testing.T, rec *httptest.ResponseRecorder, status int, errorType, message, source string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d; want %d (body %s)", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type = %q", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body, err)
	}
	if body["Error"] != true || body["ErrorType"] != errorType || body["ErrorSource"] != source ||
		!strings.Contains(body["ErrorMessage"].(string), message) || len(body) != 4 {
		t.Fatalf("error body = %s; want ErrorType %s and a message containing %q", rec.Body, errorType, message)
	}
}

func TestChatEndpointRefusals(t *testing.T) {
	h := provisioned(t, Handler{MaxRequestBody: 64})
	const transfer = "/api/v1/Agents/Chat/TransferChatSession"
	chunked := post(transfer, "application/json", `{"ChatSessionId":1,"ToAssociate":"`+strings.Repeat("x", 80)+`"}`)
	chunked.ContentLength = -1
	for _, tc := range []struct {
		name           string
		req            *http.Request
		status         int
		errorType, msg string
		allow          bool
	}{
		{"GET", httptest.NewRequest(http.MethodGet, transfer, nil), 405, "MethodNotAllowed", "accepts only POST", true},
		{"PUT", httptest.NewRequest(http.MethodPut, transfer, strings.NewReader("{}")), 405, "MethodNotAllowed", "accepts only POST", true},
		{"HEAD", httptest.NewRequest(http.MethodHead, "/API/V1/agents/chat/rejectchatsessiontransfer/", nil), 405, "MethodNotAllowed", "RejectChatSessionTransfer accepts only POST", true},
		{"too large by Content-Length", post(transfer, "application/json", strings.Repeat(" ", 65)), 413, "RequestEntityTooLarge", "larger than 64 bytes", false},
		{"too large when read", chunked, 413, "RequestEntityTooLarge", "larger than 64 bytes", false},
		{"unsupported type", post(transfer, "text/plain", "ChatSessionId=1"), 415, "UnsupportedMediaType", "application/json", false},
		{"invalid id", post(transfer, "application/json", `{"ChatSessionId":0,"ToAssociate":"a"}`), 400, "BadRequest", "ChatSessionId must be", false},
		{"missing associate", post(transfer, "application/x-www-form-urlencoded", `ChatSessionId=5`), 400, "BadRequest", "ToAssociate is required", false},
		{"null body without parameters", post(transfer, "application/json", `null`), 400, "BadRequest", "ChatSessionId is required", false},
		{"empty body without parameters", post(transfer, "application/json", ``), 400, "BadRequest", "ChatSessionId is required", false},
		{"control character", post(transfer, "application/json", `{"ChatSessionId":1,"ToAssociate":"a\nb"}`), 400, "BadRequest", "ToAssociate must be", false},
		{"unpaired surrogate", post(transfer, "application/json", `{"ChatSessionId":1,"ToAssociate":"\ud800"}`), 400, "BadRequest", "ToAssociate must be", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &fakeNext{}
			rec := serve(h, next, tc.req)
			assertError(t, rec, tc.status, tc.errorType, tc.msg)
			if got := rec.Header().Get("Allow"); (got == "POST") != tc.allow {
				t.Fatalf("Allow = %q", got)
			}
			if len(next.requests) != 0 {
				t.Fatalf("a refused request reached the backend: %+v", next.requests)
			}
		})
	}
}

func TestChatEndpointUpstream(t *testing.T) {
	plain := provisioned(t, Handler{})
	routed := provisioned(t, Handler{APIPrefix: "/gw", ChatRoutes: map[string]*Route{
		"transfer": {Method: "put", Path: "/legacy/{ChatSessionId}/to/{ToAssociate}?via=gw"},
		"reject":   {Method: "DELETE", Path: "/legacy/{ChatSessionId}/transfer"},
	}, Agents: []AgentRoute{
		{Name: "addchatmessage", Method: "POST", Target: "/legacy/{chatsessionid}/messages", Body: "Message"},
		{Name: "GetChatTranscript", Method: "GET", Target: "/legacy/transcript?as={caller}"},
	}})
	for _, tc := range []struct {
		name string
		h    *Handler
		req  *http.Request
		want seen
	}{
		{"json on its own path", plain,
			post("/api/v1/Agents/Chat/TransferChatSession", "application/json; charset=utf-8", `{"ChatSessionId": 157, "ToAssociate": "ducimus", "Other": 1}`),
			seen{Method: "POST", Path: "/api/v1/Agents/Chat/TransferChatSession", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"ChatSessionId":157,"ToAssociate":"ducimus"}`}},
		{"odd spelling becomes canonical, other query kept", plain,
			post("/API/v1//agents/chat/acceptchatsessiontransfer/?keep=1&chatsessionid=9&$x=2", "", ""),
			seen{Method: "POST", Path: "/api/v1/Agents/Chat/AcceptChatSessionTransfer", RawQuery: "keep=1&$x=2", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"ChatSessionId":9}`}},
		{"digit string", plain,
			post("/api/v1/Agents/Chat/AcceptChatSessionTransfer", "application/json", `{"chatSessionId":"0157"}`),
			seen{Method: "POST", Path: "/api/v1/Agents/Chat/AcceptChatSessionTransfer", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"ChatSessionId":157}`}},
		{"null body, parameters in the query", plain,
			post("/api/v1/Agents/Chat/TransferChatSession?chatSessionId=12&toAssociate=bob", "application/json", `null`),
			seen{Method: "POST", Path: "/api/v1/Agents/Chat/TransferChatSession", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"ChatSessionId":12,"ToAssociate":"bob"}`}},
		{"xml", plain,
			post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "text/xml", `<x><ChatSessionId>798</ChatSessionId></x>`),
			seen{Method: "POST", Path: "/api/v1/Agents/Chat/RejectChatSessionTransfer", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"ChatSessionId":798}`}},
		{"chat_route fills and escapes", routed,
			post("/gw/Agents/Chat/TransferChatSession?ToAssociate=a%2Fb%3F%26c&q=1", "application/x-www-form-urlencoded", "ChatSessionId=12"),
			seen{Method: "PUT", Path: "/legacy/12/to/a/b?&c", RawPath: "/legacy/12/to/a%2Fb%3F&c", RawQuery: "via=gw&q=1", Authorization: "Bearer test-token"}},
		{"chat_route for another action: every parameter in the target, no body", routed,
			post("/gw/Agents/Chat/RejectChatSessionTransfer", "application/json", `{"ChatSessionId":3}`),
			seen{Method: "DELETE", Path: "/legacy/3/transfer", Authorization: "Bearer test-token"}},
		{"agent line with body <Param>: that value alone, canonical", routed,
			post("/gw/Agents/Chat/AddChatMessage", "application/json", `{"chatSessionId":4,"message":{"message":"hi","type":1,"specialType":"none","whenPosted":"2024-01-02T03:04:05.006Z","tableRight":{"mask":15}}}`),
			seen{Method: "POST", Path: "/legacy/4/messages", ContentType: "application/json", Authorization: "Bearer test-token",
				Body: `{"Message":"hi","Type":"ToCustomer","SpecialType":"None","WhenPosted":"2024-01-02T03:04:05.006"}`}},
		{"agent line with the caller in the query; the rest in the body", routed,
			post("/gw/Agents/Chat/GetChatTranscript", "application/json", `{"chatSessionId":4,"html":"TRUE"}`),
			seen{Method: "GET", Path: "/legacy/transcript", RawQuery: "as=tje0", ContentType: "application/json", Authorization: "Basic dGplMDpzZWNyZXQ=",
				Body: `{"ChatSessionId":4,"Html":true}`}},
		{"action without chat_route keeps its path", routed,
			post("/gw/Agents/Chat/AcceptChatSessionTransfer", "application/json", `{"ChatSessionId":3}`),
			seen{Method: "POST", Path: "/gw/Agents/Chat/AcceptChatSessionTransfer", ContentType: "application/json", Authorization: "Bearer test-token", Body: `{"ChatSessionId":3}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &fakeNext{}
			if strings.Contains(tc.name, "caller") {
				tc.req.SetBasicAuth("tje0", "secret")
			}
			rec := serve(tc.h, next, tc.req)
			wantStatus := 200
			if strings.Contains(tc.req.URL.Path, "Transcript") {
				wantStatus = 502 // a String method: the fake backend's object is not its answer
			}
			if rec.Code != wantStatus || (wantStatus == 200 && rec.Body.String() != `{"ok":true}`) {
				t.Fatalf("answer = %d %s", rec.Code, rec.Body)
			}
			if len(next.requests) != 1 || next.requests[0] != tc.want {
				t.Fatalf("upstream got %+v\nwant %+v", next.requests, tc.want)
			}
		})
	}
}

func TestChatRouteRefusesDotSegments(t *testing.T) {
	h := provisioned(t, Handler{ChatRoutes: map[string]*Route{"transfer": {Method: "POST", Path: "/s/{ChatSessionId}/{ToAssociate}/x"}}})
	next := &fakeNext{}
	rec := serve(h, next, post("/api/v1/Agents/Chat/TransferChatSession", "application/json", `{"ChatSessionId":1,"ToAssociate":".."}`))
	assertError(t, rec, 400, "BadRequest", "path segment")
	if len(next.requests) != 0 {
		t.Fatalf("reached the backend: %+v", next.requests)
	}
}

func TestOtherRequestsPassThrough(t *testing.T) {
	h := provisioned(t, Handler{})
	next := &fakeNext{}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/ChatSessions/5?a=1", nil)
	rec := serve(h, next, req)
	if rec.Code != 200 || len(next.requests) != 1 || next.requests[0].Path != "/api/v1/ChatSessions/5" || next.requests[0].RawQuery != "a=1" {
		t.Fatalf("got %d, %+v", rec.Code, next.requests)
	}
	// A method the catalogue does not have is no way to the backend.
	next = &fakeNext{}
	rec = serve(h, next, post("/api/v1/Agents/Chat/TransferChatSessionX?a=1", "application/json", `{}`))
	assertError(t, rec, 404, "NotFound", "no such method")
	if len(next.requests) != 0 {
		t.Fatalf("reached the backend: %+v", next.requests)
	}
}

// sessionBackend answers the session lookup with session and every other
// request with {"changed":true}.
func sessionBackend(status int, header http.Header, session []byte) *fakeNext {
	return &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
		if r.Method == http.MethodGet {
			for k, v := range header {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			_, _ = w.Write(session)
			return nil
		}
		_, _ = w.Write([]byte(`{"changed":true}`))
		return nil
	}}
}

func TestTransferRules(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 1 << 10, SessionRoute: &Route{Method: "get", Path: "/legacy/{ChatSessionId}"}})
	const owned = `{"ChatSessionId":5,"User":{"Name":"TJE0","UserName":"tje0"},"TransferTo":{"Name":"ann"}}`
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(owned))
	_ = zw.Close()

	for _, tc := range []struct {
		name       string
		action     string
		user       string // Basic user; "" sends a Bearer token
		status     int
		header     http.Header
		session    []byte
		wantStatus int
		wantBody   string // exact, or the error message for a 4xx or 5xx
		wantCalls  int    // requests that reached the backend
	}{
		{"owner transfers", "TransferChatSession", "tje0", 200, jsonHeader, []byte(owned), 200, `{"changed":true}`, 2},
		{"owner by other case", "TransferChatSession", "TJE0", 200, jsonHeader, []byte(owned), 200, `{"changed":true}`, 2},
		{"other user's transfer: nothing happens", "TransferChatSession", "bob", 200, jsonHeader, []byte(owned), 200, owned, 1},
		{"target accepts", "AcceptChatSessionTransfer", "ann", 200, jsonHeader, []byte(owned), 200, `{"changed":true}`, 2},
		{"owner cannot accept: nothing happens", "AcceptChatSessionTransfer", "tje0", 200, jsonHeader, []byte(owned), 200, owned, 1},
		{"target rejects", "RejectChatSessionTransfer", "ANN", 200, jsonHeader, []byte(owned), 200, `{"changed":true}`, 2},
		{"reject with no transfer: nothing happens", "RejectChatSessionTransfer", "ann", 200, jsonHeader, []byte(`{"TransferTo":null}`), 200, `{"TransferTo":null}`, 1},
		{"no known caller: nothing upstream", "TransferChatSession", "", 200, jsonHeader, []byte(owned), 403, "need to know the caller", 0},
		{"gzipped session", "TransferChatSession", "bob", 200, http.Header{"Content-Encoding": {"gzip"}}, gz.Bytes(), 200, owned, 1},
		{"lookup 404 is null", "TransferChatSession", "tje0", 404, jsonHeader, []byte(`{"error":"no such chat session"}`), 200, `null`, 1},
		{"lookup 500 is the backend's error", "AcceptChatSessionTransfer", "ann", 500, jsonHeader, []byte(`{"error":"db down"}`), 500, "db down", 1},
		{"lookup 403 page is not relayed", "RejectChatSessionTransfer", "ann", 403, http.Header{"Content-Type": {"text/html"}},
			[]byte(`<html><body>Forbidden</body></html>`), 403, "the backend answered 403 Forbidden", 1},
		{"lookup 503 longer than read", "TransferChatSession", "tje0", 503, http.Header{"Content-Type": {"text/plain"}},
			[]byte("maintenance\n" + strings.Repeat("x", 100<<10)), 503, "maintenance", 1},
		{"lookup 500 over max_response_body but within what is read", "TransferChatSession", "tje0", 500, jsonHeader,
			[]byte(`{"error":"db down","trace":"` + strings.Repeat("x", 4<<10) + `"}`), 500, "db down", 1},
		{"session not JSON", "TransferChatSession", "tje0", 200, jsonHeader, []byte(`<html>`), 502, "something other than a JSON object", 1},
		{"session too large", "TransferChatSession", "tje0", 200, jsonHeader, bytes.Repeat([]byte(" "), 2<<10), 502, "larger than chatgate reads of one", 1},
		{"unknown encoding", "TransferChatSession", "tje0", 200, http.Header{"Content-Encoding": {"br"}}, []byte(owned), 502, "cannot read", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := sessionBackend(tc.status, tc.header, tc.session)
			req := post("/api/v1/Agents/Chat/"+tc.action+"?ToAssociate=bob", "application/json", `{"ChatSessionId":5}`)
			req.Header.Set("If-None-Match", `"x"`)
			if tc.user != "" {
				req.SetBasicAuth(tc.user, "secret")
			} else {
				req.Header.Set("Authorization", "Bearer abc")
			}
			rec := serve(h, next, req)
			switch {
			case tc.wantStatus == 502:
				assertError(t, rec, 502, "BadGateway", tc.wantBody)
			case tc.wantStatus == 403 && tc.wantCalls == 0: // chatgate's own refusal
				assertError(t, rec, 403, "Forbidden", tc.wantBody)
			case tc.wantStatus >= 400:
				assertErrorFrom(t, rec, tc.wantStatus, errorType(tc.wantStatus), tc.wantBody, "backend")
				if strings.Contains(rec.Body.String(), "<") || rec.Body.Len() > 1<<10 {
					t.Fatalf("error body = %s", rec.Body)
				}
			case rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody:
				t.Fatalf("answer = %d %s; want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if len(next.requests) != tc.wantCalls {
				t.Fatalf("backend got %d requests: %+v", len(next.requests), next.requests)
			}
			if tc.user != "" {
				lookup := next.requests[0]
				if lookup.Method != "GET" || lookup.Path != "/legacy/5" || lookup.Body != "" || lookup.ContentType != "" ||
					lookup.Authorization != req.Header.Get("Authorization") {
					t.Fatalf("session lookup = %+v", lookup)
				}
			}
		})
	}
}

// TestSessionLookupBounded: a session is read up to maxSessionAnswer
// bytes, compressed and decoded, whatever max_response_body allows: one
// past it is a 502, however few bytes of gzip it came in.
func TestSessionLookupBounded(t *testing.T) {
	h := provisioned(t, Handler{SessionRoute: &Route{Method: "GET", Path: "/legacy/{ChatSessionId}"}})
	if h.MaxResponseBody <= maxSessionAnswer {
		t.Fatalf("max_response_body %d: the default no longer exceeds the session's bound", h.MaxResponseBody)
	}
	padded := func(n int) []byte { // a session of n bytes that the caller does not own
		session := []byte(`{"User":{"Name":"x"},"pad":""}`)
		return slices.Insert(session, len(session)-2, bytes.Repeat([]byte("x"), n-len(session))...)
	}
	gzipped := func(b []byte) []byte {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		return gz.Bytes()
	}
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	gzipHeader := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}
	for _, c := range []struct {
		name    string
		header  http.Header
		session []byte
		status  int
	}{
		{"at the bound", jsonHeader, padded(maxSessionAnswer), 200},
		{"one byte past it", jsonHeader, padded(maxSessionAnswer + 1), 502},
		{"gzip, at the bound", gzipHeader, gzipped(padded(maxSessionAnswer)), 200},
		{"gzip, one byte past it", gzipHeader, gzipped(padded(maxSessionAnswer + 1)), 502},
		{"gzip, 64 MiB", gzipHeader, gzipped(padded(64 << 20)), 502},
	} {
		req := post("/api/v1/Agents/Chat/TransferChatSession", "application/json", `{"ChatSessionId":5,"ToAssociate":"x"}`)
		req.SetBasicAuth("tje0", "pw")
		rec := serve(h, sessionBackend(200, c.header, c.session), req)
		switch {
		case rec.Code != c.status:
			t.Errorf("%s: %d %.60s; want %d", c.name, rec.Code, rec.Body, c.status)
		case c.status == 502:
			assertError(t, rec, 502, "BadGateway", "larger than chatgate reads of one")
		case !strings.HasPrefix(rec.Body.String(), `{"User":`):
			t.Errorf("%s: %d %.60s", c.name, rec.Code, rec.Body)
		}
	}
}

func TestSessionLookupDropsConditions(t *testing.T) {
	h := provisioned(t, Handler{SessionRoute: &Route{Method: "GET", Path: "/legacy/{ChatSessionId}"}})
	var lookup http.Header
	next := &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
		lookup = r.Header.Clone()
		_, _ = w.Write([]byte(`{"User":null}`))
		return nil
	}}
	req := post("/api/v1/Agents/Chat/TransferChatSession", "application/json", `{"ChatSessionId":5,"ToAssociate":"x"}`)
	req.SetBasicAuth("tje0", "pw")
	req.Header.Set("If-None-Match", `"x"`)
	req.Header.Set("Range", "bytes=0-1")
	req.Header.Set("SO-AppToken", "t")
	serve(h, next, req)
	if lookup.Get("If-None-Match") != "" || lookup.Get("Range") != "" || lookup.Get("Content-Type") != "" ||
		lookup.Get("Accept") != "application/json" || lookup.Get("SO-AppToken") != "t" {
		t.Fatalf("lookup headers = %v", lookup)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func basicAuth(r *http.Request) *http.Request {
	r.SetBasicAuth("tje0", "secret")
	return r
}

func TestBackendFailures(t *testing.T) {
	h := provisioned(t, Handler{SessionRoute: &Route{Method: "GET", Path: "/legacy/{ChatSessionId}"}})
	down := caddyhttp.Error(http.StatusBadGateway, errors.New("dial tcp 10.1.2.3:80: connect: connection refused"))
	slow := caddyhttp.Error(http.StatusGatewayTimeout, timeoutErr{})
	for _, tc := range []struct {
		name      string
		err       error
		req       *http.Request
		status    int
		errorType string
	}{
		{"down", down, httptest.NewRequest("GET", "/api/v1/Chat/1", nil), 502, "BadGateway"},
		{"slow", slow, httptest.NewRequest("GET", "/api/v1/Chat/1", nil), 504, "GatewayTimeout"},
		{"down on chat endpoint", down, basicAuth(post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", `{"ChatSessionId":1}`)), 502, "BadGateway"},
		{"no upstreams", caddyhttp.Error(http.StatusServiceUnavailable, errors.New("no upstreams available")), httptest.NewRequest("GET", "/x", nil), 503, "ServiceUnavailable"},
		{"plain error", errors.New("boom"), httptest.NewRequest("GET", "/x", nil), 502, "BadGateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &fakeNext{respond: func(http.ResponseWriter, *http.Request) error { return tc.err }}
			rec := serve(h, next, tc.req)
			assertError(t, rec, tc.status, tc.errorType, "")
			if strings.Contains(rec.Body.String(), "10.1.2.3") {
				t.Fatalf("error body names the backend: %s", rec.Body)
			}
		})
	}
	t.Run("down during the session lookup", func(t *testing.T) {
		next := &fakeNext{respond: func(http.ResponseWriter, *http.Request) error { return slow }}
		req := post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", `{"ChatSessionId":1}`)
		req.SetBasicAuth("ann", "pw")
		assertError(t, serve(h, next, req), 504, "GatewayTimeout", "in time")
		if len(next.requests) != 1 {
			t.Fatalf("the change went upstream after a failed lookup: %+v", next.requests)
		}
	})
	t.Run("backend breaks off the session lookup", func(t *testing.T) {
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"User":`))
			panic(http.ErrAbortHandler) // what reverse_proxy does when the backend closes mid-body
		}}
		req := post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", `{"ChatSessionId":1}`)
		req.SetBasicAuth("ann", "pw")
		assertError(t, serve(h, next, req), 502, "BadGateway", "broke off")
	})
	t.Run("other panics are not swallowed", func(t *testing.T) {
		next := &fakeNext{respond: func(http.ResponseWriter, *http.Request) error { panic("bug") }}
		req := post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", `{"ChatSessionId":1}`)
		req.SetBasicAuth("ann", "pw")
		defer func() {
			if p := recover(); p != "bug" {
				t.Fatalf("recovered %v", p)
			}
		}()
		serve(h, next, req)
		t.Fatal("the panic was swallowed")
	})
	// chatgate returns no error to Caddy, which would log the request with
	// headers it does not redact; it logs the failure itself.
	t.Run("client gone is not answered", func(t *testing.T) {
		next := &fakeNext{respond: func(http.ResponseWriter, *http.Request) error {
			return caddyhttp.Error(499, context.Canceled)
		}}
		if rec := serve(h, next, httptest.NewRequest("GET", "/x", nil)); rec.Code != 200 || rec.Body.Len() != 0 {
			t.Fatalf("answered %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an error after the answer began adds nothing to it", func(t *testing.T) {
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.WriteHeader(200)
			_, _ = w.Write([]byte("partial"))
			return down
		}}
		rec := serve(h, next, httptest.NewRequest("GET", "/x", nil))
		if rec.Code != 200 || rec.Body.String() != "partial" {
			t.Fatalf("answered %d %s", rec.Code, rec.Body)
		}
	})
}
