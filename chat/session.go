package chat

import (
	"errors"
	"strings"

	"github.com/tidwall/gjson"
)

// Session properties the transfer rules read, as spelled in the reference
// pages' ChatSession entity and its Associate values.
const (
	propUser       = "User"
	propTransferTo = "TransferTo"
	propName       = "Name"
	propUserName   = "UserName"
)

// ErrSessionNotObject is returned for a session that is not a JSON object.
var ErrSessionNotObject = errors.New("the session is not a JSON object")

// MayChange applies the reference pages' rules to a fetched session:
// "If the session does not belong to the user, nothing happens" for a
// transfer, and "If the session is not being transferred, nothing happens"
// for accept and reject (here: not being transferred to the caller). It
// reports whether the action may go to the backend.
//
// An associate is the caller when its Name or UserName equals the caller's
// name, ignoring case. Property names are matched ASCII case-insensitively,
// so a backend that writes "user" or "transferTo" is read the same way.
func MayChange(a Action, session []byte, caller string) (bool, error) {
	if !gjson.ValidBytes(session) {
		return false, ErrSessionNotObject
	}
	doc := gjson.ParseBytes(session)
	if !doc.IsObject() {
		return false, ErrSessionNotObject
	}
	prop := propTransferTo
	if a == Transfer {
		prop = propUser
	}
	return isCaller(property(doc, prop), caller), nil
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
		if asciiEqualFold(key.Str, name) {
			found = value
			return false
		}
		return true
	})
	return found
}
