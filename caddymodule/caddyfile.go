package caddymodule

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/dustin/go-humanize"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/locale"
)

func init() {
	caddy.RegisterModule(Handler{})
	httpcaddyfile.RegisterHandlerDirective("chatgate", parseCaddyfile)
	// Right after encode, where basic_auth and forward_auth sit: before handle,
	// handle_path, route, respond and reverse_proxy, so a site-level chatgate
	// guards every handler of its site.
	httpcaddyfile.RegisterDirectiveOrder("chatgate", httpcaddyfile.After, "encode")
}

func parseCaddyfile(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	var handler Handler
	err := handler.UnmarshalCaddyfile(h.Dispenser)
	return &handler, err
}

// UnmarshalCaddyfile sets up the handler from Caddyfile tokens. Syntax:
//
//	chatgate [<matcher>] {
//		auth_schemes      <scheme...>
//		xsrf_cookie       <name>|off
//		app_tokens        <token...>
//		basic_account     <user> <bcrypt-or-argon2id-hash>
//		identity_route    <METHOD> <path>
//		identity_ttl      <duration>
//		cors_origins      <origin...>|*
//		identity_header   <name>
//		base_timezone     <zone>
//		timezone_code     <code> <zone>
//		utc_fields        <name...>
//		offset_format     rfc3339|compact
//		text_fields       <name...>
//		default_language  <iso2>
//		language_code     <iso2> <CODE>
//		strings           <file>
//		api_prefix        <path>
//		max_request_body  <size>
//		max_response_body <size>
//		stream_threshold  <size>
//		max_select        <n>
//		agent             <Method> <HTTP-METHOD> <target> [body <Param>] [result <path>]
//		chat_route        transfer|accept|reject <METHOD> <path-template>
//		expose_backend_routes
//		session_route     <METHOD> <path-template>
//		xml_root          <path> <Name>
//	}
func (h *Handler) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next()                     // consume directive name
	var baseLine caddyfile.Token // the base_timezone line
	if d.NextArg() {
		return d.ArgErr()
	}
	for d.NextBlock(0) {
		switch d.Val() {
		case "auth_schemes":
			schemes := d.RemainingArgs()
			if len(schemes) == 0 {
				return d.ArgErr()
			}
			for _, name := range schemes {
				if _, ok := auth.ParseScheme(name); !ok {
					return d.Errf("auth_schemes: %q is not basic, soticket or bearer", name)
				}
			}
			h.AuthSchemes = append(h.AuthSchemes, schemes...)
		case "xsrf_cookie":
			if !d.Args(&h.XSRFCookie) || d.NextArg() {
				return d.ArgErr()
			}
		case "app_tokens":
			tokens := d.RemainingArgs()
			if len(tokens) == 0 {
				return d.ArgErr()
			}
			h.AppTokens = append(h.AppTokens, tokens...)
		case "basic_account":
			var a BasicAccount
			if !d.Args(&a.Username, &a.Hash) || d.NextArg() {
				return d.ArgErr()
			}
			// Provision checks all accounts again (for JSON too); these
			// so far, this one last, name its line.
			h.BasicAccounts = append(h.BasicAccounts, a)
			if cfg, err := h.gateConfig(); err == nil {
				if err := auth.CheckAccounts(cfg.Accounts); err != nil {
					return d.Errf("%v", err)
				}
			}
		case "identity_route":
			var method, path string
			if !d.Args(&method, &path) || d.NextArg() {
				return d.ArgErr()
			}
			if h.IdentityRoute != nil {
				return d.Err("identity_route is set twice")
			}
			route := &Route{Method: method, Path: path}
			if _, _, err := route.parse(noPlaceholder); err != nil {
				return d.Errf("identity_route: %v", err)
			}
			h.IdentityRoute = route
		case "identity_ttl":
			var arg string
			if !d.Args(&arg) || d.NextArg() {
				return d.ArgErr()
			}
			ttl, err := caddy.ParseDuration(arg)
			if err != nil || ttl <= 0 {
				return d.Errf("identity_ttl %q must be a positive duration, such as 1m or 30s", arg)
			}
			h.IdentityTTL = caddy.Duration(ttl)
		case "cors_origins":
			origins := d.RemainingArgs()
			if len(origins) == 0 {
				return d.ArgErr()
			}
			h.CORSOrigins = append(h.CORSOrigins, origins...)
			if _, err := newCORSPolicy(h.CORSOrigins); err != nil {
				return d.Err(err.Error())
			}
		case "identity_header":
			if !d.Args(&h.IdentityHeader) || d.NextArg() {
				return d.ArgErr()
			}
		case "base_timezone":
			if !d.Args(&h.BaseTimezone) || d.NextArg() {
				return d.ArgErr()
			}
			// It may name a timezone_code of a later line: checked after
			// the block, naming this line.
			baseLine = d.Token()
		case "timezone_code":
			var code, zone string
			if !d.Args(&code, &zone) || d.NextArg() {
				return d.ArgErr()
			}
			if _, err := locale.NewZones(map[string]string{code: zone}); err != nil {
				return d.Errf("%v", err)
			}
			if h.TimezoneCodes == nil {
				h.TimezoneCodes = make(map[string]string)
			}
			h.TimezoneCodes[code] = zone
		case "utc_fields":
			if h.UTCFields = d.RemainingArgs(); len(h.UTCFields) == 0 {
				return d.ArgErr()
			}
			if err := checkFields(h.UTCFields); err != nil {
				return d.Errf("utc_fields: %v", err)
			}
		case "offset_format":
			if !d.Args(&h.OffsetFormat) || d.NextArg() {
				return d.ArgErr()
			}
			if h.OffsetFormat != locale.OffsetRFC3339 && h.OffsetFormat != locale.OffsetCompact {
				return d.Errf("offset_format %q must be %s or %s", h.OffsetFormat, locale.OffsetRFC3339, locale.OffsetCompact)
			}
		case "text_fields":
			if h.TextFields = d.RemainingArgs(); len(h.TextFields) == 0 {
				return d.ArgErr()
			}
			if err := checkFields(h.TextFields); err != nil {
				return d.Errf("text_fields: %v", err)
			}
		case "default_language":
			if !d.Args(&h.DefaultLanguage) || d.NextArg() {
				return d.ArgErr()
			}
			if !locale.IsISO2(h.DefaultLanguage) {
				return d.Errf("default_language %q is not an iso2 language code, such as en or nb", h.DefaultLanguage)
			}
		case "language_code":
			var iso, code string
			if !d.Args(&iso, &code) || d.NextArg() {
				return d.ArgErr()
			}
			if !locale.IsISO2(iso) || !locale.IsISO2(code) {
				return d.Errf("language_code %s %s: want an iso2 language and a two-letter code, such as de GE", iso, code)
			}
			if h.LanguageCodes == nil {
				h.LanguageCodes = make(map[string]string)
			}
			h.LanguageCodes[iso] = code
		case "strings":
			if !d.Args(&h.StringsFile) || d.NextArg() {
				return d.ArgErr()
			}
			// Read now too, so that adapt and editors see a missing or
			// malformed file on this line; Provision reads it again.
			if _, err := locale.NewLanguages("", nil, h.StringsFile); err != nil {
				return d.Errf("%v", err)
			}
		case "api_prefix":
			var prefix string
			if !d.Args(&prefix) || d.NextArg() {
				return d.ArgErr()
			}
			if !strings.HasPrefix(prefix, "/") {
				return d.Errf("api_prefix %q must start with /", prefix)
			}
			h.APIPrefix = prefix
		case "max_request_body":
			size, err := parseSize(d)
			if err != nil {
				return err
			}
			h.MaxRequestBody = size
		case "max_response_body":
			size, err := parseSize(d)
			if err != nil {
				return err
			}
			h.MaxResponseBody = size
		case "stream_threshold":
			size, err := parseSize(d)
			if err != nil {
				return err
			}
			h.StreamThreshold = size
		case "max_select":
			var arg string
			if !d.Args(&arg) || d.NextArg() {
				return d.ArgErr()
			}
			n, err := strconv.Atoi(arg)
			if err != nil || n < 1 {
				return d.Errf("max_select %q must be a whole number of at least 1", arg)
			}
			h.MaxSelect = n
		case "agent":
			route, err := parseAgentLine(d)
			if err != nil {
				return err
			}
			h.Agents = append(h.Agents, route)
		case "chat_route":
			var action, method, path string
			if !d.Args(&action, &method, &path) || d.NextArg() {
				return d.ArgErr()
			}
			action = strings.ToLower(action)
			name, ok := chatRouteMethods[action]
			if !ok {
				return d.Errf("chat_route action %q must be transfer, accept or reject", action)
			}
			if _, dup := h.ChatRoutes[action]; dup {
				return d.Errf("chat_route %s is set twice", action)
			}
			if _, _, err := parseAgentRoute(agent.Chat(), AgentRoute{Name: name, Method: method, Target: path}); err != nil {
				return d.Errf("chat_route %s: %v", action, err)
			}
			if h.ChatRoutes == nil {
				h.ChatRoutes = make(map[string]*Route)
			}
			h.ChatRoutes[action] = &Route{Method: method, Path: path}
		case "expose_backend_routes":
			if d.NextArg() {
				return d.ArgErr()
			}
			h.ExposeBackendRoutes = true
		case "session_route":
			var method, path string
			if !d.Args(&method, &path) || d.NextArg() {
				return d.ArgErr()
			}
			if h.SessionRoute != nil {
				return d.Err("session_route is set twice")
			}
			route := &Route{Method: method, Path: path}
			if _, _, err := route.parse(sessionPlaceholder); err != nil {
				return d.Errf("session_route: %v", err)
			}
			h.SessionRoute = route
		case "xml_root":
			var root XMLRoot
			if !d.Args(&root.Path, &root.Name) || d.NextArg() {
				return d.ArgErr()
			}
			if err := root.check(); err != nil {
				return d.Err(err.Error())
			}
			h.XMLRoots = append(h.XMLRoots, root)
		default:
			return d.Errf("unknown subdirective %q", d.Val())
		}
	}
	if h.BaseTimezone != "" {
		zones, err := locale.NewZones(h.TimezoneCodes)
		if err == nil {
			_, err = zones.Resolve(h.BaseTimezone)
		}
		if err != nil {
			at := caddyfile.NewDispenser([]caddyfile.Token{baseLine})
			at.Next()
			return at.Errf("base_timezone: %v", err)
		}
	}
	return nil
}

// checkFields checks a utc_fields or text_fields list: +Name adds to the
// defaults, and needs a name.
func checkFields(names []string) error {
	for _, n := range names {
		if n == "+" {
			return fmt.Errorf("+ needs a name, such as +Created")
		}
	}
	return nil
}

// parseSize reads one size argument such as 64KiB, 1MB or 65536.
func parseSize(d *caddyfile.Dispenser) (int64, error) {
	name := d.Val()
	var arg string
	if !d.Args(&arg) || d.NextArg() {
		return 0, d.ArgErr()
	}
	size, err := humanize.ParseBytes(arg)
	if err != nil || size == 0 || size > 1<<40 {
		return 0, d.Errf("%s %q must be a size from 1 byte to 1TiB, such as 64KiB", name, arg)
	}
	return int64(size), nil
}

// parseAgentLine reads "agent <Method> <HTTP-METHOD> <target> [body <Param>]
// [result <path>]" and checks it against the catalogue as Provision will,
// so that a mistake is reported with the Caddyfile's file and line.
func parseAgentLine(d *caddyfile.Dispenser) (AgentRoute, error) {
	var r AgentRoute
	if !d.Args(&r.Name, &r.Method, &r.Target) {
		return r, d.ArgErr()
	}
	for d.NextArg() {
		switch option := d.Val(); option {
		case "body", "result":
			var value string
			if !d.Args(&value) {
				return r, d.ArgErr()
			}
			if option == "body" {
				r.Body = value
			} else {
				r.Result = value
			}
		default:
			return r, d.Errf("agent %s: unknown option %q; use body <Param> or result <path>", r.Name, option)
		}
	}
	if _, _, err := parseAgentRoute(agent.Chat(), r); err != nil {
		return r, d.Err(err.Error())
	}
	return r, nil
}

// Interface guards
var _ caddyfile.Unmarshaler = (*Handler)(nil)
