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

// The placeholders work in other directives: a deferred response header,
// reverse_proxy's header_up and log_append fields; chatgate's metrics show
// in Caddy's admin /metrics; a refused request makes one INFO line with a
// reason and no secret.
func TestPlaceholdersMetricsAndLogs(t *testing.T) {
	be := newBackend(t, sampleBackend())
	port, admin := freePort(t), freePort(t)
	caddyfile := fmt.Sprintf(`{
	admin localhost:%d
	auto_https off
	persist_config off
}

:%d {
	log {
		output stderr
		format json
	}
	log_append chatgate_select {http.chatgate.select}
	log_append chatgate_zone {http.chatgate.timezone}
	log_append chatgate_language {http.chatgate.language}
	log_append chatgate_user {http.chatgate.user}
	log_append chatgate_scheme {http.chatgate.auth_scheme}
	header >X-Chatgate-Zone "{http.chatgate.timezone}"
	header >X-Chatgate-Who "{http.chatgate.user} by {http.chatgate.auth_scheme}"
	chatgate
	reverse_proxy %s {
		header_up X-Client-Zone {http.chatgate.timezone}
		header_up X-Client-Language {http.chatgate.language}
	}
}
`, admin, port, be.addr())
	gw := startWithCaddyfile(t, caddyfile, port, nil)

	r := do(t, "GET", gw.URL+"/chat/sessions/184?$select=ChatSessionId", "",
		"Authorization", "Basic "+b64("ann:secret-pw"), "SO-TimeZone", "US-NY", "SO-Language", "nb")
	if r.Status != 200 || r.Header.Get("X-Chatgate-Zone") != "America/New_York" || r.Header.Get("X-Chatgate-Who") != "ann by basic" {
		t.Fatalf("%d, headers %v", r.Status, r.Header)
	}
	got := be.take()
	if len(got) != 1 || got[0].Header.Get("X-Client-Zone") != "America/New_York" || got[0].Header.Get("X-Client-Language") != "nb" {
		t.Fatalf("the backend got %+v", got)
	}
	plain := do(t, "GET", gw.URL+"/chat/sessions/184", "")
	if plain.Header.Get("X-Chatgate-Zone") != "" || plain.Header.Get("X-Chatgate-Who") != "by bearer" {
		t.Fatalf("without a zone: headers %v", plain.Header)
	}
	refused := do(t, "GET", gw.URL+"/chat/sessions/184", "", "Authorization", "SoTicket s3cret-ticket")
	wantError(t, refused, 401, "Unauthorized", "SoTicket")

	// The access log line of the first request has the fields.
	var line map[string]any
	deadline := time.Now().Add(5 * time.Second)
	for line == nil && time.Now().Before(deadline) {
		for _, l := range strings.Split(gw.logs.String(), "\n") {
			if strings.Contains(l, `"chatgate_select":"ChatSessionId"`) {
				_ = json.Unmarshal([]byte(l), &line)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if line == nil || line["chatgate_zone"] != "America/New_York" || line["chatgate_language"] != "nb" ||
		line["chatgate_user"] != "ann" || line["chatgate_scheme"] != "basic" {
		t.Fatalf("access log line %v", line)
	}
	logs := gw.logs.String()
	if !strings.Contains(logs, `"msg":"request refused","status":401,"reason":"SoTicket credential is malformed"`) {
		t.Fatalf("no refusal line in the log:\n%s", logs)
	}
	for _, secret := range []string{"secret-pw", b64("ann:secret-pw"), "s3cret-ticket"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("%q is in the log", secret)
		}
	}

	res, err := http.Get(fmt.Sprintf("http://localhost:%d/metrics", admin))
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`chatgate_requests_refused_total{reason="Unauthorized"} 1`,
		`chatgate_transforms_total{kind="select"} 1`,
		`chatgate_transforms_total{kind="timezone"} 1`,
		`chatgate_transforms_total{kind="language"} 1`,
		`chatgate_transform_duration_seconds_count 1`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics has no %s", want)
		}
	}
}
