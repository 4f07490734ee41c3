package caddymodule

import (
	"net/http"
	"slices"
	"strconv"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/chat"
	"github.com/chatgate/chatgate/format"
)

// answerBackendStatus answers a backend's 3xx, 4xx or 5xx to an agent call
// (the forwarded call, or the session lookup of the transfer rules) in the
// contract's terms (SPEC step 2, agent semantics): a 404 is "nothing to
// return", answered as the method's return type says (NotFound); a 3xx is
// a 502, its Location never passed on (a method's answer is never a
// redirect, nor a 304 to a POST, and an internal address is the backend's
// business); any other status is the error body with the backend's
// status, ErrorSource "backend" and the backend's own message where it
// gave one. header and body are the backend's answer, body at most
// chat.MaxErrorBody bytes of it. The answer's CORS headers are chatgate's.
func (h *Handler) answerBackendStatus(rw *responseWriter, r *http.Request, returns *agent.TypeRef, status int, header http.Header, body []byte) {
	if status == http.StatusNotFound {
		h.answerNotFound(rw, r, returns)
		return
	}
	hdr := rw.ResponseWriterWrapper.ResponseWriter.Header()
	if status < 400 {
		message := "the backend answered " + strconv.Itoa(status) + " " + http.StatusText(status) + ", which no method answers"
		h.logger.Error(message, zap.String("path", r.URL.Path))
		rw.refuseAnswer(causeInvalid, message)
		return
	}
	message := backendMessage(status, header, body)
	if c := h.logger.Check(zapcore.DebugLevel, "backend error relayed"); c != nil {
		c.Write(zap.Int("status", status), zap.String("method", r.Method), zap.String("path", r.URL.Path))
	}
	rw.answered = true
	if rw.cors {
		rw.ownCORS(hdr)
	}
	writeErrorFrom(rw.ResponseWriterWrapper.ResponseWriter, rw.answer, status, message, errorSourceBackend)
}

// backendMessage is the backend's own message in its error answer (see
// chat.BackendMessage), read through its Content-Encoding, or else one
// naming the status: never a page or any part of one.
func backendMessage(status int, header http.Header, body []byte) string {
	if decoded, err := decodeContent(contentCoding(header), body, chat.MaxErrorBody); err == nil {
		if message := chat.BackendMessage(header.Get("Content-Type"), decoded); message != "" {
			return message
		}
	}
	text := http.StatusText(status)
	if text == "" {
		return "the backend answered with status " + strconv.Itoa(status)
	}
	return "the backend answered " + strconv.Itoa(status) + " " + text
}

// answerNotFound answers a backend 404 to an agent call as the Agents API
// answers "nothing to return": 200 [] for a list, 204 for void, else 200
// null (in XML when asked: the root alone, nil="true").
func (h *Handler) answerNotFound(rw *responseWriter, r *http.Request, returns *agent.TypeRef) {
	w := rw.ResponseWriterWrapper.ResponseWriter
	hdr := w.Header()
	dropRepresentationHeaders(hdr)
	rw.answered = true
	if rw.cors {
		rw.ownCORS(hdr) // not the backend's: its answer is not the one given
	}
	status, body := returns.NotFound()
	if body == nil {
		hdr.Del("Content-Type")
		hdr.Del("Content-Length")
		w.WriteHeader(status)
		return
	}
	if rw.answer.XML {
		body, _ = format.AppendXML(nil, body, returns.XMLName()) // valid JSON by construction
	}
	hdr.Set("Content-Type", rw.answer.ContentType())
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if !slices.Contains(hdr["Vary"], varyValue) { // a blank 2xx's header has it already (a backend's own Vary: Accept is not it)
		hdr["Vary"] = append(hdr["Vary"], varyValue)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
