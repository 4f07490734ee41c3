package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// resultGateway has GetChatMessages answer from the "data" field of the
// backend's answer, with a stream_threshold of 1 KiB.
func resultGateway(t *testing.T, be *backend) *gateway {
	return streamGatewayWith(t, be, `chatgate {
		stream_threshold 1KiB
		agent GetChatMessages GET /s/{ChatSessionId}/messages result data
	}`, "flush_interval -1")
}

// resultBackend answers /s/1/messages with {"total":...,"data":[...]} of
// about 4 MB over about a second, /s/2/messages with the same but a second
// "data" field after the first, /s/3/messages with 64 KiB and no "data",
// /s/4/messages as /s/1/messages but labelled text/plain (as Go's servers
// label JSON they send without a type).
func resultBackend(t *testing.T, lastWrite chan<- time.Time) *backend {
	item := `{"chatMessageId":7,"message":"` + strings.Repeat("x", 100) + `","type":1}`
	return newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/s/4/messages" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		if r.URL.Path == "/s/3/messages" {
			_, _ = io.WriteString(w, `{"total":0,"note":"`+strings.Repeat("y", 64<<10)+`"}`)
			return
		}
		_, _ = io.WriteString(w, `{"total":40000,"data":[`)
		for p := range 40 {
			var b strings.Builder
			for i := range 1000 {
				if p > 0 || i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(item)
			}
			_, _ = io.WriteString(w, b.String())
			w.(http.Flusher).Flush()
			time.Sleep(time.Second / 40)
		}
		if r.URL.Path == "/s/2/messages" {
			_, _ = io.WriteString(w, `],"data":[]}`)
		} else {
			_, _ = io.WriteString(w, `]}`)
		}
		if lastWrite != nil {
			lastWrite <- time.Now()
		}
	}))
}

// postAgent calls the Chat agent's method about session (its
// ChatSessionId), with a bearer token and headers (name, value, ...).
func postAgent(t *testing.T, c *http.Client, url, method string, session int, headers ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/Agents/Chat/"+method, strings.NewReader(fmt.Sprintf(`{"ChatSessionId":%d}`, session)))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	req.Header.Set("Authorization", "Bearer e2e-token")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestResultFieldStreams: an agent answer whose result is a field of the
// backend's answer streams like any other, labelled JSON or not: its
// first bytes reach the client before the backend's last, shaped as the
// method's; a second result field after the first went out ends the
// answer abnormally; a long answer without one is a 502 that names the
// field, in XML too (nothing of the answer, not even its XML declaration,
// went out before).
func TestResultFieldStreams(t *testing.T) {
	lastWrite := make(chan time.Time, 8)
	gw := resultGateway(t, resultBackend(t, lastWrite))
	for proto, c := range clients() {
		for _, session := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/%d", proto, session), func(t *testing.T) { streamedResult(t, c, gw.URL, session, lastWrite) })
		}
		t.Run(proto, func(t *testing.T) {
			res := postAgent(t, c, gw.URL, "GetChatMessages", 2)
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			<-lastWrite
			if res.StatusCode != 200 || err == nil {
				t.Fatalf("a second data field: %d, %d bytes, %v: want an answer that breaks off", res.StatusCode, len(body), err)
			}

			res = postAgent(t, c, gw.URL, "GetChatMessages", 3)
			body, _ = io.ReadAll(res.Body)
			res.Body.Close()
			wantError(t, response{res.StatusCode, res.Header, string(body)}, 502, "BadGateway", "has no data field")

			res = postAgent(t, c, gw.URL, "GetChatMessages", 3, "Accept", "application/xml")
			body, _ = io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 502 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") || !strings.Contains(string(body), "has no data field") {
				t.Fatalf("no data field, as XML: %d %q %s", res.StatusCode, res.Header.Get("Content-Type"), body)
			}
		})
	}
}

// streamedResult asks for session's messages, which the backend sends
// over about a second, and checks that they come shaped, their first byte
// before the backend's last.
func streamedResult(t *testing.T, c *http.Client, url string, session int, lastWrite <-chan time.Time) {
	start := time.Now()
	res := postAgent(t, c, url, "GetChatMessages", session)
	answer, firstByte := readTimed(t, res)
	res.Body.Close()
	last := <-lastWrite
	var got []struct {
		ChatMessageId int
		Type          string
	}
	if err := json.Unmarshal(answer, &got); err != nil || res.StatusCode != 200 || res.ContentLength != -1 ||
		!strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
		len(got) != 40000 || got[39999].ChatMessageId != 7 || got[0].Type != "ToCustomer" {
		t.Fatalf("%d %q, Content-Length %d, %d messages: %v", res.StatusCode, res.Header.Get("Content-Type"), res.ContentLength, len(got), err)
	}
	t.Logf("first byte after %v; the backend's last write after %v", firstByte.Sub(start), last.Sub(start))
	if !firstByte.Before(last) {
		t.Fatal("the first byte came after the backend's last")
	}
}
