package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// hashParams is what comparing a password with a hash costs: the hash's
// algorithm and that algorithm's parameters. Two hashes with equal
// hashParams take as long to compare, whatever the password.
type hashParams struct {
	algorithm string // "bcrypt" or "argon2id"
	cost      int    // bcrypt
	memory    uint64 // argon2id m, in KiB
	time      uint64 // argon2id t
	threads   uint64 // argon2id p
	keyLen    int    // argon2id, in bytes
}

func (p hashParams) String() string {
	if p.algorithm == "bcrypt" {
		return fmt.Sprintf("bcrypt cost %d", p.cost)
	}
	return fmt.Sprintf("argon2id m=%d,t=%d,p=%d with a %d-byte key", p.memory, p.time, p.threads, p.keyLen)
}

// The hash forms accepted, as chatgate hash-password (Caddy's
// hash-password) writes them.
const (
	bcryptLen      = 60 // $2a$NN$ and 53 characters of salt and hash
	argon2idPrefix = "$argon2id$"
)

// parseHashParams recognises the algorithm of hash from its prefix ($2a$,
// $2b$ or $2y$ for bcrypt, $argon2id$ for argon2id) and reads its
// parameters. Its errors never hold any part of the hash.
func parseHashParams(hash []byte) (hashParams, error) {
	switch {
	case bytes.HasPrefix(hash, []byte("$2a$")), bytes.HasPrefix(hash, []byte("$2b$")), bytes.HasPrefix(hash, []byte("$2y$")):
		cost, err := bcrypt.Cost(hash)
		if err != nil || len(hash) != bcryptLen {
			return hashParams{}, errors.New("the bcrypt hash is malformed (make one with: chatgate hash-password --algorithm bcrypt)")
		}
		return hashParams{algorithm: "bcrypt", cost: cost}, nil
	case bytes.HasPrefix(hash, []byte(argon2idPrefix)):
		p, _, _, err := decodeArgon2id(hash)
		return p, err
	}
	return hashParams{}, errors.New("the hash is neither bcrypt nor argon2id (make one with: chatgate hash-password)")
}

// decodeArgon2id reads $argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt>$<key>, the
// PHC string Caddy's Argon2idHash writes and reads, with unpadded standard
// base64 as it writes them.
func decodeArgon2id(hash []byte) (p hashParams, salt, key []byte, err error) {
	malformed := errors.New("the argon2id hash is malformed (make one with: chatgate hash-password --algorithm argon2id)")
	parts := strings.Split(string(hash), "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return hashParams{}, nil, nil, malformed
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return hashParams{}, nil, nil, malformed
	}
	p.algorithm = "argon2id"
	for i, f := range []struct {
		name  string
		value *uint64
		bits  int
	}{{"m=", &p.memory, 32}, {"t=", &p.time, 32}, {"p=", &p.threads, 8}} {
		v, ok := strings.CutPrefix(fields[i], f.name)
		if !ok {
			return hashParams{}, nil, nil, malformed
		}
		if *f.value, err = strconv.ParseUint(v, 10, f.bits); err != nil {
			return hashParams{}, nil, nil, malformed
		}
	}
	if salt, err = base64.RawStdEncoding.Strict().DecodeString(parts[4]); err != nil {
		return hashParams{}, nil, nil, malformed
	}
	if key, err = base64.RawStdEncoding.Strict().DecodeString(parts[5]); err != nil {
		return hashParams{}, nil, nil, malformed
	}
	p.keyLen = len(key)
	// argon2.IDKey panics on t or p of 0, and an empty key would match
	// every password; RFC 9106 3.1 asks for a tag of 4 bytes or more.
	if p.time < 1 || p.threads < 1 || p.keyLen < 4 {
		return hashParams{}, nil, nil, errors.New("the argon2id hash has t or p of 0, or a key shorter than 4 bytes (make one with: chatgate hash-password --algorithm argon2id)")
	}
	return p, salt, key, nil
}

// checkHashes checks that every account's hash is bcrypt or argon2id, all
// with the same parameters, and returns those. An unknown user is compared
// with a fake hash of these parameters, so if the accounts' differed the
// time of an answer would tell whether a user exists. Errors name the
// accounts, never a hash.
func checkHashes(accounts []Account) (hashParams, error) {
	var first hashParams
	for i, a := range accounts {
		p, err := parseHashParams([]byte(a.Hash))
		if err != nil {
			return hashParams{}, fmt.Errorf("basic_account %q: %v", a.User, err)
		}
		if i == 0 {
			first = p
			continue
		}
		if p != first {
			return hashParams{}, fmt.Errorf("basic_account %q: its hash is %s, but %q's is %s; every account must use the same algorithm and cost, so that unknown users take as long as known ones",
				a.User, p, accounts[0].User, first)
		}
	}
	return first, nil
}

// CheckAccounts reports the first mistake in accounts, as New does: an empty
// user name or one with a colon, a user given twice, a hash that is neither
// bcrypt nor argon2id, or hashes of different algorithms or costs. Its
// errors name the accounts, never a hash.
func CheckAccounts(accounts []Account) error {
	seen := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		if a.User == "" || strings.Contains(a.User, ":") {
			return errors.New("basic_account: a user name must be non-empty and hold no colon")
		}
		if seen[a.User] {
			return fmt.Errorf("basic_account %q is given twice", a.User)
		}
		seen[a.User] = true
	}
	_, err := checkHashes(accounts)
	return err
}

// The fake hashes of Caddy's basic_auth (caddyauth's FakeHash, of the
// password "antitiming"), for accounts of its default parameters: no
// second of bcrypt at cost 14 each time a config loads.
const (
	fakeBcrypt14    = "$2a$14$X3ulqf/iGxnf1k6oMZ.RZeJUoqI9PX2PM4rS5lkIKJXduLGXGPrt6"
	fakeArgon2idStd = "$argon2id$v=19$m=47104,t=1,p=1$P2nzckEdTZ3bxCiBCkRTyA$xQL3Z32eo5jKl7u5tcIsnEKObYiyNZQQf5/4sAau6Pg"
)

// fakeHash is a hash of params, of a random password, for unknown users:
// Caddy's own fake hash when its parameters are these, or else a new one.
// sample is one of the accounts' hashes.
func fakeHash(params hashParams, sample []byte) ([]byte, error) {
	for _, fake := range []string{fakeBcrypt14, fakeArgon2idStd} {
		if p, err := parseHashParams([]byte(fake)); err == nil && p == params {
			return []byte(fake), nil
		}
	}
	if params.algorithm == "bcrypt" {
		return bcrypt.GenerateFromPassword([]byte(rand.Text()), params.cost)
	}
	// The sample's salt serves: a salt is no secret, and the password here
	// is random and thrown away.
	_, salt, _, err := decodeArgon2id(sample)
	if err != nil {
		return nil, err
	}
	key := argon2.IDKey([]byte(rand.Text()), salt, uint32(params.time), uint32(params.memory), uint8(params.threads), uint32(params.keyLen))
	return fmt.Appendf(nil, "$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, params.memory, params.time, params.threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// standardComparer compares as Caddy's BcryptHash and Argon2idHash do,
// choosing by the hash's prefix.
type standardComparer struct{}

func (standardComparer) Compare(hashed, plaintext []byte) (bool, error) {
	if !bytes.HasPrefix(hashed, []byte(argon2idPrefix)) {
		err := bcrypt.CompareHashAndPassword(hashed, plaintext)
		if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
			return false, nil
		}
		return err == nil, err
	}
	p, salt, key, err := decodeArgon2id(hashed)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey(plaintext, salt, uint32(p.time), uint32(p.memory), uint8(p.threads), uint32(p.keyLen))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}
