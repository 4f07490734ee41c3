package auth

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp/caddyauth"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// argon2idHash is the PHC string Caddy's Argon2idHash reads, of password
// with the given parameters, a 32-byte key and a 16-byte salt.
func argon2idHash(password, salt string, memory, time uint32, threads uint8) []byte {
	key := argon2.IDKey([]byte(password), []byte(salt), time, memory, threads, 32)
	return fmt.Appendf(nil, "$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memory, time, threads,
		base64.RawStdEncoding.EncodeToString([]byte(salt)), base64.RawStdEncoding.EncodeToString(key))
}

// Accounts verify with Caddy's comparers: the right password passes, a
// wrong one or an unknown user fails.
func TestAccountsWithCaddysComparers(t *testing.T) {
	bcryptAnn, err := bcrypt.GenerateFromPassword([]byte("ann-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	bcryptFake, err := bcrypt.GenerateFromPassword([]byte("fake-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		ann, fake []byte
		comparer  Comparer
	}{
		{"bcrypt", bcryptAnn, bcryptFake, caddyauth.BcryptHash{}},
		{"argon2id", argon2idHash("ann-pw", "salt-of-ann-0001", 64, 1, 1), argon2idHash("fake-pw", "salt-of-fake-001", 64, 1, 1), caddyauth.Argon2idHash{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAccounts(map[string][]byte{"ann": tc.ann}, tc.fake, tc.comparer)
			for _, c := range []struct {
				user, password string
				want           bool
			}{
				{"ann", "ann-pw", true},
				{"ann", "ann-pw", true}, // remembered
				{"ann", "ann-pX", false},
				{"ann", "", false},
				{"bob", "ann-pw", false},
				{"bob", "fake-pw", false}, // the fake hash's password lets no one in
			} {
				if got := a.Verify(c.user, c.password); got != c.want {
					t.Fatalf("Verify(%q, %q) = %v; want %v", c.user, c.password, got, c.want)
				}
			}
		})
	}
}

// pairedRatio times a and b side by side n times (a then b, then b then
// a, so that neither always goes first) and returns the median of the n
// ratios. A check takes tens of milliseconds, too long for benchratio's
// 100ms rounds to hold more than one or two; calls side by side see the
// same neighbours on a shared machine.
func pairedRatio(a, b func(), n int) float64 {
	timeOf := func(fn func()) float64 {
		start := time.Now()
		fn()
		return float64(time.Since(start))
	}
	ratios := make([]float64, n)
	for i := range ratios {
		if i%2 == 0 {
			ta := timeOf(a)
			ratios[i] = ta / timeOf(b)
		} else {
			tb := timeOf(b)
			ratios[i] = timeOf(a) / tb
		}
	}
	slices.Sort(ratios)
	return ratios[n/2]
}

// BenchmarkUnknownUserTiming is the time of an unknown user's check, at the
// costs Caddy's hash-password would choose for argon2id and a usual bcrypt
// cost of 10. From calls interleaved in the same run it reports the median
// time over that of a known user's check with a wrong password: the fake
// hash has the accounts' algorithm and parameters, so the two take as long.
// Goal: within 10% of 1.
//
//	go test ./auth -run '^$' -bench UnknownUserTiming -benchtime 5x -count 5
func BenchmarkUnknownUserTiming(b *testing.B) {
	bcryptAnn, err := bcrypt.GenerateFromPassword([]byte("ann-pw"), 10)
	if err != nil {
		b.Fatal(err)
	}
	bcryptFake, err := bcrypt.GenerateFromPassword([]byte("fake-pw"), 10)
	if err != nil {
		b.Fatal(err)
	}
	const m, t, p = 46 * 1024, 1, 1 // caddy hash-password's defaults
	for _, tc := range []struct {
		name      string
		ann, fake []byte
		comparer  Comparer
	}{
		{"bcrypt-10", bcryptAnn, bcryptFake, caddyauth.BcryptHash{}},
		{"argon2id-m46MiB-t1-p1", argon2idHash("ann-pw", "salt-of-ann-0001", m, t, p), caddyauth.Argon2idHash{}.FakeHash(), caddyauth.Argon2idHash{}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			a := newAccounts(map[string][]byte{"ann": tc.ann}, tc.fake, tc.comparer)
			unknown := func() {
				if a.Verify("bob", "ann-pw") {
					b.Fatal("an unknown user verified")
				}
			}
			wrong := func() {
				if a.Verify("ann", "ann-pX") {
					b.Fatal("a wrong password verified")
				}
			}
			for b.Loop() {
				unknown()
			}
			b.StopTimer()
			ratio := pairedRatio(unknown, wrong, 41)
			b.ReportMetric(ratio, "x-time-of-known-user")
			b.Logf("%s: an unknown user takes %.3fx the time of a known user with a wrong password", tc.name, ratio)
		})
	}
}
