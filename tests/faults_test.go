package tests

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// faultSites is one Caddy, its admin endpoint on (for the goroutine count),
// with a chatgate site in front of each kind of backend.
type faultSites struct {
	admin                        string
	main, raw, down, slow, proxy string // site URLs
	backend                      *backend
	gateway                      *gateway
}

const faultChatgate = `
	chatgate {
		max_response_body 1MiB
		max_request_body 256KiB
	}`

func startFaultSites(t *testing.T) faultSites {
	t.Helper()
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	mux := http.NewServeMux()
	mux.HandleFunc("/deep", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, deep)
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
		_, _ = io.WriteString(w, `{"x":"`)
		chunk := strings.Repeat("x", 1<<20)
		for range 40 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		_, _ = io.WriteString(w, `","y":1}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ChatSessionId":157,"Status":"Active"}`)
	})
	be := newBackend(t, mux)
	slow := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	raw := rawBackend(t, map[string]string{
		"/lying":     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\":1,\"b\":2}",
		"/truncated": "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":1,",
		"/badgzip":   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\n\x1f\x8b\x08\x00garbage!",
		"/invalid":   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"a\":tru}",
		"/garbage":   "HTTP/1.1 2OO OK\r\n\r\n",
	})
	ports := [...]int{freePort(t), freePort(t), freePort(t), freePort(t), freePort(t)}
	admin := freePort(t)
	// max_header_size: Caddy's default (16 KiB) turns a request head with a
	// 1 MB $select away with 431 before any handler; here it reaches chatgate.
	caddyfile := fmt.Sprintf(`{
	admin localhost:%d
	auto_https off
	persist_config off
	servers {
		max_header_size 2MiB
	}
}
:%d {%s
	reverse_proxy %s
}
:%d {%s
	reverse_proxy %s
}
:%d {%s
	reverse_proxy 127.0.0.1:%d
}
:%d {%s
	reverse_proxy %s {
		transport http {
			response_header_timeout 300ms
		}
	}
}
:%d {
	reverse_proxy %s
}
`, admin, ports[0], faultChatgate, be.addr(), ports[1], faultChatgate, raw, ports[2], faultChatgate, freePort(t),
		ports[3], faultChatgate, slow.addr(), ports[4], be.addr())
	gw := startWithCaddyfile(t, caddyfile, ports[0], nil)
	url := func(port int) string { return fmt.Sprintf("http://127.0.0.1:%d", port) }
	return faultSites{admin: url(admin), main: url(ports[0]), raw: url(ports[1]), down: url(ports[2]),
		slow: url(ports[3]), proxy: url(ports[4]), backend: be, gateway: gw}
}

// hugeSize is the length of /huge: 40 MiB of x in {"x":"...","y":1}.
const hugeSize = 40<<20 + len(`{"x":"","y":1}`)

// rawBackend answers each request with the raw bytes given for its path,
// then closes the connection: it can lie as no Go server will.
func rawBackend(t *testing.T, answers map[string]string) string {
	t.Helper()
	routes := make(map[string]hostileRoute, len(answers))
	for path, answer := range answers {
		routes[path] = func(c rawConn, _ *http.Request) { _, _ = io.WriteString(c, answer) }
	}
	return hostileBackend(t, routes)
}

// goroutines is the gateway's goroutine count, from its admin endpoint.
func goroutines(t *testing.T, admin string) int {
	t.Helper()
	res, err := http.Get(admin + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	first, _ := bufio.NewReader(res.Body).ReadString('\n')
	var n int
	if _, err := fmt.Sscanf(first, "goroutine profile: total %d", &n); err != nil {
		t.Fatalf("reading %q: %v", first, err)
	}
	return n
}

// settledGoroutines closes every idle connection on both sides of the
// gateway and returns its goroutine count once it is at most want (or,
// want 0, once it has held for a second); it gives up after 15 s.
func settledGoroutines(t *testing.T, s faultSites, want int) int {
	t.Helper()
	return settleGoroutines(t, s.admin, want, func() {
		http.DefaultClient.CloseIdleConnections()
		s.backend.CloseClientConnections()
	})
}

// settleGoroutines runs closeIdle and reads the goroutine count of the
// gateway whose admin endpoint is admin, every 200 ms, until it is at most
// want (or, want 0, until it has held for a second); it gives up after 15 s.
// Go's server lingers 500 ms on a connection it closes after an error
// answer.
func settleGoroutines(t *testing.T, admin string, want int, closeIdle func()) int {
	t.Helper()
	last, held := -1, 0
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		closeIdle()
		time.Sleep(200 * time.Millisecond)
		n := goroutines(t, admin)
		if want > 0 && n <= want {
			return n
		}
		if n == last {
			if held++; want == 0 && held == 5 {
				return n
			}
		} else {
			last, held = n, 0
		}
	}
	return last
}

// Every fault of the backend, the network and the client gives the right
// status and the error body, nothing panics, and no goroutine is left
// behind in the gateway.
func TestFaults(t *testing.T) {
	s := startFaultSites(t)
	// Warm every path once, so that lazily started goroutines are counted.
	do(t, "GET", s.main+"/x?$select=a", "")
	do(t, "GET", s.proxy+"/x", "")
	before := settledGoroutines(t, s, 0)

	for _, tc := range []struct {
		name, method, url, body string
		headers                 []string
		status                  int
		errorType, message      string
	}{
		{"backend down", "GET", s.down + "/x", "", nil, 502, "BadGateway", "could not be reached"},
		{"backend slower than the timeout", "GET", s.slow + "/x", "", nil, 504, "GatewayTimeout", "did not answer in time"},
		{"backend breaks off mid-body", "GET", s.raw + "/truncated?$select=a", "", nil, 502, "BadGateway", "broke off"},
		{"backend sends invalid JSON", "GET", s.raw + "/invalid?$select=a", "", nil, 502, "BadGateway", "not valid JSON"},
		{"backend's Content-Length is shorter than its body", "GET", s.raw + "/lying?$select=a", "", nil, 502, "BadGateway", "not valid JSON"},
		{"backend's gzip is corrupt", "GET", s.raw + "/badgzip?$select=a", "", nil, 502, "BadGateway", "could not be decoded"},
		{"backend is not HTTP", "GET", s.raw + "/garbage", "", nil, 502, "BadGateway", "could not be reached"},
		{"backend's answer is huge", "GET", s.main + "/huge?$select=y", "", nil, 502, "BadGateway", "larger than max_response_body"},
		{"backend's JSON nests 100,000 deep", "GET", s.main + "/deep?$select=a", "", nil, 502, "BadGateway", "not valid JSON"},
		{"the same, asked for as XML", "GET", s.main + "/deep", "", []string{"Accept", "text/xml"}, 502, "BadGateway", "not valid JSON"},
		{"a request body nesting 100,000 deep", "POST", s.main + "/api/v1/Agents/Chat/AcceptChatSessionTransfer",
			`{"ChatSessionId":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
			[]string{"Content-Type", "application/json"}, 400, "BadRequest", "ChatSessionId"},
		{"a dated request body nesting 100,000 deep", "POST", s.main + "/notes", strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
			[]string{"Content-Type", "application/json", "SO-TimeZone", "NO"}, 400, "BadRequest", "not valid JSON"},
		{"XML with an entity declaration", "POST", s.main + "/api/v1/Agents/Chat/AcceptChatSessionTransfer",
			`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY id "157">]><r><ChatSessionId>&id;</ChatSessionId></r>`,
			[]string{"Content-Type", "application/xml"}, 400, "BadRequest", "document type declarations are not allowed"},
		{"XML with an external entity", "POST", s.main + "/api/v1/Agents/Chat/AcceptChatSessionTransfer",
			`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY id SYSTEM "` + s.proxy + `/fetched">]><r><ChatSessionId>&id;</ChatSessionId></r>`,
			[]string{"Content-Type", "text/xml"}, 400, "BadRequest", "document type declarations are not allowed"},
		{"a billion laughs", "POST", s.main + "/api/v1/Agents/Chat/AcceptChatSessionTransfer", billionLaughs,
			[]string{"Content-Type", "application/xml"}, 400, "BadRequest", "document type declarations are not allowed"},
		{"a 1 MB $select", "GET", s.main + "/x?$select=" + strings.Repeat("a,", 500000), "", nil, 400, "BadRequest", "longer than 65536 bytes"},
		{"a request body over max_request_body", "POST", s.main + "/api/v1/Agents/Chat/AcceptChatSessionTransfer",
			`{"ChatSessionId":1,"x":"` + strings.Repeat("x", 260<<10) + `"}`, []string{"Content-Type", "application/json"}, 413, "RequestEntityTooLarge", "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res := do(t, tc.method, tc.url, tc.body, tc.headers...)
			if slices.Contains(tc.headers, "text/xml") && tc.method == "GET" {
				wantXMLError(t, res, tc.status, tc.errorType, tc.message)
			} else {
				wantError(t, res, tc.status, tc.errorType, tc.message)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("took %s", took)
			}
		})
	}
	for _, req := range s.backend.take() {
		if strings.Contains(req.RequestURI, "AcceptChatSessionTransfer") || req.RequestURI == "/fetched" {
			t.Fatalf("a refused request reached the backend: %s", req.RequestURI)
		}
	}

	t.Run("passthrough of the deep JSON is untouched", func(t *testing.T) {
		res := do(t, "GET", s.main+"/deep", "")
		if res.Status != 200 || len(res.Body) != 200000 {
			t.Fatalf("%d, %d bytes", res.Status, len(res.Body))
		}
	})
	t.Run("passthrough of the huge answer streams", func(t *testing.T) {
		res := do(t, "GET", s.main+"/huge", "")
		if res.Status != 200 || len(res.Body) != hugeSize {
			t.Fatalf("%d, %d bytes", res.Status, len(res.Body))
		}
	})
	t.Run("clients that go away mid-request", func(t *testing.T) {
		for _, path := range []string{"/api/v1/Agents/Chat/AcceptChatSessionTransfer", "/notes"} {
			hangUp(t, s.main, "POST "+path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n"+
				"SO-TimeZone: NO\r\nContent-Length: 1000\r\n\r\n{\"ChatSessionId\":", 0)
		}
	})
	t.Run("clients that go away mid-response", func(t *testing.T) {
		for _, path := range []string{"/huge", "/huge?$select=y", "/deep?$select=a", "/x?$select=a"} {
			hangUp(t, s.main, "GET "+path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n", 100)
		}
	})

	if after := settledGoroutines(t, s, before); after > before {
		res, _ := http.Get(s.admin + "/debug/pprof/goroutine?debug=1")
		dump, _ := io.ReadAll(res.Body)
		res.Body.Close()
		t.Fatalf("%d goroutines before the faults, %d after:\n%s", before, after, dump)
	}
	if logs := s.gateway.logs.String(); strings.Contains(logs, "panic") {
		t.Fatalf("a panic in the logs:\n%s", logs)
	}
}

// hangUp sends a raw request, reads up to n bytes of the answer (0: none),
// and closes the connection.
func hangUp(t *testing.T, url, request string, n int) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		if _, err := io.ReadFull(conn, make([]byte, n)); err != nil {
			t.Fatalf("reading the answer's first %d bytes: %v", n, err)
		}
	}
}

// billionLaughs is the classic entity bomb: ten levels of ten references.
var billionLaughs = func() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY lol%d "%s">`, i, strings.Repeat(fmt.Sprintf("&lol%d;", i-1), 10))
	}
	b.WriteString(`]><r><ChatSessionId>&lol9;</ChatSessionId></r>`)
	return strings.ReplaceAll(b.String(), "&lol0;", "&lol;")
}()
