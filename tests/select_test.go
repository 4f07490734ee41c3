package tests

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// answersBackend serves the answers the response pipeline must handle. The
// function it returns lets /sse finish its stream; it may be called more
// than once.
func answersBackend(t *testing.T) (*backend, func()) {
	t.Helper()
	sessions := refSessions()
	entity, _ := json.Marshal(sessions[0])
	many := make([]refSession, 1500)
	for i := range many {
		many[i] = sessions[i%len(sessions)]
		many[i].ChatSessionId = int32(i + 1)
	}
	array, _ := json.Marshal(many)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(entity)
	_ = zw.Close()
	release := make(chan struct{})
	var once sync.Once
	finishSSE := func() { once.Do(func() { close(release) }) }
	t.Cleanup(finishSSE)

	mux := http.NewServeMux()
	jsonAnswer := func(body []byte, extra ...string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			for i := 0; i+1 < len(extra); i += 2 {
				w.Header().Set(extra[i], extra[i+1])
			}
			_, _ = w.Write(body)
		}
	}
	mux.HandleFunc("/entity", jsonAnswer(entity, "ETag", `"e1"`))
	mux.HandleFunc("/array", jsonAnswer(array))
	mux.HandleFunc("/gzip", jsonAnswer(gz.Bytes(), "Content-Encoding", "gzip")) // whatever the request said
	mux.HandleFunc("/invalid", jsonAnswer([]byte(`{"ChatSessionId":1,`)))
	big := []byte(`{"x":"` + strings.Repeat("x", 4<<20) + `"}`)
	// declared too large: a 502 up front (undeclared, it streams and ends abnormally: stream_test.go)
	mux.HandleFunc("/big", jsonAnswer(big, "Content-Length", strconv.Itoa(len(big))))
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, `{"ChatSessionId":1,"Status":"x"}`)
	})
	mux.HandleFunc("/notfound", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		_, _ = io.WriteString(w, `{"ChatSessionId":1,"Status":"x"}`)
	})
	mux.HandleFunc("/sse", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: {\"n\":1}\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		_, _ = io.WriteString(w, "data: {\"n\":2}\n\n")
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		_, _ = io.WriteString(w, `{"ChatSessionId":`)
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	return newBackend(t, mux), finishSSE
}

func TestSelectThroughTheBinary(t *testing.T) {
	be, _ := answersBackend(t)
	gw := startGateway(t, `
	chatgate {
		max_response_body 3MiB
	}
	reverse_proxy {backend}
`, be.addr())

	t.Run("entity", func(t *testing.T) {
		res := do(t, "GET", gw.URL+"/entity?keep=1&$select=chatsessionid,%20User/Name%20,FieldProperties/fieldName/FieldType", "")
		if res.Status != 200 {
			t.Fatalf("status %d %s", res.Status, res.Body)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(res.Body), &m); err != nil || len(m) != 33 {
			t.Fatalf("%d keys, %v: %s", len(m), err, res.Body)
		}
		if m["ChatSessionId"] != 157.0 || m["Status"] != nil || m["WhenRequested"] != nil {
			t.Fatalf("projection wrong: %s", res.Body)
		}
		if user := m["User"].(map[string]any); user["Name"] != "TJE0" || user["FullName"] != nil || len(user) != 12 {
			t.Fatalf("User = %v", user)
		}
		if res.Header.Get("Content-Length") != strconv.Itoa(len(res.Body)) || res.Header.Get("ETag") != `W/"e1"` {
			t.Fatalf("headers %v", res.Header)
		}
		if got := be.take(); got[0].RequestURI != "/entity?keep=1" {
			t.Fatalf("backend got %s", got[0].RequestURI)
		}
	})
	t.Run("top-level array of 1500", func(t *testing.T) {
		res := do(t, "GET", gw.URL+"/array?$SELECT=ChatSessionId", "")
		var items []map[string]any
		if err := json.Unmarshal([]byte(res.Body), &items); err != nil || len(items) != 1500 {
			t.Fatalf("%d items, %v", len(items), err)
		}
		for i, item := range items {
			if item["ChatSessionId"] != float64(i+1) || item["CustomerName"] != nil || len(item) != 33 {
				t.Fatalf("item %d = %v", i, item)
			}
		}
		be.take()
	})
	t.Run("gzip-always backend", func(t *testing.T) {
		for _, ae := range []string{"", "gzip", "gzip, deflate, br"} {
			res := rawGet(t, gw.URL+"/gzip?$select=Status", "Accept-Encoding", ae)
			if res.Header.Get("Content-Encoding") != "" || !strings.Contains(res.Body, `"Status":"Active","FirstMessage":null`) {
				t.Fatalf("Accept-Encoding %q: %v %s", ae, res.Header, res.Body)
			}
		}
		be.take()
	})
	t.Run("no transform asked: the gzip passes through as sent", func(t *testing.T) {
		res := rawGet(t, gw.URL+"/gzip", "Accept-Encoding", "gzip")
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(res.Body, "\x1f\x8b") {
			t.Fatalf("%v %q", res.Header, res.Body[:10])
		}
		be.take()
	})
	for _, tc := range []struct{ name, path, body string }{
		{"other types untouched", "/text?$select=Status", `{"ChatSessionId":1,"Status":"x"}`},
		{"errors untouched", "/notfound?$select=Status", `{"ChatSessionId":1,"Status":"x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if res := do(t, "GET", gw.URL+tc.path, ""); res.Body != tc.body {
				t.Fatalf("body %s", res.Body)
			}
			be.take()
		})
	}
	for _, tc := range []struct{ name, path, message string }{
		{"invalid JSON", "/invalid?$select=a", "not valid JSON"},
		{"too large", "/big?$select=a", "larger than max_response_body"},
		{"backend breaks off mid-body", "/truncated?$select=a", "broke off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, do(t, "GET", gw.URL+tc.path, ""), 502, "BadGateway", tc.message)
			be.take()
		})
	}
	t.Run("malformed $select never reaches the backend", func(t *testing.T) {
		wantError(t, do(t, "GET", gw.URL+"/entity?$select=a//b", ""), 400, "BadRequest", "empty name")
		wantError(t, do(t, "GET", gw.URL+"/entity?$select="+strings.Repeat("a,", 300), ""), 400, "BadRequest", "more than 256 paths")
		if got := be.take(); len(got) != 0 {
			t.Fatalf("backend got %v", got)
		}
	})
}

// Server-sent events stream through: the first event arrives while the
// backend is still holding the stream open.
func TestSSEStreamsWithSelect(t *testing.T) {
	be, finishSSE := answersBackend(t)
	defer finishSSE()
	gw := startGateway(t, `
	chatgate
	reverse_proxy {backend} {
		flush_interval -1
	}
`, be.addr())
	// The whole exchange up to the first event, headers included, must
	// happen while the backend holds the stream open.
	first := make(chan string, 1)
	go func() {
		client := &http.Client{Timeout: 15 * time.Second}
		req, _ := http.NewRequest("GET", gw.URL+"/sse?$select=n", nil)
		req.Header.Set("Authorization", "Bearer e2e-token")
		res, err := client.Do(req)
		if err != nil {
			first <- err.Error()
			return
		}
		defer res.Body.Close()
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		first <- line
	}()
	select {
	case line := <-first:
		if line != "data: {\"n\":1}\n" {
			t.Fatalf("first line %q", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first event did not arrive while the stream was open")
	}
}

// With Caddy's encode in the site, a transformed answer reaches a client
// that asked for gzip compressed, and decodes to the projection.
func TestTransformedAnswerIsCompressedByEncode(t *testing.T) {
	be, _ := answersBackend(t)
	gw := startGateway(t, `
	encode gzip
	chatgate
	reverse_proxy {backend}
`, be.addr())
	res := rawGet(t, gw.URL+"/gzip?$select=Status", "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("headers %v", res.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !strings.Contains(string(plain), `"Status":"Active","FirstMessage":null`) {
		t.Fatalf("decoded %s", plain)
	}
}

// A streamed answer that $select shrinks (each entity's long text made
// null) is still compressed by an encode after chatgate: the answer's
// first write carries at least 4 KiB of output, more than encode's
// minimum_length (512 bytes), where it carried the few bytes made of the
// threshold's and encode left the whole answer uncompressed (found by a
// probe). The answer streams (no Content-Length) and decodes whole.
func TestShrunkStreamIsCompressedByEncode(t *testing.T) {
	var list strings.Builder
	list.WriteString("[")
	for i := range 400 {
		if i > 0 {
			list.WriteString(",")
		}
		list.WriteString(`{"a":` + strconv.Itoa(i) + `,"s":"` + strings.Repeat("x", 8000) + `"}`)
	}
	list.WriteString("]")
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, list.String())
	}))
	gw := startGateway(t, `
	encode gzip
	chatgate {
		max_response_body 16MiB
	}
	reverse_proxy {backend}
`, be.addr())
	res := rawGet(t, gw.URL+"/list?$select=a", "Accept-Encoding", "gzip")
	if res.Status != 200 || res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Content-Length") != "" {
		t.Fatalf("%d %v %.100q", res.Status, res.Header, res.Body)
	}
	zr, err := gzip.NewReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || strings.Count(string(plain), `,"s":null}`) != 400 || !strings.HasSuffix(string(plain), `{"a":399,"s":null}]`) {
		t.Fatalf("decoded %v: %d bytes, %.200s", err, len(plain), plain)
	}
}

// The transfer endpoints' answers are projected like any other.
func TestSelectOnChatEndpoint(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, `
	chatgate {
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
		session_route GET /chat/sessions/{ChatSessionId}
	}
	reverse_proxy {backend}
`, be.addr())
	for _, user := range []string{"tje0", "bob"} { // the owner's change, then nothing happens
		res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession?$select=ChatSessionId,TransferTo/Name", `{"ChatSessionId":157,"ToAssociate":"ann"}`,
			"Content-Type", "application/json", "Authorization", "Basic "+b64(user+":pw"))
		if res.Status != 200 || !strings.HasPrefix(res.Body, `{"ChatSessionId":157,"TopicId":null,"User":null,`) ||
			!strings.Contains(res.Body, `"TransferTo":{"AssociateId":null,"Name":"ANN",`) {
			t.Fatalf("%s: %d %s", user, res.Status, res.Body)
		}
	}
	for _, r := range be.take() {
		if strings.Contains(r.RequestURI, "select") {
			t.Fatalf("$select reached the backend: %s", r.RequestURI)
		}
	}
}

// rawGet sends a GET without Go's transparent gzip handling, so the
// answer's Content-Encoding is seen as sent.
func rawGet(t *testing.T, url string, headers ...string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer e2e-token")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(body)}
}
