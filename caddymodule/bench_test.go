package caddymodule

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"unsafe"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"golang.org/x/crypto/bcrypt"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// BenchmarkPassthrough is chatgate's own work on a request that asks for no
// transform, Basic credentials verified (and remembered), with a next
// handler that answers a small JSON body at once. Each iteration also makes
// what Caddy makes for every request (a header map, a context and a
// replacer): about 390 ns and 9 of the allocations are that.
func BenchmarkPassthrough(b *testing.B) {
	benchRequests(b, Handler{}, "/chat/sessions/157", nil, []byte(`{"ChatSessionId":157}`))
}

// BenchmarkEntityTransform is bench/run.sh's scenario (b) in process: one
// ChatSession entity with $select, SO-TimeZone (US-NY, includeTZOffset)
// and SO-Language, as BenchmarkPassthrough serves it.
func BenchmarkEntityTransform(b *testing.B) {
	benchRequests(b, Handler{BaseTimezone: "Europe/Oslo"},
		"/entity?$select=ChatSessionId,CustomerName,Status,WhenRequested,WhenStarted,User/Name,FieldProperties",
		http.Header{"So-Timezone": {"US-NY, includeTZOffset"}, "So-Language": {"nb"}},
		benchratio.CompactChatSession(b, "../select/testdata/chatsession.json"))
}

// benchRequests serves GET path with the headers given and Basic
// credentials (verified once, then remembered) through h, the next
// handler answering body as JSON at once.
func benchRequests(b *testing.B, h Handler, path string, headers http.Header, body []byte) {
	hash, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		b.Fatal(err)
	}
	h.BasicAccounts = []BasicAccount{{"ann", string(hash)}}
	handler := provisioned(&testing.T{}, h)
	contentType := []string{"application/json"}
	next := caddyhttp.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		w.Header()["Content-Type"] = contentType
		_, err := w.Write(body)
		return err
	})
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:pw"))
	base := httptest.NewRequest("GET", path, nil)
	w := &discardWriter{header: http.Header{}}
	serve := func() {
		// What Caddy gives each request: its own headers and replacer.
		ctx := context.WithValue(base.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
		req := base.WithContext(ctx)
		req.Header = http.Header{"Authorization": {auth}}
		for name, values := range headers {
			req.Header[name] = values
		}
		clear(w.header)
		if err := handler.ServeHTTP(w, req, next); err != nil {
			b.Fatal(err)
		}
	}
	serve() // the bcrypt comparison, remembered from here on
	b.ReportAllocs()
	for b.Loop() {
		serve()
	}
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{ header http.Header }

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkChunkPlacement is a 1.1 MB answer of 20 chunks through a
// loopback HTTP/1.1 server, each chunk written from a buffer whose byte
// at chunkDataAt lies 16 bytes into a 64-byte line (as the engine places
// its output), against one that lies 56 bytes in (where a page-aligned
// buffer has it): the ratio is the time of the first. On this AMD EPYC
// the kernel copies the second at half the speed (README, "Performance"),
// a few percent of the whole exchange here; elsewhere it may be 1.
func BenchmarkChunkPlacement(b *testing.B) {
	const chunk, chunks = 56000, 20
	array := make([]byte, chunk+128)
	at := func(residue uintptr) []byte {
		skew := (residue - uintptr(unsafe.Pointer(&array[0])) - uintptr(chunkDataAt)) % 64
		return array[skew : skew+chunk]
	}
	var mu sync.Mutex
	body := at(16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		for range chunks {
			_, _ = w.Write(body)
		}
	}))
	defer srv.Close()
	buf := make([]byte, 32<<10)
	get := func() {
		res, err := srv.Client().Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := io.CopyBuffer(io.Discard, struct{ io.Reader }{res.Body}, buf); n != chunk*chunks {
			b.Fatalf("%d bytes", n)
		}
		_ = res.Body.Close()
	}
	placed := func() { mu.Lock(); body = at(16); mu.Unlock(); get() }
	unplaced := func() { mu.Lock(); body = at(56); mu.Unlock(); get() }
	for b.Loop() {
		placed()
	}
	b.ReportMetric(benchratio.Median(placed, unplaced), "x-time-of-unplaced")
}
