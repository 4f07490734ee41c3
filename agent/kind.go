package agent

import "io"

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
// first byte against the method's return type: a list must be a JSON
// array or null, a carrier or a map an object or null, any other type (a
// scalar) neither an array nor an object. The first byte that is not one
// is a *KindError, before anything of the value goes on. A list that is
// null is NullList: "nothing there", which a list method answers as [].
type KindWriter struct {
	w       io.Writer
	returns *TypeRef
	seen    bool // the value's first byte came
	null    bool
}

// NewKindWriter returns a KindWriter that checks the answer of a method
// that returns returns.
func NewKindWriter(w io.Writer, returns *TypeRef) *KindWriter {
	return &KindWriter{w: w, returns: returns}
}

// Write checks the value's first byte, once, and passes p on.
func (k *KindWriter) Write(p []byte) (int, error) {
	if !k.seen {
		for _, c := range p {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				continue
			}
			k.seen = true
			if err := k.check(c); err != nil {
				return 0, err
			}
			break
		}
	}
	return k.w.Write(p)
}

// NullList reports a list method's answer whose value is null (the pass
// after the KindWriter validates that it is).
func (k *KindWriter) NullList() bool { return k.null && k.returns.Array }

// check checks the value's first byte c against the return type.
func (k *KindWriter) check(c byte) error {
	got := ""
	switch c {
	case '[':
		got = "a list"
	case '{':
		got = "an object"
	case 'n':
		k.null = true
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
