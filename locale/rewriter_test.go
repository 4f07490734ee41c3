package locale

import (
	"os"
	"path/filepath"
	"testing"

	selection "github.com/chatgate/chatgate/select"
)

func TestRewriterInOnePass(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	_ = os.WriteFile(path, []byte(`{"SR_STATUS_ACTIVE":{"en":"Active","nb":"Aktiv"}}`), 0o600)
	langs, err := NewLanguages("", nil, path)
	if err != nil {
		t.Fatal(err)
	}
	zones, _ := NewZones(nil)
	tz, _ := zones.ParseTimeZone("US-NY")
	r := &Rewriter{
		Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: langs,
		UTCFields: [][]byte{[]byte("Updated")}, TextFields: [][]byte{[]byte("FirstMessage")},
	}
	doc := `{"WhenRequested":"2000-12-04T11:10:26.1095254+01:00","updated":"2000-12-04T11:10:26Z",` +
		`"Status":"[SR_STATUS_ACTIVE]","Category":"US:\"Supplier\";NO:\"Leverandør\"",` +
		`"FirstMessage":"2000-12-04T11:10:26Z [SR_STATUS_ACTIVE]","Dates":["2021-07-01T12:00:00"],"N":1,"Plain":"x"}`
	got, err := selection.Rewrite(nil, []byte(doc), nil, r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"WhenRequested":"2000-12-04T05:10:26.1095254-05:00","updated":"2000-12-04T11:10:26Z",` +
		`"Status":"Aktiv","Category":"Leverandør",` +
		`"FirstMessage":"2000-12-04T11:10:26Z [SR_STATUS_ACTIVE]","Dates":["2021-07-01T06:00:00"],"N":1,"Plain":"x"}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestRequestDates(t *testing.T) {
	q := &RequestDates{From: mustLoad("America/New_York"), To: mustLoad("Europe/Oslo"), TextFields: [][]byte{[]byte("Text")}}
	doc := `{"When":"2021-01-15T06:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00","Nested":{"Due":"2021-07-15T06:00"}}`
	got, err := selection.Rewrite(nil, []byte(doc), nil, q)
	want := `{"When":"2021-01-15T12:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00","Nested":{"Due":"2021-07-15T12:00"}}`
	if err != nil || string(got) != want {
		t.Fatalf("got  %s, %v\nwant %s", got, err, want)
	}
}
