// Package caddymodule wires chatgate into Caddy as the HTTP handler
// http.handlers.chatgate and the Caddyfile directive chatgate.
package caddymodule

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"go.uber.org/zap"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/locale"
	selection "github.com/chatgate/chatgate/select"
)

// Defaults of the size limits.
const (
	DefaultAPIPrefix       = "/api/v1"
	DefaultMaxRequestBody  = 64 << 10 // 64KiB
	DefaultMaxResponseBody = 1 << 30  // 1GiB
	DefaultStreamThreshold = 64 << 10 // 64KiB
	DefaultMaxSelect       = 256
	DefaultXSRFCookie      = auth.DefaultXSRFCookie
	DefaultIdentityHeader  = auth.DefaultIdentityHeader
)

// selectionsKept bounds the parsed $select texts each handler remembers.
const selectionsKept = 256

// Handler gives a legacy chat backend the API of a SuperOffice-style WebAPI:
// it answers the Agents/Chat transfer endpoints with their rules and passes
// everything else to the handlers after it, normally reverse_proxy.
type Handler struct {
	// AuthSchemes are the Authorization schemes accepted: basic, soticket
	// and bearer, in any case. A request with another scheme, or with a
	// malformed credential, is answered 401.
	// Caddyfile: auth_schemes <scheme...> (repeatable)
	// Default: basic soticket bearer
	AuthSchemes []string `json:"auth_schemes,omitempty"`

	// XSRFCookie is the cookie whose value a request without Authorization
	// must repeat in its X-XSRF-TOKEN header; "off" turns that fallback off,
	// so such a request is refused.
	// Caddyfile: xsrf_cookie <name>|off
	// Default: XSRF-TOKEN
	XSRFCookie string `json:"xsrf_cookie,omitempty"`

	// AppTokens, if set, are the partner app tokens accepted: every request
	// must carry one of them in SO-AppToken.
	// Caddyfile: app_tokens <token...> (repeatable)
	// Default: none (not checked)
	AppTokens []string `json:"app_tokens,omitempty"`

	// BasicAccounts, if set, make chatgate verify Basic passwords against
	// their bcrypt or argon2id hashes (chatgate hash-password), with Caddy's
	// own comparers; an unknown user or a wrong password is answered 401.
	// Every account's hash must have the same algorithm and cost (bcrypt
	// cost; argon2id m, t, p and key length), or the config does not load:
	// an unknown user is compared with a fake hash of that algorithm and
	// cost, so that it takes as long as a known user and the time of an
	// answer does not tell which users exist.
	// Caddyfile: basic_account <user> <bcrypt-or-argon2id-hash> (repeatable)
	// Default: none (Basic passwords are the backend's to check)
	BasicAccounts []BasicAccount `json:"basic_accounts,omitempty"`

	// IdentityRoute is the backend route that tells who a ticket, a token or
	// an XSRF session belongs to. When set, chatgate asks it (through the
	// handlers after chatgate, with the caller's own credentials and cookies)
	// for every such caller it does not know yet: the answer's UserName, else
	// its Name (keys in any case), or a JSON string, is the caller; a 401 or
	// 403 there is a 401 here, and any other failure a 502. The path takes no
	// placeholders.
	// Caddyfile: identity_route <METHOD> <path>
	// Default: none (tickets, tokens and XSRF sessions have no known caller)
	IdentityRoute *Route `json:"identity_route,omitempty"`

	// IdentityTTL is how long an answer of IdentityRoute is kept, per
	// instance, keyed by a SHA-256 digest of the credential (never the
	// credential itself), at most 4096 at once.
	// Caddyfile: identity_ttl <duration>
	// Default: 1m
	IdentityTTL caddy.Duration `json:"identity_ttl,omitempty"`

	// CORSOrigins are the origins, scheme://host[:port], whose pages may
	// call the API from a browser. A preflight (OPTIONS with Origin and
	// Access-Control-Request-Method) from one of them is answered 204 before
	// auth, allowing GET, HEAD and POST and the request headers the clients
	// send; every other answer to one of them carries
	// Access-Control-Allow-Origin with that origin and
	// Access-Control-Allow-Credentials: true. "*" alone allows every origin,
	// each echoed by name (with credentials a browser refuses a literal *).
	// When set, chatgate owns CORS: Access-Control-* headers from the
	// backend are removed.
	// Caddyfile: cors_origins <origin...>|* (repeatable)
	// Default: none (no CORS: a preflight is refused as it has no credential)
	CORSOrigins []string `json:"cors_origins,omitempty"`

	// IdentityHeader is the request header that carries a verified caller's
	// name to the backend: a Basic user verified by BasicAccounts, or a
	// caller named by IdentityRoute. A client-sent header of this name is
	// always removed.
	// Caddyfile: identity_header <name>
	// Default: X-Chatgate-User
	IdentityHeader string `json:"identity_header,omitempty"`

	// BaseTimezone is the backend's time zone: offset-less date-times it
	// writes are its local time, and offset-less date-times in request
	// bodies are sent in it. A location code, numeric id or IANA name, or a
	// code of TimezoneCodes.
	// Caddyfile: base_timezone <zone>
	// Default: UTC
	BaseTimezone string `json:"base_timezone,omitempty"`

	// TimezoneCodes add SO-TimeZone codes or numeric ids, or override
	// built-in ones, each naming a built-in code or id, or an IANA zone.
	// Caddyfile: timezone_code <code> <zone> (repeatable)
	// Default: the built-in codes (locale/ZONES.md)
	TimezoneCodes map[string]string `json:"timezone_codes,omitempty"`

	// UTCFields are properties whose date-times are never converted: they
	// are UTC times. With includeTZOffset, an offset-less one is tagged Z
	// (+0000 with offset_format compact). Names written +Name add to the
	// default list; a list of plain names replaces it (utc_fields Created
	// leaves CreatedDate converted).
	// Caddyfile: utc_fields <name...>
	// Default: CreatedDate UpdatedDate Registered Updated
	UTCFields []string `json:"utc_fields,omitempty"`

	// OffsetFormat is how offsets the gateway adds to offset-less
	// date-times (SO-TimeZone with includeTZOffset) are written: rfc3339 is
	// ±hh:mm, and Z when the requested zone is UTC, as SuperOffice servers
	// write them; compact is the reference pages' ±hhmm (+0000 for UTC). A
	// value that came with an offset keeps ±hhmm if it came so, and is
	// otherwise written ±hh:mm or Z.
	// Caddyfile: offset_format rfc3339|compact
	// Default: rfc3339
	OffsetFormat string `json:"offset_format,omitempty"`

	// TextFields are properties whose strings are neither converted nor
	// translated (free text). Names written +Name add to the default list;
	// a list of plain names replaces it.
	// Caddyfile: text_fields <name...>
	// Default: FirstMessage LastMessage Message Text
	TextFields []string `json:"text_fields,omitempty"`

	// DefaultLanguage is the iso2 language (two letters, such as en or nb)
	// of a request that names none in SO-Language or Accept-Language.
	// Caddyfile: default_language <iso2>
	// Default: none (no translation)
	DefaultLanguage string `json:"default_language,omitempty"`

	// LanguageCodes map iso2 languages to multi-language codes, overriding
	// the built-in ones.
	// Caddyfile: language_code <iso2> <CODE> (repeatable)
	// Default: en US, nb/nn/no NO, de GE, sv SE, da DA, fr FR, nl NL, fi FI; others their upper-cased iso2
	LanguageCodes map[string]string `json:"language_codes,omitempty"`

	// StringsFile is the path of a JSON file of string references:
	// {"SR_NAME": {"en": "text", "nb": "tekst"}}. It is read once, when the
	// config loads (and when a Caddyfile is adapted); a missing or malformed
	// file is a config error.
	// Caddyfile: strings <file>
	// Default: none ([SR_...] references stay)
	StringsFile string `json:"strings,omitempty"`

	// APIPrefix is the path below which the API's endpoints live, matched
	// case-insensitively; "/" puts them at the root.
	// Caddyfile: api_prefix <path>
	// Default: /api/v1
	APIPrefix string `json:"api_prefix,omitempty"`

	// MaxRequestBody is the largest request body chatgate reads (an Agents
	// endpoint's, or a JSON body whose dates it converts), in bytes; a
	// larger one is answered 413. The Caddyfile takes sizes as Caddy does:
	// 65536, 64KiB, 1MB.
	// Caddyfile: max_request_body <size>
	// Default: 65536 (64KiB)
	MaxRequestBody int64 `json:"max_request_body,omitempty"`

	// MaxResponseBody is the largest backend response body that chatgate
	// transforms, in bytes: it bounds both the bytes the backend sends and,
	// for a compressed answer, the bytes they decode to (so a body that
	// grows when compressed, such as gzip's stored blocks, is refused a few
	// bytes short of it). It also bounds the session chatgate fetches for
	// the transfer rules, which is read whole (at most 1 MiB). A declared
	// Content-Length over it is answered 502 up front; an answer that passes
	// it while it streams ends abnormally. Answers that need no transform
	// stream through whatever their size.
	// Caddyfile: max_response_body <size>
	// Default: 1073741824 (1GiB)
	MaxResponseBody int64 `json:"max_response_body,omitempty"`

	// StreamThreshold is how much of an answer to transform chatgate holds
	// before it streams, in bytes. An answer that ends within it is
	// transformed whole and sent with a Content-Length (invalid JSON is a
	// clean 502); a longer one is transformed as it arrives, its first bytes
	// reaching the client before the backend's last, and ends abnormally if
	// it turns out invalid.
	// Caddyfile: stream_threshold <size>
	// Default: 65536 (64KiB)
	StreamThreshold int64 `json:"stream_threshold,omitempty"`

	// MaxSelect is the most paths a request's $select may hold; more is
	// answered 400.
	// Caddyfile: max_select <n>
	// Default: 256
	MaxSelect int `json:"max_select,omitempty"`

	// Agents map methods of the Agents/Chat agent to the backend's own
	// routes. A method's target is a path with an optional query, whose
	// {Param} placeholders are filled from the method's scalar parameters
	// (escaped as one path segment in the path, query-escaped in the query)
	// and {caller} with the caller's identity (without a known caller: 401).
	// Parameters the target does not use go in the body as the canonical
	// object (the entity itself for the Save methods; no body when none are
	// left), or with body the one named parameter's value alone. result
	// takes the answer from a field of the backend's JSON, such as data.
	// Caddyfile: agent <Method> <HTTP-METHOD> <target> [body <Param>] [result <path>] (repeatable)
	// Default: none (each method POSTed on its own path below APIPrefix, with the canonical body)
	Agents []AgentRoute `json:"agents,omitempty"`

	// ChatRoutes is shorthand for the Agents lines of the transfer trio:
	// keys are "transfer" (TransferChatSession), "accept"
	// (AcceptChatSessionTransfer) and "reject" (RejectChatSessionTransfer).
	// Caddyfile: chat_route transfer|accept|reject <METHOD> <path-template> (once per action)
	// Default: none
	ChatRoutes map[string]*Route `json:"chat_routes,omitempty"`

	// ExposeBackendRoutes lets clients call the backend routes that Agents
	// and ChatRoutes map directly. Off, a direct call of such a route with any
	// method but GET or HEAD is answered 404, so that no check of the Agents
	// endpoint can be skipped by going around it; and a path that a lenient
	// server would read as such a route (a ';' parameter, a trailing dot or
	// blank, '\' for '/', an encoded separator) is answered 400.
	// Caddyfile: expose_backend_routes
	// Default: false (direct calls refused)
	ExposeBackendRoutes bool `json:"expose_backend_routes,omitempty"`

	// SessionRoute is the backend route that returns one chat session as
	// JSON; its path may hold {ChatSessionId}. When set, the rules of the
	// reference pages hold at the gateway: the session is fetched first,
	// through the handlers after chatgate and with the caller's credentials,
	// and a transfer of a session whose User is not the caller, or an accept
	// or reject of a session whose TransferTo is not the caller, changes
	// nothing upstream and is answered 200 with the session as it is; a
	// PickUpChatSession of a session that is not InQueue changes nothing
	// and is answered 200 null. Without a known caller the transfer, accept
	// and reject rules cannot hold: 403.
	// Caddyfile: session_route <METHOD> <path-template>
	// Default: none (no rules; every valid request goes upstream)
	SessionRoute *Route `json:"session_route,omitempty"`

	// XMLRoots name the root element of XML answers by request path, for
	// answers other than the Agents endpoints' (named after the method's
	// return type).
	// The first entry whose path matches names it; an array's root is
	// ArrayOf<name>, with one <name> element per item.
	// Caddyfile: xml_root <path> <Name> (repeatable)
	// Default: none (ChatSessionEntity for every path)
	XMLRoots []XMLRoot `json:"xml_roots,omitempty"`

	gate           *auth.Gate
	origins        *corsPolicy // nil: no cors_origins
	locale         *locale.Locale
	base           *time.Location // locale.Base()
	prefix         string
	catalog        *agent.Catalog
	shapes         *agent.Shapes
	agentRoutes    map[*agent.Method]*agentRoute
	guardedRoutes  []*agent.Template // backend routes a client may not call directly
	sessionRoute   *agent.Template
	sessionMethod  string
	identityRoute  *agent.Template
	identityMethod string
	identities     *auth.Identities
	xmlRoots       []xmlRootMatcher
	selections     *selection.Cache
	metrics        *metrics
	logger         *zap.Logger
}

// BasicAccount is a user whose Basic password chatgate verifies.
type BasicAccount struct {
	// Username is the user name, compared exactly.
	Username string `json:"username"`

	// Hash is the hash of the password, as `chatgate hash-password` writes it:
	// bcrypt ($2a$, $2b$ or $2y$) or argon2id ($argon2id$v=19$...), of the
	// same algorithm and cost as every other account's.
	Hash string `json:"hash"`
}

// XMLRoot names the XML root element of answers to requests whose path
// matches.
type XMLRoot struct {
	// Path is matched as Caddy's path matcher matches: case-insensitively,
	// with * as a wildcard; "*" matches every path.
	Path string `json:"path"`

	// Name is the element name of one entity, such as ChatSessionEntity:
	// ASCII or Latin-1 letters, '_', then also digits, '-' and '.'.
	Name string `json:"name"`
}

// AgentRoute maps an Agents method to a route of the backend.
type AgentRoute struct {
	// Name is the method, as the catalogue names it (any case), such as
	// GetChatMessages.
	Name string `json:"name"`

	// Method is the HTTP method sent to the backend, in any case: GET,
	// HEAD, POST, PUT, PATCH or DELETE.
	Method string `json:"method"`

	// Target is the backend's path, with an optional query. {Param}
	// placeholders are filled from the method's parameters (escaped as one
	// path segment in the path, query-escaped in the query), {caller} with
	// the caller's identity.
	Target string `json:"target"`

	// Body, if set, names the one parameter whose value alone is the body.
	// Otherwise the parameters the target does not use go in the body as the
	// canonical object (the entity itself for the Save methods), and there
	// is no body when none are left.
	Body string `json:"body,omitempty"`

	// Result, if set, is the field of the backend's JSON answer that holds
	// the method's result, such as data; names separated by "." walk into
	// nested objects.
	Result string `json:"result,omitempty"`
}

// Route is a backend route: a method and a path template.
type Route struct {
	// Method is the HTTP method sent to the backend, in any case: GET,
	// HEAD, POST, PUT, PATCH or DELETE.
	Method string `json:"method"`

	// Path is the path template, such as
	// "/legacy/sessions/{ChatSessionId}/transfer?to={ToAssociate}".
	Path string `json:"path"`
}

// CaddyModule returns the Caddy module information.
func (Handler) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.chatgate",
		New: func() caddy.Module { return new(Handler) },
	}
}

// Provision fills in defaults and parses the route templates once.
func (h *Handler) Provision(ctx caddy.Context) error {
	h.logger = ctx.Logger()
	registerClientSocket(ctx)
	m, err := newMetrics(ctx.GetMetricsRegistry())
	if err != nil {
		return fmt.Errorf("registering metrics: %v", err)
	}
	h.metrics = m
	if h.APIPrefix == "" {
		h.APIPrefix = DefaultAPIPrefix
	}
	if h.XSRFCookie == "" {
		h.XSRFCookie = DefaultXSRFCookie
	}
	if h.IdentityHeader == "" {
		h.IdentityHeader = DefaultIdentityHeader
	}
	h.IdentityHeader = http.CanonicalHeaderKey(h.IdentityHeader)
	gate, err := h.provisionGate()
	if err != nil {
		return err
	}
	h.gate = gate
	if h.origins, err = newCORSPolicy(h.CORSOrigins); err != nil {
		return err
	}
	if err := h.provisionLocale(); err != nil {
		return err
	}
	h.prefix = strings.TrimRight(h.APIPrefix, "/")
	if h.MaxRequestBody == 0 {
		h.MaxRequestBody = DefaultMaxRequestBody
	}
	if h.MaxResponseBody == 0 {
		h.MaxResponseBody = DefaultMaxResponseBody
	}
	if h.StreamThreshold == 0 {
		h.StreamThreshold = DefaultStreamThreshold
	}
	if h.MaxSelect == 0 {
		h.MaxSelect = DefaultMaxSelect
	}
	h.selections = selection.NewCache(h.MaxSelect, selectionsKept)
	if err := h.provisionAgents(); err != nil {
		return err
	}
	if h.SessionRoute != nil {
		tmpl, method, err := h.SessionRoute.parse(sessionPlaceholder)
		if err != nil {
			return fmt.Errorf("session_route: %v", err)
		}
		h.sessionRoute, h.sessionMethod = tmpl, method
	}
	if h.IdentityRoute != nil {
		tmpl, method, err := h.IdentityRoute.parse(noPlaceholder)
		if err != nil {
			return fmt.Errorf("identity_route: %v", err)
		}
		h.identityRoute, h.identityMethod = tmpl, method
		if h.IdentityTTL == 0 {
			h.IdentityTTL = caddy.Duration(DefaultIdentityTTL)
		}
		h.identities = auth.NewIdentities(time.Duration(h.IdentityTTL), auth.DefaultIdentitiesKept)
	}
	return h.provisionXMLRoots(ctx)
}

// Validate checks the limits and the prefix.
func (h *Handler) Validate() error {
	if !strings.HasPrefix(h.APIPrefix, "/") {
		return fmt.Errorf("api_prefix %q must start with /", h.APIPrefix)
	}
	if h.MaxRequestBody < 0 {
		return fmt.Errorf("max_request_body must be positive")
	}
	if h.MaxResponseBody < 0 {
		return fmt.Errorf("max_response_body must be positive")
	}
	if h.StreamThreshold < 0 {
		return fmt.Errorf("stream_threshold must be positive")
	}
	if h.MaxSelect < 0 {
		return fmt.Errorf("max_select must be positive")
	}
	if h.IdentityTTL < 0 {
		return fmt.Errorf("identity_ttl must be positive")
	}
	return nil
}

// sessionPlaceholder accepts {ChatSessionId}, the session route's one
// placeholder; noPlaceholder accepts none.
func sessionPlaceholder(name string) (string, bool) {
	return "ChatSessionId", strings.EqualFold(name, "ChatSessionId")
}

func noPlaceholder(string) (string, bool) { return "", false }

func (r *Route) parse(placeholder func(string) (string, bool)) (*agent.Template, string, error) {
	if r == nil {
		return nil, "", fmt.Errorf("a route needs a method and a path")
	}
	method, ok := backendMethod(r.Method)
	if !ok {
		return nil, "", fmt.Errorf("method %q is not %s", r.Method, backendMethodsText)
	}
	tmpl, err := agent.ParseTemplate(r.Path, placeholder)
	if err != nil {
		return nil, "", err
	}
	return tmpl, method, nil
}

// backendMethods are the HTTP methods a backend route (agent, chat_route,
// session_route, identity_route) may use: those of a REST API. CONNECT,
// OPTIONS, TRACE and extension methods (FETCH, PROPFIND) carry no answer the
// gateway could shape, or none at all, so a route naming one is a config
// mistake.
var backendMethods = [...]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}

const backendMethodsText = "one of GET HEAD POST PUT PATCH DELETE"

// backendMethod upper-cases m and reports whether it is one of
// backendMethods.
func backendMethod(m string) (string, bool) {
	m = strings.ToUpper(m)
	return m, slices.Contains(backendMethods[:], m)
}

// isTokenChar reports whether c may stand in an HTTP token (RFC 9110 5.6.2).
func isTokenChar(c rune) bool {
	return c < 0x7f && c > ' ' && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c)
}

// Interface guards
var (
	_ caddy.Provisioner = (*Handler)(nil)
	_ caddy.Validator   = (*Handler)(nil)
)
