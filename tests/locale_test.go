package tests

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// localeDoc has a date-time of each kind, the exempt fields, and texts in
// several languages, as a backend in Oslo would write them.
const localeDoc = `{
	"WhenRequested": "2000-12-04T11:10:26.1095254+01:00",
	"WhenStarted": "2021-06-18T11:10:26.1095254+02:00",
	"WhenIdle": "2021-06-18T11:10:26+0200",
	"WhenEnded": "2021-01-15T12:00:00",
	"WhenFetched": "2021-07-15T12:00",
	"WhenZ": "2021-07-15T10:00:00Z",
	"CreatedDate": "2021-07-15T12:00:00",
	"Sentinel": "0001-01-01T00:00:00",
	"Forever": "9999-12-31T23:59:59",
	"FirstMessage": "2021-07-15T12:00:00",
	"History": [{"At": "2021-01-15T12:00:00"}],
	"Status": "[SR_STATUS_ACTIVE]",
	"Note": "Status: [SR_STATUS_ACTIVE], [SR_NOT_THERE]",
	"Category": "US:\"Supplier\";NO:\"Leverandør\";GE:\"Lieferant\";",
	"Only": "SE:\"Leverantör\""
}`

func localeGateway(t *testing.T, be *backend, extra string) *gateway {
	t.Helper()
	path := filepath.Join(t.TempDir(), "strings.json")
	if err := os.WriteFile(path, []byte(`{"SR_STATUS_ACTIVE":{"en":"Active","nb":"Aktiv","de":"Aktiv (de)"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return startGateway(t, `
	chatgate {
		base_timezone Europe/Oslo
		timezone_code HQ Asia/Tokyo
		language_code de GE
		strings `+path+`
		`+extra+`
	}
	reverse_proxy {backend}
`, be.addr())
}

func localeBackend(t *testing.T) *backend {
	return newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.URL.Path == "/echo" {
			b, _ := io.ReadAll(r.Body)
			_, _ = w.Write(b)
			return
		}
		_, _ = io.WriteString(w, localeDoc)
	}))
}

func getFields(t *testing.T, gw *gateway, path string, headers ...string) map[string]any {
	t.Helper()
	res := do(t, "GET", gw.URL+path, "", headers...)
	if res.Status != 200 {
		t.Fatalf("%s: %d %s", path, res.Status, res.Body)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
		t.Fatalf("%s: %v", res.Body, err)
	}
	return m
}

func TestTimeZones(t *testing.T) {
	be := localeBackend(t)
	gw := localeGateway(t, be, "")
	for _, tc := range []struct {
		zone  string
		field string
		want  string
	}{
		{"US-NY", "WhenRequested", "2000-12-04T05:10:26.1095254-05:00"}, // winter
		{"US-NY", "WhenStarted", "2021-06-18T05:10:26.1095254-04:00"},   // summer (DST)
		{"US-NY", "WhenIdle", "2021-06-18T05:10:26-0400"},               // the notation stays
		{"US-NY", "WhenEnded", "2021-01-15T06:00:00"},                   // offset-less: Oslo local to New York local
		{"US-NY", "WhenFetched", "2021-07-15T06:00"},
		{"US-NY", "WhenZ", "2021-07-15T06:00:00-04:00"},
		{"US-NY, includeTZOffset", "WhenEnded", "2021-01-15T06:00:00-05:00"},
		{"us-ny, INCLUDETZOFFSET", "WhenFetched", "2021-07-15T06:00-04:00"},
		{"US-NY, includeTZOffset", "WhenRequested", "2000-12-04T05:10:26.1095254-05:00"},
		{"460", "WhenStarted", "2021-06-18T05:10:26.1095254-04:00"},
		{"NO", "WhenStarted", "2021-06-18T11:10:26.1095254+02:00"},
		{"261", "WhenEnded", "2021-01-15T12:00:00"},
		{"DK", "WhenRequested", "2000-12-04T11:10:26.1095254+01:00"},
		{"US-CA", "WhenEnded", "2021-01-15T03:00:00"},
		{"425", "WhenStarted", "2021-06-18T02:10:26.1095254-07:00"},
		{"US-HI", "WhenStarted", "2021-06-17T23:10:26.1095254-10:00"},
		{"CA-QC", "WhenEnded", "2021-01-15T06:00:00"},
		{"AU-ACT", "WhenEnded", "2021-01-15T22:00:00"}, // Australian summer
		{"36", "WhenStarted", "2021-06-18T19:10:26.1095254+10:00"},
		{"BD", "WhenZ", "2021-07-15T16:00:00+06:00"},
		{"UTC", "WhenZ", "2021-07-15T10:00:00Z"},
		{"UTC", "WhenStarted", "2021-06-18T09:10:26.1095254Z"}, // ±hh:mm in UTC is Z
		{"UTC", "WhenIdle", "2021-06-18T09:10:26+0000"},        // ±hhmm stays ±hhmm
		{"1", "WhenEnded", "2021-01-15T11:00:00"},
		{"Asia/Kolkata", "WhenZ", "2021-07-15T15:30:00+05:30"},
		{"HQ", "WhenZ", "2021-07-15T19:00:00+09:00"}, // a timezone_code
	} {
		t.Run(tc.zone+" "+tc.field, func(t *testing.T) {
			m := getFields(t, gw, "/doc", "SO-TimeZone", tc.zone)
			if m[tc.field] != tc.want {
				t.Fatalf("%s = %v; want %s", tc.field, m[tc.field], tc.want)
			}
			if got := be.take(); len(got) != 1 || got[0].Header.Get("SO-TimeZone") != "" {
				t.Fatalf("SO-TimeZone reached the backend")
			}
			// Exempt fields stay as written; a UTC field is tagged Z with offsets.
			created := "2021-07-15T12:00:00"
			if strings.Contains(strings.ToLower(tc.zone), "includetzoffset") {
				created += "Z"
			}
			if m["CreatedDate"] != created || m["FirstMessage"] != "2021-07-15T12:00:00" {
				t.Fatalf("exempt fields changed: %v %v", m["CreatedDate"], m["FirstMessage"])
			}
		})
	}
	t.Run("as the official client sends it", func(t *testing.T) {
		for _, tc := range []struct {
			header string
			want   map[string]any // fields; the rest of localeDoc's dates as noted
		}{
			{"includeTZOffset", map[string]any{ // the base zone (Oslo), with offsets
				"WhenEnded": "2021-01-15T12:00:00+01:00", "WhenFetched": "2021-07-15T12:00+02:00",
				"WhenRequested": "2000-12-04T11:10:26.1095254+01:00", "WhenZ": "2021-07-15T12:00:00+02:00",
				"CreatedDate": "2021-07-15T12:00:00Z"}},
			{"", map[string]any{ // as if absent: nothing converted
				"WhenEnded": "2021-01-15T12:00:00", "WhenZ": "2021-07-15T10:00:00Z", "CreatedDate": "2021-07-15T12:00:00"}},
			{"europe/oslo", map[string]any{"WhenEnded": "2021-01-15T12:00:00", "WhenZ": "2021-07-15T12:00:00+02:00"}},
			{"us-ny", map[string]any{"WhenEnded": "2021-01-15T06:00:00", "WhenZ": "2021-07-15T06:00:00-04:00"}},
			{"NO;includeTZOffset", map[string]any{"WhenEnded": "2021-01-15T12:00:00+01:00", "WhenFetched": "2021-07-15T12:00+02:00"}},
			{"NO, includeTZOffset", map[string]any{"WhenEnded": "2021-01-15T12:00:00+01:00", "CreatedDate": "2021-07-15T12:00:00Z"}},
			{"utc,includeTZOffset", map[string]any{
				"WhenEnded": "2021-01-15T11:00:00Z", "WhenFetched": "2021-07-15T10:00Z",
				"WhenRequested": "2000-12-04T10:10:26.1095254Z", "WhenIdle": "2021-06-18T09:10:26+0000",
				"CreatedDate": "2021-07-15T12:00:00Z", "FirstMessage": "2021-07-15T12:00:00",
				"Sentinel": "0001-01-01T00:00:00Z", "Forever": "9999-12-31T22:59:59Z"}},
			{"US-NY,includeTZOffset", map[string]any{
				"Sentinel": "0001-01-01T00:00:00-04:56", "Forever": "9999-12-31T17:59:59-05:00", "CreatedDate": "2021-07-15T12:00:00Z"}},
			{"261", map[string]any{"WhenEnded": "2021-01-15T12:00:00", "WhenZ": "2021-07-15T12:00:00+02:00", "CreatedDate": "2021-07-15T12:00:00"}},
		} {
			t.Run(tc.header, func(t *testing.T) {
				m := getFields(t, gw, "/doc", "SO-TimeZone", tc.header)
				for field, want := range tc.want {
					if m[field] != want {
						t.Errorf("%s = %v; want %s", field, m[field], want)
					}
				}
				if got := be.take(); len(got) != 1 || len(got[0].Header.Values("SO-TimeZone")) != 0 {
					t.Fatalf("SO-TimeZone reached the backend")
				}
			})
		}
	})
	t.Run("dates inside arrays", func(t *testing.T) {
		m := getFields(t, gw, "/doc", "SO-TimeZone", "US-NY")
		if at := m["History"].([]any)[0].(map[string]any)["At"]; at != "2021-01-15T06:00:00" {
			t.Fatalf("History[0].At = %v", at)
		}
		be.take()
	})
	t.Run("unknown zone", func(t *testing.T) {
		wantError(t, do(t, "GET", gw.URL+"/doc", "", "SO-TimeZone", "Mars/Olympus"), 400, "BadRequest", `unknown time zone "Mars/Olympus"`)
		wantError(t, do(t, "GET", gw.URL+"/doc", "", "SO-TimeZone", "9999"), 400, "BadRequest", `"9999"`)
		wantError(t, do(t, "GET", gw.URL+"/doc", "", "SO-TimeZone", "NO,DK"), 400, "BadRequest", `SO-TimeZone names two zones, "NO" and "DK"`)
		wantError(t, do(t, "GET", gw.URL+"/doc", "", "SO-TimeZone", "NO,includeOffset"), 400, "BadRequest", `unknown SO-TimeZone option "includeOffset"`)
		if got := be.take(); len(got) != 0 {
			t.Fatalf("reached the backend")
		}
	})
	t.Run("request bodies", func(t *testing.T) {
		res := do(t, "POST", gw.URL+"/echo", `{"Due":"2021-01-15T06:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00"}`,
			"Content-Type", "application/json", "SO-TimeZone", "US-NY")
		got := be.take()
		if len(got) != 1 || got[0].Body != `{"Due":"2021-01-15T12:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00"}` {
			t.Fatalf("backend got %+v", got)
		}
		// The answer comes back in the client's zone again.
		if res.Body != `{"Due":"2021-01-15T06:00:00","At":"2021-01-15T06:00:00-05:00","Text":"2021-01-15T06:00:00"}` {
			t.Fatalf("answer %s", res.Body)
		}
		for _, tc := range []struct{ header, sent, answer string }{
			{"us-ny;includeTZOffset", `{"Due":"2021-01-15T12:00:00"}`, `{"Due":"2021-01-15T06:00:00-05:00"}`},
			{"includeTZOffset", `{"Due":"2021-01-15T06:00:00"}`, `{"Due":"2021-01-15T06:00:00+01:00"}`}, // the base zone: unchanged
			{"", `{"Due":"2021-01-15T06:00:00"}`, `{"Due":"2021-01-15T06:00:00"}`},
			{"utc,includeTZOffset", `{"Due":"2021-01-15T07:00:00"}`, `{"Due":"2021-01-15T06:00:00Z"}`},
		} {
			res := do(t, "POST", gw.URL+"/echo", `{"Due":"2021-01-15T06:00:00"}`, "Content-Type", "application/json", "SO-TimeZone", tc.header)
			if got := be.take(); len(got) != 1 || got[0].Body != tc.sent || len(got[0].Header.Values("SO-TimeZone")) != 0 {
				t.Fatalf("%q: backend got %+v; want %s", tc.header, got, tc.sent)
			}
			if res.Status != 200 || res.Body != tc.answer {
				t.Fatalf("%q: answer %d %s; want %s", tc.header, res.Status, res.Body, tc.answer)
			}
		}
	})
	t.Run("offset_format compact", func(t *testing.T) {
		compact := localeGateway(t, be, "offset_format compact")
		m := getFields(t, compact, "/doc", "SO-TimeZone", "US-NY,includeTZOffset")
		for field, want := range map[string]string{
			"WhenEnded": "2021-01-15T06:00:00-0500", "WhenFetched": "2021-07-15T06:00-0400", "CreatedDate": "2021-07-15T12:00:00+0000",
			"WhenRequested": "2000-12-04T05:10:26.1095254-05:00", "WhenIdle": "2021-06-18T05:10:26-0400", "Forever": "9999-12-31T17:59:59-0500",
		} {
			if m[field] != want {
				t.Errorf("%s = %v; want %s", field, m[field], want)
			}
		}
		m = getFields(t, compact, "/doc", "SO-TimeZone", "UTC,includeTZOffset")
		if m["WhenEnded"] != "2021-01-15T11:00:00+0000" || m["WhenZ"] != "2021-07-15T10:00:00Z" || m["Sentinel"] != "0001-01-01T00:00:00+0000" {
			t.Errorf("UTC, compact: %v %v %v", m["WhenEnded"], m["WhenZ"], m["Sentinel"])
		}
		be.take()
	})
}

func TestLanguages(t *testing.T) {
	be := localeBackend(t)
	gw := localeGateway(t, be, "")
	withDefault := localeGateway(t, be, "default_language nb")
	for _, tc := range []struct {
		name     string
		gw       *gateway
		headers  []string
		status   string
		category string
		only     string
	}{
		{"none asked: untouched", gw, nil, "[SR_STATUS_ACTIVE]", `US:"Supplier";NO:"Leverandør";GE:"Lieferant";`, `SE:"Leverantör"`},
		{"Accept-Language", gw, []string{"Accept-Language", "nb-NO"}, "Aktiv", "Leverandør", "Leverantör"},
		{"q-values", gw, []string{"Accept-Language", "fr;q=0.3, de-CH;q=0.8, en;q=0.5"}, "Aktiv (de)", "Lieferant", "Leverantör"},
		{"SO-Language wins", gw, []string{"SO-Language", "en", "Accept-Language", "nb"}, "Active", "Supplier", "Leverantör"},
		{"region ignored", gw, []string{"SO-Language", "nn-NO"}, "Aktiv", "Leverandør", "Leverantör"},
		{"missing language: the first", gw, []string{"SO-Language", "fi"}, "Active", "Supplier", "Leverantör"},
		{"default_language", withDefault, nil, "Aktiv", "Leverandør", "Leverantör"},
		{"* cancels the default", withDefault, []string{"SO-Language", "*"}, "[SR_STATUS_ACTIVE]", `US:"Supplier";NO:"Leverandør";GE:"Lieferant";`, `SE:"Leverantör"`},
		{"x cancels Accept-Language", gw, []string{"SO-Language", "x", "Accept-Language", "nb"}, "[SR_STATUS_ACTIVE]", `US:"Supplier";NO:"Leverandør";GE:"Lieferant";`, `SE:"Leverantör"`},
		{"- (DoNotParse) cancels Accept-Language", gw, []string{"SO-Language", "-", "Accept-Language", "nb"}, "[SR_STATUS_ACTIVE]", `US:"Supplier";NO:"Leverandør";GE:"Lieferant";`, `SE:"Leverantör"`},
		{"Accept-Language entries that are no language passed over", gw, []string{"Accept-Language", "12, nb no, de;q=0.5"}, "Aktiv (de)", "Lieferant", "Leverantör"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := getFields(t, tc.gw, "/doc", tc.headers...)
			if m["Status"] != tc.status || m["Category"] != tc.category || m["Only"] != tc.only {
				t.Fatalf("Status %v, Category %v, Only %v", m["Status"], m["Category"], m["Only"])
			}
			if m["FirstMessage"] != "2021-07-15T12:00:00" {
				t.Fatalf("a text field changed")
			}
			for _, r := range be.take() {
				if r.Header.Get("SO-Language") != "" {
					t.Fatalf("SO-Language reached the backend")
				}
			}
		})
	}
	t.Run("a malformed SO-Language is a 400, whatever Accept-Language says", func(t *testing.T) {
		for _, so := range []string{"nb,en", "n b", "12"} {
			r := do(t, "GET", gw.URL+"/doc", "", "SO-Language", so, "Accept-Language", "nb")
			wantError(t, r, 400, "BadRequest", "is not a language tag")
		}
		if n := len(be.take()); n != 0 {
			t.Fatalf("%d requests reached the backend", n)
		}
	})
	t.Run("unknown references stay, known ones inside text resolve", func(t *testing.T) {
		m := getFields(t, gw, "/doc", "SO-Language", "nb")
		if m["Note"] != "Status: Aktiv, [SR_NOT_THERE]" {
			t.Fatalf("Note = %v", m["Note"])
		}
		be.take()
	})
}

// TestRepeatedEntitiesAreWrittenAsOne: a list streams through the engine's
// fast paths once its first entity has been read (the assembly loop, the
// strings it lists for the rewriter, the containers it takes as they
// were), and every entity after the first comes out exactly as the first:
// dates that grow, shrink and keep their length, references and
// multi-language texts, unselected containers, in JSON and XML.
func TestRepeatedEntitiesAreWrittenAsOne(t *testing.T) {
	var compact strings.Builder
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(localeDoc)); err != nil {
		t.Fatal(err)
	}
	entity := strings.TrimSuffix(b.String(), "}") + `,"FieldProperties":{"fieldName":{"FieldRight":null,"FieldType":"System.Int32","FieldLength":377}}}`
	const many = 400 // about 270 KB: past stream_threshold, streamed
	compact.WriteString("[" + entity)
	for range many - 1 {
		compact.WriteString("," + entity)
	}
	compact.WriteString("]")
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if r.URL.Path == "/one" {
			_, _ = io.WriteString(w, "["+entity+"]")
			return
		}
		_, _ = io.WriteString(w, compact.String())
	}))
	gw := localeGateway(t, be, "")
	selects := []string{"", "?$select=WhenRequested,WhenStarted,WhenIdle,WhenEnded,WhenFetched,WhenZ,CreatedDate,Sentinel,Forever,Status,Note,Category"}
	for _, zone := range []string{"US-NY, includeTZOffset", "utc,includeTZOffset", "US-NY", "includeTZOffset", "HQ", ""} {
		for _, sel := range selects {
			for _, accept := range []string{"application/json", "application/xml"} {
				headers := []string{"SO-TimeZone", zone, "SO-Language", "nb", "Accept", accept}
				one := do(t, "GET", gw.URL+"/one"+sel, "", headers...)
				all := do(t, "GET", gw.URL+"/many"+sel, "", headers...)
				be.take()
				if one.Status != 200 || all.Status != 200 {
					t.Fatalf("%q %q %s: %d %.200s; %d %.200s", zone, sel, accept, one.Status, one.Body, all.Status, all.Body)
				}
				// the item: between the array's brackets, or its XML element
				open, end := 1, len(one.Body)-1
				if accept == "application/xml" {
					open, end = strings.Index(one.Body, "<ChatSessionEntity"), strings.LastIndex(one.Body, "</ArrayOf")
					if open < 0 {
						open, end = strings.Index(one.Body, "><")+1, strings.LastIndex(one.Body, "</")
					}
				}
				item := one.Body[open:end]
				sep := ","
				if accept == "application/xml" {
					sep = ""
				}
				want := one.Body[:open] + item + strings.Repeat(sep+item, many-1) + one.Body[end:]
				if all.Body != want {
					at := 0
					for at < min(len(all.Body), len(want)) && all.Body[at] == want[at] {
						at++
					}
					t.Fatalf("%q %q %s: the list differs from its first entity repeated at byte %d:\n got %.300s\nwant %.300s",
						zone, sel, accept, at, all.Body[at:], want[at:])
				}
			}
		}
	}
}

// TestEscapedDatesThroughTheGateway: a date-time a .NET backend wrote with
// its + escaped (\u002B), or with any character as \u00XX, is converted as
// its text reads, in JSON and in XML; and one a client sent so in a
// request body reaches the backend in base_timezone.
func TestEscapedDatesThroughTheGateway(t *testing.T) {
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"When":"2020-07-02T03:04:05\u002B02:00","Local":"2020-07-02T03\u003a04:05"}`)
	}))
	gw := localeGateway(t, be, "")
	for _, tc := range []struct{ accept, want string }{
		{"application/json", `{"When":"2020-07-01T21:04:05-04:00","Local":"2020-07-01T21:04:05-04:00"}`},
		{"application/xml", `<When>2020-07-01T21:04:05-04:00</When><Local>2020-07-01T21:04:05-04:00</Local>`},
	} {
		res := do(t, "GET", gw.URL+"/doc", "", "SO-TimeZone", "US-NY, includeTZOffset", "Accept", tc.accept)
		if res.Status != 200 || !strings.Contains(res.Body, tc.want) {
			t.Errorf("%s: %d %s; want %s", tc.accept, res.Status, res.Body, tc.want)
		}
	}
	be.take()
	do(t, "POST", gw.URL+"/doc", `{"Due":"2021-01-15T06\u003a00:00"}`, "SO-TimeZone", "US-NY", "Content-Type", "application/json")
	if got := be.take(); len(got) != 1 || got[0].Body != `{"Due":"2021-01-15T12:00:00"}` {
		t.Errorf("the backend got %+v", got)
	}
}
