package caddymodule

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Agent answers larger than stream_threshold: a result field, a text
// transcript and a void method's body are read whole and answered as the
// method's; a plain JSON result streams through the shaping.
func TestLargeAgentAnswers(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 1 << 10, Agents: []AgentRoute{
		{Name: "ChatSessionsForUser", Method: "GET", Target: "/u/{caller}/sessions", Result: "data"},
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "GetChatTranscript", Method: "GET", Target: "/s/{ChatSessionId}/transcript"},
		{Name: "DeleteChatSessionEntity", Method: "DELETE", Target: "/s/{ChatSessionEntityId}"},
	}})
	var sessions, messages []string
	for i := range 200 {
		sessions = append(sessions, `{"chatSessionId":`+strconv.Itoa(i+1)+`,"status":4}`)
		messages = append(messages, `{"chatMessageId":`+strconv.Itoa(i+1)+`,"type":1}`)
	}
	jsonType := http.Header{"Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name, target, body string
		header             http.Header
		answer             string
		check              func(t *testing.T, status int, body string)
	}{
		{"result field", "ChatSessionsForUser", ``, jsonType,
			`{"total":200,"data":[` + strings.Join(sessions, ",") + `]}`,
			func(t *testing.T, status int, body string) {
				var got []struct {
					ChatSessionId int
					Status        string
				}
				if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || len(got) != 200 || got[199].ChatSessionId != 200 || got[0].Status != "InQueue" {
					t.Fatalf("answer %d %.200s: %v", status, body, err)
				}
			}},
		{"streamed list", "GetChatMessages", `{"chatSessionId":1}`, jsonType,
			`[` + strings.Join(messages, ",") + `]`,
			func(t *testing.T, status int, body string) {
				var got []struct {
					ChatMessageId int
					Type          string
				}
				if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || len(got) != 200 || got[0].Type != "ToCustomer" {
					t.Fatalf("answer %d %.200s: %v", status, body, err)
				}
			}},
		{"text transcript", "GetChatTranscript", `{"chatSessionId":1}`, http.Header{"Content-Type": {"text/plain"}},
			strings.Repeat("line\n", 1000),
			func(t *testing.T, status int, body string) {
				var got string
				if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 || got != strings.Repeat("line\n", 1000) {
					t.Fatalf("answer %d %.200s: %v", status, body, err)
				}
			}},
		{"void", "DeleteChatSessionEntity?ChatSessionEntityId=3", ``, jsonType,
			`{"deleted":` + strings.Repeat(" ", 4<<10) + `true}`,
			func(t *testing.T, status int, body string) {
				if status != 204 || body != "" {
					t.Fatalf("answer %d %q", status, body)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, tc.header, tc.answer)
			req := post("/api/v1/Agents/Chat/"+tc.target, "application/json", tc.body)
			req.SetBasicAuth("ann", "pw")
			rec := serve(h, next, req)
			tc.check(t, rec.Code, rec.Body.String())
		})
	}
}
