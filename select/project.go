package selection

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrInvalidJSON is returned for a document that is not valid JSON
// (RFC 8259), or nests arrays and objects deeper than MaxNesting.
var ErrInvalidJSON = errors.New("the document is not valid JSON")

// MaxNesting is the deepest nesting of arrays and objects a document may have.
const MaxNesting = 10000

// Project appends src to dst with everything s does not select nulled out:
// every key stays, in its order and spelling; a key that is not selected
// gets null; a path into an array applies to each element, and a top-level
// array has each element projected. A scalar where the selection goes on
// below it selects nothing and becomes null. Names are compared as data,
// case-insensitively; they are never a query language.
//
// The whole document is validated in the same single pass; on
// ErrInvalidJSON, dst is returned as it was. A leading UTF-8 byte order mark
// is allowed and dropped. Values kept whole are copied byte for byte;
// white space between the tokens the projection walks through is dropped.
func (s *Selection) Project(dst, src []byte) ([]byte, error) {
	return Rewrite(dst, src, s, nil, nil)
}

// Strings rewrites the string values a pass keeps. raw is the JSON string
// as written, quotes included; key is the raw name of the property it is
// the value of (for an array item, the array's), nil at the top level.
// Rewrite appends the replacement JSON string to dst, or reports false to
// keep raw.
type Strings interface {
	Rewrite(dst, key, raw []byte) ([]byte, bool)
}

// Shape is the expected shape of a JSON value (an agent method's return
// type), consulted as the pass walks the value: it spells keys as the type
// does and writes scalars as the type writes them (an enum number as its
// member name). Shaping comes before the projection and the string
// rewrites, so both see the keys as the shape spells them.
type Shape interface {
	// Field returns key's name as the shape spells it (plain text that needs
	// no JSON escape, owned by the shape and never changed) and the shape of
	// its value (nil: unshaped). ok false: an unknown key, written as it
	// came. key is the raw name without its quotes, escapes undone.
	Field(key []byte) (name []byte, value Shape, ok bool)
	// Elem is the shape of an array's elements (nil: unshaped).
	Elem() Shape
	// Scalar appends the scalar raw (a JSON number, string, true, false or
	// null, as written) as the shape writes it, or reports false to keep raw.
	Scalar(dst, raw []byte) ([]byte, bool)
}

// everything selects a whole document.
var everything = &node{whole: true}

// Rewrite is the single pass that Project is one case of: it projects src
// by sel (nil: keep everything) and has strs (nil: none) rewrite every
// string value kept, appending the result to dst. It validates as Project
// does.
//
// shape (nil: none) shapes the document first, as Shape says.
func Rewrite(dst, src []byte, sel *Selection, strs Strings, shape Shape) ([]byte, error) {
	p := projector{src: bytes.TrimPrefix(src, utf8BOM), dst: dst, strs: strs}
	root := everything
	if sel != nil {
		root = &sel.root
	}
	p.skipSpace()
	if err := p.value(root, shape); err != nil {
		return dst, err
	}
	p.skipSpace()
	if p.i != len(p.src) {
		return dst, ErrInvalidJSON
	}
	return p.dst, nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// projector is one pass over src, appending to dst.
type projector struct {
	src, dst []byte
	i        int // next byte of src
	depth    int
	name     []byte // scratch: a key unescaped
	strs     Strings
	key      []byte // the raw name of the property being written
	scalar   []byte // scratch: a shaped scalar
}

// at returns the byte at the cursor, or 0 at the end (0 is never valid JSON
// where at is asked).
func (p *projector) at() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

func (p *projector) skipSpace() {
	for p.i < len(p.src) {
		switch p.src[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value writes the value at the cursor as n selects it and s shapes it.
func (p *projector) value(n *node, s Shape) error {
	if n.whole && (p.strs != nil || s != nil) {
		return p.keep(s)
	}
	if n.whole {
		start := p.i
		if err := p.skip(); err != nil {
			return err
		}
		p.dst = append(p.dst, p.src[start:p.i]...)
		return nil
	}
	switch p.at() {
	case '{':
		return p.object(n, s)
	case '[':
		return p.array(n, s)
	}
	if err := p.skip(); err != nil {
		return err
	}
	p.dst = append(p.dst, "null"...)
	return nil
}

func (p *projector) object(n *node, s Shape) error {
	if p.depth++; p.depth > MaxNesting {
		return ErrInvalidJSON
	}
	p.i++
	p.dst = append(p.dst, '{')
	p.skipSpace()
	if p.at() == '}' {
		p.i++
		p.depth--
		p.dst = append(p.dst, '}')
		return nil
	}
	for {
		if p.at() != '"' {
			return ErrInvalidJSON
		}
		start := p.i
		escaped, err := p.skipString()
		if err != nil {
			return err
		}
		key := p.src[start:p.i]
		name := key[1 : len(key)-1]
		var valueShape Shape
		shaped := false
		if s != nil {
			name, valueShape, shaped = p.shapeKey(s, name, escaped)
			escaped = escaped && !shaped
		}
		if shaped { // the shape's spelling needs no escape
			p.dst = append(append(append(p.dst, '"'), name...), '"')
		} else {
			p.dst = append(p.dst, key...)
		}
		p.skipSpace()
		if p.at() != ':' {
			return ErrInvalidJSON
		}
		p.i++
		p.dst = append(p.dst, ':')
		p.skipSpace()
		if child := p.lookup(n, name, escaped); child != nil {
			outer := p.key
			p.key = name
			err = p.value(child, valueShape)
			p.key = outer
		} else {
			err = p.skip()
			p.dst = append(p.dst, "null"...)
		}
		if err != nil {
			return err
		}
		p.skipSpace()
		switch p.at() {
		case ',':
			p.i++
			p.dst = append(p.dst, ',')
			p.skipSpace()
		case '}':
			p.i++
			p.depth--
			p.dst = append(p.dst, '}')
			return nil
		default:
			return ErrInvalidJSON
		}
	}
}

func (p *projector) array(n *node, s Shape) error {
	var elem Shape
	if s != nil {
		elem = s.Elem()
	}
	if p.depth++; p.depth > MaxNesting {
		return ErrInvalidJSON
	}
	p.i++
	p.dst = append(p.dst, '[')
	p.skipSpace()
	if p.at() == ']' {
		p.i++
		p.depth--
		p.dst = append(p.dst, ']')
		return nil
	}
	for {
		if err := p.value(n, elem); err != nil {
			return err
		}
		p.skipSpace()
		switch p.at() {
		case ',':
			p.i++
			p.dst = append(p.dst, ',')
			p.skipSpace()
		case ']':
			p.i++
			p.depth--
			p.dst = append(p.dst, ']')
			return nil
		default:
			return ErrInvalidJSON
		}
	}
}

// keep writes the value at the cursor whole, shaped by s, with its strings
// rewritten.
func (p *projector) keep(s Shape) error {
	switch p.at() {
	case '{':
		return p.object(everything, s)
	case '[':
		return p.array(everything, s)
	}
	start := p.i
	var err error
	if p.at() == '"' {
		_, err = p.skipString()
	} else {
		err = p.skip()
	}
	if err != nil {
		return err
	}
	raw := p.src[start:p.i]
	if s != nil {
		if out, ok := s.Scalar(p.dst, raw); ok {
			raw = out[len(p.dst):]
			if raw[0] != '"' || p.strs == nil {
				p.dst = out
				return nil
			}
			// A shaped string (an enum name) is still a string to rewrite:
			// copy it out of dst's tail before dst is written again.
			p.scalar = append(p.scalar[:0], raw...)
			raw = p.scalar
		}
	}
	if raw[0] == '"' && p.strs != nil {
		if out, ok := p.strs.Rewrite(p.dst, p.key, raw); ok {
			p.dst = out
			return nil
		}
	}
	p.dst = append(p.dst, raw...)
	return nil
}

// shapeKey spells the raw name (without quotes) as s does, and returns the
// shape of its value and whether s knew the name. An unknown name comes
// back as it was.
func (p *projector) shapeKey(s Shape, raw []byte, escaped bool) ([]byte, Shape, bool) {
	name := raw
	if escaped {
		p.name = appendUnescaped(p.name[:0], raw)
		name = p.name
	}
	spelled, value, ok := s.Field(name)
	if !ok {
		return raw, value, false
	}
	return spelled, value, true
}

// lookup finds the child of n that the raw key (without its quotes) names.
// Most keys are not selected, so a key whose length no ASCII child has is
// turned away before any byte is compared.
func (p *projector) lookup(n *node, raw []byte, escaped bool) *node {
	if n.whole {
		return n // inside a value kept whole: every child is kept whole
	}
	name := raw
	if escaped {
		p.name = appendUnescaped(p.name[:0], raw)
		name = p.name
	}
	if n.lengths&lengthBit(len(name)) != 0 {
		for _, c := range n.ascii {
			if asciiEqualFoldLower(name, c.name) {
				return c.node
			}
		}
	}
	for _, c := range n.nonASCII {
		if bytes.EqualFold(c.name, name) {
			return c.node
		}
	}
	return nil
}

// asciiEqualFoldLower compares s, in any case, with the lower-cased ASCII
// name lower.
func asciiEqualFoldLower(s, lower []byte) bool {
	if len(s) != len(lower) {
		return false
	}
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
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
