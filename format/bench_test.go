package format

import (
	"os"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// BenchmarkXML writes the reference pages' ChatSession entity, alone and as
// an array of 1,500 (about 1.4 MB), as XML. Its ns/op is AppendXML's; from
// interleaved rounds in the same run it reports the median ratio to one
// gjson.ValidBytes pass over the same JSON, the floor of any pass that
// reads every byte. Goal: at most 3x, with no allocation per answer.
func BenchmarkXML(b *testing.B) {
	entity, err := os.ReadFile("../select/testdata/chatsession.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, fx := range []struct {
		name string
		doc  []byte
	}{{"entity", entity}, {"array1500", benchratio.JSONArray(entity, 1500)}} {
		b.Run(fx.name, func(b *testing.B) {
			dst := make([]byte, 0, 2*len(fx.doc))
			ours := func() {
				if _, err := AppendXML(dst[:0], fx.doc, "ChatSessionEntity"); err != nil {
					b.Fatal(err)
				}
			}
			validBytes := func() {
				if !gjson.ValidBytes(fx.doc) {
					b.Fatal("invalid")
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(fx.doc)))
			for b.Loop() {
				ours()
			}
			b.StopTimer()
			b.ReportMetric(benchratio.Median(ours, validBytes), "x-time-of-ValidBytes")
		})
	}
}
