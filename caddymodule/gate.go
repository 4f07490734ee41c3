package caddymodule

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/chatgate/chatgate/auth"
)

// xsrfOff is the XSRFCookie value that turns the X-XSRF-TOKEN fallback off.
const xsrfOff = "off"

// provisionGate builds the gate from the auth options. No error names a
// token or a hash.
func (h *Handler) provisionGate() (*auth.Gate, error) {
	var schemes []auth.Scheme
	for _, name := range h.AuthSchemes {
		s, ok := auth.ParseScheme(name)
		if !ok {
			return nil, fmt.Errorf("auth_schemes: %q is not basic, soticket or bearer", name)
		}
		schemes = append(schemes, s)
	}
	xsrf := h.XSRFCookie
	if xsrf == xsrfOff {
		xsrf = ""
	} else if !validHeaderToken(xsrf) {
		return nil, fmt.Errorf("xsrf_cookie %q is not a valid cookie name", xsrf)
	}
	for i, t := range h.AppTokens {
		if t == "" || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return nil, fmt.Errorf("app_tokens: token %d is empty or holds white space or control characters", i+1)
		}
	}
	if !validHeaderToken(h.IdentityHeader) {
		return nil, fmt.Errorf("identity_header %q is not a valid header name", h.IdentityHeader)
	}
	accounts, err := h.provisionAccounts()
	if err != nil {
		return nil, err
	}
	return auth.NewGate(schemes, xsrf, h.AppTokens, accounts), nil
}

// provisionAccounts checks the accounts and their hashes, and makes the
// fake hash unknown users are compared with: of the accounts' algorithm and
// parameters, which all share, so that an unknown user takes as long as a
// known one.
func (h *Handler) provisionAccounts() (*auth.Accounts, error) {
	if len(h.BasicAccounts) == 0 {
		return nil, nil
	}
	hashes := make(map[string][]byte, len(h.BasicAccounts))
	for _, a := range h.BasicAccounts {
		if a.Username == "" || strings.Contains(a.Username, ":") {
			return nil, fmt.Errorf("basic_account: a user name must be non-empty and hold no colon")
		}
		if _, dup := hashes[a.Username]; dup {
			return nil, fmt.Errorf("basic_account %q is given twice", a.Username)
		}
		hashes[a.Username] = []byte(a.Hash)
	}
	params, err := accountsHashParams(h.BasicAccounts)
	if err != nil {
		return nil, err
	}
	fake, err := fakeHash(params, []byte(h.BasicAccounts[0].Hash))
	if err != nil {
		return nil, fmt.Errorf("basic_account: making the fake hash: %v", err)
	}
	return auth.NewAccounts(hashes, fake, params.comparer()), nil
}

// authenticate runs the gate on r. The headers the gate owns leave the
// request whatever the outcome, so that neither Caddy's logs nor the
// backend see them: the X-XSRF-TOKEN (when the fallback is on), the
// SO-AppToken (when app_tokens is set) and any client-sent identity header.
// On refusal it answers 401 and reports false.
func (h *Handler) authenticate(w *responseWriter, r *http.Request) (auth.Caller, bool) {
	caller, refusal := h.gate.Check(r.Header)
	dropHeaderSpellings(r.Header, h.IdentityHeader)
	if h.XSRFCookie != xsrfOff {
		delete(r.Header, auth.KeyXSRF)
	}
	if len(h.AppTokens) > 0 {
		delete(r.Header, auth.KeyAppToken)
	}
	if refusal != nil {
		// One field with every challenge (RFC 9110 11.6.1 allows a list), so
		// a client that reads only the first WWW-Authenticate sees them all.
		w.Header().Set("WWW-Authenticate", strings.Join(h.gate.Challenges(), ", "))
		w.fail(http.StatusUnauthorized, refusal.Message)
		return auth.Caller{}, false
	}
	return caller, true
}

// admit lets the caller in: its name goes into the placeholders, and a
// verified one to the backend in the identity header.
func (h *Handler) admit(w *responseWriter, r *http.Request, caller auth.Caller) {
	w.placeholders.caller = caller
	if caller.Verified {
		r.Header[h.IdentityHeader] = []string{caller.User}
	}
}

// validHeaderToken reports an RFC 9110 token, the syntax of header and
// cookie names.
func validHeaderToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(c rune) bool { return !isTokenChar(c) }) < 0
}
