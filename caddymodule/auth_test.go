package caddymodule

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"golang.org/x/crypto/bcrypt"
)

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// readCounter fails the test if the body is read.
type readCounter struct {
	t    *testing.T
	read bool
}

func (r *readCounter) Read([]byte) (int, error) { r.read = true; return 0, io.EOF }

func TestRefusalsComeFirst(t *testing.T) {
	h := provisioned(t, Handler{AuthSchemes: []string{"basic", "bearer"}})
	for _, tc := range []struct {
		name, path string
		headers    []string
		message    string
	}{
		{"no credential", "/api/v1/Agents/Chat/TransferChatSession", nil, "no credential"},
		{"scheme not allowed", "/api/v1/Agents/Chat/TransferChatSession", []string{"Authorization", "SoTicket 7T:abc"}, "not accepted here"},
		{"malformed, on any path", "/anything?$select=a//b", []string{"Authorization", "Bearer a b"}, "Bearer credential is malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &readCounter{t: t}
			req := httptest.NewRequest("POST", tc.path, body)
			req.Header.Set("Content-Type", "application/json")
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			next := &fakeNext{}
			rec := serveRaw(h, next, req)
			assertError(t, rec, 401, "Unauthorized", tc.message)
			if got := rec.Header().Values("WWW-Authenticate"); len(got) != 1 || got[0] != `Basic realm="chatgate", charset="UTF-8", Bearer realm="chatgate"` {
				t.Fatalf("WWW-Authenticate = %q", got)
			}
			if body.read || len(next.requests) != 0 {
				t.Fatalf("body read: %v; backend got %v", body.read, next.requests)
			}
		})
	}
}

func TestGateOwnsItsHeaders(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	h := provisioned(t, Handler{AppTokens: []string{"app-1"}, BasicAccounts: []BasicAccount{{"ann", string(hash)}}, IdentityHeader: "x-user"})
	for _, tc := range []struct {
		name, authorization string
		wantIdentity        string
	}{
		{"verified Basic", basic("ann", "pw"), "ann"},
		{"Bearer: the spoofed identity goes", "Bearer t", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{}`)
			req := httptest.NewRequest("GET", "/x", nil)
			req.Header.Set("Authorization", tc.authorization)
			req.Header.Set("SO-AppToken", "app-1")
			req.Header.Set("X-XSRF-TOKEN", "leftover")
			req.Header.Set("X-User", "admin")
			req.Header["X_User"] = []string{"admin"} // read as HTTP_X_USER by CGI, PHP, WSGI, Rack
			req.Header["X_uSER"] = []string{"admin"}
			repl := caddy.NewReplacer()
			rec := httptest.NewRecorder()
			if err := h.ServeHTTP(rec, req.WithContext(context.WithValue(req.Context(), caddy.ReplacerCtxKey, repl)), next); err != nil || rec.Code != 200 {
				t.Fatalf("answer %d %s, %v", rec.Code, rec.Body, err)
			}
			got := next.lastHeader
			if got["X_User"] != nil || got["X_uSER"] != nil {
				t.Fatalf("an underscore spelling of the identity header reached the backend: %v", got)
			}
			if got.Get("SO-AppToken") != "" || got.Get("X-XSRF-TOKEN") != "" || got.Get("X-User") != tc.wantIdentity || got.Get("Authorization") != tc.authorization {
				t.Fatalf("backend headers %v", got)
			}
			if req.Header.Get("SO-AppToken") != "" {
				t.Fatal("the app token is still on the request Caddy logs")
			}
			user, _ := repl.GetString("http.chatgate.user")
			scheme, _ := repl.GetString("http.chatgate.auth_scheme")
			verified, _ := repl.Get("http.chatgate.user_verified")
			userID, _ := repl.GetString("http.auth.user.id")
			if tc.wantIdentity != "" && (user != "ann" || scheme != "basic" || verified != true || userID != "ann") {
				t.Fatalf("placeholders user=%q scheme=%q verified=%v user_id=%q", user, scheme, verified, userID)
			}
			if tc.wantIdentity == "" && (scheme != "bearer" || userID != "") {
				t.Fatalf("placeholders scheme=%q user_id=%q", scheme, userID)
			}
		})
	}
}

func TestUnverifiedBasicIsNoIdentity(t *testing.T) {
	h := provisioned(t, Handler{})
	next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{}`)
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set("Authorization", basic("ann", "pw"))
	req.Header.Set("X-Chatgate-User", "admin")
	serveRaw(h, next, req)
	if got := next.lastHeader.Get("X-Chatgate-User"); got != "" {
		t.Fatalf("identity header %q without verification", got)
	}
}

func TestGateProvisioning(t *testing.T) {
	hash4, _ := bcrypt.GenerateFromPassword([]byte("pw"), 4)
	hash5, _ := bcrypt.GenerateFromPassword([]byte("pw"), 5)
	for _, tc := range []struct {
		name    string
		h       Handler
		wantErr string
	}{
		{"unknown scheme", Handler{AuthSchemes: []string{"digest"}}, `"digest" is not basic`},
		{"bad cookie name", Handler{XSRFCookie: "a b"}, "not a valid cookie name"},
		{"bad identity header", Handler{IdentityHeader: "X:User"}, "not a valid header name"},
		{"empty app token", Handler{AppTokens: []string{"ok", ""}}, "token 2 is empty"},
		{"app token with space", Handler{AppTokens: []string{"secret value"}}, "token 1"},
		{"not a bcrypt or argon2id hash", Handler{BasicAccounts: []BasicAccount{{"ann", "plain-secret"}}}, `basic_account "ann": the hash is neither bcrypt nor argon2id`},
		{"user twice", Handler{BasicAccounts: []BasicAccount{{"ann", string(hash4)}, {"ann", string(hash4)}}}, "given twice"},
		{"user with colon", Handler{BasicAccounts: []BasicAccount{{"a:b", string(hash4)}}}, "no colon"},
		{"mixed costs", Handler{BasicAccounts: []BasicAccount{{"ann", string(hash4)}, {"bob", string(hash5)}}}, `basic_account "bob": its hash is bcrypt cost 5, but "ann"'s is bcrypt cost 4`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.h.Provision(testContext(t))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Provision error = %v; want %q", err, tc.wantErr)
			}
			for _, secret := range []string{"plain-secret", "secret value", "$2a$"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error %q holds a secret", err)
				}
			}
		})
	}
}

// Hashes of "pw" at low costs, so that tests are fast.
const (
	bcrypt4  = "$2a$04$D5QySmU.hoJsbgoBT.P4s.QHEUncovEvcOxE9vum.0VZ7saUepZdK"
	bcrypt5  = "$2a$05$YDRl3FHPuqvylwdt0oCrT.04hPeZzBgg/m4mSmvKeCQX2Kme4VRnS"
	argonLow = "$argon2id$v=19$m=64,t=1,p=1$Y2hhdGdhdGUtc2FsdC0wMQ$e1mf97GE/n1rTiLi1QS9DcNErNidWyqeoFmwKSfLvUM"
)

// TestTrailersLoseTheGatesHeaders: trailers that a request declared
// arrive in its r.Trailer as its body ends (HTTP/1.1 chunked, HTTP/2),
// and lose the identity header as its header does. Undeclared ones the
// servers set on the request they made (net/http, quic-go), which the
// handlers after Caddy's copy never see.
func TestTrailersLoseTheGatesHeaders(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, c := range []struct {
		name          string
		proto, length int
		declared      bool
	}{
		{"HTTP/1.1 chunked, declared", 1, -1, true},
		{"HTTP/2 with a length, declared", 2, 3, true},
		{"HTTP/2 without, declared", 2, -1, true},
		{"HTTP/1.1 chunked, undeclared", 1, -1, false},
		{"HTTP/3, undeclared", 3, 3, false},
	} {
		req := httptest.NewRequest("POST", "/x", nil)
		req.ProtoMajor, req.ContentLength = c.proto, int64(c.length)
		if c.declared {
			req.Trailer = http.Header{"X-Chatgate-User": nil, "X-Sum": nil}
		}
		req.Body = &trailingBody{Reader: strings.NewReader("abc"), r: req}
		var trailer http.Header
		next := &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
			trailer = r.Trailer
			w.WriteHeader(204)
			return nil
		}}
		serve(h, next, req)
		if c.declared && (trailer.Get("X-Sum") != "1" || trailer.Get("X-Chatgate-User") != "") ||
			!c.declared && trailer != nil {
			t.Errorf("%s: the handlers after chatgate got the trailers %v", c.name, trailer)
		}
	}
}

// trailingBody is a request body that fills its request's trailers in the
// Read that returns io.EOF as the servers do: into the declared map, else
// into a new one on the request itself.
type trailingBody struct {
	*strings.Reader
	r *http.Request
}

func (b *trailingBody) Read(p []byte) (int, error) {
	n, err := b.Reader.Read(p)
	if err == io.EOF {
		if b.r.Trailer == nil {
			b.r.Trailer = http.Header{}
		}
		b.r.Trailer.Set("X-Chatgate-User", "admin")
		b.r.Trailer.Set("X-Sum", "1")
	}
	return n, err
}

func (b *trailingBody) Close() error { return nil }
