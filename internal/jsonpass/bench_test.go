package jsonpass

import (
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"testing"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// benchSelect is a $select a client of the reference pages might send.
const benchSelect = "ChatSessionId,CustomerName,Status,User/Name,FieldProperties/fieldName/FieldType"

// upperDates stands for the locale rewriter's cost profile: it looks at
// every string and rewrites the few that look like a date-time.
type upperDates struct{}

func (upperDates) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	if len(raw) < 18 || raw[11] != 'T' {
		return dst, false
	}
	return append(dst, raw...), true
}

// memchr is the physical limit of a pass over doc on this machine: one
// bytes.IndexByte for a byte the document does not hold, which reads every
// byte with the widest vector loads the runtime has.
func memchr(tb testing.TB, doc []byte) func() {
	return func() {
		if bytes.IndexByte(doc, 0) >= 0 {
			tb.Fatal("a NUL byte in the benchmark's document")
		}
	}
}

// BenchmarkEngine runs each transform over an array of 1,500 ChatSession
// entities (about 1.4 MB; the -varied ones over 1,500 varied as a real
// list's are, benchratio.VariedChatSessions), whole (Append into a reused buffer) and
// streamed (32 KiB writes to io.Discard). Its MB/s is the engine's, on one
// core. From interleaved rounds in the same run it reports the median
// ratio of its time to one gjson.ValidBytes pass (goal: at most 1.5x),
// and the same ratio in the thread's CPU time (steadier on a shared
// machine), and, in CPU time, to a bare memchr-style scan of the same
// bytes (the physical limit).
// Goals: projection at least 1.5 GB/s per core; no allocation per body.
func BenchmarkEngine(b *testing.B) {
	fixtures := benchratio.ChatSessions(b, "../../select/testdata/chatsession.json")
	doc := fixtures[1].Doc
	varied := benchratio.VariedChatSessions(compact(b, fixtures[0].Doc), 1500)
	sel := selectNode(benchSelect)
	for _, tc := range []struct {
		name   string
		opt    Options
		stream bool
		doc    []byte // the array of 1,500 when nil
	}{
		{"copy", Options{}, false, nil},
		{"select", Options{Select: sel}, false, nil},
		{"select-streamed", Options{Select: sel}, true, nil},
		{"strings", Options{Rewriter: upperDates{}}, false, nil},
		{"select+strings", Options{Select: sel, Rewriter: upperDates{}}, false, nil},
		{"xml", Options{XMLRoot: "ChatSessionEntity"}, false, nil},
		{"xml-streamed", Options{XMLRoot: "ChatSessionEntity"}, true, nil},
		{"select+strings+xml", Options{Select: sel, Rewriter: upperDates{}, XMLRoot: "ChatSessionEntity"}, false, nil},
		{"select-varied", Options{Select: sel}, false, varied},
		{"select+strings-varied", Options{Select: sel, Rewriter: upperDates{}}, false, varied},
	} {
		b.Run(tc.name, func(b *testing.B) {
			doc := doc
			if tc.doc != nil {
				doc = tc.doc
			}
			var p Pass
			dst := make([]byte, 0, 3*len(doc))
			ours := func() {
				var err error
				if tc.stream {
					err = writeStreamed(&p, doc, tc.opt)
				} else {
					_, err = p.Append(dst[:0], doc, tc.opt)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				ours()
			}
			b.StopTimer()
			b.ReportMetric(benchratio.Median(ours, benchratio.ValidBytes(b, doc)), "x-time-of-ValidBytes")
			b.ReportMetric(cpuRatio(ours, benchratio.ValidBytes(b, doc)), "x-cpu-of-ValidBytes")
			b.ReportMetric(cpuRatio(ours, memchr(b, doc)), "x-cpu-of-memchr")
		})
	}
	b.Run("ValidBytes", func(b *testing.B) {
		valid := benchratio.ValidBytes(b, doc)
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			valid()
		}
		b.StopTimer()
		b.ReportMetric(cpuRatio(valid, memchr(b, doc)), "x-cpu-of-memchr")
	})
	b.Run("memchr", func(b *testing.B) {
		scan := memchr(b, doc)
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			scan()
		}
	})
}

// compact is doc without its blanks, as VariedChatSessions takes it.
func compact(tb testing.TB, doc []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// writeStreamed feeds doc to p in 32 KiB writes, the way a response
// arrives, its output going to io.Discard.
func writeStreamed(p *Pass, doc []byte, opt Options) error {
	p.Reset(io.Discard, opt)
	for len(doc) > 0 {
		n := min(32<<10, len(doc))
		if _, err := p.Write(doc[:n]); err != nil {
			return err
		}
		doc = doc[n:]
	}
	return p.Close()
}

// TestNoAllocationPerBody: a reused Pass allocates nothing per body, whole
// or streamed (its output array lent), for every output.
func TestNoAllocationPerBody(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race the pools drop what a Pass borrows; .ci/run runs this test without -race")
	}
	doc := benchratio.ChatSessions(t, "../../select/testdata/chatsession.json")[1].Doc
	sel := selectNode(benchSelect)
	var p Pass
	dst := make([]byte, 0, 3*len(doc))
	for _, opt := range []Options{{}, {Select: sel}, {Select: sel, Rewriter: upperDates{}}, {XMLRoot: "E"}, {Select: sel, XMLRoot: "E"}} {
		for _, stream := range []bool{false, true} {
			run := func() {
				var err error
				if stream {
					err = writeStreamed(&p, doc, opt)
				} else {
					_, err = p.Append(dst[:0], doc, opt)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			run()
			if n := testing.AllocsPerRun(5, run); n != 0 {
				t.Errorf("%+v streamed %v: %v allocations per body", opt, stream, n)
			}
		}
	}
}

// TestNewStreamingPassAllocatesItsOutputOnce: a new Pass that streams a
// document (the first answers after a start, or after the pool let the
// arrays go) is lent its output array whole, at the size a streamed
// answer's output needs, where append grew one step by step and left
// about as much again in garbage, and gives it back at the document's
// end, long or short.
func TestNewStreamingPassAllocatesItsOutputOnce(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race the pools drop what a Pass borrows; .ci/run runs this test without -race")
	}
	long := benchratio.ChatSessions(t, "../../select/testdata/chatsession.json")[1].Doc
	short := []byte(`{"ChatSessionId":1,"Status":"Closed"}`)
	for _, tc := range []struct {
		name string
		doc  []byte
	}{{"long", long}, {"short", short}} {
		t.Run(tc.name, func(t *testing.T) {
			opt := Options{Select: selectNode(benchSelect), AlignAt: 4088}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var p Pass
			if err := writeStreamed(&p, tc.doc, opt); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			// the output array (in Go's size class of 72 KiB), the known
			// keys (16 KiB) and the little else a Pass makes once
			allocated, atMost := after.TotalAlloc-before.TotalAlloc, uint64(streamOutput+32<<10)
			if allocated > atMost || cap(p.outArray) != 0 {
				t.Errorf("a new streaming Pass allocated %d bytes (at most %d), and keeps an output array of %d bytes", allocated, atMost, cap(p.outArray))
			}
		})
	}
}

// TestGigabyteInBoundedMemory streams 1 GB of ChatSession entities, as
// one JSON array, through $select, and checks that the memory the process
// holds grows by less than 32 MB.
func TestGigabyteInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 1 GB")
	}
	entity := benchratio.ChatSessions(t, "../../select/testdata/chatsession.json")[0].Doc
	chunk := append([]byte{}, benchratio.JSONArray(entity, 32)[1:]...) // "e,e,...,e]"
	chunk[len(chunk)-1] = ','
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p := New(io.Discard, Options{Select: selectNode(benchSelect)})
	if _, err := p.Write([]byte("[")); err != nil {
		t.Fatal(err)
	}
	total := 0
	for total < 1<<30 {
		// pieces that cut tokens anywhere
		for piece := chunk; len(piece) > 0; {
			n := min(len(piece), 4093)
			if _, err := p.Write(piece[:n]); err != nil {
				t.Fatal(err)
			}
			piece = piece[n:]
		}
		total += len(chunk)
	}
	if _, err := p.Write(append(entity, ']')); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	grown := int64(after.Sys) - int64(before.Sys)
	t.Logf("%d MB streamed; the process's memory grew by %d KB", total>>20, grown>>10)
	if grown > 32<<20 {
		t.Errorf("memory grew by %d MB", grown>>20)
	}
}
