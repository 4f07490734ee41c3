package selection

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// benchSelect is a $select a client of the reference pages might send.
const benchSelect = "ChatSessionId,CustomerName,Status,User/Name,FieldProperties/fieldName/FieldType"

// BenchmarkProjection measures Project on one ChatSession entity and on an
// array of 1,500 of them (about 1.4 MB). Its ns/op is Project's. In the same
// run it times, in interleaved rounds, two baselines: encoding/json decoding
// to maps, nulling out and encoding again, and one gjson.ValidBytes pass
// over the same bytes (the floor: no projection can skip reading every
// byte); it reports the median ratios. Goals: at least 10x faster than
// encoding/json, at most 2x the ValidBytes pass, and allocations that do
// not grow with the body.
func BenchmarkProjection(b *testing.B) {
	sel, err := Parse([]string{benchSelect}, 256)
	if err != nil {
		b.Fatal(err)
	}
	for _, fx := range benchratio.ChatSessions(b, "testdata/chatsession.json") {
		b.Run(fx.Name, func(b *testing.B) {
			dst := make([]byte, 0, len(fx.Doc))
			ours := func() {
				if _, err := sel.Project(dst[:0], fx.Doc); err != nil {
					b.Fatal(err)
				}
			}
			encodingJSON := func() {
				if _, err := projectWithEncodingJSON(fx.Doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(fx.Doc)))
			for b.Loop() {
				ours()
			}
			b.StopTimer()
			b.ReportMetric(1/benchratio.Median(ours, encodingJSON), "x-faster-than-encoding/json")
			b.ReportMetric(benchratio.Median(ours, benchratio.ValidBytes(b, fx.Doc)), "x-time-of-ValidBytes")
		})
	}
}

// projectWithEncodingJSON is the straightforward way: decode to maps, null
// out what is not selected, encode.
func projectWithEncodingJSON(doc []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, err
	}
	paths := make([][]string, 0, 8)
	for _, p := range strings.Split(benchSelect, ",") {
		paths = append(paths, strings.Split(strings.ToLower(p), "/"))
	}
	return json.Marshal(nullOut(v, paths))
}

func nullOut(v any, paths [][]string) any {
	switch t := v.(type) {
	case []any:
		for i := range t {
			t[i] = nullOut(t[i], paths)
		}
		return t
	case map[string]any:
		for k, val := range t {
			var below [][]string
			whole := false
			for _, p := range paths {
				if strings.EqualFold(p[0], k) {
					if len(p) == 1 {
						whole = true
					} else {
						below = append(below, p[1:])
					}
				}
			}
			switch {
			case whole:
			case below != nil:
				t[k] = nullOut(val, below)
			default:
				t[k] = nil
			}
		}
		return t
	}
	return nil
}
