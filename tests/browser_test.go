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

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="+t.TempDir(), gw.URL+"/app/index.html")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = cmd.Wait() }()
	var text string
	select {
	case text = <-reports:
	case <-time.After(60 * time.Second):
		t.Fatalf("the page reported nothing in 60 s; chromium says:\n%s", out.String())
	}
	var result struct {
		Accepted, Keys, Refused int
		RefusedType, Rendered   string
	}
	if err := json.Unmarshal([]byte(text), &result); err != nil {
		t.Fatalf("the page says %q", text)
	}
	if result.Accepted != 200 || result.Keys != 33 || result.Refused != 401 || result.RefusedType != "Unauthorized" ||
		result.Rendered != "ChatSessionId184UserANNStatusActive" {
		t.Fatalf("the page saw %+v", result)
	}
	got := be.take()
	if len(got) != 1 || got[0].Header.Get("X-Xsrf-Token") != "" || !strings.Contains(got[0].RequestURI, "/chat/sessions/184") {
		t.Fatalf("the backend got %+v", got)
	}
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
