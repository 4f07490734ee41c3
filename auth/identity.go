package auth

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"
)

// Identities remembers who a ticket, a token or an XSRF session belongs to,
// as the backend answered, for a short time. It is per instance and bounded,
// and it keys each answer by a SHA-256 digest of the credential: the
// credential itself is never kept.
type Identities struct {
	ttl     time.Duration
	maxKept int

	mu      sync.Mutex
	entries map[[32]byte]identity
}

type identity struct {
	user   string
	expiry time.Time
}

// DefaultIdentitiesKept bounds the answers an instance remembers.
const DefaultIdentitiesKept = 4096

// NewIdentities remembers each answer for ttl, at most maxKept at once.
func NewIdentities(ttl time.Duration, maxKept int) *Identities {
	return &Identities{ttl: ttl, maxKept: maxKept, entries: make(map[[32]byte]identity)}
}

// IdentityKey is the digest a request's credential is remembered by: its
// scheme, its Authorization header and, for an XSRF session (which the
// backend knows by its cookies), its cookies.
func IdentityKey(scheme Scheme, h http.Header) [32]byte {
	d := sha256.New()
	d.Write([]byte(scheme.Name()))
	for _, v := range h[keyAuthorization] {
		d.Write([]byte{0})
		d.Write([]byte(v))
	}
	if scheme == XSRF {
		for _, v := range h["Cookie"] {
			d.Write([]byte{1})
			d.Write([]byte(v))
		}
	}
	var key [32]byte
	d.Sum(key[:0])
	return key
}

// Lookup returns the user remembered for key, if the answer is still fresh.
func (c *Identities) Lookup(key [32]byte) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return "", false
	}
	if now().After(e.expiry) {
		delete(c.entries, key)
		return "", false
	}
	return e.user, true
}

// Remember keeps user for key for the ttl. When full, the expired answers go,
// or else any one.
func (c *Identities) Remember(key [32]byte, user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.maxKept {
		t := now()
		for k, e := range c.entries {
			if t.After(e.expiry) || len(c.entries) >= c.maxKept {
				delete(c.entries, k)
			}
		}
	}
	c.entries[key] = identity{user: user, expiry: now().Add(c.ttl)}
}

// UserOfAnswer reads the caller's name from the backend's answer to an
// identity lookup: a JSON object's UserName, else its Name (keys in any
// case), or a JSON string. It reports false for anything else, or an empty
// or over-long name, or one holding control characters.
func UserOfAnswer(body []byte) (string, bool) {
	if !gjson.ValidBytes(body) {
		return "", false
	}
	doc := gjson.ParseBytes(body)
	var user string
	switch {
	case doc.Type == gjson.String:
		user = doc.Str
	case doc.IsObject():
		var name string
		doc.ForEach(func(k, v gjson.Result) bool {
			if v.Type != gjson.String {
				return true
			}
			switch {
			case strings.EqualFold(k.Str, "UserName"):
				user = v.Str
				return false
			case strings.EqualFold(k.Str, "Name") && name == "":
				name = v.Str
			}
			return true
		})
		if user == "" {
			user = name
		}
	}
	if user == "" || len(user) > maxUserName || strings.ContainsFunc(user, isControl) {
		return "", false
	}
	return user, true
}

// maxUserName bounds a name taken from the backend, as ToAssociate is.
const maxUserName = 255

func isControl(r rune) bool { return r < ' ' || (r >= 0x7f && r <= 0x9f) }
