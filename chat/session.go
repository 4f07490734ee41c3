package chat

import (
	"errors"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/agent"
)

// Session properties the rules read, as spelled in the reference pages'
// ChatSessionEntity and its Associate values.
const (
	propUser       = "User"
	propTransferTo = "TransferTo"
	propName       = "Name"
	propUserName   = "UserName"
	propStatus     = "Status"
)

// ErrSessionNotObject is returned for a session that is not a JSON object.
var ErrSessionNotObject = errors.New("the session is not a JSON object")

// Rule is what the reference pages say must hold before a method may
// change a session; where it does not hold, "nothing happens".
type Rule int

// The rules of the Chat agent's methods.
const (
	NoRule Rule = iota
	// CallerOwns: "If the session does not belong to the user, nothing
	// happens" (TransferChatSession): its User is the caller.
	CallerOwns
	// CallerIsTarget: "If the session is not being transferred, nothing
	// happens" (Accept/RejectChatSessionTransfer), here: not being
	// transferred to the caller. Its TransferTo is the caller.
	CallerIsTarget
	// Queued: PickUpChatSession answers NULL "if the session was not in the
	// queue": its Status is InQueue.
	Queued
)

// RuleOf is the rule of a Chat agent method.
func RuleOf(method string) Rule {
	switch strings.ToLower(method) {
	case "transferchatsession":
		return CallerOwns
	case "acceptchatsessiontransfer", "rejectchatsessiontransfer":
		return CallerIsTarget
	case "pickupchatsession":
		return Queued
	}
	return NoRule
}

// NeedsCaller reports whether the rule is about the caller: without a known
// caller it cannot hold.
func (r Rule) NeedsCaller() bool { return r == CallerOwns || r == CallerIsTarget }

// Holds applies the rule to a fetched session. An associate is the caller
// when its Name or UserName equals the caller's name, ignoring case.
// Property names are matched ASCII case-insensitively, so a backend that
// writes "user" or "transferTo" is read the same way. inQueue reports
// whether a Status value (a member name, or a legacy backend's number) is
// InQueue.
func (r Rule) Holds(session []byte, caller string, inQueue func(gjson.Result) bool) (bool, error) {
	if !gjson.ValidBytes(session) {
		return false, ErrSessionNotObject
	}
	doc := gjson.ParseBytes(session)
	if !doc.IsObject() {
		return false, ErrSessionNotObject
	}
	switch r {
	case CallerOwns:
		return isCaller(property(doc, propUser), caller), nil
	case CallerIsTarget:
		return isCaller(property(doc, propTransferTo), caller), nil
	case Queued:
		return inQueue(property(doc, propStatus)), nil
	}
	return true, nil
}

func isCaller(associate gjson.Result, caller string) bool {
	if caller == "" || !associate.IsObject() {
		return false
	}
	for _, prop := range []string{propName, propUserName} {
		v := property(associate, prop)
		if v.Type == gjson.String && strings.EqualFold(v.Str, caller) {
			return true
		}
	}
	return false
}

// property returns the first property of obj whose name matches ASCII
// case-insensitively. Names are compared as data, never used as gjson paths.
func property(obj gjson.Result, name string) gjson.Result {
	var found gjson.Result
	obj.ForEach(func(key, value gjson.Result) bool {
		if agent.EqualFold(key.Str, name) {
			found = value
			return false
		}
		return true
	})
	return found
}
