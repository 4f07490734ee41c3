// Package selection reads a $select query parameter and projects JSON
// documents by it: every key is kept, in its order and spelling, and what
// is not selected becomes null, as the reference pages say: "Other fields
// are then nulled out to reduce payload size".
//
//	sel, err := selection.Parse([]string{"ChatSessionId,User/FullName"}, 256)
//	out, err := sel.Project(nil, answer)
//
// Names are compared case-insensitively and as data: ".", "*", "#" and "|"
// are ordinary characters, never path syntax. A path into an array applies
// to each element; a top-level scalar is left as it is. Rewrite is the
// single pass that Project is one case of: the projection, string rewrites
// (Rewriter: dates and languages) and shaping (Shape: an agent method's
// return type) together, on chatgate's JSON engine; a Cache remembers
// parsed selections.
//
// The directory is select/; select is a Go keyword, so the package is named
// selection. It imports nothing from Caddy.
package selection
