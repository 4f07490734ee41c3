package auth

import (
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp/caddyauth"
)

// Hashes of "pw" at low costs, so that tests are fast.
const (
	bcrypt4    = "$2a$04$D5QySmU.hoJsbgoBT.P4s.QHEUncovEvcOxE9vum.0VZ7saUepZdK"
	bcrypt5    = "$2a$05$YDRl3FHPuqvylwdt0oCrT.04hPeZzBgg/m4mSmvKeCQX2Kme4VRnS"
	argonLow   = "$argon2id$v=19$m=64,t=1,p=1$Y2hhdGdhdGUtc2FsdC0wMQ$e1mf97GE/n1rTiLi1QS9DcNErNidWyqeoFmwKSfLvUM"
	argonT2    = "$argon2id$v=19$m=64,t=2,p=1$Y2hhdGdhdGUtc2FsdC0wMg$mQ5V8+KURa3tKcESvNBJS53TJHqz95XZAtDlQ6RYTww"
	argonM128  = "$argon2id$v=19$m=128,t=1,p=1$Y2hhdGdhdGUtc2FsdC0wMw$SCKHa9ony65Onf/CKutX7iZ4j91DMHAvnquCV9yiuMQ"
	argonP2    = "$argon2id$v=19$m=64,t=1,p=2$Y2hhdGdhdGUtc2FsdC0wNA$PfRBgetdznlcCeUEC4MWXdhwCLJc5eGck9/NlkeBsE8"
	argonKey16 = "$argon2id$v=19$m=64,t=1,p=1$Y2hhdGdhdGUtc2FsdC0wNQ$IhMW3h18w+14bqYGLvCnTQ"
)

func TestParseHashParams(t *testing.T) {
	for _, tc := range []struct {
		name, hash string
		want       string // hashParams.String(), or the error
	}{
		{"bcrypt 2a", bcrypt4, "bcrypt cost 4"},
		{"bcrypt 2b", "$2b$" + bcrypt4[4:], "bcrypt cost 4"},
		{"bcrypt 2y", "$2y$" + bcrypt4[4:], "bcrypt cost 4"},
		{"bcrypt 14", string(caddyauth.BcryptHash{}.FakeHash()), "bcrypt cost 14"},
		{"argon2id", argonLow, "argon2id m=64,t=1,p=1 with a 32-byte key"},
		{"argon2id Caddy's", string(caddyauth.Argon2idHash{}.FakeHash()), "argon2id m=47104,t=1,p=1 with a 32-byte key"},
		{"argon2id 16-byte key", argonKey16, "argon2id m=64,t=1,p=1 with a 16-byte key"},
		{"plain text", "plain-secret", "neither bcrypt nor argon2id"},
		{"empty", "", "neither bcrypt nor argon2id"},
		{"bcrypt 2x", "$2x$" + bcrypt4[4:], "neither bcrypt nor argon2id"},
		{"argon2i", strings.Replace(argonLow, "argon2id", "argon2i", 1), "neither bcrypt nor argon2id"},
		{"bcrypt truncated", bcrypt4[:59], "bcrypt hash is malformed"},
		{"bcrypt cost 99", "$2a$99$" + bcrypt4[7:], "bcrypt hash is malformed"},
		{"argon2id version", strings.Replace(argonLow, "v=19", "v=16", 1), "argon2id hash is malformed"},
		{"argon2id no m=", strings.Replace(argonLow, "m=64", "64", 1), "argon2id hash is malformed"},
		{"argon2id bad key", argonLow + "!", "argon2id hash is malformed"},
		{"argon2id t=0", strings.Replace(argonLow, "t=1", "t=0", 1), "t or p of 0"},
		{"argon2id p=0", strings.Replace(argonLow, "p=1", "p=0", 1), "t or p of 0"},
		{"argon2id empty key", argonLow[:strings.LastIndex(argonLow, "$")+1], "shorter than 4 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parseHashParams([]byte(tc.hash))
			got := p.String()
			if err != nil {
				got = err.Error()
				if tc.hash != "" && strings.Contains(got, tc.hash[min(len(tc.hash), 7):]) {
					t.Fatalf("the error %q holds the hash", got)
				}
			}
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got %q; want %q", got, tc.want)
			}
		})
	}
}

// The standard comparer agrees with Caddy's on every hash here.
func TestStandardComparerIsCaddys(t *testing.T) {
	for _, hash := range []string{bcrypt4, bcrypt5, argonLow, argonT2, argonM128, argonP2, argonKey16} {
		caddys := Comparer(caddyauth.BcryptHash{})
		if strings.HasPrefix(hash, argon2idPrefix) {
			caddys = caddyauth.Argon2idHash{}
		}
		for _, pw := range []string{"pw", "px", ""} {
			want, _ := caddys.Compare([]byte(hash), []byte(pw))
			got, err := standardComparer{}.Compare([]byte(hash), []byte(pw))
			if got != want || err != nil {
				t.Fatalf("%s %q: %v, %v; Caddy's says %v", hash[:12], pw, got, err, want)
			}
		}
	}
}

// Accounts whose hashes differ in algorithm or cost are refused, naming both
// accounts, because an unknown user's time would tell which users exist.
func TestAccountsMustShareAlgorithmAndCost(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hashes  []string
		wantErr string
	}{
		{"bcrypt alike", []string{bcrypt4, bcrypt4, "$2y$" + bcrypt4[4:]}, ""},
		{"argon2id alike", []string{argonLow, argonLow}, ""},
		{"bcrypt costs", []string{bcrypt4, bcrypt4, bcrypt5}, `basic_account "cy": its hash is bcrypt cost 5, but "ann"'s is bcrypt cost 4; every account must use the same algorithm and cost, so that unknown users take as long as known ones`},
		{"algorithms", []string{argonLow, bcrypt4}, `basic_account "bob": its hash is bcrypt cost 4, but "ann"'s is argon2id m=64,t=1,p=1 with a 32-byte key`},
		{"argon2id t", []string{argonLow, argonT2}, `its hash is argon2id m=64,t=2,p=1`},
		{"argon2id m", []string{argonLow, argonM128}, `its hash is argon2id m=128,t=1,p=1`},
		{"argon2id p", []string{argonLow, argonP2}, `its hash is argon2id m=64,t=1,p=2`},
		{"argon2id key length", []string{argonLow, argonKey16}, `its hash is argon2id m=64,t=1,p=1 with a 16-byte key`},
		{"not a hash", []string{bcrypt4, "plain-secret"}, `basic_account "bob": the hash is neither bcrypt nor argon2id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var accounts []Account
			for i, hash := range tc.hashes {
				accounts = append(accounts, Account{[]string{"ann", "bob", "cy"}[i], hash})
			}
			_, err := New(Config{Accounts: accounts})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New error = %v; want %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "$") {
				t.Fatalf("the error %q holds a hash", err)
			}
		})
	}
}

// An unknown user is compared with a fake hash of the accounts' algorithm
// and parameters, so it takes as long as a known user with a wrong
// password: Caddy's own fake hash when it has them, or else a new one.
func TestFakeHashHasTheAccountsParams(t *testing.T) {
	bcrypt14 := caddyauth.BcryptHash{}.FakeHash() // cost 14, without a second's work to make one
	argonCaddy := caddyauth.Argon2idHash{}.FakeHash()
	for _, tc := range []struct {
		name, hash string
		caddys     []byte // Caddy's fake hash, if it has the parameters
	}{
		{"bcrypt 4", bcrypt4, nil},
		{"bcrypt 14", string(bcrypt14), bcrypt14},
		{"argon2id low", argonLow, nil},
		{"argon2id 16-byte key", argonKey16, nil},
		{"argon2id Caddy's", string(argonCaddy), argonCaddy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			params, err := parseHashParams([]byte(tc.hash))
			if err != nil {
				t.Fatal(err)
			}
			fake, err := fakeHash(params, []byte(tc.hash))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := parseHashParams(fake); err != nil || got != params {
				t.Fatalf("fake hash %s (%v); want %s", got, err, params)
			}
			if tc.caddys != nil && string(fake) != string(tc.caddys) {
				t.Fatalf("fake hash %s; want Caddy's %s", fake, tc.caddys)
			}
			if tc.caddys == nil && string(fake) == tc.hash {
				t.Fatal("the fake hash is the account's")
			}
			// Caddy's fake hashes are of "antitiming" (and cost a second or
			// more to compare under -race); a new one is checked here.
			if tc.caddys == nil {
				if ok, _ := (standardComparer{}).Compare(fake, []byte("pw")); ok {
					t.Fatal("the fake hash matches the account's password")
				}
			}
		})
	}
}
