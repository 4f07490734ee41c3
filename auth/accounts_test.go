package auth

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// countingComparer matches password "pw-"+hash and counts comparisons.
type countingComparer struct{ calls []string }

func (c *countingComparer) Compare(hashed, plaintext []byte) (bool, error) {
	c.calls = append(c.calls, string(hashed))
	return bytes.Equal(plaintext, append([]byte("pw-"), hashed...)), nil
}

func TestAccounts(t *testing.T) {
	cmp := &countingComparer{}
	a := newAccounts(map[string][]byte{"ann": []byte("h1")}, []byte("fake"), cmp)
	for _, tc := range []struct {
		user, password string
		want           bool
		compared       string
	}{
		{"ann", "pw-h1", true, "h1"},
		{"ann", "wrong", false, "h1"},
		{"ANN", "pw-h1", false, "fake"}, // user names are exact
		{"bob", "pw-h1", false, "fake"}, // unknown: the same work, against the fake hash
	} {
		cmp.calls = nil
		if got := a.Verify(tc.user, tc.password); got != tc.want || len(cmp.calls) != 1 || cmp.calls[0] != tc.compared {
			t.Fatalf("Verify(%s, %s) = %v comparing %v; want %v comparing %s", tc.user, tc.password, got, cmp.calls, tc.want, tc.compared)
		}
	}
}

func TestAccountsRememberSuccessBriefly(t *testing.T) {
	clock := time.Unix(1000, 0)
	now = func() time.Time { return clock }
	defer func() { now = time.Now }()
	cmp := &countingComparer{}
	a := newAccounts(map[string][]byte{"ann": []byte("h1")}, []byte("fake"), cmp)
	a.Verify("ann", "pw-h1")
	a.Verify("ann", "pw-h1")
	if len(cmp.calls) != 1 {
		t.Fatalf("%d comparisons; want the second check remembered", len(cmp.calls))
	}
	a.Verify("ann", "wrong")
	a.Verify("ann", "wrong")
	if len(cmp.calls) != 3 {
		t.Fatalf("%d comparisons; failures must never be remembered", len(cmp.calls))
	}
	// In use, the memory lasts: each use extends it.
	for range 3 {
		clock = clock.Add(rememberFor - time.Second)
		a.Verify("ann", "pw-h1")
	}
	if len(cmp.calls) != 3 {
		t.Fatalf("%d comparisons; want none while the credential is in use", len(cmp.calls))
	}
	clock = clock.Add(rememberFor + time.Second)
	a.Verify("ann", "pw-h1")
	if len(cmp.calls) != 4 {
		t.Fatalf("%d comparisons; want a fresh one after the memory expired", len(cmp.calls))
	}
}

func TestAccountsMemoryIsBounded(t *testing.T) {
	hashes := map[string][]byte{}
	for i := range 3000 {
		hashes[string(rune('a'+i%26))+string(rune(i))] = []byte{byte(i)}
	}
	a := newAccounts(hashes, []byte("fake"), &countingComparer{})
	for user, hash := range hashes {
		a.Verify(user, "pw-"+string(hash))
	}
	if len(a.recent) > rememberMax {
		t.Fatalf("remembers %d successes; the bound is %d", len(a.recent), rememberMax)
	}
}

func TestGateVerifiesBasic(t *testing.T) {
	g := mustNew(t, Config{})
	g.accounts = newAccounts(map[string][]byte{"ann": []byte("h1")}, []byte("fake"), &countingComparer{})
	h := http.Header{"Authorization": {"Basic " + b64("ann:pw-h1")}}
	if c, r := g.Check(h); r != nil || c != (Caller{Scheme: Basic, User: "ann", Verified: true}) {
		t.Fatalf("Check = %+v, %v", c, r)
	}
	for _, cred := range []string{"ann:wrong", "bob:pw-h1"} {
		if _, r := g.Check(http.Header{"Authorization": {"Basic " + b64(cred)}}); r == nil || r.Message != "the user name or password is wrong" {
			t.Fatalf("%s: refusal %v", cred, r)
		}
	}
	// Other schemes are the backend's to check.
	if c, r := g.Check(http.Header{"Authorization": {"Bearer t"}}); r != nil || c.Verified {
		t.Fatalf("Bearer: %+v, %v", c, r)
	}
}

// blockingComparer matches like countingComparer, but each comparison waits
// for release; started gets one value per comparison begun.
type blockingComparer struct {
	started chan string
	release chan struct{}
}

func (c *blockingComparer) Compare(hashed, plaintext []byte) (bool, error) {
	c.started <- string(hashed)
	<-c.release
	return bytes.Equal(plaintext, append([]byte("pw-"), hashed...)), nil
}

// A burst of requests with the same credential (a cold start, or the
// moment a remembered success runs out) costs one hash comparison.
func TestAccountsShareConcurrentChecks(t *testing.T) {
	cmp := &blockingComparer{started: make(chan string, 100), release: make(chan struct{})}
	a := newAccounts(map[string][]byte{"ann": []byte("h1")}, []byte("fake"), cmp)
	results := make(chan bool, 20)
	go func() { results <- a.Verify("ann", "pw-h1") }()
	<-cmp.started // the first check is comparing
	for range 19 {
		go func() { results <- a.Verify("ann", "pw-h1") }()
	}
	time.Sleep(50 * time.Millisecond) // the others reach the check under way
	close(cmp.release)
	for range 20 {
		if !<-results {
			t.Fatal("a shared check failed")
		}
	}
	if n := len(cmp.started); n != 0 {
		t.Fatalf("%d more comparisons; want the one shared", n)
	}
	for range 5 { // a wrong password shares nothing it should not
		if a.Verify("ann", "wrong") || a.Verify("zed", "pw-fake") {
			t.Fatal("a wrong password or unknown user verified")
		}
	}
}
