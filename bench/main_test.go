//go:build linux

package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const wrkOutput = `Running 5s test @ http://127.0.0.1:8080/entity
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms    1.89ms  40.12ms   90.12%
    Req/Sec     7.32k   512.00     8.01k    70.00%
  Latency Distribution
     50%    1.88ms
     75%    2.50ms
     90%    3.90ms
     99%  812.00us
  73012 requests in 5.00s, 80.12MB read
Requests/sec:  14602.40
Transfer/sec:     16.02MB
`

func TestParseWrk(t *testing.T) {
	s, err := parseWrk(wrkOutput)
	if err != nil || s.rps != 14602.40 || s.p50 != 1880*time.Microsecond || s.p99 != 812*time.Microsecond {
		t.Fatalf("parseWrk = %+v, %v", s, err)
	}
	for _, bad := range []string{
		strings.Replace(wrkOutput, "Requests/sec:", "  Non-2xx or 3xx responses: 12\nRequests/sec:", 1),
		strings.Replace(wrkOutput, "Requests/sec:", "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec:", 1),
		strings.Replace(wrkOutput, "Requests/sec:  14602.40", "Requests/sec:      0.00", 1),
		strings.Replace(wrkOutput, "1.88ms", "1.88parsecs", 1),
	} {
		if _, err := parseWrk(bad); err == nil {
			t.Errorf("parseWrk accepted:\n%s", bad)
		}
	}
}

func TestParseWrkDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"812.00us": 812 * time.Microsecond, "1.23ms": 1230 * time.Microsecond,
		"2.00s": 2 * time.Second, "1.50m": 90 * time.Second} {
		if got, err := parseWrkDuration(in); err != nil || got != want {
			t.Errorf("parseWrkDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestWrkScript(t *testing.T) {
	got := wrkScript(scenario{method: "POST", body: `a="b"`, headers: map[string]string{"B": "2", "A": "1"}})
	want := "wrk.method = \"POST\"\nwrk.body = \"a=\\\"b\\\"\"\nwrk.headers[\"A\"] = \"1\"\nwrk.headers[\"B\"] = \"2\"\n"
	if got != want {
		t.Fatalf("wrkScript =\n%s\nwant\n%s", got, want)
	}
}

func TestPaceDelay(t *testing.T) {
	for _, c := range []struct {
		n       int64
		elapsed time.Duration
		want    time.Duration
	}{{1 << 20, 250 * time.Millisecond, 750 * time.Millisecond}, {1 << 19, 0, 500 * time.Millisecond}, {1 << 20, 2 * time.Second, 0}} {
		if got := paceDelay(c.n, 1<<20, c.elapsed); got != c.want {
			t.Errorf("paceDelay(%d, 1 MiB/s, %s) = %s; want %s", c.n, c.elapsed, got, c.want)
		}
	}
}

func TestSlowGet(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 10<<10) // 160 KiB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	minTime := time.Duration(len(body)) * time.Second / (1 << 20) // at 1 MiB/s
	start := time.Now()
	status, length, head, err := slowGet(srv.Client(), req, 1<<20)
	if elapsed := time.Since(start); err != nil || status != 200 || length != int64(len(body)) || !bytes.Equal(head, body[:64<<10]) ||
		elapsed < minTime {
		t.Fatalf("slowGet = %d, %d bytes, %d bytes of head, %v, in %s; want 200, %d bytes, the first 64 KiB, in at least %s",
			status, length, len(head), err, elapsed, len(body), minTime)
	}
}
