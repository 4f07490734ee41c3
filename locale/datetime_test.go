package locale

import (
	"testing"
	"time"
)

func TestConvertDateTime(t *testing.T) {
	oslo, _ := time.LoadLocation("Europe/Oslo")
	ny, _ := time.LoadLocation("America/New_York")
	utc := time.UTC
	for _, tc := range []struct {
		name, in      string
		base, target  *time.Location
		includeOffset bool
		want          string // "" : not a date-time, left alone
	}{
		{"reference sample, winter, to New York", "2000-12-04T11:10:26.1095254+01:00", oslo, ny, false, "2000-12-04T05:10:26.1095254-05:00"},
		{"reference sample, summer (DST both sides)", "2021-06-18T11:10:26.1095254+02:00", oslo, ny, false, "2021-06-18T05:10:26.1095254-04:00"},
		{"colonless offset stays colonless", "2021-06-18T11:10:26+0200", oslo, ny, false, "2021-06-18T05:10:26-0400"},
		{"Z to a zone with an offset", "2021-01-15T12:00:00Z", utc, oslo, false, "2021-01-15T13:00:00+01:00"},
		{"Z to UTC stays Z", "2021-01-15T12:00:00.5Z", oslo, utc, false, "2021-01-15T12:00:00.5Z"},
		{"offset-less is base local, shown target local", "2021-01-15T12:00:00", oslo, ny, false, "2021-01-15T06:00:00"},
		{"offset-less in summer", "2021-07-15T12:00:00", oslo, ny, false, "2021-07-15T06:00:00"},
		{"offset-less gains ±hhmm", "2021-07-15T12:00:00", oslo, ny, true, "2021-07-15T06:00:00-0400"},
		{"with offset ignores includeTZOffset", "2021-07-15T12:00:00+02:00", oslo, ny, true, "2021-07-15T06:00:00-04:00"},
		{"no seconds kept short", "2021-07-15T12:00", utc, oslo, false, "2021-07-15T14:00"},
		{"seven fraction digits kept", "2021-07-15T12:00:00.0000001", utc, utc, false, "2021-07-15T12:00:00.0000001"},
		{"date change", "2021-12-31T23:30:00Z", utc, oslo, false, "2022-01-01T00:30:00+01:00"},
		{"DST begins: 02:30 does not exist in Oslo", "2021-03-28T00:30:00Z", utc, oslo, false, "2021-03-28T01:30:00+01:00"},
		{"DST begins: after the jump", "2021-03-28T01:30:00Z", utc, oslo, false, "2021-03-28T03:30:00+02:00"},
		{"half-hour zone", "2021-01-15T12:00:00Z", utc, mustLoad("Asia/Kolkata"), false, "2021-01-15T17:30:00+05:30"},

		{"date only", "2021-01-15", utc, oslo, false, ""},
		{"time only", "12:00:00", utc, oslo, false, ""},
		{"eight fraction digits", "2021-01-15T12:00:00.12345678", utc, oslo, false, ""},
		{"empty fraction", "2021-01-15T12:00:00.", utc, oslo, false, ""},
		{"month 13", "2021-13-15T12:00:00", utc, oslo, false, ""},
		{"Feb 30", "2021-02-30T12:00:00", utc, oslo, false, ""},
		{"Feb 29 of a leap year", "2020-02-29T12:00:00Z", utc, utc, false, "2020-02-29T12:00:00Z"},
		{"hour 24", "2021-01-15T24:00:00", utc, oslo, false, ""},
		{"leap second", "2021-01-15T12:00:60", utc, oslo, false, ""},
		{"lower-case t", "2021-01-15t12:00:00", utc, oslo, false, ""},
		{"space instead of T", "2021-01-15 12:00:00", utc, oslo, false, ""},
		{"offset with seconds", "2021-01-15T12:00:00+01:00:00", utc, oslo, false, ""},
		{"offset hh only", "2021-01-15T12:00:00+01", utc, oslo, false, ""},
		{"text after", "2021-01-15T12:00:00Z!", utc, oslo, false, ""},
		{"text before", "x2021-01-15T12:00:00Z", utc, oslo, false, ""},
		{"year past 9999", "9999-12-31T23:30:00Z", utc, oslo, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := convertDateTime(nil, []byte(tc.in), tc.base, tc.target, tc.includeOffset)
			if tc.want == "" {
				if ok {
					t.Fatalf("converted %q to %q; want it left alone", tc.in, got)
				}
				return
			}
			if !ok || string(got) != tc.want {
				t.Fatalf("convertDateTime(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
