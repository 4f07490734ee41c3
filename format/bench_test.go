package format

import (
	"testing"

	"github.com/chatgate/chatgate/internal/benchratio"
)

// BenchmarkXML writes the reference pages' ChatSession entity, alone and as
// an array of 1,500 (about 1.4 MB), as XML. Its ns/op is AppendXML's; from
// interleaved rounds in the same run it reports the median ratio to one
// gjson.ValidBytes pass over the same JSON, the floor of any pass that
// reads every byte. Goal: at most 3x, with no allocation per answer.
func BenchmarkXML(b *testing.B) {
	for _, fx := range benchratio.ChatSessions(b, "../select/testdata/chatsession.json") {
		b.Run(fx.Name, func(b *testing.B) {
			dst := make([]byte, 0, 2*len(fx.Doc))
			ours := func() {
				if _, err := AppendXML(dst[:0], fx.Doc, "ChatSessionEntity"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(fx.Doc)))
			for b.Loop() {
				ours()
			}
			b.StopTimer()
			b.ReportMetric(benchratio.Median(ours, benchratio.ValidBytes(b, fx.Doc)), "x-time-of-ValidBytes")
		})
	}
}
