package format

import (
	"sync"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// ErrInvalidJSON is returned for a document that is not valid JSON, or that
// nests deeper than MaxNesting.
var ErrInvalidJSON = jsonpass.ErrInvalidJSON

// MaxNesting bounds the depth of arrays and objects, as the projection does.
const MaxNesting = jsonpass.MaxNesting

// ItemName names each element of an array inside an answer; the elements of
// a top-level array are named after the entity instead.
const ItemName = jsonpass.ItemName

// ArrayPrefix makes the root of a top-level array: ArrayOfChatSessionEntity.
const ArrayPrefix = jsonpass.ArrayPrefix

// Declaration begins every XML answer and error body.
const Declaration = jsonpass.Declaration

// AppendXML appends the JSON document src to dst as an XML document, in one
// pass and without building a tree: it is the XML output of the JSON engine
// (jsonpass.Options.XMLRoot), with no other plug. The root element is named
// root, a valid XML name (see ValidName), or ArrayOf<root> for an array,
// whose elements are each a <root>. Each property is an element named after
// its key (see appendName), in order; a nested object is a nested element,
// each element of a nested array an <Item>; null is an empty element with
// i:nil="true"; strings, numbers and booleans are the element's text.
// Characters XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF, lone
// surrogates, bytes that are not UTF-8) become U+FFFD; a carriage return is
// written &#xD; so parsers keep it. src that is not valid JSON is
// ErrInvalidJSON (and dst comes back as it was). dst may be reused: then
// nothing is allocated in the steady state.
func AppendXML(dst, src []byte, root string) ([]byte, error) {
	p := passes.Get().(*jsonpass.Pass)
	defer passes.Put(p)
	return p.Append(dst, src, jsonpass.Options{XMLRoot: root})
}

// passes keeps the engine's scratch buffers between documents.
var passes = sync.Pool{New: func() any { return new(jsonpass.Pass) }}
