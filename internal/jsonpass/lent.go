package jsonpass

import "sync"

// What a Pass borrows while it works, so that an answer in flight holds
// memory for what it is doing, not for what it might do (README,
// "Memory"): its table of known keys while it runs, and a streaming
// Pass's output array while output waits in it to be written on.

// knownTable is the member starts a Pass remembers (knownKey): the
// objects of an array mostly have the same keys in the same order. A
// Pass borrows one while it runs and gives it back before it writes its
// output on, where the client may keep it waiting, and at the end of
// each write. Its keys are checked against what they are used for (the
// object's node, the key's bytes), so a table another Pass filled serves
// as well as its own, and for another $select no worse than an empty one.
type knownTable struct {
	keys  [knownSlots]knownKey
	xml   bool   // the output their null members are for
	epoch uint32 // the epoch of the run numbers in their seenRun
}

var knownTables = sync.Pool{New: func() any { return new(knownTable) }}

// lendKnown returns p's table, borrowed for the output p writes and its
// runs' epoch.
func (p *Pass) lendKnown() *knownTable {
	if p.known == nil {
		p.known = knownTables.Get().(*knownTable)
		p.known.renew(p.xml, p.runs.epoch)
	}
	return p.known
}

// returnKnown gives p's table back.
func (p *Pass) returnKnown() {
	if p.known != nil {
		knownTables.Put(p.known)
		p.known = nil
	}
}

// renew clears t unless its null members are for the output xml says
// and its seen containers of the run numbers' epoch: the numbers of
// another epoch come again.
func (t *knownTable) renew(xml bool, epoch uint32) {
	if t.xml != xml || t.epoch != epoch {
		*t = knownTable{xml: xml, epoch: epoch}
	}
}

// outArrays are the output arrays lent to streaming Passes.
var outArrays = sync.Pool{New: func() any { return new([streamOutput]byte) }}

// takeOut lends a streaming Pass an output array, placed, when it has
// none; placeOut gives it back once the output in it is written on, and
// giveBack when nothing was written into it.
func (p *Pass) takeOut() {
	if p.w == nil || cap(p.out) > 0 {
		return
	}
	p.outArray, p.outLent = outArrays.Get().(*[streamOutput]byte)[:0], true
	p.place()
}

// giveBack gives back what p borrowed and holds no output in: its known
// keys, and a lent output array left empty (a write that wrote nothing).
func (p *Pass) giveBack() {
	p.returnKnown()
	if p.outLent && len(p.out) == 0 {
		p.placeOut()
	}
}

// giveOut gives a lent output array back.
func (p *Pass) giveOut() {
	if p.outLent {
		outArrays.Put((*[streamOutput]byte)(p.outArray[:streamOutput]))
		p.outArray, p.outSkew, p.outLent = nil, 0, false
	}
}
