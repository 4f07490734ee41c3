// Package chat knows the Agents/Chat transfer endpoints of the reference
// pages: which path names which action, how a request body in any of the
// accepted content types becomes one validated request, the canonical JSON
// sent upstream, the route templates of legacy backends, and the transfer
// rules that decide whether a request may change anything.
//
// It imports nothing from Caddy: bytes, strings and net/url in, values out.
package chat

import (
	"path"
	"strings"
)

// Action is one of the three chat transfer endpoints.
type Action int

// The chat transfer endpoints, as named in the reference pages.
const (
	Transfer Action = iota + 1 // POST Agents/Chat/TransferChatSession
	Accept                     // POST Agents/Chat/AcceptChatSessionTransfer
	Reject                     // POST Agents/Chat/RejectChatSessionTransfer
)

// Actions lists every action, in a fixed order.
var Actions = []Action{Transfer, Accept, Reject}

// Name is the action's configuration name: transfer, accept or reject.
func (a Action) Name() string {
	switch a {
	case Transfer:
		return "transfer"
	case Accept:
		return "accept"
	case Reject:
		return "reject"
	}
	return ""
}

// Endpoint is the action's path below the API prefix, in its canonical spelling.
func (a Action) Endpoint() string {
	switch a {
	case Transfer:
		return "/Agents/Chat/TransferChatSession"
	case Accept:
		return "/Agents/Chat/AcceptChatSessionTransfer"
	case Reject:
		return "/Agents/Chat/RejectChatSessionTransfer"
	}
	return ""
}

// ParseAction returns the action with the given configuration name.
func ParseAction(name string) (Action, bool) {
	for _, a := range Actions {
		if strings.EqualFold(name, a.Name()) {
			return a, true
		}
	}
	return 0, false
}

// MatchPath reports which chat endpoint the decoded request path names below
// prefix. The comparison ignores ASCII case, allows one trailing slash, and
// runs on the cleaned path (repeated slashes collapsed, dot segments
// resolved), so "/API/v1//agents/chat/./TransferChatSession/" is the transfer
// endpoint too: a spelling the backend would route the same way cannot be
// used to step around the endpoint's rules.
func MatchPath(prefix, requestPath string) (Action, bool) {
	// Cleaning only shortens a path, and TransferChatSession is the shortest
	// endpoint: most requests end here without cleaning anything.
	if len(requestPath) < len(prefix)+len(Transfer.Endpoint()) {
		return 0, false
	}
	cleaned := path.Clean(requestPath) // no allocation when already clean
	if len(cleaned) <= len(prefix) || !asciiEqualFold(cleaned[:len(prefix)], prefix) {
		return 0, false
	}
	rest := cleaned[len(prefix):]
	for _, a := range Actions {
		if asciiEqualFold(rest, a.Endpoint()) {
			return a, true
		}
	}
	return 0, false
}

// asciiEqualFold compares ASCII case-insensitively. Unicode folding would make
// "ChatSeſſionId" (long s) the same name, which no JSON binder would do.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if ca == cb {
			continue
		}
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}
