package caddymodule

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp/caddyauth"

	"github.com/chatgate/chatgate/auth"
)

// xsrfOff is the XSRFCookie value that turns the X-XSRF-TOKEN fallback off.
const xsrfOff = "off"

// gateConfig is the auth package's view of the auth options.
func (h *Handler) gateConfig() (auth.Config, error) {
	cfg := auth.Config{XSRFCookie: h.XSRFCookie, AppTokens: h.AppTokens, IdentityHeader: h.IdentityHeader,
		Comparer: caddyComparer{}}
	for _, name := range h.AuthSchemes {
		s, ok := auth.ParseScheme(name)
		if !ok {
			return cfg, fmt.Errorf("auth_schemes: %q is not basic, soticket or bearer", name)
		}
		cfg.Schemes = append(cfg.Schemes, s)
	}
	if cfg.XSRFCookie == xsrfOff {
		cfg.XSRFCookie = ""
	}
	for _, a := range h.BasicAccounts {
		cfg.Accounts = append(cfg.Accounts, auth.Account{User: a.Username, Hash: a.Hash})
	}
	return cfg, nil
}

// provisionGate builds the gate from the auth options. No error names a
// token or a hash.
func (h *Handler) provisionGate() (*auth.Gate, error) {
	cfg, err := h.gateConfig()
	if err != nil {
		return nil, err
	}
	return auth.New(cfg)
}

// caddyComparer compares passwords with Caddy's own comparers, as
// basic_auth does: Argon2idHash for $argon2id$ hashes, BcryptHash for the
// others.
type caddyComparer struct{}

func (caddyComparer) Compare(hashed, plaintext []byte) (bool, error) {
	if bytes.HasPrefix(hashed, []byte("$argon2id$")) {
		return caddyauth.Argon2idHash{}.Compare(hashed, plaintext)
	}
	return caddyauth.BcryptHash{}.Compare(hashed, plaintext)
}

// authenticate is the auth stage: it runs the gate on the request and notes
// the caller. The headers the gate owns leave the request whatever the
// outcome (auth.Gate.Strip), so that neither Caddy's logs nor the backend
// see them. On refusal it answers 401. It reports whether the request goes
// on.
func (h *Handler) authenticate(x *exchange) bool {
	caller, refusal := h.gate.Check(x.r.Header)
	h.gate.Strip(x.r.Header)
	if mayHaveTrailers(x.r) {
		// A chunked body may end with trailers, which net/http puts in
		// r.Trailer at its end and reverse_proxy sends on: the gate's
		// headers leave them too.
		x.r.Body = &trailerStripper{ReadCloser: x.r.Body, r: x.r, strip: h.gate.Strip}
	}
	if refusal != nil {
		// One field with every challenge (RFC 9110 11.6.1 allows a list), so
		// a client that reads only the first WWW-Authenticate sees them all.
		x.w.Header().Set("WWW-Authenticate", strings.Join(h.gate.Challenges(), ", "))
		x.w.fail(http.StatusUnauthorized, refusal.Message)
		return false
	}
	x.caller = caller
	return true
}

// admit lets the caller in once it is named: its name goes into the
// placeholders, and a verified one to the backend in the identity header.
func (h *Handler) admit(x *exchange) bool {
	x.w.placeholders.caller = x.caller
	h.gate.SetIdentity(x.r.Header, x.caller)
	return true
}

// Interface guards
var _ auth.Comparer = caddyComparer{}

// mayHaveTrailers reports whether trailers can reach the handlers after
// chatgate with r's body: only into r.Trailer's map, there from the start
// because the header declared them (HTTP/1.1 and HTTP/2 fill it in place).
// Trailers nobody declared are set on the request the server made, never
// on the copies Caddy and chatgate pass on. Most requests declare none: no
// wrapper for them.
func mayHaveTrailers(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.Trailer != nil
}

// trailerStripper strips a request's trailers with strip as its body ends
// (net/http fills r.Trailer in the Read that returns io.EOF).
type trailerStripper struct {
	io.ReadCloser
	r     *http.Request
	strip func(http.Header)
}

func (t *trailerStripper) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if err == io.EOF && t.r.Trailer != nil {
		t.strip(t.r.Trailer)
	}
	return n, err
}
