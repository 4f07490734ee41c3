package caddymodule

import (
	"net/http"
	"strings"

	"github.com/caddyserver/caddy/v2"

	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/locale"
)

// placeholders are the values of chatgate's placeholders for one request.
// Caddy's replacer asks lookup for them when a log field or another
// directive uses one, so a request pays for nothing it does not use. Every
// one is known from the start (empty until set), so that a header
// directive never shows a placeholder's name.
type placeholders struct {
	caller                         auth.Caller
	selectText, timezone, language string
}

// Placeholder names.
const (
	placeholderUser     = "http.chatgate.user"
	placeholderScheme   = "http.chatgate.auth_scheme"
	placeholderVerified = "http.chatgate.user_verified"
	placeholderSelect   = "http.chatgate.select"
	placeholderTimeZone = "http.chatgate.timezone"
	placeholderLanguage = "http.chatgate.language"
	placeholderUserID   = "http.auth.user.id" // Caddy's access log shows it as user_id
)

// register makes r's replacer ask p.
func (p *placeholders) register(r *http.Request) {
	if repl, ok := r.Context().Value(caddy.ReplacerCtxKey).(*caddy.Replacer); ok {
		repl.Map(p.lookup)
	}
}

func (p *placeholders) lookup(key string) (any, bool) {
	if !strings.HasPrefix(key, "http.") {
		return nil, false
	}
	switch key {
	case placeholderUser:
		return p.caller.User, true
	case placeholderScheme:
		return p.caller.Scheme.Name(), true
	case placeholderVerified:
		return p.caller.Verified, true
	case placeholderSelect:
		return p.selectText, true
	case placeholderTimeZone:
		return p.timezone, true
	case placeholderLanguage:
		return p.language, true
	case placeholderUserID:
		if p.caller.Verified {
			return p.caller.User, true
		}
	}
	return nil, false
}

// setTransform notes what the request asked of its answer: the decoded
// $select, the IANA name of its zone, the iso2 language of its texts.
func (p *placeholders) setTransform(selectText string, zone *locale.TimeZone, strs *locale.Rewriter) {
	p.selectText = selectText
	if zone != nil {
		p.timezone = zone.Location.String()
	}
	if strs != nil {
		p.language = strs.Language
	}
}
