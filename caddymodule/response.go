package caddymodule

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/chat"
	"github.com/chatgate/chatgate/format"
)

// responseWriter stands between the handlers after chatgate and the client.
// It notes whether the client has been answered, so that a failure before
// that can still get the error body. A 2xx JSON answer the request asked
// to transform goes through the JSON engine as it comes (answerStream), an
// agent call's read in the method's terms on the way. Everything else
// streams through unbuffered as it is written.
type responseWriter struct {
	caddyhttp.ResponseWriterWrapper               // by value: one allocation for both
	answer                          format.Choice // the format the client asked for
	transform                       *transform    // nil: nothing to hold
	limit                           int64
	threshold                       int64 // stream_threshold: how much of an answer to transform is held
	metrics                         *metrics
	stream                          *answerStream // the answer streams through the transform

	// The flags side by side, so the struct stays in its allocation size class.
	answered  bool // a final status has gone to the client
	holding   bool // an answer to transform that is not streaming: nothing of it goes out until chatgate answers
	tooLarge  bool // the held answer passed limit
	cors      bool // cors_origins is set: the answer's CORS headers are chatgate's (ownCORS)
	capturing bool
	text      bool // a String method's text answer (a transcript), the backend's Content-Type kept until it is read
	discard   bool // a void method's answer: its body is read, counted against limit, and dropped
	askAgain  bool // a 206 of an answer to transform (transform.rangePassed): dropped as a void one is, and asked again whole
	status    int  // the held or captured answer's status
	discarded int64

	// returns is the agent method's return type (nil: not an agent call).
	// On an agent call every 2xx answer is shaped to it, and a backend
	// 3xx, 4xx or 5xx is captured, at most chat.MaxErrorBody of it, for
	// chatgate to answer in the contract's terms instead of relaying it.
	returns *agent.TypeRef
	body    *bytes.Buffer // the captured error answer

	corsOrigin string // the allowed Origin the answer is for, or ""

	refusedStatus int    // a 4xx chatgate answered, for the request's log line
	refusedReason string // its message
	placeholders  placeholders
}

func newResponseWriter(w http.ResponseWriter, answer format.Choice, limit int64, m *metrics) *responseWriter {
	return &responseWriter{ResponseWriterWrapper: caddyhttp.ResponseWriterWrapper{ResponseWriter: w}, answer: answer, limit: limit,
		threshold: DefaultStreamThreshold, metrics: m}
}

// varyHeaders are the request headers chatgate may change a JSON answer
// for ($select is in the URL already).
var varyHeaders = []string{"Accept", "Accept-Language", headerLanguage, headerTimeZone}

// varyKeys are varyHeaders' keys in an http.Header.
var varyKeys = func() []string {
	keys := make([]string, len(varyHeaders))
	for i, name := range varyHeaders {
		keys[i] = http.CanonicalHeaderKey(name)
	}
	return keys
}()

// varyValue names varyHeaders in a JSON answer's Vary, so that a shared
// cache keeps the variants apart.
var varyValue = strings.Join(varyHeaders, ", ")

// WriteHeader decides, at the final status, whether the answer is held. A
// JSON answer that streams gets the Content-Type the client prefers.
func (rw *responseWriter) WriteHeader(status int) {
	if rw.answered || rw.holding || rw.capturing {
		return
	}
	if status < http.StatusOK && status != http.StatusSwitchingProtocols {
		rw.ResponseWriterWrapper.WriteHeader(status) // 1xx: informational, passed on
		return
	}
	if status == http.StatusPartialContent && rw.returns == nil && rw.transform != nil && rw.transform.rangePassed &&
		transformable(http.StatusOK, rw.Header()) {
		// A range of an answer to transform: dropped unseen, and the
		// whole answer asked for again (Handler.forward).
		rw.askAgain, rw.holding, rw.discard = true, true, true
		return
	}
	if rw.returns != nil && status >= 300 {
		// an error, a redirect or a 304 (an agent call is a POST: no
		// method answers one): answered in the contract's terms
		// (answerBackendStatus), never relayed
		rw.capturing, rw.status = true, status
		rw.body = getBuffer()
		return
	}
	if rw.returns != nil && status >= 200 && status < 300 && status != http.StatusPartialContent &&
		!format.IsEventStream(rw.Header().Get("Content-Type")) {
		// (an agent call's 206 and server-sent events pass untouched, as
		// every such answer does)
		hdr := rw.Header()
		hdr["Vary"] = append(hdr["Vary"], varyValue)
		for _, name := range []string{"Location", "Content-Location", "Refresh"} {
			hdr.Del(name) // the backend's own addresses: a method's answer names none
		}
		rw.hold(status) // whatever its type: void, text and JSON are all answered as the method's
		// An empty or blank answer is "nothing there" (as a 404 is),
		// answered when it ends (answerStream.blank).
		// A JSON answer streams through the transform (one whose result
		// is a field of it through an agent.ResultWriter first), and so
		// does one of another type, read by its body as JSON (Go's servers
		// sniff text/plain when none is set), and a String method's text
		// (a transcript), through an agent.TextWriter. A void method's
		// body is read and dropped: its answer is 204 whatever it says.
		contentType := hdr.Get("Content-Type")
		rw.text = !format.IsJSON(contentType) && rw.returns.Scalar == agent.ScalarString &&
			strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "text/")
		rw.discard = rw.returns.Scalar == agent.ScalarVoid
		if !rw.text && !format.IsJSON(contentType) {
			hdr.Set("Content-Type", "application/json; charset=utf-8")
		}
		if !rw.discard && !rw.tooLarge && !rw.transform.headOnly {
			rw.startStream() // from its first byte, as any transformed answer
		}
		return
	}
	if status == http.StatusNoContent || status == http.StatusNotModified {
		// No body follows. Go's HTTP/1.1 server drops a Content-Length here
		// (RFC 9110 8.6); its HTTP/2 server sends it, and HTTP/2 clients that
		// trust it (Go's) read a 204 or 304 with a Content-Length as cut short.
		rw.Header().Del("Content-Length")
	}
	if status == http.StatusNotModified {
		rw.notModifiedHeader(rw.Header())
	}
	if hdr := rw.Header(); transformable(status, hdr) {
		hdr["Vary"] = append(hdr["Vary"], varyValue)
		if rw.transform != nil {
			rw.hold(status) // a HEAD's too: refused as its GET would be (writeTransformedHead)
			if !rw.transform.headOnly && !rw.tooLarge {
				rw.startStream() // the engine reads the body as it comes
			}
			return
		}
		rw.relabel(hdr)
	}
	if rw.cors {
		rw.ownCORS(rw.Header())
	}
	rw.answered = true
	rw.ResponseWriterWrapper.WriteHeader(status)
}

// hold starts holding the answer: nothing of it goes out until chatgate
// answers (or it streams). A declared Content-Length over
// max_response_body is refused up front (tooLarge).
func (rw *responseWriter) hold(status int) {
	rw.holding, rw.status = true, status
	if declared := rw.Header().Get("Content-Length"); declared != "" {
		if n, err := strconv.ParseInt(declared, 10, 64); err == nil && n > rw.limit {
			rw.tooLarge = true
		}
	}
}

// notModifiedHeader gives a 304 the headers its 200 would have had, which a
// cache stores in place of its answer's (RFC 9110 15.4.5, RFC 9111 4.3.4):
// a JSON answer's Vary and, when the request asked for a transform, the
// transformed answer's ETag and type. A 304 rarely says its type: one that
// does not is taken for JSON (were it another, the Vary only makes a cache
// more careful, and the weak tag still matches the stored one); one that
// says another type is left as it is.
func (rw *responseWriter) notModifiedHeader(hdr http.Header) {
	if contentType := hdr.Get("Content-Type"); contentType != "" && !format.IsJSON(contentType) {
		return
	}
	hdr["Vary"] = append(hdr["Vary"], varyValue)
	if rw.transform != nil {
		rw.transformedHeader(hdr)
	}
}

// relabel gives a JSON answer the JSON type the client prefers, when that
// is not the backend's.
func (rw *responseWriter) relabel(hdr http.Header) {
	if contentType, ok := rw.answer.Relabel(hdr.Get("Content-Type")); ok {
		hdr.Set("Content-Type", contentType)
	}
}

// fail answers with status and the error body in the client's format. The
// held answer, if any, is dropped: none of it has reached the client. A 4xx
// is counted as a refusal and noted for the request's log line.
func (rw *responseWriter) fail(status int, message string) {
	rw.answered = true
	if status >= 400 && status < 500 {
		rw.refusedStatus, rw.refusedReason = status, message
		rw.metrics.refused.WithLabelValues(errorType(status)).Inc()
	}
	if rw.cors {
		rw.ownCORS(rw.Header())
	}
	writeError(rw.ResponseWriterWrapper.ResponseWriter, rw.answer, status, message)
}

// refuseRequestBody fails the request over its body: a 413 counts as too
// large, a 400 as invalid.
func (rw *responseWriter) refuseRequestBody(status int, message string) {
	switch status {
	case http.StatusRequestEntityTooLarge:
		rw.metrics.bodies.WithLabelValues(bodyRequest, causeTooLarge).Inc()
	case http.StatusBadRequest:
		rw.metrics.bodies.WithLabelValues(bodyRequest, causeInvalid).Inc()
	}
	rw.fail(status, message)
}

// refuseAnswer answers 502 for a backend answer chatgate had to read and
// could not use, counted by cause.
func (rw *responseWriter) refuseAnswer(cause, message string) {
	rw.metrics.bodies.WithLabelValues(bodyResponse, cause).Inc()
	rw.fail(http.StatusBadGateway, message)
}

func (rw *responseWriter) Write(p []byte) (int, error) {
	if !rw.answered && !rw.holding && !rw.capturing {
		rw.WriteHeader(http.StatusOK)
	}
	if rw.capturing {
		room := chat.MaxErrorBody - rw.body.Len()
		if len(p) > room {
			// Enough has been read: stop the backend's copy, as for too large a body.
			rw.body.Write(p[:room])
			return room, errErrorBodyRead
		}
		return rw.body.Write(p)
	}
	if rw.stream != nil {
		return rw.stream.write(p)
	}
	if !rw.holding {
		return rw.ResponseWriterWrapper.Write(p)
	}
	if rw.tooLarge {
		return 0, errBodyTooLarge
	}
	// A void method's answer, a HEAD's (no body) or a range to ask again
	// for whole: read, counted and dropped.
	if rw.discarded += int64(len(p)); rw.discarded > rw.limit {
		rw.tooLarge = true
		return 0, errBodyTooLarge
	}
	return len(p), nil
}

// Header is the answer's header. While an answer streams, its delayed
// flush (or a compressed answer's decoding goroutine) may read the header at
// any moment (HTTP/2 looks for trailers on every flush), so what the
// handlers after chatgate set then (reverse_proxy copies the backend's
// trailers once its body ends) goes to a map of the stream's own, moved into
// the header when the stream ends cleanly: one map written and read at once
// is a data race, and can stop the process ("concurrent map read and map
// write").
func (rw *responseWriter) Header() http.Header {
	if s := rw.stream; s != nil && !s.closed { // closed is written by this goroutine only
		if s.late == nil {
			s.late = make(http.Header)
		}
		return s.late
	}
	return rw.ResponseWriterWrapper.Header()
}

// ReadFrom keeps io.Copy from the backend on the fast path when streaming.
func (rw *responseWriter) ReadFrom(r io.Reader) (int64, error) {
	if !rw.answered && !rw.holding && !rw.capturing {
		rw.WriteHeader(http.StatusOK)
	}
	if !rw.holding && !rw.capturing {
		return rw.ResponseWriterWrapper.ReadFrom(r)
	}
	return io.Copy(writerOnly{rw}, r)
}

// writerOnly hides ReadFrom, so io.Copy into a held answer uses Write.
type writerOnly struct{ io.Writer }

// Flush sends what has been written so far, unless the answer is held.
func (rw *responseWriter) Flush() {
	if rw.stream != nil {
		rw.stream.flush()
		return
	}
	if rw.holding || rw.capturing {
		return
	}
	if !rw.answered {
		rw.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(rw.ResponseWriterWrapper.ResponseWriter).Flush()
}

// release returns the stream's engine and the captured body's buffer to
// their pools.
func (rw *responseWriter) release() {
	if rw.stream != nil {
		rw.stream.release()
		rw.stream = nil
	}
	if rw.body != nil {
		putBuffer(rw.body)
		rw.body = nil
	}
}

// transformable reports whether an answer is one the transforms apply to:
// 2xx with a body (not 204 or 205) and not partial (206), of a JSON type.
func transformable(status int, h http.Header) bool {
	if status < 200 || status > 299 || status == http.StatusNoContent ||
		status == http.StatusResetContent || status == http.StatusPartialContent {
		return false
	}
	return format.IsJSON(h.Get("Content-Type"))
}

// answerHeld answers an answer to transform that did not stream: a
// HEAD's, with the headers its GET would get, or a void method's, 204
// whatever its body said.
func (h *Handler) answerHeld(rw *responseWriter, r *http.Request) {
	if rw.transform.headOnly {
		h.writeTransformedHead(rw, r)
		return
	}
	rw.answerVoid()
}

// dropTrailers removes from the header of an answer sent whole the
// backend's trailers, which reverse_proxy set there once the held body
// ended, and their announcement: an answer with a Content-Length carries
// none, and what they said was of the backend's body (a checksum), not
// the transformed one.
func dropTrailers(hdr http.Header) {
	for _, declared := range hdr.Values("Trailer") {
		for name := range strings.SplitSeq(declared, ",") {
			hdr.Del(strings.TrimSpace(name))
		}
	}
	hdr.Del("Trailer")
	for name := range hdr {
		if strings.HasPrefix(name, http.TrailerPrefix) {
			delete(hdr, name)
		}
	}
}

// writeTransformedHead answers a HEAD that asked for a transform with the
// headers its GET would get (RFC 9110 9.3.2), or with the 502 its GET would
// get from the backend's headers alone: a coding chatgate cannot read (a
// declared length over max_response_body is refused in hold, as the
// GET's). The transformed length is not known without the body: none is
// sent.
func (h *Handler) writeTransformedHead(rw *responseWriter, r *http.Request) {
	w := rw.ResponseWriterWrapper.ResponseWriter
	if coding := contentCoding(w.Header()); !readsContent(coding) {
		h.logger.Error(msgUnreadableCoding, zap.String("path", r.URL.Path), zap.String("content_encoding", coding))
		rw.refuseAnswer(causeInvalid, msgUnreadableCoding)
		return
	}
	rw.transformedHeader(w.Header())
	w.WriteHeader(rw.status)
}

// transformedHeader makes hdr the header of the transformed answer, but
// for its length.
func (rw *responseWriter) transformedHeader(hdr http.Header) {
	switch {
	case hdr.Get("Content-Type") == "": // a 304 that says no type
	case rw.transform.xmlRoot != "":
		hdr.Set("Content-Type", rw.answer.ContentType())
	default:
		rw.relabel(hdr)
		// One label, in UTF-8: what the engine reads and writes. (A second
		// Content-Type the backend sent would contradict the first, by which
		// the answer was read.)
		hdr.Set("Content-Type", format.InUTF8(hdr.Get("Content-Type")))
	}
	// The body is now another representation of the resource: its length,
	// its coding and any digest of it change, and a strong validator no
	// longer holds byte for byte (RFC 9110 8.8.1). (The names are spelled
	// as the header stores them, so no key is made for them per answer.)
	for _, name := range []string{"Content-Length", "Content-Encoding", "Content-Md5", "Digest", "Content-Digest", "Repr-Digest", "Accept-Ranges"} {
		hdr.Del(name)
	}
	if rw.transform.strings != nil && rw.transform.strings.Language != "" {
		// Its texts were chosen for the client's language, the rest left as
		// they came: the backend's Content-Language no longer says what
		// the answer is in.
		hdr.Del("Content-Language")
	}
	if etag := hdr.Get("Etag"); etag != "" {
		if etag = answerTag(etag, rw.transform.variant); etag != "" {
			hdr.Set("Etag", etag)
		} else {
			hdr.Del("Etag")
		}
	}
	if rw.cors {
		rw.ownCORS(hdr)
	}
}

// errErrorBodyRead stops a backend's error answer once chatgate has read
// chat.MaxErrorBody of it.
var errErrorBodyRead = errors.New("the backend's error answer is longer than chatgate reads")

const (
	msgAnswerTooLarge   = "the backend's answer is larger than max_response_body"
	msgUnreadableCoding = "the backend's answer has a content encoding chatgate cannot read"
	msgInvalidJSON      = "the backend's answer is not valid JSON"
)

// Buffers for held and transformed bodies. Very large ones are not kept, so
// one huge answer does not pin its memory for good.
var (
	bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	bytesPool  = sync.Pool{New: func() any { return new([]byte) }}
)

const maxPooledBuffer = 8 << 20

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		bufferPool.Put(b)
	}
}

func getBytes() *[]byte { return bytesPool.Get().(*[]byte) }

func putBytes(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		*b = (*b)[:0]
		bytesPool.Put(b)
	}
}

// Interface guards
var (
	_ http.Flusher  = (*responseWriter)(nil)
	_ io.ReaderFrom = (*responseWriter)(nil)
)
