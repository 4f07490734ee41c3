package caddymodule

import (
	"net/http"

	"github.com/chatgate/chatgate/agent"
)

// Messages of the path guard's refusals.
const (
	msgBackendRoute = "not found: this backend route is reached through the Agents endpoint"
	msgOddSpelling  = "the request path spells a guarded route with a ';' parameter, a trailing dot or blank, '\\' for '/', or an encoded separator"
)

// guardPaths keeps clients to the one way into each guarded route. The
// backend routes that agent and chat_route lines map (those changing something: any
// method but GET and HEAD) answer 404 when called directly, unless
// expose_backend_routes: calling them directly would skip every check of the
// Agents endpoint. And a path that only a lenient server reads as a guarded
// route (an Agents endpoint or such a backend route) is refused with 400,
// never passed on: Tomcat drops ";" parameters, IIS trims trailing dots and
// reads "\" as "/", and a proxy may decode "%2F". It reports whether the
// request may go on.
func (h *Handler) guardPaths(x *exchange) bool {
	w, r := x.w, x.r
	escaped := r.URL.EscapedPath()
	if agent.IsPlainPath(escaped) {
		if h.guardsBackendRoutes() && !safeMethod(r) && h.isGuardedBackendRoute(r.URL.Path) {
			w.fail(http.StatusNotFound, msgBackendRoute)
			return false
		}
		return true
	}
	lenient := agent.Lenient(escaped)
	if _, isAgents := h.catalog.Endpoint(h.prefix, lenient); isAgents || (h.guardsBackendRoutes() && h.isGuardedBackendRoute(lenient)) {
		w.fail(http.StatusBadRequest, msgOddSpelling)
		return false
	}
	return true
}

func (h *Handler) guardsBackendRoutes() bool {
	return !h.ExposeBackendRoutes && len(h.guardedRoutes) > 0
}

func (h *Handler) isGuardedBackendRoute(p string) bool {
	for _, t := range h.guardedRoutes {
		if t.MatchesPath(p) {
			return true
		}
	}
	return false
}

// safeMethod reports a GET or HEAD that no method override header turns into
// another method on a backend that honours one.
func safeMethod(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, name := range methodOverrides {
		if _, ok := r.Header[name]; ok {
			return false
		}
	}
	return true
}
