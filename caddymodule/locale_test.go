package caddymodule

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLocaleTransforms(t *testing.T) {
	path := filepath.Join(t.TempDir(), "strings.json")
	_ = os.WriteFile(path, []byte(`{"SR_ACTIVE":{"en":"Active","sv":"Aktiv"}}`), 0o600)
	h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo", StringsFile: path})
	doc := `{"When":"2021-07-15T12:00:00","At":"2021-01-15T12:00:00+01:00","Status":"[SR_ACTIVE]","Kind":"US:\"Supplier\";SE:\"Leverant\u00f6r\"","Created":"x"}`
	for _, tc := range []struct {
		name, target string
		headers      []string
		want         string
	}{
		{"time zone", "/x", []string{"SO-TimeZone", "US-NY"},
			`{"When":"2021-07-15T06:00:00","At":"2021-01-15T06:00:00-05:00","Status":"[SR_ACTIVE]","Kind":"US:\"Supplier\";SE:\"Leverant\u00f6r\"","Created":"x"}`},
		{"time zone with offsets", "/x", []string{"SO-TimeZone", "460, includeTZOffset"},
			`{"When":"2021-07-15T06:00:00-04:00","At":"2021-01-15T06:00:00-05:00","Status":"[SR_ACTIVE]","Kind":"US:\"Supplier\";SE:\"Leverant\u00f6r\"","Created":"x"}`},
		{"includeTZOffset alone: the base zone", "/x", []string{"SO-TimeZone", "includeTZOffset"},
			`{"When":"2021-07-15T12:00:00+02:00","At":"2021-01-15T12:00:00+01:00","Status":"[SR_ACTIVE]","Kind":"US:\"Supplier\";SE:\"Leverant\u00f6r\"","Created":"x"}`},
		{"UTC with offsets: Z", "/x", []string{"SO-TimeZone", "utc;includeTZOffset"},
			`{"When":"2021-07-15T10:00:00Z","At":"2021-01-15T11:00:00Z","Status":"[SR_ACTIVE]","Kind":"US:\"Supplier\";SE:\"Leverant\u00f6r\"","Created":"x"}`},
		{"empty: as if absent", "/x", []string{"SO-TimeZone", ""}, doc},
		{"language", "/x", []string{"Accept-Language", "sv-SE, en;q=0.5"},
			`{"When":"2021-07-15T12:00:00","At":"2021-01-15T12:00:00+01:00","Status":"Aktiv","Kind":"Leverantör","Created":"x"}`},
		{"everything with $select", "/x?$select=when,status", []string{"SO-TimeZone", "UTC", "SO-Language", "en"},
			`{"When":"2021-07-15T10:00:00","At":null,"Status":"Active","Kind":null,"Created":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": {"application/json"}}, doc)
			req := httptest.NewRequest("GET", tc.target, nil)
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			rec := serve(h, next, req)
			if rec.Code != 200 || rec.Body.String() != tc.want {
				t.Fatalf("answer %d\n got %s\nwant %s", rec.Code, rec.Body, tc.want)
			}
			if next.lastHeader.Get("SO-TimeZone") != "" || next.lastHeader.Get("SO-Language") != "" {
				t.Fatalf("handled headers went upstream: %v", next.lastHeader)
			}
		})
	}
}

// TestOffsetFormatCompact: offset_format compact writes the offsets it adds
// as ±hhmm, UTC fields tagged +0000 included; values that came with ±hh:mm
// keep it.
func TestOffsetFormatCompact(t *testing.T) {
	h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo", OffsetFormat: "compact"})
	doc := `{"When":"2021-07-15T12:00:00","At":"2021-01-15T12:00:00+01:00","CreatedDate":"2021-07-15T10:00:00"}`
	for header, want := range map[string]string{
		"US-NY,includeTZOffset": `{"When":"2021-07-15T06:00:00-0400","At":"2021-01-15T06:00:00-05:00","CreatedDate":"2021-07-15T10:00:00+0000"}`,
		"UTC,includeTZOffset":   `{"When":"2021-07-15T10:00:00+0000","At":"2021-01-15T11:00:00Z","CreatedDate":"2021-07-15T10:00:00+0000"}`,
		"US-NY":                 `{"When":"2021-07-15T06:00:00","At":"2021-01-15T06:00:00-05:00","CreatedDate":"2021-07-15T10:00:00"}`,
	} {
		req := httptest.NewRequest("GET", "/x", nil)
		req.Header.Set("SO-TimeZone", header)
		rec := serve(h, answering(200, http.Header{"Content-Type": {"application/json"}}, doc), req)
		if rec.Code != 200 || rec.Body.String() != want {
			t.Errorf("%s: %d\n got %s\nwant %s", header, rec.Code, rec.Body, want)
		}
	}
}

func TestUnknownTimeZone(t *testing.T) {
	h := provisioned(t, Handler{})
	for value, message := range map[string]string{
		"Atlantis": `unknown time zone "Atlantis"`, "NO, sometimes": `unknown SO-TimeZone option "sometimes"`,
		"NO;DK": `SO-TimeZone names two zones, "NO" and "DK"`, "includeTZOffsets": `unknown time zone "includeTZOffsets"`,
	} {
		next := &fakeNext{}
		req := httptest.NewRequest("GET", "/x", nil)
		req.Header.Set("SO-TimeZone", value)
		assertError(t, serve(h, next, req), 400, "BadRequest", message)
		if len(next.requests) != 0 {
			t.Fatalf("reached the backend")
		}
	}
}

func TestRequestDatesConverted(t *testing.T) {
	h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo", MaxRequestBody: 256})
	var lengths []int64
	next := &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
		lengths = append(lengths, r.ContentLength)
		return nil
	}}
	for i, tc := range []struct{ body, contentType, want string }{
		{`{"Due":"2021-01-15T06:00:00","At":"2021-01-15T06:00:00Z","Text":"2021-01-15T06:00:00"}`, "application/json",
			`{"Due":"2021-01-15T12:00:00","At":"2021-01-15T06:00:00Z","Text":"2021-01-15T06:00:00"}`},
		{`Due=2021-01-15T06:00:00`, "application/x-www-form-urlencoded", `Due=2021-01-15T06:00:00`},
		// the sentinels as New York's answers give them back: as written
		{`{"Ended":"0001-01-01T00:00:00","Until":"9999-12-31T23:59:59"}`, "application/json",
			`{"Ended":"0001-01-01T00:00:00","Until":"9999-12-31T23:59:59"}`},
	} {
		req := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", tc.contentType)
		req.Header.Set("SO-TimeZone", "US-NY")
		serve(h, next, req)
		if got := next.requests[i].Body; got != tc.want || lengths[i] != int64(len(got)) {
			t.Fatalf("backend got %s (ContentLength %d); want %s", got, lengths[i], tc.want)
		}
	}
	for _, tc := range []struct {
		body   string
		status int
	}{{`{"Due":`, 400}, {`{"x":"` + strings.Repeat("a", 300) + `"}`, 413}} {
		req := httptest.NewRequest("POST", "/x", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("SO-TimeZone", "US-NY")
		if rec := serve(h, &fakeNext{}, req); rec.Code != tc.status {
			t.Fatalf("%s: %d", tc.body[:7], rec.Code)
		}
	}
}

func TestLocaleProvisioning(t *testing.T) {
	for _, tc := range []struct {
		h       Handler
		wantErr string
	}{
		{Handler{BaseTimezone: "Mars/Olympus"}, `base_timezone: unknown time zone "Mars/Olympus"`},
		{Handler{TimezoneCodes: map[string]string{"HQ": "Nowhere"}}, `timezone_code HQ: unknown time zone "Nowhere"`},
		{Handler{StringsFile: "/nonexistent/strings.json"}, "strings file"},
		{Handler{DefaultLanguage: "english"}, `default_language "english" is not an iso2 language code`},
		{Handler{LanguageCodes: map[string]string{"german": "GE"}}, "language_code german GE: want an iso2 language"},
		{Handler{OffsetFormat: "iso"}, `offset_format "iso" must be rfc3339 or compact`},
	} {
		err := tc.h.Provision(testContext(t))
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Provision error = %v; want %q", err, tc.wantErr)
		}
	}
}

// TestMalformedSOLanguage: an SO-Language that is not a language tag is a
// 400 naming it before the backend is asked, even beside a valid
// Accept-Language ("nb,en" is how two SO-Language fields read once an
// intermediary combines them); "-" asks for no language, as "*" and "x"
// do; malformed Accept-Language entries are passed over.
func TestMalformedSOLanguage(t *testing.T) {
	h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo", DefaultLanguage: "en"})
	const body = `{"Label":"US:\"Supplier\";NO:\"Leverandør\";SE:\"Leverantör\""}`
	for _, tc := range []struct {
		so, accept string
		status     int
		want       string // the answer's label, or a part of the error
	}{
		{"nb,en", "sv", 400, `SO-Language \"nb,en\" is not a language tag`},
		{"n b", "", 400, `SO-Language \"n b\" is not a language tag`},
		{"12", "sv", 400, `SO-Language \"12\" is not a language tag`},
		{"nb-NO", "sv", 200, "Leverandør"},
		{"-", "sv", 200, `US:\"Supplier\";NO:\"Leverandør\";SE:\"Leverantör\"`},
		{"", "12, nb no, sv;q=0.5", 200, "Leverantör"},
	} {
		next := answering(200, http.Header{"Content-Type": {"application/json"}}, body)
		req := httptest.NewRequest("GET", "/x", nil)
		if tc.so != "" {
			req.Header.Set("SO-Language", tc.so)
		}
		if tc.accept != "" {
			req.Header.Set("Accept-Language", tc.accept)
		}
		rec := serve(h, next, req)
		upstream := 1
		if tc.status != 200 {
			upstream = 0
		}
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) || len(next.requests) != upstream {
			t.Errorf("SO-Language %q, Accept-Language %q: %d %s, %d requests upstream; want %d with %s",
				tc.so, tc.accept, rec.Code, rec.Body.String(), len(next.requests), tc.status, tc.want)
		}
	}
}

// TestHandledHeadersSentTwice: SO-TimeZone or SO-Language sent twice is a
// 400 that says so: which one the client meant cannot be told (before,
// a second SO-Language was ignored while a second SO-TimeZone was a 400).
func TestHandledHeadersSentTwice(t *testing.T) {
	h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo"})
	for _, name := range []string{"SO-TimeZone", "SO-Language"} {
		next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
		req := httptest.NewRequest("GET", "/x", nil)
		req.Header.Add(name, "UTC")
		req.Header.Add(name, "US-NY")
		rec := serve(h, next, req)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), name+" is sent more than once") || len(next.requests) != 0 {
			t.Fatalf("%s twice: %d %s, %d requests upstream", name, rec.Code, rec.Body.String(), len(next.requests))
		}
	}
}

// TestEscapedDatesAnswered: a date-time a .NET backend wrote with its +
// escaped (\u002B) is converted as its text reads, in JSON and in XML,
// whether the answer is held whole or streams from its first byte.
func TestEscapedDatesAnswered(t *testing.T) {
	doc := `{"When":"2020-07-02T03:04:05\u002B02:00","Local":"2020\u002d07-02T03:04:05"}`
	for _, threshold := range []int64{1, DefaultStreamThreshold} {
		h := provisioned(t, Handler{BaseTimezone: "Europe/Oslo", StreamThreshold: threshold})
		for _, tc := range []struct{ accept, want string }{
			{"application/json", `{"When":"2020-07-01T21:04:05-04:00","Local":"2020-07-01T21:04:05-04:00"}`},
			{"application/xml", `<When>2020-07-01T21:04:05-04:00</When><Local>2020-07-01T21:04:05-04:00</Local>`},
		} {
			req := httptest.NewRequest("GET", "/x", nil)
			req.Header.Set("SO-TimeZone", "US-NY, includeTZOffset")
			req.Header.Set("Accept", tc.accept)
			rec := serve(h, answering(200, http.Header{"Content-Type": {"application/json"}}, doc), req)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("threshold %d, %s: %d %s; want %s", threshold, tc.accept, rec.Code, rec.Body, tc.want)
			}
		}
	}
}
