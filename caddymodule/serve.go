package caddymodule

import (
	"errors"
	"io"
	"net/http"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"

	"github.com/chatgate/chatgate/chat"
)

// statusClientClosed is the status Caddy gives a request whose client went
// away; there is nobody left to answer.
const statusClientClosed = 499

// ServeHTTP answers the chat endpoints and passes every other request on.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	if action, ok := chat.MatchPath(h.prefix, r.URL.Path); ok {
		return h.serveChat(w, r, next, action)
	}
	return h.forward(w, r, next)
}

// forward hands r to the handlers after chatgate. If they fail before
// answering (a backend that is down or too slow), the client gets the
// contract's error body with their status instead of an empty page.
func (h *Handler) forward(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	tw := &trackingWriter{ResponseWriterWrapper: &caddyhttp.ResponseWriterWrapper{ResponseWriter: w}}
	err := next.ServeHTTP(tw, r)
	if err == nil || tw.wroteHeader {
		return err
	}
	return h.answerHandlerError(w, r, err)
}

// answerHandlerError answers an error of the handlers after chatgate, which
// have written nothing yet, with the contract's error body.
func (h *Handler) answerHandlerError(w http.ResponseWriter, r *http.Request, err error) error {
	status := http.StatusBadGateway
	var he caddyhttp.HandlerError
	if errors.As(err, &he) && he.StatusCode != 0 {
		status = he.StatusCode
	}
	if status == statusClientClosed || r.Context().Err() != nil {
		return err
	}
	h.logger.Error("request to the backend failed",
		zap.Int("status", status), zap.String("method", r.Method), zap.String("path", r.URL.Path), zap.Error(err))
	writeError(w, status, upstreamMessage(status))
	return nil
}

// errAborted stands for reverse_proxy's abort of a response it could not
// finish: the backend broke off, or the writer refused more body.
var errAborted = errors.New("the response was aborted before its end")

// serveHeld calls next with a writer that holds the whole response, so
// nothing has reached the client yet. reverse_proxy aborts a response it
// cannot finish by panicking with http.ErrAbortHandler (as net/http's proxy
// does); while the response is still held, that is an error chatgate can
// answer, not a reason to drop the connection.
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

// trackingWriter notes whether a response has begun, so that an error after
// that point is left to Caddy rather than answered twice.
type trackingWriter struct {
	*caddyhttp.ResponseWriterWrapper
	wroteHeader bool
}

func (tw *trackingWriter) WriteHeader(status int) {
	if status >= http.StatusOK || status == http.StatusSwitchingProtocols {
		tw.wroteHeader = true
	}
	tw.ResponseWriterWrapper.WriteHeader(status)
}

func (tw *trackingWriter) Write(p []byte) (int, error) {
	tw.wroteHeader = true
	return tw.ResponseWriterWrapper.Write(p)
}

func (tw *trackingWriter) ReadFrom(r io.Reader) (int64, error) {
	tw.wroteHeader = true
	return tw.ResponseWriterWrapper.ReadFrom(r)
}

// Interface guards
var (
	_ caddyhttp.MiddlewareHandler = (*Handler)(nil)
	_ io.ReaderFrom               = (*trackingWriter)(nil)
)
