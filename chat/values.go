package chat

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// ValueType is the catalogue type of a parameter's value. The rules that
// check a value belong to its type, not to a parameter's name, so every
// parameter of a type is read the same way.
type ValueType int

// The value types of the Agents/Chat parameters.
const (
	// TypeInt32 is a JSON integer or a string of digits (as SuperOffice's
	// own JSON reader accepts), from -2147483648 to 2147483647. Text may
	// start with '-'; never with '+', blanks, a fraction or an exponent.
	TypeInt32 ValueType = iota + 1
	// TypeID is a TypeInt32 from 1 to 2147483647 (ChatSessionId,
	// ChatTopicId, *EntityId).
	TypeID
	// TypeUserName is a string of 1 to MaxUserName characters with no
	// control character (C0, DEL, C1) and no unpaired surrogate
	// (ToAssociate, Username).
	TypeUserName
	// TypeString is any string of valid UTF-8.
	TypeString
)

// MaxUserName is the longest TypeUserName value, in characters (Unicode
// code points, not bytes).
const MaxUserName = 255

// Rule says what a value of the type must be, to follow a parameter's name
// in an error message.
func (t ValueType) Rule() string {
	switch t {
	case TypeInt32:
		return "must be an integer from -2147483648 to 2147483647"
	case TypeID:
		return "must be an integer from 1 to 2147483647"
	case TypeUserName:
		return "must be a non-empty string of at most " + strconv.Itoa(MaxUserName) +
			" characters, without control characters or unpaired surrogates"
	}
	return "must be a string"
}

func (t ValueType) isInteger() bool { return t == TypeInt32 || t == TypeID }

// Value is one checked parameter value. The zero Value is absent (not
// given, or null).
type Value struct {
	Type ValueType
	Int  int32  // TypeInt32, TypeID
	Str  string // TypeUserName, TypeString
}

// Present reports whether the value was given (and not null).
func (v Value) Present() bool { return v.Type != 0 }

// AppendJSON appends the value's canonical JSON: integers as numbers,
// strings as strings, an absent value as null.
func (v Value) AppendJSON(dst []byte) []byte {
	switch {
	case !v.Present():
		return append(dst, "null"...)
	case v.Type.isInteger():
		return strconv.AppendInt(dst, int64(v.Int), 10)
	}
	s, _ := json.Marshal(v.Str) // a string always marshals
	return append(dst, s...)
}

// errValue is a value its type refuses; callers name the parameter.
type errValue struct{}

func (errValue) Error() string { return "invalid value" }

// FromJSON checks a JSON value against the type. JSON null is the absent
// Value. The raw text of a JSON string is checked too: encoding/json and
// gjson both turn an unpaired surrogate escape ("\ud800") into U+FFFD, which
// would let a value through that the client did not send.
func (t ValueType) FromJSON(v gjson.Result) (Value, error) {
	switch {
	case v.Type == gjson.Null:
		return Value{}, nil
	case t.isInteger() && v.Type == gjson.Number:
		return t.FromText(v.Raw)
	case v.Type != gjson.String:
		return Value{}, errValue{}
	case !utf8.ValidString(v.Raw) || hasLoneSurrogate(v.Raw):
		return Value{}, errValue{}
	}
	return t.FromText(v.Str)
}

// FromText checks a value given as text: a JSON string's content, a form
// field, a query parameter or an XML element's text.
func (t ValueType) FromText(s string) (Value, error) {
	switch t {
	case TypeInt32, TypeID:
		n, ok := parseInt32(s)
		if !ok || (t == TypeID && n < 1) {
			return Value{}, errValue{}
		}
		return Value{Type: t, Int: n}, nil
	case TypeUserName:
		if !validUserName(s) {
			return Value{}, errValue{}
		}
	default:
		if !utf8.ValidString(s) {
			return Value{}, errValue{}
		}
	}
	return Value{Type: t, Str: s}, nil
}

// parseInt32 reads an optional '-' and decimal digits (leading zeros
// allowed, as .NET's Int32 parse allows them) that fit an int32.
func parseInt32(s string) (int32, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return int32(n), err == nil
}

// validUserName reports 1..MaxUserName characters of valid UTF-8 with no
// control character: C0 (tab, CR and LF included), DEL or C1. Go strings
// hold no surrogate code points: utf8.ValidString refuses their encodings.
func validUserName(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	n := 0
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return false
		}
		if n++; n > MaxUserName {
			return false
		}
	}
	return true
}

// hasLoneSurrogate reports whether the raw text of a JSON string holds a
// \u escape of a surrogate that is not part of a high-low pair.
func hasLoneSurrogate(raw string) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+1 >= len(raw) || raw[i+1] != 'u' {
			i++ // another escape: skip its character (it may be a backslash)
			continue
		}
		u, ok := hex4(raw, i+2)
		if !ok {
			return true // not valid JSON; refuse rather than guess
		}
		i += 5
		switch {
		case u >= 0xdc00 && u <= 0xdfff:
			return true // a low surrogate with no high one before it
		case u >= 0xd800 && u <= 0xdbff:
			if i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return true
			}
			low, ok := hex4(raw, i+3)
			if !ok || low < 0xdc00 || low > 0xdfff {
				return true
			}
			i += 6
		}
	}
	return false
}

func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[at:at+4], 16, 16)
	return rune(n), err == nil
}
