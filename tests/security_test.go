package tests

import (
	"testing"
)

// Method override headers change nothing at the gateway: a GET stays a
// GET (405 at a chat endpoint, nothing upstream), and the requests
// chatgate makes for a chat endpoint, and its session lookup, carry none
// of them, so a backend that honours them cannot be steered.
func TestMethodOverrideHeaders(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, `
	chatgate {
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, be.addr())
	overrides := []string{"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}
	for _, name := range overrides {
		r := do(t, "GET", gw.URL+"/api/v1/Agents/Chat/RejectChatSessionTransfer?ChatSessionId=798", "", name, "POST")
		wantError(t, r, 405, "MethodNotAllowed", "accepts only POST")
	}
	if got := be.take(); len(got) != 0 {
		t.Fatalf("a refused request reached the backend: %+v", got)
	}
	headers := []string{"Content-Type", "application/json", "Authorization", "Basic " + b64("ann:pw")}
	for _, name := range overrides {
		headers = append(headers, name, "DELETE")
	}
	if r := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/RejectChatSessionTransfer", `{"ChatSessionId":798}`, headers...); r.Status != 200 {
		t.Fatalf("reject: %d %s", r.Status, r.Body)
	}
	got := be.take()
	if len(got) != 2 || got[0].Method != "GET" || got[1].Method != "POST" {
		t.Fatalf("the backend got %+v", got)
	}
	for _, req := range got {
		for _, name := range overrides {
			if v := req.Header.Get(name); v != "" {
				t.Fatalf("%s %s reached the backend with %s: %s", req.Method, req.RequestURI, name, v)
			}
		}
	}
}
