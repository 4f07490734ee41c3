package tests

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// authSite is a gateway that checks everything it can: verified Basic, app
// tokens, and the X-XSRF-TOKEN fallback.
func authSite(t *testing.T) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("ann-secret-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return `
	header >X-Caller "{http.chatgate.user}/{http.chatgate.auth_scheme}/{http.chatgate.user_verified}"
	chatgate {
		basic_account ann ` + string(hash) + `
		app_tokens app-token-0001 app-token-0002
	}
	reverse_proxy {backend}
`
}

func basicHeader(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// Every attempt to get past the gate without a valid credential is a 401
// with the error body, and reaches nothing behind it.
func TestGateRefusesBypassAttempts(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, authSite(t), be.addr())
	const app = "app-token-0001"
	const transfer = "/api/v1/Agents/Chat/TransferChatSession"
	for _, tc := range []struct {
		name, path string
		headers    []string
		message    string
	}{
		{"nothing", "/x", []string{"SO-AppToken", app}, "no credential"},
		{"empty Authorization", "/x", []string{"Authorization", "", "SO-AppToken", app}, ""},
		{"scheme without credential", "/x", []string{"Authorization", "Basic", "SO-AppToken", app}, "no credential"},
		{"Basic not base64", "/x", []string{"Authorization", "Basic ann:ann-secret-pw", "SO-AppToken", app}, "Basic credential is malformed"},
		{"Basic no colon", "/x", []string{"Authorization", "Basic " + b64("annpw"), "SO-AppToken", app}, "Basic credential is malformed"},
		{"Basic empty user", "/x", []string{"Authorization", "Basic " + b64(":ann-secret-pw"), "SO-AppToken", app}, "Basic credential is malformed"},
		{"SoTicket no digits", "/x", []string{"Authorization", "SoTicket T:abc", "SO-AppToken", app}, "SoTicket credential is malformed"},
		{"SoTicket space", "/x", []string{"Authorization", "SoTicket 7T:a b", "SO-AppToken", app}, "SoTicket credential is malformed"},
		{"Bearer with space", "/x", []string{"Authorization", "Bearer a b", "SO-AppToken", app}, "Bearer credential is malformed"},
		{"unknown scheme", "/x", []string{"Authorization", "Digest x", "SO-AppToken", app}, "not Basic, SoTicket or Bearer"},
		{"two Authorization headers", "/x", []string{"Authorization", "Bearer a", "Authorization", "Bearer a", "SO-AppToken", app}, "more than once"},
		{"unknown user", "/x", []string{"Authorization", basicHeader("mallory", "ann-secret-pw"), "SO-AppToken", app}, "the user name or password is wrong"},
		{"wrong password", "/x", []string{"Authorization", basicHeader("ann", "ann-secret-pX"), "SO-AppToken", app}, "the user name or password is wrong"},
		{"user name in another case", "/x", []string{"Authorization", basicHeader("ANN", "ann-secret-pw"), "SO-AppToken", app}, "the user name or password is wrong"},
		{"XSRF mismatch", "/x", []string{"Cookie", "XSRF-TOKEN=xsrf-value-1", "X-XSRF-TOKEN", "xsrf-value-2", "SO-AppToken", app}, "does not match"},
		{"XSRF header missing", "/x", []string{"Cookie", "XSRF-TOKEN=xsrf-value-1", "SO-AppToken", app}, "does not match"},
		{"XSRF cookie missing", "/x", []string{"X-XSRF-TOKEN", "xsrf-value-1", "SO-AppToken", app}, "does not match"},
		{"XSRF both empty", "/x", []string{"Cookie", "XSRF-TOKEN=", "X-XSRF-TOKEN", "", "SO-AppToken", app}, ""},
		{"app token missing", "/x", []string{"Authorization", "Bearer tok"}, "SO-AppToken header is missing"},
		{"app token off by one character", "/x", []string{"Authorization", "Bearer tok", "SO-AppToken", "app-token-0003"}, "SO-AppToken is not accepted"},
		{"app token with a suffix", "/x", []string{"Authorization", "Bearer tok", "SO-AppToken", app + "x"}, "SO-AppToken is not accepted"},
		{"chat endpoint in odd case", "/API/V1/agents/chat/transferchatsession/", []string{"SO-AppToken", app}, "no credential"},
		{"chat endpoint with //", "//api/v1//Agents/Chat/TransferChatSession", []string{"SO-AppToken", app}, "no credential"},
		{"chat endpoint percent-encoded", "/api/v1/Agents/Chat/Transfer%43hatSession", []string{"SO-AppToken", app}, "no credential"},
		{"dot segments", "/api/v1/x/../Agents/Chat/TransferChatSession", []string{"SO-AppToken", app}, "no credential"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := doRaw(t, "POST", gw.URL+tc.path, `{"ChatSessionId":1,"ToAssociate":"x"}`, append(tc.headers, "Content-Type", "application/json")...)
			wantError(t, res, 401, "Unauthorized", tc.message)
			if got := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") || !strings.Contains(got, ", SoTicket ") || !strings.Contains(got, ", Bearer ") {
				t.Fatalf("WWW-Authenticate = %q; want the three schemes", got)
			}
			for _, secret := range []string{"ann-secret-pw", "xsrf-value", app, "app-token-0003"} {
				if strings.Contains(res.Body, secret) || strings.Contains(strings.Join(res.Header.Values("X-Caller"), ""), secret) {
					t.Fatalf("the answer echoes a secret: %s", res.Body)
				}
			}
			if got := be.take(); len(got) != 0 {
				t.Fatalf("a refused request reached the backend: %+v", got)
			}
		})
	}
}

// What passes the gate, and what the backend and other directives see of it.
func TestGatePasses(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, authSite(t), be.addr())
	for _, tc := range []struct {
		name         string
		headers      []string
		wantCaller   string // the X-Caller header the deferred header directive adds
		wantIdentity string // X-Chatgate-User at the backend
	}{
		{"verified Basic", []string{"Authorization", basicHeader("ann", "ann-secret-pw")}, "ann/basic/true", "ann"},
		{"scheme in capitals", []string{"Authorization", "BASIC " + b64("ann:ann-secret-pw")}, "ann/basic/true", "ann"},
		{"SOTicket", []string{"Authorization", "SOTicket 7T:abc=="}, "/soticket/false", ""},
		{"soticket", []string{"Authorization", "soticket 12T:x"}, "/soticket/false", ""},
		{"Bearer", []string{"Authorization", "Bearer eyJ.x-y"}, "/bearer/false", ""},
		{"XSRF cookie and header", []string{"Cookie", "other=1; XSRF-TOKEN=xsrf-value-9", "X-XSRF-TOKEN", "xsrf-value-9"}, "/xsrf/false", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			headers := append(tc.headers, "SO-AppToken", "app-token-0002", "X-Chatgate-User", "admin")
			res := doRaw(t, "GET", gw.URL+"/x", "", headers...)
			if res.Status != 200 || res.Header.Get("X-Caller") != tc.wantCaller {
				t.Fatalf("answer %d, X-Caller %q; want 200, %q: %s", res.Status, res.Header.Get("X-Caller"), tc.wantCaller, res.Body)
			}
			got := be.take()
			if len(got) != 1 {
				t.Fatalf("backend got %d requests", len(got))
			}
			h := got[0].Header
			if h.Get("X-Chatgate-User") != tc.wantIdentity || h.Get("SO-AppToken") != "" || h.Get("X-XSRF-TOKEN") != "" {
				t.Fatalf("backend headers: identity %q, app token %q, xsrf %q", h.Get("X-Chatgate-User"), h.Get("SO-AppToken"), h.Get("X-XSRF-TOKEN"))
			}
			if tc.headers[0] == "Authorization" && h.Get("Authorization") != tc.headers[1] {
				t.Fatalf("the backend did not get the caller's credential")
			}
		})
	}
}

// A control character in a credential, sent as raw bytes (Go's client
// refuses to). Go's HTTP server turns such a header away with a plain 400
// before any handler runs; either way nothing reaches the backend.
// (auth's own tests cover the gate's refusal of them.)
func TestControlCharactersNeverPass(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, authSite(t), be.addr())
	for _, c := range []string{"\x01", "\x7f"} {
		status, body := rawRequest(t, gw.URL, "GET /x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a"+c+"b\r\nSO-AppToken: app-token-0001\r\nConnection: close\r\n\r\n")
		if status != 400 && status != 401 {
			t.Fatalf("answer %d %s", status, body)
		}
	}
	if got := be.take(); len(got) != 0 {
		t.Fatalf("reached the backend: %+v", got)
	}
}

// accessLogFilter is the README's log filter: Caddy's access log records
// the request as it arrived, before any handler runs, and redacts only
// Authorization and cookies by itself.
const accessLogFilter = `
	log {
		format filter {
			request>headers>So-Apptoken delete
			request>headers>X-Xsrf-Token delete
		}
	}`

// No credential ever reaches a log line at debug level, whether the
// request passed or was refused: with no access log, and with an access log
// that has the README's filter.
func TestNoSecretInLogs(t *testing.T) {
	for _, tc := range []struct{ name, accessLog, wantLine string }{
		{"debug level", "", "request refused"},
		{"debug level and the README's access log", accessLogFilter, "handled request"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkNoSecretInLogs(t, tc.accessLog, tc.wantLine) })
	}
}

func checkNoSecretInLogs(t *testing.T, accessLog, wantLine string) {
	be := newBackend(t, sampleBackend())
	hash, _ := bcrypt.GenerateFromPassword([]byte("ann-secret-pw"), bcrypt.MinCost)
	port := freePort(t)
	gw := startWithCaddyfile(t, `{
	debug
	admin off
	auto_https off
	persist_config off
}

:`+itoa(port)+` {`+accessLog+`
	chatgate {
		basic_account ann `+string(hash)+`
		app_tokens app-token-secret-1
		session_route GET /chat/sessions/{ChatSessionId}
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
	}
	reverse_proxy `+be.addr()+`
}
`, port, nil)
	secrets := []string{"ann-secret-pw", b64("ann:ann-secret-pw"), b64("ann:wrong-secret-pw"), "wrong-secret-pw",
		"4711T:ticket-secret==", "ticket-secret", "bearer-secret-token", "xsrf-secret-value", "app-token-secret-1", "app-token-secret-2"}
	for _, headers := range [][]string{
		{"Authorization", basicHeader("ann", "ann-secret-pw"), "SO-AppToken", "app-token-secret-1"},
		{"Authorization", basicHeader("ann", "wrong-secret-pw"), "SO-AppToken", "app-token-secret-1"},
		{"Authorization", "SoTicket 4711T:ticket-secret==", "SO-AppToken", "app-token-secret-1"},
		{"Authorization", "Bearer bearer-secret-token", "SO-AppToken", "app-token-secret-2"},
		{"Authorization", "Bearer bearer-secret-token x", "SO-AppToken", "app-token-secret-1"},
		{"Cookie", "XSRF-TOKEN=xsrf-secret-value", "X-XSRF-TOKEN", "xsrf-secret-value", "SO-AppToken", "app-token-secret-1"},
		{"Cookie", "XSRF-TOKEN=xsrf-secret-value", "X-XSRF-TOKEN", "xsrf-secret-valueX", "SO-AppToken", "app-token-secret-1"},
	} {
		for _, path := range []string{"/chat/sessions/157", "/api/v1/Agents/Chat/TransferChatSession", "/api/v1/Agents/Chat/AcceptChatSessionTransfer?$select=x"} {
			doRaw(t, "POST", gw.URL+path, `{"ChatSessionId":157,"ToAssociate":"ann"}`, append(headers, "Content-Type", "application/json")...)
		}
	}
	logs := gw.logs.String()
	if !strings.Contains(logs, `"level":"debug"`) || !strings.Contains(logs, wantLine) {
		t.Fatalf("the run did not log at debug level (%q):\n%.2000s", wantLine, logs)
	}
	for _, secret := range secrets {
		if i := strings.Index(logs, secret); i >= 0 {
			t.Errorf("the logs hold %q: ...%s...", secret, logs[max(0, i-300):min(len(logs), i+100)])
		}
	}
}

// With chatgate behind a path matcher, no spelling of a matched path slips
// past it to the backend: Caddy's matcher folds case, decodes, and cleans.
func TestGateBehindPathMatcher(t *testing.T) {
	be := newBackend(t, echoJSON)
	gw := startGateway(t, `
	chatgate /api/*
	reverse_proxy {backend}
`, be.addr())
	for _, p := range []string{"/api/v1/x", "//api/v1/x", "/API/v1/x", "/%61pi/v1/x", "/x/../api/v1/x", "/api%2Fv1/x", "/./api/v1/x", "/Api/v1/x/"} {
		if res := doRaw(t, "GET", gw.URL+p, ""); res.Status != 401 {
			t.Errorf("%s: %d", p, res.Status)
		}
	}
	if got := be.take(); len(got) != 0 {
		t.Fatalf("reached the backend: %+v", got)
	}
	if res := doRaw(t, "GET", gw.URL+"/public", ""); res.Status != 200 {
		t.Fatalf("outside the matcher: %d", res.Status)
	}
}
