package selection

import (
	"sync"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// ErrInvalidJSON is returned for a document that is not valid JSON
// (RFC 8259), or nests arrays and objects deeper than MaxNesting.
var ErrInvalidJSON = jsonpass.ErrInvalidJSON

// MaxNesting is the deepest nesting of arrays and objects a document may have.
const MaxNesting = jsonpass.MaxNesting

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

// StringRewriter rewrites the string values a pass keeps: see
// jsonpass.StringRewriter.
type StringRewriter = jsonpass.StringRewriter

// Shape is the expected shape of a JSON value: see jsonpass.Shape.
type Shape = jsonpass.Shape

// Node is the selection tree the engine reads (nil: everything).
func (s *Selection) Node() *jsonpass.Node {
	if s == nil {
		return nil
	}
	return &s.root
}

// Rewrite is the single pass that Project is one case of: it projects src
// by sel (nil: keep everything) and has strs (nil: none) rewrite every
// string value kept, appending the result to dst. It validates as Project
// does.
//
// shape (nil: none) shapes the document first, as Shape says.
func Rewrite(dst, src []byte, sel *Selection, strs StringRewriter, shape Shape) ([]byte, error) {
	p := passes.Get().(*jsonpass.Pass)
	defer passes.Put(p)
	return p.Append(dst, src, jsonpass.Options{Select: sel.Node(), Rewriter: strs, Shape: shape})
}

// passes keeps the engine's scratch buffers between documents.
var passes = sync.Pool{New: func() any { return new(jsonpass.Pass) }}
