package locale

import (
	"fmt"
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

// TestParseDateTimeAgreesByByte: the word-at-a-time parse reads what a
// plain byte-by-byte one reads, for every byte value at every position of
// each form, every length cut from it, every month and day number in
// leap and common years, and every clock.
func TestParseDateTimeAgreesByByte(t *testing.T) {
	check := func(s []byte) {
		t.Helper()
		got, ok := parseDateTime(s)
		want, wantOK := parseDateTimeByByte(s)
		if ok != wantOK || ok && got != want {
			t.Fatalf("parseDateTime(%q) = %+v, %v; want %+v, %v", s, got, ok, want, wantOK)
		}
	}
	for _, form := range []string{"2000-12-04T11:10:26.1095254+01:00", "2021-06-18T11:10:26+0200", "2021-01-15T12:00:00Z",
		"2021-07-15T12:00", "2021-07-15T12:00-05:30", "9999-12-31T23:59:59.9", "0000-02-29T00:00:00.123-2359"} {
		for i := range len(form) + 1 {
			check([]byte(form[:i]))
			for c := range 256 {
				s := []byte(form)
				if i < len(s) {
					s[i] = byte(c)
				} else {
					s = append(s, byte(c))
				}
				check(s)
			}
		}
	}
	for _, year := range []string{"0000", "1900", "2000", "2023", "2024", "9999"} {
		for month := range 20 {
			for day := range 40 {
				check(fmt.Appendf(nil, "%s-%02d-%02dT12:00", year, month, day))
			}
		}
	}
	for clock := range 25 * 60 * 61 {
		check(fmt.Appendf(nil, "2024-02-29T%02d:%02d:%02d", clock/3660, clock/61%60, clock%61))
	}
}

// TestPutFields: the word-at-a-time writers write what fmt writes, for
// every clock second of a day, every offset to the minute in each form,
// and every day of the years written.
func TestPutFields(t *testing.T) {
	var b [8]byte
	for clock := range secondsPerDay {
		putClock(b[:], clock)
		if got, want := string(b[:]), fmt.Sprintf("%02d:%02d:%02d", clock/3600, clock/60%60, clock%60); got != want {
			t.Fatalf("putClock(%d) = %q; want %q", clock, got, want)
		}
	}
	for minutes := -24 * 60; minutes <= 24*60; minutes++ {
		sign, abs := '+', minutes
		if minutes < 0 {
			sign, abs = '-', -minutes
		}
		// seconds past the minute are dropped
		putOffset(b[:], minutes*60+minutes%60, true)
		if got, want := string(b[:6]), fmt.Sprintf("%c%02d:%02d", sign, abs/60, abs%60); got != want {
			t.Fatalf("putOffset(%d min, colon) = %q; want %q", minutes, got, want)
		}
		putOffset(b[:], minutes*60+minutes%60, false)
		if got, want := string(b[:5]), fmt.Sprintf("%c%02d%02d", sign, abs/60, abs%60); got != want {
			t.Fatalf("putOffset(%d min) = %q; want %q", minutes, got, want)
		}
	}
	var date [10]byte
	for day := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() <= 9999; day = day.AddDate(0, 0, 1) {
		putDate(date[:], day.Year(), int(day.Month()), day.Day())
		if got, want := string(date[:]), day.Format(time.DateOnly); got != want {
			t.Fatalf("putDate = %q; want %q", got, want)
		}
	}
}

// parseDateTimeByByte is parseDateTime read one byte at a time: the
// reference for the word-at-a-time parse.
func parseDateTimeByByte(s []byte) (dateTime, bool) {
	var d dateTime
	if len(s) < 16 || len(s) > 35 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' {
		return d, false
	}
	var ok [6]bool
	var century, yy, hour, minute int
	century, ok[0] = twoDigits(s[0], s[1])
	yy, ok[1] = twoDigits(s[2], s[3])
	d.year = century*100 + yy
	d.month, ok[2] = twoDigits(s[5], s[6])
	d.day, ok[3] = twoDigits(s[8], s[9])
	hour, ok[4] = twoDigits(s[11], s[12])
	minute, ok[5] = twoDigits(s[14], s[15])
	if ok != [6]bool{true, true, true, true, true, true} || d.month < 1 || d.month > 12 || d.day < 1 ||
		d.day > daysIn(d.year, d.month) || hour > 23 || minute > 59 {
		return d, false
	}
	d.clock = hour*3600 + minute*60
	i := 16
	if i < len(s) && s[i] == ':' {
		if i+3 > len(s) {
			return d, false
		}
		second, okSec := twoDigits(s[i+1], s[i+2])
		if !okSec || second > 59 {
			return d, false
		}
		d.clock += second
		d.hasSeconds = true
		i += 3
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && s[j]-'0' <= 9 {
				j++
			}
			if n := j - i - 1; n < 1 || n > 7 {
				return d, false
			}
			i = j
		}
	}
	d.wall = i
	switch {
	case i == len(s):
		return d, true
	case s[i] == 'Z' && i+1 == len(s):
		d.offset = zulu
		return d, true
	case s[i] == '+' || s[i] == '-':
		rest := s[i+1:]
		var hh, mm int
		var okH, okM bool
		switch {
		case len(rest) == 5 && rest[2] == ':':
			hh, okH = twoDigits(rest[0], rest[1])
			mm, okM = twoDigits(rest[3], rest[4])
			d.offset = withColon
		case len(rest) == 4:
			hh, okH = twoDigits(rest[0], rest[1])
			mm, okM = twoDigits(rest[2], rest[3])
			d.offset = colonless
		default:
			return d, false
		}
		if !okH || !okM || hh > 23 || mm > 59 {
			return d, false
		}
		d.offsetSecs = (hh*60 + mm) * 60
		if s[i] == '-' {
			d.offsetSecs = -d.offsetSecs
		}
		return d, true
	}
	return d, false
}

// appendOffset appends offset (seconds east of UTC) as the notation writes
// it for a date-time that came with written, one byte at a time: the
// reference for offsetFor, putOffset and zoneSpan.put. The reference
// pages' ±hhmm stays; an offset-less value gains one only if n.include
// (±hhmm if n.compact); else Z for UTC or RFC 3339's ±hh:mm.
func (n notation) appendOffset(dst []byte, written offsetForm, offset int) []byte {
	switch {
	case n.bare:
	case written == colonless:
		dst = appendOffset(dst, offset, false)
	case written == noOffset && !n.include:
	case written == noOffset && n.compact:
		dst = appendOffset(dst, offset, false)
	case n.utc:
		dst = append(dst, 'Z')
	default:
		dst = appendOffset(dst, offset, true)
	}
	return dst
}

// put2 writes n, 0 to 99, in two digits.
func put2(b []byte, n int) {
	b[0], b[1] = byte('0'+n/10), byte('0'+n%10)
}

// appendOffset writes ±hh:mm or ±hhmm, to the minute.
func appendOffset(dst []byte, seconds int, colon bool) []byte {
	b := [6]byte{0: '+', 3: ':'}
	if seconds < 0 {
		b[0], seconds = '-', -seconds
	}
	put2(b[1:], seconds/3600)
	if colon {
		put2(b[4:], seconds/60%60)
		return append(dst, b[:]...)
	}
	put2(b[3:], seconds/60%60)
	return append(dst, b[:5]...)
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}
