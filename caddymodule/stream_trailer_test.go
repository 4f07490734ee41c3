package caddymodule

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
)

// compressed is a gzip body of doc, stored without compression, so that
// it is longer than doc.
func compressed(doc string) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression)
	_, _ = zw.Write([]byte(doc))
	_ = zw.Close()
	return buf.Bytes()
}

// TestCompressedHeldAnswers: the first stream_threshold decoded bytes of a
// compressed answer are held as an uncompressed answer's are. A body that
// decodes to less is answered whole with its Content-Length, however long
// it was compressed; a decoding failure within them is a clean 502.
func TestCompressedHeldAnswers(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: 1 << 20})
	hdr := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}
	doc := `[{"a":1,"b":2},{"a":3,"b":4},{"a":5,"b":66}]`
	body := compressed(doc)
	if len(body) <= 64 {
		t.Fatalf("the compressed body is %d bytes, not past the threshold", len(body))
	}
	rec, aborted := serveAborting(h, inPieces(hdr, body, 7), "/x?$select=a")
	if aborted || rec.Code != 200 || rec.Body.String() != `[{"a":1,"b":null},{"a":3,"b":null},{"a":5,"b":null}]` ||
		rec.Header().Get("Content-Length") != "52" || rec.Header().Get("Content-Encoding") != "" {
		t.Fatalf("aborted %v, %d %v %q", aborted, rec.Code, rec.Header(), rec.Body)
	}

	// 40 valid bytes, then a reserved deflate block type
	corrupt := compressed(`[{"a":1},{"a":2},{"a":3},{"a":4},{"a":5}`)
	corrupt = append(corrupt[:len(corrupt)-8-5], bytes.Repeat([]byte{0xff}, 100)...)
	rec, aborted = serveAborting(h, inPieces(hdr, corrupt, 1000), "/x?$select=a")
	if aborted {
		t.Fatal("a decoding failure within the held bytes began the answer and aborted it")
	}
	assertError(t, rec, 502, "BadGateway", "could not be decoded")
}

// slowWriter is a client that reads slowly once told to (HTTP/2 flow
// control holds the writes back).
type slowWriter struct {
	http.ResponseWriter
	slow *atomic.Bool
}

func (s slowWriter) Write(p []byte) (int, error) {
	if s.slow.Load() {
		time.Sleep(40 * time.Millisecond)
	}
	return s.ResponseWriter.Write(p)
}

func (s slowWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// TestStreamedTrailersOverHTTP2: the handlers after chatgate set a
// streamed answer's trailers while its delayed flush may run, which under
// HTTP/2 reads the header for trailers; they reach the client, and (under
// -race) nothing reads and writes the header at once. Compressed, as
// reverse_proxy does it (a Flush, then the trailer); and uncompressed, set
// after a pause with no Flush.
func TestStreamedTrailersOverHTTP2(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: 64 << 20})
	var slow atomic.Bool
	big := `[{"a":"` + strings.Repeat("x", 2<<20) + `"}]`
	gz := gzipped([]byte(big))
	for _, tc := range []struct {
		name    string
		respond func(w http.ResponseWriter, _ *http.Request) error
	}{
		{"gzip, as reverse_proxy", func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Trailer", "X-Checksum")
			w.WriteHeader(200)
			for b := gz; len(b) > 0; {
				n := min(512, len(b))
				if _, err := w.Write(b[:n]); err != nil {
					return err
				}
				b = b[n:]
			}
			slow.Store(true)
			_ = http.NewResponseController(w).Flush()
			w.Header().Set("X-Checksum", "abc")
			return nil
		}},
		{"plain, set after a pause", func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Trailer", "X-Checksum")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, big[:len(big)-10])
			_, _ = io.WriteString(w, big[len(big)-10:])
			time.Sleep(50 * time.Millisecond)
			w.Header().Set("X-Checksum", "abc")
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &fakeNext{respond: tc.respond}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Header.Set("Authorization", "Bearer test-token")
				ctx := context.WithValue(r.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
				_ = h.ServeHTTP(slowWriter{w, &slow}, r.WithContext(ctx), next)
			}))
			srv.EnableHTTP2 = true
			srv.StartTLS()
			defer srv.Close()
			c := srv.Client()
			c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
			for range 3 {
				slow.Store(false)
				res, err := c.Get(srv.URL + "/x?$select=a")
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil || res.ProtoMajor != 2 || len(body) != len(big) || res.Trailer.Get("X-Checksum") != "abc" {
					t.Fatalf("%s, %d bytes, %v, trailer %v", res.Proto, len(body), err, res.Trailer)
				}
			}
		})
	}
}

// TestGatheredAnswerFailures: while a streamed answer's first output
// waits for more (less than firstPiece, before flushDelay), a compressed
// answer whose decoding fails, or that decodes past max_response_body, and
// then stalls past flushDelay is a clean 502, not a 200 cut off later (the
// decoder's failure held the delayed flush back only once the backend
// wrote again; found by a probe).
func TestGatheredAnswerFailures(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64, MaxResponseBody: 100 << 10})
	head := `{"small":1,"big":"` + strings.Repeat("x", 2000)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(head))
	_ = zw.Flush()
	for _, tc := range []struct {
		name, message string
		rest          []byte
	}{
		{"corrupt", "could not be decoded", []byte("\xff\xfe\xfd\xfc garbage")},
		{"past max_response_body", "larger than max_response_body", gzipped([]byte(strings.Repeat("y", 200<<10)))[10:]},
	} {
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz.Bytes())
			_ = http.NewResponseController(w).Flush()
			_, _ = w.Write(tc.rest)
			_ = http.NewResponseController(w).Flush()
			time.Sleep(4 * flushDelay)
			return nil
		}}
		rec, aborted := serveAborting(h, next, "/x?$select=small")
		if aborted || rec.Code != 502 {
			t.Fatalf("%s: aborted %v, %d %.80q", tc.name, aborted, rec.Code, rec.Body)
		}
		assertError(t, rec, 502, "BadGateway", tc.message)
	}
}

// TestGatheredAnswerTrailers: an answer that ends while its output
// gathers sends the backend's trailers as trailers, never in its header
// (found by a probe).
func TestGatheredAnswerTrailers(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64})
	next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Trailer", "X-Sum")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"small":1,"big":"`+strings.Repeat("x", 2000)+`"}`)
		w.Header().Set("X-Sum", "abc")
		return nil
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", "Bearer test-token")
		ctx := context.WithValue(r.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
		_ = h.ServeHTTP(w, r.WithContext(ctx), next)
	}))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/x?$select=small")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || string(body) != `{"small":1,"big":null}` || res.Header.Get("X-Sum") != "" || res.Trailer.Get("X-Sum") != "abc" {
		t.Fatalf("%v %q, header %v, trailer %v", err, body, res.Header, res.Trailer)
	}
}
