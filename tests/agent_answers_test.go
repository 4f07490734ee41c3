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
