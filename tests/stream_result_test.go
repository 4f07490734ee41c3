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
	port := freePort(t)
	caddyfile := fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
	servers {
		protocols h1 h2c
	}
}

:%d {
	chatgate {
		stream_threshold 1KiB
		agent GetChatMessages GET /s/{ChatSessionId}/messages result data
	}
	reverse_proxy %s {
		flush_interval -1
	}
}
`, port, be.addr())
	return startWithCaddyfile(t, caddyfile, port, nil)
}

// resultBackend answers /s/1/messages with {"total":...,"data":[...]} of
// about 4 MB over about a second, /s/2/messages with the same but a second
// "data" field after the first, /s/3/messages with 64 KiB and no "data".
func resultBackend(t *testing.T, lastWrite chan<- time.Time) *backend {
	item := `{"chatMessageId":7,"message":"` + strings.Repeat("x", 100) + `","type":1}`
	return newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
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

func postMessages(t *testing.T, c *http.Client, url string, session int) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/Agents/Chat/GetChatMessages", strings.NewReader(fmt.Sprintf(`{"ChatSessionId":%d}`, session)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer e2e-token")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestResultFieldStreams: an agent answer whose result is a field of the
// backend's answer streams like any other: its first bytes reach the
// client before the backend's last, shaped as the method's; a second
// result field after the first went out ends the answer abnormally; a
// long answer without one is a 502 that names the field.
func TestResultFieldStreams(t *testing.T) {
	lastWrite := make(chan time.Time, 8)
	gw := resultGateway(t, resultBackend(t, lastWrite))
	for proto, c := range clients() {
		t.Run(proto, func(t *testing.T) {
			start := time.Now()
			res := postMessages(t, c, gw.URL, 1)
			first := make([]byte, 1)
			if _, err := io.ReadFull(res.Body, first); err != nil {
				t.Fatal(err)
			}
			firstByte := time.Now()
			rest, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatalf("reading the answer: %v", err)
			}
			last := <-lastWrite
			var got []struct {
				ChatMessageId int
				Type          string
			}
			if err := json.Unmarshal(append(first, rest...), &got); err != nil || res.StatusCode != 200 || res.ContentLength != -1 ||
				len(got) != 40000 || got[39999].ChatMessageId != 7 || got[0].Type != "ToCustomer" {
				t.Fatalf("%d, Content-Length %d, %d messages: %v", res.StatusCode, res.ContentLength, len(got), err)
			}
			t.Logf("first byte after %v; the backend's last write after %v", firstByte.Sub(start), last.Sub(start))
			if !firstByte.Before(last) {
				t.Fatal("the first byte came after the backend's last")
			}

			res = postMessages(t, c, gw.URL, 2)
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			<-lastWrite
			if res.StatusCode != 200 || err == nil {
				t.Fatalf("a second data field: %d, %d bytes, %v: want an answer that breaks off", res.StatusCode, len(body), err)
			}

			res = postMessages(t, c, gw.URL, 3)
			body, _ = io.ReadAll(res.Body)
			res.Body.Close()
			wantError(t, response{res.StatusCode, res.Header, string(body)}, 502, "BadGateway", "has no data field")
		})
	}
}
