package caddymodule

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/chatgate/chatgate/agent"
)

// Messages of the path guard's refusals.
const (
	msgBackendRoute   = "not found: this backend route is reached through the Agents endpoint"
	msgOddSpelling    = "the request path spells a guarded route with a ';' parameter, a trailing dot or blank, '\\' for '/', or an encoded separator"
	msgPrefixedAgents = "not found: the Agents endpoints are reached at their own path, not below another"
)

// guardPaths keeps clients to the one way into each guarded route. The
// backend routes that agent and chat_route lines map (those changing something: any
// method but GET and HEAD) answer 404 when called directly, unless
// expose_backend_routes: calling them directly would skip every check of the
// Agents endpoint. And a path that only a lenient server reads as a guarded
// route (an Agents endpoint or such a backend route) is refused with 400,
// never passed on: Tomcat drops ";" parameters, IIS trims trailing dots and
// reads "\" as "/", and a proxy may decode "%2F". A handler after chatgate
// may strip a prefix from the path before the backend sees it (handle_path,
// uri strip_prefix), so a guarded route or an Agents endpoint below any
// prefix counts as one: the Agents endpoints are reached at their own path
// only. It reports whether the request may go on.
func (h *Handler) guardPaths(x *exchange) bool {
	w, r := x.w, x.r
	escaped := r.URL.EscapedPath()
	if agent.IsPlainPath(escaped) {
		switch {
		case h.isPrefixedAgentsEndpoint(r.URL.Path):
			w.fail(http.StatusNotFound, msgPrefixedAgents)
			return false
		case h.guardsBackendRoutes() && !safeMethod(r) && h.isGuardedBackendRoute(r.URL.Path):
			w.fail(http.StatusNotFound, msgBackendRoute)
			return false
		}
		return true
	}
	lenient := agent.Lenient(escaped)
	if h.isAgentsEndpoint(lenient) || (h.guardsBackendRoutes() && h.isGuardedBackendRoute(lenient)) {
		w.fail(http.StatusBadRequest, msgOddSpelling)
		return false
	}
	return true
}

// pathAndSuffixes calls match with p and with each of its tails that
// begins at a '/' (p without its first segment, its first two...), until
// match reports true; it reports whether one did.
func pathAndSuffixes(p string, match func(string) bool) bool {
	for {
		if match(p) {
			return true
		}
		i := strings.IndexByte(p[min(1, len(p)):], '/')
		if i < 0 {
			return false
		}
		p = p[1+i:]
	}
}

// isAgentsEndpoint reports an Agents endpoint at p or below a prefix of it.
func (h *Handler) isAgentsEndpoint(p string) bool {
	return pathAndSuffixes(p, func(q string) bool {
		_, ok := h.catalog.Endpoint(h.prefix, q)
		return ok
	})
}

// isPrefixedAgentsEndpoint reports an Agents endpoint below a prefix of p
// (not at p itself).
func (h *Handler) isPrefixedAgentsEndpoint(p string) bool {
	if _, ok := h.catalog.Endpoint(h.prefix, p); ok {
		return false
	}
	return h.isAgentsEndpoint(p)
}

func (h *Handler) guardsBackendRoutes() bool {
	return !h.ExposeBackendRoutes && len(h.guardedRoutes) > 0
}

// isGuardedBackendRoute reports a guarded backend route at p or below a
// prefix of it.
func (h *Handler) isGuardedBackendRoute(p string) bool {
	return pathAndSuffixes(p, func(q string) bool {
		for _, t := range h.guardedRoutes {
			if t.MatchesPath(q) {
				return true
			}
		}
		return false
	})
}

// safeMethod reports a GET or HEAD that no method override turns into
// another method on a backend that honours one: a header, or a query
// parameter (_method, as Rails and Laravel read it, or a header's name).
func safeMethod(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, name := range methodOverrides {
		if _, ok := r.Header[name]; ok {
			return false
		}
	}
	return r.URL.RawQuery == "" || !overridesInQuery(r.URL.RawQuery)
}

// overridesInQuery reports a query parameter that some framework reads as
// the request's method, its name in any case.
func overridesInQuery(rawQuery string) bool {
	for pair := range strings.SplitSeq(rawQuery, "&") {
		name, _, _ := strings.Cut(pair, "=")
		if unescaped, err := url.QueryUnescape(name); err == nil {
			name = unescaped
		}
		if strings.EqualFold(name, "_method") {
			return true
		}
		for _, header := range methodOverrides {
			if strings.EqualFold(name, header) {
				return true
			}
		}
	}
	return false
}
