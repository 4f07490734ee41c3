package caddymodule

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	selection "github.com/chatgate/chatgate/select"
)

// inPieces answers with header and body written size bytes at a time, as
// reverse_proxy copies a backend's answer, and returns the first error
// of a write (as reverse_proxy does, which then aborts).
func inPieces(header http.Header, body []byte, size int) *fakeNext {
	return piecesOf(header, body, size, false)
}

// inFlushedPieces is inPieces with a Flush after each write, as
// reverse_proxy flushes an answer of unknown length (or with
// flush_interval -1).
func inFlushedPieces(header http.Header, body []byte, size int) *fakeNext {
	return piecesOf(header, body, size, true)
}

func piecesOf(header http.Header, body []byte, size int, flush bool) *fakeNext {
	return &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(http.StatusOK)
		for len(body) > 0 {
			n := min(size, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return err
			}
			if flush {
				if err := http.NewResponseController(w).Flush(); err != nil {
					return err
				}
			}
			body = body[n:]
		}
		return nil
	}}
}

// serveAborting is serve, reporting whether the handler aborted the answer
// (panicked with http.ErrAbortHandler, as net/http expects).
func serveAborting(h *Handler, next *fakeNext, target string) (rec *httptest.ResponseRecorder, aborted bool) {
	return serveRequestAborting(h, next, httptest.NewRequest("GET", target, nil))
}

// serveRequestAborting is serveAborting for a request of the caller's.
func serveRequestAborting(h *Handler, next *fakeNext, req *http.Request) (rec *httptest.ResponseRecorder, aborted bool) {
	defer func() {
		if p := recover(); p != nil {
			if p != http.ErrAbortHandler { //nolint:errorlint // the sentinel is panicked as is
				panic(p)
			}
			aborted = true
		}
	}()
	return serve(h, next, req), false
}

func TestAnswersStreamPastTheThreshold(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: 1 << 20})
	items := make([]string, 2000)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range items {
		items[i] = fmt.Sprintf(`{"a":%d,"b":"%x"}`, i, rnd.Uint64())
	}
	large := []byte("[" + strings.Join(items, ",") + "]")
	sel, _ := selection.Parse([]string{"a"}, 10)
	want, err := sel.Project(nil, large)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(large)
	_ = zw.Close()
	zs, _ := zstd.NewWriter(nil)
	zstdBody := zs.EncodeAll(large, nil)
	jsonType := http.Header{"Content-Type": {"application/json"}, "Etag": {`"v"`}}
	coded := func(coding string) http.Header {
		return http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {coding}}
	}
	for _, tc := range []struct {
		name        string
		header      http.Header
		body        []byte
		piece       int
		wantStatus  int
		wantWhole   bool   // sent with a Content-Length
		wantBody    string // "" for want
		wantAborted bool
	}{
		{name: "small: whole, with its length", header: jsonType, body: []byte(`{"a":1,"b":2}`), piece: 3, wantStatus: 200, wantWhole: true, wantBody: `{"a":1,"b":null}`},
		{name: "large: streamed", header: jsonType, body: large, piece: 100, wantStatus: 200},
		{name: "large in one write: streamed", header: jsonType, body: large, piece: 1 << 20, wantStatus: 200},
		{name: "gzip: decoded as it streams", header: coded("gzip"), body: gz.Bytes(), piece: 1000, wantStatus: 200},
		{name: "zstd: decoded as it streams", header: coded("zstd"), body: zstdBody, piece: 1000, wantStatus: 200},
		{name: "invalid within the threshold: 502", header: jsonType, body: []byte(`[{"a":1,}` + strings.Repeat(" ", 1000) + "]"), piece: 100, wantStatus: 502},
		{name: "invalid after bytes went out: aborted", header: jsonType, body: append(large[:len(large)-1:len(large)-1], ",x]"...), piece: 100, wantAborted: true},
		{name: "cut short: aborted", header: jsonType, body: large[:len(large)-1], piece: 100, wantAborted: true},
		{name: "gzip invalid after bytes went out: aborted", header: coded("gzip"), body: gzipped(append(large[:len(large)-1:len(large)-1], ",x]"...)), piece: 1000, wantAborted: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, aborted := serveAborting(h, inPieces(tc.header, tc.body, tc.piece), "/x?$select=a")
			if aborted != tc.wantAborted {
				t.Fatalf("aborted = %v; want %v", aborted, tc.wantAborted)
			}
			if aborted {
				return
			}
			if tc.wantStatus == 502 {
				assertError(t, rec, 502, "BadGateway", "not valid JSON")
				return
			}
			wantBody := tc.wantBody
			if wantBody == "" {
				wantBody = string(want)
			}
			if rec.Code != tc.wantStatus || rec.Body.String() != wantBody {
				t.Fatalf("answer = %d %.200s; want %d %.200s", rec.Code, rec.Body, tc.wantStatus, wantBody)
			}
			hdr := rec.Header()
			if (hdr.Get("Content-Length") != "") != tc.wantWhole || hdr.Get("Content-Encoding") != "" {
				t.Fatalf("headers %v", hdr)
			}
			if etag := hdr.Get("ETag"); etag != "" && etag != `W/"v"` {
				t.Fatalf("ETag %s", etag)
			}
			if !tc.wantWhole && !rec.Flushed {
				t.Fatal("a streamed answer was never flushed")
			}
		})
	}
}

// TestStreamedAnswerOverTheLimitAborts: an answer that passes
// max_response_body after its first bytes went out (firstPiece of them)
// ends abnormally; a declared Content-Length over it is refused up front.
func TestStreamedAnswerOverTheLimitAborts(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: 16 << 10})
	body := []byte("[" + strings.Repeat(`{"a":1},`, 4000) + `{"a":1}]`)
	if _, aborted := serveAborting(h, inPieces(http.Header{"Content-Type": {"application/json"}}, body, 100), "/x?$select=a"); !aborted {
		t.Fatal("an answer past max_response_body was not aborted")
	}
	rec, aborted := serveAborting(h, inPieces(http.Header{"Content-Type": {"application/json"}, "Content-Length": {"20000"}}, body, 100), "/x?$select=a")
	if aborted {
		t.Fatal("a declared Content-Length over the limit was aborted, not refused")
	}
	assertError(t, rec, 502, "BadGateway", "larger than max_response_body")
}

func gzipped(b []byte) []byte {
	return packed(b, func(w io.Writer) io.WriteCloser { return gzip.NewWriter(w) })
}

// packed is b written through the compressor newWriter makes.
func packed(b []byte, newWriter func(io.Writer) io.WriteCloser) []byte {
	var buf bytes.Buffer
	zw := newWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
