package caddymodule

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// answering returns a next handler that answers with status, header and
// body, and records what it was asked.
func answering(status int, header http.Header, body string) *fakeNext {
	var next *fakeNext
	next = &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
		next.lastHeader = r.Header.Clone()
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
		return nil
	}}
	return next
}

func TestSelectTransformsJSONAnswers(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 1 << 10})
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"a":1,"b":2}`))
	_ = zw.Close()

	for _, tc := range []struct {
		name, target string
		status       int
		header       http.Header
		body         string
		wantStatus   int
		wantBody     string // for a 502, part of the error message
		wantQuery    string // what reached the backend
	}{
		{"projected", "/x?$select=a&keep=1", 200, jsonType, `{"a":1,"b":2}`, 200, `{"a":1,"b":null}`, "keep=1"},
		{"name ignores case, repeats merge", "/x?%24SELECT=a&$Select=c", 200, jsonType, `{"a":1,"b":2,"c":3}`, 200, `{"a":1,"b":null,"c":3}`, ""},
		{"+json type", "/x?$select=a", 201, http.Header{"Content-Type": {"application/vnd.x+json"}}, `{"a":1,"b":2}`, 201, `{"a":1,"b":null}`, ""},
		{"text/json type", "/x?$select=b", 200, http.Header{"Content-Type": {"text/json"}}, `{"a":1,"b":2}`, 200, `{"a":null,"b":2}`, ""},
		{"star is everything", "/x?$select=*", 200, jsonType, `{"a":1,"b":2}`, 200, `{"a":1,"b":2}`, ""},
		{"other types untouched", "/x?$select=a", 200, http.Header{"Content-Type": {"text/plain"}}, `{"a":1,"b":2}`, 200, `{"a":1,"b":2}`, ""},
		{"errors untouched", "/x?$select=a", 404, jsonType, `{"a":1,"b":2}`, 404, `{"a":1,"b":2}`, ""},
		{"206 untouched", "/x?$select=a", 206, jsonType, `{"a":1,"b":2}`, 206, `{"a":1,"b":2}`, ""},
		{"gzip decoded then projected", "/x?$select=a", 200, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, gz.String(), 200, `{"a":1,"b":null}`, ""},
		{"invalid JSON is 502", "/x?$select=a", 200, jsonType, `{"a":1,`, 502, "not valid JSON", ""},
		{"too large by Content-Length is 502", "/x?$select=a", 200, http.Header{"Content-Type": {"application/json"}, "Content-Length": {"5000"}}, `{}`, 502, "larger than max_response_body", ""},
		{"too large when read is 502", "/x?$select=a", 200, jsonType, `{"a":"` + strings.Repeat("x", 2<<10) + `"}`, 502, "larger than max_response_body", ""},
		{"unreadable coding is 502", "/x?$select=a", 200, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"br"}}, "x", 502, "content encoding chatgate cannot read", ""},
		{"corrupt gzip is 502", "/x?$select=a", 200, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, gz.String()[:10] + "garbage", 502, "could not be decoded", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(tc.status, tc.header, tc.body)
			rec := serve(h, next, httptest.NewRequest("GET", tc.target, nil))
			if tc.wantStatus == 502 {
				assertError(t, rec, 502, "BadGateway", tc.wantBody)
				return
			}
			if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Fatalf("answer = %d %s; want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if got := next.requests[0].RawQuery; got != tc.wantQuery {
				t.Fatalf("backend query = %q; want %q", got, tc.wantQuery)
			}
		})
	}
}

func TestTransformedHeaders(t *testing.T) {
	h := provisioned(t, Handler{})
	next := answering(200, http.Header{
		"Content-Type": {"application/json"}, "Content-Length": {"13"}, "Etag": {`"v1"`},
		"Content-Md5": {"x"}, "Accept-Ranges": {"bytes"}, "Cache-Control": {"max-age=5"},
	}, `{"a":1,"b":2}`)
	rec := serve(h, next, httptest.NewRequest("GET", "/x?$select=b", nil))
	hdr := rec.Header()
	if rec.Body.String() != `{"a":null,"b":2}` || hdr.Get("Content-Length") != "16" || hdr.Get("ETag") != `W/"v1"` ||
		hdr.Get("Content-MD5") != "" || hdr.Get("Accept-Ranges") != "" || hdr.Get("Cache-Control") != "max-age=5" {
		t.Fatalf("answer %s with headers %v", rec.Body, hdr)
	}
}

// TestTranslatedAnswerDropsContentLanguage: an answer whose texts were
// chosen for the client's language does not keep the backend's
// Content-Language; one only projected does.
func TestTranslatedAnswerDropsContentLanguage(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct {
		language, want string
	}{{"nb", ""}, {"", "en"}} {
		next := answering(200, http.Header{"Content-Type": {"application/json"}, "Content-Language": {"en"}},
			`{"a":"US:\"Supplier\";NO:\"Leverandør\"","b":2}`)
		req := httptest.NewRequest("GET", "/x?$select=a", nil)
		if tc.language != "" {
			req.Header.Set("SO-Language", tc.language)
		}
		rec := serve(h, next, req)
		if got := rec.Header().Get("Content-Language"); rec.Code != 200 || got != tc.want {
			t.Fatalf("SO-Language %q: %d %s, Content-Language %q, want %q", tc.language, rec.Code, rec.Body, got, tc.want)
		}
	}
}

func TestSelectRefusals(t *testing.T) {
	h := provisioned(t, Handler{MaxSelect: 2})
	for _, tc := range []struct{ target, message string }{
		{"/x?$select=a,b,c", "more than 2 paths"},
		{"/x?$select=a&$select=b,c", "more than 2 paths"},
		{"/x?$select=a//b", "empty name"},
		{"/x?$select=" + strings.Repeat("a/", 32) + "a", "more than 32 names"},
		{"/x?$select=%zz", "percent-encoding"},
		{"/x?$select=" + strings.Repeat("a", maxSelectBytes+1), "longer than 65536 bytes"},
	} {
		next := &fakeNext{}
		assertError(t, serve(h, next, httptest.NewRequest("GET", tc.target, nil)), 400, "BadRequest", tc.message)
		if len(next.requests) != 0 {
			t.Fatalf("%s reached the backend", tc.target)
		}
	}
}

func TestNothingToTransformStreams(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, target := range []string{"/x", "/x?$select=a"} {
		flushed := false
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = w.Write([]byte("data: 1\n\n"))
			w.(http.Flusher).Flush()
			flushed = true
			return nil
		}}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer t")
		if err := h.ServeHTTP(rec, req, next); err != nil || !flushed || !rec.Flushed || rec.Body.String() != "data: 1\n\n" {
			t.Fatalf("%s: err %v, flushed %v/%v, body %q", target, err, flushed, rec.Flushed, rec.Body)
		}
	}
}

// A HEAD's $select leaves the query, and the length of the untransformed
// answer does not go out.
func TestHeadDropsSelectAndLength(t *testing.T) {
	h := provisioned(t, Handler{})
	next := answering(200, http.Header{"Content-Type": {"application/json"}, "Content-Length": {"13"}}, "")
	rec := serve(h, next, httptest.NewRequest("HEAD", "/x?$select=a&k=1", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Length") != "" || next.requests[0].RawQuery != "k=1" {
		t.Fatalf("HEAD answer %d %v, backend query %q", rec.Code, rec.Header(), next.requests[0].RawQuery)
	}
}

func TestAcceptEncodingForTransforms(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct{ target, sent, want string }{
		{"/x?$select=a", "gzip, deflate, br", "gzip, deflate"},
		{"/x?$select=a", "br;q=1.0, zstd;q=0.5, *", "zstd;q=0.5"},
		// nothing readable, or nothing asked: identity, said, so that Go's
		// transport adds no gzip of its own and decodes it out of sight
		{"/x?$select=a", "br", "identity"},
		{"/x?$select=a", "*", "identity"},
		{"/x?$select=a", "", "identity"},
		{"/x?$select=a", "identity", "identity"},
		// a refusal is of the client's answer, which chatgate makes: gone,
		// so that the backend may always answer (identity;q=0 alone left
		// it nothing)
		{"/x?$select=a", "identity;q=0, br", "identity"},
		{"/x?$select=a", "gzip;q=0.000, identity; Q=0., deflate;q=0.001", "deflate;q=0.001"},
		{"/x", "gzip, br", "gzip, br"}, // nothing to transform: as the client sent it
		{"/x", "", ""},
	} {
		next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
		req := httptest.NewRequest("GET", tc.target, nil)
		if tc.sent != "" {
			req.Header.Set("Accept-Encoding", tc.sent)
		}
		serve(h, next, req)
		if got := next.lastHeader.Get("Accept-Encoding"); got != tc.want {
			t.Errorf("%s with %q: backend got %q; want %q", tc.target, tc.sent, got, tc.want)
		}
		if req.Header.Get("Accept-Encoding") != tc.sent {
			t.Errorf("the client's own request was changed")
		}
	}
}

func TestHeldAnswerAborted(t *testing.T) {
	h := provisioned(t, Handler{})
	next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"a":`))
		panic(http.ErrAbortHandler) // reverse_proxy, when the backend closes mid-body
	}}
	assertError(t, serve(h, next, httptest.NewRequest("GET", "/x?$select=a", nil)), 502, "BadGateway", "broke off")

	t.Run("a streamed answer's abort goes on", func(t *testing.T) {
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(`partial`))
			panic(http.ErrAbortHandler)
		}}
		defer func() {
			if p := recover(); p != http.ErrAbortHandler { //nolint:errorlint
				t.Fatalf("recovered %v", p)
			}
		}()
		serve(h, next, httptest.NewRequest("GET", "/x?$select=a", nil))
		t.Fatal("the abort was swallowed")
	})
}

// The transfer rules' own answer (the session as it is) is projected too.
func TestSelectOnNothingHappensAnswer(t *testing.T) {
	h := provisioned(t, Handler{SessionRoute: &Route{Method: "GET", Path: "/s/{ChatSessionId}"}})
	next := sessionBackend(200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"ChatSessionId":5,"User":{"Name":"ann"},"Status":"x"}`))
	req := post("/api/v1/Agents/Chat/TransferChatSession?$select=chatsessionid,user/name", "application/json", `{"ChatSessionId":5,"ToAssociate":"x"}`)
	req.SetBasicAuth("bob", "pw")
	rec := serve(h, next, req)
	if rec.Code != 200 || rec.Body.String() != `{"ChatSessionId":5,"User":{"Name":"ann"},"Status":null}` {
		t.Fatalf("answer = %d %s", rec.Code, rec.Body)
	}
}

// A HEAD that asks for a transform gets the headers its GET gets: the same
// Content-Type and ETag, no stale Content-Length, and no body.
func TestHeadGetsTheHeadersOfItsGet(t *testing.T) {
	h := provisioned(t, Handler{})
	backend := func() *fakeNext {
		return answering(200, http.Header{"Content-Type": {"application/json"}, "Etag": {`"v1"`}, "Content-Length": {"13"}}, `{"a":1,"b":2}`)
	}
	for _, accept := range []string{"application/json", "application/xml"} {
		get := httptest.NewRequest("GET", "/x?$select=a", nil)
		get.Header.Set("Accept", accept)
		head := httptest.NewRequest("HEAD", "/x?$select=a", nil)
		head.Header.Set("Accept", accept)
		g, hd := serve(h, backend(), get), serve(h, backend(), head)
		for _, name := range []string{"Content-Type", "Etag", "Vary"} {
			if g.Header().Get(name) != hd.Header().Get(name) {
				t.Errorf("%s: %s is %q on GET, %q on HEAD", accept, name, g.Header().Get(name), hd.Header().Get(name))
			}
		}
		wantTag := `W/"v1"`
		if accept == "application/xml" { // XML marks the tag
			wantTag = `W/"v1` + variantPrefix
		}
		if !strings.HasPrefix(hd.Header().Get("Etag"), wantTag) || hd.Header().Get("Content-Length") == "13" || hd.Code != 200 {
			t.Errorf("%s: HEAD answered %d %v", accept, hd.Code, hd.Header())
		}
	}
}

// A HEAD that asks for a transform is refused as its GET is from the
// backend's headers alone, with the same status and headers.
func TestHeadRefusedAsItsGet(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 1 << 10})
	for _, tc := range []struct {
		name    string
		header  http.Header
		message string
	}{
		{"declared length over max_response_body", http.Header{"Content-Type": {"application/json"}, "Content-Length": {"2000000"}}, "larger than max_response_body"},
		{"an unknown coding", http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"x-foo"}}, "content encoding chatgate cannot read"},
		{"an unknown coding after gzip", http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip, x-foo"}}, "content encoding chatgate cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			get := serve(h, answering(200, tc.header, "x"), httptest.NewRequest("GET", "/declared?$select=Id", nil))
			head := serve(h, answering(200, tc.header, ""), httptest.NewRequest("HEAD", "/declared?$select=Id", nil))
			assertError(t, get, 502, "BadGateway", tc.message)
			if head.Code != get.Code {
				t.Fatalf("HEAD answered %d, GET %d", head.Code, get.Code)
			}
			for _, name := range []string{"Content-Type", "Content-Length", "Content-Encoding", "Cache-Control", "ETag"} {
				if head.Header().Get(name) != get.Header().Get(name) {
					t.Errorf("%s is %q on HEAD, %q on GET", name, head.Header().Get(name), get.Header().Get(name))
				}
			}
		})
	}
}

// A transformed answer is UTF-8 whatever its charset said, and carries one
// Content-Type: the one it was read by.
func TestTransformedAnswerIsLabelledUTF8(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct {
		name        string
		contentType []string
		want        string
	}{
		{"Latin-1 label", []string{"application/json; charset=iso-8859-1"}, "application/json; charset=utf-8"},
		{"UTF-16 label on a +json type", []string{"application/problem+json;charset=UTF-16"}, "application/problem+json; charset=utf-8"},
		{"two types", []string{"application/json; charset=utf-8", "text/html"}, "application/json; charset=utf-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": tc.contentType}, `{"a":1,"b":2}`)
			rec := serve(h, next, request("GET", "/x?$select=a"))
			if rec.Code != 200 || rec.Body.String() != `{"a":1,"b":null}` {
				t.Fatalf("answer %d %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Values("Content-Type"); len(got) != 1 || got[0] != tc.want {
				t.Fatalf("Content-Type %q; want %q", got, tc.want)
			}
		})
	}
	// Untransformed, the backend's label stays.
	next := answering(200, http.Header{"Content-Type": {"application/json; charset=iso-8859-1"}}, `{"a":1}`)
	if rec := serve(h, next, request("GET", "/x")); rec.Header().Get("Content-Type") != "application/json; charset=iso-8859-1" {
		t.Fatalf("untransformed Content-Type %q", rec.Header().Get("Content-Type"))
	}
}

// TestWholeAnswerHasNoTrailers: an answer sent whole with a Content-Length
// carries none of the backend's trailers, nor their announcement.
func TestWholeAnswerHasNoTrailers(t *testing.T) {
	h := provisioned(t, Handler{})
	next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Trailer", "X-Sum, X-Other")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"a":1,"b":2}`))
		w.Header().Set("X-Sum", "abc") // as reverse_proxy copies trailers, after the body
		w.Header().Set(http.TrailerPrefix+"X-Late", "1")
		return nil
	}}
	rec := serve(h, next, request("GET", "/x?$select=a"))
	hdr := rec.Header()
	if rec.Code != 200 || rec.Body.String() != `{"a":1,"b":null}` || hdr.Get("Content-Length") != "16" {
		t.Fatalf("answer %d %q %v", rec.Code, rec.Body, hdr)
	}
	for _, name := range []string{"Trailer", "X-Sum", http.TrailerPrefix + "X-Late"} {
		if _, ok := hdr[http.CanonicalHeaderKey(name)]; ok {
			t.Errorf("%s was sent: %v", name, hdr)
		}
	}
}

// TestClientGoneWhileHeld: a client that goes away while its answer is
// still held (within stream_threshold: a transform's, an agent call's, or
// a void method's being read) is not a backend that broke off: nothing is
// answered, nothing is logged above debug, no refused body is counted.
// Before, each was an ERROR line, a 502 in the access log and a count in
// chatgate_bodies_refused_total (found by a probe).
func TestClientGoneWhileHeld(t *testing.T) {
	ctx := testContext(t)
	h := &Handler{Agents: []AgentRoute{
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "DeleteChatSessionEntity", Method: "DELETE", Target: "/s/{ChatSessionEntityId}"},
	}}
	if err := h.Provision(ctx); err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	h.logger = zap.New(core)
	refusedBodies := func() float64 {
		return gathered(t, ctx.GetMetricsRegistry())[`chatgate_bodies_refused_total{body="response",cause="invalid"}`]
	}
	for _, tc := range []struct{ name, method, target, body string }{
		{"transform", "GET", "/x?$select=a", ""},
		{"agent call", "POST", "/api/v1/Agents/Chat/GetChatMessages", `{"ChatSessionId":1}`},
		{"void", "POST", "/api/v1/Agents/Chat/DeleteChatSessionEntity", `{"ChatSessionEntityId":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(200)
				_, _ = w.Write([]byte(`[{"a":1},`))
				cancel() // the client goes away; reverse_proxy's copy then ends
				panic(http.ErrAbortHandler)
			}}
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body)).WithContext(ctx)
			req.Header.Set("Content-Type", "application/json")
			before := refusedBodies()
			logs.TakeAll()
			rec := serve(h, next, req)
			if rec.Body.Len() != 0 || rec.Header().Get("Content-Type") == "application/json; charset=utf-8" {
				t.Fatalf("answered %d %q", rec.Code, rec.Body.String())
			}
			if n := refusedBodies() - before; n != 0 {
				t.Fatalf("%v refused bodies counted", n)
			}
			for _, e := range logs.All() {
				if e.Level > zapcore.DebugLevel {
					t.Fatalf("logged at %s: %s", e.Level, e.Message)
				}
			}
			if logs.FilterMessage("the client went away").Len() != 1 {
				t.Fatalf("logged %v", logs.All())
			}
		})
	}
}
