package tests

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chatgate/chatgate/samplebackend"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func sampleBackend() http.Handler { return samplebackend.New() }

// newChunkedBody streams body through a pipe, so the request has no
// Content-Length and goes out chunked.
func newChunkedBody(body string) (io.Reader, io.WriteCloser) {
	pr, pw := io.Pipe()
	go func() { _, _ = io.WriteString(pw, body); _ = pw.Close() }()
	return pr, pw
}

func itoa(n int) string { return strconv.Itoa(n) }

// rawRequest writes a request as raw bytes to the server at url and returns
// the answer's status and body, for requests Go's client will not send.
func rawRequest(t *testing.T, url, request string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}
