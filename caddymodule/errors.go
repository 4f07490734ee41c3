package caddymodule

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/chatgate/chatgate/format"
)

// Makers of an error body, as its ErrorSource names them: chatgate itself,
// or the backend, whose own error answer chatgate relays in this shape.
const (
	errorSource        = "chatgate"
	errorSourceBackend = "backend"
)

// errorBody is the contract's error body:
// {"Error":true,"ErrorType":"Unauthorized","ErrorMessage":"...","ErrorSource":"chatgate"}.
type errorBody struct {
	Error        bool
	ErrorType    string
	ErrorMessage string
	ErrorSource  string
}

// writeError answers with status and the contract's error body, in XML
// (root ErrorInfo) when the client asked for XML, else in JSON of the type
// it prefers. message must never hold a credential or a value the client
// sent.
func writeError(w http.ResponseWriter, answer format.Choice, status int, message string) {
	writeErrorFrom(w, answer, status, message, errorSource)
}

// writeErrorFrom is writeError with the error's source: errorSource for
// chatgate's own errors, errorSourceBackend for a backend's relayed one.
func writeErrorFrom(w http.ResponseWriter, answer format.Choice, status int, message, source string) {
	body, _ := json.Marshal(errorBody{Error: true, ErrorType: errorType(status), ErrorMessage: message, ErrorSource: source})
	if answer.XML {
		body, _ = format.AppendXML(nil, body, errorXMLRoot) // valid JSON by construction
	}
	h := w.Header()
	dropRepresentationHeaders(h)
	h.Set("Content-Type", answer.ContentType())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// dropRepresentationHeaders removes what a handler before chatgate's own
// answer meant to say of its body, or where to go instead: chatgate's body
// is another one.
func dropRepresentationHeaders(h http.Header) {
	dropTrailers(h) // chatgate's body is whole: no trailer follows it
	for _, name := range []string{
		"Content-Encoding", "ETag", "Last-Modified", "Content-Range", "Accept-Ranges", "Content-Disposition",
		"Content-Language", "Content-Location", "Content-MD5", "Digest", "Content-Digest", "Repr-Digest",
		"Location", "Refresh",
	} {
		h.Del(name)
	}
}

// errorType is the status text without spaces: 401 is "Unauthorized", 413
// "RequestEntityTooLarge", 504 "GatewayTimeout".
func errorType(status int) string {
	text := http.StatusText(status)
	if text == "" {
		return "Error"
	}
	return errorTypeSpelling.Replace(text)
}

// errorTypeSpelling drops what a status text has that an ErrorType has not.
var errorTypeSpelling = strings.NewReplacer(" ", "", "-", "", "'", "")

// upstreamMessage describes a failure of the handlers after chatgate without
// naming backend addresses, which stay in the log.
func upstreamMessage(status int) string {
	switch status {
	case http.StatusBadGateway:
		return "the backend could not be reached or did not answer properly"
	case http.StatusServiceUnavailable:
		return "no backend is available"
	case http.StatusGatewayTimeout:
		return "the backend did not answer in time"
	}
	return strings.ToLower(http.StatusText(status))
}
