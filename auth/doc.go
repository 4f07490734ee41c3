// Package auth is the gate of the reference pages' API. It reads the
// Authorization header ("Supports 'Basic', 'SoTicket' and 'Bearer'
// schemes"), the X-XSRF-TOKEN fallback and the SO-AppToken header, verifies
// Basic passwords against bcrypt or argon2id hashes, and says who the caller
// is. It imports nothing from Caddy: headers in, a Caller or a Refusal out.
//
// A Gate is made once from a Config by New and used by every request:
//
//	gate, err := auth.New(auth.Config{
//		Schemes:    []auth.Scheme{auth.Basic, auth.Bearer},
//		XSRFCookie: auth.DefaultXSRFCookie,
//		AppTokens:  []string{"partner-app-token"},
//		Accounts:   []auth.Account{{User: "ann", Hash: "$2a$14$..."}},
//	})
//	...
//	caller, refusal := gate.Check(r.Header) // refusal: answer 401 with gate.Challenges()
//	gate.Strip(r.Header)                    // the gate's headers go, whatever the answer
//	gate.SetIdentity(r.Header, caller)      // a verified caller is named upstream
//
// # Policy
//
// The scheme is matched case-insensitively; a scheme not allowed, a
// malformed credential or a second Authorization header is refused. Without
// Authorization, the X-XSRF-TOKEN header must equal its cookie. With app
// tokens, SO-AppToken must be one of them. Every secret is compared in
// constant time (digests, so lengths say nothing either).
//
// With accounts, a Basic password is compared with the user's hash; an
// unknown user costs the same comparison against a fake hash of the same
// algorithm and cost, which New makes (or takes from Caddy's basic_auth when
// the parameters are its defaults). New therefore refuses accounts whose
// hashes differ in algorithm or cost. A success is remembered for a minute,
// keyed by a digest, and concurrent checks of one credential share one
// comparison.
//
// No error or refusal holds a credential, a token or a hash.
//
// # Identities
//
// Identities remembers, for a short time and bounded, who the backend said a
// ticket, a token or an XSRF session belongs to, keyed by IdentityKey (a
// SHA-256 digest, never the credential); UserOfAnswer reads that answer.
package auth
