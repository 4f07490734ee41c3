package tests

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAgentAnswersInTheMethodsTerms: through the real binary, over
// HTTP/1.1 and h2c, a backend's answer is read as the method's: an object
// where a list is returned is a clean 502 that says so (it was shaped into
// "" keys); a list's null past stream_threshold, after a byte order mark
// and blanks, is []; a redirect is a 502 without its Location; a carrier's
// TableRight mask is written as names (the official client throws on a
// number; ChatMessage is no carrier, ChatPresence is); a property there
// twice in two spellings is refused.
func TestAgentAnswersInTheMethodsTerms(t *testing.T) {
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/s/1/messages":
			_, _ = io.WriteString(w, `{"chatMessageId":1,"type":1}`)
		case "/s/2/messages":
			_, _ = io.WriteString(w, "\xef\xbb\xbf"+strings.Repeat(" \n", 2<<10)+"null")
		case "/s/3/messages":
			w.Header().Set("Location", "http://10.0.0.5/internal/login")
			w.WriteHeader(http.StatusFound)
		case "/presence":
			_, _ = io.WriteString(w, `[{"userId":1,"tableRight":{"mask":15,"reason":""}}]`)
		case "/s/5/messages":
			_, _ = io.WriteString(w, `[{"Type":"ToUser","type":1}]`)
		}
	}))
	gw := streamGatewayWith(t, be, `chatgate {
		stream_threshold 1KiB
		agent GetChatMessages GET /s/{ChatSessionId}/messages
		agent GetChatPresence GET /presence
	}`, "")
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			call := func(session int) response {
				method := "GetChatMessages"
				if session == 4 {
					method = "GetChatPresence" // a list of carriers
				}
				res := postAgent(t, c, gw.URL, method, session)
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil {
					t.Fatalf("session %d: %v", session, err)
				}
				return response{res.StatusCode, res.Header, string(body)}
			}
			wantError(t, call(1), 502, "BadGateway", "an object, where the method returns ChatMessage[]")
			if r := call(2); r.Status != 200 || r.Body != "[]" {
				t.Fatalf("a null list past the threshold: %d %s", r.Status, r.Body)
			}
			r := call(3)
			wantError(t, r, 502, "BadGateway", "302 Found, which no method answers")
			if r.Header.Get("Location") != "" {
				t.Fatalf("the backend's Location went out: %q", r.Header.Get("Location"))
			}
			if r := call(4); r.Status != 200 || r.Body != `[{"UserId":1,"TableRight":{"Mask":"FULL","Reason":""}}]` {
				t.Fatalf("TableRight: %d %s", r.Status, r.Body)
			}
			wantError(t, call(5), 502, "BadGateway", "has Type twice in one object")
		})
	}
}

// The backend's trailers on an answer chatgate gives in its place (the
// error body, a void method's 204) go out neither as header fields nor as
// trailers, through the real binary over HTTP/1.1 and h2c.
func TestChatgatesAnswersCarryNoTrailers(t *testing.T) {
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Trailer", "X-Sum")
		_, _ = io.WriteString(w, `{"chatMessageId":1}`)
		w.Header().Set("X-Sum", "abc")
	}))
	gw := streamGatewayWith(t, be, `chatgate {
		agent GetChatMessages GET /s/{ChatSessionId}/messages
		agent DeleteChatSessionEntity DELETE /s/{ChatSessionEntityId}
	}`, "")
	for proto, c := range clients() {
		for _, call := range []struct {
			method, body string
			status       int
		}{
			{"GetChatMessages", `{"ChatSessionId":1}`, 502}, // an object where a list is returned
			{"DeleteChatSessionEntity", `{"ChatSessionEntityId":1}`, 204},
		} {
			req, _ := http.NewRequest("POST", gw.URL+"/api/v1/Agents/Chat/"+call.method, strings.NewReader(call.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer e2e-token")
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != call.status || res.Header.Get("X-Sum") != "" || res.Header.Get("Trailer") != "" || len(res.Trailer) != 0 {
				t.Errorf("%s %s: %d %v, header %v, trailer %v", proto, call.method, res.StatusCode, err, res.Header, res.Trailer)
			}
		}
	}
}
