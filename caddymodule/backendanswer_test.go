package caddymodule

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/chat"
	"github.com/chatgate/chatgate/format"
)

// backendAnswering answers every request with status, header and body, as
// reverse_proxy would: headers, status, then the body in 4 KiB writes; a
// write the client side refuses aborts the response with a panic.
func backendAnswering(status int, header http.Header, body []byte, written *int) *fakeNext {
	return &fakeNext{respond: func(w http.ResponseWriter, _ *http.Request) error {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 4<<10)
			m, err := w.Write(rest[:n])
			if written != nil {
				*written += m
			}
			if err != nil {
				panic(http.ErrAbortHandler)
			}
			rest = rest[n:]
		}
		return nil
	}}
}

func TestAgentCallBackendErrors(t *testing.T) {
	h := provisioned(t, Handler{})
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"message":"compressed reason"}`))
	_ = zw.Close()
	page := []byte("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>")

	for _, tc := range []struct {
		name    string
		status  int
		header  http.Header
		body    []byte
		message string // the ErrorMessage wanted
	}{
		{"500 with error", 500, jsonType, []byte(`{"error":"db down"}`), "db down"},
		{"400 SuperOffice body", 400, jsonType, []byte(`{"Error":true,"ErrorType":"ArgumentException","Message":"bad topic","ErrorSource":"x"}`), "bad topic"},
		{"409 problem details", 409, http.Header{"Content-Type": {"application/problem+json"}}, []byte(`{"title":"Conflict","detail":"already transferred"}`), "already transferred"},
		{"502 HTML page", 502, http.Header{"Content-Type": {"text/html"}}, page, "the backend answered 502 Bad Gateway"},
		{"503 plain text", 503, http.Header{"Content-Type": {"text/plain"}}, []byte("down for maintenance\r\nuntil 04:00\r\n"), "down for maintenance"},
		{"500 without body", 500, nil, nil, "the backend answered 500 Internal Server Error"},
		{"500 gzipped JSON", 500, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, gz.Bytes(), "compressed reason"},
		{"599 unknown status", 599, nil, nil, "the backend answered with status 599"},
		{"500 past what is read", 500, jsonType, append([]byte(`{"error":"`), bytes.Repeat([]byte("x"), 200<<10)...), "the backend answered 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			written := 0
			next := backendAnswering(tc.status, tc.header, tc.body, &written)
			rec := serve(h, next, post("/api/v1/Agents/Chat/AcceptChatSessionTransfer", "application/json", `{"chatSessionId":"5"}`))
			assertErrorFrom(t, rec, tc.status, errorType(tc.status), tc.message, "backend")
			if strings.Contains(rec.Body.String(), "<") || strings.Contains(rec.Body.String(), "nginx") {
				t.Fatalf("the backend's page leaked: %s", rec.Body)
			}
			if rec.Header().Get("Content-Encoding") != "" {
				t.Fatalf("Content-Encoding = %q", rec.Header().Get("Content-Encoding"))
			}
			if written > chat.MaxErrorBody {
				t.Fatalf("read %d bytes of the error answer; at most %d", written, chat.MaxErrorBody)
			}
		})
	}
}

func TestAgentCallBackendErrorInXML(t *testing.T) {
	h := provisioned(t, Handler{})
	next := backendAnswering(500, http.Header{"Content-Type": {"application/json"}}, []byte(`{"error":"db down"}`), nil)
	req := post("/api/v1/Agents/Chat/AcceptChatSessionTransfer", "application/json", `{"ChatSessionId":5}`)
	req.Header.Set("Accept", "application/xml")
	rec := serve(h, next, req)
	body := rec.Body.String()
	if rec.Code != 500 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/xml") ||
		!strings.Contains(body, "<ErrorInfo") || !strings.Contains(body, "<ErrorSource>backend</ErrorSource>") ||
		!strings.Contains(body, "<ErrorMessage>db down</ErrorMessage>") {
		t.Fatalf("answer = %d %s %s", rec.Code, rec.Header().Get("Content-Type"), body)
	}
}

func TestAgentCallBackendNotFound(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct {
		name, accept, wantType, wantBody string
	}{
		{"json", "", "application/json; charset=utf-8", "null"},
		{"text/json asked", "text/json", "text/json; charset=utf-8", "null"},
		{"xml asked", "application/xml", "application/xml; charset=utf-8", `nil="true"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := backendAnswering(404, http.Header{"Content-Type": {"text/html"}, "Etag": {`"x"`}}, []byte("<html>Not Found</html>"), nil)
			req := post("/api/v1/Agents/Chat/TransferChatSession?chatSessionId=5&toAssociate=bob", "application/json", "null")
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			rec := serve(h, next, req)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != tc.wantType || !strings.Contains(rec.Body.String(), tc.wantBody) ||
				rec.Header().Get("Etag") != "" || strings.Contains(rec.Body.String(), "html") {
				t.Fatalf("answer = %d %v %s", rec.Code, rec.Header(), rec.Body)
			}
			if tc.accept == "" && rec.Body.String() != "null" {
				t.Fatalf("body = %q", rec.Body)
			}
		})
	}
}

// The mapping is a function of the return type, for every method of the
// catalogue.
func TestAnswerNotFoundByReturnKind(t *testing.T) {
	h := provisioned(t, Handler{})
	c := agent.Chat()
	for _, tc := range []struct {
		method     string
		wantStatus int
		wantBody   string
	}{
		{"GetChatSessionEntity", 200, "null"},
		{"GetChatMessages", 200, "[]"},
		{"DeleteChatSessionEntity", 204, ""},
		{"GetChatTranscript", 200, "null"},
		{"IsWithinOpeningHours", 200, "null"},
	} {
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", "text/plain")
		rec.Header().Set("Content-Length", "9")
		rw := newResponseWriter(rec, format.Negotiate(nil), 1<<20, h.metrics)
		r := httptest.NewRequest("POST", "/api/v1/Agents/Chat/X", nil)
		h.answerBackendStatus(rw, r, c.Method(tc.method).Returns, 404, rec.Header(), []byte("not found"))
		if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
			t.Errorf("%s: %d %q; want %d %q", tc.method, rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
		}
		if tc.wantStatus == 204 && (rec.Header().Get("Content-Type") != "" || rec.Header().Get("Content-Length") != "") {
			t.Errorf("204 headers = %v", rec.Header())
		}
	}
}

// Only agent calls are mapped: another route's 404 and 500 pass as they are.
func TestOtherRoutesKeepBackendErrors(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, status := range []int{404, 500} {
		next := backendAnswering(status, http.Header{"Content-Type": {"text/plain"}}, []byte("raw"), nil)
		rec := serve(h, next, httptest.NewRequest("GET", "/api/v1/Chat/5", nil))
		if rec.Code != status || rec.Body.String() != "raw" {
			t.Fatalf("answer = %d %s", rec.Code, rec.Body)
		}
	}
}

func TestAgentCallSuccessUnchanged(t *testing.T) {
	h := provisioned(t, Handler{})
	next := backendAnswering(200, http.Header{"Content-Type": {"application/json"}}, []byte(`{"ChatSessionId":5}`), nil)
	rec := serve(h, next, post("/api/v1/Agents/Chat/RejectChatSessionTransfer", "application/json", ""+`{"ChatSessionId":"5"}`))
	if rec.Code != 200 || rec.Body.String() != `{"ChatSessionId":5}` {
		t.Fatalf("answer = %d %s", rec.Code, rec.Body)
	}
	if got := next.requests[0].Body; got != `{"ChatSessionId":5}` {
		t.Fatalf("upstream body = %s", got)
	}
}
