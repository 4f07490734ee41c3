package caddymodule

import (
	"errors"
	"maps"
	"net"
	"net/http"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/format"
	"github.com/chatgate/chatgate/internal/jsonpass"
)

// statusClientClosed is the status Caddy gives a request whose client went
// away; there is nobody left to answer.
const statusClientClosed = 499

// ServeHTTP runs the request through the pipeline's stages, in the order
// a request meets them: cors (browser preflights), authenticate (the gate),
// guardPaths (the one way into each guarded route), identify and admit (the
// caller's name), route (which Agents method, if any), plan (what the
// answer needs), then the Agents endpoint or the handlers after chatgate,
// and finish (the transformed or failed answer). Each stage reports whether
// the request goes on; one that answers it ends it.
//
// It never returns an error to Caddy: Caddy would log the request as it
// arrived, with the X-XSRF-TOKEN and SO-AppToken headers it does not
// redact. Every failure is answered and logged here instead.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	rw := newResponseWriter(w, format.Negotiate(r.Header["Accept"]), h.MaxResponseBody, h.metrics)
	rw.threshold = h.StreamThreshold
	defer rw.release()
	rw.placeholders.register(r)
	x := &exchange{w: rw, r: r, next: next}
	if h.cors(x) && h.authenticate(x) && h.guardPaths(x) && h.identify(x) && h.admit(x) && h.route(x) && h.plan(x) {
		h.finish(x, h.forward(x))
	}
	if rw.refusedStatus != 0 {
		h.logger.Info("request refused", zap.Int("status", rw.refusedStatus), zap.String("reason", rw.refusedReason),
			zap.String("method", r.Method), zap.String("path", r.URL.Path))
	}
	return nil
}

// route is the stage that finds the Agents method an endpoint's path names;
// a method the catalogue does not have is 404, never passed on.
func (h *Handler) route(x *exchange) bool {
	name, isAgent := h.catalog.Endpoint(h.prefix, x.r.URL.Path)
	if !isAgent {
		return true
	}
	if x.method = h.catalog.Method(name); x.method == nil {
		x.w.fail(http.StatusNotFound, "the "+h.catalog.Agent+" agent has no such method")
		return false
	}
	x.w.returns = x.method.Returns
	return true
}

// plan is the stage that reads what the request asks of its answer
// ($select, SO-TimeZone, a language, XML; for an agent call, shaping) and
// takes what chatgate handles out of the request passed on; other JSON
// bodies get their dates moved into base_timezone.
func (h *Handler) plan(x *exchange) bool {
	t, zone, r, err := h.planTransform(x.r, x.w.answer, x.method, &x.w.placeholders)
	if err != nil {
		x.w.fail(http.StatusBadRequest, err.Error())
		return false
	}
	x.r, x.zone, x.w.transform = r, zone, t
	if t != nil {
		t.client = clientSocket(r)
	}
	if zone != nil && x.method == nil {
		var status int
		if x.r, status, err = h.convertRequestDates(x.r, zone); err != nil {
			x.w.refuseRequestBody(status, err.Error())
			return false
		}
	}
	return true
}

// forward answers an agent call, or passes the request to the handlers
// after chatgate.
func (h *Handler) forward(x *exchange) error {
	if x.method != nil {
		return h.serveAgent(x)
	}
	if x.w.transform == nil || !x.w.transform.rangePassed {
		return serveNext(x.next, x.w, x.r)
	}
	header := x.w.Header().Clone() // as the handlers before chatgate left it
	if err := serveNext(x.next, x.w, x.r); !x.w.askAgain {
		return err
	}
	// The range was of JSON to transform: the whole answer, from the
	// header as it was before.
	rw := x.w
	rw.askAgain, rw.holding, rw.discard, rw.tooLarge, rw.status, rw.discarded = false, false, false, false, 0, 0
	clear(rw.Header())
	maps.Copy(rw.Header(), header)
	whole := x.r.WithContext(x.r.Context())
	whole.Header = x.r.Header.Clone()
	whole.Header.Del("Range")
	whole.Header.Del("If-Range")
	x.r = whole
	return serveNext(x.next, rw, x.r)
}

// finish completes the answer: a held answer is transformed, and a failure
// of the handlers after chatgate that the client has not yet seen any of
// gets the error body.
func (h *Handler) finish(x *exchange, err error) {
	r, rw := x.r, x.w
	switch {
	case rw.stream != nil:
		h.endStream(rw, r, err)
	case rw.capturing:
		// The backend's error answer, whole or as far as chatgate reads
		// it: an abort past that point changes nothing.
		h.answerBackendStatus(rw, r, rw.returns, rw.status, rw.Header(), rw.body.Bytes())
	case rw.tooLarge:
		h.logger.Error(msgAnswerTooLarge, zap.Int64("max_response_body", h.MaxResponseBody), zap.String("path", r.URL.Path))
		rw.refuseAnswer(causeTooLarge, msgAnswerTooLarge)
	case err != nil && rw.holding && clientGone(r):
		h.clientWentAway(r)
	case err != nil && rw.holding:
		h.logger.Error("the backend broke off its answer", zap.String("path", r.URL.Path), zap.Error(err))
		rw.fail(http.StatusBadGateway, "the backend broke off its answer")
	case err != nil && !rw.answered:
		h.answerHandlerError(rw, r, err)
	case err != nil:
		// Too late for an error body: the answer ends where it broke off.
		h.logger.Error("the answer failed after it began", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	case rw.holding:
		h.answerHeld(rw, r)
	}
}

// endStream ends a streamed answer at the backend's end (err: how the
// handlers after chatgate ended). A failure before any byte went out (an
// answer within stream_threshold, or one whose first bytes were invalid)
// is a clean 502; after, the answer ends abnormally: the connection
// closes before the last chunk (HTTP/1.1), the stream is reset (HTTP/2).
func (h *Handler) endStream(rw *responseWriter, r *http.Request, err error) {
	s := rw.stream
	serr := s.close(err)
	cause, message := causeInvalid, msgInvalidJSON
	switch {
	case errors.Is(serr, errNothingThere):
		h.answerNotFound(rw, r, rw.returns)
		return
	case serr != nil && !s.sent.Load() && clientGone(r):
		// The backend's answer was cut because the client went away: no
		// failure of the backend's, and no one to answer.
		h.clientWentAway(r)
		return
	case serr == nil:
		took := time.Since(s.start)
		rw.metrics.duration.Observe(took.Seconds())
		for kind, counter := range rw.metrics.transformed {
			if rw.transform.does(kind) {
				counter.Inc()
			}
		}
		if c := h.logger.Check(zapcore.DebugLevel, "answer transformed"); c != nil {
			c.Write(zap.Strings("kinds", rw.transform.kinds()), zap.Int64("bytes_in", s.written), zap.Bool("streamed", !s.undecided),
				zap.Duration("took", took), zap.String("path", r.URL.Path))
		}
		return
	case errors.Is(serr, errBodyTooLarge):
		cause, message = causeTooLarge, msgAnswerTooLarge
	case errors.Is(serr, errUnsupportedCoding):
		message = msgUnreadableCoding
	case errors.Is(serr, jsonpass.ErrInvalidJSON):
	case agentAnswerMessage(serr) != "":
		message = agentAnswerMessage(serr)
	case errors.Is(serr, errAborted) || err != nil && !s.refused:
		// The backend's side failed first. (When the stream failed first, as a
		// decoder does on corrupt data, reverse_proxy's abort that follows is
		// not the backend breaking off.)
		message = "the backend broke off its answer"
	default:
		message = "the backend's answer could not be decoded from its Content-Encoding"
	}
	h.logger.Error(message, zap.String("path", r.URL.Path), zap.Bool("began", s.sent.Load()), zap.Error(serr))
	if !s.sent.Load() {
		rw.refuseAnswer(cause, message)
		return
	}
	rw.metrics.bodies.WithLabelValues(bodyResponse, cause).Inc()
	abort(rw, r)
}

// agentAnswerMessage is the error message for an agent answer the
// method's terms cannot read (its result field missing or there twice, its
// text in a charset chatgate does not read, its value of another kind than
// the method returns, a property there twice in some spelling), or "" for
// another error.
func agentAnswerMessage(err error) string {
	var (
		resultErr *agent.ResultError
		textErr   *agent.TextError
		kindErr   *agent.KindError
		twiceErr  *jsonpass.TwiceError
	)
	switch {
	case errors.As(err, &twiceErr):
		return twiceErr.Error()
	case errors.As(err, &resultErr):
		return resultErr.Error()
	case errors.As(err, &textErr):
		return textErr.Error()
	case errors.As(err, &kindErr):
		return kindErr.Error()
	}
	return ""
}

// abort ends an answer that began abnormally, as net/http's proxy does:
// the connection closes before the last chunk (HTTP/1.1), the stream is
// reset (HTTP/2). An HTTP/1.0 answer has no end but the connection's
// close, so a normal close would read as a complete answer: its
// connection is reset instead (a TCP RST).
func abort(rw *responseWriter, r *http.Request) {
	if !r.ProtoAtLeast(1, 1) {
		resetConnection(rw.ResponseWriterWrapper.ResponseWriter)
	}
	panic(http.ErrAbortHandler)
}

// resetConnection takes the connection from the server and closes it with
// a reset.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if wrapped, ok := conn.(interface{ NetConn() net.Conn }); ok { // TLS
		conn = wrapped.NetConn()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// answerHandlerError answers an error of the handlers after chatgate, which
// have sent nothing yet, with the contract's error body, and logs it
// without the request's headers.
func (h *Handler) answerHandlerError(rw *responseWriter, r *http.Request, err error) {
	status := http.StatusBadGateway
	var he caddyhttp.HandlerError
	if errors.As(err, &he) && he.StatusCode != 0 {
		status = he.StatusCode
	}
	if status == statusClientClosed || clientGone(r) {
		h.clientWentAway(r)
		return
	}
	h.logger.Error("request to the backend failed",
		zap.Int("status", status), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	rw.fail(status, upstreamMessage(status))
}

// clientGone reports a request whose client went away (its context ended).
func clientGone(r *http.Request) bool { return r.Context().Err() != nil }

// clientWentAway notes, at debug level, a request whose client went away
// before its answer: nothing is answered, counted or logged as a failure.
func (h *Handler) clientWentAway(r *http.Request) {
	if c := h.logger.Check(zapcore.DebugLevel, "the client went away"); c != nil {
		c.Write(zap.String("method", r.Method), zap.String("path", r.URL.Path))
	}
}

// errAborted stands for reverse_proxy's abort of a response it could not
// finish: the backend broke off, or the writer refused more body.
var errAborted = errors.New("the response was aborted before its end")

// serveNext calls next. reverse_proxy aborts a response it cannot finish by
// panicking with http.ErrAbortHandler (as net/http's proxy does). While rw
// still holds the whole answer (or captures an error answer), nothing has
// reached the client, so that is an error chatgate can answer; once the
// answer streams, the abort goes on.
func serveNext(next caddyhttp.Handler, rw *responseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as is
				panic(p)
			}
			if !rw.holding && !rw.capturing && !rw.unsent() {
				abort(rw, r)
			}
			err = errAborted
		}
	}()
	return next.ServeHTTP(rw, r)
}

// serveHeld calls next with a writer that keeps the whole answer to itself
// (the session lookup), turning reverse_proxy's abort into errAborted.
func serveHeld(next caddyhttp.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as is
				panic(p)
			}
			err = errAborted
		}
	}()
	return next.ServeHTTP(w, r)
}

// Interface guards
var _ caddyhttp.MiddlewareHandler = (*Handler)(nil)
