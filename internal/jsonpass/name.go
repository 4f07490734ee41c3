package jsonpass

import (
	"unicode/utf8"
)

// EmptyName stands for the empty JSON key, which no XML name can spell.
// AppendName escapes the '_' of a key that is "_x_" itself, so no other key
// is written this way.
const EmptyName = "_x_"

// AppendName appends key, a JSON object key, as an XML element name. The
// characters of isNameStart and isNameChar are written as they are. Every
// other character is written as _xHHHH_ (its code point in four hex
// digits, or _xHHHHHHHH_ in eight above U+FFFF), and an '_' that would
// otherwise read as the start of such an escape is written _x005F_: the
// escapes of .NET's XmlConvert, whose DecodeName reads the names back. The
// empty key is written _x_. Bytes that are not UTF-8 read as U+FFFD.
func AppendName(dst, key []byte) []byte {
	if plainName(key) {
		return append(dst, key...)
	}
	if len(key) == 0 {
		return append(dst, EmptyName...)
	}
	whole := string(key) == EmptyName
	for i := 0; i < len(key); {
		r, size := rune(key[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(key[i:])
		}
		switch {
		case r == '_' && (whole && i == 0 || looksEscaped(key[i+1:])):
			dst = append(dst, "_x005F_"...)
		case i == 0 && isNameStart(r) || i > 0 && isNameChar(r):
			dst = append(dst, key[i:i+size]...)
		default:
			dst = appendCodePoint(dst, r)
		}
		i += size
	}
	return dst
}

// plainName reports a key of ASCII letters, then also digits, '-' and '.':
// the common key, written as it is without a look at each character.
func plainName(key []byte) bool {
	if len(key) == 0 || plainNameByte[key[0]] != nameAnywhere|nameFirst {
		return false
	}
	rest := key[1:]
	for len(rest) >= 4 { // every class has nameAnywhere: 0 only if a byte is not one
		if plainNameByte[rest[0]]&plainNameByte[rest[1]]&plainNameByte[rest[2]]&plainNameByte[rest[3]] == 0 {
			return false
		}
		rest = rest[4:]
	}
	for _, c := range rest {
		if plainNameByte[c] == 0 {
			return false
		}
	}
	return true
}

const (
	nameAnywhere = 1 << iota
	nameFirst
)

// plainNameByte classes the ASCII bytes of plainName ('_' is not one of them:
// it may have to be escaped).
var plainNameByte = func() (t [256]uint8) {
	for c := range 128 {
		switch r := rune(c); {
		case r == '_':
		case isNameStart(r):
			t[c] = nameAnywhere | nameFirst
		case isNameChar(r):
			t[c] = nameAnywhere
		}
	}
	return t
}()

// looksEscaped reports whether rest, what follows an '_', is written as
// "xHHHH_" or "xHHHHHHHH_" and more: the rest of an escape a decoder would
// read. The '_' after the hex digits is one in the key, or the start of
// the next character's escape ("_x0000 " would be written _x0000_x0020_).
func looksEscaped(rest []byte) bool {
	if len(rest) < 6 || rest[0] != 'x' {
		return false
	}
	hexRun := 0
	for hexRun < len(rest)-1 && hexRun < 8 && isHexDigit(rest[1+hexRun]) {
		hexRun++
	}
	return hexRun >= 4 && writtenFromUnderscore(rest[5:]) || hexRun == 8 && len(rest) > 9 && writtenFromUnderscore(rest[9:])
}

// writtenFromUnderscore reports whether AppendName writes the rest of a
// key, past its first character, beginning with an '_': the rest begins
// with one, or with a character it escapes.
func writtenFromUnderscore(rest []byte) bool {
	r, _ := utf8.DecodeRune(rest)
	return r == '_' || !isNameChar(r)
}

// appendCodePoint appends _xHHHH_ or _xHHHHHHHH_.
func appendCodePoint(dst []byte, r rune) []byte {
	const hexDigits = "0123456789ABCDEF"
	digits := 4
	if r > 0xFFFF {
		digits = 8
	}
	dst = append(dst, '_', 'x')
	for shift := (digits - 1) * 4; shift >= 0; shift -= 4 {
		dst = append(dst, hexDigits[(r>>uint(shift))&0xF])
	}
	return append(dst, '_')
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// ValidName reports whether name can be used as it is for a root element:
// an XML name that every parser reads alike, without a colon.
func ValidName(name string) bool {
	for i, r := range name {
		if i == 0 && !isNameStart(r) || i > 0 && !isNameChar(r) {
			return false
		}
	}
	return name != ""
}

// isNameStart reports the characters an element name may begin with and
// every XML parser reads alike: ASCII letters, '_', and the letters of
// Latin-1. XML 1.0's fourth and fifth editions disagree on much of the rest
// of Unicode (Go's encoding/xml, like Xerces, follows the fourth), so every
// other character is escaped.
func isNameStart(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_' ||
		0xC0 <= r && r <= 0xFF && r != 0xD7 && r != 0xF7
}

// isNameChar adds the characters a name may go on with: digits, '-' and '.'.
func isNameChar(r rune) bool {
	return isNameStart(r) || '0' <= r && r <= '9' || r == '-' || r == '.'
}
