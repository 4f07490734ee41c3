package jsonpass

import (
	"bytes"
	"strings"
)

// Node is one level of a selection tree (the $select projection): a Whole
// node keeps its value as it is; otherwise only its children are kept and
// every other key becomes null. Names are compared as data,
// case-insensitively.
type Node struct {
	Whole    bool
	ascii    []namedNode // children with ASCII names, lower-cased
	lengths  uint64      // bit l: an ASCII child's name is l bytes long (l >= 63: bit 63)
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
		n.lengths |= lengthBit(len(lower))
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
// selected, so a key whose length no ASCII child has is turned away before
// any byte is compared.
func (n *Node) lookup(name []byte) *Node {
	if n.Whole {
		return n // inside a value kept whole: every child is kept whole
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

func lengthBit(l int) uint64 {
	return 1 << min(l, 63)
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
