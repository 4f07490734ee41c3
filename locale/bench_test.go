package locale

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chatgate/chatgate/internal/benchratio"
	selection "github.com/chatgate/chatgate/select"
)

// BenchmarkAllTransforms runs $select, SO-TimeZone and a language together
// in the single pass over an array of 1,500 ChatSession entities (the
// reference pages' sample), and reports, from interleaved rounds in the
// same run, the median ratio to one gjson.ValidBytes pass over the same
// bytes. Goal: at most 3x.
func BenchmarkAllTransforms(b *testing.B) {
	doc := benchratio.ChatSessions(b, "../select/testdata/chatsession.json")[1].Doc
	path := filepath.Join(b.TempDir(), "strings.json")
	_ = os.WriteFile(path, []byte(`{"SR_X":{"en":"x","nb":"y"}}`), 0o600)
	langs, _ := NewLanguages("", nil, path)
	zones, _ := NewZones(nil)
	tz, _ := zones.ParseTimeZone("US-NY,includeTZOffset", mustLoad("Europe/Oslo"))
	rw := &Rewriter{Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: langs,
		UTCFields: [][]byte{[]byte("CreatedDate")}, TextFields: [][]byte{[]byte("FirstMessage"), []byte("LastMessage")}}
	sel, _ := selection.Parse([]string{"ChatSessionId,CustomerName,Status,WhenRequested,WhenStarted,WhenEnded,WhenIdle,WhenFetched,FieldProperties"}, 256)
	dst := make([]byte, 0, len(doc))
	pass := func() {
		if _, err := selection.Rewrite(dst[:0], doc, sel, rw, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		pass()
	}
	b.StopTimer()
	b.ReportMetric(benchratio.Median(pass, benchratio.ValidBytes(b, doc)), "x-time-of-ValidBytes")
}

// dateForms are one value of each kind the rewriter meets: offset-less,
// Z, ±hh:mm, ±hhmm, a fraction, a sentinel.
var dateForms = [][]byte{
	[]byte("2021-07-15T12:00:00"), []byte("2021-07-15T10:00:00Z"), []byte("2000-12-04T11:10:26.1095254+01:00"),
	[]byte("2021-06-18T11:10:26+0200"), []byte("0001-01-01T00:00:00"), []byte("9999-12-31T23:59:59"),
}

// BenchmarkConvertDateTime converts each form to New York with offsets,
// and tags it as UTC.
func BenchmarkConvertDateTime(b *testing.B) {
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	dst := make([]byte, 0, 64)
	var spans zoneSpans
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range dateForms {
			dst, _ = convertDateTime(dst[:0], s, oslo, ny, notation{include: true}, &spans)
			dst, _ = tagUTC(dst[:0], s, false)
		}
	}
}

// BenchmarkAppendBaseTime converts a request's date-times for the backend
// (New York to Oslo): an offset-less one, a JavaScript Date's, and the two
// sentinels as New York's answers give them (which the sentinel rule looks
// at); each iteration is the four.
func BenchmarkAppendBaseTime(b *testing.B) {
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	dates := [][]byte{[]byte("2024-01-02T03:04:05"), []byte("2024-01-02T03:04:05.006Z"),
		[]byte("0001-01-01T00:00:00"), []byte("9999-12-31T17:59:59-05:00")}
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range dates {
			dst, _ = AppendBaseTime(dst[:0], s, ny, oslo)
		}
	}
}

// BenchmarkConvertSpreadDates converts an answer's worth of dates (1,500
// of them, spread over twelve years in no order: 24 spans of each zone)
// from Oslo time to New York's, in interleaved rounds with the zones'
// tables and without them (the spans met before, and the time package's
// lookups), and reports each round's median time a date.
func BenchmarkConvertSpreadDates(b *testing.B) {
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	r := rand.New(rand.NewPCG(1, 2))
	dates := make([][]byte, 1500)
	for i := range dates {
		t := time.Date(2015+r.IntN(12), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), oslo)
		dates[i] = []byte(t.Format("2006-01-02T15:04:05.0000000-07:00"))
	}
	dst := make([]byte, 0, 64)
	answer := func(tables bool) func() {
		return func() {
			var spans zoneSpans
			if !tables {
				spans.tableLocs = [2]*time.Location{oslo, ny}
			}
			for _, s := range dates {
				dst, _ = convertDateTime(dst[:0], s, oslo, ny, notation{include: true}, &spans)
			}
		}
	}
	withTables, without := answer(true), answer(false)
	var with, spansOnly []time.Duration
	for b.Loop() {
		with = append(with, timed(withTables))
		spansOnly = append(spansOnly, timed(without))
	}
	b.ReportMetric(perDate(with, len(dates)), "ns/date-tables")
	b.ReportMetric(perDate(spansOnly, len(dates)), "ns/date-spans-only")
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// perDate is the median of times over n dates each, in ns a date.
func perDate(times []time.Duration, n int) float64 {
	slices.Sort(times)
	return float64(times[len(times)/2].Nanoseconds()) / float64(n)
}

// TestConversionAllocatesNothing: the transform stays zero-allocation for
// every form and notation.
func TestConversionAllocatesNothing(t *testing.T) {
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	dst := make([]byte, 0, 64)
	var spans zoneSpans
	for _, n := range []notation{{}, {include: true}, {include: true, compact: true}, {include: true, utc: true}} {
		for _, target := range []*time.Location{ny, time.UTC} {
			if allocs := testing.AllocsPerRun(100, func() {
				for _, s := range dateForms {
					dst, _ = convertDateTime(dst[:0], s, oslo, target, n, &spans)
					dst, _ = convertDateTime(dst[:0], s, oslo, target, n, nil)
					dst, _ = tagUTC(dst[:0], s, n.compact)
				}
			}); allocs != 0 {
				t.Errorf("%+v to %s: %v allocations", n, target, allocs)
			}
		}
	}
}
