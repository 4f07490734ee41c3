package jsonpass

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// writeFunc is an io.Writer of a function.
type writeFunc func([]byte) (int, error)

func (f writeFunc) Write(b []byte) (int, error) { return f(b) }

// TestPassHoldsKnownKeysOnlyWhileItRuns: a streaming Pass gives its table
// of known keys back before it writes its output on, where the client may
// keep it waiting, and at the end of each write and of the document:
// a table for each answer being worked on, not for each answer in flight.
func TestPassHoldsKnownKeysOnlyWhileItRuns(t *testing.T) {
	entity := `{"id":1,"name":"` + strings.Repeat("n", 40) + `","tags":[1,2,3],"when":"2024-01-02T03:04:05"}`
	doc := []byte("[" + strings.Repeat(entity+",", 3000) + entity + "]")
	for _, root := range []string{"", "R"} {
		opt := Options{Select: selectNode("id,tags"), XMLRoot: root}
		want, err := Append(nil, doc, opt)
		if err != nil {
			t.Fatal(err)
		}
		var p *Pass
		var out bytes.Buffer
		writes := 0
		p = New(writeFunc(func(b []byte) (int, error) {
			if writes++; p.known != nil {
				t.Errorf("%q: write %d on with a table of known keys held", root, writes)
			}
			return out.Write(b)
		}), opt)
		for rest := doc; len(rest) > 0; {
			n := min(len(rest), 5000)
			if _, err := p.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			if rest = rest[n:]; p.known != nil {
				t.Fatalf("%q: a table of known keys held between writes", root)
			}
		}
		if err := p.Close(); err != nil || p.known != nil {
			t.Fatalf("%q: closed (%v) with a table held: %t", root, err, p.known != nil)
		}
		if writes < 3 || !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%q: %d writes of %d bytes; want %d bytes as Append writes them", root, writes, out.Len(), len(want))
		}
	}
}

// TestPassesShareWhatTheyBorrow: Passes that take turns with the tables
// of known keys (JSON and XML, other selections, containers remembered in
// another Pass's runs at the same places) and with the output arrays
// each write what one Pass alone writes.
func TestPassesShareWhatTheyBorrow(t *testing.T) {
	entity := func(k int) string {
		c := `{"x":[` + strconv.Itoa(k%3) + `,{"y":"z"}]}`
		return `{"id":` + strconv.Itoa(k) + `,"c":` + c + `,"name":"n` + strconv.Itoa(k) + `","d":` + c + `}`
	}
	var docs [][]byte
	for v := range 4 {
		var b strings.Builder
		b.WriteString("[")
		for k := range 400 {
			if k > 0 {
				b.WriteString(",")
			}
			b.WriteString(entity(k * (v + 1)))
		}
		b.WriteString("]")
		docs = append(docs, []byte(b.String()))
	}
	docs[3] = docs[3][:len(docs[3])-200] // broken at the end
	opts := []Options{{Select: selectNode("id,d"), AlignAt: 4088}, {Select: selectNode("name,c"), XMLRoot: "R"},
		{Select: selectNode("id,d")}, {Select: selectNode("id")}}
	var outs [4]bytes.Buffer
	var passes [4]*Pass
	for i := range passes {
		passes[i] = New(&outs[i], opts[i])
	}
	errs := make([]error, len(passes))
	for at := 0; ; at += 997 {
		more := false
		for i, p := range passes {
			if at < len(docs[i]) && errs[i] == nil {
				_, errs[i] = p.Write(docs[i][at:min(at+997, len(docs[i]))])
				more = true
			}
		}
		if !more {
			break
		}
	}
	for i, p := range passes {
		if errs[i] == nil {
			errs[i] = p.Close()
		}
		opts[i].AlignAt = 0
		want, wantErr := Append(nil, docs[i], opts[i])
		if (errs[i] == nil) != (wantErr == nil) || wantErr == nil && !bytes.Equal(outs[i].Bytes(), want) {
			t.Errorf("pass %d: %.120s, %v; alone: %.120s, %v", i, outs[i].Bytes(), errs[i], want, wantErr)
		}
	}
}

// TestStreamingPassHoldsOutputOnlyWhileItWaits: a streaming Pass holds an
// output array, lent whole, while output waits to be written on, and none
// once a write on has emptied it: after a write that ended with one,
// after Flush, after a write that wrote nothing, and at the end.
func TestStreamingPassHoldsOutputOnlyWhileItWaits(t *testing.T) {
	entity := `{"id":1,"name":"` + strings.Repeat("n", 40) + `","tags":[1,2,3],"when":"2024-01-02T03:04:05"}`
	doc := []byte("[" + strings.Repeat(entity+",", 3000) + entity + "]")
	opt := Options{Select: selectNode("id,name"), AlignAt: 4088}
	var out bytes.Buffer
	p := New(&out, opt)
	holding, empty := 0, 0
	for rest := doc; len(rest) > 0; {
		n := min(len(rest), 5000)
		if _, err := p.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
		switch {
		case p.Buffered() == 0 && (cap(p.out) != 0 || p.outLent):
			t.Fatalf("nothing to write on, and an output array of %d bytes held", cap(p.outArray))
		case p.Buffered() > 0 && (!p.outLent || cap(p.outArray) != streamOutput):
			t.Fatalf("output waiting in an array of %d bytes, not lent", cap(p.outArray))
		case p.Buffered() > 0:
			holding++
		default:
			empty++
		}
		if len(rest) == 2*5000 {
			if err := p.Flush(); err != nil || cap(p.out) != 0 {
				t.Fatalf("flushed (%v), an output array of %d bytes held", err, cap(p.out))
			}
		}
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Write([]byte(" \n")); err != nil || cap(p.out) != 0 || p.outLent {
		t.Fatalf("a write that wrote nothing (%v), an output array of %d bytes held after it", err, cap(p.out))
	}
	if err := p.Close(); err != nil || cap(p.out) != 0 || p.outLent {
		t.Fatalf("closed with nothing to write (%v), an output array of %d bytes held", err, cap(p.out))
	}
	opt.AlignAt = 0
	if want, _ := Append(nil, doc, opt); holding == 0 || empty == 0 || !bytes.Equal(out.Bytes(), want) {
		t.Errorf("%d writes with output waiting, %d without; %d bytes written, want %d as Append writes them", holding, empty, out.Len(), len(want))
	}
}

// TestOutgrownOutputLastsOneDocument: output that outgrows the lent
// array (XML of tiny items) moves to a larger one, which serves the rest
// of its document; the next document, after Reset, borrows again.
func TestOutgrownOutputLastsOneDocument(t *testing.T) {
	doc := []byte("[" + strings.Repeat("1,", 30000) + "1]")
	opt := Options{XMLRoot: "AnElementNameLongerThanMost", AlignAt: 4088}
	var out bytes.Buffer
	p := New(&out, opt)
	if _, err := p.Write(doc); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil || cap(p.outArray) <= streamOutput || p.outLent {
		t.Fatalf("closed (%v); the outgrown output in an array of %d bytes, lent %t", err, cap(p.outArray), p.outLent)
	}
	opt.AlignAt = 0
	if want, _ := Append(nil, doc, opt); !bytes.Equal(out.Bytes(), want) {
		t.Errorf("%d bytes written; want %d as Append writes them", out.Len(), len(want))
	}
	p.Reset(&out, Options{Select: selectNode("a")})
	if cap(p.outArray) != 0 {
		t.Fatalf("reset, and the outgrown array of %d bytes kept", cap(p.outArray))
	}
	if _, err := p.Write([]byte(`[{"a":1},`)); err != nil || !p.outLent || cap(p.outArray) != streamOutput {
		t.Fatalf("the next document (%v): output waiting in an array of %d bytes, lent %t", err, cap(p.outArray), p.outLent)
	}
}

// TestKnownTableRenew: a table lent for the other output, or of another
// epoch of run numbers, is cleared; one for the same is kept as it is.
func TestKnownTableRenew(t *testing.T) {
	table := &knownTable{epoch: 7}
	table.keys[5].n, table.keys[5].seenRun = 4, 9
	if table.renew(false, 7); table.keys[5].n != 4 || table.keys[5].seenRun != 9 {
		t.Error("a table for the same output and epoch was cleared")
	}
	if table.renew(true, 7); table.keys[5].n != 0 || !table.xml {
		t.Error("a table for JSON was lent for XML as it was")
	}
	table.keys[5].seenRun = 9
	if table.renew(true, 8); table.keys[5].seenRun != 0 || table.epoch != 8 {
		t.Error("a table of another epoch kept its containers")
	}
}

// TestLentContainersAreNotTakenAsValid: a container one Pass read valid
// and remembered is not taken as valid by the next Pass the table is lent
// to, where its bytes are as long, at the same place in a run and
// broken: the run numbers of all Passes are one count.
func TestLentContainersAreNotTakenAsValid(t *testing.T) {
	good := []byte("[" + strings.Repeat(withContainer(`[1,2,3]`)+",", 20))
	broken := bytes.ReplaceAll(good, []byte("[1,2,3]"), []byte("[1,,,3]"))
	sel := selectNode("id,z") // one selection: the known keys are of its node
	a, b := New(io.Discard, Options{Select: sel}), New(io.Discard, Options{Select: sel})
	a.out, b.out = make([]byte, 0, roomFor(good)), make([]byte, 0, roomFor(good))
	if _, err := a.Write(good); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Write(broken); err == nil {
		t.Error("broken containers passed, taken as valid from another Pass's run")
	}
}

// TestRunNumbersComeInBlocks: every run of every Pass has a number of its
// own (never 0), across the blocks Passes take in turns and across an
// epoch's end, and a Pass adds to the shared count once a block of at
// least 1,024 runs, not once a run.
func TestRunNumbersComeInBlocks(t *testing.T) {
	runNumbers.Store(runNumbers.Load()>>32<<32 | math.MaxUint32 - 512) // an epoch ends in the first blocks
	seen := make(map[uint64]bool)
	var a, b runState
	adds, last := 0, runNumbers.Load()
	for i := range 3072 {
		r := &a
		if i%3 == 0 {
			r = &b
		}
		r.next()
		id := uint64(r.epoch)<<32 | uint64(r.number)
		if r.number == 0 || seen[id] {
			t.Fatalf("run %d: number %d of epoch %d, taken before or none", i, r.number, r.epoch)
		}
		seen[id] = true
		if c := runNumbers.Load(); c != last {
			adds, last = adds+1, c
		}
	}
	if adds > 5 { // a: 2,048 runs, b: 1,024, and a zero skipped in each
		t.Errorf("3,072 runs of two Passes added to the shared count %d times (at most five blocks)", adds)
	}
}
