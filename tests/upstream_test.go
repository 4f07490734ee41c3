package tests

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A backend that is down gives 502 with the contract's error body, on chat
// endpoints and on every other path, and the body names no backend address.
func TestBackendDown(t *testing.T) {
	down := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	plain := startGateway(t, "chatgate\n\treverse_proxy {backend}", down)
	gw := startGateway(t, `
	chatgate {
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, down)
	for _, tc := range []struct {
		name, method, path, body string
		gw                       *gateway
		headers                  []string
	}{
		{"plain path", "GET", "/api/v1/Chat/Sessions", "", plain, nil},
		{"chat endpoint", "POST", "/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":1}`, plain, []string{"Content-Type", "application/json"}},
		{"session lookup", "POST", "/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":1}`, gw,
			[]string{"Content-Type", "application/json", "Authorization", "Basic " + b64("ann:pw")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, tc.method, tc.gw.URL+tc.path, tc.body, tc.headers...)
			wantError(t, res, 502, "BadGateway", "the backend could not be reached")
			if strings.Contains(res.Body, "127.0.0.1") {
				t.Fatalf("the error body names the backend: %s", res.Body)
			}
		})
	}
	logs := plain.logs.String() + gw.logs.String()
	if !strings.Contains(logs, "request to the backend failed") {
		t.Fatalf("the failure is not logged:\n%s", logs)
	}
	if strings.Contains(logs, b64("ann:pw")) || strings.Contains(logs, "Basic ") {
		t.Fatalf("a credential is in the log:\n%s", logs)
	}
}

// A backend slower than reverse_proxy's timeout gives 504 with the error body.
func TestBackendTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(func() { close(release) }) // runs before the backend closes
	const proxy = `
	reverse_proxy {backend} {
		transport http {
			response_header_timeout 300ms
		}
	}
`
	plain := startGateway(t, "chatgate"+proxy, slow.addr())
	gw := startGateway(t, "chatgate {\n\t\tsession_route GET /chat/sessions/{ChatSessionId}\n\t}"+proxy, slow.addr())
	for _, tc := range []struct {
		name, method, path, body string
		gw                       *gateway
		headers                  []string
	}{
		{"plain path", "GET", "/anything", "", plain, nil},
		{"chat endpoint", "POST", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "ChatSessionId=3", plain, []string{"Content-Type", "application/x-www-form-urlencoded"}},
		{"session lookup", "POST", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "ChatSessionId=3", gw,
			[]string{"Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + b64("ann:pw")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, tc.method, tc.gw.URL+tc.path, tc.body, tc.headers...)
			wantError(t, res, 504, "GatewayTimeout", "did not answer in time")
		})
	}
	if got := slow.take(); len(got) != 3 {
		t.Fatalf("backend got %d requests; want 3 (the lookup's change never follows)", len(got))
	}
}

// A session larger than chatgate reads (max_response_body here, 1 MiB
// under the default 1 GiB) is a 502 with the error body, not a dropped
// connection: reverse_proxy aborts when the lookup stops reading.
func TestSessionLookupTooLarge(t *testing.T) {
	big := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"User":{"Name":"` + strings.Repeat("x", 64<<10) + `"}}`))
	}))
	gw := startGateway(t, `
	chatgate {
		max_response_body 16KiB
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, big.addr())
	res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":1}`,
		"Content-Type", "application/json", "Authorization", "Basic "+b64("ann:pw"))
	wantError(t, res, 502, "BadGateway", "larger than chatgate reads of one")
	huge := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"User":{"Name":"` + strings.Repeat("x", 2<<20) + `"}}`))
	}))
	byDefault := startGateway(t, `
	chatgate {
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, huge.addr())
	res = do(t, "POST", byDefault.URL+"/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":1}`,
		"Content-Type", "application/json", "Authorization", "Basic "+b64("ann:pw"))
	wantError(t, res, 502, "BadGateway", "larger than chatgate reads of one")
	if got := big.take(); len(got) != 1 {
		t.Fatalf("backend got %d requests; want the lookup alone", len(got))
	}
}
