package selection

import (
	"fmt"
	"strings"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// MaxDepth is the most names one $select path may have.
const MaxDepth = 32

// Error is a $select the client must correct (HTTP 400). Its message never
// repeats the client's text.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// Selection is a parsed $select: a tree of the property paths to keep.
type Selection struct {
	root jsonpass.Node
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
			if err := add(&sel.root, item); err != nil {
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
func add(n *jsonpass.Node, path string) error {
	if strings.Count(path, "/") >= MaxDepth {
		return &Error{fmt.Sprintf("a $select path has more than %d names", MaxDepth)}
	}
	for name := range strings.SplitSeq(path, "/") {
		name = strings.TrimSpace(name)
		if name == "" {
			return &Error{"a $select path has an empty name"}
		}
		n = n.Child(name)
	}
	n.Whole = true
	return nil
}
