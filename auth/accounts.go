package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Comparer checks a password against a hash, as Caddy's caddyauth.Comparer.
type Comparer interface {
	Compare(hashed, plaintext []byte) (bool, error)
}

// Accounts verifies Basic passwords against hashes. A user it does not know
// costs the same comparison against a fake hash, so the time taken does not
// tell which user names exist. Successful checks are remembered for a short
// time, per instance and bounded, so that a client sending the same
// credential on every request does not pay a hash comparison each time.
type Accounts struct {
	hashes   map[string][]byte
	fake     []byte
	comparer Comparer

	mu      sync.Mutex
	recent  map[[32]byte]time.Time // digest of user, password and hash -> expiry
	ttl     time.Duration
	maxKept int
}

// Remembering successful checks: how long and how many.
const (
	DefaultRememberFor = time.Minute
	DefaultRememberMax = 1024
)

// now is the clock; tests replace it.
var now = time.Now

// NewAccounts verifies passwords of hashes (user name to hash) with
// comparer. fake is a hash of the same algorithm and cost as the real ones,
// compared for unknown users.
func NewAccounts(hashes map[string][]byte, fake []byte, comparer Comparer) *Accounts {
	return &Accounts{hashes: hashes, fake: fake, comparer: comparer,
		recent: make(map[[32]byte]time.Time), ttl: DefaultRememberFor, maxKept: DefaultRememberMax}
}

// FakeHash is the hash unknown users are compared with.
func (a *Accounts) FakeHash() []byte { return a.fake }

// Verify reports whether password is user's.
func (a *Accounts) Verify(user, password string) bool {
	hash, known := a.hashes[user]
	if !known {
		_, _ = a.comparer.Compare(a.fake, []byte(password))
		return false
	}
	key := sha256.Sum256([]byte(user + "\x00" + password + "\x00" + string(hash)))
	if a.remembered(key) {
		return true
	}
	ok, err := a.comparer.Compare(hash, []byte(password))
	if err != nil || !ok {
		return false
	}
	a.remember(key)
	return true
}

func (a *Accounts) remembered(key [32]byte) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	expiry, ok := a.recent[key]
	if ok && now().After(expiry) {
		delete(a.recent, key)
		return false
	}
	return ok
}

func (a *Accounts) remember(key [32]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
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
