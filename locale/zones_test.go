package locale

import (
	"archive/zip"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
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
		{"europe/oslo", "Europe/Oslo"}, {"AMERICA/ARGENTINA/BUENOS_AIRES", "America/Argentina/Buenos_Aires"},
		{"etc/gmt+5", "Etc/GMT+5"}, {"America/Port-au-Prince", "America/Port-au-Prince"}, {"pst8pdt", "PST8PDT"},
		{"HQ", "Europe/Oslo"}, {"999", "America/New_York"},
		{"NO", "Europe/Stockholm"}, // timezone_code overrides a built-in code
		{"261", "Europe/Oslo"},     // the built-in id still means Oslo
	} {
		loc, err := z.Resolve(tc.in)
		if err != nil || loc.String() != tc.want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", tc.in, loc, err, tc.want)
		}
	}
	for _, bad := range []string{"", "XX", "US", "RU", "Mars/Base", "Local", "../../etc/passwd", "/etc/localtime", "7777",
		"europe", "Europe/", "posix/Europe/Oslo", "right/UTC", "zone.tab", "Europe/Oslo/"} {
		if loc, err := z.Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %v; want an error", bad, loc)
		} else if bad != "" && !strings.Contains(err.Error(), bad) {
			t.Errorf("error %q does not name %q", err, bad)
		}
	}
}

// TestZonesLoadOncePerProcess: every Zones (one per config) resolves a
// zone to the same Location, which its zone table is kept by.
func TestZonesLoadOncePerProcess(t *testing.T) {
	a, errA := NewZones(nil)
	b, errB := NewZones(map[string]string{"HQ": "Asia/Tokyo"})
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for _, name := range []string{"Asia/Tokyo", "europe/oslo", "US-NY", "460"} {
		locA, errA := a.Resolve(name)
		locB, errB := b.Resolve(name)
		if errA != nil || errB != nil || locA != locB {
			t.Errorf("Resolve(%q): %p and %p (%v, %v)", name, locA, locB, errA, errB)
		}
	}
	if hq, _ := b.Resolve("HQ"); hq != must(a.Resolve("Asia/Tokyo")) {
		t.Error("a timezone_code's zone is loaded again")
	}
}

func must(loc *time.Location, err error) *time.Location {
	if err != nil {
		panic(err)
	}
	return loc
}

func TestZonesRefuseBadExtras(t *testing.T) {
	if _, err := NewZones(map[string]string{"X": "Nowhere/City"}); err == nil || !strings.Contains(err.Error(), "Nowhere/City") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseTimeZone(t *testing.T) {
	z, _ := NewZones(map[string]string{"HQ": "Asia/Tokyo"})
	base := mustLoad("Europe/Oslo")
	for _, tc := range []struct {
		in      string
		zone    string // "": none (as if the header were absent)
		include bool
		utc     bool
		wantErr string
	}{
		// The forms the official client sends.
		{"UTC", "UTC", false, true, ""},
		{"261", "Europe/Oslo", false, false, ""},
		{"UTC,includeTZOffset", "UTC", true, true, ""},
		{"utc,includeTZOffset", "UTC", true, true, ""},
		{"no,includeTZOffset", "Europe/Oslo", true, false, ""},
		{"includeTZOffset", "Europe/Oslo", true, false, ""}, // the base zone
		{"", "", false, false, ""},
		{"NO, includeTZOffset", "Europe/Oslo", true, false, ""},
		// Other spellings.
		{"NO;includeTZOffset", "Europe/Oslo", true, false, ""},
		{"includeTZOffset;NO", "Europe/Oslo", true, false, ""},
		{" US-NY ; INCLUDETZOFFSET ", "America/New_York", true, false, ""},
		{"us-ny", "America/New_York", false, false, ""},
		{"europe/oslo", "Europe/Oslo", false, false, ""},
		{"Europe/Paris , includetzoffset ", "Europe/Paris", true, false, ""},
		{"261,INCLUDETZOFFSET", "Europe/Oslo", true, false, ""},
		{"1", "UTC", false, true, ""},
		{"Etc/UTC", "Etc/UTC", false, true, ""},
		{"Europe/London", "Europe/London", false, false, ""},
		{"hq", "Asia/Tokyo", false, false, ""},
		{"   ", "", false, false, ""},
		{"\t", "", false, false, ""},
		{"NO,", "Europe/Oslo", false, false, ""},
		{",;", "", false, false, ""},
		{"includeTZOffset,includeTZOffset", "Europe/Oslo", true, false, ""},
		// Refused, naming the item.
		{"NO, other", "", false, false, `unknown SO-TimeZone option "other"`},
		{"Atlantis", "", false, false, `unknown time zone "Atlantis"`},
		{"includeTZOffset, Atlantis", "", false, false, `unknown time zone "Atlantis"`},
		{"NO,DK", "", false, false, `SO-TimeZone names two zones, "NO" and "DK"`},
		{"UTC;europe/oslo", "", false, false, `SO-TimeZone names two zones, "UTC" and "europe/oslo"`},
		{"NO includeTZOffset", "", false, false, `unknown time zone "NO includeTZOffset"`},
		{"includeTZOffsets", "", false, false, `unknown time zone "includeTZOffsets"`},
	} {
		tz, err := z.ParseTimeZone(tc.in, base)
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("ParseTimeZone(%q) error = %v; want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		zone := ""
		if tz.Location != nil {
			zone = tz.Location.String()
		}
		if err != nil || zone != tc.zone || tz.IncludeOffset != tc.include || tz.UTC != tc.utc {
			t.Errorf("ParseTimeZone(%q) = %+v, %v; want %s include %v utc %v", tc.in, tz, err, tc.zone, tc.include, tc.utc)
		}
	}
	if tz, _ := z.ParseTimeZone("includeTZOffset", time.UTC); tz.Location != time.UTC || !tz.UTC {
		t.Errorf("includeTZOffset with a UTC base = %+v; want UTC, written Z", tz)
	}
}

func TestIsUTC(t *testing.T) {
	for name, want := range map[string]bool{
		"UTC": true, "Etc/UTC": true, "Etc/UCT": true, "Universal": true, "Zulu": true, "GMT": true, "Etc/GMT": true, "Etc/GMT+0": true,
		"Europe/London": false, "Atlantic/Reykjavik": false, "Africa/Abidjan": false, "Etc/GMT-1": false, "Europe/Oslo": false,
	} {
		if got := isUTC(mustLoad(name)); got != want {
			t.Errorf("isUTC(%s) = %v; want %v", name, got, want)
		}
	}
}

// TestIANANames: every listed name loads from the embedded zone database,
// and the list holds every zone of this Go's zoneinfo.zip (after a Go
// upgrade, run go generate ./locale).
func TestIANANames(t *testing.T) {
	for _, name := range ianaNames {
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zoneinfo.zip: %v", err)
	}
	defer zr.Close()
	listed := ianaByUpper()
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") && listed[strings.ToUpper(f.Name)] != f.Name {
			t.Errorf("%s is not in zones_iana.go; run go generate ./locale", f.Name)
		}
	}
}

// TestEachRequestGetsItsOwnZone: the SO-TimeZone read last is remembered
// (Locale.timeZone), and no request is given another's zone: not after a
// different value, an invalid one or one too long to remember, and not
// while requests with different values run at once.
func TestEachRequestGetsItsOwnZone(t *testing.T) {
	loc, err := New(Config{BaseTimezone: "Europe/Oslo"})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat(" ", rememberedZoneLen) + "NO"
	cases := []struct {
		header, zone string
		offset       bool
	}{
		{"US-NY", "America/New_York", false},
		{"US-NY", "America/New_York", false},
		{"US-NY, includeTZOffset", "America/New_York", true},
		{"NO", "Europe/Oslo", false},
		{"bogus", "", false},
		{"NO", "Europe/Oslo", false},
		{long, "Europe/Oslo", false},
		{"includeTZOffset", "Europe/Oslo", true},
		{"UTC", "UTC", false},
	}
	check := func(header, zone string, offset bool) error {
		_, tz, err := loc.RewriterFor(http.Header{"So-Timezone": {header}})
		switch {
		case zone == "" && err == nil:
			return fmt.Errorf("%q: no error", header)
		case zone == "":
			return nil
		case err != nil || tz == nil || tz.Location.String() != zone || tz.IncludeOffset != offset:
			return fmt.Errorf("%q: %+v, %v; want %s, offset %v", header, tz, err, zone, offset)
		}
		return nil
	}
	for _, c := range cases {
		if err := check(c.header, c.zone, c.offset); err != nil {
			t.Error(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(cases))
	for _, c := range cases {
		wg.Go(func() {
			for range 200 {
				if err := check(c.header, c.zone, c.offset); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
