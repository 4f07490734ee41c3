package locale

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	tz, _ := zones.ParseTimeZone("US-NY", nil)
	r := &Rewriter{
		Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: langs,
		UTCFields: [][]byte{[]byte("Updated")}, TextFields: [][]byte{[]byte("FirstMessage")},
	}
	doc := `{"WhenRequested":"2000-12-04T11:10:26.1095254+01:00","updated":"2000-12-04T11:10:26Z",` +
		`"Status":"[SR_STATUS_ACTIVE]","Category":"US:\"Supplier\";NO:\"Leverandør\"",` +
		`"FirstMessage":"2000-12-04T11:10:26Z [SR_STATUS_ACTIVE]","Dates":["2021-07-01T12:00:00"],"N":1,"Plain":"x"}`
	got, err := selection.Rewrite(nil, []byte(doc), nil, r, nil)
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

// TestEscapedTextsAreTranslated: a reference or a multi-language value
// whose letters the backend escaped is read by its text, as JSON reads it.
func TestEscapedTextsAreTranslated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	_ = os.WriteFile(path, []byte(`{"SR_YES":{"en":"Yes","nb":"Ja"}}`), 0o600)
	withStrings, err := NewLanguages("", nil, path)
	if err != nil {
		t.Fatal(err)
	}
	without, _ := NewLanguages("", nil, "")
	for _, tc := range []struct {
		langs     *Languages
		doc, want string
	}{
		{withStrings, `{"a":"\u005bSR_YES\u005d","b":"[SR_\u0059ES]","c":"\u005b","d":"\u00e6 \u005BSR_YES]","e":"\\u005b"}`, `{"a":"Ja","b":"Ja","c":"\u005b","d":"æ Ja","e":"\\u005b"}`},
		{without, `{"a":"\u0055S:\"Supplier\";NO:\"Leverand\u00f8r\"","b":"\u00e6"}`, `{"a":"Leverandør","b":"\u00e6"}`},
	} {
		r := &Rewriter{Language: "nb", Languages: tc.langs}
		got, err := selection.Rewrite(nil, []byte(tc.doc), nil, r, nil)
		if err != nil || string(got) != tc.want {
			t.Fatalf("%s: got %s (%v), want %s", tc.doc, got, err, tc.want)
		}
	}
}

// TestRewriterTimeZones: each header form and notation over one document
// with a UTC field, a text field, a value of each offset kind and the
// sentinels, from a backend in Oslo.
func TestRewriterTimeZones(t *testing.T) {
	zones, _ := NewZones(nil)
	oslo := mustLoad("Europe/Oslo")
	doc := `{"Start":"2002-03-31T18:00:00","At":"2000-12-04T11:10:26+01:00","Idle":"2021-06-18T11:10:26+0200","Z":"2021-07-15T10:00:00Z",` +
		`"CreatedDate":"2002-08-07T12:52:00","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
		`"From":"0001-01-01T00:00:00","To":"9999-12-31T23:59:59"}`
	for _, tc := range []struct {
		header  string
		compact bool
		want    string
	}{
		{"US-NY", false, `{"Start":"2002-03-31T11:00:00","At":"2000-12-04T05:10:26-05:00","Idle":"2021-06-18T05:10:26-0400","Z":"2021-07-15T06:00:00-04:00",` +
			`"CreatedDate":"2002-08-07T12:52:00","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00","To":"9999-12-31T17:59:59"}`},
		{"US-NY,includeTZOffset", false, `{"Start":"2002-03-31T11:00:00-05:00","At":"2000-12-04T05:10:26-05:00","Idle":"2021-06-18T05:10:26-0400","Z":"2021-07-15T06:00:00-04:00",` +
			`"CreatedDate":"2002-08-07T12:52:00Z","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00-04:56","To":"9999-12-31T17:59:59-05:00"}`},
		{"US-NY,includeTZOffset", true, `{"Start":"2002-03-31T11:00:00-0500","At":"2000-12-04T05:10:26-05:00","Idle":"2021-06-18T05:10:26-0400","Z":"2021-07-15T06:00:00-04:00",` +
			`"CreatedDate":"2002-08-07T12:52:00+0000","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00-0456","To":"9999-12-31T17:59:59-0500"}`},
		{"utc,includeTZOffset", false, `{"Start":"2002-03-31T16:00:00Z","At":"2000-12-04T10:10:26Z","Idle":"2021-06-18T09:10:26+0000","Z":"2021-07-15T10:00:00Z",` +
			`"CreatedDate":"2002-08-07T12:52:00Z","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00Z","To":"9999-12-31T22:59:59Z"}`},
		{"UTC, includeTZOffset", true, `{"Start":"2002-03-31T16:00:00+0000","At":"2000-12-04T10:10:26Z","Idle":"2021-06-18T09:10:26+0000","Z":"2021-07-15T10:00:00Z",` +
			`"CreatedDate":"2002-08-07T12:52:00+0000","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00+0000","To":"9999-12-31T22:59:59+0000"}`},
		{"includeTZOffset", false, `{"Start":"2002-03-31T18:00:00+02:00","At":"2000-12-04T11:10:26+01:00","Idle":"2021-06-18T11:10:26+0200","Z":"2021-07-15T12:00:00+02:00",` +
			`"CreatedDate":"2002-08-07T12:52:00Z","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00+00:43","To":"9999-12-31T23:59:59+01:00"}`},
		{"UTC", false, `{"Start":"2002-03-31T16:00:00","At":"2000-12-04T10:10:26Z","Idle":"2021-06-18T09:10:26+0000","Z":"2021-07-15T10:00:00Z",` +
			`"CreatedDate":"2002-08-07T12:52:00","Updated":"2002-08-07T12:52:00+02:00","Text":"2002-03-31T18:00:00",` +
			`"From":"0001-01-01T00:00:00","To":"9999-12-31T22:59:59"}`},
	} {
		t.Run(fmt.Sprintf("%s compact %v", tc.header, tc.compact), func(t *testing.T) {
			tz, err := zones.ParseTimeZone(tc.header, oslo)
			if err != nil {
				t.Fatal(err)
			}
			r := &Rewriter{Base: oslo, Zone: &tz, CompactOffsets: tc.compact,
				UTCFields: [][]byte{[]byte("CreatedDate"), []byte("Updated")}, TextFields: [][]byte{[]byte("Text")}}
			got, err := selection.Rewrite(nil, []byte(doc), nil, r, nil)
			if err != nil || string(got) != tc.want {
				t.Fatalf("got  %s, %v\nwant %s", got, err, tc.want)
			}
		})
	}
}

// TestEscapedDatesAreConverted: a date-time the backend wrote with
// escaped characters (.NET's JSON writes + as \u002B) is read by its
// text, as JSON reads it, in answers and in requests, and written plain;
// an escape of anything a date-time cannot hold leaves the string as it
// is, as does the same text in a text field, and a UTC field is tagged.
func TestEscapedDatesAreConverted(t *testing.T) {
	zones, _ := NewZones(nil)
	oslo := mustLoad("Europe/Oslo")
	doc := `{"Plus":"2020-07-02T03:04:05\u002B02:00","Dash":"2020\u002d01-02T03:04:05","All":"\u0032\u0030\u0032\u0030\u002d\u0030\u0031\u002d\u0030\u0032\u0054\u0030\u0033\u003a\u0030\u0034",` +
		`"Upper":"2020-01-02\u005403\u003A04:05","Text":"2020-07-02T03:04:05\u002B02:00","CreatedDate":"2020-01-02T03:04\u003a05",` +
		`"Line":"2020-01-02T03:04:05\n","Slash":"2020-01-02T03:04:05\/","Letter":"\u00e62020-01-02T03:04:05","Short":"2020\u002d01-02"}`
	for _, tc := range []struct{ header, want string }{
		{"US-NY", `{"Plus":"2020-07-01T21:04:05-04:00","Dash":"2020-01-01T21:04:05","All":"2020-01-01T21:04",` +
			`"Upper":"2020-01-01T21:04:05","Text":"2020-07-02T03:04:05\u002B02:00","CreatedDate":"2020-01-02T03:04\u003a05",` +
			`"Line":"2020-01-02T03:04:05\n","Slash":"2020-01-02T03:04:05\/","Letter":"\u00e62020-01-02T03:04:05","Short":"2020\u002d01-02"}`},
		{"US-NY, includeTZOffset", `{"Plus":"2020-07-01T21:04:05-04:00","Dash":"2020-01-01T21:04:05-05:00","All":"2020-01-01T21:04-05:00",` +
			`"Upper":"2020-01-01T21:04:05-05:00","Text":"2020-07-02T03:04:05\u002B02:00","CreatedDate":"2020-01-02T03:04:05Z",` +
			`"Line":"2020-01-02T03:04:05\n","Slash":"2020-01-02T03:04:05\/","Letter":"\u00e62020-01-02T03:04:05","Short":"2020\u002d01-02"}`},
	} {
		tz, err := zones.ParseTimeZone(tc.header, oslo)
		if err != nil {
			t.Fatal(err)
		}
		r := &Rewriter{Base: oslo, Zone: &tz, UTCFields: [][]byte{[]byte("CreatedDate")}, TextFields: [][]byte{[]byte("Text")}}
		got, err := selection.Rewrite(nil, []byte(doc), nil, r, nil)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s:\ngot  %s, %v\nwant %s", tc.header, got, err, tc.want)
		}
	}
	q := &RequestDates{From: mustLoad("America/New_York"), To: oslo}
	got, err := selection.Rewrite(nil, []byte(`{"When":"2021\u002d01-15T06:00:00","Late":"2021-01-15T06\u003a00:00","At":"2021-01-15T06:00:00\u002d05:00"}`), nil, q, nil)
	if want := `{"When":"2021-01-15T12:00:00","Late":"2021-01-15T12:00:00","At":"2021-01-15T06:00:00\u002d05:00"}`; err != nil || string(got) != want {
		t.Errorf("request:\ngot  %s, %v\nwant %s", got, err, want)
	}
}

func TestRequestDates(t *testing.T) {
	q := &RequestDates{From: mustLoad("America/New_York"), To: mustLoad("Europe/Oslo"), TextFields: [][]byte{[]byte("Text")}}
	doc := `{"When":"2021-01-15T06:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00","Nested":{"Due":"2021-07-15T06:00"}}`
	got, err := selection.Rewrite(nil, []byte(doc), nil, q, nil)
	want := `{"When":"2021-01-15T12:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00","Nested":{"Due":"2021-07-15T12:00"}}`
	if err != nil || string(got) != want {
		t.Fatalf("got  %s, %v\nwant %s", got, err, want)
	}
}

func TestAppendBaseTime(t *testing.T) {
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	for _, tc := range []struct{ in, want string }{
		{"2024-01-02T03:04:05.006Z", "2024-01-02T04:04:05.006"},
		{"2024-07-02T03:04:05+02:00", "2024-07-02T03:04:05"},
		{"2024-07-02T03:04:05-0400", "2024-07-02T09:04:05"},
		{"2024-01-02T03:04:05", "2024-01-02T09:04:05"}, // read in New York
		{"2024-01-02T03:04", "2024-01-02T09:04"},
		// an instant, whose wall time in New York is in the year 0: no
		// sentinel an answer gave, so converted (Oslo's local mean time)
		{"0001-01-01T00:00:00.000Z", "0001-01-01T00:43:00.000"},
		// New York's sentinel form of the backend's 0001-01-01T00:00:00
		{"0001-01-01T00:00:00-04:56", "0001-01-01T00:00:00"},
	} {
		got, ok := AppendBaseTime(nil, []byte(tc.in), ny, oslo)
		if !ok || string(got) != tc.want {
			t.Errorf("AppendBaseTime(%s) = %s, %v; want %s", tc.in, got, ok, tc.want)
		}
	}
	if _, ok := AppendBaseTime(nil, []byte("2024-13-01T00:00:00"), ny, oslo); ok {
		t.Error("a month 13 converted")
	}
}

// TestSentinelsComeBackAsWritten: a backend value an answer keeps as
// written (its conversion would leave the years 0001-9999: the 0001-01-01
// and 9999-12-31 sentinels) reaches the backend as written when the reader
// sends it back, in every form a reader has it in: offset-less, with the
// offset the answer gave it (includeTZOffset), and as a JavaScript Date
// writes that instant (UTC, milliseconds). Values the answers convert come
// back converted, but near the ends, where an answer's text may stand for a
// kept value as well (TestDatesAtTheCalendarsEnds); here only this test's
// ordinary value is.
func TestSentinelsComeBackAsWritten(t *testing.T) {
	zones := []*time.Location{time.UTC, mustLoad("Europe/Oslo"), mustLoad("America/New_York"), mustLoad("Asia/Tokyo"),
		mustLoad("Pacific/Kiritimati"), mustLoad("Pacific/Pago_Pago"), mustLoad("Africa/Monrovia")}
	values := []string{"0001-01-01T00:00:00", "0001-01-01T05:00:00", "0001-01-01T23:59:59", "9999-12-31T23:59:59",
		"9999-12-31T12:00:00", "9999-12-31T00:00", "2024-03-05T10:11:12"}
	kept := 0
	for _, base := range zones {
		for _, zone := range zones {
			for _, b := range values {
				plain, _ := convertDateTime(nil, []byte(b), base, zone, notation{}, nil)
				if string(plain) != b && !strings.HasPrefix(b, "2024") {
					continue // converted: local mean time's seconds need not come back (see FuzzConvertDateTime)
				}
				if string(plain) == b && base != zone && !strings.HasPrefix(b, "2024") {
					kept++
				}
				withOffset, _ := convertDateTime(nil, []byte(b), base, zone, notation{include: true}, nil)
				layout, js := time.RFC3339, ".000Z"
				if len(b) == len("YYYY-MM-DDThh:mm") {
					layout, js = "2006-01-02T15:04Z07:00", ":00.000Z"
				}
				instant, err := time.Parse(layout, string(withOffset))
				if err != nil {
					t.Fatalf("%s: %v", withOffset, err)
				}
				date := instant.UTC().Format("2006-01-02T15:04:05.000Z") // as a JavaScript Date writes it
				doc, err := selection.Rewrite(nil, []byte(`{"When":"`+string(plain)+`"}`), nil, &RequestDates{From: zone, To: base}, nil)
				if want := `{"When":"` + b + `"}`; err != nil || string(doc) != want {
					t.Errorf("%s in %s, shown in %s as %s, came back in a body as %s; want %s", b, base, zone, plain, doc, want)
				}
				forms := []string{string(plain), string(withOffset), date}
				if instant.UTC().Year() > 9999 {
					forms = forms[:2] // JavaScript writes the year +010000, which is no date-time of the contract's form
				}
				for _, sent := range forms {
					want := b
					if sent == date {
						want = b + strings.TrimSuffix(js, "Z")
					}
					if got, ok := AppendBaseTime(nil, []byte(sent), zone, base); !ok || string(got) != want {
						t.Errorf("%s in %s, shown in %s, sent back as %s, reached the backend as %s; want %s", b, base, zone, sent, got, want)
					}
				}
			}
		}
	}
	if kept < 40 {
		t.Fatalf("only %d sentinels kept as written: the test would not test them", kept)
	}
}

// TestDatesAtTheCalendarsEnds pins what keptByAnswers decides where it
// decides alone. Near the calendar's ends the answers show two backend
// values as one text: from a UTC backend, Tokyo reads 9999-12-31T12:00:00
// converted and 9999-12-31T21:00:00 kept, both as 9999-12-31T21:00:00.
// Coming back, that text is read as the kept one (the sentinels win);
// a text no answer keeps is converted as any other. Answers write offsets
// to the minute, and so does the rule: New York's 0001-01-01T04:56:00
// (a UTC backend's 0001-01-01T09:52:02) is no sentinel. A value that
// would stay in the year 0000 is the backend's "no date".
func TestDatesAtTheCalendarsEnds(t *testing.T) {
	utc, tokyo, ny, oslo := time.UTC, mustLoad("Asia/Tokyo"), mustLoad("America/New_York"), mustLoad("Europe/Oslo")
	for _, tc := range []struct {
		reader   *time.Location
		in, want string
		base     *time.Location // nil: UTC
	}{
		{tokyo, "9999-12-31T21:00:00", "9999-12-31T21:00:00", nil},          // kept: also what 12:00 converted shows
		{tokyo, "9999-12-31T21:00:00+09:00", "9999-12-31T21:00:00", nil},    // the same with the answer's offset
		{tokyo, "9999-12-31T12:00:00.000Z", "9999-12-31T21:00:00.000", nil}, // and as a JavaScript Date writes it
		{tokyo, "9999-12-31T14:00:00", "9999-12-31T05:00:00", nil},          // no answer keeps it: converted
		{ny, "0001-01-01T00:00:00", "0001-01-01T00:00:00", nil},             // kept
		{ny, "0001-01-01T04:56:00", "0001-01-01T09:52:02", nil},             // shown for 09:52:02, to the minute: converted
		{ny, "0002-01-01T00:00:00", "0002-01-01T04:56:02", nil},             // not at the ends
		{ny, "9999-12-31T20:00:00-05:00", "9999-12-31T20:00:00", nil},       // past the year 9999 in UTC: as written (convertDateTime)
		{ny, "9999-12-31T18:00:00-05:00", "9999-12-31T23:00:00", nil},       // an instant no answer shows: converted
		// the official client's "no date" from a runtime in Oslo: the
		// backend's no date, in its shape
		{oslo, "0000-12-31T23:06:32.000Z", "0001-01-01T00:00:00.000", oslo},
		{oslo, "0000-12-31T23:06Z", "0001-01-01T00:00", oslo},
		{tokyo, "0000-12-31T23:00:00", "0001-01-01T00:00:00", nil}, // UTC 14:00 of the year 0
		{ny, "0000-12-31T23:00:00", "0001-01-01T03:56:02", nil},    // the year 1 in UTC: converted
	} {
		base := cmp.Or(tc.base, utc)
		got, ok := AppendBaseTime(nil, []byte(tc.in), tc.reader, base)
		if !ok || string(got) != tc.want {
			t.Errorf("AppendBaseTime(%s from %s) = %s, %v; want %s", tc.in, tc.reader, got, ok, tc.want)
		}
		if d, _ := parseDateTime([]byte(tc.in)); d.offset != noOffset {
			continue // a body's values with an offset are instants already
		}
		doc, err := selection.Rewrite(nil, []byte(`["`+tc.in+`"]`), nil, &RequestDates{From: tc.reader, To: base}, nil)
		if want := `["` + tc.want + `"]`; err != nil || string(doc) != want {
			t.Errorf("%s in a body from %s became %s; want %s", tc.in, tc.reader, doc, want)
		}
	}
}

// TestRewriteBounds: a plain string (no escape, ASCII) whose text is
// outside the bounds a Rewriter gives is never rewritten, whatever the
// Rewriter's zone and language: the JSON engine skips the call for it.
func TestRewriteBounds(t *testing.T) {
	zones, _ := NewZones(nil)
	tz, _ := zones.ParseTimeZone("US-NY, includeTZOffset", nil)
	plainLangs, _ := NewLanguages("", nil, "")
	refLangs, _ := NewLanguages("", nil, "")
	refLangs.strings = map[string]map[string]string{"SR_X": {"nb": "ø"}}
	texts := []string{"", "x", "Closed", "[SR_X]", "a [SR_X] b", "2021-01-15T12:00", "2021-01-15T12:00Z",
		"2021-01-15T12:00:00", "2021-01-15T12:00:00.1234567", "2021-01-15T12:00:00.1234567+01:00",
		"2021-01-15T12:00:00.1234567+0100", "2021-01-15T12:00:00.12345678+01:00", "0001-01-01T00:00:00Z",
		"Kundestøtte", "ø", strings.Repeat("ø", 20), "2021-01-15T12:00:00.1234567+01:00ø"}
	for n := range 40 {
		texts = append(texts, strings.Repeat("7", n), "2021-01-15T12:00:00.0000000000000000000000000"[:min(n, 45)])
	}
	for _, r := range []*Rewriter{
		{Base: mustLoad("Europe/Oslo"), Zone: &tz},
		{Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: plainLangs},
		{Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: refLangs, UTCFields: [][]byte{[]byte("k")}},
		{Base: mustLoad("Europe/Oslo"), Language: "nb", Languages: plainLangs},
		{Base: mustLoad("Europe/Oslo"), Language: "nb", Languages: refLangs},
	} {
		lo, hi := r.RewriteBounds()
		for _, text := range texts {
			if len(text) >= lo && len(text) <= hi {
				continue
			}
			for _, key := range []string{"k", "Other"} {
				if out, ok := r.Rewrite(nil, []byte(key), []byte(`"`+text+`"`)); ok {
					t.Errorf("bounds %d..%d: %q rewritten to %s", lo, hi, text, out)
				}
			}
		}
	}
}
