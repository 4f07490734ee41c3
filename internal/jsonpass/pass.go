package jsonpass

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"unsafe"
)

// ErrInvalidJSON is returned for a document that is not valid JSON
// (RFC 8259), or nests arrays and objects deeper than MaxNesting.
var ErrInvalidJSON = errors.New("the document is not valid JSON")

// ErrTooLong is returned for a key (its quotes included) or a number
// longer than MaxHeld bytes. It is an ErrInvalidJSON for errors.Is.
var ErrTooLong = fmt.Errorf("%w: a key (its quotes included) or a number is longer than %d bytes", ErrInvalidJSON, MaxHeld)

// TwiceError is an object in which a shape spells two keys the same
// (Status and status), or one key twice: which of the values the answer
// means cannot be told, and a client that reads the first and one that
// reads the last would disagree.
type TwiceError struct{ Name string }

func (e *TwiceError) Error() string {
	return "the backend's answer has " + e.Name + " twice in one object"
}

// MaxNesting is the deepest nesting of arrays and objects a document may have.
const MaxNesting = 10000

// MaxHeld is the most bytes of one token a Pass holds: a key (its quotes
// included), a number, or the text of a string a plug reads whole (its
// quotes not counted).
const MaxHeld = 64 << 10

// A streaming Pass takes its input in pieces of at most pieceAt bytes, and
// writes its output on after a piece that brought it to flushAt: writes of
// flushAt to about flushAt+pieceAt bytes. Each write on is a chunk of
// HTTP/1.1, which Go's server sends in two system calls whatever its size:
// fewer, larger writes cost the gateway and the client less CPU; the output
// held costs memory for each answer in flight (README, "Memory").
const (
	pieceAt = 16 << 10
	flushAt = 48 << 10
	// streamOutput is the output array lent to a streaming Pass (takeOut):
	// room for flushAt, a piece's JSON and the placement, the size Go's
	// allocator makes for them (append grows it for more).
	streamOutput = 72 << 10
)

// knownSlots is the number of member starts a Pass remembers (a power of
// two): an object's members at depth d take the slots from 37d on, modulo
// knownSlots, so the levels an answer mostly has (an array's objects and
// the objects in them) keep theirs apart. 128 of 128 bytes: what an
// answer in flight holds for them.
const knownSlots = 128

// StringRewriter rewrites the string values a pass keeps. raw is the JSON string
// as written, quotes included; key is the raw name of the property it is
// the value of (for an array item, the array's), nil at the top level.
// Rewrite appends the replacement JSON string to dst, or reports false to
// keep raw. dst's capacity past its length is the rewriter's scratch space,
// whatever it reports.
type StringRewriter interface {
	Rewrite(dst, key, raw []byte) ([]byte, bool)
}

// RewriteBounds is what a StringRewriter may also say: that it rewrites
// no plain string (no escape and no control character) whose text is
// shorter than min or longer than max bytes. A Pass then keeps such
// strings as they came without asking it.
type RewriteBounds interface {
	RewriteBounds() (min, max int)
}

// Shape is the expected shape of a JSON value (an agent method's return
// type), consulted as the pass walks the value: it spells keys as the type
// does and writes scalars as the type writes them (an enum number as its
// member name). Shaping comes before the projection and the string
// rewrites, so both see the keys as the shape spells them.
type Shape interface {
	// Field returns key's name as the shape spells it (plain text that needs
	// no JSON escape, owned by the shape and never changed; nil: as it
	// came, a map's key) and the shape of its value (nil: unshaped). ok
	// false: an unknown key, written as it came, its value unshaped. key is
	// the raw name without its quotes, escapes undone. The keys it reads as
	// one property get the same name slice: two of them in one object are
	// a *TwiceError.
	Field(key []byte) (name []byte, value Shape, ok bool)
	// Elem is the shape of an array's elements (nil: unshaped).
	Elem() Shape
	// Scalar appends the scalar raw (a JSON number, string, true, false or
	// null, as written) as the shape writes it, or reports false to keep raw.
	Scalar(dst, raw []byte) ([]byte, bool)
}

// Options are a pass's plugs. The zero Options copy a valid document (its
// white space outside values dropped).
type Options struct {
	Select   *Node          // nil: everything
	Rewriter StringRewriter // nil: no string rewritten
	Shape    Shape          // nil: unshaped
	// XMLRoot, when not "", writes XML instead of JSON, as format.AppendXML
	// describes: the root element is XMLRoot (ArrayOf<XMLRoot> for an
	// array), which must be a valid XML name.
	XMLRoot string
	// AlignAt, for a streaming Pass, is the index of the byte in each of
	// its writes from which the writer goes on straight to a system call
	// (its own buffer took the bytes before it): the Pass places its
	// output so that this byte lies lineInset bytes into a 64-byte line
	// (see placeOut). 0: output placed anywhere.
	AlignAt int
}

// Modes of a value or container.
const (
	modeWalk = iota // tokens are written one by one, through the plugs
	modeCopy        // the bytes are copied as they are (JSON, kept whole, no plugs)
	modeSkip        // not selected: validated, nothing written
)

// What the tokenizer expects next.
const (
	stStart      = iota // the document's first byte (a byte order mark?)
	stValue             // a value
	stFirstValue        // an array's first value, or ]
	stFirstKey          // an object's first key, or }
	stKey               // a key
	stColon             // the colon after a key
	stNext              // , or the container's end
	stDone              // nothing but white space
)

// frame is an open array or object.
type frame struct {
	node  *Node
	shape Shape // an object's shape; an array's elements' shape
	mode  uint8
	array bool
	// the key values inside are written under (Rewriter): an object's
	// current member's, an array's inherited; hasKey false at the top.
	hasKey           bool
	keyStart, keyEnd int32
	keyBase          int32 // len(keys) when the frame opened
	spelledBase      int32 // len(spelled) when the frame opened
	// XML: this element's name in names; items is an array's item name
	// (the root for a top-level array, else ItemName).
	nameStart, nameEnd int32
	rootItems          bool
	members            int32 // an object's keys so far (of membersJSON)
}

// Pass is one document going through the engine. The zero Pass is not
// ready: use New or Reset. A Pass is not safe for concurrent use.
type Pass struct {
	w   io.Writer // nil: out only grows (Append)
	out []byte
	// outArray is out's array from its first byte, and outSkew where out
	// begins in it (placeOut); outLent: it is lent (takeOut).
	outArray []byte
	outSkew  int
	outLent  bool
	// known remembers, by object depth and member position, a key the
	// member loops read and its child; lent while the Pass runs
	// (lendKnown), nil between its writes.
	known *knownTable
	cross crossing
	opt   Options
	xml   bool
	// the lengths of plain text the rewriter may rewrite (RewriteBounds)
	rewriteMin, rewriteMax int

	state uint8
	mode  uint8 // the innermost frame's mode (modeWalk at the top)
	json  bool  // tokens are written as JSON: the innermost frame is walked, and the output is JSON
	stack []frame
	carry []byte // the unconsumed bytes of the last write: a partial token
	err   error

	// the next value's selection and shape (set by a key or an array)
	pNode  *Node // nil: not selected
	pShape Shape
	// the key the next value is written under (Rewriter)
	pHasKey            bool
	pKeyStart, pKeyEnd int32
	// XML: the next value's element name, in names
	pNameStart, pNameEnd int32

	keys  []byte // the keys of open objects (Rewriter)
	names []byte // XML: the names of open elements
	// spelled are the first bytes of the names the shapes spelled in open
	// objects, each object's from its frame's spelledBase: the same name
	// twice in one object is a *TwiceError.
	spelled []*byte
	name    []byte // scratch: a key unescaped
	tmp     []byte // scratch: a shaped or rewritten scalar
	// unselectedRun's runs, and the strings it wrote as they came for
	// settle to rewrite
	runs runState

	// copying: bytes from copyFrom in the current input are written as
	// they are until the value that began copying (at depth copyDepth) ends.
	copying   bool
	copyFrom  int
	copyDepth int

	// a string that streams through across writes
	inString  bool
	strXML    bool // its text is written as XML text as it comes
	strKey    bool // it is a key (of a skipped or copied object)
	strParent uint8
}

// New returns a Pass writing the transformed document to w as it is
// produced (in writes of flushAt bytes or a little more, and the rest at
// Close).
func New(w io.Writer, opt Options) *Pass {
	p := &Pass{}
	p.Reset(w, opt)
	return p
}

// Reset makes p ready for another document, keeping its scratch buffers;
// its output array goes (a lent one back to the pool): the next document
// borrows one when it has output.
func (p *Pass) Reset(w io.Writer, opt Options) {
	p.reset(w, opt)
	p.dropOut()
	if p.xml {
		p.takeOut()
		p.out = append(p.out, Declaration...)
	}
}

func (p *Pass) reset(w io.Writer, opt Options) {
	p.returnKnown()
	p.w, p.opt, p.xml = w, opt, opt.XMLRoot != ""
	p.rewriteMin, p.rewriteMax = 0, math.MaxInt
	if b, ok := opt.Rewriter.(RewriteBounds); ok {
		p.rewriteMin, p.rewriteMax = b.RewriteBounds()
	}
	p.state = stStart
	p.mode, p.json = modeWalk, false
	p.stack = p.stack[:0]
	p.carry = p.carry[:0]
	p.err = nil
	p.keys, p.names, p.spelled = p.keys[:0], p.names[:0], p.spelled[:0]
	p.copying, p.inString = false, false
	p.runs.n = 0
	p.pNode, p.pShape, p.pHasKey = opt.Select, opt.Shape, false
	if p.pNode == nil {
		p.pNode = Everything
	}
}

// Append appends the transformation of the whole document src to dst. On an
// error it returns dst as it was.
func Append(dst, src []byte, opt Options) ([]byte, error) {
	var p Pass
	return p.Append(dst, src, opt)
}

// Append is the package's Append with p's scratch buffers, reused.
func (p *Pass) Append(dst, src []byte, opt Options) ([]byte, error) {
	keep := p.out
	p.reset(nil, opt)
	p.out = dst
	if p.xml {
		p.out = append(p.out, Declaration...)
	}
	_, err := p.run(src, true)
	p.returnKnown()
	if err == nil && p.state != stDone {
		err = ErrInvalidJSON
	}
	out := p.out
	p.out = keep[:0]
	if err != nil {
		return dst, err
	}
	return out, nil
}

// Write transforms p, writing output on as it grows. A partial token at its
// end is kept for the next write. b goes through in pieces of pieceAt, its
// output written on after the piece that brings it to flushAt: what a Pass
// holds does not grow with the writes it is given.
func (p *Pass) Write(b []byte) (int, error) {
	defer p.giveBack()
	n := 0
	for p.w != nil && len(b)-n > pieceAt {
		if _, err := p.write(b[n : n+pieceAt]); err != nil {
			return n, err
		}
		n += pieceAt
	}
	m, err := p.write(b[n:])
	return n + m, err
}

// write is Write for one piece.
func (p *Pass) write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n := len(b)
	p.takeOut()
	for len(p.carry) > 0 && len(b) > 0 {
		old := len(p.carry)
		m := min(len(b), max(512, old))
		p.carry = append(p.carry, b[:m]...)
		if p.carry[0] == '"' && !p.inString && len(p.carry) <= MaxHeld && bytes.IndexByte(b[:m], '"') < 0 {
			b = b[m:] // a held string cannot end before its quote: no scan again
			continue
		}
		k, err := p.run(p.carry, false)
		if err != nil {
			return 0, p.fail(err)
		}
		if k >= old { // the partial token is done: go on in b itself
			b = b[k-old:]
			p.carry = p.carry[:0]
			break
		}
		p.carry = append(p.carry[:0], p.carry[k:]...)
		b = b[m:]
	}
	if len(b) > 0 {
		k, err := p.run(b, false)
		if err != nil {
			return 0, p.fail(err)
		}
		p.carry = append(p.carry, b[k:]...)
	}
	if len(p.out) >= flushAt {
		if err := p.flush(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Close ends the document: it is ErrInvalidJSON if it is incomplete. The
// rest of the output is written.
func (p *Pass) Close() error {
	defer p.giveBack()
	if p.err != nil {
		return p.err
	}
	p.takeOut()
	if _, err := p.run(p.carry, true); err != nil {
		return p.fail(err)
	}
	p.carry = p.carry[:0]
	if p.state != stDone {
		return p.fail(ErrInvalidJSON)
	}
	return p.flush()
}

func (p *Pass) fail(err error) error {
	p.err = err
	return err
}

func (p *Pass) flush() error {
	if p.w == nil || len(p.out) == 0 {
		return nil
	}
	p.returnKnown() // the client may keep the write waiting
	_, err := p.w.Write(p.out)
	p.placeOut()
	if err != nil {
		p.err = err
	}
	return err
}

// lineInset is where, in a 64-byte line, placeOut puts the byte of each
// write that goes straight to a system call. The kernel copies a write
// whose first byte is in a line's last 8 bytes at half the speed on this
// AMD EPYC (perf: _copy_from_iter; README, "Performance"); 16 bytes
// in leaves room for a writer's header a byte or two longer or shorter
// than Options.AlignAt planned for.
const lineInset = 16

// placeOut empties out once it is written on. A lent array goes back (out
// then has none until takeOut lends one again). An array append moved out
// to, when it outgrew the lent one, serves the rest of the document
// (Reset drops it), placed: for a streaming Pass with Options.AlignAt,
// out begins in it (at most 63 bytes in) so that its byte at AlignAt
// lies lineInset bytes into a 64-byte line.
func (p *Pass) placeOut() {
	moved := cap(p.outArray) == 0 || unsafe.SliceData(p.out) != unsafe.SliceData(p.outArray[p.outSkew:p.outSkew])
	p.giveOut()
	if moved {
		p.outArray, p.outSkew = p.out[:0:cap(p.out)], 0
	}
	p.place()
}

// dropOut leaves p with no output array: a lent one goes back, the
// Pass's own one to the collector.
func (p *Pass) dropOut() {
	p.giveOut()
	p.outArray, p.outSkew, p.out = nil, 0, nil
}

// place begins out in outArray, for Options.AlignAt.
func (p *Pass) place() {
	if at := p.opt.AlignAt; at > 0 && p.w != nil && cap(p.outArray) >= 64 {
		first := uintptr(unsafe.Pointer(unsafe.SliceData(p.outArray)))
		p.outSkew = int((lineInset - first - uintptr(at)) % 64)
	}
	p.out = p.outArray[p.outSkew:p.outSkew]
}

// Buffered is the output not yet written on.
func (p *Pass) Buffered() int { return len(p.out) }

// Flush writes on the output produced so far.
func (p *Pass) Flush() error {
	if p.err != nil {
		return p.err
	}
	return p.flush()
}

var utf8BOM = []byte("\xef\xbb\xbf")

// isSpace marks JSON's white space.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// skipSpace returns the index of the first byte from i that is not white
// space.
func skipSpace(src []byte, i int) int {
	for i < len(src) && isSpace[src[i]] {
		i++
	}
	return i
}

// run consumes the complete tokens of src and returns how many bytes it
// consumed: the rest is a partial token. final: src ends the document.
func (p *Pass) run(src []byte, final bool) (int, error) {
	p.runs.next()
	if p.known != nil {
		p.known.renew(p.xml, p.runs.epoch)
	}
	i := 0
	if p.copying {
		p.copyFrom = 0
	}
	if p.state == stStart && len(src) > 0 { // a byte order mark, first of all
		if src[0] == 0xef {
			if len(src) < 3 && !final && string(src) == string(utf8BOM[:len(src)]) {
				return 0, nil
			}
			if len(src) < 3 || string(src[:3]) != string(utf8BOM) {
				return 0, ErrInvalidJSON
			}
			i = 3
		}
		p.state = stValue
	}
	if p.inString {
		var more bool
		var err error
		if i, more, err = p.resumeString(src, final); err != nil || more {
			p.flushCopy(src, i)
			return i, err
		}
	}
	for {
		for i < len(src) && isSpace[src[i]] {
			i++
		}
		if i >= len(src) {
			p.flushCopy(src, i)
			return i, nil
		}
		c := src[i]
		switch p.state {
		case stValue, stFirstValue:
			if p.state == stFirstValue && c == ']' {
				i++
				p.closeContainer(true)
				p.valueDone(src, i)
				continue
			}
			j, more, err := p.value(src, i, final)
			if err != nil {
				return i, err
			}
			if more {
				p.flushCopy(src, j)
				return j, nil
			}
			i = j
		case stFirstKey, stKey:
			if c == '}' && p.state == stFirstKey {
				i++
				p.closeContainer(false)
				p.valueDone(src, i)
				continue
			}
			if c != '"' {
				return i, ErrInvalidJSON
			}
			if p.mode == modeWalk {
				var j int
				var err error
				if shaped := p.top().shape != nil; p.json && !shaped {
					j, err = p.membersJSON(src, i, final)
				} else if p.xml && !shaped {
					j, err = p.membersXML(src, i, final)
				} else {
					j, err = p.members(src, i, final)
				}
				if err != nil {
					return i, err
				}
				if j > i || p.state != stKey && p.state != stFirstKey {
					i = j
					continue
				}
			}
			j, more, err := p.key(src, i, final)
			if err != nil {
				return i, err
			}
			if more {
				p.flushCopy(src, j)
				return j, nil
			}
			i = j
			for i < len(src) && isSpace[src[i]] {
				i++
			}
			if i < len(src) && src[i] == ':' { // the usual case: the colon at once
				i++
				if p.json {
					p.out = append(p.out, ':')
					if p.pNode == nil { // not selected: null, and the value skipped at once
						for i < len(src) && isSpace[src[i]] {
							i++
						}
						if end := skipAny(src, i, MaxNesting-len(p.stack)); end > 0 {
							p.out = append(p.out, "null"...)
							i = end
							p.state = stNext
							continue
						}
					}
				}
				p.state = stValue
				continue
			}
			p.state = stColon
		case stColon:
			if c != ':' {
				return i, ErrInvalidJSON
			}
			i++
			if p.json {
				p.out = append(p.out, ':')
			}
			p.state = stValue
		case stNext:
			f := p.top()
			switch {
			case c == ',':
				i++
				if p.json {
					p.out = append(p.out, ',')
				}
				if f.array {
					p.state = stValue
					p.item(f)
				} else {
					p.state = stKey
				}
			case c == ']' && f.array || c == '}' && !f.array:
				i++
				p.closeContainer(f.array)
				p.valueDone(src, i)
			default:
				return i, ErrInvalidJSON
			}
		default: // stDone
			return i, ErrInvalidJSON
		}
	}
}

func (p *Pass) top() *frame { return &p.stack[len(p.stack)-1] }

// setMode caches the innermost frame's mode.
func (p *Pass) setMode() {
	p.mode = modeWalk
	if len(p.stack) > 0 {
		p.mode = p.stack[len(p.stack)-1].mode
	}
	p.json = p.mode == modeWalk && !p.xml && len(p.stack) > 0
}

// flushCopy writes the bytes being copied up to i.
func (p *Pass) flushCopy(src []byte, i int) {
	if p.copying {
		p.out = append(p.out, src[p.copyFrom:i]...)
		p.copyFrom = i
	}
}

// item sets up the next element of the array f.
func (p *Pass) item(f *frame) {
	if f.mode != modeWalk {
		return
	}
	p.pNode, p.pShape = f.node, f.shape
	p.pHasKey, p.pKeyStart, p.pKeyEnd = f.hasKey, f.keyStart, f.keyEnd
	if p.xml {
		p.names = p.names[:f.nameEnd]
		start := len(p.names)
		if f.rootItems {
			p.names = append(p.names, p.opt.XMLRoot...)
		} else {
			p.names = append(p.names, ItemName...)
		}
		p.pNameStart, p.pNameEnd = int32(start), int32(len(p.names))
	}
}

// valueDone follows the end of a value that ended at src[i-1].
func (p *Pass) valueDone(src []byte, i int) {
	if p.copying && len(p.stack) == p.copyDepth {
		p.out = append(p.out, src[p.copyFrom:i]...)
		p.copying = false
	}
	if len(p.stack) == 0 {
		p.state = stDone
	} else {
		p.state = stNext
	}
}

// closeContainer ends the innermost array or object.
func (p *Pass) closeContainer(array bool) {
	f := p.top()
	if f.mode == modeWalk {
		if p.xml {
			p.closeTag(p.names[f.nameStart:f.nameEnd])
			p.names = p.names[:f.nameStart]
		} else if array {
			p.out = append(p.out, ']')
		} else {
			p.out = append(p.out, '}')
		}
		p.keys, p.spelled = p.keys[:f.keyBase], p.spelled[:f.spelledBase]
	}
	p.stack = p.stack[:len(p.stack)-1]
	p.setMode()
}

func (p *Pass) closeTag(name []byte) {
	p.out = append(append(append(p.out, '<', '/'), name...), '>')
}

// open pushes a container at src[i] ('[' or '{') in mode.
func (p *Pass) open(array bool, mode uint8) error {
	if len(p.stack) >= MaxNesting {
		return ErrInvalidJSON
	}
	f := frame{mode: mode, array: array}
	if mode == modeWalk {
		f.node = p.pNode
		f.shape = p.pShape
		if array && f.shape != nil {
			f.shape = f.shape.Elem()
		}
		f.keyBase, f.spelledBase = int32(len(p.keys)), int32(len(p.spelled))
		if array {
			f.hasKey, f.keyStart, f.keyEnd = p.pHasKey, p.pKeyStart, p.pKeyEnd
		}
		if p.xml {
			p.elemStart(array)
			f.nameStart, f.nameEnd = p.pNameStart, p.pNameEnd
			f.rootItems = len(p.stack) == 0
			p.out = append(p.out, '>')
		} else if array {
			p.out = append(p.out, '[')
		} else {
			p.out = append(p.out, '{')
		}
	}
	p.stack = append(p.stack, f)
	p.setMode()
	if array {
		p.state = stFirstValue
		if mode == modeWalk {
			p.item(&p.stack[len(p.stack)-1])
		}
	} else {
		p.state = stFirstKey
	}
	return nil
}
