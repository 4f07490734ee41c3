package caddymodule

import (
	"errors"
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

// ServeHTTP answers browser preflights (with cors_origins), checks the
// caller's credentials, reads what the request asks of its answer, answers
// the chat endpoints, passes every other request on, and transforms the
// answer in one pass when it was asked to.
//
// It never returns an error to Caddy: Caddy would log the request as it
// arrived, with the X-XSRF-TOKEN and SO-AppToken headers it does not
// redact. Every failure is answered and logged here instead.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	rw := newResponseWriter(w, format.Negotiate(r.Header["Accept"]), h.MaxResponseBody, h.metrics)
	rw.threshold = h.StreamThreshold
	defer rw.release()
	rw.placeholders.register(r)
	h.serve(rw, r, next)
	if rw.refusedStatus != 0 {
		h.logger.Info("request refused", zap.Int("status", rw.refusedStatus), zap.String("reason", rw.refusedReason),
			zap.String("method", r.Method), zap.String("path", r.URL.Path))
	}
	return nil
}

func (h *Handler) serve(rw *responseWriter, r *http.Request, next caddyhttp.Handler) {
	if h.origins != nil && h.cors(rw, r) {
		return
	}
	caller, ok := h.authenticate(rw, r)
	if !ok || !h.guardPaths(rw, r) {
		return
	}
	if caller, ok = h.identify(rw, r, next, caller); !ok {
		return
	}
	h.admit(rw, r, caller)
	var m *agent.Method
	if name, isAgent := h.catalog.Endpoint(h.prefix, r.URL.Path); isAgent {
		if m = h.catalog.Method(name); m == nil {
			rw.fail(http.StatusNotFound, "the "+h.catalog.Agent+" agent has no such method")
			return
		}
	}
	t, zone, r, err := h.planTransform(r, rw.answer, m, &rw.placeholders)
	if err != nil {
		rw.fail(http.StatusBadRequest, err.Error())
		return
	}
	if zone != nil && m == nil {
		var status int
		if r, status, err = h.convertRequestDates(r, zone); err != nil {
			rw.refuseRequestBody(status, err.Error())
			return
		}
	}
	rw.transform = t
	if m != nil {
		rw.returns = m.Returns
		err = h.serveAgent(rw, r, next, m, caller, zone)
	} else {
		err = serveNext(next, rw, r)
	}
	h.finish(r, rw, err)
}

// finish completes the answer: a held answer is transformed, and a failure
// of the handlers after chatgate that the client has not yet seen any of
// gets the error body.
func (h *Handler) finish(r *http.Request, rw *responseWriter, err error) {
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
	case err != nil && rw.holding:
		h.logger.Error("the backend broke off its answer", zap.String("path", r.URL.Path), zap.Error(err))
		rw.fail(http.StatusBadGateway, "the backend broke off its answer")
	case err != nil && !rw.answered:
		h.answerHandlerError(rw, r, err)
	case err != nil:
		// Too late for an error body: the answer ends where it broke off.
		h.logger.Error("the answer failed after it began", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	case rw.holding:
		h.writeTransformed(rw, r)
	}
}

// endStream ends a streamed answer at the backend's end (err: how the
// handlers after chatgate ended). A failure before any byte went out is
// still a clean 502; after, the answer ends abnormally: the connection
// closes before the last chunk (HTTP/1.1), the stream is reset (HTTP/2).
func (h *Handler) endStream(rw *responseWriter, r *http.Request, err error) {
	s := rw.stream
	serr := s.close(err)
	cause, message := causeInvalid, "the backend's answer is not valid JSON"
	switch {
	case serr == nil:
		took := time.Since(s.start)
		rw.metrics.duration.Observe(took.Seconds())
		kinds := rw.transform.kinds()
		for _, kind := range kinds {
			rw.metrics.transforms.WithLabelValues(kind).Inc()
		}
		if c := h.logger.Check(zapcore.DebugLevel, "answer transformed as it streamed"); c != nil {
			c.Write(zap.Strings("kinds", kinds), zap.Int64("bytes_in", s.written), zap.Duration("took", took), zap.String("path", r.URL.Path))
		}
		return
	case errors.Is(serr, errBodyTooLarge):
		cause, message = causeTooLarge, msgAnswerTooLarge
	case errors.Is(serr, errUnsupportedCoding):
		message = "the backend's answer has a content encoding chatgate cannot read"
	case errors.Is(serr, jsonpass.ErrInvalidJSON):
	case errors.Is(serr, errAborted) || err != nil:
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
	panic(http.ErrAbortHandler)
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
	if status == statusClientClosed || r.Context().Err() != nil {
		if c := h.logger.Check(zapcore.DebugLevel, "the client went away"); c != nil {
			c.Write(zap.String("method", r.Method), zap.String("path", r.URL.Path))
		}
		return
	}
	h.logger.Error("request to the backend failed",
		zap.Int("status", status), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	rw.fail(status, upstreamMessage(status))
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
			if p != http.ErrAbortHandler || (!rw.holding && !rw.capturing && !rw.unsent()) { //nolint:errorlint // the sentinel is panicked as is
				panic(p)
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
