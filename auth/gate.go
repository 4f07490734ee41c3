package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
)

// Header names the gate reads, as the reference pages spell them.
const (
	HeaderAuthorization = "Authorization"
	HeaderXSRF          = "X-XSRF-TOKEN"
	HeaderAppToken      = "SO-AppToken"
)

// The same names as keys of an http.Header (canonical form), so that the
// gate looks them up without canonicalizing them on every request.
const (
	KeyXSRF     = "X-Xsrf-Token"
	KeyAppToken = "So-Apptoken"
)

// Gate decides whether a request may pass. It is built once from the
// configuration and is safe for concurrent use.
type Gate struct {
	schemes    []Scheme   // allowed Authorization schemes
	xsrfCookie string     // "" turns the X-XSRF-TOKEN fallback off
	appTokens  [][32]byte // SHA-256 digests; none: SO-AppToken is not checked
	accounts   *Accounts  // nil: Basic passwords are the backend's to check
	challenges []string
}

// NewGate returns a gate allowing schemes (all three if none), the
// X-XSRF-TOKEN fallback against xsrfCookie ("" for none), the app tokens
// (none: not checked) and Basic verification by accounts (nil: none).
func NewGate(schemes []Scheme, xsrfCookie string, appTokens []string, accounts *Accounts) *Gate {
	if len(schemes) == 0 {
		schemes = AuthorizationSchemes
	}
	g := &Gate{schemes: schemes, xsrfCookie: xsrfCookie, accounts: accounts}
	for _, s := range AuthorizationSchemes { // challenges in a fixed order
		if slices.Contains(schemes, s) {
			g.challenges = append(g.challenges, s.challenge())
		}
	}
	for _, t := range appTokens {
		g.appTokens = append(g.appTokens, sha256.Sum256([]byte(t)))
	}
	return g
}

// Challenges are the WWW-Authenticate values of a refusal, one per allowed
// scheme.
func (g *Gate) Challenges() []string { return g.challenges }

// Caller is who a request that passed the gate comes from.
type Caller struct {
	Scheme Scheme
	// User is the Basic user name: verified if Verified, else the client's
	// own claim, which the backend checks with the rest of the credential.
	User     string
	Verified bool
}

// Refusal is a request the gate turns away (HTTP 401). Its message names
// what is wrong and never holds a credential.
type Refusal struct{ Message string }

func (r *Refusal) Error() string { return r.Message }

func refuse(err error) *Refusal { return &Refusal{Message: err.Error()} }

// Messages of refusals other than ParseAuthorization's.
var (
	errTwoAuthorizations = errors.New("the Authorization header is sent more than once")
	errNoCredentialAtAll = errors.New("no credential: send an Authorization header, or the X-XSRF-TOKEN header with its cookie")
	errXSRFMismatch      = errors.New("the X-XSRF-TOKEN header does not match its cookie")
	errNoAppToken        = errors.New("the SO-AppToken header is missing")
	errAppToken          = errors.New("the SO-AppToken is not accepted")
	errWrongPassword     = errors.New("the user name or password is wrong")
)

// Check lets a request through or refuses it. It reads the headers only
// (never a body), and compares every secret in constant time.
func (g *Gate) Check(h http.Header) (Caller, *Refusal) {
	caller, refusal := g.credential(h)
	if refusal != nil {
		return Caller{}, refusal
	}
	if len(g.appTokens) > 0 {
		if refusal := g.checkAppToken(h[KeyAppToken]); refusal != nil {
			return Caller{}, refusal
		}
	}
	return caller, nil
}

func (g *Gate) credential(h http.Header) (Caller, *Refusal) {
	values := h[HeaderAuthorization] // canonical already
	switch {
	case len(values) > 1:
		return Caller{}, refuse(errTwoAuthorizations)
	case len(values) == 0:
		return g.checkXSRF(h)
	}
	cred, err := ParseAuthorization(values[0])
	if err != nil {
		return Caller{}, refuse(err)
	}
	if !slices.Contains(g.schemes, cred.Scheme) {
		return Caller{}, refuse(errSchemeNotAllowed)
	}
	caller := Caller{Scheme: cred.Scheme, User: cred.User}
	if cred.Scheme == Basic && g.accounts != nil {
		if !g.accounts.Verify(cred.User, cred.Password) {
			return Caller{}, refuse(errWrongPassword)
		}
		caller.Verified = true
	}
	return caller, nil
}

// checkXSRF is the fallback without Authorization: the X-XSRF-TOKEN header
// must equal the value of the cookie, both given once and non-empty.
func (g *Gate) checkXSRF(h http.Header) (Caller, *Refusal) {
	if g.xsrfCookie == "" {
		return Caller{}, refuse(errNoCredentialAtAll)
	}
	header := h[KeyXSRF]
	cookies := (&http.Request{Header: h}).CookiesNamed(g.xsrfCookie)
	switch {
	case len(header) == 0 && len(cookies) == 0:
		return Caller{}, refuse(errNoCredentialAtAll)
	case len(header) != 1 || len(cookies) != 1 || header[0] == "" || cookies[0].Value == "":
		return Caller{}, refuse(errXSRFMismatch)
	case !equalSecret(header[0], cookies[0].Value):
		return Caller{}, refuse(errXSRFMismatch)
	}
	return Caller{Scheme: XSRF}, nil
}

func (g *Gate) checkAppToken(values []string) *Refusal {
	if len(values) != 1 || values[0] == "" {
		return refuse(errNoAppToken)
	}
	got := sha256.Sum256([]byte(values[0]))
	match := 0
	for _, want := range g.appTokens { // every token, so the time says nothing of which
		match |= subtle.ConstantTimeCompare(got[:], want[:])
	}
	if match != 1 {
		return refuse(errAppToken)
	}
	return nil
}

// equalSecret compares in constant time, lengths included: the digests are
// compared, not the texts.
func equalSecret(a, b string) bool {
	da, db := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(da[:], db[:]) == 1
}
