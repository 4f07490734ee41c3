package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
		{"US-NY, includeTZOffset", "WhenEnded", "2021-01-15T06:00:00-0500"},
		{"us-ny, INCLUDETZOFFSET", "WhenFetched", "2021-07-15T06:00-0400"},
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
		{"1", "WhenEnded", "2021-01-15T11:00:00"},
		{"Asia/Kolkata", "WhenZ", "2021-07-15T15:30:00+05:30"},
		{"HQ", "WhenZ", "2021-07-15T19:00:00+09:00"}, // a timezone_code
	} {
		t.Run(tc.zone+" "+tc.field, func(t *testing.T) {
			m := getFields(t, gw, "/doc", "SO-TimeZone", tc.zone)
			if m[tc.field] != tc.want {
				t.Fatalf("%s = %v; want %s", tc.field, m[tc.field], tc.want)
			}
			// Exempt fields stay as written.
			if m["CreatedDate"] != "2021-07-15T12:00:00" || m["FirstMessage"] != "2021-07-15T12:00:00" {
				t.Fatalf("exempt fields changed: %v %v", m["CreatedDate"], m["FirstMessage"])
			}
			if got := be.take(); len(got) != 1 || got[0].Header.Get("SO-TimeZone") != "" {
				t.Fatalf("SO-TimeZone reached the backend")
			}
		})
	}
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
	t.Run("unknown references stay, known ones inside text resolve", func(t *testing.T) {
		m := getFields(t, gw, "/doc", "SO-Language", "nb")
		if m["Note"] != "Status: Aktiv, [SR_NOT_THERE]" {
			t.Fatalf("Note = %v", m["Note"])
		}
		be.take()
	})
}
