package tests

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The ways around the gate that a site-level chatgate closes, tried as an
// attacker would, each through the real binary. In every case the backend
// must see nothing.

// layoutSite is a site in the shapes operators write: chatgate at the site
// level, then handle, handle_path, route, respond, metrics and a catch-all
// reverse_proxy, in no particular order (the directive order decides).
const layoutSite = `
	handle /api/* {
		reverse_proxy {backend}
	}
	handle_path /legacy/* {
		reverse_proxy {backend}
	}
	handle /gw/* {
		uri strip_prefix /gw
		reverse_proxy {backend}
	}
	route /r/* {
		reverse_proxy {backend}
	}
	respond /health "ok" 200
	metrics /metrics
	reverse_proxy {backend}
	chatgate {
		basic_account tje0 $2a$04$F14tSM44z/AGcVvGh06Xme2eTYFHqWwrzMCgQIy.ADTMcnMlb2kiS
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
		chat_route accept POST /chat/sessions/{ChatSessionId}/accept
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
		session_route GET /chat/sessions/{ChatSessionId}
	}
`

// tje0Basic is tje0's credential for the hash in layoutSite (bcrypt cost 4).
var tje0Basic = "Basic " + b64("tje0:Tje0")

func TestEveryHandlerOfTheSiteIsGuarded(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, layoutSite, be.addr())
	for _, path := range []string{"/api/v1/anything", "/api/v1/Agents/Chat/TransferChatSession", "/legacy/chat/sessions/157",
		"/r/x", "/health", "/metrics", "/chat/sessions/157"} {
		t.Run(path, func(t *testing.T) {
			res := doRaw(t, "GET", gw.URL+path, "")
			wantError(t, res, 401, "Unauthorized", "no credential")
			if got := be.take(); len(got) != 0 {
				t.Fatalf("the backend got %d requests", len(got))
			}
		})
	}
	t.Run("raw body to the Agents endpoint inside handle", func(t *testing.T) {
		res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":"x"}`,
			"Authorization", tje0Basic, "Content-Type", "application/json")
		wantError(t, res, 400, "BadRequest", "ChatSessionId")
		if got := be.take(); len(got) != 0 {
			t.Fatalf("the backend got %+v", got)
		}
	})
	t.Run("a verified caller passes every handler", func(t *testing.T) {
		for _, path := range []string{"/api/v1/anything", "/legacy/x", "/r/x", "/chat/sessions/157"} {
			if res := do(t, "GET", gw.URL+path, "", "Authorization", tje0Basic); res.Status != 200 || res.Body != `{"echo":true}` {
				t.Fatalf("GET %s = %d %s", path, res.Status, res.Body)
			}
		}
		if res := do(t, "GET", gw.URL+"/health", "", "Authorization", tje0Basic); res.Status != 200 || res.Body != "ok" {
			t.Fatalf("GET /health = %d %s", res.Status, res.Body)
		}
		be.take()
	})
}

func TestBackendRoutesAreNotCalledDirectly(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, layoutSite, be.addr())
	for _, tc := range []struct{ method, path string }{
		{"POST", "/chat/sessions/157/transfer/bob"},
		{"POST", "/chat/sessions/157/accept"},
		{"POST", "/chat/sessions/157/reject"},
		{"PUT", "/chat/sessions/157/accept"},
		{"DELETE", "/chat/sessions/157/reject"},
		{"POST", "/CHAT/Sessions/157/ACCEPT/"},
		{"POST", "/chat//sessions/157/./accept"},
		// below a prefix a handler after chatgate strips: handle_path, and
		// uri strip_prefix inside handle
		{"POST", "/legacy/chat/sessions/157/transfer/bob"},
		{"POST", "/legacy/chat/sessions/157/accept"},
		{"POST", "/gw/chat/sessions/157/transfer/bob"},
		{"DELETE", "/gw/x/chat/sessions/157/reject"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := do(t, tc.method, gw.URL+tc.path, "", "Authorization", tje0Basic)
			wantError(t, res, 404, "NotFound", "reached through the Agents endpoint")
			if got := be.take(); len(got) != 0 {
				t.Fatalf("the backend got %+v", got)
			}
		})
	}
	t.Run("the Agents endpoints below a prefix", func(t *testing.T) {
		for _, path := range []string{"/legacy/api/v1/Agents/Chat/AddChatMessage", "/gw/api/v1/Agents/Chat/TransferChatSession",
			"/legacy/API/V1/agents/chat/TransferChatSession"} {
			for _, method := range []string{"POST", "GET"} {
				res := do(t, method, gw.URL+path, `{"ChatSessionId":"not-a-number"}`, "Authorization", tje0Basic, "Content-Type", "application/json")
				wantError(t, res, 404, "NotFound", "reached at their own path")
				if got := be.take(); len(got) != 0 {
					t.Fatalf("%s %s: the backend got %+v", method, path, got)
				}
			}
		}
	})
	t.Run("a method override header on GET", func(t *testing.T) {
		res := do(t, "GET", gw.URL+"/chat/sessions/157/accept", "", "Authorization", tje0Basic, "X-HTTP-Method-Override", "POST")
		wantError(t, res, 404, "NotFound", "reached through the Agents endpoint")
	})
	t.Run("a method override in the query of a GET", func(t *testing.T) {
		for _, query := range []string{"_method=POST", "x=1&_METHOD=post", "X-HTTP-Method-Override=POST", "%5Fmethod=POST"} {
			res := do(t, "GET", gw.URL+"/chat/sessions/157/accept?"+query, "", "Authorization", tje0Basic)
			wantError(t, res, 404, "NotFound", "reached through the Agents endpoint")
			if got := be.take(); len(got) != 0 {
				t.Fatalf("%s: the backend got %+v", query, got)
			}
		}
	})
	t.Run("reading stays open", func(t *testing.T) {
		for _, path := range []string{"/legacy/chat/sessions/157", "/gw/chat/sessions/157"} {
			if res := do(t, "GET", gw.URL+path, "", "Authorization", tje0Basic); res.Status != 200 {
				t.Fatalf("GET %s = %d %s", path, res.Status, res.Body)
			}
		}
		if res := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Authorization", tje0Basic); res.Status != 200 {
			t.Fatalf("GET the session = %d %s", res.Status, res.Body)
		}
		be.take()
	})
	t.Run("a bearer caller cannot take 157 by the backend's routes", func(t *testing.T) {
		for _, path := range []string{"/chat/sessions/157/transfer/bob", "/chat/sessions/157/accept"} {
			res := do(t, "POST", gw.URL+path, "", "Authorization", "Bearer bob-token")
			wantError(t, res, 404, "NotFound", "reached through the Agents endpoint")
		}
		if got := be.take(); len(got) != 0 {
			t.Fatalf("the backend got %+v", got)
		}
		res := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Authorization", tje0Basic)
		if !strings.Contains(res.Body, `"user":{"associateId":13,"name":"TJE0"`) || !strings.Contains(res.Body, `"transferTo":null`) {
			t.Fatalf("157 changed: %s", res.Body)
		}
	})

	t.Run("expose_backend_routes opens them", func(t *testing.T) {
		open := startGateway(t, strings.Replace(layoutSite, "chatgate {", "chatgate {\n\t\texpose_backend_routes", 1), be.addr())
		be.take()
		res := do(t, "POST", open.URL+"/chat/sessions/798/reject", "", "Authorization", tje0Basic)
		if res.Status != 200 || len(be.take()) != 1 {
			t.Fatalf("exposed route = %d %s", res.Status, res.Body)
		}
	})
}

// Spellings that Tomcat, Spring, IIS or a decoding proxy read as a guarded
// route, sent as raw bytes (Go's client would clean some of them).
func TestOddSpellingsOfGuardedPathsAreRefused(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, layoutSite, be.addr())
	body := `{"ChatSessionId":157,"ToAssociate":"bob"}`
	for _, path := range []string{
		"/api/v1/Agents/Chat/TransferChatSession;x=1",
		"/api/v1;jsessionid=1/Agents/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSession.",
		"/api/v1/Agents/Chat/TransferChatSession%20",
		"/api/v1/Agents/Chat/TransferChatSession%3B",
		"/api/v1/Agents/Chat/TransferChatSession%2e",
		"/api/v1/Agents/Chat/TransferChatSession%00",
		`/api/v1/Agents\Chat\TransferChatSession`,
		"/api/v1/Agents%5CChat%5CTransferChatSession",
		"/api/v1/Agents%2FChat%2FTransferChatSession",
		"/api/v1/Agents%252FChat%252FTransferChatSession",
		"/api/v1/x/..;/Agents/Chat/TransferChatSession",
		"/chat/sessions/157/transfer/bob;x=1",
		"/chat/sessions/157;x/accept",
		"/chat/sessions/157./accept",
		"/chat/sessions/157/accept.",
		"/chat/sessions/157/accept%20",
		`/chat\sessions\157\accept`,
		"/chat%2Fsessions%2F157%2Faccept",
		"/chat/sessions/157/accept%3Bx",
		"/chat/sessions/157/accept%3Fx",
		"/chat/sessions/157/accept%23",
		"/api/v1/Agents/Chat/TransferChatSession%3Fx",
		"/chat%c0%afsessions%c0%af157%c0%afaccept",
		"/api/v1/Agents/Chat%c1%9cTransferChatSession",
		// blanks a Trim or a regex's "$" ignores
		"/chat/sessions/157/accept%0a",
		"/chat/sessions/157/accept%0d",
		"/chat/sessions/157/accept%0b",
		"/chat/sessions/157/accept%C2%A0",
		"/chat/sessions/157/accept%E3%80%80",
		"/chat/%20sessions/157/accept",
		"/api/v1/Agents/Chat/TransferChatSession%0a",
		"/legacy/chat/sessions/157/accept%0a",
		// letters Unicode case folding reads as ASCII
		"/chat/%C5%BFessions/157/accept",
		"/api/v1/Agent%C5%BF/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSess%C4%B1on",
	} {
		t.Run(path, func(t *testing.T) {
			status, answer := rawRequest(t, gw.URL, fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", path, tje0Basic, len(body), body))
			if status != 400 || !strings.Contains(answer, `"ErrorMessage":"the request path spells a guarded route`) {
				t.Fatalf("answer = %d %s", status, answer)
			}
			if got := be.take(); len(got) != 0 {
				t.Fatalf("the backend got %+v", got)
			}
		})
	}
	t.Run("ordinary paths with dots and semicolons elsewhere pass", func(t *testing.T) {
		for _, path := range []string{"/files/report.v2.json", "/other;x=1", "/chat/sessions/157."} {
			status, answer := rawRequest(t, gw.URL, fmt.Sprintf("GET %s HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nConnection: close\r\n\r\n", path, tje0Basic))
			if status == 400 {
				t.Fatalf("GET %s = %d %s", path, status, answer)
			}
		}
		be.take()
	})
}

// identitySite is layoutSite with the backend's who-am-I route.
var identitySite = strings.Replace(layoutSite, "chatgate {", "chatgate {\n\t\tidentity_route GET /whoami\n\t\tidentity_ttl 1m", 1)

func TestCallersWithoutANameCannotUseTheRules(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, layoutSite, be.addr())
	for _, tc := range []struct {
		name    string
		headers []string
	}{
		{"bearer", []string{"Authorization", "Bearer anything"}},
		{"ticket", []string{"Authorization", "SOTicket 7T:anything"}},
		{"xsrf pair", []string{"X-XSRF-TOKEN", "a", "Cookie", "XSRF-TOKEN=a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, call := range []struct{ action, body string }{
				{"TransferChatSession", `{"ChatSessionId":184,"ToAssociate":"bob"}`},
				{"AcceptChatSessionTransfer", `{"ChatSessionId":798}`},
				{"RejectChatSessionTransfer", `{"ChatSessionId":184}`},
			} {
				res := doRaw(t, "POST", gw.URL+"/api/v1/Agents/Chat/"+call.action, call.body,
					append([]string{"Content-Type", "application/json"}, tc.headers...)...)
				wantError(t, res, 403, "Forbidden", "need to know the caller")
				if got := be.take(); len(got) != 0 {
					t.Fatalf("the backend got %+v", got)
				}
			}
		})
	}
}

func TestIdentityRouteNamesTicketsTokensAndSessions(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, identitySite, be.addr())
	transfer := func(headers ...string) response {
		return doRaw(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":157,"ToAssociate":"ann"}`,
			append([]string{"Content-Type", "application/json"}, headers...)...)
	}

	// bob's ticket: the backend says bob.smith, who does not own 157.
	res := transfer("Authorization", "SOTicket 7T:bob-ticket")
	if res.Status != 200 || !strings.Contains(res.Body, `"TransferTo":null`) {
		t.Fatalf("bob's transfer = %d %s", res.Status, res.Body)
	}
	var calls []string
	for _, r := range be.take() {
		calls = append(calls, r.Method+" "+r.RequestURI+" as "+r.Header.Get("X-Chatgate-User"))
		if r.Header.Get("Authorization") != "SOTicket 7T:bob-ticket" {
			t.Errorf("%s went without the caller's ticket", r.RequestURI)
		}
	}
	if want := "GET /whoami as , GET /chat/sessions/157 as bob.smith"; strings.Join(calls, ", ") != want {
		t.Fatalf("backend got %v; want %s", calls, want)
	}

	// tje0's token: the owner; the second request is answered from the cache.
	if res := transfer("Authorization", "Bearer tje0-token"); res.Status != 200 || !strings.Contains(res.Body, `"TransferTo":{"AssociateId":14,"Name":"ANN"`) {
		t.Fatalf("tje0's transfer = %d %s", res.Status, res.Body)
	}
	if res := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Authorization", "Bearer tje0-token"); res.Status != 200 {
		t.Fatalf("tje0's read = %d %s", res.Status, res.Body)
	}
	calls = nil
	for _, r := range be.take() {
		calls = append(calls, r.Method+" "+r.RequestURI+" as "+r.Header.Get("X-Chatgate-User"))
	}
	if want := "GET /whoami as , GET /chat/sessions/157 as tje0, POST /chat/sessions/157/transfer/ann as tje0, GET /chat/sessions/157 as tje0"; strings.Join(calls, ", ") != want {
		t.Fatalf("backend got %v; want %s", calls, want)
	}

	// ann's browser session (XSRF pair plus the backend's session cookie) accepts.
	res = doRaw(t, "POST", gw.URL+"/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":157}`,
		"Content-Type", "application/json", "X-XSRF-TOKEN", "t0k", "Cookie", "XSRF-TOKEN=t0k; chat_session=ann-session")
	if res.Status != 200 || !strings.Contains(res.Body, `"User":{"AssociateId":14,"Name":"ANN"`) {
		t.Fatalf("ann's accept = %d %s", res.Status, res.Body)
	}
	be.take()

	// A ticket the backend does not know is a 401, and nothing else goes upstream.
	res = transfer("Authorization", "SOTicket 7T:stolen")
	wantError(t, res, 401, "Unauthorized", "the backend does not know this credential")
	if got := be.take(); len(got) != 1 || got[0].RequestURI != "/whoami" {
		t.Fatalf("the backend got %+v", got)
	}
	if strings.Contains(gw.logs.String(), "stolen") || strings.Contains(gw.logs.String(), "tje0-token") {
		t.Fatalf("a credential is in the logs:\n%s", gw.logs.String())
	}

	// A client cannot name itself with the identity header.
	res = do(t, "GET", gw.URL+"/chat/sessions/157", "", "Authorization", "Bearer ann-token", "X-Chatgate-User", "tje0")
	if got := be.take(); res.Status != 200 || len(got) != 2 || got[1].Header.Values("X-Chatgate-User")[0] != "ann" || len(got[1].Header.Values("X-Chatgate-User")) != 1 {
		t.Fatalf("identity header upstream = %+v", got)
	}
}

// TestIdentityHeaderInATrailerIsRemoved: a chunked request body may end
// with trailers, which reverse_proxy sends on; the identity header the
// gate owns leaves them as it leaves the header, in every spelling, and
// undeclared ones reach the backend not at all.
func TestIdentityHeaderInATrailerIsRemoved(t *testing.T) {
	trailers := make(chan http.Header, 1)
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		trailers <- r.Trailer.Clone()
		w.WriteHeader(204)
	}))
	gw := startGateway(t, layoutSite, be.addr())
	status, answer := rawRequest(t, gw.URL, "POST /anything HTTP/1.1\r\nHost: x\r\nAuthorization: "+tje0Basic+"\r\n"+
		"Transfer-Encoding: chunked\r\nTrailer: X-Chatgate-User, X_Chatgate_User, X-Sum\r\nConnection: close\r\n\r\n"+
		"2\r\nab\r\n0\r\nX-Chatgate-User: ann\r\nX_Chatgate_User: ann\r\nX-Sum: 1\r\n\r\n")
	if status != 204 {
		t.Fatalf("answer = %d %s", status, answer)
	}
	got := <-trailers
	if got.Get("X-Chatgate-User") != "" || got.Get("X_Chatgate_User") != "" || got.Get("X-Sum") != "1" {
		t.Fatalf("the backend got the trailers %v", got)
	}
	// Trailers nobody declared get no wrapper (mayHaveTrailers): they
	// never reach the backend at all.
	status, answer = rawRequest(t, gw.URL, "POST /anything HTTP/1.1\r\nHost: x\r\nAuthorization: "+tje0Basic+"\r\n"+
		"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"+
		"2\r\nab\r\n0\r\nX-Chatgate-User: ann\r\nX-Sum: 1\r\n\r\n")
	if got := <-trailers; status != 204 || len(got) != 0 {
		t.Fatalf("undeclared: %d %s; the backend got the trailers %v", status, answer, got)
	}
}
