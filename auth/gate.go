package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Header names the gate reads, as keys of an http.Header (canonical form),
// so that the gate looks them up without canonicalizing them on every
// request.
const (
	keyAuthorization = "Authorization"
	keyXSRF          = "X-Xsrf-Token" // X-XSRF-TOKEN
	keyAppToken      = "So-Apptoken"  // SO-AppToken
)

// DefaultXSRFCookie and DefaultIdentityHeader are the defaults of Config.
const (
	DefaultXSRFCookie     = "XSRF-TOKEN"
	DefaultIdentityHeader = "X-Chatgate-User"
)

// Config is what a Gate checks. The zero Config allows all three
// Authorization schemes, no X-XSRF-TOKEN fallback, no app tokens and no
// password verification.
type Config struct {
	// Schemes are the Authorization schemes allowed. Default: Schemes().
	Schemes []Scheme

	// XSRFCookie is the cookie whose value a request without Authorization
	// must repeat in its X-XSRF-TOKEN header. "" turns that fallback off.
	XSRFCookie string

	// AppTokens, if any, are the partner app tokens accepted: every request
	// must carry one of them in SO-AppToken.
	AppTokens []string

	// Accounts, if any, make the gate verify Basic passwords against their
	// hashes. Every hash must be bcrypt or argon2id, all of the same
	// algorithm and cost: an unknown user is compared with a fake hash of
	// that algorithm and cost, so that the time of an answer does not tell
	// which users exist.
	Accounts []Account

	// Comparer compares a password with an account's hash (or the fake
	// one). Default: bcrypt and argon2id from golang.org/x/crypto, chosen by
	// the hash's prefix, as Caddy's basic_auth compares.
	Comparer Comparer

	// IdentityHeader is the request header that carries a verified caller's
	// name upstream; a client-sent header of that name is always removed.
	// Default: DefaultIdentityHeader.
	IdentityHeader string
}

// Account is a user whose Basic password the gate verifies.
type Account struct {
	User string // compared exactly; non-empty, no colon
	Hash string // bcrypt ($2a$, $2b$, $2y$) or argon2id ($argon2id$v=19$...)
}

// Gate decides whether a request may pass. It is built once from a Config
// and is safe for concurrent use.
type Gate struct {
	schemes        []Scheme   // allowed Authorization schemes
	xsrfCookie     string     // "" turns the X-XSRF-TOKEN fallback off
	appTokens      [][32]byte // SHA-256 digests; none: SO-AppToken is not checked
	accounts       *accounts  // nil: Basic passwords are the backend's to check
	identityHeader string     // canonical
	challenges     []string
}

// New checks cfg and returns its gate. Its errors name the option at fault
// (auth_schemes, xsrf_cookie, app_tokens, basic_account, identity_header)
// and never hold a token or a hash.
func New(cfg Config) (*Gate, error) {
	g := &Gate{schemes: cfg.Schemes, xsrfCookie: cfg.XSRFCookie}
	if len(g.schemes) == 0 {
		g.schemes = Schemes()
	}
	for _, s := range g.schemes {
		if !slices.Contains(authorizationSchemes[:], s) {
			return nil, fmt.Errorf("auth_schemes: %d is not basic, soticket or bearer", s)
		}
	}
	for _, s := range authorizationSchemes { // challenges in a fixed order
		if slices.Contains(g.schemes, s) {
			g.challenges = append(g.challenges, s.challenge())
		}
	}
	if g.xsrfCookie != "" && !validToken(g.xsrfCookie) {
		return nil, fmt.Errorf("xsrf_cookie %q is not a valid cookie name", g.xsrfCookie)
	}
	for i, t := range cfg.AppTokens {
		if t == "" || strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return nil, fmt.Errorf("app_tokens: token %d is empty or holds white space or control characters", i+1)
		}
		g.appTokens = append(g.appTokens, sha256.Sum256([]byte(t)))
	}
	identity := cfg.IdentityHeader
	if identity == "" {
		identity = DefaultIdentityHeader
	}
	if !validToken(identity) {
		return nil, fmt.Errorf("identity_header %q is not a valid header name", identity)
	}
	g.identityHeader = http.CanonicalHeaderKey(identity)
	if len(cfg.Accounts) > 0 {
		if err := CheckAccounts(cfg.Accounts); err != nil {
			return nil, err
		}
		params, _ := checkHashes(cfg.Accounts) // checked just now
		fake, err := fakeHash(params, []byte(cfg.Accounts[0].Hash))
		if err != nil {
			return nil, fmt.Errorf("basic_account: making the fake hash: %v", err)
		}
		hashes := make(map[string][]byte, len(cfg.Accounts))
		for _, a := range cfg.Accounts {
			hashes[a.User] = []byte(a.Hash)
		}
		comparer := cfg.Comparer
		if comparer == nil {
			comparer = standardComparer{}
		}
		g.accounts = newAccounts(hashes, fake, comparer)
	}
	return g, nil
}

// validToken reports an RFC 9110 token, the syntax of header and cookie
// names.
func validToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(c rune) bool {
		return c >= 0x7f || c <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c)
	}) < 0
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
//
// Check leaves h as it is: Strip removes the headers the gate owns, and
// SetIdentity names a verified caller upstream.
func (g *Gate) Check(h http.Header) (Caller, *Refusal) {
	caller, refusal := g.credential(h)
	if refusal != nil {
		return Caller{}, refusal
	}
	if len(g.appTokens) > 0 {
		if refusal := g.checkAppToken(h[keyAppToken]); refusal != nil {
			return Caller{}, refusal
		}
	}
	return caller, nil
}

func (g *Gate) credential(h http.Header) (Caller, *Refusal) {
	values := h[keyAuthorization] // canonical already
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
	header := h[keyXSRF]
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

// Strip removes from h the headers the gate owns, so that neither logs nor
// the backend see them, whatever Check answered: the X-XSRF-TOKEN (when the
// fallback is on), the SO-AppToken (when app tokens are checked) and any
// client-sent identity header.
func (g *Gate) Strip(h http.Header) {
	delete(h, g.identityHeader)
	// CGI, PHP, WSGI and Rack fold "-" and "_" into one
	// (HTTP_X_CHATGATE_USER): a client's X_Chatgate_User must not name the
	// caller either. Header names without "_" cost nothing more.
	for key := range h {
		if strings.IndexByte(key, '_') >= 0 && strings.EqualFold(strings.ReplaceAll(key, "_", "-"), g.identityHeader) {
			delete(h, key)
		}
	}
	if g.xsrfCookie != "" {
		delete(h, keyXSRF)
	}
	if len(g.appTokens) > 0 {
		delete(h, keyAppToken)
	}
}

// SetIdentity names a verified caller in h's identity header; an
// unverified one names nobody.
func (g *Gate) SetIdentity(h http.Header, c Caller) {
	if c.Verified {
		h[g.identityHeader] = []string{c.User}
	}
}
