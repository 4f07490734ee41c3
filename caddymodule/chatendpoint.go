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

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/chat"
)

// serveChat answers one of the chat transfer endpoints: it checks the method,
// reads and validates the body, applies the transfer rules and sends the
// canonical request upstream. A refused request never reaches the backend;
// the backend's own refusal is answered by answerBackendStatus.
func (h *Handler) serveChat(w *responseWriter, r *http.Request, next caddyhttp.Handler, action chat.Action, caller auth.Caller) error {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.fail(http.StatusMethodNotAllowed, fmt.Sprintf("%s accepts only POST", strings.TrimPrefix(action.Endpoint(), "/")))
		return nil
	}
	// RFC 9110 15.5.16: a content coding the server does not read is 415.
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		w.fail(http.StatusUnsupportedMediaType, "a Content-Encoding on the request body is not supported")
		return nil
	}
	body, status, msg := h.readRequestBody(r)
	if status != 0 {
		w.refuseRequestBody(status, msg)
		return nil
	}
	query, _ := url.ParseQuery(r.URL.RawQuery) // malformed pairs are the backend's business; well-formed ones count
	req, err := chat.Decode(action, r.Header.Get("Content-Type"), body, query)
	if err != nil {
		answerChatError(w, err)
		return nil
	}
	if h.sessionRoute != nil {
		// The rules say whose session may change: without a known caller
		// they cannot hold, and nothing goes upstream.
		if caller.User == "" {
			w.fail(http.StatusForbidden, msgNoCaller)
			return nil
		}
		answered, err := h.applyTransferRules(w, r, next, req, caller.User)
		if answered || err != nil {
			return err
		}
	}
	up, err := h.upstreamChatRequest(r, req)
	if err != nil {
		answerChatError(w, err)
		return nil
	}
	if c := h.logger.Check(zapcore.DebugLevel, "chat request to the backend"); c != nil {
		c.Write(zap.String("action", action.Name()), zap.Int32("chat_session_id", req.ChatSessionID),
			zap.String("method", up.Method), zap.String("path", up.URL.Path))
	}
	w.returns = action.Returns() // the backend's 4xx and 5xx are answered as the method's
	return serveNext(next, w, up)
}

// msgNoCaller refuses a rule-bound request from a caller chatgate cannot name.
const msgNoCaller = "the transfer rules need to know the caller: a ticket, token or XSRF session is named only with identity_route"

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

func answerChatError(w *responseWriter, err error) {
	var e *chat.Error
	if errors.As(err, &e) {
		w.refuseRequestBody(e.Status, e.Message)
		return
	}
	w.refuseRequestBody(http.StatusBadRequest, "the request is not valid")
}

// upstreamChatRequest is r with the canonical JSON body, on the action's
// chat_route or else on its canonical path. The properties the body now
// carries leave the query; other query parameters stay.
func (h *Handler) upstreamChatRequest(r *http.Request, req chat.Request) (*http.Request, error) {
	up := r.Clone(r.Context())
	body := req.CanonicalJSON()
	up.Body = io.NopCloser(bytes.NewReader(body))
	up.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	up.ContentLength = int64(len(body))
	up.TransferEncoding = nil
	up.Header.Set("Content-Type", "application/json")
	up.Header.Set("Content-Length", strconv.Itoa(len(body)))
	up.Header.Del("Expect") // the body has been read already
	up.Header.Del("Content-Encoding")
	dropMethodOverrides(up.Header)

	_, rest := splitQuery(r.URL.RawQuery, chat.IsProperty)
	tmpl := h.chatRoutes[req.Action]
	if tmpl == nil {
		up.URL.Path, up.URL.RawPath = h.prefix+req.Action.Endpoint(), ""
		up.URL.RawQuery = rest
	} else {
		escaped, query, err := tmpl.Expand(req)
		if err != nil {
			return nil, err
		}
		if err := setEscapedPath(up.URL, escaped); err != nil {
			return nil, err
		}
		up.URL.RawQuery = joinQuery(query, rest)
		up.Method = h.chatMethods[req.Action]
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
