package caddymodule

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/chat"
)

// applyRules fetches the session through the handlers after chatgate and,
// where the reference pages say "nothing happens", answers as the method
// does then: 200 with the session as it is (transfer, accept, reject), or
// 200 null (a pickup of a session not in the queue). That answer is shaped
// and transformed as the method's answer is. It reports whether it
// answered; if not, the request may go upstream.
//
// A session lookup the backend refuses is the answer to a request about
// that session, in the agent's terms (answerBackendStatus): a 404 is 200
// null (no such session), a redirect a 502, a 401, 403 or 5xx the error
// body with the backend's status and message. Only chat.MaxErrorBody of a refusal is read.
func (h *Handler) applyRules(w *responseWriter, r *http.Request, next caddyhttp.Handler, call *agent.Call, rule chat.Rule, caller string) (bool, error) {
	lookup, err := h.sessionRequest(r, call)
	if err != nil {
		h.answerAgentError(w, err)
		return true, nil
	}
	limit := min(h.MaxResponseBody, maxSessionAnswer)
	rec := &bodyRecorder{header: make(http.Header), limit: limit}
	err = serveHeld(next, rec, lookup)
	switch {
	case rec.tooLarge:
		h.logger.Error(msgSessionTooLarge, zap.Int64("limit", limit), zap.String("path", r.URL.Path))
		w.refuseAnswer(causeTooLarge, msgSessionTooLarge)
		return true, nil
	case err != nil && rec.status == 0:
		h.answerHandlerError(w, r, err)
		return true, nil
	case rec.status >= 300:
		// An abort past what chatgate reads of a refusal changes nothing.
		for _, name := range []string{"WWW-Authenticate", "Retry-After"} {
			if v := rec.header.Values(name); len(v) > 0 {
				w.Header()[name] = v
			}
		}
		h.answerBackendStatus(w, r, call.Method.Returns, rec.status, rec.header, rec.body.Bytes())
		return true, nil
	case err != nil:
		h.logger.Error("session lookup failed mid-response", zap.Error(err))
		w.fail(http.StatusBadGateway, "the backend broke off the session lookup")
		return true, nil
	case rec.status < 200: // no answer at all
		w.fail(http.StatusBadGateway, "the backend did not answer the session lookup")
		return true, nil
	}

	session, err := decodeContent(contentCoding(rec.header), rec.body.Bytes(), limit)
	if errors.Is(err, errBodyTooLarge) {
		h.logger.Error(msgSessionTooLarge, zap.Int64("limit", limit), zap.String("path", r.URL.Path))
		w.refuseAnswer(causeTooLarge, msgSessionTooLarge)
		return true, nil
	}
	if err != nil {
		h.logger.Error("session lookup answered with a body chatgate cannot read", zap.Error(err))
		w.refuseAnswer(causeInvalid, "the backend answered the session lookup with a body chatgate cannot read")
		return true, nil
	}
	allowed, err := rule.Holds(session, caller, h.inQueue)
	if err != nil {
		h.logger.Error("session lookup answered with something other than a JSON object")
		w.refuseAnswer(causeInvalid, "the backend answered the session lookup with something other than a JSON object")
		return true, nil
	}
	if c := h.logger.Check(zapcore.DebugLevel, "transfer rules applied"); c != nil {
		c.Write(zap.String("agent_method", call.Method.Name), zap.Bool("goes_upstream", allowed))
	}
	if allowed {
		return false, nil
	}
	if rule == chat.Queued {
		session = []byte("null") // "NULL if the session was not in the queue"
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(session)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(session)
	return true, nil
}

// sessionRequest is the session lookup: the session_route with the caller's
// own headers (credentials included), no body, and none of the original
// request's body or condition headers.
func (h *Handler) sessionRequest(r *http.Request, call *agent.Call) (*http.Request, error) {
	sub := lookupRequest(r, h.sessionMethod)
	escaped, query, err := h.sessionRoute.Expand(call.Text) // {ChatSessionId} is digits: never a dot segment
	if err != nil {
		return nil, err
	}
	_ = setEscapedPath(sub.URL, escaped) // the template's literals were checked at provision
	sub.URL.RawQuery = query
	sub.RequestURI = sub.URL.RequestURI()
	return sub, nil
}

// inQueue reports whether a session's Status is InQueue: the member name
// (any case) or, from a backend that writes enums as numbers, its value.
func (h *Handler) inQueue(status gjson.Result) bool {
	e := h.catalog.Enum("ChatSessionStatus")
	queued, _ := e.Value("InQueue")
	switch status.Type {
	case gjson.String:
		v, ok := e.Value(status.Str)
		return ok && v == queued
	case gjson.Number:
		return status.Raw == strconv.FormatInt(queued, 10)
	}
	return false
}

// lookupRequest is a request chatgate makes of the backend on the caller's
// behalf (a session or identity lookup): r's headers, credentials included,
// with method, no body, no condition or range headers, no method override,
// asking for JSON. The caller sets its URL.
func lookupRequest(r *http.Request, method string) *http.Request {
	sub := r.Clone(r.Context())
	sub.Method = method
	sub.Body, sub.GetBody, sub.ContentLength, sub.TransferEncoding = http.NoBody, nil, 0, nil
	for _, name := range []string{
		"Content-Type", "Content-Length", "Content-Encoding", "Expect", "Transfer-Encoding",
		"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range", "Range",
	} {
		sub.Header.Del(name)
	}
	dropMethodOverrides(sub.Header)
	sub.Header.Set("Accept", "application/json")
	return sub
}

// maxSessionAnswer bounds the session lookup's answer, decoded or not (or
// max_response_body, if less): a session is read whole, and one entity
// is about a kilobyte, where max_response_body bounds streamed answers of
// any length.
const maxSessionAnswer = 1 << 20

const msgSessionTooLarge = "the session from the backend is larger than chatgate reads of one (1 MiB, or max_response_body if less)"

// errBodyTooLarge stops a handler that writes more than a bodyRecorder keeps.
var errBodyTooLarge = errors.New("response body is larger than max_response_body")

// bodyRecorder keeps a whole response, up to limit bytes of body (of an
// error answer, up to chat.MaxErrorBody), for chatgate to read. 1xx
// responses are passed over.
type bodyRecorder struct {
	header   http.Header
	status   int
	body     bytes.Buffer
	limit    int64
	tooLarge bool
}

func (rec *bodyRecorder) Header() http.Header { return rec.header }

func (rec *bodyRecorder) WriteHeader(status int) {
	if rec.status == 0 && status >= http.StatusOK {
		rec.status = status
	}
}

func (rec *bodyRecorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status >= 400 { // bounded by chat.MaxErrorBody, not limit
		if room := chat.MaxErrorBody - rec.body.Len(); len(p) > room {
			rec.body.Write(p[:room])
			return room, errErrorBodyRead
		}
		return rec.body.Write(p)
	}
	if int64(rec.body.Len()+len(p)) > rec.limit {
		rec.tooLarge = true
		return 0, errBodyTooLarge
	}
	return rec.body.Write(p)
}

// Flush is a no-op: the whole body is kept anyway.
func (rec *bodyRecorder) Flush() {}
