package caddymodule

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/chatgate/chatgate/auth"
)

// maxIdentityAnswer bounds the backend's answer to an identity lookup: a
// name, perhaps in a small object.
const maxIdentityAnswer = 64 << 10

// DefaultIdentityTTL is how long an identity the backend gave is kept.
const DefaultIdentityTTL = time.Minute

// identify learns who a ticket, a token or an XSRF session belongs to, when
// identity_route is set: from the answers kept for identity_ttl, or else by
// asking the backend (the identity route, through the handlers after
// chatgate, with the caller's own credentials). A backend 401 or 403 there
// is a 401 here. Basic callers are named by their credential. It reports
// whether the request goes on.
func (h *Handler) identify(x *exchange) bool {
	w, r, caller := x.w, x.r, x.caller
	if h.identityRoute == nil || caller.Scheme == auth.Basic {
		return true
	}
	key := auth.IdentityKey(caller.Scheme, r.Header)
	if user, ok := h.identities.Lookup(key); ok {
		x.caller.User, x.caller.Verified = user, true
		return true
	}
	rec := &bodyRecorder{header: make(http.Header), limit: maxIdentityAnswer}
	err := serveHeld(x.next, rec, h.identityRequest(r))
	switch {
	case rec.tooLarge:
		h.logger.Error("the backend's identity answer is too large", zap.Int("limit", maxIdentityAnswer))
		w.fail(http.StatusBadGateway, "the backend's answer to the identity lookup is too large")
		return false
	case err != nil && rec.status == 0:
		h.answerHandlerError(w, r, err)
		return false
	case err != nil:
		h.logger.Error("identity lookup failed mid-response", zap.Error(err))
		w.fail(http.StatusBadGateway, "the backend broke off the identity lookup")
		return false
	case rec.status == http.StatusUnauthorized || rec.status == http.StatusForbidden:
		w.Header().Set("WWW-Authenticate", strings.Join(h.gate.Challenges(), ", "))
		w.fail(http.StatusUnauthorized, "the backend does not know this credential")
		return false
	case rec.status < 200 || rec.status > 299:
		h.logger.Error("identity lookup refused", zap.Int("status", rec.status))
		w.fail(http.StatusBadGateway, "the backend did not answer the identity lookup")
		return false
	}
	body, err := decodeContent(contentCoding(rec.header), rec.body.Bytes(), maxIdentityAnswer)
	user, ok := auth.UserOfAnswer(body)
	if err != nil || !ok {
		if errors.Is(err, errBodyTooLarge) {
			err = nil
		}
		h.logger.Error("the backend's identity answer names no user", zap.NamedError("decoding", err))
		w.fail(http.StatusBadGateway, "the backend's answer to the identity lookup names no user")
		return false
	}
	h.identities.Remember(key, user)
	x.caller.User, x.caller.Verified = user, true
	return true
}

// identityRequest is the identity lookup: the identity route with the
// caller's own headers (credentials and cookies included), and none of the
// original request's body, conditions or method overrides.
func (h *Handler) identityRequest(r *http.Request) *http.Request {
	sub := lookupRequest(r, h.identityMethod)
	escaped, query, _ := h.identityRoute.Expand(noValue) // no placeholders: checked at provision
	_ = setEscapedPath(sub.URL, escaped)
	sub.URL.RawQuery = query
	sub.RequestURI = sub.URL.RequestURI()
	return sub
}

func noValue(string) (string, bool) { return "", false }
