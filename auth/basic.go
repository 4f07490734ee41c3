// Package auth reads the credentials of the reference pages' Authorization
// header. It imports nothing from Caddy.
package auth

import (
	"encoding/base64"
	"strings"
)

// BasicUser returns the user name of a well-formed Basic credential
// (RFC 7617): the scheme, matched case-insensitively, then base64 of
// "user:password" with a non-empty user. ok is false for anything else.
func BasicUser(authorization string) (user string, ok bool) {
	scheme, credential, found := strings.Cut(authorization, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", false
	}
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimLeft(credential, " "))
	if err != nil {
		return "", false
	}
	user, _, found = strings.Cut(string(decoded), ":")
	if !found || user == "" {
		return "", false
	}
	return user, true
}
