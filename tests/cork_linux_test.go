//go:build linux && !386

package tests

import (
	"bufio"
	"bytes"
	byteorder "encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestStreamedPiecesArriveWhole: Go's HTTP/1.1 server sends each piece of
// a streamed answer in two system calls, and a flush after it in a third;
// without TCP_CORK each would reach the client as a segment of its own.
// chatgate corks the client's socket around them, so the client receives
// one segment a chunk (the kernel's own count, tcpi_segs_in), where it
// would count two or three: for a backend that sends a Content-Length
// (pieces of 48 KiB) and for one that does not (reverse_proxy then
// flushes after each of its writes, and chatgate with it).
func TestStreamedPiecesArriveWhole(t *testing.T) {
	item := `{"ChatSessionId":1,"CustomerName":"` + strings.Repeat("x", 200) + `","Status":4}`
	items := 5000 // 1.1 MB, about 23 pieces of 48 KiB
	body := "[" + strings.TrimSuffix(strings.Repeat(item+",", items), ",") + "]"
	for _, tc := range []struct {
		name      string
		chunked   bool
		protocols string // the server's
	}{
		{"Content-Length", false, "h1 h2c"},
		{"chunked", true, "h1 h2c"},
		// Caddy wraps each connection of such a server in one of its own
		{"HTTP/1 only", false, "h1"},
	} {
		chunked := tc.chunked
		t.Run(tc.name, func(t *testing.T) {
			be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if !chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
					_, _ = io.WriteString(w, body)
					return
				}
				for rest := body; rest != ""; {
					n := min(len(rest), 48<<10)
					_, _ = io.WriteString(w, rest[:n])
					w.(http.Flusher).Flush()
					rest = rest[n:]
				}
			}))
			gw := corkGateway(t, be, tc.protocols)
			raw, segments := rawExchange(t, gw, "GET /x?$select=CustomerName,Status HTTP/1.1\r\nHost: gw\r\n"+
				"Authorization: Bearer e2e-token\r\nConnection: close\r\n\r\n")
			res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
			if err != nil {
				t.Fatal(err)
			}
			answer, err := io.ReadAll(res.Body)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("%d: %v", res.StatusCode, err)
			}
			var got []map[string]any
			if err := json.Unmarshal(answer, &got); err != nil || len(got) != items || got[items-1]["Status"] != 4.0 {
				t.Fatalf("the answer is not the projected array (%v): %.100s", err, answer)
			}
			chunks := countChunks(t, raw)
			t.Logf("%d chunks; the client received %d segments", chunks, segments)
			if chunks < 20 {
				t.Fatalf("%d chunks: the answer did not stream in pieces", chunks)
			}
			// one a chunk; beside them the flush after the first piece, the
			// last chunk, the close: a few (uncorked, two or three a chunk)
			if segments > chunks+8 {
				t.Fatalf("the client received %d segments for %d chunks: the pieces were not sent whole", segments, chunks)
			}
		})
	}
}

// corkGateway is streamGateway with the server's protocols as given and
// reverse_proxy's default flushing.
func corkGateway(t *testing.T, be *backend, protocols string) *gateway {
	port := freePort(t)
	return startWithCaddyfile(t, fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
	servers {
		protocols %s
	}
}

:%d {
	chatgate
	reverse_proxy %s
}
`, protocols, port, be.addr()), port, nil)
}

// rawExchange sends request to gw on a connection of its own, with a
// receive buffer the whole answer fits in (the client's window never
// splits a piece), and returns what came back until the gateway closed
// the connection, and the segments that brought it.
func rawExchange(t *testing.T, gw *gateway, request string) (raw []byte, segments int) {
	t.Helper()
	dialer := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<20) })
	}}
	conn, err := dialer.Dial("tcp", strings.TrimPrefix(gw.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	if raw, err = io.ReadAll(conn); err != nil {
		t.Fatal(err)
	}
	return raw, segmentsIn(t, conn.(*net.TCPConn))
}

// countChunks counts the chunks of the chunked HTTP/1.1 answer raw.
func countChunks(t *testing.T, raw []byte) int {
	t.Helper()
	_, rest, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	for n := 0; ok; n++ {
		var line []byte
		line, rest, ok = bytes.Cut(rest, []byte("\r\n"))
		size, err := strconv.ParseInt(string(line), 16, 64)
		if !ok || err != nil || size < 0 || int64(len(rest)) < size+2 {
			break
		}
		if size == 0 {
			return n
		}
		rest = rest[size+2:]
	}
	t.Fatalf("not a chunked answer: %.200q", raw)
	return 0
}

// segmentsIn is the kernel's count of the segments conn received
// (struct tcp_info's tcpi_segs_in, Linux 4.2 on).
func segmentsIn(t *testing.T, conn *net.TCPConn) int {
	t.Helper()
	const segsInAt = 140 // after tcpi_segs_out
	var info [256]byte
	size := uint32(len(info))
	socket, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var errno syscall.Errno
	_ = socket.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
	})
	if errno != 0 || size < segsInAt+4 {
		t.Fatalf("TCP_INFO: %v, %d bytes (tcpi_segs_in needs Linux 4.2 or later)", errno, size)
	}
	return int(byteorder.NativeEndian.Uint32(info[segsInAt:]))
}
