// Package jsonpass is chatgate's one JSON engine: an incremental,
// validating JSON tokenizer that transforms a document in a single pass as
// its bytes arrive, and writes the result as it goes.
//
// A Pass has four plug points, all optional:
//
//   - a key filter, the $select projection (a *Node tree): keys not selected
//     become null, every key is kept in its order and spelling;
//   - a string rewriter (Rewriter: dates, languages, [SR_] references);
//   - a shaper (Shape: an agent method's return type spells keys and writes
//     scalars); shaping comes first, so the filter and the strings see the
//     keys as the shape spells them;
//   - the output: JSON, or XML (Options.XMLRoot) written from the same
//     tokens, so an XML answer is one pass too.
//
// A Pass keeps its state between writes: a stack of the open arrays and
// objects (each with its selection node and shape), the partial token at
// the end of a write, and the element names of XML. What it holds is
// bounded by the nesting depth and MaxHeld, not by the document's size: a
// string longer than MaxHeld streams through (and is not offered to the
// plugs: dates and language strings are short); a key longer than
// MaxHeld with its quotes, or a number longer than MaxHeld, is ErrTooLong.
//
// Feeding a document whole (Append) or in any split (Write ... Close)
// gives the same bytes.
//
// Most members of an array's objects repeat the keys of the one before:
// the member loops remember each member's start by position (knownKey)
// and write a run of known members in one tight loop (unselected): on
// amd64 with AVX2 an assembly loop (unselectedRun, plain_amd64.s) that
// reads their values 32 bytes at a time and writes their null members or
// selected scalars. A string the rewriter reads it writes as it came and
// lists for settle, which rewrites the listed strings in place when the
// loop ends (in XML it hands such strings to the member loops). A
// container the same, byte for byte, as the last one it read under that
// key in the same input it takes as valid without reading it again. One
// object of an array leads to the next within the member loops
// (nextObject), and in JSON within the assembly loop. Elsewhere, and for
// what those paths do not take, the Go loops and scanners read a word at
// a time.
//
// Whole documents go through Append (select.Rewrite, format.AppendXML and
// the response writer's small answers are thin wrappers over it); streams
// through New (or Reset), Write and Close, which is how the response
// writer transforms an answer past stream_threshold.
package jsonpass
