package auth

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"unicode"
)

// Scheme is an Authorization scheme of the reference pages.
type Scheme int

// The schemes, and XSRF for a request that has none and passes the
// X-XSRF-TOKEN check instead.
const (
	Basic Scheme = iota + 1
	SoTicket
	Bearer
	XSRF
)

// Name is the scheme's lower-case configuration name: basic, soticket,
// bearer or xsrf.
func (s Scheme) Name() string {
	switch s {
	case Basic:
		return "basic"
	case SoTicket:
		return "soticket"
	case Bearer:
		return "bearer"
	case XSRF:
		return "xsrf"
	}
	return ""
}

// challenge is the scheme's WWW-Authenticate challenge (RFC 9110 11.6.1).
func (s Scheme) challenge() string {
	switch s {
	case Basic:
		return `Basic realm="chatgate", charset="UTF-8"`
	case SoTicket:
		return `SoTicket realm="chatgate"`
	case Bearer:
		return `Bearer realm="chatgate"`
	}
	return ""
}

// authorizationSchemes are the schemes an Authorization header may carry.
var authorizationSchemes = [...]Scheme{Basic, SoTicket, Bearer}

// Schemes returns the schemes an Authorization header may carry: Basic,
// SoTicket and Bearer, a new slice each time.
func Schemes() []Scheme { return slices.Clone(authorizationSchemes[:]) }

// ParseScheme reads a scheme name, ignoring case ("SOTicket", "soticket").
func ParseScheme(name string) (Scheme, bool) {
	for _, s := range authorizationSchemes {
		if strings.EqualFold(name, s.Name()) {
			return s, true
		}
	}
	return 0, false
}

// Credential is a well-formed Authorization header.
type Credential struct {
	Scheme   Scheme
	User     string // Basic only
	Password string // Basic only
}

// Errors of ParseAuthorization. None repeats the header.
var (
	ErrNoCredential     = errors.New("the Authorization header has no credential")
	ErrUnknownScheme    = errors.New("the Authorization scheme is not Basic, SoTicket or Bearer")
	ErrMalformedBasic   = errors.New("Basic credential is malformed: it must be base64 of user:password with a user")
	ErrMalformedTicket  = errors.New("SoTicket credential is malformed")
	ErrMalformedBearer  = errors.New("Bearer credential is malformed")
	errMalformedHeader  = errors.New("the Authorization header is malformed")
	errSchemeNotAllowed = errors.New("the Authorization scheme is not accepted here")
)

// ParseAuthorization reads "<scheme> <credential>" (RFC 9110 11.4). The
// scheme is matched case-insensitively. A Basic credential must be base64 of
// "user:password" (RFC 7617) with a non-empty user and no control
// characters; a SoTicket is "<digits>T:<non-space>" (such as "7T:abc=="); a
// Bearer token is non-empty with no white space or control characters.
func ParseAuthorization(header string) (Credential, error) {
	header = strings.Trim(header, " \t")
	name, credential, _ := strings.Cut(header, " ")
	credential = strings.TrimLeft(credential, " ")
	if name == "" {
		return Credential{}, errMalformedHeader
	}
	scheme, ok := ParseScheme(name)
	if !ok {
		return Credential{}, ErrUnknownScheme
	}
	if credential == "" {
		return Credential{}, ErrNoCredential
	}
	switch scheme {
	case Basic:
		return parseBasic(credential)
	case SoTicket:
		if !validTicket(credential) {
			return Credential{}, ErrMalformedTicket
		}
	case Bearer:
		if hasSpaceOrControl(credential) {
			return Credential{}, ErrMalformedBearer
		}
	}
	return Credential{Scheme: scheme}, nil
}

// strictBase64 is padded standard base64 that refuses stray bits (RFC
// 7617 and 4648), made once.
var strictBase64 = base64.StdEncoding.Strict()

func parseBasic(credential string) (Credential, error) {
	var buf [192]byte // most credentials: decoded on the stack
	decoded := buf[:]
	if n := strictBase64.DecodedLen(len(credential)); n > len(buf) {
		decoded = make([]byte, n)
	}
	n, err := strictBase64.Decode(decoded, []byte(credential))
	if err != nil {
		return Credential{}, ErrMalformedBasic
	}
	user, password, found := strings.Cut(string(decoded[:n]), ":")
	if !found || user == "" || hasControl(user) || hasControl(password) {
		return Credential{}, ErrMalformedBasic
	}
	return Credential{Scheme: Basic, User: user, Password: password}, nil
}

// validTicket reports "<digits>T:<non-space>".
func validTicket(s string) bool {
	digits, rest, found := strings.Cut(s, "T:")
	if !found || digits == "" || rest == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	return !hasSpaceOrControl(rest)
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

func hasSpaceOrControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
