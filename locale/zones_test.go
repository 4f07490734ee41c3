package locale

import (
	"strings"
	"testing"
)

func TestZones(t *testing.T) {
	z, err := NewZones(map[string]string{"HQ": "Europe/Oslo", "999": "US-NY", "no": "Europe/Stockholm"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"UTC", "UTC"}, {"utc", "UTC"}, {"DK", "Europe/Copenhagen"}, {"se", "Europe/Stockholm"},
		{"US-NY", "America/New_York"}, {"us-ca", "America/Los_Angeles"}, {"US-HI", "Pacific/Honolulu"},
		{"CA-QC", "America/Toronto"}, {"AU-ACT", "Australia/Sydney"}, {"DE", "Europe/Berlin"},
		{"1", "UTC"}, {"36", "Australia/Sydney"}, {"50", "Asia/Dhaka"}, {"114", "America/Toronto"}, {"140", "Europe/Copenhagen"},
		{"156", "Europe/Paris"}, {"425", "America/Los_Angeles"}, {"433", "Pacific/Honolulu"}, {"460", "America/New_York"},
		{"Europe/Oslo", "Europe/Oslo"}, {" Asia/Tokyo ", "Asia/Tokyo"},
		{"HQ", "Europe/Oslo"}, {"999", "America/New_York"},
		{"NO", "Europe/Stockholm"}, // timezone_code overrides a built-in code
		{"261", "Europe/Oslo"},     // the built-in id still means Oslo
	} {
		loc, err := z.Resolve(tc.in)
		if err != nil || loc.String() != tc.want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", tc.in, loc, err, tc.want)
		}
	}
	for _, bad := range []string{"", "XX", "US", "RU", "Mars/Base", "Local", "../../etc/passwd", "/etc/localtime", "7777"} {
		if loc, err := z.Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %v; want an error", bad, loc)
		} else if bad != "" && !strings.Contains(err.Error(), bad) {
			t.Errorf("error %q does not name %q", err, bad)
		}
	}
}

func TestZonesRefuseBadExtras(t *testing.T) {
	if _, err := NewZones(map[string]string{"X": "Nowhere/City"}); err == nil || !strings.Contains(err.Error(), "Nowhere/City") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseTimeZone(t *testing.T) {
	z, _ := NewZones(nil)
	for _, tc := range []struct {
		in      string
		zone    string
		include bool
		wantErr string
	}{
		{"NO", "Europe/Oslo", false, ""},
		{"US-NY, includeTZOffset", "America/New_York", true, ""},
		{"261,INCLUDETZOFFSET", "Europe/Oslo", true, ""},
		{"Europe/Paris , includetzoffset ", "Europe/Paris", true, ""},
		{"NO, other", "", false, `unknown SO-TimeZone option "other"`},
		{"Atlantis", "", false, `unknown time zone "Atlantis"`},
	} {
		tz, err := z.ParseTimeZone(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseTimeZone(%q) error = %v; want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || tz.Location.String() != tc.zone || tz.IncludeOffset != tc.include {
			t.Errorf("ParseTimeZone(%q) = %+v, %v", tc.in, tz, err)
		}
	}
}
