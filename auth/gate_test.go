package auth

import (
	"net/http"
	"strings"
	"testing"
)

func TestGate(t *testing.T) {
	all := mustNew(t, Config{XSRFCookie: "XSRF-TOKEN"})
	bearerOnly := mustNew(t, Config{Schemes: []Scheme{Bearer}})
	withTokens := mustNew(t, Config{XSRFCookie: "XSRF-TOKEN", AppTokens: []string{"app-1", "app-2"}})
	for _, tc := range []struct {
		name    string
		gate    *Gate
		headers []string // name, value pairs
		want    Caller
		wantErr string // part of the refusal; "" for passing
	}{
		{"Basic", all, []string{"Authorization", "Basic " + b64("ann:pw")}, Caller{Scheme: Basic, User: "ann"}, ""},
		{"SoTicket", all, []string{"Authorization", "SoTicket 7T:abc=="}, Caller{Scheme: SoTicket}, ""},
		{"Bearer", all, []string{"Authorization", "Bearer t"}, Caller{Scheme: Bearer}, ""},
		{"scheme not allowed", bearerOnly, []string{"Authorization", "Basic " + b64("ann:pw")}, Caller{}, "not accepted here"},
		{"two Authorization headers", all, []string{"Authorization", "Bearer a", "Authorization", "Bearer a"}, Caller{}, "more than once"},
		{"malformed", all, []string{"Authorization", "SoTicket abc"}, Caller{}, "SoTicket credential is malformed"},
		{"XSRF", all, []string{"Cookie", "a=1; XSRF-TOKEN=tok123", "X-XSRF-TOKEN", "tok123"}, Caller{Scheme: XSRF}, ""},
		{"XSRF cookie in its own header", all, []string{"Cookie", "a=1", "Cookie", "XSRF-TOKEN=tok", "X-XSRF-TOKEN", "tok"}, Caller{Scheme: XSRF}, ""},
		{"XSRF mismatch", all, []string{"Cookie", "XSRF-TOKEN=tok123", "X-XSRF-TOKEN", "tok124"}, Caller{}, "does not match"},
		{"XSRF header missing", all, []string{"Cookie", "XSRF-TOKEN=tok123"}, Caller{}, "does not match"},
		{"XSRF cookie missing", all, []string{"X-XSRF-TOKEN", "tok123"}, Caller{}, "does not match"},
		{"XSRF both empty", all, []string{"Cookie", "XSRF-TOKEN=", "X-XSRF-TOKEN", ""}, Caller{}, "does not match"},
		{"XSRF cookie twice", all, []string{"Cookie", "XSRF-TOKEN=a; XSRF-TOKEN=b", "X-XSRF-TOKEN", "a"}, Caller{}, "does not match"},
		{"XSRF header twice", all, []string{"Cookie", "XSRF-TOKEN=a", "X-XSRF-TOKEN", "a", "X-XSRF-TOKEN", "a"}, Caller{}, "does not match"},
		{"XSRF other cookie name", all, []string{"Cookie", "XSRF-TOKEN2=a", "X-XSRF-TOKEN", "a"}, Caller{}, "does not match"},
		{"nothing at all", all, nil, Caller{}, "no credential"},
		{"XSRF off", bearerOnly, []string{"Cookie", "XSRF-TOKEN=a", "X-XSRF-TOKEN", "a"}, Caller{}, "no credential"},
		{"app token", withTokens, []string{"Authorization", "Bearer t", "SO-AppToken", "app-2"}, Caller{Scheme: Bearer}, ""},
		{"app token missing", withTokens, []string{"Authorization", "Bearer t"}, Caller{}, "SO-AppToken header is missing"},
		{"app token off by one", withTokens, []string{"Authorization", "Bearer t", "SO-AppToken", "app-3"}, Caller{}, "not accepted"},
		{"app token prefix", withTokens, []string{"Authorization", "Bearer t", "SO-AppToken", "app-"}, Caller{}, "not accepted"},
		{"app token twice", withTokens, []string{"Authorization", "Bearer t", "SO-AppToken", "app-1", "SO-AppToken", "app-1"}, Caller{}, "missing"},
		{"app token with XSRF", withTokens, []string{"Cookie", "XSRF-TOKEN=x", "X-XSRF-TOKEN", "x", "SO-AppToken", "app-1"}, Caller{Scheme: XSRF}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i+1 < len(tc.headers); i += 2 {
				h.Add(tc.headers[i], tc.headers[i+1])
			}
			got, refusal := tc.gate.Check(h)
			switch {
			case tc.wantErr == "" && refusal != nil:
				t.Fatalf("refused: %v", refusal)
			case tc.wantErr != "" && (refusal == nil || !strings.Contains(refusal.Message, tc.wantErr)):
				t.Fatalf("Check = %+v, %v; want a refusal containing %q", got, refusal, tc.wantErr)
			case got != tc.want:
				t.Fatalf("Check = %+v; want %+v", got, tc.want)
			}
		})
	}
}

func TestChallenges(t *testing.T) {
	if got := mustNew(t, Config{Schemes: []Scheme{Bearer, Basic}}).Challenges(); len(got) != 2 ||
		!strings.HasPrefix(got[0], "Basic ") || !strings.HasPrefix(got[1], "Bearer ") {
		t.Fatalf("Challenges = %q", got)
	}
	if got := mustNew(t, Config{}).Challenges(); len(got) != 3 || !strings.HasPrefix(got[1], "SoTicket ") {
		t.Fatalf("Challenges = %q", got)
	}
}

func TestHeaderKeysAreCanonical(t *testing.T) {
	for key, name := range map[string]string{keyXSRF: "X-XSRF-TOKEN", keyAppToken: "SO-AppToken", keyAuthorization: "Authorization"} {
		if want := http.CanonicalHeaderKey(name); key != want {
			t.Errorf("key %q for %s; the canonical form is %q", key, name, want)
		}
	}
}

func mustNew(t testing.TB, cfg Config) *Gate {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// The gate owns X-XSRF-TOKEN (with the fallback on), SO-AppToken (with app
// tokens) and the identity header: Strip removes them, and nothing else.
func TestStrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		gone []string
		kept []string
	}{
		{"defaults", Config{}, []string{"X-Chatgate-User"}, []string{"X-XSRF-TOKEN", "SO-AppToken", "Authorization"}},
		{"xsrf and tokens", Config{XSRFCookie: "XSRF-TOKEN", AppTokens: []string{"a"}, IdentityHeader: "x-user"},
			[]string{"X-XSRF-TOKEN", "SO-AppToken", "X-User"}, []string{"X-Chatgate-User", "Authorization"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, name := range append(tc.gone, tc.kept...) {
				h.Set(name, "v")
			}
			mustNew(t, tc.cfg).Strip(h)
			for _, name := range tc.gone {
				if h.Get(name) != "" {
					t.Errorf("%s stayed", name)
				}
			}
			for _, name := range tc.kept {
				if h.Get(name) == "" {
					t.Errorf("%s went", name)
				}
			}
		})
	}
}

func TestNewRefusesMistakes(t *testing.T) {
	const bcrypt4 = "$2a$04$D5QySmU.hoJsbgoBT.P4s.QHEUncovEvcOxE9vum.0VZ7saUepZdK"
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"scheme", Config{Schemes: []Scheme{XSRF}}, "auth_schemes"},
		{"cookie", Config{XSRFCookie: "a b"}, `xsrf_cookie "a b" is not a valid cookie name`},
		{"token", Config{AppTokens: []string{"ok", "a b"}}, "app_tokens: token 2 is empty"},
		{"identity header", Config{IdentityHeader: "X:User"}, "identity_header"},
		{"user with colon", Config{Accounts: []Account{{"a:b", bcrypt4}}}, "hold no colon"},
		{"user twice", Config{Accounts: []Account{{"ann", bcrypt4}, {"ann", bcrypt4}}}, `basic_account "ann" is given twice`},
		{"hash", Config{Accounts: []Account{{"ann", "secret"}}}, "neither bcrypt nor argon2id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New error = %v; want %q", err, tc.wantErr)
			}
		})
	}
}
