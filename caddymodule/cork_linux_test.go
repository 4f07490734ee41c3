package caddymodule

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/caddyserver/caddy/v2"
)

// tcpPair is a connected pair of loopback TCP connections.
func tcpPair(t *testing.T) (client, server *net.TCPConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.TCPConn), s.(*net.TCPConn)
}

// corkedNow reads TCP_CORK of socket.
func corkedNow(t *testing.T, socket syscall.RawConn) bool {
	t.Helper()
	var on int
	var err error
	if cerr := socket.Control(func(fd uintptr) { on, err = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK) }); cerr != nil || err != nil {
		t.Fatal(cerr, err)
	}
	return on != 0
}

// corkRecorder records, for each write, its length and whether socket
// was corked during it.
type corkRecorder struct {
	*httptest.ResponseRecorder
	t      *testing.T
	socket syscall.RawConn
	writes []string // "n corked" or "n"
}

func (w *corkRecorder) Write(p []byte) (int, error) {
	mark := fmt.Sprint(len(p))
	if corkedNow(w.t, w.socket) {
		mark += " corked"
	}
	w.writes = append(w.writes, mark)
	return w.ResponseRecorder.Write(p)
}

// TestKeepClientSocket: the connection hook keeps a TCP connection's
// socket, under TLS too, and nothing for a connection that is not TCP;
// clientSocket gives it to HTTP/1 requests only.
func TestKeepClientSocket(t *testing.T) {
	_, server := tcpPair(t)
	pipe, _ := net.Pipe()
	defer pipe.Close()
	for _, tc := range []struct {
		name string
		conn net.Conn
		kept bool
	}{
		{"TCP", server, true},
		{"TLS over TCP", tls.Server(server, &tls.Config{}), true},
		{"embedded, as Caddy's listener for HTTP/1 without h2c has it", &struct {
			idx int
			net.Conn
		}{Conn: server}, true},
		{"PROXY protocol's", rawConn{server}, true},
		{"a pipe", pipe, false},
		{"a pipe, embedded", &struct{ net.Conn }{pipe}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := keepClientSocket(context.Background(), tc.conn)
			for _, proto := range []int{1, 2} {
				r := httptest.NewRequest("GET", "/", nil).WithContext(ctx)
				r.ProtoMajor = proto
				if got, want := clientSocket(r) != nil, tc.kept && proto == 1; got != want {
					t.Errorf("HTTP/%d: a socket %v, want %v", proto, got, want)
				}
			}
		})
	}
	// a second hook (another chatgate handler of the server) keeps the first's
	ctx := keepClientSocket(context.Background(), server)
	if again := keepClientSocket(ctx, pipe); again != ctx {
		t.Error("a second hook made a context of its own")
	}
}

// rawConn is a connection around another that gives it by Raw, as the
// PROXY protocol's listener's does.
type rawConn struct{ net.Conn }

func (c rawConn) Raw() net.Conn { return c.Conn }

// TestWriteCorked: a write net/http sends in two system calls goes out
// with the socket corked, which is uncorked after it; a shorter one, or
// one without a socket, is written as it is.
func TestWriteCorked(t *testing.T) {
	_, server := tcpPair(t)
	socket, err := server.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	w := &corkRecorder{ResponseRecorder: httptest.NewRecorder(), t: t, socket: socket}
	for _, p := range [][]byte{make([]byte, chunkDataAt), make([]byte, chunkDataAt-1)} {
		if n, err := writeCorked(w, socket, p); n != len(p) || err != nil {
			t.Fatal(n, err)
		}
	}
	if _, err := writeCorked(w, nil, make([]byte, 50000)); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("[%d corked %d 50000]", chunkDataAt, chunkDataAt-1)
	if got := fmt.Sprint(w.writes); got != want {
		t.Errorf("writes %s, want %s", got, want)
	}
	if corkedNow(t, socket) {
		t.Error("the socket stayed corked")
	}
}

// TestTransformedAnswersAreCorked: through the handler, a streamed answer's
// pieces and a whole answer go out corked on the request's socket, and the
// socket is uncorked when the answer ends.
func TestTransformedAnswersAreCorked(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 1 << 30})
	_, server := tcpPair(t)
	socket, _ := server.SyscallConn()
	item := `{"a":1,"b":"` + strings.Repeat("x", 100) + `"}`
	for _, tc := range []struct {
		name  string
		items int
	}{
		{"streamed", 10000}, // 1.1 MB
		{"whole", 100},      // 11 KB, within stream_threshold
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte("[" + strings.TrimSuffix(strings.Repeat(item+",", tc.items), ",") + "]")
			next := inPieces(http.Header{"Content-Type": {"application/json"}}, body, 32<<10)
			req := httptest.NewRequest("GET", "/items?$select=b", nil)
			req.Header.Set("Authorization", "Bearer test-token")
			ctx := context.WithValue(keepClientSocket(req.Context(), server), caddy.ReplacerCtxKey, caddy.NewReplacer())
			w := &corkRecorder{ResponseRecorder: httptest.NewRecorder(), t: t, socket: socket}
			if err := h.ServeHTTP(w, req.WithContext(ctx), next); err != nil || w.Code != 200 {
				t.Fatalf("%d, %v", w.Code, err)
			}
			long, corked := 0, 0
			for _, mark := range w.writes {
				var n int
				fmt.Sscan(mark, &n)
				if n >= chunkDataAt {
					long++
					if strings.HasSuffix(mark, " corked") {
						corked++
					}
				}
			}
			if long == 0 || corked != long {
				t.Errorf("%d of %d writes of %d bytes or more corked: %v", corked, long, chunkDataAt, w.writes)
			}
			if corkedNow(t, socket) {
				t.Error("the socket stayed corked")
			}
		})
	}
}
