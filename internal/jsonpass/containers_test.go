package jsonpass

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestRememberedContainers: a container the assembly skips under a key is
// taken as valid and as long as the last one it skipped under that key in
// its run only where the bytes are the same: a container that differs in
// any one byte (made invalid there, or valid and as long, or of another
// length) is read as any value, and an invalid one is refused. In JSON
// and XML, whole and in pieces.
func TestRememberedContainers(t *testing.T) {
	containers := []string{`{}`, `[1]`, `{"k":"v"}`, `{"fieldName":{"FieldRight":null,"FieldType":"System.Int32"}}`,
		`[` + strings.Repeat(`"abcdefg",`, 3) + `1]`, `{"a":[` + strings.Repeat(`{"b":true},`, 8) + `null]}`}
	for _, root := range []string{"", "R"} {
		opt := Options{Select: selectNode("id,z"), XMLRoot: root}
		for _, c := range containers {
			// the first object's keys are remembered by the Go loop, the
			// second's container read and remembered by the assembly, the
			// third's and each after it compared with it
			for at := range len(c) {
				for _, b := range []byte{0x01, '"', ',', '}', ']', 'x', '1'} {
					changed := []byte(c)
					if changed[at] == b {
						continue
					}
					changed[at] = b
					doc := []byte("[" + withContainer(c) + "," + withContainer(c) + "," + withContainer(c) + "," + withContainer(string(changed)) + "," + withContainer(c) + "]")
					want, werr := goLoop(doc, opt)
					got, err := Append(make([]byte, 0, roomFor(doc)), doc, opt)
					if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
						t.Fatalf("root %q, %s with byte %d %q: %q, %v; the Go loop: %q, %v", root, c, at, b, got, err, want, werr)
					}
					if streamedOut, serr := streamed(doc, opt, []byte{byte(len(doc) / 2)}); (serr == nil) != (werr == nil) || !bytes.Equal(streamedOut, want) {
						t.Fatalf("root %q, %s with byte %d %q, in two pieces: %q, %v; the Go loop: %q, %v", root, c, at, b, streamedOut, serr, want, werr)
					}
				}
			}
			// longer and shorter by a byte
			for _, other := range []string{c[:len(c)-1] + ` ` + c[len(c)-1:], strings.Replace(c, `"`, ``, 2)} {
				doc := []byte("[" + withContainer(c) + "," + withContainer(c) + "," + withContainer(c) + "," + withContainer(other) + "]")
				want, werr := goLoop(doc, opt)
				if got, err := Append(make([]byte, 0, roomFor(doc)), doc, opt); (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
					t.Fatalf("root %q, %s then %s: %q, %v; the Go loop: %q, %v", root, c, other, got, err, want, werr)
				}
			}
		}
	}
}

// TestRememberedContainersAreThisRunsOnly: a streaming Pass whose writes
// come in one reused buffer (as a proxy's reads do) never takes a
// container as valid by the bytes that buffer held in an earlier write:
// the second write's invalid container, at the place where the first
// write's valid one was and under the same key, is refused.
func TestRememberedContainersAreThisRunsOnly(t *testing.T) {
	valid, invalid := `{"k":[1,2,3]}`, `{"k":[1,2,3}}` // as long
	first := "[" + withContainer(valid) + "," + withContainer(valid) + "," + withContainer(valid) + ","
	// each object of the second write where one of the first's was
	second := " " + withContainer(invalid) + "," + withContainer(invalid) + "]"
	second += strings.Repeat(" ", len(first)-len(second))
	buf := make([]byte, len(first))
	var out bytes.Buffer
	p := New(&out, Options{Select: selectNode("id,z")})
	p.out = make([]byte, 0, roomFor(buf))
	copy(buf, first)
	if _, err := p.Write(buf); err != nil {
		t.Fatal(err)
	}
	copy(buf, second)
	if _, err := p.Write(buf); err == nil {
		if err = p.Close(); err == nil {
			t.Fatalf("an invalid container passed: %s", out.Bytes())
		}
	}
}

// withContainer is an object with the container c under "c", between
// members the assembly takes (id and z selected, pad not).
func withContainer(c string) string {
	return `{"id":1,"c":` + c + `,"z":"end","pad":"` + strings.Repeat("p", 64) + `"}`
}

// roomFor is an output capacity where the assembly has the room to take
// every member of doc (it takes none without unselectedRoom bytes).
func roomFor(doc []byte) int { return 8*len(doc) + 1024 }

// TestRememberedContainersKeepTheNestingLimit: one known key's slot is
// shared by members of objects at depths 7 apart (slots are 37 a level,
// modulo 128), so a container remembered where it was nested within
// MaxNesting is not taken as valid where the same bytes pass it: the
// assembly takes a remembered container only where its limit is its own
// 60 levels or more. (Found by a probe.)
func TestRememberedContainersKeepTheNestingLimit(t *testing.T) {
	x := strings.Repeat("[", 10) + strings.Repeat("]", 10)
	pad := `"z":"end","pad":"` + strings.Repeat("p", 64) + `"}`
	a := `{"id":1,"p":2,"q":3,"c":` + x + `,` + pad // x's last level at MaxNesting
	b := `{"c":` + x + `,"id":1,` + pad             // 7 levels deeper, c in a's c's slot
	doc := []byte(strings.Repeat("[", 9989) + a + "," + a + "," + a + "," + strings.Repeat("[", 7) + b + strings.Repeat("]", 7+9989))
	for _, root := range []string{"", "R"} {
		opt := Options{Select: selectNode("id,z"), XMLRoot: root}
		if out, err := Append(make([]byte, 0, roomFor(doc)), doc, opt); err == nil {
			t.Fatalf("root %q: a document nested %d levels passed: %.100s", root, nesting(doc), out)
		}
		if out, err := streamed(doc, opt, []byte{255}); err == nil {
			t.Fatalf("root %q, streamed: a document nested %d levels passed: %.100s", root, nesting(doc), out)
		}
	}
}

// goLoop is Append with the assembly off: what the member loops write.
func goLoop(doc []byte, opt Options) ([]byte, error) {
	vector := hasAVX2
	defer func() { hasAVX2 = vector }()
	hasAVX2 = false
	return Append(nil, doc, opt)
}

// TestRememberedContainerBounds: a container longer than a known key
// remembers (65,535 bytes) is read whole each time, and a table of known
// keys forgets every container it remembers when the run numbers wrap.
func TestRememberedContainerBounds(t *testing.T) {
	long := "[" + strings.Repeat(`"abcdefghijklmnop",`, 4000) + `"z"]`
	broken := []byte(long)
	broken[65540] = 0x01 // in a string, past what a 16-bit length would compare
	opt := Options{Select: selectNode("id")}
	doc := []byte("[" + withContainer(long) + "," + withContainer(long) + "," + withContainer(long) + "]")
	want, _ := goLoop(doc, opt)
	if out, err := Append(make([]byte, 0, roomFor(doc)), doc, opt); err != nil || !bytes.Equal(out, want) {
		t.Fatalf("long containers: %.200s, %v; want %.200s", out, err, want)
	}
	doc = []byte("[" + withContainer(long) + "," + withContainer(long) + "," + withContainer(string(broken)) + "]")
	if out, err := Append(make([]byte, 0, roomFor(doc)), doc, opt); err == nil {
		t.Fatalf("a long container broken at byte 65540 passed: %.200s", out)
	}

	runNumbers.Store(runNumbers.Load()>>32<<32 | math.MaxUint32 - 1) // on, to its epoch's last numbers
	var r runState
	r.next()
	table := &knownTable{epoch: r.epoch}
	table.keys[3].seenRun = r.number
	if table.renew(false, r.epoch); table.keys[3].seenRun != r.number {
		t.Errorf("a table of its own epoch forgot a container of run %d", r.number)
	}
	for first := r.epoch; r.epoch == first; {
		r.next()
	}
	if table.renew(false, r.epoch); r.number == 0 || table.keys[3].seenRun != 0 || table.epoch != r.epoch {
		t.Errorf("after the wrap: run %d of epoch %d, a container of run %d remembered (table of epoch %d)", r.number, r.epoch, table.keys[3].seenRun, table.epoch)
	}
}
