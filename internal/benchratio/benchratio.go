// Package benchratio times code against a baseline in the same run, for
// benchmarks that report ratios rather than absolute times: these machines
// are shared and noisy, and a neighbour slows both sides alike.
package benchratio

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// Rounds is how many interleaved rounds a ratio is the median of.
const Rounds = 5

// Median returns the median of, for each of Rounds interleaved rounds, the
// time per call of ours divided by that of baseline.
func Median(ours, baseline func()) float64 {
	ratios := make([]float64, Rounds)
	for i := range ratios {
		ratios[i] = NsPerOp(ours) / NsPerOp(baseline)
	}
	sort.Float64s(ratios)
	return ratios[len(ratios)/2]
}

// NsPerOp runs fn for about 100ms, after one call to warm up, and returns
// its mean time per call in nanoseconds.
func NsPerOp(fn func()) float64 {
	fn()
	n, start := 0, time.Now()
	for time.Since(start) < 100*time.Millisecond {
		fn()
		n++
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

// JSONArray is a JSON array of n copies of entity.
func JSONArray(entity []byte, n int) []byte {
	b := make([]byte, 0, n*(len(entity)+1)+2)
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, entity...)
	}
	return append(b, ']')
}

// Fixture is a document the benchmarks run on.
type Fixture struct {
	Name string
	Doc  []byte
}

// ChatSessions reads the reference pages' ChatSession entity from path and
// returns it alone ("entity") and as an array of 1,500 ("array1500").
func ChatSessions(tb testing.TB, path string) []Fixture {
	tb.Helper()
	entity, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return []Fixture{{"entity", entity}, {"array1500", JSONArray(entity, 1500)}}
}

// CompactChatSession reads the reference pages' ChatSession entity from
// path without its blanks, as bench/run.sh's backend serves it.
func CompactChatSession(tb testing.TB, path string) []byte {
	tb.Helper()
	entity, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, entity); err != nil {
		tb.Fatal(err)
	}
	return compact.Bytes()
}

// ValidBytes is the baseline of every pass that reads each byte: one
// gjson.ValidBytes over doc.
func ValidBytes(tb testing.TB, doc []byte) func() {
	return func() {
		if !gjson.ValidBytes(doc) {
			tb.Fatal("the benchmark's document is not valid JSON")
		}
	}
}
