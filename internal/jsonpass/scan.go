package jsonpass

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// Results of a token scan.
const (
	scanDone    = iota // the token ends in src
	scanMore           // src ends inside the token
	scanInvalid        // not valid JSON
	scanTooLong        // a number longer than MaxHeld
)

// plainStringByte reports the ASCII bytes a string may hold unescaped;
// the others begin a UTF-8 sequence to check.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanString scans a string from i, inside it (after its opening quote),
// and returns the index after its closing quote and whether it holds
// escapes. Its text must be UTF-8 (RFC 8259 8.1): an invalid sequence, a
// surrogate or an overlong form is scanInvalid. With scanMore, the index
// is where the string may be cut: before an escape or a UTF-8 sequence
// that src ends inside of, or a high surrogate whose pair may follow.
func scanString(src []byte, i int) (int, bool, int) {
	escaped := false
	for {
		i = plainFrom(src, i)
		for i+8 <= len(src) {
			if m := specialBytes(binary.LittleEndian.Uint64(src[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3 // the first is exact
				goto special
			}
			i += 8
		}
		for i < len(src) && plainStringByte[src[i]] {
			i++
		}
		if i >= len(src) {
			return i, escaped, scanMore
		}
	special:
		switch src[i] {
		case '"':
			return i + 1, escaped, scanDone
		case '\\':
			escaped = true
			if i+1 >= len(src) {
				return i, escaped, scanMore
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(src) {
					for _, c := range src[i+2:] {
						if !isHex(c) {
							return i, escaped, scanInvalid
						}
					}
					return i, escaped, scanMore
				}
				if !isHex(src[i+2]) || !isHex(src[i+3]) || !isHex(src[i+4]) || !isHex(src[i+5]) {
					return i, escaped, scanInvalid
				}
				if c := src[i+3] | 0x20; i+12 > len(src) && src[i+2]|0x20 == 'd' && (c == '8' || c == '9' || c == 'a' || c == 'b') {
					// a high surrogate: keep it with the escape that may follow
					rest := src[i+6:]
					if len(rest) == 0 || rest[0] == '\\' && (len(rest) == 1 || rest[1] == 'u') {
						return i, escaped, scanMore
					}
				}
				i += 6
			default:
				return i, escaped, scanInvalid
			}
		default:
			if src[i] < utf8.RuneSelf { // a control character
				return i, escaped, scanInvalid
			}
			if !utf8.FullRune(src[i:]) { // a sequence src ends inside of
				return i, escaped, scanMore
			}
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return i, escaped, scanInvalid
			}
			i += size
		}
	}
}

// plainWord reports whether none of 8 bytes is a quote, a backslash, a
// control character or a non-ASCII byte, with the bit tricks of "Bit Twiddling Hacks"
// (determine if a word has a byte less than n / equal to n).
func plainWord(w uint64) bool { return specialBytes(w) == 0 }

// specialBytes has the high bit of each byte of w that may be a quote, a
// backslash, a control character or not ASCII (part of a UTF-8 sequence,
// to check): borrows only run upwards, so the lowest one it marks is the
// first such byte, exactly.
func specialBytes(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	hasControl := (w - ones*0x20) &^ w
	hasQuote := (quote - ones) &^ quote
	hasBackslash := (backslash - ones) &^ backslash
	return (hasControl | hasQuote | hasBackslash | w) & highs
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// utf8Cut moves the cut j of a piece of text back before a UTF-8 sequence
// that the piece ends inside of.
func utf8Cut(src []byte, from, j int) int {
	for k := j - 1; k >= from && k >= j-3; k-- {
		c := src[k]
		if c < utf8.RuneSelf {
			return j
		}
		if c >= 0xC0 { // a lead byte
			need := 2
			if c >= 0xF0 {
				need = 4
			} else if c >= 0xE0 {
				need = 3
			}
			if j-k < need {
				return k
			}
			return j
		}
	}
	return j
}

// scanNumber scans -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? from i.
// A number that reaches the end of src may go on: scanMore unless final.
func scanNumber(src []byte, i int, final bool) (int, int) {
	start := i
	if i < len(src) && src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && '1' <= src[i] && src[i] <= '9':
		i = digits(src, i+1)
	case i >= len(src):
		return more(start, final)
	default:
		return i, scanInvalid
	}
	if i < len(src) && src[i] == '.' {
		j := digits(src, i+1)
		if j == i+1 {
			if j >= len(src) {
				return more(start, final)
			}
			return i, scanInvalid
		}
		i = j
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		j := digits(src, i)
		if j == i {
			if j >= len(src) {
				return more(start, final)
			}
			return i, scanInvalid
		}
		i = j
	}
	if i >= len(src) && !final {
		return start, scanMore
	}
	return i, scanDone
}

func more(start int, final bool) (int, int) {
	if final {
		return start, scanInvalid
	}
	return start, scanMore
}

func digits(src []byte, i int) int {
	for i < len(src) && '0' <= src[i] && src[i] <= '9' {
		i++
	}
	return i
}

// scanLiteral scans true, false or null from i.
func scanLiteral(src []byte, i int, final bool) (int, int) {
	var lit string
	switch src[i] {
	case 't':
		lit = "true"
	case 'f':
		lit = "false"
	case 'n':
		lit = "null"
	default:
		return i, scanInvalid
	}
	rest := src[i:]
	if len(rest) < len(lit) {
		if string(rest) == lit[:len(rest)] {
			return more(i, final)
		}
		return i, scanInvalid
	}
	if string(rest[:len(lit)]) != lit {
		return i, scanInvalid
	}
	return i + len(lit), scanDone
}

// appendUnescaped appends the text of a validated JSON string's raw content.
func appendUnescaped(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if r2 = utf16.DecodeRune(r, hex4(raw[i+3:i+7])); r2 != utf8.RuneError {
						i += 6
					}
				}
				r = r2
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, raw[i])
		}
	}
	return dst
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c <= '9':
			r |= rune(c - '0')
		case c >= 'a':
			r |= rune(c - 'a' + 10)
		default:
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// skipFast returns the end of the array or object at src[i] when it ends
// within src, valid and nested at most limit (and 64) levels deep; or -1,
// for the token machine to take it on (and find an error).
func skipFast(src []byte, i, limit int) int {
	var arrays uint64 // bit d: level d is an array
	depth := 0
	limit = min(limit, 64)
	goto value
next: // after a value
	if depth == 0 {
		return i
	}
	for i < len(src) && isSpace[src[i]] {
		i++
	}
	if i >= len(src) {
		return -1
	}
	switch c := src[i]; {
	case c == ',':
		i++
		if arrays&(1<<(depth-1)) != 0 {
			goto value
		}
		goto key
	case c == ']' && arrays&(1<<(depth-1)) != 0 || c == '}' && arrays&(1<<(depth-1)) == 0:
		i++
		depth--
		goto next
	}
	return -1
key:
	for i < len(src) && isSpace[src[i]] {
		i++
	}
	if i >= len(src) || src[i] != '"' {
		return -1
	}
	if j := quotedEnd(src, i+1); j > 0 {
		i = j
	} else if j, _, st := scanString(src, i+1); st == scanDone {
		i = j
	} else {
		return -1
	}
	for i < len(src) && isSpace[src[i]] {
		i++
	}
	if i >= len(src) || src[i] != ':' {
		return -1
	}
	i++
value:
	for i < len(src) && isSpace[src[i]] {
		i++
	}
	if i >= len(src) {
		return -1
	}
	switch src[i] {
	case '{', '[':
		if depth >= limit {
			return -1
		}
		if src[i] == '[' {
			arrays |= 1 << depth
		} else {
			arrays &^= 1 << depth
		}
		depth++
		i++
		for i < len(src) && isSpace[src[i]] {
			i++
		}
		if i >= len(src) {
			return -1
		}
		if c := src[i]; c == ']' && arrays&(1<<(depth-1)) != 0 || c == '}' && arrays&(1<<(depth-1)) == 0 {
			i++
			depth--
			goto next
		}
		if arrays&(1<<(depth-1)) != 0 {
			goto value
		}
		goto key
	case '"':
		if j := quotedEnd(src, i+1); j > 0 {
			i = j
			break
		}
		j, _, st := scanString(src, i+1)
		if st != scanDone {
			return -1
		}
		i = j
	case 't', 'f', 'n':
		j, st := scanLiteral(src, i, false)
		if st != scanDone {
			return -1
		}
		i = j
	default:
		j, st := scanNumber(src, i, false)
		if st != scanDone || j-i > MaxHeld {
			return -1
		}
		i = j
	}
	goto next
}

// skipAny returns the end of the value at src[i] when it ends within src
// (a number must be followed by a byte that ends it), or -1.
func skipAny(src []byte, i, limit int) int {
	if i >= len(src) {
		return -1
	}
	var j, st int
	switch src[i] {
	case '{', '[':
		return skipFast(src, i, limit)
	case '"':
		j, _, st = scanString(src, i+1)
	case 't', 'f', 'n':
		j, st = scanLiteral(src, i, false)
	default:
		j, st = scanNumber(src, i, false)
		if j-i > MaxHeld {
			return -1
		}
	}
	if st != scanDone {
		return -1
	}
	return j
}
