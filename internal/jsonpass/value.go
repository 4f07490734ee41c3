package jsonpass

import (
	"encoding/binary"
	"slices"
	"sync/atomic"
)

// value handles the value at src[i]. more: src ends inside it; the
// returned index is where to go on from (the value's start, or, for a
// string that streams, its cut).
func (p *Pass) value(src []byte, i int, final bool) (int, bool, error) {
	c := src[i]
	mode := p.mode
	container := c == '{' || c == '['
	if mode == modeWalk {
		if !container && len(p.stack) == 0 {
			p.pNode = Everything // a top-level scalar is left as it is, whatever the selection
		}
		n := p.pNode
		switch {
		case n == nil || !n.Whole && !container:
			mode = modeSkip
			if container {
				p.writeNull()
			}
		case n.Whole && !p.xml && p.opt.Rewriter == nil && p.pShape == nil:
			mode = modeCopy
			p.copying, p.copyFrom, p.copyDepth = true, i, len(p.stack)
		}
		if mode == modeWalk {
			return p.walkValue(src, i, final)
		}
	}
	if container {
		// Most values skipped or copied end within the same write: one
		// tight loop over them, or the token machine where they do not.
		if end := skipFast(src, i, MaxNesting-len(p.stack)); end > 0 {
			p.valueDone(src, end)
			return end, false, nil
		}
		if err := p.open(c == '[', mode); err != nil {
			return i, false, err
		}
		return i + 1, false, nil
	}
	var j, st int
	if c == '"' {
		j, _, st = scanString(src, i+1)
		if st == scanMore && !final {
			if mode == modeSkip && p.mode == modeWalk {
				p.writeNull() // a string not selected: null now, the string streams on
			}
			p.inString, p.strXML, p.strKey = true, false, false
			return j, true, nil
		}
	} else {
		j, st = scanLiteralOrNumber(src, i, final)
	}
	if st != scanDone {
		more, err := unfinished(st, final)
		return i, more, err
	}
	if mode == modeSkip && p.mode == modeWalk {
		p.writeNull()
	}
	p.valueDone(src, j)
	return j, false, nil
}

// writeNull writes null for a value not selected.
func (p *Pass) writeNull() {
	if p.xml {
		p.elemStart(false)
		p.out = append(p.out, nilEnd...)
		return
	}
	p.out = append(p.out, "null"...)
}

// elemStart opens the XML element of the next value, up to its attributes.
func (p *Pass) elemStart(array bool) {
	if len(p.stack) == 0 {
		p.names = p.names[:0]
		if array {
			p.names = append(p.names, ArrayPrefix...)
		}
		p.names = append(p.names, p.opt.XMLRoot...)
		p.pNameStart, p.pNameEnd = 0, int32(len(p.names))
		p.out = append(append(append(p.out, '<'), p.names...), rootAttributes...)
		return
	}
	p.out = append(append(p.out, '<'), p.names[p.pNameStart:p.pNameEnd]...)
}

// walkValue handles a value selected (whole, with plugs or as XML, or a
// container the selection goes into).
func (p *Pass) walkValue(src []byte, i int, final bool) (int, bool, error) {
	c := src[i]
	if c == '{' || c == '[' {
		if err := p.open(c == '[', modeWalk); err != nil {
			return i, false, err
		}
		return i + 1, false, nil
	}
	plugs := p.opt.Rewriter != nil || p.pShape != nil
	var j, st int
	if c == '"' {
		j, _, st = scanString(src, i+1)
		// The plugs read a string of up to MaxHeld+2 bytes, quotes
		// included: held until more than MaxHeld+1 bytes came without its
		// end, it may still be one.
		if st == scanMore && !final && (!plugs || len(src)-i > MaxHeld+1) {
			// streams on, past the plugs
			if p.xml {
				j = utf8Cut(src, i+1, j)
				p.elemStart(false)
				p.out = appendText(append(p.out, '>'), src[i+1:j])
			} else {
				p.copying, p.copyFrom, p.copyDepth = true, i, len(p.stack)
			}
			p.inString, p.strXML, p.strKey = true, p.xml, false
			return j, true, nil
		}
		if st == scanDone && j-i > MaxHeld+2 {
			plugs = false
		}
	} else {
		j, st = scanLiteralOrNumber(src, i, final)
	}
	if st != scanDone {
		more, err := unfinished(st, final)
		return i, more, err
	}
	raw := src[i:j]
	if plugs {
		p.keep(raw)
	} else if p.xml {
		p.xmlScalar(raw)
	} else {
		p.out = append(p.out, raw...)
	}
	p.valueDone(src, j)
	return j, false, nil
}

// keep writes the scalar raw through the shape and the strings.
func (p *Pass) keep(raw []byte) {
	dst := p.out
	if p.xml {
		dst = p.tmp[:0]
	}
	start := len(dst)
	done := false
	if s := p.pShape; s != nil {
		if out, ok := s.Scalar(dst, raw); ok {
			raw = out[start:]
			if raw[0] != '"' || p.opt.Rewriter == nil {
				dst, done = out, true
			} else {
				// A shaped string (an enum name) is still a string to rewrite:
				// copy it out of dst's tail before dst is written again.
				p.name = append(p.name[:0], raw...)
				raw = p.name
				dst = out[:start]
			}
		}
	}
	if !done && raw[0] == '"' && p.opt.Rewriter != nil {
		var key []byte
		if p.pHasKey {
			key = p.keys[p.pKeyStart:p.pKeyEnd]
		}
		if out, ok := p.opt.Rewriter.Rewrite(dst, key, raw); ok {
			dst, done = out, true
		}
	}
	if !done {
		dst = append(dst, raw...)
	}
	if !p.xml {
		p.out = dst
		return
	}
	p.tmp = dst
	p.xmlScalar(dst[start:])
}

// xmlScalar writes the JSON scalar raw as an XML element.
func (p *Pass) xmlScalar(raw []byte) {
	p.elemStart(false)
	switch raw[0] {
	case 'n':
		p.out = append(p.out, nilEnd...)
		return
	case '"':
		p.out = appendText(append(p.out, '>'), raw[1:len(raw)-1])
	default:
		p.out = append(append(p.out, '>'), raw...)
	}
	p.closeTag(p.names[p.pNameStart:p.pNameEnd])
}

// resumeString goes on with a string that streams across writes.
func (p *Pass) resumeString(src []byte, final bool) (int, bool, error) {
	j, _, st := scanString(src, 0)
	switch st {
	case scanInvalid:
		return 0, false, ErrInvalidJSON
	case scanMore:
		if final {
			return 0, false, ErrInvalidJSON
		}
		if p.strXML {
			j = utf8Cut(src, 0, j)
			p.out = appendText(p.out, src[:j])
		}
		return j, true, nil
	}
	p.inString = false
	if p.strXML {
		p.out = appendText(p.out, src[:j-1])
		p.closeTag(p.names[p.pNameStart:p.pNameEnd])
	}
	if p.strKey {
		p.state = stColon
	} else {
		p.valueDone(src, j)
	}
	return j, false, nil
}

// key handles the key at src[i] (its opening quote) of the innermost
// object.
func (p *Pass) key(src []byte, i int, final bool) (int, bool, error) {
	f := p.top()
	j, escaped, st := scanString(src, i+1)
	switch st {
	case scanInvalid:
		return i, false, ErrInvalidJSON
	case scanMore:
		if final {
			return i, false, ErrInvalidJSON
		}
		if f.mode != modeWalk {
			p.inString, p.strXML, p.strKey = true, false, true
			return j, true, nil
		}
		if len(src)-i > MaxHeld {
			return i, false, ErrTooLong
		}
		return i, true, nil
	}
	if f.mode != modeWalk {
		return j, false, nil
	}
	if j-i > MaxHeld {
		return i, false, ErrTooLong
	}
	if err := p.keyName(f, src, i, j, escaped); err != nil {
		return i, false, err
	}
	return j, false, nil
}

// keyName takes the key src[i:j] (quotes included, at most MaxHeld bytes)
// of the walked object f: it writes the key (JSON) and sets up the
// member's value. A name its shape spelled before in the object is a
// *TwiceError.
func (p *Pass) keyName(f *frame, src []byte, i, j int, escaped bool) error {
	raw := src[i+1 : j-1]
	name := raw
	var valueShape Shape
	shaped := false
	if s := f.shape; s != nil {
		unescaped := raw
		if escaped {
			p.name = appendUnescaped(p.name[:0], raw)
			unescaped = p.name
		}
		var spelled []byte
		spelled, valueShape, shaped = s.Field(unescaped)
		if shaped = shaped && spelled != nil; shaped {
			name, escaped = spelled, false
			first := &spelled[0]
			for _, seen := range p.spelled[f.spelledBase:] {
				if seen == first {
					return &TwiceError{Name: string(spelled)}
				}
			}
			p.spelled = append(p.spelled, first)
		}
	}
	if !p.xml {
		if shaped { // the shape's spelling needs no escape
			p.out = append(append(append(p.out, '"'), name...), '"')
		} else {
			p.out = append(p.out, src[i:j]...)
		}
	}
	// the selection
	child := f.node
	if !child.Whole {
		lookup := name
		if escaped {
			p.name = appendUnescaped(p.name[:0], raw)
			lookup = p.name
		}
		child = child.lookup(lookup)
	}
	p.pNode, p.pShape = child, valueShape
	if p.opt.Rewriter != nil { // the key the value's strings see
		p.keys = append(p.keys[:f.keyBase], name...)
		p.pHasKey, p.pKeyStart, p.pKeyEnd = true, f.keyBase, int32(len(p.keys))
	}
	f.members++ // the next member's known key is one on
	if p.xml {
		p.names = p.names[:f.nameEnd]
		start := len(p.names)
		if shaped || !escaped {
			p.names = AppendName(p.names, name)
		} else {
			p.tmp, _ = unescape(p.tmp[:0], raw)
			p.names = AppendName(p.names, p.tmp)
		}
		p.pNameStart, p.pNameEnd = int32(start), int32(len(p.names))
	}
	return nil
}

// members goes through the members of the walked object on top of the
// stack from src[i] (where a key is expected, in state stFirstKey or
// stKey) while each key, colon and scalar value ends within src: the
// usual case, without the token machine's round for each token. It stops
// before the first token it does not take (a container, the object's end,
// a token src ends inside of, an error) with p.state set for the machine
// to go on from there.
func (p *Pass) members(src []byte, i int, final bool) (int, error) {
	f := &p.stack[len(p.stack)-1]
	for {
		if i >= len(src) || src[i] != '"' {
			return i, nil
		}
		j, escaped, st := scanString(src, i+1)
		if st != scanDone || j-i > MaxHeld {
			return i, nil // the machine's key: more, or an error
		}
		if err := p.keyName(f, src, i, j, escaped); err != nil {
			return i, err
		}
		j = skipSpace(src, j)
		if j >= len(src) || src[j] != ':' {
			p.state = stColon
			return j, nil
		}
		j++
		if p.json {
			p.out = append(p.out, ':')
		}
		j = skipSpace(src, j)
		p.state = stValue
		i = j
		if i >= len(src) {
			return i, nil
		}
		n := p.pNode
		if n == nil {
			end := skipAny(src, i, MaxNesting-len(p.stack))
			if end < 0 {
				return i, nil
			}
			p.writeNull()
			i = end
		} else {
			c := src[i]
			switch {
			case c == '"':
				j, _, st = scanString(src, i+1)
			case c == 't' || c == 'f' || c == 'n':
				j, st = scanLiteral(src, i, final)
			case c == '{' || c == '[':
				return i, nil
			default:
				j, st = scanNumber(src, i, final)
				if j-i > MaxHeld {
					st = scanMore
				}
			}
			if st != scanDone {
				return i, nil
			}
			raw := src[i:j]
			switch {
			case !n.Whole:
				p.writeNull()
			case p.opt.Rewriter != nil || p.pShape != nil:
				if c == '"' && j-i > MaxHeld+2 {
					if p.xml {
						p.xmlScalar(raw)
					} else {
						p.out = append(p.out, raw...)
					}
				} else {
					p.keep(raw)
				}
			case p.xml:
				p.xmlScalar(raw)
			default:
				p.out = append(p.out, raw...)
			}
			i = j
		}
		p.state = stNext
		i = skipSpace(src, i)
		if i >= len(src) || src[i] != ',' {
			return i, nil
		}
		i++
		if p.json {
			p.out = append(p.out, ',')
		}
		p.state = stKey
		i = skipSpace(src, i)
	}
}

// membersJSON is members for the common JSON object: walked, written as
// JSON, unshaped. It keeps the output in a local slice while it goes.
// Its scalar scan is written out here as in members and membersXML, not
// shared: one helper for the three cost 6.7% more instructions on
// $select (cachegrind, the benchmark's body).
func (p *Pass) membersJSON(src []byte, i int, final bool) (int, error) {
	out := p.out
	node := p.stack[len(p.stack)-1].node
	child := node
	p.pShape = nil
	known, f := &p.lendKnown().keys, &p.stack[len(p.stack)-1]
	slot := int(f.members) + len(p.stack)*37 // the next member's in known
	// The loop keeps indices, not slices, of the key and the value: fewer
	// values live across it, fewer spilled to memory. A member starts
	// where the comma before it ends: blanks (indentation), then the key.
	limit := MaxNesting - len(p.stack)
	cross, base := p.crossing()
	for { // the objects of an array, one after the other while it goes on with objects
		for {
			next, o, s, ended, valueEnd, crossed := unselected(src, i, out, known, slot, node, false, p.opt.Rewriter != nil, limit, p.rewriteMin, p.rewriteMax, cross, &p.runs)
			if next != i {
				if p.runs.n > 0 {
					o = p.settle(src, o)
				}
				i, out, slot = next, o, s
				if p.tookMembers(crossed, ended, slot, base); ended {
					break
				}
			}
			k := &known[slot&(knownSlots-1)]
			slot++
			if valueEnd > 0 {
				// a selected string unselected read whole, valid and plain,
				// for the rewriter: its known key, and the string rewritten
				v, keyStart := i+int(k.n), i+int(k.blanks)+1
				out, child = k.appendTo(out), k.child
				rewritten := false
				if valueEnd-v <= MaxHeld+2 {
					if o, ok := p.opt.Rewriter.Rewrite(out, src[keyStart:keyStart+int(k.keyLen)-3], src[v:valueEnd]); ok {
						out, rewritten = o, true
					}
				}
				if !rewritten {
					out = append(out, src[v:valueEnd]...)
				}
				p.state = stNext
				if i = skipSpace(src, valueEnd); i >= len(src) || src[i] != ',' {
					break
				}
				i++
				out = append(out, ',')
				p.state = stKey
				continue
			}
			var j, st, keyStart, keyEnd int
			if k.node == node && k.matches(src, i) {
				// the blanks, key and colon as before: valid, and the child
				// known
				j = i + int(k.n)
				out = k.appendTo(out)
				keyStart = i + int(k.blanks) + 1
				keyEnd = keyStart + int(k.keyLen) - 3
				child = k.child
			} else {
				start := i
				if i = skipSpace(src, i); i >= len(src) || src[i] != '"' {
					slot-- // not read here: the machine counts the member
					break
				}
				var escaped bool
				j, escaped, st = scanString(src, i+1)
				if st != scanDone || j-i > MaxHeld {
					slot-- // the machine's key (more, or an error), and its count
					break
				}
				// the key (src[i+1:keyEnd]): written as it came, looked up, and
				// kept for the strings
				keyStart, keyEnd = i+1, j-1
				colon := j < len(src) && src[j] == ':'
				if colon {
					j++
					out = append(out, src[i:j]...)
				} else {
					out = append(out, src[i:j]...)
					j = skipSpace(src, j)
					if j >= len(src) || src[j] != ':' {
						p.pNode = node.lookupRaw(&p.name, src[keyStart:keyEnd], escaped)
						p.keyFor(src[keyStart:keyEnd])
						p.state = stColon
						p.out = out
						f.members = int32(slot - len(p.stack)*37)
						return j, nil
					}
					j++
					out = append(out, ':')
				}
				child = node.child(&p.name, src[keyStart:keyEnd], escaped)
				if end := skipSpace(src, j); colon && !escaped && end-start <= 32 {
					k.remember(node, child, src, start, i, j, end, false)
				}
			}
			j = skipSpace(src, j)
			p.state = stValue
			i = j
			if i >= len(src) {
				p.keyFor(src[keyStart:keyEnd])
				break
			}
			c := src[i]
			switch {
			case c == '"':
				if j = quotedEnd(src, i+1); j < 0 {
					j, _, st = scanString(src, i+1)
				}
			case c == 't' || c == 'f' || c == 'n':
				j, st = scanLiteral(src, i, final)
			case c == '{' || c == '[':
				st = scanMore
				if child == nil { // not selected: null, and the value skipped at once
					if j = skipFast(src, i, MaxNesting-len(p.stack)); j > 0 {
						st = scanDone
					}
				}
			default:
				j, st = scanNumber(src, i, final)
				if j-i > MaxHeld {
					st = scanMore
				}
			}
			if st != scanDone {
				p.keyFor(src[keyStart:keyEnd])
				break // the machine's value
			}
			switch {
			case child == nil || !child.Whole:
				out = append(out, "null"...)
			case c == '"' && p.opt.Rewriter != nil && j-i <= MaxHeld+2:
				// keep's rewrite, with the key where it is in src
				if o, ok := p.opt.Rewriter.Rewrite(out, src[keyStart:keyEnd], src[i:j]); ok {
					out = o
				} else {
					out = append(out, src[i:j]...)
				}
			default:
				out = append(out, src[i:j]...)
			}
			i = j
			p.state = stNext
			i = skipSpace(src, i)
			if i >= len(src) || src[i] != ',' {
				break
			}
			i++
			out = append(out, ',')
			p.state = stKey
		}
		if p.state != stNext || i >= len(src) || src[i] != '}' {
			break
		}
		next, ok := p.nextObject(src, i)
		if !ok {
			break
		}
		out = append(out, '}', ',', '{')
		i, slot = next, len(p.stack)*37
	}
	p.out = out
	p.pNode = child
	f.members = int32(slot - len(p.stack)*37)
	return i, nil
}

// nextObject goes on from an object of an array that ends at src[i] ('}')
// to the next element when that is an object too (a comma, then '{',
// blanks around them), walked the same way: its frame is the last one's,
// its members counted from none, as closeContainer, item and open would
// leave them; the caller writes "},{" or the item's closing and opening
// tags. It returns where the new object's members start, or false, having
// done nothing.
func (p *Pass) nextObject(src []byte, i int) (int, bool) {
	if !p.inArrayOfObjects() {
		return i, false
	}
	j := skipSpace(src, i+1)
	if j >= len(src) || src[j] != ',' {
		return i, false
	}
	if j = skipSpace(src, j+1); j >= len(src) || src[j] != '{' {
		return i, false
	}
	p.nextObjectFrame()
	return j + 1, true
}

// inArrayOfObjects reports whether the walked object on top of the stack
// is an element of an array whose next object element may be walked in
// its frame (nextObject, and unselectedRun's way on into it).
func (p *Pass) inArrayOfObjects() bool {
	n := len(p.stack)
	if n < 2 {
		return false
	}
	f, array := &p.stack[n-1], &p.stack[n-2]
	return array.array && array.mode == modeWalk && f.mode == modeWalk && array.shape == nil && f.shape == nil && f.node == array.node
}

// crossing is how unselectedRun goes on from an object of an array into
// the next: the slot of the next object's first member, and the bytes
// written between them ("},{", or the item's closing and opening tags).
type crossing struct {
	base    int
	n       int
	between [64]byte
}

// crossing returns, for the member loops of the walked object on top of
// the stack, how unselectedRun may go on into the array's next object,
// or nil; and the slot of an object's first member.
func (p *Pass) crossing() (*crossing, int) {
	base := len(p.stack) * 37
	if !p.inArrayOfObjects() {
		return nil, base
	}
	c := &p.cross
	c.base = base
	if p.xml {
		f := &p.stack[len(p.stack)-1]
		name := p.names[f.nameStart:f.nameEnd]
		if 2*len(name)+5 > len(c.between) {
			return nil, base
		}
		b := append(append(append(c.between[:0], '<', '/'), name...), '>', '<')
		c.n = len(append(append(b, name...), '>'))
	} else {
		c.n = copy(c.between[:], "},{")
	}
	return c, base
}

// tookMembers sets where the token machine goes on after unselected took
// members: in the frame of the array's next object if it went on into one
// (crossed), after a value (ended: no comma followed it), at a key, or at
// a new object's first key if it took none of its members (slot is base).
func (p *Pass) tookMembers(crossed int, ended bool, slot, base int) {
	if crossed > 0 {
		p.nextObjectFrame()
	}
	switch {
	case ended:
		p.state = stNext
	case slot != base || crossed == 0:
		p.state = stKey
	}
}

// nextObjectFrame makes the frame on top of the stack the next object's
// of the array under it, as closeContainer, item and open would leave it.
func (p *Pass) nextObjectFrame() {
	n := len(p.stack)
	f, array := &p.stack[n-1], &p.stack[n-2]
	p.keys = p.keys[:f.keyBase]
	f.members = 0
	p.item(array) // in XML, the item's name again where it was: f's
	p.state = stFirstKey
}

// knownKey is a member's start that membersJSON or membersXML read in an
// object of node: the blanks before its key, the key with its quotes and
// its colon, and the blanks after it, at most 32 bytes; and the child of
// node the key names. All of a table's are for one output, JSON or XML
// (renew clears them for the other): membersXML remembers only a key
// that is a plain XML name, and null is then XML. A table of knownSlots
// of them is lent to each Pass while it runs (knownTable), so they are
// packed: 128 bytes each.
type knownKey struct {
	node, child *Node
	// node when child is nil: the key is known and not selected
	unselectedIn *Node
	words        [4]uint64 // the n bytes, little-endian (prefixOnes masks them)
	// the member written when it is not selected: "key":null, or
	// <key i:nil="true"/> in XML. Its first keyLen bytes (JSON) are the
	// key and colon, or from its second (XML) the name.
	null   [6]uint64
	mask   uint32 // a bit for each of the n bytes (unselectedRun)
	n      uint8  // the bytes in all
	blanks uint8  // the blanks before the key
	keyLen uint8  // the key and colon
	// null's length; 1 when a comma follows it (JSON), else 0 (XML); the
	// two (the output of a null member and its comma)
	nullLen, commaLen, advance uint8
	// span: the member's bytes to the next member's start, last time
	// (unselectedRun's guess of where the next member starts)
	span uint16
	// the last container under the key that unselectedRun skipped, read
	// valid, in the Pass's run seenRun (0: none): seenLen bytes at seenAt
	// in src. The same bytes later in that run are valid and end as it
	// did.
	seenRun uint32
	seenAt  uint32
	seenLen uint16
}

// prefixOnes is 32 bytes of ones and 32 of zeros: its 32 bytes from 32-n
// mask the first n of 32 (knownKey.differs; the assembly reads mask).
var prefixOnes = [64]byte{
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
}

// remember makes k the member start src[start:end] of node's object: its
// key at quote, its colon just before colonEnd (at most 32 bytes in all).
func (k *knownKey) remember(node, child *Node, src []byte, start, quote, colonEnd, end int, xml bool) {
	var b [32]byte
	var null [48]byte
	copy(b[:], src[start:end])
	*k = knownKey{node: node, child: child, mask: uint32(1<<(end-start) - 1), n: uint8(end - start),
		blanks: uint8(quote - start), keyLen: uint8(colonEnd - quote)}
	if child == nil {
		k.unselectedIn = node
	}
	if xml {
		null[0] = '<'
		n := 1 + copy(null[1:], src[quote+1:colonEnd-2])
		k.nullLen = uint8(n + copy(null[n:], nilEnd))
	} else {
		n := copy(null[:], src[quote:colonEnd])
		n += copy(null[n:], "null")
		null[n], k.nullLen, k.commaLen = ',', uint8(n), 1
	}
	k.advance = k.nullLen + k.commaLen
	for w := range k.words {
		k.words[w] = binary.LittleEndian.Uint64(b[w*8:])
	}
	for w := range k.null {
		k.null[w] = binary.LittleEndian.Uint64(null[w*8:])
	}
}

// deferCap is the most strings unselectedRun lists in a runState for
// settle; at one more it stops at the string, as without a list.
const deferCap = 16

// runState is what a Pass keeps for unselectedRun: the number of the
// current run (one Pass.run: one input, src; knownKey.seenRun tells the
// containers remembered in it), and the selected strings for the
// rewriter that it wrote as they came, in their order, for settle to
// rewrite: each one's key (its text) and value (quotes included) in src,
// and where that value begins in the output.
type runState struct {
	number, epoch uint32 // of runNumbers
	// the Pass's block of runNumbers' values: the next to take, and its end
	taken, end uint64
	n          int
	list       [deferCap]deferred
}

// runNumbers numbers the runs of every Pass: the known keys, lent from
// Pass to Pass with their table, tell a container of the current run from
// one of another Pass's. Its low 32 bits are a run's number (never 0:
// none), its high ones the epoch the number is of: a table of another
// epoch forgets the containers it remembers (knownTable.renew). A Pass
// takes its numbers runBlock at a time: one count that every core adds
// to at each run made its cache line a contended one (12 µs of Caddy's
// CPU for a request of bench scenario (c)).
var runNumbers atomic.Uint64

// runBlock is how many run numbers a Pass takes from runNumbers at once.
const runBlock = 1 << 10

// next numbers the next run: the next value of the Pass's block, taking
// a new block when it has none left.
func (r *runState) next() {
	for {
		if r.taken == r.end {
			r.end = runNumbers.Add(runBlock)
			r.taken = r.end - runBlock
		}
		c := r.taken
		r.taken++
		if uint32(c) != 0 {
			r.number, r.epoch = uint32(c), uint32(c>>32)
			return
		}
	}
}

// deferred is a string in runState's list: its key at
// src[keyStart:keyEnd], its value at src[value:end], written as it came
// at out[at:].
type deferred struct {
	keyStart, keyEnd, value, end, at int
}

// settle rewrites in out the strings unselectedRun listed in p.runs
// (src is the input they are in) and empties the list: each in its place
// when the rewritten string is as long as it came, else with what follows
// it moved (once for all of them when they all grow or all shrink). A
// string the rewriter keeps stays as it came.
func (p *Pass) settle(src, out []byte) []byte {
	list := p.runs.list[:p.runs.n]
	p.runs.n = 0
	// the strings as they go out, one after another in tmp
	tmp := p.tmp[:0]
	var ends [deferCap]int
	grow, shrink := 0, 0
	for j := range list {
		e := &list[j]
		raw := src[e.value:e.end]
		start := len(tmp)
		if t, ok := p.opt.Rewriter.Rewrite(tmp, src[e.keyStart:e.keyEnd], raw); ok {
			tmp = t
		} else {
			tmp = append(tmp, raw...)
		}
		ends[j] = len(tmp)
		if d := len(tmp) - start - len(raw); d > 0 {
			grow += d
		} else {
			shrink -= d
		}
	}
	p.tmp = tmp
	rewritten := func(j int) []byte {
		if j == 0 {
			return tmp[:ends[0]]
		}
		return tmp[ends[j-1]:ends[j]]
	}
	l := len(out)
	// where the bytes that follow string j end, as they came
	following := func(j int) int {
		if j+1 < len(list) {
			return list[j+1].at
		}
		return l
	}
	switch {
	case grow == 0 && shrink == 0:
		for j, e := range list {
			copy(out[e.at:], rewritten(j))
		}
	case shrink == 0: // all grow (or stay): from the last, each moved on once
		out = slices.Grow(out, grow)[:l+grow]
		shift := grow
		for j := len(list) - 1; j >= 0; j-- {
			e, s := &list[j], rewritten(j)
			end := e.end - e.value + e.at
			copy(out[end+shift:], out[end:following(j)])
			shift -= len(s) - (e.end - e.value)
			copy(out[e.at+shift:], s)
		}
	case grow == 0: // all shrink (or stay): from the first, each moved back once
		shift := 0
		for j, e := range list {
			s := rewritten(j)
			copy(out[e.at+shift:], s)
			end := e.end - e.value + e.at
			shift += len(s) - (e.end - e.value)
			copy(out[end+shift:], out[end:following(j)])
		}
		out = out[:l+shift]
	default: // some grow, some shrink: what follows each moved in turn
		shift := 0
		for j, e := range list {
			s, at, was := rewritten(j), e.at+shift, e.end-e.value
			if d := len(s) - was; d != 0 {
				n := len(out)
				if d > 0 {
					out = slices.Grow(out, d)[:n+d]
				}
				copy(out[at+len(s):], out[at+was:n])
				out = out[:n+d]
				shift += d
			}
			copy(out[at:], s)
		}
	}
	return out
}

// unselectedRoom is the room in its output that unselectedRun needs to
// take a member (the most any member is written in).
const unselectedRoom = 112

// unselected writes the members from src[i] of an object of node (the
// next at slot of known) that are known and remembered for this output
// (xml): with AVX2, those unselectedRun takes (rewrite, keepBelow,
// keepAbove, cross and run are its: it may go on into the next objects
// of an array, and list strings for settle); then, and without AVX2,
// those not selected, as their null members, while each value ends
// within src (containers within limit levels). It stops at the start of a member it does not take, after the
// comma before it, with where its value ends if it is a selected string
// unselectedRun read for the member loops (else 0); or, ended, after the
// value of a member no comma follows; and the objects it went on into. A
// tight loop: most members of a projection are here.
func unselected(src []byte, i int, out []byte, known *[knownSlots]knownKey, slot int, node *Node, xml, rewrite bool, limit, keepBelow, keepAbove int, cross *crossing, run *runState) (int, []byte, int, bool, int, int) {
	crossed := 0
	for i+32 <= len(src) && node != nil {
		if hasAVX2 {
			var l, valueEnd, c int
			var ended bool
			i, l, slot, ended, valueEnd, c = unselectedRun(src, i, out, known, slot, node, xml, rewrite, limit, keepBelow, keepAbove, cross, run)
			crossed += c
			if out = out[:l]; ended || valueEnd > 0 {
				return i, out, slot, ended, valueEnd, crossed
			}
			if i+32 > len(src) {
				break
			}
		}
		k := &known[slot&(knownSlots-1)]
		if k.unselectedIn != node {
			break
		}
		if k.differs(src[i : i+32 : i+32]) {
			break
		}
		v := i + int(k.n)
		if v < len(src) && src[v] <= ' ' { // blanks: only white space or invalid is <= ' '
			v = skipSpace(src, v)
		}
		if v >= len(src) {
			break
		}
		// the value: its commonest forms here, the scanners otherwise
		e, st := 0, scanDone
		switch c := src[v]; {
		case c == '"':
			if e = quotedEnd(src, v+1); e < 0 {
				e, _, st = scanString(src, v+1)
			}
		case c == 'n' && v+4 <= len(src) && string(src[v:v+4]) == "null":
			e = v + 4
		case c == '{' || c == '[':
			if e = skipFast(src, v, limit); e < 0 {
				st = scanMore
			}
		case c == 't' || c == 'f' || c == 'n':
			e, st = scanLiteral(src, v, false)
		default:
			if '1' <= c && c <= '9' { // an integer that a byte after it ends
				e = digits(src, v+1)
				if e < len(src) && src[e] != '.' && src[e]|0x20 != 'e' && e-v <= MaxHeld {
					break
				}
			}
			if e, st = scanNumber(src, v, false); e-v > MaxHeld {
				st = scanMore
			}
		}
		if st != scanDone {
			break
		}
		if e < len(src) && src[e] <= ' ' {
			e = skipSpace(src, e)
		}
		if cap(out)-len(out) < 48 {
			out = slices.Grow(out, 48)
		}
		l := len(out)
		d := out[l : l+48 : l+48]
		binary.LittleEndian.PutUint64(d, k.null[0])
		binary.LittleEndian.PutUint64(d[8:], k.null[1])
		binary.LittleEndian.PutUint64(d[16:], k.null[2])
		binary.LittleEndian.PutUint64(d[24:], k.null[3])
		binary.LittleEndian.PutUint64(d[32:], k.null[4])
		binary.LittleEndian.PutUint64(d[40:], k.null[5])
		n := int(k.nullLen)
		slot++
		if e >= len(src) || src[e] != ',' {
			return e, out[:l+n], slot, true, 0, crossed
		}
		if !xml {
			d[n] = ','
			n++
		}
		out = out[:l+n]
		i = e + 1
	}
	return i, out, slot, false, 0, crossed
}

// appendTo appends k's key and colon (JSON) to dst, written as
// four words of null.
func (k *knownKey) appendTo(dst []byte) []byte {
	dst = slices.Grow(dst, 32)
	l := len(dst)
	d := dst[l : l+32 : l+32]
	binary.LittleEndian.PutUint64(d, k.null[0])
	binary.LittleEndian.PutUint64(d[8:], k.null[1])
	binary.LittleEndian.PutUint64(d[16:], k.null[2])
	binary.LittleEndian.PutUint64(d[24:], k.null[3])
	return dst[:l+int(k.keyLen)]
}

// matches reports whether src at i starts with k's bytes, read as four
// words with no branch (false when src holds fewer than 32 bytes from i).
func (k *knownKey) matches(src []byte, i int) bool {
	return i+32 <= len(src) && !k.differs(src[i:i+32:i+32]) && k.n != 0
}

// differs reports whether the 32 bytes s do not start with k's bytes.
func (k *knownKey) differs(s []byte) bool {
	s = s[:32]
	m := prefixOnes[32-int(k.n):][:32]
	return (binary.LittleEndian.Uint64(s)^k.words[0])&binary.LittleEndian.Uint64(m)|
		(binary.LittleEndian.Uint64(s[8:])^k.words[1])&binary.LittleEndian.Uint64(m[8:])|
		(binary.LittleEndian.Uint64(s[16:])^k.words[2])&binary.LittleEndian.Uint64(m[16:])|
		(binary.LittleEndian.Uint64(s[24:])^k.words[3])&binary.LittleEndian.Uint64(m[24:]) != 0
}

// keyFor keeps the key raw (as it came: unshaped) of the innermost object for the
// strings of its value.
func (p *Pass) keyFor(raw []byte) {
	if p.opt.Rewriter != nil {
		f := &p.stack[len(p.stack)-1]
		p.keys = append(p.keys[:f.keyBase], raw...)
		p.pHasKey, p.pKeyStart, p.pKeyEnd = true, f.keyBase, int32(len(p.keys))
	}
}

// membersXML is members for an unshaped object written as XML. A key that
// is a plain name (the usual) is its element's name where it is in src;
// names holds it only for the token machine.
func (p *Pass) membersXML(src []byte, i int, final bool) (int, error) {
	f := &p.stack[len(p.stack)-1]
	out := p.out
	node := f.node
	rewriter := p.opt.Rewriter
	p.pShape = nil
	var key, name []byte // the pending member's
	var child *Node
	pending, plain := false, false
	known := &p.lendKnown().keys
	slot := int(f.members) + len(p.stack)*37 // the next member's in known
	// A member starts where the comma before it ends.
	limit := MaxNesting - len(p.stack)
	cross, base := p.crossing()
	for { // the objects of an array, one after the other while it goes on with objects
		for {
			next, o, s, ended, valueEnd, crossed := unselected(src, i, out, known, slot, node, true, rewriter != nil, limit, p.rewriteMin, p.rewriteMax, cross, &p.runs)
			if next != i {
				i, out, slot = next, o, s
				pending = false
				if p.tookMembers(crossed, ended, slot, base); ended {
					break
				}
			}
			k := &known[slot&(knownSlots-1)]
			slot++
			if valueEnd > 0 {
				// a selected string unselected read whole, valid and plain:
				// its element, the name its key, the text maybe rewritten
				v, name := i+int(k.n), src[i+int(k.blanks)+1:i+int(k.blanks)+int(k.keyLen)-2]
				raw := src[v:valueEnd]
				if rewriter != nil && valueEnd-v <= MaxHeld+2 {
					if o, ok := rewriter.Rewrite(p.tmp[:0], name, raw); ok {
						p.tmp, raw = o, o
					}
				}
				out = append(append(out, '<'), name...)
				out = appendText(append(out, '>'), raw[1:len(raw)-1])
				out = append(append(append(out, '<', '/'), name...), '>')
				p.state = stNext
				if i = skipSpace(src, valueEnd); i >= len(src) || src[i] != ',' {
					break
				}
				i++
				p.state = stKey
				continue
			}
			var j, st int
			if k.node == node && k.matches(src, i) {
				// the blanks, key and colon as before: valid, a plain name,
				// and the child known
				j = i + int(k.n)
				key = src[i+int(k.blanks)+1 : i+int(k.blanks)+int(k.keyLen)-2]
				name, plain, child, pending = key, true, k.child, true
			} else {
				start := i
				if i = skipSpace(src, i); i >= len(src) || src[i] != '"' {
					slot-- // not read here: the machine counts the member
					break
				}
				var escaped bool
				j, escaped, st = scanString(src, i+1)
				if st != scanDone || j-i > MaxHeld {
					slot-- // the machine's key (more, or an error), and its count
					break
				}
				key = src[i+1 : j-1]
				child = node.lookupRaw(&p.name, key, escaped)
				if plain = !escaped && plainName(key); plain {
					name = key
				} else {
					p.names = p.names[:f.nameEnd]
					if !escaped {
						p.names = AppendName(p.names, key)
					} else {
						p.tmp, _ = unescape(p.tmp[:0], key)
						p.names = AppendName(p.names, p.tmp)
					}
					name = p.names[f.nameEnd:]
				}
				pending = true
				if j < len(src) && src[j] == ':' && plain && skipSpace(src, j+1)-start <= 32 {
					j++
					k.remember(node, child, src, start, i, j, skipSpace(src, j), true)
				} else {
					j = skipSpace(src, j)
					if j >= len(src) || src[j] != ':' {
						p.state = stColon
						i = j
						break
					}
					j++
				}
			}
			j = skipSpace(src, j)
			p.state = stValue
			i = j
			if i >= len(src) {
				break
			}
			if child == nil {
				end := skipAny(src, i, MaxNesting-len(p.stack))
				if end < 0 {
					break
				}
				out = append(append(append(out, '<'), name...), nilEnd...)
				i = end
			} else {
				c := src[i]
				switch {
				case c == '"':
					if j = quotedEnd(src, i+1); j < 0 {
						j, _, st = scanString(src, i+1)
					}
				case c == 't' || c == 'f' || c == 'n':
					j, st = scanLiteral(src, i, final)
				case c == '{' || c == '[':
					st = scanMore
				default:
					j, st = scanNumber(src, i, final)
					if j-i > MaxHeld {
						st = scanMore
					}
				}
				if st != scanDone {
					break // the machine's value
				}
				raw := src[i:j]
				if rewriter != nil && c == '"' && j-i <= MaxHeld+2 && child.Whole {
					// keep's rewrite, with the key where it is in src
					if o, ok := rewriter.Rewrite(p.tmp[:0], key, raw); ok {
						p.tmp = o
						raw = o
					}
				}
				// xmlScalar's element
				out = append(append(out, '<'), name...)
				switch {
				case !child.Whole || raw[0] == 'n':
					out = append(out, nilEnd...)
				case raw[0] == '"':
					out = appendText(append(out, '>'), raw[1:len(raw)-1])
					out = append(append(append(out, '<', '/'), name...), '>')
				default:
					out = append(append(out, '>'), raw...)
					out = append(append(append(out, '<', '/'), name...), '>')
				}
				i = j
			}
			pending = false
			p.state = stNext
			i = skipSpace(src, i)
			if i >= len(src) || src[i] != ',' {
				break
			}
			i++
			p.state = stKey
		}
		if p.state != stNext || i >= len(src) || src[i] != '}' {
			break
		}
		next, ok := p.nextObject(src, i)
		if !ok {
			break
		}
		name := p.names[f.nameStart:f.nameEnd]
		out = append(append(append(out, '<', '/'), name...), '>', '<')
		out = append(append(out, name...), '>')
		i, slot = next, len(p.stack)*37
	}
	p.out = out
	f.members = int32(slot - len(p.stack)*37)
	if pending { // the machine goes on with the member's value
		p.pNode = child
		p.keyFor(key)
		if plain {
			p.names = append(p.names[:f.nameEnd], name...)
		}
		p.pNameStart, p.pNameEnd = f.nameEnd, f.nameEnd+int32(len(name))
	}
	return i, nil
}

// scanLiteralOrNumber scans the literal (true, false, null) or number at
// src[i]; a number longer than MaxHeld is scanTooLong.
func scanLiteralOrNumber(src []byte, i int, final bool) (int, int) {
	if c := src[i]; c == 't' || c == 'f' || c == 'n' {
		return scanLiteral(src, i, final)
	}
	j, st := scanNumber(src, i, final)
	if st == scanDone && j-i > MaxHeld || st == scanMore && len(src)-i > MaxHeld {
		return i, scanTooLong
	}
	return j, st
}

// unfinished is what a value's scan that did not end (st) means: more input
// is needed (none is coming when final), or the input is invalid.
func unfinished(st int, final bool) (more bool, err error) {
	switch {
	case st == scanTooLong:
		return false, ErrTooLong
	case st == scanMore && !final:
		return true, nil
	}
	return false, ErrInvalidJSON
}
