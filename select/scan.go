package selection

import "encoding/binary"

// The validating scanner: each skip advances the cursor over one JSON value
// (RFC 8259), or returns ErrInvalidJSON.

func (p *projector) skip() error {
	switch p.at() {
	case '{':
		return p.skipObject()
	case '[':
		return p.skipArray()
	case '"':
		_, err := p.skipString()
		return err
	case 't':
		return p.skipLiteral("true")
	case 'f':
		return p.skipLiteral("false")
	case 'n':
		return p.skipLiteral("null")
	}
	return p.skipNumber()
}

func (p *projector) skipObject() error {
	if p.depth++; p.depth > MaxNesting {
		return ErrInvalidJSON
	}
	p.i++
	p.skipSpace()
	if p.at() == '}' {
		p.i++
		p.depth--
		return nil
	}
	for {
		if p.at() != '"' {
			return ErrInvalidJSON
		}
		if _, err := p.skipString(); err != nil {
			return err
		}
		p.skipSpace()
		if p.at() != ':' {
			return ErrInvalidJSON
		}
		p.i++
		p.skipSpace()
		if err := p.skip(); err != nil {
			return err
		}
		p.skipSpace()
		switch p.at() {
		case ',':
			p.i++
			p.skipSpace()
		case '}':
			p.i++
			p.depth--
			return nil
		default:
			return ErrInvalidJSON
		}
	}
}

func (p *projector) skipArray() error {
	if p.depth++; p.depth > MaxNesting {
		return ErrInvalidJSON
	}
	p.i++
	p.skipSpace()
	if p.at() == ']' {
		p.i++
		p.depth--
		return nil
	}
	for {
		if err := p.skip(); err != nil {
			return err
		}
		p.skipSpace()
		switch p.at() {
		case ',':
			p.i++
			p.skipSpace()
		case ']':
			p.i++
			p.depth--
			return nil
		default:
			return ErrInvalidJSON
		}
	}
}

// plainStringByte reports the bytes a string may hold unescaped.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipString advances over a string, the cursor at its opening quote, and
// reports whether it holds escapes.
func (p *projector) skipString() (escaped bool, err error) {
	src, i := p.src, p.i+1
	for {
		for i+8 <= len(src) && plainWord(binary.LittleEndian.Uint64(src[i:])) {
			i += 8
		}
		for i < len(src) && plainStringByte[src[i]] {
			i++
		}
		if i >= len(src) {
			return false, ErrInvalidJSON
		}
		switch src[i] {
		case '"':
			p.i = i + 1
			return escaped, nil
		case '\\':
			escaped = true
			if i+1 >= len(src) {
				return false, ErrInvalidJSON
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(src) || !isHex(src[i+2]) || !isHex(src[i+3]) || !isHex(src[i+4]) || !isHex(src[i+5]) {
					return false, ErrInvalidJSON
				}
				i += 6
			default:
				return false, ErrInvalidJSON
			}
		default: // a control character
			return false, ErrInvalidJSON
		}
	}
}

// plainWord reports whether none of 8 bytes is a quote, a backslash or a
// control character, with the bit tricks of "Bit Twiddling Hacks"
// (determine if a word has a byte less than n / equal to n).
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	hasControl := (w - ones*0x20) &^ w
	hasQuote := (quote - ones) &^ quote
	hasBackslash := (backslash - ones) &^ backslash
	return (hasControl|hasQuote|hasBackslash)&highs == 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (p *projector) skipLiteral(lit string) error {
	if len(p.src)-p.i < len(lit) || string(p.src[p.i:p.i+len(lit)]) != lit {
		return ErrInvalidJSON
	}
	p.i += len(lit)
	return nil
}

// skipNumber advances over -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *projector) skipNumber() error {
	src, i := p.src, p.i
	if i < len(src) && src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && '1' <= src[i] && src[i] <= '9':
		i = digits(src, i+1)
	default:
		return ErrInvalidJSON
	}
	if i < len(src) && src[i] == '.' {
		j := digits(src, i+1)
		if j == i+1 {
			return ErrInvalidJSON
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
			return ErrInvalidJSON
		}
		i = j
	}
	p.i = i
	return nil
}

func digits(src []byte, i int) int {
	for i < len(src) && '0' <= src[i] && src[i] <= '9' {
		i++
	}
	return i
}
