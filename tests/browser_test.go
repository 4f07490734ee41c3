package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A real browser (Debian's chromium, headless) loads a page served by the
// same Caddy. The page calls the chat API with fetch, as a browser client
// of the reference pages does: the X-XSRF-TOKEN header repeating the
// XSRF-TOKEN cookie is accepted, the same call without it is refused, and
// the projected session is rendered. The page reports what it saw to
// /report, where the test reads it.
//
// The site leaves basic out of auth_schemes: a 401 whose WWW-Authenticate
// offers Basic makes a browser open its login dialog, for fetch too, and the
// refused call would wait on it forever (headless, nobody answers it).
func TestBrowser(t *testing.T) {
	chromium := browser(t)
	be := newBackend(t, sampleBackend())
	reports := make(chan string, 1)
	reporter := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case reports <- string(body):
		default:
		}
	}))
	page, err := filepath.Abs("testdata/browser")
	if err != nil {
		t.Fatal(err)
	}
	gw := startGateway(t, fmt.Sprintf(`
	handle /app/* {
		uri strip_prefix /app
		header Set-Cookie "XSRF-TOKEN=tok-4f2a9; Path=/; SameSite=Strict"
		root * %s
		file_server
	}
	handle /report {
		reverse_proxy %s
	}
	handle {
		chatgate {
			auth_schemes soticket bearer
		}
		reverse_proxy {backend}
	}
`, page, reporter.addr()), be.addr())

	text := visit(t, chromium, gw.URL+"/app/index.html", reports)
	var result struct {
		Accepted, Keys, Refused int
		RefusedType, Rendered   string
	}
	if err := json.Unmarshal([]byte(text), &result); err != nil {
		t.Fatalf("the page says %q", text)
	}
	// A legacy route answers in the backend's own dialect: 31 camelCase
	// keys, the status a number (5, CustomerLast).
	if result.Accepted != 200 || result.Keys != 31 || result.Refused != 401 || result.RefusedType != "Unauthorized" ||
		result.Rendered != "chatSessionId184userANNstatus5" {
		t.Fatalf("the page saw %+v", result)
	}
	got := be.take()
	if len(got) != 1 || got[0].Header.Get("X-Xsrf-Token") != "" || !strings.Contains(got[0].RequestURI, "/chat/sessions/184") {
		t.Fatalf("the backend got %+v", got)
	}
}

// A page on another origin calls the API with credentials (fetch with
// credentials: "include", an Authorization and an SO-Language header, so
// the browser asks a preflight first), as a web app hosted apart from the
// API does: the API's site allows that origin in cors_origins, so a GET, a
// POST with a JSON body and a refusal (the 401 and its error body) all reach
// the page. The same page served from an origin cors_origins does not name
// is blocked by the browser itself (fetch rejects with a TypeError), and
// nothing of it reaches the backend. The three origins are three ports of
// one Caddy. As in TestBrowser, the API leaves basic out of auth_schemes, so
// no 401 opens a login dialog.
func TestBrowserCORS(t *testing.T) {
	chromium := browser(t)
	be := newBackend(t, sampleBackend())
	reports := make(chan string, 1)
	reporter := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		select {
		case reports <- string(body):
		default:
		}
	}))
	page, err := filepath.Abs("testdata/browser")
	if err != nil {
		t.Fatal(err)
	}
	apiPort, allowedPort, otherPort := freePort(t), freePort(t), freePort(t)
	api := fmt.Sprintf("http://127.0.0.1:%d", apiPort)
	allowed := fmt.Sprintf("http://127.0.0.1:%d", allowedPort)
	other := fmt.Sprintf("http://127.0.0.1:%d", otherPort)
	startWithCaddyfile(t, fmt.Sprintf(`{
	admin off
	auto_https off
	persist_config off
}

:%d {
	chatgate {
		auth_schemes soticket bearer
		cors_origins %s
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
	}
	reverse_proxy %s
}

:%d, :%d {
	handle /report {
		reverse_proxy %s
	}
	handle {
		root * %s
		file_server
	}
}
`, apiPort, allowed, be.addr(), allowedPort, otherPort, reporter.addr(), page), apiPort, nil)

	var result crossResult
	text := visit(t, chromium, allowed+"/cross.html?api="+api, reports)
	if err := json.Unmarshal([]byte(text), &result); err != nil {
		t.Fatalf("the page says %q", text)
	}
	if result.Origin != allowed || result.Got != "200" || result.User != "ANN" || result.Posted != "200" || result.PostedID != 184 ||
		result.Refused != "401" || result.RefusedType != "Unauthorized" {
		t.Fatalf("the page on the allowed origin saw %+v", result)
	}
	got := be.take()
	if len(got) != 2 || got[0].Method != "GET" || got[1].Method != "POST" || got[1].RequestURI != "/chat/sessions/184/reject" ||
		got[0].Header.Get("Authorization") != "Bearer tok-cross" || got[1].Header.Get("Authorization") != "Bearer tok-cross" {
		t.Fatalf("the backend got %+v", got)
	}

	text = visit(t, chromium, other+"/cross.html?api="+api, reports)
	result = crossResult{}
	if err := json.Unmarshal([]byte(text), &result); err != nil {
		t.Fatalf("the page says %q", text)
	}
	if result.Origin != other || result.Got != "TypeError" || result.Posted != "TypeError" || result.Refused != "TypeError" {
		t.Fatalf("the page on another origin saw %+v", result)
	}
	if got := be.take(); len(got) != 0 {
		t.Fatalf("the backend got %+v from a page on an origin not allowed", got)
	}
}

// crossResult is what cross.html reports: each call's status, or the name
// of the error its fetch rejected with.
type crossResult struct {
	Origin, Got, User, Posted, Refused, RefusedType string
	PostedID                                        int
}

// visit loads url in a headless chromium and returns what the page reports.
func visit(t *testing.T, chromium, url string, reports <-chan string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="+t.TempDir(), url)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	select {
	case text := <-reports:
		return text
	case <-time.After(60 * time.Second):
		t.Fatalf("the page reported nothing in 60 s; chromium says:\n%s", out.String())
	}
	return ""
}

// browser finds Debian's chromium, installing it with the project's script
// when it is missing (as root on Debian, as CI is).
func browser(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("chromium"); err == nil {
		return path
	}
	script, _ := filepath.Abs("../scripts/install-chromium.sh")
	if out, err := exec.Command("bash", script).CombinedOutput(); err != nil {
		t.Fatalf("chromium is not installed, and scripts/install-chromium.sh failed (it needs root and apt-get): %v\n%s", err, out)
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal(err)
	}
	return path
}
