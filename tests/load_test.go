package tests

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
// returns how many requests were sent, how many were sent again and every
// failure seen. With onlyGET (across reloads), a GET whose connection is
// reset before any answer is sent once more, as browsers retry an
// idempotent request: a new connection the old config's socket had queued
// is reset at the switch (README, "Reload"), which is Caddy's and the
// kernel's, not chatgate's.
func drive(t *testing.T, base string, clients int, mix []loadRequest, onlyGET bool, stop <-chan struct{}) (sent, retried int64, failures []string) {
	t.Helper()
	var sentCount, retriedCount atomic.Int64
	var mu sync.Mutex
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
				sentCount.Add(1)
				res, err := client.Do(req)
				if err != nil && onlyGET && resetBeforeAnswer(err) {
					retriedCount.Add(1)
					res, err = client.Do(req) // a GET has no body to send again
				}
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
	return sentCount.Load(), retriedCount.Load(), failures
}

// resetBeforeAnswer reports whether a request failed because its
// connection was reset or closed before any answer came.
func resetBeforeAnswer(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
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
	sent, _, failures := drive(t, gw.URL, 16, loadMix(), false, stop)
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
		sent, retried int64
		failures      []string
	}
	done := make(chan outcome)
	go func() {
		sent, retried, failures := drive(t, gw.URL, 8, loadMix(), true, stop)
		done <- outcome{sent, retried, failures}
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
	if out.retried > out.sent/100 {
		t.Fatalf("%d of %d requests reset before an answer: more than the switch of sockets explains", out.retried, out.sent)
	}
	// The last config is the one in force: max_select 5.
	r := do(t, "GET", gw.URL+"/chat/sessions/157?$select=a,b,c,d,e,f", "")
	wantError(t, r, 400, "BadRequest", "more than 5 paths")
	t.Logf("%d requests across two reloads, no failure (%d sent again after a reset)", out.sent, out.retried)
}

// TestResetBeforeAnswerIsSeen: what a switch of sockets does to a queued
// connection, a reset before any answer, is what drive sends again.
func TestResetBeforeAnswerIsSeen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 1024))
			c.(*net.TCPConn).SetLinger(0) // closed with a reset
			c.Close()
		}
	}()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	if _, err := client.Get("http://" + ln.Addr().String() + "/"); err == nil || !resetBeforeAnswer(err) {
		t.Fatalf("a reset before the answer: %v, not seen as one", err)
	}
}
