package agent

import (
	"io"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// KindError is a backend's answer whose value is not of the kind the
// method returns: an object where it returns a list, a list where it
// returns an entity, a list or an object where it returns a scalar. The
// official clients cannot read it as the method's, and shaping it as the
// method's type would make nonsense of it.
type KindError struct {
	Got     string // "an object", "a list", "a string", ...
	Returns *TypeRef
}

func (e *KindError) Error() string {
	return "the backend's answer is " + e.Got + ", where the method returns " + e.Returns.Name
}

// KindWriter passes an answer's value on to w as it comes, and checks its
// first byte (after white space, and a byte order mark at the very start)
// against the method's return type: a list must be a JSON array or null, a
// carrier or a map an object or null, any other type (a scalar) neither an
// array nor an object. The first byte that is not one is a *KindError,
// before anything of the value goes on. A list's null goes on as [] (the
// official client reads it so: no list method resolves to null), its four
// bytes checked here.
type KindWriter struct {
	w       io.Writer
	returns *TypeRef
	head    int  // bytes of a leading byte order mark read (-1: the answer did not begin with one)
	seen    bool // the value's first byte came
	null    int  // bytes of a list's null read (0: none)
}

// NewKindWriter returns a KindWriter that checks the answer of a method
// that returns returns.
func NewKindWriter(w io.Writer, returns *TypeRef) *KindWriter {
	return &KindWriter{w: w, returns: returns}
}

// Write checks the value's first byte, once, and passes p on.
func (k *KindWriter) Write(p []byte) (int, error) {
	n := len(p)
	for i := 0; !k.seen && i < len(p); i++ {
		c := p[i]
		switch {
		case k.head >= 0 && k.head < len(bom) && c == bom[k.head]:
			k.head++
			continue
		case k.head > 0 && k.head < len(bom):
			k.head, k.seen = -1, true // a mark cut short: no JSON, the pass refuses it
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			k.head = -1
			continue
		}
		k.head, k.seen = -1, true
		if err := k.check(c); err != nil {
			return 0, err
		}
		if k.null == 0 {
			break
		}
		// A list's null: what came before it goes on, then [] for it.
		if _, err := k.w.Write(p[:i]); err != nil {
			return 0, err
		}
		p = p[i:]
		break
	}
	if k.null > 0 && k.null <= len("null") {
		for len(p) > 0 && k.null <= len("null") {
			if p[0] != "null"[k.null-1] {
				return 0, jsonpass.ErrInvalidJSON // began as null and went on otherwise
			}
			p = p[1:]
			if k.null++; k.null > len("null") {
				if _, err := k.w.Write([]byte("[]")); err != nil {
					return 0, err
				}
			}
		}
	}
	if len(p) > 0 {
		if _, err := k.w.Write(p); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// check checks the value's first byte c against the return type.
func (k *KindWriter) check(c byte) error {
	got := ""
	switch c {
	case '[':
		got = "a list"
	case '{':
		got = "an object"
	case 'n':
		if k.returns.Array {
			k.null = 1 // its first byte, of four
		}
		return nil
	case '"':
		got = "a string"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f':
		got = "a number or a boolean"
	default:
		return nil // no JSON value: the pass refuses it
	}
	t := k.returns
	switch {
	case t.Array:
		if c == '[' {
			return nil
		}
	case t.Type != nil || t.Scalar == ScalarMap:
		if c == '{' {
			return nil
		}
	case t.Scalar == ScalarObject:
		return nil
	default: // a scalar or an enum
		if c != '[' && c != '{' {
			return nil
		}
	}
	return &KindError{Got: got, Returns: t}
}
