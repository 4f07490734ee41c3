package agent

import (
	"math"
	"strconv"

	selection "github.com/chatgate/chatgate/select"
)

// Shapes shape a backend's answers to the catalogue's types, as the
// official clients read them: property names spelled as the catalogue
// spells them (the clients read PascalCase keys only), enum and flag numbers
// written as member names (the clients fail on a numeric flags value), and
// every property the catalogue does not know kept as it came. A Shape is a
// selection.Shape: the single pass over the answer consults it as it walks,
// so shaping holds no tree of the answer.
type Shapes struct {
	byType   map[*TypeRef]*Shape
	metadata []propRef // the carriers' metadata (Catalog.Metadata), spelled, and their values' shapes
}

// Shape is the shape of one type, or of a map of one type's values.
type Shape struct {
	t        *TypeRef
	elem     *Shape                // an array's elements
	props    map[*Property]propRef // a carrier's properties
	metadata []propRef             // a carrier's metadata: the Shapes', a map's keys spelled as the carrier's properties
	values   *Shape                // a map's values (t is nil)
	keysOf   *Shape                // a map's keys: the properties of this carrier, spelled as it spells them; others kept as they came
}

type propRef struct {
	name  []byte
	shape *Shape
}

// NewShapes makes the shapes of every type c's methods return, once, and
// of the carriers' metadata.
func NewShapes(c *Catalog) *Shapes {
	s := &Shapes{byType: make(map[*TypeRef]*Shape)}
	for _, m := range c.Metadata() {
		ref := propRef{name: []byte(m.Name), shape: s.of(m.Type)}
		if m.Map && ref.shape != nil {
			ref.shape = &Shape{values: ref.shape} // each carrier's own, with its keys (of)
		}
		s.metadata = append(s.metadata, ref)
	}
	for _, m := range c.Methods {
		s.of(m.Returns)
	}
	return s
}

// Of is the shape of answers of type t; nil for a type with nothing to
// shape (void, a string, a boolean).
func (s *Shapes) Of(t *TypeRef) selection.Shape {
	if sh := s.byType[t]; sh != nil {
		return sh
	}
	return nil
}

func (s *Shapes) of(t *TypeRef) *Shape {
	if t == nil {
		return nil
	}
	if sh, ok := s.byType[t]; ok {
		return sh
	}
	if !t.Array && t.Type == nil && t.Enum == nil && !reshapedScalar(t.Scalar) {
		s.byType[t] = nil // a string, a date, a map...: nothing to shape
		return nil
	}
	sh := &Shape{t: t}
	s.byType[t] = sh // before the parts: types may hold themselves (MDOListItem.ChildItems)
	if t.Type != nil && t.Type.Carrier {
		for _, ref := range s.metadata {
			if ref.shape != nil && ref.shape.values != nil {
				ref.shape = &Shape{values: ref.shape.values, keysOf: sh}
			}
			sh.metadata = append(sh.metadata, ref)
		}
	}
	switch {
	case t.Array:
		sh.elem = s.of(t.Elem())
	case t.Type != nil:
		sh.props = make(map[*Property]propRef, len(t.Type.Properties))
		for _, p := range t.Type.Properties {
			sh.props[p] = propRef{name: []byte(p.Name), shape: s.of(p.Type)}
		}
	}
	return sh
}

// Field spells key as the type does and returns the shape of its value;
// a map's keys it keeps as they came (a nil name), its values shaped.
func (sh *Shape) Field(key []byte) ([]byte, selection.Shape, bool) {
	if sh.values != nil {
		if p := sh.keysOf.t.Type.Property(key); p != nil {
			return sh.keysOf.props[p].name, sh.values, true
		}
		return nil, sh.values, true
	}
	if sh.props == nil { // not a carrier (a list's shape has its element's Type too)
		return nil, nil, false
	}
	if p := sh.t.Type.Property(key); p != nil {
		return sh.props[p].spelled()
	}
	if sh.t.Type.Carrier {
		for _, m := range sh.metadata {
			if EqualFold(key, m.name) {
				return m.spelled()
			}
		}
	}
	return nil, nil, false
}

// spelled is Field's answer for the property or metadata ref: a nil shape
// as a nil selection.Shape.
func (ref propRef) spelled() ([]byte, selection.Shape, bool) {
	if ref.shape == nil {
		return ref.name, nil, true
	}
	return ref.name, ref.shape, true
}

// Elem is the shape of an array's elements.
func (sh *Shape) Elem() selection.Shape {
	if sh.elem == nil {
		return nil
	}
	return sh.elem
}

// Scalar writes an enum's number as its member name (a flags value as its
// names joined by ", "; one no member names as its number in a string) and a member name in another case as the catalogue
// spells it; a boolean a legacy backend writes as 0 or 1, or as a string,
// as true or false; a number it writes as a string of digits as a number.
// Other scalars stay as they came.
func (sh *Shape) Scalar(dst, raw []byte) ([]byte, bool) {
	if len(raw) == 0 || sh.t == nil { // a map's scalar value stays
		return dst, false
	}
	switch sh.t.Scalar {
	case ScalarBoolean:
		return appendBoolean(dst, raw)
	case ScalarId, ScalarRecordId, ScalarInt32:
		return appendInt32(dst, raw)
	case ScalarNumber:
		return appendNumber(dst, raw)
	}
	e := sh.t.Enum
	if e == nil {
		return dst, false
	}
	var n int64
	switch {
	case raw[0] == '-' || ('0' <= raw[0] && raw[0] <= '9'):
		v, ok := parseIntegral(raw)
		if !ok { // no member's number (4.5, 1e400): its text in a string, as an unnamed number is
			return append(append(append(dst, '"'), raw...), '"'), true
		}
		n = v
	case raw[0] == '"' && e.Flags:
		v, ok := e.ParseFlags(string(raw[1 : len(raw)-1]))
		if !ok {
			return dst, false
		}
		n = v
	case raw[0] == '"':
		v, ok := e.Value(string(raw[1 : len(raw)-1]))
		if !ok {
			// a member's number as a string ("4")
			if v, ok = parseInt(raw[1 : len(raw)-1]); !ok {
				return dst, false
			}
		}
		n = v
	default:
		return dst, false
	}
	start := len(dst)
	dst = append(dst, '"')
	ok := false
	if e.Flags {
		dst, ok = e.AppendFlags(dst, n)
	} else {
		var name string
		if name, ok = e.NameOf(n); ok {
			dst = append(dst, name...)
		}
	}
	if !ok {
		// A value no member (or set of members) names is its number, as a
		// string, as .NET's Enum.ToString writes it: a flags number the
		// official client cannot read (it throws on one).
		dst = strconv.AppendInt(dst[:start+1], n, 10)
	}
	return append(dst, '"'), true
}

// reshapedScalar reports the scalar types whose legacy spellings Scalar
// mends.
func reshapedScalar(s Scalar) bool {
	return s == ScalarBoolean || s == ScalarId || s == ScalarRecordId || s == ScalarInt32 || s == ScalarNumber
}

// appendBoolean writes 0, 1, "true" and "false" (any case) as JSON
// booleans.
func appendBoolean(dst, raw []byte) ([]byte, bool) {
	switch {
	case len(raw) == 1 && raw[0] == '0', EqualFold(raw, []byte(`"false"`)):
		return append(dst, "false"...), true
	case len(raw) == 1 && raw[0] == '1', EqualFold(raw, []byte(`"true"`)):
		return append(dst, "true"...), true
	}
	return dst, false
}

// appendInt32 writes a string of an Int32's digits (an optional '-', then
// digits: "157") as the number it holds; one out of Int32's range, or with
// a fraction, stays as it came.
func appendInt32(dst, raw []byte) ([]byte, bool) {
	if len(raw) < 3 || raw[0] != '"' {
		return dst, false
	}
	digits := raw[1 : len(raw)-1]
	v, ok := parseInt(digits)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 || len(digits) > 1 && digits[0] == '0' || len(digits) > 2 && digits[0] == '-' && digits[1] == '0' {
		return dst, false // not an Int32 as JSON writes it: left as it came
	}
	return append(dst, digits...), true
}

// parseIntegral reads a JSON number that is a whole number, in any of its
// forms (4, 4.0, 4e0, 40E-1), without allocating in the usual case.
func parseIntegral(raw []byte) (int64, bool) {
	if v, ok := parseInt(raw); ok {
		return v, true
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// appendNumber writes a string of digits (an optional '-', then digits and
// at most one '.') as the number it holds.
func appendNumber(dst, raw []byte) ([]byte, bool) {
	if len(raw) < 3 || raw[0] != '"' {
		return dst, false
	}
	digits := raw[1 : len(raw)-1]
	if digits[0] == '-' {
		digits = digits[1:]
	}
	dots := 0
	for i, c := range digits {
		switch {
		case c == '.' && i > 0 && i < len(digits)-1:
			dots++
		case c < '0' || c > '9':
			return dst, false
		}
	}
	if len(digits) == 0 || dots > 1 || (len(digits) > 1 && digits[0] == '0' && digits[1] != '.') {
		return dst, false // not a JSON number: left as it came
	}
	return append(dst, raw[1:len(raw)-1]...), true
}

// parseInt reads a JSON integer without allocating; false for a fraction,
// an exponent or more than 18 digits.
func parseInt(raw []byte) (int64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	neg := raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	if len(raw) == 0 || len(raw) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// Interface guard
var _ selection.Shape = (*Shape)(nil)
