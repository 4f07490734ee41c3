package caddymodule

import (
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

func TestCORS(t *testing.T) {
	listed := provisioned(t, Handler{CORSOrigins: []string{"https://app.example.com:443", "http://localhost:3000"}})
	anyOrigin := provisioned(t, Handler{CORSOrigins: []string{"*"}})
	none := provisioned(t, Handler{})
	const app = "https://app.example.com"
	allowedAnswer := map[string]string{"Access-Control-Allow-Origin": app, "Access-Control-Allow-Credentials": "true"}
	preflight := func(origin string) map[string]string {
		return map[string]string{
			"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
			"Access-Control-Allow-Methods": "GET, HEAD, POST", "Access-Control-Max-Age": "600",
		}
	}
	with := func(m map[string]string, k, v string) map[string]string {
		m = maps.Clone(m)
		m[k] = v
		return m
	}
	backendCORS := func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Access-Control-Expose-Headers", "X-Secret")
		w.Header()["access-control-allow-methods"] = []string{"DELETE"} // not canonical: removed all the same
		_, err := w.Write([]byte(`{"ChatSessionId":1,"Status":"Active"}`))
		return err
	}
	for _, tc := range []struct {
		name        string
		h           *Handler
		method      string
		target      string
		header      http.Header
		credentials bool
		respond     func(http.ResponseWriter, *http.Request) error
		status      int
		cors        map[string]string // every Access-Control-* header of the answer
		vary        string            // in Vary, or "" for no Origin in Vary
		reached     bool
	}{
		{name: "preflight", h: listed, method: "OPTIONS", header: http.Header{"Origin": {app}, "Access-Control-Request-Method": {"POST"},
			"Access-Control-Request-Headers": {"accept,accept-language,authorization,content-type,so-apptoken,so-browser-tz-offset,so-culture,so-language,so-timezone,x-xsrf-token"}},
			status: 204, cors: with(preflight(app), "Access-Control-Allow-Headers",
				"accept, accept-language, authorization, content-type, so-apptoken, so-browser-tz-offset, so-culture, so-language, so-timezone, x-xsrf-token"),
			vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"},
		{name: "preflight leaves out headers the clients do not send", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {app}, "Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"x-forwarded-for, Authorization", "so-", "cookie"}},
			status: 204, cors: with(preflight(app), "Access-Control-Allow-Headers", "Authorization"), vary: "Origin"},
		{name: "preflight with no headers asked", h: listed, method: "OPTIONS", target: "/anything",
			header: http.Header{"Origin": {"http://localhost:3000"}, "Access-Control-Request-Method": {"GET"}},
			status: 204, cors: preflight("http://localhost:3000"), vary: "Origin"},
		{name: "preflight for a method not allowed is answered without it", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {app}, "Access-Control-Request-Method": {"DELETE"}},
			status: 204, cors: preflight(app), vary: "Origin"},
		{name: "preflight with credentials is still answered here", h: listed, method: "OPTIONS", credentials: true,
			header: http.Header{"Origin": {app}, "Access-Control-Request-Method": {"POST"}},
			status: 204, cors: preflight(app), vary: "Origin"},
		{name: "preflight from another origin goes through auth", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {"https://evil.example"}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "preflight from an origin differing in port", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {"http://localhost:3001"}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "preflight from another scheme", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {"http://app.example.com"}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "preflight with two Origin headers", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {app, app}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "preflight without cors_origins", h: none, method: "OPTIONS",
			header: http.Header{"Origin": {app}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}},
		{name: "* echoes any origin", h: anyOrigin, method: "OPTIONS",
			header: http.Header{"Origin": {"https://elsewhere.example:8443"}, "Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"authorization"}},
			status: 204, cors: with(preflight("https://elsewhere.example:8443"), "Access-Control-Allow-Headers", "authorization"), vary: "Origin"},
		{name: "* does not echo null", h: anyOrigin, method: "OPTIONS",
			header: http.Header{"Origin": {"null"}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "* does not echo what is not an origin", h: anyOrigin, method: "OPTIONS",
			header: http.Header{"Origin": {"https://a.example/path"}, "Access-Control-Request-Method": {"POST"}},
			status: 401, cors: map[string]string{}, vary: "Origin"},
		{name: "OPTIONS without Access-Control-Request-Method is no preflight", h: listed, method: "OPTIONS",
			header: http.Header{"Origin": {app}}, status: 401, cors: allowedAnswer, vary: "Origin"},
		{name: "OPTIONS without it, with credentials, goes upstream", h: listed, method: "OPTIONS", credentials: true,
			header: http.Header{"Origin": {app}}, status: 200, cors: allowedAnswer, vary: "Origin", reached: true},
		{name: "GET from an allowed origin", h: listed, method: "GET", credentials: true,
			header: http.Header{"Origin": {app}}, status: 200, cors: allowedAnswer, vary: "Origin", reached: true},
		{name: "POST from * ", h: anyOrigin, method: "POST", credentials: true,
			header: http.Header{"Origin": {"http://127.0.0.1:9"}}, status: 200,
			cors: map[string]string{"Access-Control-Allow-Origin": "http://127.0.0.1:9", "Access-Control-Allow-Credentials": "true"}, vary: "Origin", reached: true},
		{name: "GET from another origin", h: listed, method: "GET", credentials: true,
			header: http.Header{"Origin": {"https://evil.example"}}, status: 200, cors: map[string]string{}, vary: "Origin", reached: true},
		{name: "GET without Origin", h: listed, method: "GET", credentials: true, status: 200, cors: map[string]string{}, vary: "Origin", reached: true},
		{name: "401 to an allowed origin", h: listed, method: "GET",
			header: http.Header{"Origin": {app}}, status: 401, cors: allowedAnswer, vary: "Origin"},
		{name: "405 to an allowed origin", h: listed, method: "GET", target: "/api/v1/Agents/Chat/TransferChatSession", credentials: true,
			header: http.Header{"Origin": {app}}, status: 405, cors: allowedAnswer, vary: "Origin"},
		{name: "backend failure to an allowed origin", h: listed, method: "GET", credentials: true,
			header:  http.Header{"Origin": {app}},
			respond: func(http.ResponseWriter, *http.Request) error { return errors.New("dial tcp: refused") },
			status:  502, cors: allowedAnswer, vary: "Origin", reached: true},
		{name: "backend CORS headers replaced for an allowed origin", h: listed, method: "GET", credentials: true,
			header: http.Header{"Origin": {app}}, respond: backendCORS, status: 200, cors: allowedAnswer, vary: "Origin", reached: true},
		{name: "backend CORS headers replaced in a transformed answer", h: listed, method: "GET", target: "/s?$select=Status", credentials: true,
			header: http.Header{"Origin": {app}}, respond: backendCORS, status: 200, cors: allowedAnswer, vary: "Origin", reached: true},
		{name: "backend CORS headers removed for another origin", h: listed, method: "GET", credentials: true,
			header: http.Header{"Origin": {"https://evil.example"}}, respond: backendCORS, status: 200, cors: map[string]string{}, vary: "Origin", reached: true},
		{name: "backend CORS headers removed without Origin", h: anyOrigin, method: "GET", credentials: true,
			respond: backendCORS, status: 200, cors: map[string]string{}, vary: "Origin", reached: true},
		{name: "backend CORS headers kept without cors_origins", h: none, method: "GET", credentials: true,
			header: http.Header{"Origin": {"https://evil.example"}}, respond: backendCORS, status: 200,
			cors: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Expose-Headers": "X-Secret", "access-control-allow-methods": "DELETE"}, reached: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if target == "" {
				target = "/chat/sessions/1"
			}
			req := httptest.NewRequest(tc.method, target, nil)
			maps.Copy(req.Header, tc.header)
			if tc.credentials {
				req.Header.Set("Authorization", "Bearer t")
			}
			next := &fakeNext{respond: tc.respond}
			rec := serveRaw(tc.h, next, req)
			if rec.Code != tc.status {
				t.Fatalf("status = %d; want %d (body %s)", rec.Code, tc.status, rec.Body)
			}
			got := map[string]string{}
			for name, values := range rec.Header() {
				if len(name) > len("access-control-") && strings.EqualFold(name[:len("access-control-")], "access-control-") {
					got[name] = strings.Join(values, " | ")
				}
			}
			if !maps.Equal(got, tc.cors) {
				t.Errorf("CORS headers = %v\nwant %v", got, tc.cors)
			}
			vary := strings.Join(rec.Header().Values("Vary"), ", ")
			if tc.vary == "" && strings.Contains(vary, "Origin") || !strings.Contains(vary, tc.vary) {
				t.Errorf("Vary = %q; want it to hold %q", vary, tc.vary)
			}
			if reached := len(next.requests) > 0; reached != tc.reached {
				t.Errorf("reached the backend: %v; want %v", reached, tc.reached)
			}
			if tc.status == 204 && rec.Body.Len() > 0 {
				t.Errorf("a preflight's answer has a body: %q", rec.Body)
			}
		})
	}
}

// A preflight never reaches the next handler, even one that would fail.
func TestCORSPreflightNeedsNoNext(t *testing.T) {
	h := provisioned(t, Handler{CORSOrigins: []string{"https://app.example.com"}})
	req := httptest.NewRequest("OPTIONS", "/api/v1/Agents/Chat/TransferChatSession", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	rec := serveRaw(h, caddyhttp.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		t.Fatal("the preflight reached the next handler")
		return nil
	}), req)
	if rec.Code != 204 {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestCORSOriginsProvision(t *testing.T) {
	for _, tc := range []struct {
		name    string
		origins []string
		want    []string // canonical forms
		wantErr string
	}{
		{name: "canonical", origins: []string{"HTTPS://App.Example.COM:443", "http://Localhost:80", "http://[::1]:8080", "app+x.y-z://h"},
			want: []string{"https://app.example.com", "http://localhost", "http://[::1]:8080", "app+x.y-z://h"}},
		{name: "any", origins: []string{"*"}},
		{name: "path", origins: []string{"https://a.example/x"}, wantErr: "no path"},
		{name: "no host", origins: []string{"https://"}, wantErr: "is not an origin"},
		{name: "bad scheme", origins: []string{"1http://a.example"}, wantErr: "is not an origin"},
		{name: "unicode host", origins: []string{"https://bücher.example"}, wantErr: "punycode"},
		{name: "bad IPv6", origins: []string{"http://[::g]"}, wantErr: "is not an origin"},
		{name: "star twice is still alone", origins: []string{"*", "*"}},
		{name: "star in a list", origins: []string{"*", "https://a.example"}, wantErr: "stands alone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := Handler{CORSOrigins: tc.origins}
			err := h.Provision(testContext(t))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "cors_origins: ") {
					t.Fatalf("error = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range tc.want {
				if _, ok := h.origins.origins[o]; !ok {
					t.Errorf("%s is not among %v", o, h.origins.origins)
				}
			}
			if len(h.origins.origins) != len(tc.want) {
				t.Errorf("origins = %v; want %v", h.origins.origins, tc.want)
			}
		})
	}
}

// TestAgentAnswersOfChatgateHaveOwnCORS: what chatgate answers for the
// backend on an agent call ("nothing there" for a 404 or an empty or
// blank 2xx, the error body for a backend's error, a 502 for its
// redirect or 304) is chatgate's answer: its CORS headers are chatgate's
// (the backend's "*" goes; before, these answers kept it and lacked
// chatgate's); no answer to an agent call passes the backend's Location
// on; and Vary names Origin, and the transform headers when it has them,
// once each.
func TestAgentAnswersOfChatgateHaveOwnCORS(t *testing.T) {
	const app = "https://app.example.com"
	h := provisioned(t, Handler{CORSOrigins: []string{app}, Agents: []AgentRoute{
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "DeleteChatSessionEntity", Method: "DELETE", Target: "/s/{ChatSessionEntityId}"},
	}})
	for _, tc := range []struct {
		name, method, body, want string
		status, wantStatus       int
	}{
		{"404", "GetChatSessionEntity", "no such session", "null", 404, 200},
		{"empty 200", "GetChatSessionEntity", "", "null", 200, 200},
		{"blank 200", "GetChatMessages", " \r\n\t", "[]", 200, 200},
		{"500", "GetChatSessionEntity", `{"error":"db down"}`, `"ErrorMessage":"db down","ErrorSource":"backend"`, 500, 500},
		{"302 to a void method", "DeleteChatSessionEntity", "<html>login</html>", `"ErrorMessage":"the backend answered 302 Found, which no method answers"`, 302, 502},
		{"301 with JSON", "GetChatSessionEntity", `{"chatSessionId":1}`, `301 Moved Permanently, which no method answers`, 301, 502},
		{"304 to a void method", "DeleteChatSessionEntity", "", `304 Not Modified, which no method answers`, 304, 502},
		{"an answer with a Location", "GetChatSessionEntity", `{"chatSessionId":1}`, `{"ChatSessionId":1}`, 201, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(tc.status, http.Header{"Content-Type": {"application/json"}, "Access-Control-Allow-Origin": {"*"},
				"Location": {"http://10.0.0.5/internal/login"}, "Vary": {"Accept"}}, tc.body)
			req := post("/api/v1/Agents/Chat/"+tc.method, "application/json", `{"ChatSessionEntityId":1,"ChatSessionId":1}`)
			req.Header.Set("Origin", app)
			req.SetBasicAuth("ann", "pw")
			rec := serve(h, next, req)
			hdr := rec.Header()
			vary := strings.Join(hdr.Values("Vary"), ", ")
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.want) || hdr.Get("Access-Control-Allow-Origin") != app ||
				hdr.Get("Access-Control-Allow-Credentials") != "true" || hdr.Get("Location") != "" ||
				strings.Count(vary, "Origin") != 1 || strings.Count(vary, "SO-TimeZone") > 1 ||
				rec.Code == 200 && strings.Count(vary, "SO-TimeZone") != 1 { // a backend's Vary: Accept does not stand for chatgate's
				t.Fatalf("%d %q, header %v", rec.Code, rec.Body.String(), hdr)
			}
		})
	}
}
