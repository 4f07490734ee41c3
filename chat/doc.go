// Package chat holds what the reference pages say of the Chat agent beyond
// its catalogue (package agent): the rules that decide whether a method may
// change a session ("if the session does not belong to the user, nothing
// happens"), and how a backend's error answer is read for its message.
//
// It imports nothing from Caddy: bytes in, decisions out.
package chat
