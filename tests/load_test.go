package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadRequest is one kind of request the load sends, with what its answer
// must be.
type loadRequest struct {
	name, method, path, body string
	headers                  []string
	status                   int
	check                    func(body []byte) bool
}

func loadMix() []loadRequest {
	isJSON := func(b []byte) bool { return json.Valid(b) }
	return []loadRequest{
		{"passthrough", "GET", "/chat/sessions/157", "", []string{"Authorization", "Basic " + b64("tje0:pw")}, 200,
			func(b []byte) bool { return bytes.Contains(b, []byte(`"chatSessionId":157`)) }},
		{"$select, zone and language", "GET", "/chat/sessions/184?$select=ChatSessionId,User/Name,WhenRequested", "",
			[]string{"Authorization", "Basic " + b64("ann:pw"), "SO-TimeZone", "US-NY", "SO-Language", "nb"}, 200,
			func(b []byte) bool { return isJSON(b) && bytes.Contains(b, []byte(`"customerName":null`)) }},
		{"XML", "GET", "/chat/sessions", "", []string{"Authorization", "Bearer t", "Accept", "text/xml"}, 200,
			func(b []byte) bool {
				return bytes.HasPrefix(b, []byte(`<?xml`)) && bytes.HasSuffix(b, []byte(`</ArrayOfChatSessionEntity>`))
			}},
		{"refused", "GET", "/chat/sessions/157", "", []string{"Authorization", "SoTicket x"}, 401,
			func(b []byte) bool { return bytes.Contains(b, []byte(`"ErrorSource":"chatgate"`)) }},
		{"chat endpoint", "POST", "/api/v1/Agents/Chat/RejectChatSessionTransfer", "ChatSessionId=746",
			[]string{"Authorization", "Bearer t", "Content-Type", "application/x-www-form-urlencoded"}, 200, isJSON},
		{"bad $select", "GET", "/chat/sessions?$select=a//b", "", []string{"Authorization", "Bearer t"}, 400, isJSON},
	}
}

// drive sends the mix from clients goroutines until stop closes, and
// returns how many requests were sent and every failure seen.
func drive(t *testing.T, base string, clients int, mix []loadRequest, onlyGET bool, stop <-chan struct{}) (int64, []string) {
	t.Helper()
	var sent atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	// Like any client that keeps its connections: one per concurrent caller.
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				lr := mix[i%len(mix)]
				if onlyGET && lr.method != "GET" {
					continue
				}
				var body io.Reader
				if lr.body != "" {
					body = strings.NewReader(lr.body)
				}
				req, _ := http.NewRequest(lr.method, base+lr.path, body)
				for j := 0; j+1 < len(lr.headers); j += 2 {
					req.Header.Set(lr.headers[j], lr.headers[j+1])
				}
				sent.Add(1)
				res, err := client.Do(req)
				if err != nil {
					fail("%s: %v", lr.name, err)
					continue
				}
				b, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != lr.status || !lr.check(b) {
					fail("%s: %d %v %.200s", lr.name, res.StatusCode, err, b)
				}
			}
		}()
	}
	wg.Wait()
	return sent.Load(), failures
}

const loadSite = `
	chatgate {
		base_timezone Europe/Oslo
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
		max_select %d
	}
	reverse_proxy {backend}
`

// The real binary (built with -race when the tests run with it) under
// concurrent clients for a bounded time: every answer is the right one.
func TestUnderLoad(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, fmt.Sprintf(loadSite, 256), be.addr())
	stop := make(chan struct{})
	time.AfterFunc(3*time.Second, func() { close(stop) })
	sent, failures := drive(t, gw.URL, 16, loadMix(), false, stop)
	if len(failures) > 0 {
		t.Fatalf("%d failures of %d requests:\n%s", len(failures), sent, strings.Join(failures, "\n"))
	}
	if sent < 100 {
		t.Fatalf("only %d requests in 3 s", sent)
	}
	if strings.Contains(gw.logs.String(), "DATA RACE") || strings.Contains(gw.logs.String(), "panic") {
		t.Fatalf("the gateway's log:\n%s", gw.logs.String())
	}
	t.Logf("%d requests, no failure", sent)
}

// Reloading the config through Caddy's admin API, twice, while clients
// keep asking, fails no request; the new config holds afterwards.
func TestReloadUnderLoad(t *testing.T) {
	be := newBackend(t, sampleBackend())
	port, admin := freePort(t), freePort(t)
	caddyfile := func(maxSelect int) string {
		return fmt.Sprintf("{\n\tadmin localhost:%d\n\tauto_https off\n\tpersist_config off\n}\n\n:%d {\n%s\n}\n",
			admin, port, strings.ReplaceAll(fmt.Sprintf(loadSite, maxSelect), "{backend}", be.addr()))
	}
	gw := startWithCaddyfile(t, caddyfile(256), port, nil)

	stop := make(chan struct{})
	type outcome struct {
		sent     int64
		failures []string
	}
	done := make(chan outcome)
	go func() {
		sent, failures := drive(t, gw.URL, 8, loadMix(), true, stop)
		done <- outcome{sent, failures}
	}()
	for _, maxSelect := range []int{10, 5} { // the mix's $select has 3 paths
		time.Sleep(700 * time.Millisecond)
		res, err := http.Post(fmt.Sprintf("http://localhost:%d/load", admin), "text/caddyfile", strings.NewReader(caddyfile(maxSelect)))
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("reload: %d %s", res.StatusCode, msg)
		}
	}
	time.Sleep(700 * time.Millisecond)
	close(stop)
	out := <-done
	if len(out.failures) > 0 {
		t.Fatalf("%d failures of %d requests across two reloads:\n%s", len(out.failures), out.sent, strings.Join(out.failures, "\n"))
	}
	// The last config is the one in force: max_select 5.
	r := do(t, "GET", gw.URL+"/chat/sessions/157?$select=a,b,c,d,e,f", "")
	wantError(t, r, 400, "BadRequest", "more than 5 paths")
	t.Logf("%d requests across two reloads, no failure", out.sent)
}
