package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const chatSite = `
	chatgate {
		max_request_body 1KiB
	}
	reverse_proxy {backend}
`

// Every accepted body form reaches the backend as canonical JSON on the
// endpoint's canonical path, whatever spelling of the path the client used.
func TestChatEndpointsSendCanonicalJSON(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, chatSite, be.addr())
	const transfer = `{"ChatSessionId":157,"ToAssociate":"ducimus"}`
	for _, tc := range []struct {
		name, path, contentType, body string
		wantURI, wantBody             string
	}{
		{"application/json", "/api/v1/Agents/Chat/TransferChatSession", "application/json; charset=utf-8",
			`{"ChatSessionId": 157, "ToAssociate": "ducimus"}`, "/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"text/json", "/api/v1/Agents/Chat/TransferChatSession", "text/json", `{"chatsessionid":157,"toassociate":"ducimus"}`,
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"json-patch", "/api/v1/Agents/Chat/TransferChatSession", "application/json-patch+json", `{"ChatSessionId":157,"ToAssociate":"ducimus"}`,
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"merge-patch", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/merge-patch+json", `{"ChatSessionId":798}`,
			"/api/v1/Agents/Chat/RejectChatSessionTransfer", `{"ChatSessionId":798}`},
		{"application/xml", "/api/v1/Agents/Chat/TransferChatSession", "application/xml",
			`<?xml version="1.0"?><TransferChatSessionRequest><ChatSessionId>157</ChatSessionId><ToAssociate>ducimus</ToAssociate></TransferChatSessionRequest>`,
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"text/xml", "/api/v1/Agents/Chat/AcceptChatSessionTransfer", "text/xml", `<r><chatSessionId>12</chatSessionId></r>`,
			"/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":12}`},
		{"json with a byte order mark", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", "\ufeff{\"ChatSessionId\":798}",
			"/api/v1/Agents/Chat/RejectChatSessionTransfer", `{"ChatSessionId":798}`},
		{"form", "/api/v1/Agents/Chat/TransferChatSession", "application/x-www-form-urlencoded", "ChatSessionId=157&ToAssociate=ducimus",
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"query only", "/api/v1/Agents/Chat/TransferChatSession?ChatSessionId=157&ToAssociate=ducimus&keep=1", "", "",
			"/api/v1/Agents/Chat/TransferChatSession?keep=1", transfer},
		{"query and body", "/api/v1/Agents/Chat/TransferChatSession?toassociate=ducimus", "application/json", `{"ChatSessionId":157}`,
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"path case and trailing slash", "/API/V1/agents/chat/transferchatsession/", "application/json", transfer,
			"/api/v1/Agents/Chat/TransferChatSession", transfer},
		{"doubled slashes", "/api/v1//Agents//Chat/AcceptChatSessionTransfer", "application/json", `{"ChatSessionId":1}`,
			"/api/v1/Agents/Chat/AcceptChatSessionTransfer", `{"ChatSessionId":1}`},
		{"percent-encoded path", "/api/v1/Agents/Chat/Reject%43hatSessionTransfer", "application/json", `{"ChatSessionId":1}`,
			"/api/v1/Agents/Chat/RejectChatSessionTransfer", `{"ChatSessionId":1}`},
		{"escapes in ToAssociate", "/api/v1/Agents/Chat/TransferChatSession", "application/json", `{"ChatSessionId":5,"ToAssociate":"Bjørn \"B\" <b>"}`,
			"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":5,"ToAssociate":"Bjørn \"B\" \u003cb\u003e"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = []string{"Content-Type", tc.contentType}
			}
			res := do(t, "POST", gw.URL+tc.path, tc.body, headers...)
			if res.Status != 200 || res.Body != `{"echo":true}` {
				t.Fatalf("answer = %d %s", res.Status, res.Body)
			}
			got := be.take()
			if len(got) != 1 {
				t.Fatalf("backend got %d requests", len(got))
			}
			r := got[0]
			if r.Method != "POST" || r.RequestURI != tc.wantURI || r.ContentType != "application/json" || r.Body != tc.wantBody {
				t.Fatalf("backend got %s %s (%s) %s\nwant POST %s (application/json) %s", r.Method, r.RequestURI, r.ContentType, r.Body, tc.wantURI, tc.wantBody)
			}
		})
	}
}

// Refused requests get the contract's error body and never reach the backend.
func TestChatEndpointsRefuseBadInput(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, chatSite, be.addr())
	const (
		transfer = "/api/v1/Agents/Chat/TransferChatSession"
		accept   = "/api/v1/Agents/Chat/AcceptChatSessionTransfer"
		js       = "application/json"
		form     = "application/x-www-form-urlencoded"
	)
	for _, tc := range []struct {
		name, method, path, contentType, body string
		status                                int
		errorType, message                    string
	}{
		{"GET", "GET", transfer, "", "", 405, "MethodNotAllowed", "accepts only POST"},
		{"PUT", "PUT", accept, js, `{"ChatSessionId":1}`, 405, "MethodNotAllowed", "accepts only POST"},
		{"DELETE on odd spelling", "DELETE", "/api/v1/agents/chat/REJECTCHATSESSIONTRANSFER/", "", "", 405, "MethodNotAllowed", "accepts only POST"},
		{"too large", "POST", transfer, js, `{"ChatSessionId":1,"ToAssociate":"` + strings.Repeat("a", 1100) + `"}`, 413, "RequestEntityTooLarge", "larger than 1024 bytes"},
		{"text/plain", "POST", accept, "text/plain", "ChatSessionId=1", 415, "UnsupportedMediaType", "Content-Type"},
		{"multipart", "POST", accept, "multipart/form-data; boundary=x", "--x--", 415, "UnsupportedMediaType", "Content-Type"},
		{"utf-16", "POST", accept, "application/json; charset=utf-16", `{"ChatSessionId":1}`, 415, "UnsupportedMediaType", "utf-8"},
		{"id missing", "POST", accept, js, `{}`, 400, "BadRequest", "ChatSessionId is required"},
		{"id zero", "POST", accept, js, `{"ChatSessionId":0}`, 400, "BadRequest", "ChatSessionId must be an integer from 1 to 2147483647"},
		{"id negative", "POST", accept, form, `ChatSessionId=-3`, 400, "BadRequest", "ChatSessionId must be"},
		{"id past int32", "POST", accept, js, `{"ChatSessionId":2147483648}`, 400, "BadRequest", "ChatSessionId must be"},
		{"id fraction", "POST", accept, js, `{"ChatSessionId":15.7}`, 400, "BadRequest", "ChatSessionId must be"},
		{"id as signed JSON string", "POST", accept, js, `{"ChatSessionId":"+157"}`, 400, "BadRequest", "ChatSessionId must be"},
		{"id as JSON string with a blank", "POST", accept, js, `{"ChatSessionId":" 157"}`, 400, "BadRequest", "ChatSessionId must be"},
		{"id as JSON string past int32", "POST", accept, js, `{"ChatSessionId":"2147483648"}`, 400, "BadRequest", "ChatSessionId must be"},
		{"null body without parameters", "POST", accept, js, `null`, 400, "BadRequest", "ChatSessionId is required"},
		{"associate with a line break", "POST", transfer, js, `{"ChatSessionId":1,"ToAssociate":"a\r\nb"}`, 400, "BadRequest", "ToAssociate must be"},
		{"associate with an unpaired surrogate", "POST", transfer, js, `{"ChatSessionId":1,"ToAssociate":"\ud800"}`, 400, "BadRequest", "ToAssociate must be"},
		{"associate with NUL in a form", "POST", transfer, form, `ChatSessionId=1&ToAssociate=a%00`, 400, "BadRequest", "ToAssociate must be"},
		{"id in xml not a number", "POST", accept, "text/xml", `<r><ChatSessionId>x</ChatSessionId></r>`, 400, "BadRequest", "ChatSessionId must be"},
		{"id conflicting", "POST", accept + "?ChatSessionId=2", js, `{"ChatSessionId":1}`, 400, "BadRequest", "ChatSessionId is given more than once"},
		{"id in a look-alike query parameter", "POST", accept + "?chat%C5%BFessionId=2", js, `{"ChatSessionId":1}`, 400, "BadRequest", "look-alike of ChatSessionId"},
		{"a look-alike property", "POST", "/api/v1/Agents/Chat/SaveChatSessionEntity", js, `{"ChatSessionId":1,"ſtatus":99}`, 400, "BadRequest", "look-alike of ChatSessionEntity.Status"},
		{"an entity's negative id", "POST", "/api/v1/Agents/Chat/SaveChatSessionEntity", js, `{"chatSessionId":-1}`, 400, "BadRequest", "ChatSessionEntity.ChatSessionId must be an integer from 0 to 2147483647"},
		{"a message's negative session, in XML", "POST", "/api/v1/Agents/Chat/AddChatMessage", "text/xml", `<r><ChatSessionId>1</ChatSessionId><Message><ChatSessionId>-1</ChatSessionId></Message></r>`, 400, "BadRequest", "Message.ChatSessionId must be an integer from 0 to 2147483647"},
		{"associate missing", "POST", transfer, js, `{"ChatSessionId":1}`, 400, "BadRequest", "ToAssociate is required"},
		{"associate empty", "POST", transfer, form, `ChatSessionId=1&ToAssociate=`, 400, "BadRequest", "ToAssociate must be a non-empty string of at most 255 characters"},
		{"associate too long", "POST", transfer, js, `{"ChatSessionId":1,"ToAssociate":"` + strings.Repeat("é", 256) + `"}`, 400, "BadRequest", "ToAssociate must be"},
		{"associate a number", "POST", transfer, js, `{"ChatSessionId":1,"ToAssociate":42}`, 400, "BadRequest", "ToAssociate must be"},
		{"invalid JSON", "POST", transfer, js, `{"ChatSessionId":1,`, 400, "BadRequest", "not valid JSON"},
		{"JSON array", "POST", transfer, js, `[1]`, 400, "BadRequest", "JSON object"},
		{"invalid XML", "POST", accept, "application/xml", `<r><ChatSessionId>1</r>`, 400, "BadRequest", "not valid XML"},
		{"XML entities", "POST", accept, "application/xml", `<!DOCTYPE r [<!ENTITY a "1">]><r><ChatSessionId>&a;</ChatSessionId></r>`, 400, "BadRequest", "document type declarations"},
		{"invalid form", "POST", accept, form, `ChatSessionId=%zz`, 400, "BadRequest", "not valid form data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.contentType != "" {
				headers = []string{"Content-Type", tc.contentType}
			}
			res := do(t, tc.method, gw.URL+tc.path, tc.body, headers...)
			wantError(t, res, tc.status, tc.errorType, tc.message)
			if tc.status == 405 && res.Header.Get("Allow") != "POST" {
				t.Fatalf("Allow = %q", res.Header.Get("Allow"))
			}
			if got := be.take(); len(got) != 0 {
				t.Fatalf("a refused request reached the backend: %+v", got)
			}
		})
	}
	t.Run("compressed body", func(t *testing.T) {
		res := do(t, "POST", gw.URL+accept, "\x1f\x8b\x08", "Content-Type", js, "Content-Encoding", "gzip")
		wantError(t, res, 415, "UnsupportedMediaType", "Content-Encoding")
		if got := be.take(); len(got) != 0 {
			t.Fatalf("reached the backend: %+v", got)
		}
	})
	t.Run("too large, streamed without Content-Length", func(t *testing.T) {
		pr, pw := newChunkedBody(strings.Repeat("x", 4096))
		defer pw.Close()
		req, _ := http.NewRequest("POST", gw.URL+transfer, pr)
		req.Header.Set("Content-Type", js)
		req.Header.Set("Authorization", "Bearer e2e-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 413 {
			t.Fatalf("status = %d", res.StatusCode)
		}
		if got := be.take(); len(got) != 0 {
			t.Fatalf("reached the backend: %+v", got)
		}
	})
}

// The sample backend's sessions, through the gateway with chat_route and
// session_route: the reference pages' rules hold at the gateway.
func TestTransferRules(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, `
	chatgate {
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
		chat_route accept POST /chat/sessions/{ChatSessionId}/accept
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, be.addr())

	type step struct {
		name, user, endpoint, contentType, body string
		status                                  int
		wantUser, wantTransferTo                string // Name of User and TransferTo in the answer; "-" for null
		wantBackend                             []string
	}
	basic := func(user string) []string {
		return []string{"Authorization", "Basic " + b64(user+":pw")}
	}
	for _, s := range []step{
		{"another user's transfer changes nothing", "bob", "TransferChatSession", "application/json", `{"ChatSessionId":157,"ToAssociate":"bob"}`,
			200, "TJE0", "-", []string{"GET /chat/sessions/157"}},
		{"the owner transfers", "tje0", "TransferChatSession", "application/x-www-form-urlencoded", "ChatSessionId=157&ToAssociate=ann",
			200, "TJE0", "ANN", []string{"GET /chat/sessions/157", "POST /chat/sessions/157/transfer/ann"}},
		{"someone else cannot accept", "bob", "AcceptChatSessionTransfer", "application/json", `{"ChatSessionId":157}`,
			200, "TJE0", "ANN", []string{"GET /chat/sessions/157"}},
		{"the owner cannot reject a transfer to ann", "TJE0", "RejectChatSessionTransfer", "application/json", `{"ChatSessionId":157}`,
			200, "TJE0", "ANN", []string{"GET /chat/sessions/157"}},
		{"the target accepts, by user name in another case", "ANN", "AcceptChatSessionTransfer", "text/xml", `<r><ChatSessionId>157</ChatSessionId></r>`,
			200, "ANN", "-", []string{"GET /chat/sessions/157", "POST /chat/sessions/157/accept"}},
		{"reject with no transfer changes nothing", "ann", "RejectChatSessionTransfer", "application/json", `{"ChatSessionId":157}`,
			200, "ANN", "-", []string{"GET /chat/sessions/157"}},
		{"the target rejects", "ann", "RejectChatSessionTransfer", "application/json", `{"ChatSessionId":798}`,
			200, "BOB", "-", []string{"GET /chat/sessions/798", "POST /chat/sessions/798/reject"}},
	} {
		t.Run(s.name, func(t *testing.T) {
			res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/"+s.endpoint, s.body, append(basic(s.user), "Content-Type", s.contentType)...)
			if res.Status != s.status {
				t.Fatalf("status = %d; body %s", res.Status, res.Body)
			}
			var session struct {
				User, TransferTo *struct{ Name string }
			}
			if err := json.Unmarshal([]byte(res.Body), &session); err != nil {
				t.Fatalf("answer %s: %v", res.Body, err)
			}
			if name(session.User) != s.wantUser || name(session.TransferTo) != s.wantTransferTo {
				t.Fatalf("User %s, TransferTo %s; want %s, %s", name(session.User), name(session.TransferTo), s.wantUser, s.wantTransferTo)
			}
			var calls []string
			for _, r := range be.take() {
				calls = append(calls, r.Method+" "+r.RequestURI)
				if r.Header.Get("Authorization") != basic(s.user)[1] {
					t.Errorf("%s %s went without the caller's credentials", r.Method, r.RequestURI)
				}
			}
			if strings.Join(calls, ", ") != strings.Join(s.wantBackend, ", ") {
				t.Fatalf("backend got %v; want %v", calls, s.wantBackend)
			}
		})
	}

	t.Run("an unknown session is null, as agents answer", func(t *testing.T) {
		res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":9999,"ToAssociate":"ann"}`,
			append(basic("tje0"), "Content-Type", "application/json")...)
		if res.Status != 200 || res.Body != "null" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("answer = %d %s", res.Status, res.Body)
		}
		if got := be.take(); len(got) != 1 || got[0].Method != "GET" {
			t.Fatalf("backend got %+v", got)
		}
	})
	t.Run("ToAssociate is path-escaped into the route", func(t *testing.T) {
		res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":184,"ToAssociate":"x/../../y?z"}`,
			append(basic("ann"), "Content-Type", "application/json")...)
		got := be.take()
		if len(got) != 2 || got[1].RequestURI != "/chat/sessions/184/transfer/x%2F..%2F..%2Fy%3Fz" {
			t.Fatalf("backend got %+v", got)
		}
		if res.Status != 200 || res.Body != "null" { // the sample backend knows no such associate: its 404
			t.Fatalf("answer = %d %s", res.Status, res.Body)
		}
	})
}

func name(a *struct{ Name string }) string {
	if a == nil {
		return "-"
	}
	return a.Name
}

// Values as the official clients send them, and the backend's answers in
// the agent's terms: digit strings, null and empty bodies, 404 as null,
// the backend's errors as the error body with its own message.
func TestChatAgentValuesAndAnswers(t *testing.T) {
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch string(body) {
		case `{"ChatSessionId":404}`:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			_, _ = io.WriteString(w, `{"error":"no such chat session"}`)
		case `{"ChatSessionId":500}`:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			_, _ = io.WriteString(w, `{"error":"db down"}`)
		case `{"ChatSessionId":502}`:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(502)
			_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.25</center></body></html>")
		default:
			echoJSON(w, r)
		}
	}))
	gw := startGateway(t, chatSite, be.addr())
	const (
		transfer = "/api/v1/Agents/Chat/TransferChatSession"
		accept   = "/api/v1/Agents/Chat/AcceptChatSessionTransfer"
		js       = "application/json"
	)
	for _, tc := range []struct {
		name, path, body, wantBackend string
	}{
		{"digit string", accept, `{"chatSessionId":"157"}`, `{"ChatSessionId":157}`},
		{"null body, parameters in the query", transfer + "?chatSessionId=157&toAssociate=bob", `null`, `{"ChatSessionId":157,"ToAssociate":"bob"}`},
		{"empty body, parameters in the query", accept + "?chatSessionId=0157", ``, `{"ChatSessionId":157}`},
		{"surrogate pair", transfer, `{"chatSessionId":1,"toAssociate":"\ud83d\ude00"}`, `{"ChatSessionId":1,"ToAssociate":"😀"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := do(t, "POST", gw.URL+tc.path, tc.body, "Content-Type", js)
			if res.Status != 200 || res.Body != `{"echo":true}` {
				t.Fatalf("answer = %d %s", res.Status, res.Body)
			}
			if got := be.take(); len(got) != 1 || got[0].Body != tc.wantBackend || got[0].ContentType != js {
				t.Fatalf("backend got %+v; want %s", got, tc.wantBackend)
			}
		})
	}
	t.Run("empty body without parameters", func(t *testing.T) {
		wantError(t, do(t, "POST", gw.URL+transfer, "", "Content-Type", js), 400, "BadRequest", "ChatSessionId is required")
		if got := be.take(); len(got) != 0 {
			t.Fatalf("reached the backend: %+v", got)
		}
	})
	t.Run("backend 404 is null", func(t *testing.T) {
		res := do(t, "POST", gw.URL+accept, `{"ChatSessionId":404}`, "Content-Type", js)
		if res.Status != 200 || res.Body != "null" || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("answer = %d %v %s", res.Status, res.Header, res.Body)
		}
	})
	t.Run("backend 404 in XML is the nil root", func(t *testing.T) {
		res := do(t, "POST", gw.URL+accept, `{"ChatSessionId":404}`, "Content-Type", js, "Accept", "application/xml")
		if res.Status != 200 || !strings.Contains(res.Body, "<ChatSessionEntity") || !strings.Contains(res.Body, `nil="true"`) {
			t.Fatalf("answer = %d %s", res.Status, res.Body)
		}
	})
	t.Run("backend 500 with its message", func(t *testing.T) {
		res := do(t, "POST", gw.URL+accept, `{"ChatSessionId":500}`, "Content-Type", js)
		wantErrorFrom(t, res, 500, "InternalServerError", "db down", "backend")
	})
	t.Run("backend 502 page is not relayed", func(t *testing.T) {
		res := do(t, "POST", gw.URL+accept, `{"ChatSessionId":502}`, "Content-Type", js)
		wantErrorFrom(t, res, 502, "BadGateway", "the backend answered 502 Bad Gateway", "backend")
		if strings.Contains(res.Body, "<") || strings.Contains(res.Body, "nginx") {
			t.Fatalf("the page leaked: %s", res.Body)
		}
	})
}
