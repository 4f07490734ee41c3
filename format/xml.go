package format

import (
	"encoding/binary"
	"errors"
	"unicode/utf8"
)

// ErrInvalidJSON is returned for a document that is not valid JSON, or that
// nests deeper than MaxNesting.
var ErrInvalidJSON = errors.New("the document is not valid JSON")

// MaxNesting bounds the depth of arrays and objects, as the projection does.
const MaxNesting = 10000

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

// AppendXML appends the JSON document src to dst as an XML document, in one
// pass and without building a tree. The root element is named root, a valid
// XML name (see ValidName), or ArrayOf<root> for an array, whose elements
// are each a <root>. Each property is an element named after its key (see
// appendName), in order; a nested object is a nested element, each element
// of a nested array an <Item>; null is an empty element with
// i:nil="true"; strings, numbers and booleans are the element's text.
// Characters XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF, lone
// surrogates, bytes that are not UTF-8) become U+FFFD; a carriage return is
// written &#xD; so parsers keep it. src that is not valid JSON is
// ErrInvalidJSON. dst may be reused: then nothing is allocated for
// documents up to 32 levels deep with escaped keys up to 64 bytes.
func AppendXML(dst, src []byte, root string) ([]byte, error) {
	c := converter{dst: append(dst, Declaration...), src: src}
	err := c.document(root)
	return c.dst, err
}

// frame is an open array or object: its element's name lies in dst.
type frame struct {
	array              bool
	count              int
	nameStart, nameEnd int
	item               string // an array's element name
}

type converter struct {
	dst, src []byte
	i        int
}

func (c *converter) document(root string) error {
	if len(c.src) >= 3 && string(c.src[:3]) == "\xef\xbb\xbf" {
		c.i = 3 // a UTF-8 byte order mark
	}
	c.skipSpace()
	c.dst = append(c.dst, '<')
	start := len(c.dst)
	if c.at() == '[' {
		c.dst = append(c.dst, ArrayPrefix...)
	}
	c.dst = append(c.dst, root...)
	end := len(c.dst)
	c.dst = append(c.dst, rootAttributes...)
	open, isOpen, err := c.value(start, end, root)
	if err != nil {
		return err
	}
	if isOpen {
		if err := c.containers(open); err != nil {
			return err
		}
	}
	c.skipSpace()
	if c.i != len(c.src) {
		return ErrInvalidJSON
	}
	return nil
}

// value finishes the element whose start tag, named dst[start:end], is
// open up to its attributes, from the value at c.i. A scalar is closed at
// once; an array or object is returned open, for containers, its elements
// named item if it is an array.
func (c *converter) value(start, end int, item string) (open frame, isOpen bool, err error) {
	c.skipSpace()
	switch c.at() {
	case '{', '[':
		open = frame{array: c.src[c.i] == '[', nameStart: start, nameEnd: end, item: item}
		c.i++
		c.dst = append(c.dst, '>')
		return open, true, nil
	case '"':
		c.i++
		c.dst = append(c.dst, '>')
		if err := c.text(); err != nil {
			return open, false, err
		}
	case 'n':
		if !c.literal("null") {
			return open, false, ErrInvalidJSON
		}
		c.dst = append(c.dst, nilEnd...)
		return open, false, nil
	case 't':
		if !c.literal("true") {
			return open, false, ErrInvalidJSON
		}
		c.dst = append(c.dst, ">true"...)
	case 'f':
		if !c.literal("false") {
			return open, false, ErrInvalidJSON
		}
		c.dst = append(c.dst, ">false"...)
	default:
		from := c.i
		if !c.number() {
			return open, false, ErrInvalidJSON
		}
		c.dst = append(c.dst, '>')
		c.dst = append(c.dst, c.src[from:c.i]...)
	}
	c.closeTag(start, end)
	return open, false, nil
}

// containers converts the members of outermost, an open array or object,
// and of the ones it holds, until it closes.
func (c *converter) containers(outermost frame) error {
	var small [32]frame
	stack := append(small[:0], outermost)
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		c.skipSpace()
		closer := byte('}')
		if top.array {
			closer = ']'
		}
		switch b := c.at(); {
		case b == closer:
			c.i++
			c.closeTag(top.nameStart, top.nameEnd)
			stack = stack[:len(stack)-1]
			continue
		case top.count > 0 && b == ',':
			c.i++
			c.skipSpace()
		case top.count > 0:
			return ErrInvalidJSON
		}
		top.count++
		c.dst = append(c.dst, '<')
		start := len(c.dst)
		if top.array {
			c.dst = append(c.dst, top.item...)
		} else if err := c.member(); err != nil {
			return err
		}
		end := len(c.dst)
		open, isOpen, err := c.value(start, end, ItemName)
		if err != nil {
			return err
		}
		if isOpen {
			if len(stack) >= MaxNesting {
				return ErrInvalidJSON
			}
			stack = append(stack, open)
		}
	}
	return nil
}

// member reads an object's key and the colon after it, and appends the
// key's element name.
func (c *converter) member() error {
	if c.at() != '"' {
		return ErrInvalidJSON
	}
	c.i++
	from := c.i
	escaped := false
	for ; c.i < len(c.src) && c.src[c.i] != '"'; c.i++ {
		switch b := c.src[c.i]; {
		case b == '\\':
			escaped = true
			c.i++
		case b < ' ':
			return ErrInvalidJSON
		}
	}
	if c.i >= len(c.src) {
		return ErrInvalidJSON
	}
	raw := c.src[from:c.i]
	c.i++
	if escaped {
		var buf [64]byte
		var ok bool
		if raw, ok = unescape(buf[:0], raw); !ok {
			return ErrInvalidJSON
		}
	}
	c.skipSpace()
	if c.at() != ':' {
		return ErrInvalidJSON
	}
	c.i++
	c.dst = appendName(c.dst, raw)
	return nil
}

func (c *converter) closeTag(start, end int) {
	c.dst = append(c.dst, '<', '/')
	c.dst = append(c.dst, c.dst[start:end]...)
	c.dst = append(c.dst, '>')
}

// at is the byte at c.i, or 0 at the end.
func (c *converter) at() byte {
	if c.i < len(c.src) {
		return c.src[c.i]
	}
	return 0
}

func (c *converter) skipSpace() {
	for c.i < len(c.src) {
		switch c.src[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

func (c *converter) literal(lit string) bool {
	if len(c.src)-c.i < len(lit) || string(c.src[c.i:c.i+len(lit)]) != lit {
		return false
	}
	c.i += len(lit)
	return true
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (c *converter) number() bool {
	if c.at() == '-' {
		c.i++
	}
	switch b := c.at(); {
	case b == '0':
		c.i++
	case '1' <= b && b <= '9':
		c.digits()
	default:
		return false
	}
	if c.at() == '.' {
		c.i++
		if c.digits() == 0 {
			return false
		}
	}
	if b := c.at(); b == 'e' || b == 'E' {
		c.i++
		if b := c.at(); b == '+' || b == '-' {
			c.i++
		}
		if c.digits() == 0 {
			return false
		}
	}
	return true
}

func (c *converter) digits() int {
	from := c.i
	for c.i < len(c.src) && '0' <= c.src[c.i] && c.src[c.i] <= '9' {
		c.i++
	}
	return c.i - from
}

// text appends the JSON string at c.i (after its opening quote) as element
// text, and moves past its closing quote.
func (c *converter) text() error {
	src := c.src
	for c.i < len(src) {
		from := c.i
		for c.i+8 <= len(src) && plainTextWord(binary.LittleEndian.Uint64(src[c.i:])) {
			c.i += 8
		}
		for c.i < len(src) && plainText[src[c.i]] {
			c.i++
		}
		c.dst = append(c.dst, src[from:c.i]...)
		if c.i >= len(src) {
			break
		}
		switch b := src[c.i]; {
		case b == '"':
			c.i++
			return nil
		case b == '\\':
			r, n, ok := unescapeOne(src[c.i:])
			if !ok {
				return ErrInvalidJSON
			}
			c.i += n
			c.dst = appendTextRune(c.dst, r)
		case b < ' ':
			return ErrInvalidJSON
		case b < utf8.RuneSelf: // < > &
			c.dst = appendTextRune(c.dst, rune(b))
			c.i++
		default:
			r, n := utf8.DecodeRune(src[c.i:])
			c.i += n
			if r == utf8.RuneError && n == 1 {
				c.dst = utf8.AppendRune(c.dst, utf8.RuneError)
			} else if r == 0xFFFE || r == 0xFFFF {
				c.dst = utf8.AppendRune(c.dst, utf8.RuneError)
			} else {
				c.dst = append(c.dst, src[c.i-n:c.i]...)
			}
		}
	}
	return ErrInvalidJSON
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
	for _, special := range [...]uint64{'"', '\\', '<', '>', '&'} {
		x := w ^ (ones * special)
		has |= (x - ones) &^ x
	}
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
		r, ok := hex4(s[2:])
		if !ok {
			return 0, 0, false
		}
		if 0xD800 <= r && r < 0xDC00 && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hex4(s[8:]); ok && 0xDC00 <= lo && lo <= 0xDFFF {
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

func hex4(s []byte) (rune, bool) {
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
