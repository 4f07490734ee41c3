package locale

import (
	"os"
	"path/filepath"
	"testing"

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
		if _, err := selection.Rewrite(dst[:0], doc, sel, rw); err != nil {
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
