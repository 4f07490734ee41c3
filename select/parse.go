// Package selection reads a $select query parameter and projects JSON
// documents by it: every key is kept, in its order and spelling, and what
// is not selected becomes null, as the reference pages say: "Other fields
// are then nulled out to reduce payload size".
//
// The directory is select/; select is a Go keyword, so the package is named
// selection. It imports nothing from Caddy.
package selection

import (
	"bytes"
	"fmt"
	"strings"
)

// MaxDepth is the most names one $select path may have.
const MaxDepth = 32

// Error is a $select the client must correct (HTTP 400). Its message never
// repeats the client's text.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// Selection is a parsed $select: a tree of the property paths to keep.
type Selection struct {
	root node
}

// node is one level of the tree. A whole node keeps its value as it is;
// otherwise only its children are kept.
type node struct {
	whole    bool
	ascii    []namedNode // children with ASCII names, lower-cased
	lengths  uint64      // bit l: an ASCII child's name is l bytes long (l >= 63: bit 63)
	nonASCII []namedNode // children with other names, matched by Unicode case folding
}

type namedNode struct {
	name []byte
	node *node
}

// Parse reads the values of every $select parameter of a request (repeated
// parameters merge). Items are separated by commas and trimmed; empty items
// are ignored; a "/" separates the names of a nested path, each trimmed.
// Parse returns nil, meaning "everything", when there is no item or an item
// is "*". More than maxPaths items, a path of more than MaxDepth names, or
// an empty name inside a path is an *Error.
func Parse(values []string, maxPaths int) (*Selection, error) {
	var sel Selection
	paths, all := 0, false
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if paths++; paths > maxPaths {
				return nil, &Error{fmt.Sprintf("$select has more than %d paths", maxPaths)}
			}
			if item == "*" {
				all = true
				continue
			}
			if err := sel.root.add(item); err != nil {
				return nil, err
			}
		}
	}
	if all || paths == 0 {
		return nil, nil
	}
	return &sel, nil
}

// add puts one path below n. A path ending at a node makes it whole, and a
// whole node wins over any longer path through it.
func (n *node) add(path string) error {
	if strings.Count(path, "/") >= MaxDepth {
		return &Error{fmt.Sprintf("a $select path has more than %d names", MaxDepth)}
	}
	for name := range strings.SplitSeq(path, "/") {
		name = strings.TrimSpace(name)
		if name == "" {
			return &Error{"a $select path has an empty name"}
		}
		n = n.child(name)
	}
	n.whole = true
	return nil
}

// child returns the child named name, making it if need be.
func (n *node) child(name string) *node {
	if isASCII(name) {
		lower := []byte(strings.ToLower(name))
		for _, c := range n.ascii {
			if bytes.Equal(c.name, lower) {
				return c.node
			}
		}
		c := &node{}
		n.ascii = append(n.ascii, namedNode{lower, c})
		n.lengths |= lengthBit(len(lower))
		return c
	}
	for _, c := range n.nonASCII {
		if bytes.EqualFold(c.name, []byte(name)) {
			return c.node
		}
	}
	c := &node{}
	n.nonASCII = append(n.nonASCII, namedNode{[]byte(name), c})
	return c
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
