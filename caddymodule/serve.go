package caddymodule

import (
	"errors"
	"net/http"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/chatgate/chatgate/chat"
	"github.com/chatgate/chatgate/format"
)

// statusClientClosed is the status Caddy gives a request whose client went
// away; there is nobody left to answer.
const statusClientClosed = 499

// ServeHTTP checks the caller's credentials, reads what the request asks of
// its answer, answers the chat endpoints, passes every other request on,
// and transforms the answer in one pass when it was asked to.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	rw := newResponseWriter(w, format.Negotiate(r.Header["Accept"]), h.MaxResponseBody)
	defer rw.release()
	caller, ok := h.authenticate(rw, r)
	if !ok {
		return nil
	}
	action, isChat := chat.MatchPath(h.prefix, r.URL.Path)
	t, zone, r, err := h.planTransform(r, rw.answer, isChat)
	if err != nil {
		rw.fail(http.StatusBadRequest, err.Error())
		return nil
	}
	if zone != nil {
		var status int
		if r, status, err = h.convertRequestDates(r, zone); err != nil {
			rw.fail(status, err.Error())
			return nil
		}
	}
	rw.transform = t
	if isChat {
		err = h.serveChat(rw, r, next, action, caller)
	} else {
		err = serveNext(next, rw, r)
	}
	return h.finish(r, rw, err)
}

// finish completes the answer: a held answer is transformed, and a failure
// of the handlers after chatgate that the client has not yet seen any of
// gets the error body.
func (h *Handler) finish(r *http.Request, rw *responseWriter, err error) error {
	switch {
	case rw.tooLarge:
		h.logger.Error(msgAnswerTooLarge, zap.Int64("max_response_body", h.MaxResponseBody), zap.String("path", r.URL.Path))
		rw.fail(http.StatusBadGateway, msgAnswerTooLarge)
		return nil
	case err != nil && rw.holding:
		h.logger.Error("the backend broke off its answer", zap.String("path", r.URL.Path), zap.Error(err))
		rw.fail(http.StatusBadGateway, "the backend broke off its answer")
		return nil
	case err != nil && !rw.answered:
		return h.answerHandlerError(rw, r, err)
	case err != nil:
		// Too late for an error body. chatgate logs it itself and returns
		// nothing to Caddy: Caddy would log the request as it arrived, with
		// the X-XSRF-TOKEN and SO-AppToken headers it does not redact.
		h.logger.Error("the answer failed after it began", zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
		return nil
	case rw.holding:
		h.writeTransformed(rw)
	}
	return nil
}

// answerHandlerError answers an error of the handlers after chatgate, which
// have sent nothing yet, with the contract's error body. It returns nil, as
// chatgate's handler always does: the error is logged here, without the
// request's headers.
func (h *Handler) answerHandlerError(rw *responseWriter, r *http.Request, err error) error {
	status := http.StatusBadGateway
	var he caddyhttp.HandlerError
	if errors.As(err, &he) && he.StatusCode != 0 {
		status = he.StatusCode
	}
	if status == statusClientClosed || r.Context().Err() != nil {
		if c := h.logger.Check(zapcore.DebugLevel, "the client went away"); c != nil {
			c.Write(zap.String("method", r.Method), zap.String("path", r.URL.Path))
		}
		return nil
	}
	h.logger.Error("request to the backend failed",
		zap.Int("status", status), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	rw.fail(status, upstreamMessage(status))
	return nil
}

// errAborted stands for reverse_proxy's abort of a response it could not
// finish: the backend broke off, or the writer refused more body.
var errAborted = errors.New("the response was aborted before its end")

// serveNext calls next. reverse_proxy aborts a response it cannot finish by
// panicking with http.ErrAbortHandler (as net/http's proxy does). While rw
// still holds the whole answer, nothing has reached the client, so that is
// an error chatgate can answer; once the answer streams, the abort goes on.
func serveNext(next caddyhttp.Handler, rw *responseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler || !rw.holding { //nolint:errorlint // the sentinel is panicked as is
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
