package caddymodule

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
)

// Agent answers larger than stream_threshold, answered as the method's: a
// void method's body is read and dropped; a text transcript, a result
// field and a plain JSON result stream through the shaping.
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

// TestVoidAnswerIsNotHeld: a void method's answer is 204 whatever its body
// says, so the body is read and dropped, not held (a backend that echoes
// a large entity costs no memory), not decoded, and still bounded by
// max_response_body.
func TestVoidAnswerIsNotHeld(t *testing.T) {
	h := provisioned(t, Handler{MaxResponseBody: 16 << 20, Agents: []AgentRoute{
		{Name: "DeleteChatSessionEntity", Method: "DELETE", Target: "/s/{ChatSessionEntityId}"},
	}})
	call := func(header http.Header, body string) (int, uint64) {
		answer := []byte(body) // made before counting
		next := &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			maps.Copy(w.Header(), header)
			w.WriteHeader(200)
			_, _ = w.Write(answer)
			return nil
		}}
		req := post("/api/v1/Agents/Chat/DeleteChatSessionEntity?ChatSessionEntityId=3", "application/json", ``)
		req.SetBasicAuth("ann", "pw")
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rec := serve(h, next, req)
		runtime.ReadMemStats(&after)
		return rec.Code, after.TotalAlloc - before.TotalAlloc
	}
	big := `{"deleted":true,"echo":"` + strings.Repeat("x", 12<<20) + `"}`
	if status, allocated := call(http.Header{"Content-Type": {"application/json"}}, big); status != 204 || allocated > 4<<20 {
		t.Fatalf("12 MB answer: %d, %d bytes allocated", status, allocated)
	}
	if status, _ := call(http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, "not gzip"); status != 204 {
		t.Fatalf("a body labelled gzip: %d; want 204, the body unread", status)
	}
	if status, _ := call(http.Header{"Content-Type": {"application/json"}}, big+strings.Repeat(" ", 5<<20)); status != 502 {
		t.Fatalf("past max_response_body: %d; want 502", status)
	}
}

// TestAgentEventStreamAndRangePassUntouched: an agent call's server-sent
// events and 206 are what the contract has every such answer be: passed
// on untouched and unbuffered, not read as the method's JSON.
func TestAgentEventStreamAndRangePassUntouched(t *testing.T) {
	h := provisioned(t, Handler{Agents: []AgentRoute{
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
	}})
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		pieces      []string
	}{
		{"server-sent events", 200, "text/event-stream; charset=utf-8", []string{"data: hello\n\n", "data: world\n\n"}},
		{"partial content", 206, "application/json", []string{`{"chatSessionId":1,`, `"status":4`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			next := &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.pieces[0]))
				w.(http.Flusher).Flush()
				if got := rec.Body.String(); got != tc.pieces[0] {
					t.Errorf("after the first piece and a flush the client has %q", got)
				}
				_, _ = w.Write([]byte(tc.pieces[1]))
				return nil
			}}
			req := post("/api/v1/Agents/Chat/GetChatSessionEntity", "application/json", `{"ChatSessionEntityId":1}`)
			req.SetBasicAuth("ann", "pw")
			ctx := context.WithValue(req.Context(), caddy.ReplacerCtxKey, caddy.NewReplacer())
			if err := h.ServeHTTP(rec, req.WithContext(ctx), next); err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(tc.pieces, ""); rec.Code != tc.status || rec.Body.String() != want || rec.Header().Get("Content-Type") != tc.contentType {
				t.Fatalf("%d %q %q, want %d %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String(), tc.status, want)
			}
		})
	}
}

// TestAgentAnswerOfAnotherKind: an agent answer whose value is not of the
// kind the method returns (an object for a list, a list for an entity) is
// a clean 502 that says so, in XML too, however long it is and whether or
// not it is read from a field, where its keys were shaped into nonsense
// (every name "" when a list's shape read an object); a list method's
// null is [], as the official client reads it, wherever it comes.
func TestAgentAnswerOfAnotherKind(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 1 << 10, Agents: []AgentRoute{
		{Name: "ChatSessionsForUser", Method: "GET", Target: "/u/{caller}/sessions", Result: "data"},
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
	}})
	long := `"` + strings.Repeat("x", 4<<10) + `"`
	for _, tc := range []struct {
		method, answer, accept string
		status                 int
		want                   string // the answer, or a part of the error message
	}{
		{"ChatSessionsForUser", `{"data":{"chatSessionId":1,"status":4}}`, "application/json", 502, "an object, where the method returns ChatSessionEntity[]"},
		{"ChatSessionsForUser", `{"total":1,"note":` + long + `,"data":{"chatSessionId":1}}`, "application/json", 502, "an object, where"},
		{"ChatSessionsForUser", `{"data":5}`, "application/xml", 502, "a number or a boolean, where the method returns ChatSessionEntity[]"},
		{"ChatSessionsForUser", `{"data":null}`, "application/json", 200, `[]`},
		{"GetChatMessages", `{"chatMessageId":1,"message":` + long + `}`, "application/json", 502, "an object, where the method returns ChatMessage[]"},
		{"GetChatMessages", " null ", "application/json", 200, `[]`},
		{"GetChatMessages", `null`, "application/xml", 200, `<ArrayOfChatMessage xmlns:i="http://www.w3.org/2001/XMLSchema-instance"></ArrayOfChatMessage>`},
		{"GetChatSessionEntity", `[{"chatSessionId":1}]`, "application/xml", 502, "a list, where the method returns ChatSessionEntity"},
		{"GetChatSessionEntity", `null`, "application/json", 200, `null`},
		// a byte order mark first changes nothing (it took the check off)
		{"GetChatMessages", "\xef\xbb\xbf" + `{"chatMessageId":1}`, "application/json", 502, "an object, where"},
		{"GetChatMessages", "\xef\xbb\xbf" + `null`, "application/json", 200, `[]`},
		// a list's null past stream_threshold (after the field's long
		// neighbours, or blanks) is [] too (it was null)
		{"ChatSessionsForUser", `{"note":` + long + `,"data":null}`, "application/json", 200, `[]`},
		{"ChatSessionsForUser", `{"note":` + long + `,"data":null}`, "application/xml", 200, `<ArrayOfChatSessionEntity xmlns:i="http://www.w3.org/2001/XMLSchema-instance"></ArrayOfChatSessionEntity>`},
		{"GetChatMessages", strings.Repeat(" ", 2<<10) + `null`, "application/json", 200, `[]`},
	} {
		t.Run(tc.method+" "+tc.answer[:min(len(tc.answer), 30)], func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": {"application/json"}}, tc.answer)
			req := post("/api/v1/Agents/Chat/"+tc.method, "application/json", `{"ChatSessionEntityId":1,"ChatSessionId":1}`)
			req.Header.Set("Accept", tc.accept)
			req.SetBasicAuth("ann", "pw")
			rec := serve(h, next, req)
			body := rec.Body.String()
			if rec.Code != tc.status || !strings.Contains(body, tc.want) || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.accept) ||
				tc.status == 200 && !strings.HasSuffix(body, tc.want) {
				t.Fatalf("%d %q: %s", rec.Code, rec.Header().Get("Content-Type"), body)
			}
		})
	}
}

// TestAgentPropertyTwice: an agent answer with one property twice in an
// object, in two spellings the shaping makes one (Status and status), is
// refused: a clean 502 while nothing went out, an abnormal end after,
// where it went out with the name twice (a client that reads the first
// value and one that reads the last would disagree; found by a probe).
func TestAgentPropertyTwice(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 1 << 10, Agents: []AgentRoute{
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
	}})
	next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"Status":"Closed","chatSessionId":1,"status":4}`)
	req := post("/api/v1/Agents/Chat/GetChatSessionEntity", "application/json", `{"ChatSessionEntityId":1}`)
	req.SetBasicAuth("ann", "pw")
	rec := serve(h, next, req)
	if rec.Code != 502 || !strings.Contains(rec.Body.String(), `"ErrorMessage":"the backend's answer has Status twice in one object"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}

	long := `[` + strings.Repeat(`{"chatMessageId":1,"type":1},`, 400) + `{"type":1,"Type":2}]` // its output passes firstPiece
	srv := tlsServer(t, h, inPieces(http.Header{"Content-Type": {"application/json"}}, []byte(long), 512), 1)
	res, err := srv.Client().Post(srv.URL+"/api/v1/Agents/Chat/GetChatMessages", "application/json", strings.NewReader(`{"ChatSessionId":1}`))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || err == nil || strings.Contains(string(body), `"Type":"ToUser","Type"`) {
		t.Fatalf("past the threshold: %d, %v, %d bytes: want an answer that breaks off before the second Type", res.StatusCode, err, len(body))
	}
}

// TestAgentBlankAnswers: an agent answer of JSON white space only, after
// a byte order mark at its start, is "nothing there", a transcript's too
// (one of a mark alone was "" and not null), and so is an empty one
// whatever its Content-Encoding says (a gzip or deflate one was a 502); a
// mark cut short, or one after white space, is no answer: a 502.
func TestAgentBlankAnswers(t *testing.T) {
	h := provisioned(t, Handler{Agents: []AgentRoute{
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "GetChatTranscript", Method: "GET", Target: "/s/{ChatSessionId}/transcript"},
	}})
	const mark = "\xef\xbb\xbf"
	for _, tc := range []struct {
		method, contentType, answer string
		status                      int
		want                        string
	}{
		{"GetChatMessages", "application/json", "", 200, `[]`},
		{"GetChatMessages", "application/json", mark, 200, `[]`},
		{"GetChatMessages", "application/json", mark + " \r\n\t", 200, `[]`},
		{"GetChatTranscript", "text/plain", mark, 200, `null`},
		{"GetChatTranscript", "text/plain", mark + "  \r\n", 200, `null`},
		{"GetChatTranscript", "text/plain", mark + " x", 200, `" x"`},
		{"GetChatMessages", "application/json", "\xef\xbb", 502, `not valid JSON`},
		{"GetChatMessages", "application/json", " " + mark, 502, `not valid JSON`},
	} {
		for _, coding := range []string{"", "gzip", "deflate", "zstd"} {
			if coding != "" && tc.answer != "" {
				continue
			}
			header := http.Header{"Content-Type": {tc.contentType}}
			if coding != "" { // an empty body is empty whatever its coding says (a gzip one was a 502)
				header.Set("Content-Encoding", coding)
			}
			next := answering(200, header, tc.answer)
			req := post("/api/v1/Agents/Chat/"+tc.method, "application/json", `{"ChatSessionId":1}`)
			req.SetBasicAuth("ann", "pw")
			rec := serve(h, next, req)
			if rec.Code != tc.status || tc.status == 200 && rec.Body.String() != tc.want || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("%s %q (%s): %d %s", tc.method, tc.answer, coding, rec.Code, rec.Body.String())
			}
		}
	}
}

// TestAgentBlankPastThreshold: an agent answer blank past stream_threshold
// is decided once its value begins, so a value of the wrong kind after the
// blanks is a clean 502 in XML too (the XML declaration went out at the
// threshold and committed a 200 that then broke off), and one that stays
// blank to its end is "nothing there" whatever the method (it was a 502
// for some, nothing there for the result methods; found by a probe). A
// transcript's blanks are its text: it streams.
func TestAgentBlankPastThreshold(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 1 << 10, Agents: []AgentRoute{
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
		{Name: "GetChatSessionEntity", Method: "GET", Target: "/s/{ChatSessionEntityId}"},
		{Name: "GetChatTranscript", Method: "GET", Target: "/s/{ChatSessionId}/transcript"},
	}})
	blanks := strings.Repeat(" \r\n\t", 1<<10)
	for _, tc := range []struct {
		method, contentType, answer, accept string
		status                              int
		want                                string
	}{
		{"GetChatMessages", "application/json", blanks + `{"a":1}`, "application/xml", 502, "an object, where the method returns ChatMessage[]"},
		{"GetChatSessionEntity", "application/json", blanks + `[1]`, "application/xml", 502, "a list, where"},
		{"GetChatSessionEntity", "application/json", blanks + `x`, "application/xml", 502, "not valid JSON"},
		{"GetChatSessionEntity", "application/json", blanks, "application/json", 200, "null"},
		{"GetChatMessages", "application/json", blanks, "application/xml", 200, `<ArrayOfChatMessage xmlns:i="http://www.w3.org/2001/XMLSchema-instance"></ArrayOfChatMessage>`},
		{"GetChatMessages", "application/json", blanks + `[{"chatMessageId":1}]`, "application/json", 200, `[{"ChatMessageId":1}]`},
		{"GetChatTranscript", "text/plain", blanks, "application/json", 200, `"` + strings.Repeat(` \u000d\u000a\u0009`, 1<<10) + `"`},
	} {
		next := answering(200, http.Header{"Content-Type": {tc.contentType}}, tc.answer)
		req := post("/api/v1/Agents/Chat/"+tc.method, "application/json", `{"ChatSessionId":1,"ChatSessionEntityId":1}`)
		req.Header.Set("Accept", tc.accept)
		req.SetBasicAuth("ann", "pw")
		rec := serve(h, next, req)
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.HasSuffix(strings.TrimSpace(body), tc.want) && !strings.Contains(body, tc.want) {
			t.Errorf("%s %.40q (%s): %d %.300s", tc.method, tc.answer[len(tc.answer)-min(len(tc.answer), 20):], tc.accept, rec.Code, body)
		}
	}
}

// TestChatgatesAnswersCarryNoTrailers: an answer chatgate gives whole in
// the backend's place (a void method's 204, the error body, "nothing
// there") drops the backend's trailers and their announcement, over
// HTTP/1.1 and HTTP/2: they went out as header fields, on HTTP/2 twice,
// and a 502 announced trailers that never came (found by a probe).
func TestChatgatesAnswersCarryNoTrailers(t *testing.T) {
	h := provisioned(t, Handler{StreamThreshold: 1 << 10, Agents: []AgentRoute{
		{Name: "DeleteChatSessionEntity", Method: "DELETE", Target: "/s/{ChatSessionEntityId}"},
		{Name: "GetChatMessages", Method: "GET", Target: "/s/{ChatSessionId}/messages"},
	}})
	withTrailers := func(status int, body string) *fakeNext {
		return &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Trailer", "X-Sum")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			w.Header().Set("X-Sum", "abc")
			return nil
		}}
	}
	for _, c := range []struct {
		name, method, body string
		next               *fakeNext
		status             int
	}{
		{"void", "DeleteChatSessionEntity", `{"ChatSessionEntityId":1}`, withTrailers(200, `{"deleted":true}`), 204},
		{"error body", "GetChatMessages", `{"ChatSessionId":1}`, withTrailers(200, `{"not":"a list"}`), 502},
		{"nothing there", "GetChatMessages", `{"ChatSessionId":1}`, withTrailers(200, "  "), 200},
	} {
		for _, proto := range []int{1, 2} {
			srv := tlsServer(t, h, c.next, proto)
			res, err := srv.Client().Post(srv.URL+"/api/v1/Agents/Chat/"+c.method, "application/json", strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			_, err = io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != c.status || res.Header.Get("X-Sum") != "" || res.Header.Get("Trailer") != "" || len(res.Trailer) != 0 {
				t.Errorf("%s, HTTP/%d: %d %v, header %v, trailer %v", c.name, proto, res.StatusCode, err, res.Header, res.Trailer)
			}
		}
	}
}
