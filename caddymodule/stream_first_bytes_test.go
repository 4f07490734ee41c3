package caddymodule

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"

	selection "github.com/chatgate/chatgate/select"
)

// TestCompressedFirstBytesComeAtOnce: a compressed answer is held by its
// decoded bytes, not its compressed ones. A backend that sends a gzip
// prefix that decodes past stream_threshold (but is much shorter than it
// compressed), then stalls, has the first transformed bytes reach the
// client at once, over HTTP/1.1 and HTTP/2, for an answer to transform
// and for an agent call's.
func TestCompressedFirstBytesComeAtOnce(t *testing.T) {
	h := provisioned(t, Handler{Agents: []AgentRoute{ // stream_threshold 64 KiB
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
	}})
	items := make([]string, 4000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"Id":%d,"Name":"entity %d","Text":"%s"}`, i, i, strings.Repeat("x", i%40))
	}
	doc := []byte("[" + strings.Join(items, ",") + "]")
	sel, _ := selection.Parse([]string{"Id"}, 10)
	projected, err := sel.Project(nil, doc)
	if err != nil {
		t.Fatal(err)
	}
	const decodedPrefix = 100_000
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(doc[:decodedPrefix])
	_ = zw.Flush()
	prefix := gz.Len()
	_, _ = zw.Write(doc[decodedPrefix:])
	_ = zw.Close()
	if decodedPrefix <= DefaultStreamThreshold || prefix >= DefaultStreamThreshold {
		t.Fatalf("the prefix is %d bytes compressed, %d decoded", prefix, decodedPrefix)
	}
	for _, tc := range []struct {
		name, method, target, body string
		want                       []byte
	}{
		{"transform", "GET", "/x?$select=Id", "", projected},
		{"agent call", "POST", "/api/v1/Agents/Chat/GetChatMessages", `{"ChatSessionId":1}`, doc}, // properties it does not know kept as they came
	} {
		for _, proto := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/HTTP/%d", tc.name, proto), func(t *testing.T) {
				stalled := make(chan struct{}) // closed when the client has its first bytes
				next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
					w.Header().Set("Content-Type", "application/json; charset=utf-8")
					w.Header().Set("Content-Encoding", "gzip")
					w.WriteHeader(http.StatusOK)
					_, _ = w.Write(gz.Bytes()[:prefix])
					_ = http.NewResponseController(w).Flush()
					select {
					case <-stalled:
					case <-time.After(10 * time.Second):
					}
					_, err := w.Write(gz.Bytes()[prefix:])
					return err
				}}
				srv := tlsServer(t, h, next, proto)
				start := time.Now()
				req, _ := http.NewRequest(tc.method, srv.URL+tc.target, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", "application/json")
				res, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				first := make([]byte, 1)
				if _, err := io.ReadFull(res.Body, first); err != nil {
					t.Fatal(err)
				}
				if took := time.Since(start); took > time.Second {
					t.Fatalf("the first bytes came after %v, while the backend stalled", took)
				}
				close(stalled)
				rest, err := io.ReadAll(res.Body)
				if err != nil || res.ProtoMajor != proto || string(first)+string(rest) != string(tc.want) {
					t.Fatalf("%s: %v, %d bytes, want %d: %.100s", res.Proto, err, 1+len(rest), len(tc.want), string(first)+string(rest))
				}
			})
		}
	}
}

// TestInvalidFirstBytesAnsweredAtOnce: invalid JSON within the first
// stream_threshold bytes is a clean 502 as soon as it arrives, while the
// backend still holds the rest of its answer back (a backend that breaks
// and then stalls does not hold the client until it ends), over HTTP/1.1
// and HTTP/2, for an answer to transform and for an agent call's answer.
// The backend waits until the client has its
// answer; released by its timeout instead, it fails the test. (A
// compressed answer's decoder reads in a goroutine of its own: its failure
// is answered at the backend's next write or its end.)
func TestInvalidFirstBytesAnsweredAtOnce(t *testing.T) {
	h := provisioned(t, Handler{Agents: []AgentRoute{ // stream_threshold 64 KiB
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
	}})
	for _, tc := range []struct {
		name, method, target, body, broken string
	}{
		{"transform", "GET", "/x?$select=Id", "", `[{"Id":1,"Name":"one"},{"Id":2,"Name":trux`},
		{"agent call", "POST", "/api/v1/Agents/Chat/GetChatSessionEntity", `{"ChatSessionEntityId":1}`, `{"chatSessionId":1,"status":trux`},
	} {
		for _, proto := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/HTTP/%d", tc.name, proto), func(t *testing.T) {
				answered := make(chan struct{})
				timedOut := make(chan bool, 1)
				next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Length", "200000")
					w.WriteHeader(http.StatusOK)
					if _, err := w.Write([]byte(tc.broken)); err != nil {
						timedOut <- false
						return err // refused at once
					}
					select {
					case <-answered:
						timedOut <- false
					case <-time.After(10 * time.Second):
						timedOut <- true
					}
					return io.ErrUnexpectedEOF
				}}
				srv := tlsServer(t, h, next, proto)
				req, _ := http.NewRequest(tc.method, srv.URL+tc.target, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", "application/json")
				res, err := srv.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				close(answered)
				if <-timedOut {
					t.Fatal("the client had its answer only once the backend ended")
				}
				if res.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "not valid JSON") {
					t.Fatalf("%d %s", res.StatusCode, body)
				}
			})
		}
	}
}

// tlsServer serves h, with next after it, over TLS: HTTP/1.1, or HTTP/2
// when proto is 2; every request with a bearer token. It closes with the
// test.
func tlsServer(t *testing.T, h *Handler, next *fakeNext, proto int) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Authorization", "Bearer test-token")
		ctx := context.WithValue(r.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
		_ = h.ServeHTTP(w, r.WithContext(ctx), next)
	}))
	srv.EnableHTTP2 = proto == 2
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// TestFirstWriteCarriesAFirstPiece: a streamed answer's first write
// carries at least firstPiece bytes of output (an encode after chatgate
// decides on it whether to compress the whole answer), however little a
// $select leaves of the threshold's bytes and however the backend's
// writes come; and when the backend stalls with less than that made, what
// there is goes out after flushDelay, over HTTP/1.1 and HTTP/2.
func TestFirstWriteCarriesAFirstPiece(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 64})
	item := `{"a":1,"s":"` + strings.Repeat("x", 200) + `"}`
	doc := []byte("[" + strings.Repeat(item+",", 999) + item + "]") // 218 KB, its output 8 KB
	for _, next := range []*fakeNext{inPieces(http.Header{"Content-Type": {"application/json"}}, doc, 100),
		inFlushedPieces(http.Header{"Content-Type": {"application/json"}}, doc, 100),
		answering(200, http.Header{"Content-Type": {"application/json"}}, string(doc))} {
		w := &writeSizes{ResponseRecorder: httptest.NewRecorder()}
		req := request("GET", "/x?$select=a")
		req.Header.Set("Authorization", "Bearer t")
		if err := h.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())), next); err != nil {
			t.Fatal(err)
		}
		if w.Code != 200 || w.Header().Get("Content-Length") != "" || w.Body.Len() != 1000*len(`{"a":1,"s":null},`)+1 {
			t.Fatalf("%d %v, %d bytes", w.Code, w.Header(), w.Body.Len())
		}
		if len(w.sizes) == 0 || w.sizes[0] <= 512 {
			t.Errorf("writes of %v bytes: the first is no longer than encode's minimum_length", w.sizes)
		}
	}

	// one write of the backend that makes far more than firstPiece: its
	// output goes out in the engine's pieces, not held whole first
	big := []byte("[" + strings.Repeat(`{"a":1,"b":2},`, 40000) + `{"a":1,"b":2}]`) // 560 KB, as much out
	w := &writeSizes{ResponseRecorder: httptest.NewRecorder()}
	req := request("GET", "/x?$select=a")
	req.Header.Set("Authorization", "Bearer t")
	if err := h.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())),
		answering(200, http.Header{"Content-Type": {"application/json"}}, string(big))); err != nil {
		t.Fatal(err)
	}
	if w.Code != 200 || len(w.sizes) == 0 || w.sizes[0] <= 512 || w.sizes[0] > 128<<10 {
		t.Errorf("one write of %d bytes: writes of %v bytes; the first must be more than 512 and at most an engine piece", len(big), w.sizes[:min(len(w.sizes), 5)])
	}

	for _, proto := range []int{1, 2} {
		stalled := make(chan struct{}) // closed when the client has its first bytes
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(doc[:10*len(item)]) // past the threshold: 170 bytes of output
			_ = http.NewResponseController(w).Flush()
			select {
			case <-stalled:
			case <-time.After(10 * time.Second):
			}
			_, err := w.Write(doc[10*len(item):])
			return err
		}}
		srv := tlsServer(t, h, next, proto)
		req, _ := http.NewRequest("GET", srv.URL+"/x?$select=a", nil)
		req.Header.Set("Authorization", "Bearer t")
		start := time.Now()
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		first := make([]byte, 1)
		if _, err := io.ReadFull(res.Body, first); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		close(stalled)
		rest, err := io.ReadAll(res.Body)
		res.Body.Close()
		if took > time.Second || err != nil || 1+len(rest) != 1000*len(`{"a":1,"s":null},`)+1 {
			t.Fatalf("HTTP/%d: the first bytes after %v; %v, %d bytes", proto, took, err, 1+len(rest))
		}
	}
}

// writeSizes records the size of each write to a ResponseRecorder.
type writeSizes struct {
	*httptest.ResponseRecorder
	sizes []int
}

func (w *writeSizes) Write(p []byte) (int, error) {
	w.sizes = append(w.sizes, len(p))
	return w.ResponseRecorder.Write(p)
}
