package tests

import (
	"encoding/base64"
	"io"
	"net/http"

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
