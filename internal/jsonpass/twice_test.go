package jsonpass

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// caseShape spells "a" in any case as "A", with one slice, and its value
// with the same shape; other keys are its own.
type caseShape struct{}

var spelledA = []byte("A")

func (caseShape) Field(key []byte) ([]byte, Shape, bool) {
	if strings.EqualFold(string(key), "a") {
		return spelledA, caseShape{}, true
	}
	return nil, nil, false
}
func (caseShape) Elem() Shape                           { return caseShape{} }
func (caseShape) Scalar(dst, raw []byte) ([]byte, bool) { return dst, false }

// TestTwiceError: two keys of one object that a shape spells as one name
// (or one key twice) are a *TwiceError, whole and in any two pieces, JSON
// and XML; the name in other objects, nested or beside, is not.
func TestTwiceError(t *testing.T) {
	for _, tc := range []struct {
		doc   string
		twice bool
	}{
		{`{"a":1,"x":2,"A":3}`, true},
		{`{"a":1,"a":2}`, true},
		{`[{"a":1},{"b":{"a":{"a":2}}}]`, false},
		{`{"a":{"a":1,"b":2},"b":3}`, false},
		{`{"a":[{"x":1},{"a":1,"A":2}]}`, true},
		{`{"x":1,"X":2}`, false}, // unshaped keys: as they came
	} {
		for _, xml := range []bool{false, true} {
			opt := Options{Shape: caseShape{}}
			if xml {
				opt.XMLRoot = "r"
			}
			for cut := 0; cut <= len(tc.doc); cut++ {
				var out bytes.Buffer
				p := New(&out, opt)
				_, err := p.Write([]byte(tc.doc[:cut]))
				if err == nil {
					_, err = p.Write([]byte(tc.doc[cut:]))
				}
				if err == nil {
					err = p.Close()
				}
				var te *TwiceError
				if tc.twice != errors.As(err, &te) || !tc.twice && err != nil || tc.twice && te.Name != "A" {
					t.Fatalf("%s (XML %v) cut at %d: %v", tc.doc, xml, cut, err)
				}
			}
		}
	}
}
