package tests

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// chatgate's counters go on across a config reload (POST /load on the admin
// API), as Caddy's own admin metrics do: a reload makes a new metrics
// registry, and the same collectors are registered in it.
func TestMetricsSurviveReload(t *testing.T) {
	be := newBackend(t, sampleBackend())
	port, admin := freePort(t), freePort(t)
	caddyfile := func(header string) string {
		return fmt.Sprintf(`{
	admin localhost:%d
	auto_https off
	persist_config off
}

:%d {
	chatgate {
		identity_header %s
	}
	reverse_proxy %s
}
`, admin, port, header, be.addr())
	}
	gw := startWithCaddyfile(t, caddyfile("X-User-One"), port, nil)
	refuse := func(n int) {
		for range n {
			wantError(t, do(t, "GET", gw.URL+"/chat/sessions/184", "", "Authorization", "SoTicket nope"), 401, "Unauthorized", "SoTicket")
		}
	}
	refused := func() float64 {
		t.Helper()
		res, err := http.Get(fmt.Sprintf("http://localhost:%d/metrics", admin))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := regexp.MustCompile(`(?m)^chatgate_requests_refused_total\{reason="Unauthorized"\} (\S+)$`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("/metrics has no chatgate_requests_refused_total{reason=\"Unauthorized\"}")
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		return v
	}

	refuse(2)
	if got := refused(); got != 2 {
		t.Fatalf("before the reload: %v refusals counted; want 2", got)
	}
	res, err := http.Post(fmt.Sprintf("http://localhost:%d/load", admin), "text/caddyfile", strings.NewReader(caddyfile("X-User-Two")))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reload: %d %s", res.StatusCode, msg)
	}
	refuse(3)
	if got := refused(); got != 5 {
		t.Fatalf("after the reload: %v refusals counted; want 5 (2 before, 3 after)", got)
	}
}
