// Package tests runs the real chatgate binary (Caddy's standard modules plus
// chatgate, built from ./cmd/chatgate) in front of real HTTP backends.
package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildDir holds the binary TestMain's tests build.
var buildDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "chatgate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	buildDir = dir
	return m.Run()
}

var (
	buildOnce   sync.Once
	builtBinary string
	buildErr    error
)

// binary is the chatgate binary under test: $CHATGATE_BINARY, or one built
// from ./cmd/chatgate on first use (with -race when the tests run with
// -race). It is built from inside a test, where go test notes the files the
// process reads.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if builtBinary = os.Getenv("CHATGATE_BINARY"); builtBinary != "" {
			return
		}
		if buildErr = readSources(".."); buildErr != nil {
			return
		}
		builtBinary = filepath.Join(buildDir, "chatgate")
		args := []string{"build", "-o", builtBinary}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "./cmd/chatgate")...)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("building ./cmd/chatgate: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBinary
}

// readSources reads every file the binary is built from. go test caches a
// passing run until the files the test process itself read change; the
// sources are read by the go build it starts, so without this a changed
// module would still pass from the cache.
func readSources(root string) error {
	return filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		name := d.Name()
		if !d.IsDir() && (strings.HasSuffix(name, ".go") || name == "go.mod" || name == "go.sum") {
			_, err = os.ReadFile(path)
		}
		return err
	})
}

// gateway is a running chatgate binary.
type gateway struct {
	URL  string
	cmd  *exec.Cmd
	logs *syncBuffer
}

// startGateway runs the binary with a site on a free port whose body is
// site (the directives inside the site block); {backend} in site becomes
// backendAddr.
func startGateway(t *testing.T, site, backendAddr string) *gateway {
	t.Helper()
	port := freePort(t)
	caddyfile := fmt.Sprintf("{\n\tadmin off\n\tauto_https off\n\tpersist_config off\n}\n\n:%d {\n%s\n}\n",
		port, strings.ReplaceAll(site, "{backend}", backendAddr))
	return startWithCaddyfile(t, caddyfile, port, nil)
}

// startWithCaddyfile runs the binary with a Caddyfile that serves HTTP on port.
func startWithCaddyfile(t *testing.T, caddyfile string, port int, env []string) *gateway {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(path, []byte(caddyfile), 0o600); err != nil {
		t.Fatal(err)
	}
	g := &gateway{URL: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &syncBuffer{}}
	g.cmd = exec.Command(binary(t), "run", "--config", path, "--adapter", "caddyfile")
	g.cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir, "HOME="+dir)
	g.cmd.Env = append(g.cmd.Env, env...)
	g.cmd.Stdout, g.cmd.Stderr = g.logs, g.logs
	dieWithParent(g.cmd)
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = g.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = g.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = g.cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("gateway logs:\n%s", g.logs.String())
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			conn.Close()
			return g
		}
		if g.cmd.ProcessState != nil || time.Now().After(deadline) {
			t.Fatalf("gateway did not start: %v\n%s", err, g.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// received is one request as the backend saw it.
type received struct {
	Method, RequestURI, ContentType string
	Header                          http.Header
	Body                            string
}

// backend is a real HTTP server that records every request before handing it
// to its handler.
type backend struct {
	*httptest.Server
	mu       sync.Mutex
	requests []received
}

func newBackend(t *testing.T, h http.Handler) *backend {
	t.Helper()
	b := &backend{}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		b.requests = append(b.requests, received{r.Method, r.RequestURI, r.Header.Get("Content-Type"), r.Header.Clone(), string(body)})
		b.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(b.Close)
	return b
}

// addr is host:port for reverse_proxy.
func (b *backend) addr() string { return strings.TrimPrefix(b.URL, "http://") }

// take returns the requests recorded since the last call and forgets them.
func (b *backend) take() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.requests
	b.requests = nil
	return r
}

// echoJSON answers every request with {"echo":true}.
var echoJSON = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, `{"echo":true}`)
})

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// do sends a request with the given headers (name, value pairs) and body,
// with a Bearer credential unless the headers hold an Authorization or
// an X-XSRF-TOKEN of their own.
func do(t *testing.T, method, url, body string, headers ...string) response {
	t.Helper()
	own := false
	for i := 0; i < len(headers); i += 2 {
		own = own || strings.EqualFold(headers[i], "Authorization") || strings.EqualFold(headers[i], "X-XSRF-TOKEN")
	}
	if !own {
		headers = append(headers, "Authorization", "Bearer e2e-token")
	}
	return doRaw(t, method, url, body, headers...)
}

// doRaw sends a request with exactly the given headers and body.
func doRaw(t *testing.T, method, url, body string, headers ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

// wantError checks the status and the contract's error body.
func wantError(t *testing.T, r response, status int, errorType, messagePart string) {
	t.Helper()
	wantErrorFrom(t, r, status, errorType, messagePart, "chatgate")
}

// wantErrorFrom is wantError for an error body with the given ErrorSource.
func wantErrorFrom(t *testing.T, r response, status int, errorType, messagePart, source string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d; want %d; body %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q; body %s", ct, r.Body)
	}
	var e struct {
		Error        *bool
		ErrorType    string
		ErrorMessage string
		ErrorSource  string
	}
	if err := json.Unmarshal([]byte(r.Body), &e); err != nil || e.Error == nil || !*e.Error ||
		e.ErrorType != errorType || e.ErrorSource != source || !strings.Contains(e.ErrorMessage, messagePart) {
		t.Fatalf("error body = %s; want ErrorType %q and a message containing %q", r.Body, errorType, messagePart)
	}
}
