package agent

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// MaxUserName is the longest UserName value, in characters (Unicode code
// points, not bytes).
const MaxUserName = 255

// valueReader checks one parameter's JSON value against its catalogue type
// and appends the canonical JSON the backend gets.
type valueReader struct {
	dates DateConverter
	// depth is how many arrays and objects of the body enclose the value
	// being read: the parameters object, then each carrier and array.
	depth int
}

// DateConverter appends a request's date-time text as the backend keeps
// date-times (base-zone local time, no offset), or reports false if s is not
// an ISO 8601 date-time.
type DateConverter func(dst, s []byte) ([]byte, bool)

// append checks v against t and appends its canonical JSON to dst. path
// names the value in an error ("ChatSessionEntity.User.AssociateId").
// nullable says whether JSON null is accepted here.
func (vr *valueReader) append(dst []byte, v gjson.Result, t *TypeRef, path string) ([]byte, error) {
	if v.Type == gjson.Null {
		if t.nullable() {
			return append(dst, "null"...), nil
		}
		return dst, invalid(path, t, "not null")
	}
	if t.Array {
		return vr.array(dst, v, t, path)
	}
	switch {
	case t.Enum != nil:
		return vr.enum(dst, v, t, path)
	case t.Type != nil:
		return vr.carrier(dst, v, t.Type, path)
	}
	return vr.scalar(dst, v, t, path)
}

func (vr *valueReader) array(dst []byte, v gjson.Result, t *TypeRef, path string) ([]byte, error) {
	if !v.IsArray() {
		return dst, invalid(path, t, "")
	}
	vr.depth++
	defer func() { vr.depth-- }()
	elem := t.Elem()
	dst = append(dst, '[')
	var err error
	i := 0
	v.ForEach(func(_, item gjson.Result) bool {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst, err = vr.append(dst, item, elem, path+"["+strconv.Itoa(i)+"]")
		i++
		return err == nil
	})
	if err != nil {
		return dst, err
	}
	return append(dst, ']'), nil
}

// carrier checks an entity: its known properties by their types, spelled as
// the catalogue spells them; the read-only metadata dropped; unknown
// properties kept as they are, once checked by the rules every value meets
// (see plain). A name given twice, in any ASCII case, is refused, known or
// not.
func (vr *valueReader) carrier(dst []byte, v gjson.Result, t *Type, path string) ([]byte, error) {
	if !v.IsObject() {
		return dst, &Error{Message: path + " must be a " + t.Name + " object"}
	}
	vr.depth++
	defer func() { vr.depth-- }()
	dst = append(dst, '{')
	first := true
	var err error
	seen := make(map[*Property]bool)
	var unknown map[string]bool // folded names of the unknown properties
	i := -1
	v.ForEach(func(key, value gjson.Result) bool {
		i++
		if !validText(key.Raw) {
			err = badName(path)
			return false
		}
		if isMetadata(key.Str) {
			return true
		}
		p := t.Property([]byte(key.Str))
		if p != nil && seen[p] {
			err = &Error{Message: path + "." + p.Name + " is given more than once"}
			return false
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		if p == nil { // unknown: kept as it came, once checked
			name := memberPath(path, key.Str, i)
			ascii, lookalike := asciiLookalike(key.Str)
			if known := t.Property([]byte(ascii)); lookalike && known != nil {
				err = &Error{Message: name + " is a look-alike of " + path + "." + known.Name + " (a letter that Unicode case folding reads as ASCII)"}
				return false
			}
			folded := string(appendLower(nil, ascii))
			if unknown[folded] {
				err = &Error{Message: name + " is given more than once"}
				return false
			}
			if unknown == nil {
				unknown = make(map[string]bool)
			}
			unknown[folded] = true
			if err = plain(value, name, name, vr.depth); err != nil {
				return false
			}
			dst = append(append(append(dst, key.Raw...), ':'), value.Raw...)
			return true
		}
		seen[p] = true
		dst = append(append(append(dst, '"'), p.Name...), '"', ':')
		dst, err = vr.append(dst, value, p.Type, path+"."+p.Name)
		return err == nil
	})
	if err != nil {
		return dst, err
	}
	return append(dst, '}'), nil
}

// plain checks a value the catalogue does not describe (an unknown
// property, an Object, a Map) by the rules every value of a request meets,
// so that what is kept as it came is still what the README promises the
// backend: every string and property name valid Unicode (no invalid UTF-8,
// no unpaired surrogate escape), no name twice in one object (in any ASCII
// case, as the catalogue matches names), and no more than maxDepth arrays
// and objects around any value (depth: those around v). path names v in an
// error; top names the property a nesting error blames, so its message
// does not spell out every level.
func plain(v gjson.Result, path, top string, depth int) error {
	switch {
	case v.Type == gjson.String:
		if !validText(v.Raw) {
			return invalid(path, untyped, "of valid Unicode")
		}
		return nil
	case v.Type != gjson.JSON:
		return nil // a number, true, false or null: valid JSON is all they need
	}
	if depth++; depth > maxDepth {
		return &Error{Message: top + " is nested too deeply: a request body may nest at most " +
			strconv.Itoa(maxDepth) + " arrays and objects"}
	}
	var err error
	if v.IsArray() {
		i := 0
		v.ForEach(func(_, item gjson.Result) bool {
			err = plain(item, path+"["+strconv.Itoa(i)+"]", top, depth)
			i++
			return err == nil
		})
		return err
	}
	seen := make(map[string]bool)
	i := -1
	v.ForEach(func(key, value gjson.Result) bool {
		i++
		if !validText(key.Raw) {
			err = badName(path)
			return false
		}
		name := memberPath(path, key.Str, i)
		folded := string(appendLower(nil, key.Str))
		if seen[folded] {
			err = &Error{Message: name + " is given more than once"}
			return false
		}
		seen[folded] = true
		err = plain(value, name, top, depth)
		return err == nil
	})
	return err
}

// validText reports whether the raw text of a JSON string (a value or a
// property name) is valid Unicode: valid UTF-8 with no unpaired surrogate
// escape.
func validText(raw string) bool {
	return utf8.ValidString(raw) && !hasLoneSurrogate(raw)
}

func badName(path string) *Error {
	return &Error{Message: path + " has a property name that is not valid Unicode"}
}

// maxNamed is the longest property name an error repeats.
const maxNamed = 64

// memberPath names the property name, the i-th (from 0) of the object at
// path, in an error: by its name if that is short and printable, else by
// its position, so that no error carries a control character or a page of
// text the client sent.
func memberPath(path, name string, i int) string {
	ok := name != "" && len(name) <= maxNamed
	for _, r := range name {
		if !ok {
			break
		}
		ok = unicode.IsPrint(r)
	}
	if !ok {
		return path + ".(property " + strconv.Itoa(i+1) + ")"
	}
	return path + "." + name
}

// enum reads a member name (any case), a number, or for flags a ", " or
// "," list of names, and writes the member name(s).
func (vr *valueReader) enum(dst []byte, v gjson.Result, t *TypeRef, path string) ([]byte, error) {
	e := t.Enum
	var n int64
	switch v.Type {
	case gjson.Number:
		i, err := strconv.ParseInt(v.Raw, 10, 64)
		if err != nil {
			return dst, invalid(path, t, "")
		}
		n = i
	case gjson.String:
		s := strings.TrimSpace(v.Str)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			n = i
			break
		}
		var ok bool
		if e.Flags {
			n, ok = e.ParseFlags(s)
		} else {
			n, ok = e.Value(s)
		}
		if !ok {
			return dst, invalid(path, t, "")
		}
	default:
		return dst, invalid(path, t, "")
	}
	dst = append(dst, '"')
	if e.Flags {
		out, ok := e.AppendFlags(dst, n)
		if !ok {
			return dst[:len(dst)-1], invalid(path, t, "")
		}
		dst = out
	} else {
		name, ok := e.NameOf(n)
		if !ok {
			return dst[:len(dst)-1], invalid(path, t, "")
		}
		dst = append(dst, name...)
	}
	return append(dst, '"'), nil
}

func (vr *valueReader) scalar(dst []byte, v gjson.Result, t *TypeRef, path string) ([]byte, error) {
	switch t.Scalar {
	case ScalarId, ScalarRecordId, ScalarInt32:
		text := v.Raw
		if v.Type == gjson.String {
			text = v.Str
		} else if v.Type != gjson.Number {
			return dst, invalid(path, t, "")
		}
		n, ok := parseInt32(text)
		if !ok || t.Scalar == ScalarId && n < 1 || t.Scalar == ScalarRecordId && n < 0 {
			return dst, invalid(path, t, "")
		}
		return strconv.AppendInt(dst, int64(n), 10), nil
	case ScalarNumber:
		switch v.Type {
		case gjson.Number:
			return append(dst, v.Raw...), nil
		case gjson.String:
			// a JSON number's text, in range of a double
			if _, err := strconv.ParseFloat(v.Str, 64); err == nil && gjson.Valid(v.Str) {
				return append(dst, v.Str...), nil
			}
		}
		return dst, invalid(path, t, "")
	case ScalarBoolean:
		switch {
		case v.Type == gjson.True || (v.Type == gjson.String && strings.EqualFold(v.Str, "true")):
			return append(dst, "true"...), nil
		case v.Type == gjson.False || (v.Type == gjson.String && strings.EqualFold(v.Str, "false")):
			return append(dst, "false"...), nil
		}
		return dst, invalid(path, t, "")
	case ScalarString, ScalarDuration:
		if v.Type != gjson.String || !utf8.ValidString(v.Raw) || hasLoneSurrogate(v.Raw) {
			return dst, invalid(path, t, "of valid Unicode")
		}
		return appendCanonicalString(dst, v.Str), nil
	case ScalarUserName:
		if v.Type != gjson.String || !utf8.ValidString(v.Raw) || hasLoneSurrogate(v.Raw) || !validUserName(v.Str) {
			return dst, invalid(path, t, "")
		}
		return appendCanonicalString(dst, v.Str), nil
	case ScalarDateTime:
		if v.Type != gjson.String {
			return dst, invalid(path, t, "")
		}
		if vr.dates == nil {
			if !looksLikeDateTime(v.Str) || !validText(v.Raw) { // kept as written: it must be valid as written
				return dst, invalid(path, t, "")
			}
			return append(dst, v.Raw...), nil
		}
		out, ok := vr.dates(append(dst, '"'), []byte(v.Str))
		if !ok {
			return dst, invalid(path, t, "")
		}
		return append(out, '"'), nil
	case ScalarMap:
		if !v.IsObject() {
			return dst, invalid(path, t, "")
		}
		var err error
		i := 0
		v.ForEach(func(key, value gjson.Result) bool {
			if value.Type != gjson.String && value.Type != gjson.Null {
				err = &Error{Message: memberPath(path, key.Str, i) + " must be a string"}
			}
			i++
			return err == nil
		})
		if err == nil {
			err = plain(v, path, path, vr.depth)
		}
		if err != nil {
			return dst, err
		}
		return append(dst, v.Raw...), nil
	case ScalarObject:
		if !v.IsObject() {
			return dst, invalid(path, t, "")
		}
		if err := plain(v, path, path, vr.depth); err != nil {
			return dst, err
		}
		return append(dst, v.Raw...), nil
	}
	return dst, invalid(path, t, "")
}

// appendCanonicalString writes s as encoding/json does: UTF-8 as it is,
// with <, > and & escaped, so that no backend that pastes a value into a
// page reads markup the client wrote as a tag.
func appendCanonicalString(dst []byte, s string) []byte {
	quoted, _ := json.Marshal(s) // a valid UTF-8 string always marshals
	return append(dst, quoted...)
}

// nullable reports whether JSON null is a value of t: the official clients
// send null for dates, strings, entities, nested objects and arrays.
func (t *TypeRef) nullable() bool {
	if t.Array || t.Type != nil {
		return true
	}
	switch t.Scalar {
	case ScalarString, ScalarDateTime, ScalarDuration, ScalarMap, ScalarObject:
		return true
	}
	return false
}

// rule says what a value of t must be, after its name in an error.
func (t *TypeRef) rule() string {
	switch {
	case t.Array:
		return "must be an array of " + t.Elem().Name
	case t.Enum != nil && t.Enum.Flags:
		return "must be " + t.Enum.Name + " flags: member names joined by \", \", or a number"
	case t.Enum != nil:
		return "must be a " + t.Enum.Name + " member name or number"
	case t.Type != nil:
		return "must be a " + t.Type.Name + " object"
	}
	switch t.Scalar {
	case ScalarInt32:
		return "must be an integer from -2147483648 to 2147483647"
	case ScalarId:
		return "must be an integer from 1 to 2147483647"
	case ScalarRecordId:
		return "must be an integer from 0 to 2147483647"
	case ScalarNumber:
		return "must be a number"
	case ScalarBoolean:
		return "must be true or false"
	case ScalarUserName:
		return "must be a non-empty string of at most " + strconv.Itoa(MaxUserName) +
			" characters, without control characters or unpaired surrogates"
	case ScalarDateTime:
		return "must be an ISO 8601 date-time"
	case ScalarMap:
		return "must be an object of strings"
	case ScalarObject:
		return "must be an object"
	}
	return "must be a string"
}

// invalid names the value and what it must be, never repeating it.
func invalid(path string, t *TypeRef, extra string) *Error {
	msg := path + " " + t.rule()
	if extra != "" {
		msg += ", " + extra
	}
	return &Error{Message: msg}
}

// parseInt32 reads an optional '-' and decimal digits (leading zeros
// allowed, as .NET's Int32 parse allows them) that fit an int32.
func parseInt32(s string) (int32, bool) {
	digits := s
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || len(digits) > 20 {
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

// validUserName reports 1 to MaxUserName characters of valid UTF-8 with no
// control character (C0, DEL, C1).
func validUserName(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxUserName {
		return false
	}
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
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

// looksLikeDateTime is the shape of an ISO 8601 date-time: a date, 'T' and
// a time, with an optional offset. The date converter checks it fully.
func looksLikeDateTime(s string) bool {
	return len(s) >= 16 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') &&
		bytes.IndexByte([]byte(s[:4]), ':') < 0
}
