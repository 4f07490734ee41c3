package jsonpass

import (
	"bytes"
	"strings"
)

// Node is one level of a selection tree (the $select projection): a Whole
// node keeps its value as it is; otherwise only its children are kept and
// every other key becomes null. Names are compared as data,
// case-insensitively. A tree is built, then only read: a Pass that used it
// remembers what its nodes said of the keys it met (selection.Parse's
// trees are never changed).
type Node struct {
	Whole    bool
	ascii    []namedNode // children with ASCII names, lower-cased
	names    nameFilter  // the ASCII children's names, for turning others away
	nonASCII []namedNode // children with other names, matched by Unicode case folding
}

type namedNode struct {
	name []byte
	node *Node
}

// Everything selects a whole document.
var Everything = &Node{Whole: true}

// Child returns the child named name, making it if need be.
func (n *Node) Child(name string) *Node {
	if isASCII(name) {
		lower := []byte(strings.ToLower(name))
		for _, c := range n.ascii {
			if bytes.Equal(c.name, lower) {
				return c.node
			}
		}
		c := &Node{}
		n.ascii = append(n.ascii, namedNode{lower, c})
		n.names.add(lower)
		return c
	}
	for _, c := range n.nonASCII {
		if bytes.EqualFold(c.name, []byte(name)) {
			return c.node
		}
	}
	c := &Node{}
	n.nonASCII = append(n.nonASCII, namedNode{[]byte(name), c})
	return c
}

// lookup finds the child of n named name (unescaped). Most keys are not
// selected, so a key the filter turns away is not compared with any name.
func (n *Node) lookup(name []byte) *Node {
	if n.Whole {
		return n // inside a value kept whole: every child is kept whole
	}
	if n.names.mayHold(name) {
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

// nameFilter is a Bloom filter of names by their length and their first
// and last bytes, in any ASCII case: in a selection's object, most keys
// differ from every selected name in one of these (Customer* keys share a
// length and a first letter, rarely a last one too).
type nameFilter [4]uint64

func nameBit(name []byte) uint {
	if len(name) == 0 {
		return 0
	}
	h := uint(len(name))*0x9E + uint(name[0]|0x20)*0x3B + uint(name[len(name)-1]|0x20)
	return h & 255
}

func (f *nameFilter) add(name []byte) {
	b := nameBit(name)
	f[b>>6] |= 1 << (b & 63)
}

// mayHold is false when no name added has name's length and first and last
// bytes, in any ASCII case.
func (f *nameFilter) mayHold(name []byte) bool {
	b := nameBit(name)
	return f[b>>6]&(1<<(b&63)) != 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
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

// child is lookupRaw for a key of an object of n, which a key the filter
// turns away skips.
func (n *Node) child(scratch *[]byte, raw []byte, escaped bool) *Node {
	if n.Whole {
		return n
	}
	if escaped || len(n.nonASCII) != 0 || n.names.mayHold(raw) {
		return n.lookupRaw(scratch, raw, escaped)
	}
	return nil
}

// lookupRaw is lookup for the raw name of a key (without its quotes),
// unescaped in *scratch if it holds escapes.
func (n *Node) lookupRaw(scratch *[]byte, raw []byte, escaped bool) *Node {
	if n.Whole {
		return n
	}
	if escaped {
		*scratch = appendUnescaped((*scratch)[:0], raw)
		raw = *scratch
	}
	return n.lookup(raw)
}
