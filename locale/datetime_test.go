package locale

import (
	"testing"
	"time"
)

func TestConvertDateTime(t *testing.T) {
	oslo, ny, london := mustLoad("Europe/Oslo"), mustLoad("America/New_York"), mustLoad("Europe/London")
	utc := time.UTC
	for _, tc := range []struct {
		name, in         string
		base, target     *time.Location
		include, compact bool   // includeTZOffset; offset_format compact
		want             string // "" : not a date-time, left alone
	}{
		{"reference sample, winter, to New York", "2000-12-04T11:10:26.1095254+01:00", oslo, ny, false, false, "2000-12-04T05:10:26.1095254-05:00"},
		{"reference sample, summer (DST both sides)", "2021-06-18T11:10:26.1095254+02:00", oslo, ny, false, false, "2021-06-18T05:10:26.1095254-04:00"},
		{"colonless offset stays colonless", "2021-06-18T11:10:26+0200", oslo, ny, false, false, "2021-06-18T05:10:26-0400"},
		{"colonless offset stays colonless in UTC", "2021-06-18T11:10:26+0200", oslo, utc, false, false, "2021-06-18T09:10:26+0000"},
		{"Z to a zone with an offset", "2021-01-15T12:00:00Z", utc, oslo, false, false, "2021-01-15T13:00:00+01:00"},
		{"Z to UTC stays Z", "2021-01-15T12:00:00.5Z", oslo, utc, false, false, "2021-01-15T12:00:00.5Z"},
		{"±hh:mm to UTC is Z", "2000-12-04T11:10:26+01:00", oslo, utc, false, false, "2000-12-04T10:10:26Z"},
		{"±hh:mm to UTC is Z, compact too", "2000-12-04T11:10:26+01:00", oslo, utc, true, true, "2000-12-04T10:10:26Z"},
		{"Z to London in winter is +00:00, not Z", "2021-01-15T12:00:00Z", utc, london, false, false, "2021-01-15T12:00:00+00:00"},
		{"Z to London in summer", "2021-07-15T12:00:00Z", utc, london, false, false, "2021-07-15T13:00:00+01:00"},
		{"Z to Etc/UTC is Z", "2021-07-15T12:00:00+02:00", utc, mustLoad("Etc/UTC"), false, false, "2021-07-15T10:00:00Z"},
		{"Z to GMT is Z", "2021-07-15T12:00:00+02:00", utc, mustLoad("GMT"), false, false, "2021-07-15T10:00:00Z"},
		{"Reykjavik is +00:00", "2021-07-15T12:00:00Z", utc, mustLoad("Atlantic/Reykjavik"), false, false, "2021-07-15T12:00:00+00:00"},
		{"offset-less is base local, shown target local", "2021-01-15T12:00:00", oslo, ny, false, false, "2021-01-15T06:00:00"},
		{"offset-less in summer", "2021-07-15T12:00:00", oslo, ny, false, false, "2021-07-15T06:00:00"},
		{"offset-less gains ±hh:mm", "2021-07-15T12:00:00", oslo, ny, true, false, "2021-07-15T06:00:00-04:00"},
		{"offset-less gains ±hhmm, compact", "2021-07-15T12:00:00", oslo, ny, true, true, "2021-07-15T06:00:00-0400"},
		{"offset-less in UTC gains Z", "2021-07-15T12:00:00", oslo, utc, true, false, "2021-07-15T10:00:00Z"},
		{"offset-less in UTC gains +0000, compact", "2021-07-15T12:00:00", oslo, utc, true, true, "2021-07-15T10:00:00+0000"},
		{"offset-less in London winter gains +00:00", "2021-01-15T12:00:00", oslo, london, true, false, "2021-01-15T11:00:00+00:00"},
		{"compact without includeTZOffset adds nothing", "2021-07-15T12:00:00", oslo, ny, false, true, "2021-07-15T06:00:00"},
		{"with offset ignores includeTZOffset", "2021-07-15T12:00:00+02:00", oslo, ny, true, false, "2021-07-15T06:00:00-04:00"},
		{"compact leaves ±hh:mm values ±hh:mm", "2021-07-15T12:00:00+02:00", oslo, ny, true, true, "2021-07-15T06:00:00-04:00"},
		{"compact leaves Z values RFC 3339", "2021-07-15T12:00:00Z", oslo, ny, true, true, "2021-07-15T08:00:00-04:00"},
		{"no seconds kept short", "2021-07-15T12:00", utc, oslo, false, false, "2021-07-15T14:00"},
		{"no seconds, with an offset added", "2021-07-15T12:00", utc, oslo, true, false, "2021-07-15T14:00+02:00"},
		{"seven fraction digits kept", "2021-07-15T12:00:00.0000001", utc, utc, false, false, "2021-07-15T12:00:00.0000001"},
		{"fraction kept, offset added", "2021-07-15T12:00:00.1234567", utc, oslo, true, false, "2021-07-15T14:00:00.1234567+02:00"},
		{"date change", "2021-12-31T23:30:00Z", utc, oslo, false, false, "2022-01-01T00:30:00+01:00"},
		{"DST begins: 02:30 does not exist in Oslo", "2021-03-28T00:30:00Z", utc, oslo, false, false, "2021-03-28T01:30:00+01:00"},
		{"DST begins: after the jump", "2021-03-28T01:30:00Z", utc, oslo, false, false, "2021-03-28T03:30:00+02:00"},
		{"DST ends: first 02:30", "2021-10-31T00:30:00Z", utc, oslo, true, false, "2021-10-31T02:30:00+02:00"},
		{"DST ends: second 02:30", "2021-10-31T01:30:00Z", utc, oslo, true, false, "2021-10-31T02:30:00+01:00"},
		{"offset-less before and after DST, with offsets", "2021-03-28T01:30:00", oslo, oslo, true, false, "2021-03-28T01:30:00+01:00"},
		{"offset-less after DST begins, with offsets", "2021-03-28T03:30:00", oslo, oslo, true, false, "2021-03-28T03:30:00+02:00"},
		{"half-hour zone", "2021-01-15T12:00:00Z", utc, mustLoad("Asia/Kolkata"), false, false, "2021-01-15T17:30:00+05:30"},

		// Sentinels: a conversion that would leave 0001-9999 keeps the wall time.
		{"0001 sentinel from Oslo to UTC", "0001-01-01T00:00:00", oslo, utc, true, false, "0001-01-01T00:00:00Z"},
		{"0001 sentinel from Oslo to UTC, compact", "0001-01-01T00:00:00", oslo, utc, true, true, "0001-01-01T00:00:00+0000"},
		{"0001 sentinel without includeTZOffset", "0001-01-01T00:00:00", oslo, utc, false, false, "0001-01-01T00:00:00"},
		{"0001 sentinel to New York (local mean time, to the minute)", "0001-01-01T00:00:00", oslo, ny, true, false, "0001-01-01T00:00:00-04:56"},
		{"0001 sentinel with Z to New York", "0001-01-01T00:00:00Z", utc, ny, false, false, "0001-01-01T00:00:00-04:56"},
		{"0001 that stays in range is converted", "0001-01-01T00:00:00", utc, oslo, true, false, "0001-01-01T00:43:00+00:43"},
		{"9999 sentinel from UTC to Oslo", "9999-12-31T23:59:59", utc, oslo, true, false, "9999-12-31T23:59:59+01:00"},
		{"9999 sentinel, compact", "9999-12-31T23:59:59", utc, oslo, true, true, "9999-12-31T23:59:59+0100"},
		{"9999 sentinel without includeTZOffset", "9999-12-31T23:59:59.9999999", utc, oslo, false, false, "9999-12-31T23:59:59.9999999"},
		{"9999 with Z past the year", "9999-12-31T23:30:00Z", utc, oslo, false, false, "9999-12-31T23:30:00+01:00"},
		{"9999 with ±hhmm past the year keeps ±hhmm", "9999-12-31T23:59:59+0100", utc, mustLoad("Asia/Tokyo"), false, false, "9999-12-31T23:59:59+0900"},
		{"9999 that stays in range is converted", "9999-12-31T23:59:59+0100", utc, ny, false, false, "9999-12-31T17:59:59-0500"},
		{"year 0000 keeps its wall time", "0000-06-01T00:00:00", utc, utc, true, false, "0000-06-01T00:00:00Z"},

		{"date only", "2021-01-15", utc, oslo, false, false, ""},
		{"time only", "12:00:00", utc, oslo, false, false, ""},
		{"eight fraction digits", "2021-01-15T12:00:00.12345678", utc, oslo, false, false, ""},
		{"empty fraction", "2021-01-15T12:00:00.", utc, oslo, false, false, ""},
		{"month 13", "2021-13-15T12:00:00", utc, oslo, false, false, ""},
		{"Feb 30", "2021-02-30T12:00:00", utc, oslo, false, false, ""},
		{"Feb 29 of a leap year", "2020-02-29T12:00:00Z", utc, utc, false, false, "2020-02-29T12:00:00Z"},
		{"hour 24", "2021-01-15T24:00:00", utc, oslo, false, false, ""},
		{"leap second", "2021-01-15T12:00:60", utc, oslo, false, false, ""},
		{"lower-case t", "2021-01-15t12:00:00", utc, oslo, false, false, ""},
		{"space instead of T", "2021-01-15 12:00:00", utc, oslo, false, false, ""},
		{"offset with seconds", "2021-01-15T12:00:00+01:00:00", utc, oslo, false, false, ""},
		{"offset hh only", "2021-01-15T12:00:00+01", utc, oslo, false, false, ""},
		{"text after", "2021-01-15T12:00:00Z!", utc, oslo, false, false, ""},
		{"text before", "x2021-01-15T12:00:00Z", utc, oslo, false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := notation{include: tc.include, utc: isUTC(tc.target), compact: tc.compact}
			got, ok := convertDateTime(nil, []byte(tc.in), tc.base, tc.target, n, nil)
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

func TestTagUTC(t *testing.T) {
	for _, tc := range []struct {
		in      string
		compact bool
		want    string // "": left alone
	}{
		{"2019-12-19T10:44:12", false, "2019-12-19T10:44:12Z"},
		{"2019-12-19T10:44:12", true, "2019-12-19T10:44:12+0000"},
		{"0001-01-01T00:00:00", false, "0001-01-01T00:00:00Z"},
		{"2019-12-19T10:44:12.123", false, "2019-12-19T10:44:12.123Z"},
		{"2019-12-19T10:44", false, "2019-12-19T10:44Z"},
		{"2019-12-19T10:44:12Z", false, ""},
		{"2019-12-19T10:44:12+01:00", false, ""},
		{"2019-12-19", false, ""},
	} {
		got, ok := tagUTC(nil, []byte(tc.in), tc.compact)
		if tc.want == "" && ok || tc.want != "" && string(got) != tc.want {
			t.Errorf("tagUTC(%q, %v) = %q, %v; want %q", tc.in, tc.compact, got, ok, tc.want)
		}
	}
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
