package caddymodule

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp/caddyauth"
	"golang.org/x/crypto/bcrypt"

	"github.com/chatgate/chatgate/auth"
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

// comparer is Caddy's comparer for the algorithm.
func (p hashParams) comparer() auth.Comparer {
	if p.algorithm == "bcrypt" {
		return caddyauth.BcryptHash{}
	}
	return caddyauth.Argon2idHash{}
}

// The hash forms accepted, as caddy hash-password writes them.
const (
	bcryptLen = 60 // $2a$NN$ and 53 characters of salt and hash
	argon2id  = "$argon2id$"
)

// parseHashParams recognises the algorithm of hash from its prefix ($2a$,
// $2b$ or $2y$ for bcrypt, $argon2id$ for argon2id) and reads its
// parameters. Its errors never hold any part of the hash.
func parseHashParams(hash []byte) (hashParams, error) {
	switch {
	case bytes.HasPrefix(hash, []byte("$2a$")), bytes.HasPrefix(hash, []byte("$2b$")), bytes.HasPrefix(hash, []byte("$2y$")):
		cost, err := bcrypt.Cost(hash)
		if err != nil || len(hash) != bcryptLen {
			return hashParams{}, errors.New("the bcrypt hash is malformed (make one with: caddy hash-password --algorithm bcrypt)")
		}
		return hashParams{algorithm: "bcrypt", cost: cost}, nil
	case bytes.HasPrefix(hash, []byte(argon2id)):
		return parseArgon2idParams(hash)
	}
	return hashParams{}, errors.New("the hash is neither bcrypt nor argon2id (make one with: caddy hash-password)")
}

// parseArgon2idParams reads $argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt>$<key>,
// the PHC string Caddy's Argon2idHash writes and reads.
func parseArgon2idParams(hash []byte) (hashParams, error) {
	malformed := errors.New("the argon2id hash is malformed (make one with: caddy hash-password --algorithm argon2id)")
	// Caddy's own parser checks the form, the version and the base64; it
	// keeps the parameters to itself, so they are read again here.
	_, key, err := caddyauth.DecodeHash(hash)
	if err != nil {
		return hashParams{}, malformed
	}
	p := hashParams{algorithm: "argon2id", keyLen: len(key)}
	fields := strings.Split(strings.Split(string(hash), "$")[3], ",")
	for i, field := range []*uint64{&p.memory, &p.time, &p.threads} {
		_, v, _ := strings.Cut(fields[i], "=") // DecodeHash checked "m=", "t=", "p="
		if *field, err = strconv.ParseUint(v, 10, 32); err != nil {
			return hashParams{}, malformed
		}
	}
	// argon2.IDKey panics on t or p of 0, and an empty key would match
	// every password; RFC 9106 3.1 asks for a tag of 4 bytes or more.
	if p.time < 1 || p.threads < 1 || p.keyLen < 4 {
		return hashParams{}, errors.New("the argon2id hash has t or p of 0, or a key shorter than 4 bytes (make one with: caddy hash-password --algorithm argon2id)")
	}
	return p, nil
}

// accountsHashParams checks that every account's hash is bcrypt or argon2id,
// all with the same parameters, and returns those. An unknown user is
// compared with a fake hash of these parameters, so if the accounts' differed
// the time of an answer would tell whether a user exists. Errors name the
// accounts, never a hash.
func accountsHashParams(accounts []BasicAccount) (hashParams, error) {
	var first hashParams
	for i, a := range accounts {
		p, err := parseHashParams([]byte(a.Hash))
		if err != nil {
			return hashParams{}, fmt.Errorf("basic_account %q: %v", a.Username, err)
		}
		if i == 0 {
			first = p
			continue
		}
		if p != first {
			return hashParams{}, fmt.Errorf("basic_account %q: its hash is %s, but %q's is %s; every account must use the same algorithm and cost, so that unknown users take as long as known ones",
				a.Username, p, accounts[0].Username, first)
		}
	}
	return first, nil
}

// fakeHash is a hash of params, of a random password, for unknown users:
// Caddy's own fake hash when its parameters are these, or else a new one.
// sample is one of the accounts' hashes.
func fakeHash(params hashParams, sample []byte) ([]byte, error) {
	if params.algorithm == "bcrypt" {
		fake := caddyauth.BcryptHash{}.FakeHash()
		if p, err := parseHashParams(fake); err == nil && p == params {
			return fake, nil
		}
		return bcrypt.GenerateFromPassword([]byte(rand.Text()), params.cost)
	}
	fake := caddyauth.Argon2idHash{}.FakeHash()
	if p, err := parseHashParams(fake); err == nil && p == params {
		return fake, nil
	}
	// Caddy's Argon2idHash hashes with the parameters it decoded, and with
	// the salt it decoded too: a salt is no secret, and the password here is
	// random and thrown away.
	hasher, _, err := caddyauth.DecodeHash(sample)
	if err != nil {
		return nil, err
	}
	return hasher.Hash([]byte(rand.Text()))
}
