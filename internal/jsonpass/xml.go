package jsonpass

import (
	"encoding/binary"
	"unicode/utf8"
)

// The XML output: the constants and text escapes of format.AppendXML.

// ItemName names each element of an array inside an answer; the elements of
// a top-level array are named after the entity instead.
const ItemName = "Item"

// ArrayPrefix makes the root of a top-level array: ArrayOfChatSessionEntity.
const ArrayPrefix = "ArrayOf"

// Declaration begins every XML answer and error body.
const Declaration = `<?xml version="1.0" encoding="utf-8"?>`

// The root declares the XML Schema instance namespace for i:nil.
const (
	rootAttributes = ` xmlns:i="http://www.w3.org/2001/XMLSchema-instance"`
	nilEnd         = ` i:nil="true"/>`
)

// appendText appends raw, the inside of a validated JSON string (or a piece
// of it cut between characters and escapes), as XML element text.
func appendText(dst, src []byte) []byte {
	i := 0
	for i < len(src) {
		from := i
		for i+8 <= len(src) && plainTextWord(binary.LittleEndian.Uint64(src[i:])) {
			i += 8
		}
		for i < len(src) && plainText[src[i]] {
			i++
		}
		dst = append(dst, src[from:i]...)
		if i >= len(src) {
			break
		}
		switch b := src[i]; {
		case b == '\\':
			r, n, ok := unescapeOne(src[i:])
			if !ok { // a plug wrote a bad escape
				r, n = utf8.RuneError, 1
			}
			i += n
			dst = appendTextRune(dst, r)
		case b < utf8.RuneSelf: // < > & (controls are invalid JSON)
			dst = appendTextRune(dst, rune(b))
			i++
		default:
			r, n := utf8.DecodeRune(src[i:])
			i += n
			if r == utf8.RuneError && n == 1 || r == 0xFFFE || r == 0xFFFF {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, src[i-n:i]...)
			}
		}
	}
	return dst
}

// plainText marks the bytes a JSON string's text is copied with as they are.
var plainText = func() (t [256]bool) {
	for b := ' '; b < utf8.RuneSelf; b++ {
		t[b] = true
	}
	for _, b := range `"\<>&` {
		t[b] = false
	}
	return t
}()

// plainTextWord reports whether all 8 bytes are plainText: none is a
// control character, non-ASCII, or one of " \ < > &. (The bit tricks of
// "Bit Twiddling Hacks": determine if a word has a byte less than n, or
// equal to n.)
func plainTextWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	has := (w-ones*0x20)&^w | w // a control character, or a high bit
	quote, backslash, amp := w^(ones*'"'), w^(ones*'\\'), w^(ones*'&')
	angle := (w | ones*2) ^ (ones * '>') // '<' and '>' differ in bit 1 alone
	has |= (quote - ones) &^ quote
	has |= (backslash - ones) &^ backslash
	has |= (amp - ones) &^ amp
	has |= (angle - ones) &^ angle
	return has&highs == 0
}

// appendTextRune appends r as XML text: markup characters as entities, a
// carriage return as a character reference, and what XML 1.0 cannot carry
// as U+FFFD.
func appendTextRune(dst []byte, r rune) []byte {
	switch {
	case r == '<':
		return append(dst, "&lt;"...)
	case r == '>':
		return append(dst, "&gt;"...)
	case r == '&':
		return append(dst, "&amp;"...)
	case r == '\r':
		return append(dst, "&#xD;"...)
	case r == '\t' || r == '\n':
		return append(dst, byte(r))
	case r < ' ' || r == 0xFFFE || r == 0xFFFF || 0xD800 <= r && r <= 0xDFFF:
		return utf8.AppendRune(dst, utf8.RuneError)
	}
	return utf8.AppendRune(dst, r)
}

// unescape appends raw, the inside of a JSON string, unescaped. It reports
// false for an escape JSON does not have.
func unescape(dst, raw []byte) ([]byte, bool) {
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			dst = append(dst, raw[i])
			i++
			continue
		}
		r, n, ok := unescapeOne(raw[i:])
		if !ok {
			return dst, false
		}
		dst = utf8.AppendRune(dst, r)
		i += n
	}
	return dst, true
}

// unescapeOne reads the escape at the start of s. A surrogate pair becomes
// one code point; a lone surrogate is U+FFFD.
func unescapeOne(s []byte) (r rune, n int, ok bool) {
	if len(s) < 2 {
		return 0, 0, false
	}
	switch s[1] {
	case '"', '\\', '/':
		return rune(s[1]), 2, true
	case 'b':
		return '\b', 2, true
	case 'f':
		return '\f', 2, true
	case 'n':
		return '\n', 2, true
	case 'r':
		return '\r', 2, true
	case 't':
		return '\t', 2, true
	case 'u':
		r, ok := hex4ok(s[2:])
		if !ok {
			return 0, 0, false
		}
		if 0xD800 <= r && r < 0xDC00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hex4ok(s[8:]); ok && 0xDC00 <= lo && lo <= 0xDFFF {
				return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, true
			}
		}
		if 0xD800 <= r && r <= 0xDFFF {
			r = utf8.RuneError
		}
		return r, 6, true
	}
	return 0, 0, false
}

func hex4ok(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		var v byte
		switch {
		case '0' <= c && c <= '9':
			v = c - '0'
		case 'a' <= c && c <= 'f':
			v = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}
