package caddymodule

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/caddyserver/caddy/v2"
)

// TestStreamPlacesChunks: a streamed answer is written in chunks whose
// byte at chunkDataAt (the first that net/http's HTTP/1.1 sends straight
// from the write) lies 16 bytes into a 64-byte line, but for those while
// the engine's output array grows (at most two: a fresh engine's).
func TestStreamPlacesChunks(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 1 << 30})
	items := make([]string, 20000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"a":%d,"b":"entity %d","c":[1,2,3]}`, i, i)
	}
	body := []byte("[" + strings.Join(items, ",") + "]")
	next := inPieces(http.Header{"Content-Type": {"application/json"}}, body, 32<<10)
	req := httptest.NewRequest("GET", "/items?$select=a", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	w := &chunkRecorder{ResponseRecorder: httptest.NewRecorder()}
	ctx := context.WithValue(req.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
	if err := h.ServeHTTP(w, req.WithContext(ctx), next); err != nil || w.Code != 200 {
		t.Fatalf("%d, %v", w.Code, err)
	}
	if w.long < 10 || w.unplaced > 2 {
		t.Errorf("%d of %d chunks longer than %d have their byte %d elsewhere", w.unplaced, w.long, chunkDataAt, chunkDataAt)
	}
}

// chunkRecorder counts the writes longer than chunkDataAt whose byte at
// chunkDataAt is not 16 bytes into a 64-byte line.
type chunkRecorder struct {
	*httptest.ResponseRecorder
	long, unplaced int
}

func (w *chunkRecorder) Write(b []byte) (int, error) {
	if len(b) > chunkDataAt {
		w.long++
		if uintptr(unsafe.Pointer(&b[chunkDataAt]))%64 != 16 {
			w.unplaced++
		}
	}
	return w.ResponseRecorder.Write(b)
}

// TestChunkDataAtIsNetHTTPs: net/http's HTTP/1.1 server sends a chunk of
// 50,000 bytes, after the first, in two system calls, the second straight
// from the handler's write at chunkDataAt. A Go release that buffers
// otherwise fails here, and chunkDataAt must follow it.
func TestChunkDataAtIsNetHTTPs(t *testing.T) {
	chunk := make([]byte, 50000)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(chunk)
		_, _ = w.Write(chunk)
	}))
	conns := &writeStarts{}
	srv.Listener = &listenerFunc{srv.Listener, conns}
	srv.Start()
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	if n != 2*int64(len(chunk)) || res.TransferEncoding == nil {
		t.Fatalf("%d bytes, %v: want two chunks", n, res.TransferEncoding)
	}
	if want := uintptr(unsafe.Pointer(&chunk[chunkDataAt])); !conns.has(want) {
		t.Errorf("no write to the connection starts at the chunk's byte %d", chunkDataAt)
	}
}

// listenerFunc notes where each write to its connections starts.
type listenerFunc struct {
	net.Listener
	starts *writeStarts
}

func (l *listenerFunc) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	return notedConn{c, l.starts}, err
}

type notedConn struct {
	net.Conn
	starts *writeStarts
}

func (c notedConn) Write(b []byte) (int, error) {
	if len(b) > 0 {
		c.starts.add(uintptr(unsafe.Pointer(&b[0])))
	}
	return c.Conn.Write(b)
}

type writeStarts struct {
	mu   sync.Mutex
	list []uintptr
}

func (s *writeStarts) add(p uintptr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, p)
}

func (s *writeStarts) has(p uintptr) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.list, p)
}
