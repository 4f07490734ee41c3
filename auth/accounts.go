package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Comparer checks a password against a hash, as Caddy's caddyauth.Comparer
// (which its BcryptHash and Argon2idHash implement) does.
type Comparer interface {
	Compare(hashed, plaintext []byte) (bool, error)
}

// accounts verifies Basic passwords against hashes. A user it does not know
// costs the same comparison against a fake hash, so the time taken does not
// tell which user names exist. Successful checks are remembered for a short
// time after their last use, per instance and bounded, so that a client
// sending the same credential on every request does not pay a hash
// comparison each time, nor once a minute; and
// concurrent checks of the same credential share one comparison, so that a
// burst of requests (a cold start, or the minute a remembered success runs
// out) costs one hash comparison, not one per request.
type accounts struct {
	hashes   map[string][]byte
	fake     []byte
	comparer Comparer

	mu      sync.Mutex
	recent  map[[32]byte]time.Time // digest of user, password and hash -> expiry
	pending map[[32]byte]*comparison
	ttl     time.Duration
	maxKept int
}

// comparison is a hash comparison under way; done closes when ok is known.
type comparison struct {
	done chan struct{}
	ok   bool
}

// Remembering successful checks: how long and how many.
const (
	rememberFor = time.Minute
	rememberMax = 1024
)

// now is the clock; tests replace it.
var now = time.Now

// newAccounts verifies passwords of hashes (user name to hash) with
// comparer. fake is compared for unknown users: a hash of the same
// algorithm and parameters as every one of hashes, or else the time taken
// tells which users exist.
func newAccounts(hashes map[string][]byte, fake []byte, comparer Comparer) *accounts {
	return &accounts{hashes: hashes, fake: fake, comparer: comparer, recent: make(map[[32]byte]time.Time),
		pending: make(map[[32]byte]*comparison), ttl: rememberFor, maxKept: rememberMax}
}

// Verify reports whether password is user's.
func (a *accounts) Verify(user, password string) bool {
	hash, known := a.hashes[user]
	if !known {
		hash = a.fake
	}
	var buf [256]byte // the digest's input, on the stack for most credentials
	key := sha256.Sum256(append(append(append(append(append(buf[:0], user...), 0), password...), 0), hash...))
	a.mu.Lock()
	if a.rememberedLocked(key) {
		a.mu.Unlock()
		return true
	}
	if c, ok := a.pending[key]; ok { // the same check is under way: share it
		a.mu.Unlock()
		<-c.done
		return c.ok
	}
	c := &comparison{done: make(chan struct{})}
	a.pending[key] = c
	a.mu.Unlock()

	ok, err := a.comparer.Compare(hash, []byte(password))
	c.ok = known && ok && err == nil
	a.mu.Lock()
	delete(a.pending, key)
	if c.ok {
		a.rememberLocked(key)
	}
	a.mu.Unlock()
	close(c.done)
	return c.ok
}

// rememberedLocked reports a success remembered and not yet expired, and
// extends it: a credential in use is not compared again, so its client
// never waits for the comparison (about a second at bcrypt's cost 14) in
// the middle of its work; one idle for ttl is.
func (a *accounts) rememberedLocked(key [32]byte) bool {
	expiry, ok := a.recent[key]
	if !ok {
		return false
	}
	t := now()
	if t.After(expiry) {
		delete(a.recent, key)
		return false
	}
	a.recent[key] = t.Add(a.ttl)
	return true
}

func (a *accounts) rememberLocked(key [32]byte) {
	if len(a.recent) >= a.maxKept {
		t := now()
		for k, expiry := range a.recent { // drop the expired, or else any one
			if t.After(expiry) || len(a.recent) >= a.maxKept {
				delete(a.recent, k)
			}
		}
	}
	a.recent[key] = now().Add(a.ttl)
}
