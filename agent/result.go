package agent

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// ResultError is a backend's answer without its result field, or with it
// more than once: an answer the method's result cannot be read from.
type ResultError struct {
	Path  []string
	Twice bool // the field (or an object on its way) is there more than once
}

func (e *ResultError) Error() string {
	if e.Twice {
		return "the backend's answer has more than one " + strings.Join(e.Path, ".") + " field"
	}
	return "the backend's answer has no " + strings.Join(e.Path, ".") + " field"
}

// maxResultKey bounds the key a ResultWriter reads to compare: a longer
// one cannot be a name of a result path.
const maxResultKey = 256

// ResultWriter takes a backend's answer as it arrives and writes on only
// its result: the value of the member named by path (objects within
// objects, each name matched case-insensitively), as it arrives, so that
// what it holds does not grow with the answer. Every byte of the answer
// is validated (by jsonpass, before it is read here); the result's bytes
// are written on as they came. An answer whose top-level value is not an
// object, that lacks a member of the path, or has one twice (two members
// whose names match one name, at any level of the path: which one was
// meant cannot be told) is a *ResultError, reported as soon as it is
// certain.
type ResultWriter struct {
	w     io.Writer
	path  []string
	valid *jsonpass.Pass
	took  []bool // took[l]: the object read for path[l] had its member

	begun    bool // the top-level value began
	depth    int  // open containers at this point of the answer
	level    int  // the object read for path[level] is at depth level+1
	inString bool
	escaped  bool // the last byte was a backslash within a string
	expect   expectation

	readingKey             bool // a key of the object read for path[level]
	key                    []byte
	keyTooLong, keyEscaped bool
	matched                bool // the key just read names path[level]

	// forwarding: the result's value is written on; it ends at a comma or
	// closing brace at depth forwardDepth.
	forwarding   bool
	forwardDepth int
	found        bool
	err          error
}

// expectation is what the object read for path[level] has next.
type expectation uint8

const (
	expectNothing expectation = iota
	expectKey
	expectColon
	expectValue
)

// NewResultWriter returns a ResultWriter that writes the result at path
// of the answer written to it on to w.
func NewResultWriter(w io.Writer, path []string) *ResultWriter {
	return &ResultWriter{w: w, path: path, valid: jsonpass.New(io.Discard, jsonpass.Options{}),
		took: make([]bool, len(path)), key: make([]byte, 0, 32)}
}

// Write takes the answer's next bytes: invalid JSON is jsonpass's error, a
// missing or repeated field a *ResultError, and w's error is returned as
// it came.
func (r *ResultWriter) Write(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if _, err := r.valid.Write(p); err != nil {
		r.err = err
		return 0, err
	}
	if err := r.read(p); err != nil {
		r.err = err
		return 0, err
	}
	return len(p), nil
}

// Close checks that the answer ended, valid, with its result found.
func (r *ResultWriter) Close() error {
	if r.err != nil {
		return r.err
	}
	if err := r.valid.Close(); err != nil {
		r.err = err
		return err
	}
	if !r.found {
		r.err = &ResultError{Path: r.path}
	}
	return r.err
}

// read follows p, the next part of a valid answer's prefix, and writes on
// the result's bytes within it.
func (r *ResultWriter) read(p []byte) error {
	start := -1 // where the result's bytes in p begin, while forwarding
	if r.forwarding {
		start = 0
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if r.inString && !r.readingKey {
			// a value's text: on to its closing quote at once
			if i = r.stringEnd(p, i); i == len(p) {
				break
			}
			r.inString = false
			continue
		}
		if r.inString {
			switch {
			case r.escaped:
				r.escaped = false
			case c == '\\':
				r.escaped = true
				r.keyEscaped = r.keyEscaped || r.readingKey
			case c == '"':
				r.inString = false
				if r.readingKey {
					if err := r.keyRead(); err != nil {
						return err
					}
				}
				continue
			}
			if r.readingKey {
				if len(r.key) == maxResultKey {
					r.keyTooLong = true
				} else {
					r.key = append(r.key, c)
				}
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if !r.begun {
			if c >= 0x80 { // a byte order mark, which jsonpass accepts only here
				continue
			}
			r.begun = true
			if c != '{' {
				return &ResultError{Path: r.path}
			}
			r.depth, r.expect = 1, expectKey
			continue
		}
		if r.forwarding && r.depth == r.forwardDepth && (c == ',' || c == '}') {
			if i > start {
				if _, err := r.w.Write(p[start:i]); err != nil {
					return err
				}
			}
			r.forwarding, start = false, -1
		}
		switch r.expect {
		case expectColon: // valid JSON: c is the colon
			r.expect = expectValue
			continue
		case expectValue:
			r.expect = expectNothing
			if r.matched {
				if r.level == len(r.path)-1 {
					r.found, r.forwarding, r.forwardDepth, start = true, true, r.depth, i
				} else {
					if c != '{' {
						return &ResultError{Path: r.path}
					}
					r.level++
					r.depth++
					r.expect = expectKey
					continue
				}
			}
		}
		switch c {
		case '"':
			r.inString = true
			if r.expect == expectKey {
				r.expect, r.readingKey = expectNothing, true
				r.key, r.keyTooLong, r.keyEscaped = r.key[:0], false, false
			}
		case '{', '[':
			r.depth++
		case '}', ']':
			if r.depth == r.level+1 {
				// the object read for path[level] ends
				if !r.took[r.level] {
					return &ResultError{Path: r.path}
				}
				r.level = max(r.level-1, 0)
			}
			r.depth--
		case ',':
			if r.depth == r.level+1 {
				r.expect = expectKey
			}
		}
	}
	if r.forwarding && start < len(p) {
		if _, err := r.w.Write(p[start:]); err != nil {
			return err
		}
	}
	return nil
}

// Found reports whether the result's value has begun.
func (r *ResultWriter) Found() bool { return r.found }

// stringEnd returns where the string p[i:] is in (its text, or after a
// backslash when escaped) closes: the index of its closing quote, or
// len(p) when p ends first, with escaped set for the next bytes.
func (r *ResultWriter) stringEnd(p []byte, i int) int {
	from := i // backslashes before it are not counted: they escaped or were escaped
	if r.escaped {
		r.escaped, from = false, i+1
	}
	for j := from; ; {
		k := bytes.IndexByte(p[j:], '"')
		end := j + k
		if k < 0 {
			end = len(p)
		}
		n := 0 // the backslashes right before end
		for end-1-n >= from && p[end-1-n] == '\\' {
			n++
		}
		if k < 0 {
			r.escaped = n%2 == 1
			return len(p)
		}
		if n%2 == 0 {
			return end
		}
		j, from = end+1, end+1
	}
}

// keyRead takes the key just read in the object read for path[level].
func (r *ResultWriter) keyRead() error {
	r.readingKey, r.expect = false, expectColon
	r.matched = false
	if r.keyTooLong {
		return nil
	}
	key := string(r.key)
	if r.keyEscaped {
		var unescaped string
		if json.Unmarshal([]byte(`"`+key+`"`), &unescaped) != nil {
			return nil
		}
		key = unescaped
	}
	if !EqualFold(key, r.path[r.level]) {
		return nil
	}
	if r.took[r.level] {
		return &ResultError{Path: r.path, Twice: true}
	}
	r.took[r.level], r.matched = true, true
	return nil
}
