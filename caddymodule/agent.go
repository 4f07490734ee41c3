package caddymodule

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/chat"
	"github.com/chatgate/chatgate/locale"
)

// agentRoute is an AgentRoute made ready.
type agentRoute struct {
	method string // HTTP
	target *agent.Template
	body   *agent.Param // nil: the canonical object
	result []string     // nil: the whole answer
}

// chatRouteMethods are the methods chat_route's actions stand for.
var chatRouteMethods = map[string]string{
	"transfer": "TransferChatSession",
	"accept":   "AcceptChatSessionTransfer",
	"reject":   "RejectChatSessionTransfer",
}

// provisionAgents readies the agent lines (chat_route lines are shorthand
// for three of them) and notes which backend routes clients may not call
// directly.
func (h *Handler) provisionAgents() error {
	h.catalog = agent.Chat()
	h.shapes = agent.NewShapes(h.catalog)
	h.agentRoutes = make(map[*agent.Method]*agentRoute)
	routes := append([]AgentRoute(nil), h.Agents...)
	for action, r := range h.ChatRoutes {
		name, ok := chatRouteMethods[strings.ToLower(action)]
		if !ok || r == nil {
			return fmt.Errorf("chat_route %q: the action must be transfer, accept or reject", action)
		}
		routes = append(routes, AgentRoute{Name: name, Method: r.Method, Target: r.Path})
	}
	for _, r := range routes {
		m, route, err := parseAgentRoute(h.catalog, r)
		if err != nil {
			return err
		}
		if _, dup := h.agentRoutes[m]; dup {
			return fmt.Errorf("agent %s is mapped twice", m.Name)
		}
		h.agentRoutes[m] = route
		if route.method != http.MethodGet && route.method != http.MethodHead {
			h.guardedRoutes = append(h.guardedRoutes, route.target)
		}
	}
	return nil
}

// parseAgentRoute checks an agent line against the catalogue.
func parseAgentRoute(c *agent.Catalog, r AgentRoute) (*agent.Method, *agentRoute, error) {
	m := c.Method(r.Name)
	if m == nil {
		return nil, nil, fmt.Errorf("agent %q is not a method of the %s agent", r.Name, c.Agent)
	}
	method, ok := backendMethod(r.Method)
	if !ok {
		return nil, nil, fmt.Errorf("agent %s: %q is not %s", m.Name, r.Method, backendMethodsText)
	}
	target, err := agent.ParseTemplate(r.Target, func(name string) (string, bool) {
		if strings.EqualFold(name, agent.Caller) {
			return agent.Caller, true
		}
		p := m.Param(name)
		if p == nil || !isScalar(p.Type) {
			return "", false
		}
		return p.Name, true
	})
	if err != nil {
		return nil, nil, fmt.Errorf("agent %s: %v (placeholders: %s)", m.Name, err, placeholderList(m))
	}
	route := &agentRoute{method: method, target: target}
	if r.Body != "" {
		if route.body = m.Param(r.Body); route.body == nil {
			return nil, nil, fmt.Errorf("agent %s: body %q is not a parameter of the method", m.Name, r.Body)
		}
	}
	if r.Result != "" {
		route.result = strings.Split(r.Result, ".")
		for _, name := range route.result {
			if name == "" {
				return nil, nil, fmt.Errorf("agent %s: result %q has an empty name", m.Name, r.Result)
			}
		}
	}
	return m, route, nil
}

// placeholderList names what an agent line's target may use.
func placeholderList(m *agent.Method) string {
	var names []string
	for _, p := range m.Params {
		if isScalar(p.Type) {
			names = append(names, "{"+p.Name+"}")
		}
	}
	return strings.Join(append(names, "{"+agent.Caller+"}"), " ")
}

func isScalar(t *agent.TypeRef) bool {
	return !t.Array && t.Type == nil && t.Scalar != agent.ScalarMap && t.Scalar != agent.ScalarObject
}

// serveAgent answers an Agents method: it checks the HTTP method, reads and
// checks the parameters, applies the session rules, and sends the
// canonical request to the backend. A refused request never reaches the
// backend.
func (h *Handler) serveAgent(x *exchange) error {
	w, r, next, m, caller := x.w, x.r, x.next, x.method, x.caller
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.fail(http.StatusMethodNotAllowed, m.Name+" accepts only POST")
		return nil
	}
	// RFC 9110 15.5.16: a content coding the server does not read is 415.
	if ce := contentCoding(r.Header); ce != "" && !strings.EqualFold(ce, "identity") {
		w.fail(http.StatusUnsupportedMediaType, "a Content-Encoding on the request body is not supported")
		return nil
	}
	body, status, msg := h.readRequestBody(r)
	if status != 0 {
		w.refuseRequestBody(status, msg)
		return nil
	}
	query, _ := url.ParseQuery(r.URL.RawQuery) // malformed pairs are the backend's business; well-formed ones count
	call, err := agent.Decode(m, r.Header.Get("Content-Type"), body, query, h.requestDates(x.zone))
	if err != nil {
		h.answerAgentError(w, err)
		return nil
	}
	if rule := chat.RuleOf(m.Name); rule != chat.NoRule && h.sessionRoute != nil {
		// The rules say whose session may change: without a known caller
		// they cannot hold, and nothing goes upstream.
		if rule.NeedsCaller() && caller.User == "" {
			w.fail(http.StatusForbidden, msgNoCaller)
			return nil
		}
		answered, err := h.applyRules(w, r, next, call, rule, caller.User)
		if answered || err != nil {
			return err
		}
	}
	up, err := h.upstreamAgentRequest(r, call, caller)
	if err != nil {
		h.answerAgentError(w, err)
		return nil
	}
	if c := h.logger.Check(zapcore.DebugLevel, "agent request to the backend"); c != nil {
		c.Write(zap.String("agent_method", m.Name), zap.String("method", up.Method), zap.String("path", up.URL.Path))
	}
	return serveNext(next, w, up)
}

// msgNoCaller refuses a rule-bound request from a caller chatgate cannot name.
const msgNoCaller = "the transfer rules need to know the caller: a ticket, token or XSRF session is named only with identity_route"

// requestDates converts a request's date-times for the backend: offset-less
// ones read in the client's SO-TimeZone zone (else the base zone), others at
// their own offset, all written as base-zone local time.
func (h *Handler) requestDates(zone *locale.TimeZone) agent.DateConverter {
	from := h.base
	if zone != nil {
		from = zone.Location
	}
	return func(dst, s []byte) ([]byte, bool) { return locale.AppendBaseTime(dst, s, from, h.base) }
}

// readRequestBody reads the whole body up to max_request_body. On failure it
// returns the status and message to answer with.
func (h *Handler) readRequestBody(r *http.Request) (body []byte, status int, message string) {
	tooLarge := fmt.Sprintf("the request body is larger than %d bytes", h.MaxRequestBody)
	if r.ContentLength > h.MaxRequestBody {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.MaxRequestBody+1))
	var maxBytes *http.MaxBytesError // a request_body limit before chatgate
	switch {
	case errors.As(err, &maxBytes):
		return nil, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxBytes.Limit)
	case err != nil:
		return nil, http.StatusBadRequest, "the request body could not be read"
	case int64(len(body)) > h.MaxRequestBody:
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	return body, 0, ""
}

// answerAgentError refuses a request whose parameters, or whose backend
// route, cannot be made into the backend's request.
func (h *Handler) answerAgentError(w *responseWriter, err error) {
	var e *agent.Error
	var missing *agent.MissingValueError
	switch {
	case errors.As(err, &missing) && missing.Name == agent.Caller:
		w.Header().Set("WWW-Authenticate", strings.Join(h.gate.Challenges(), ", "))
		w.fail(http.StatusUnauthorized, "this method's backend route needs to know the caller: a ticket, token or XSRF session is named only with identity_route")
	case errors.As(err, &missing):
		w.refuseRequestBody(http.StatusBadRequest, missing.Name+" is required by this method's backend route")
	case errors.As(err, &e):
		w.refuseRequestBody(e.StatusCode(), e.Message)
	default:
		w.refuseRequestBody(http.StatusBadRequest, "the request is not valid")
	}
}

// upstreamAgentRequest is r as the backend gets it: on the method's agent
// route, or else on its canonical path below api_prefix; with the canonical
// parameters; without the parameters' own query pairs. Other query
// parameters stay.
func (h *Handler) upstreamAgentRequest(r *http.Request, call *agent.Call, caller auth.Caller) (*http.Request, error) {
	up := r.Clone(r.Context())
	up.Header.Del("Expect") // the body has been read already
	up.Header.Del("Content-Encoding")
	dropMethodOverrides(up.Header)
	m := call.Method
	_, rest := splitQuery(r.URL.RawQuery, func(name string) bool { return m.Param(name) != nil })

	route := h.agentRoutes[m]
	var body []byte
	var hasBody bool
	if route == nil {
		up.URL.Path, up.URL.RawPath = h.prefix+"/Agents/"+h.catalog.Agent+"/"+m.Name, ""
		query := url.Values{}
		for _, p := range m.Params {
			if text, ok := call.Text(p.Name); ok && p.In == "query" {
				query.Set(p.Name, text)
			}
		}
		up.URL.RawQuery = joinQuery(query.Encode(), rest)
		up.Method = http.MethodPost
		body, hasBody = call.AppendBody(nil, func(p *agent.Param) bool { return p.In == "body" })
	} else {
		escaped, query, err := route.target.Expand(func(name string) (string, bool) {
			if name == agent.Caller {
				return caller.User, caller.User != ""
			}
			return call.Text(name)
		})
		if err != nil {
			return nil, err
		}
		if err := setEscapedPath(up.URL, escaped); err != nil {
			return nil, err
		}
		up.URL.RawQuery = joinQuery(query, rest)
		up.Method = route.method
		if route.body != nil {
			body, hasBody = call.Value(route.body)
		} else {
			body, hasBody = call.AppendBody(nil, func(p *agent.Param) bool { return !route.target.Uses(p.Name) })
		}
	}
	up.TransferEncoding = nil
	if hasBody {
		up.Body = io.NopCloser(bytes.NewReader(body))
		up.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		up.ContentLength = int64(len(body))
		up.Header.Set("Content-Type", "application/json")
		up.Header.Set("Content-Length", strconv.Itoa(len(body)))
	} else {
		up.Body, up.GetBody, up.ContentLength = http.NoBody, nil, 0
		up.Header.Del("Content-Type")
		up.Header.Del("Content-Length")
	}
	up.RequestURI = up.URL.RequestURI()
	return up, nil
}

// methodOverrides are the headers some frameworks read as the request's
// real method. chatgate decides the method of the requests it makes, so a
// backend that honours them must not see a client's.
var methodOverrides = []string{"X-Http-Method-Override", "X-Http-Method", "X-Method-Override"}

func dropMethodOverrides(h http.Header) {
	for _, name := range methodOverrides {
		delete(h, name)
	}
}

// setEscapedPath sets u's path from its escaped form, keeping RawPath only
// where it differs from the default encoding, as url.URL does.
func setEscapedPath(u *url.URL, escaped string) error {
	p, err := url.PathUnescape(escaped)
	if err != nil {
		return err
	}
	u.Path, u.RawPath = p, ""
	if u.EscapedPath() != escaped {
		u.RawPath = escaped
	}
	return nil
}

func joinQuery(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "&" + b
}

// answerVoid answers a void method: 204 with no body, whatever the
// backend's answer said.
func (rw *responseWriter) answerVoid() {
	w := rw.ResponseWriterWrapper.ResponseWriter
	hdr := w.Header()
	dropRepresentationHeaders(hdr)
	hdr.Del("Content-Type")
	hdr.Del("Content-Length")
	rw.answered = true
	if rw.cors {
		rw.ownCORS(hdr)
	}
	w.WriteHeader(http.StatusNoContent)
}
