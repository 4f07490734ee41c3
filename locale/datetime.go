package locale

import (
	"strconv"
	"time"
)

// dateTime is an ISO 8601 date-time as written:
// YYYY-MM-DDThh:mm[:ss[.f{1,7}]][Z|±hh:mm|±hhmm].
type dateTime struct {
	year, month, day, hour, minute, second int
	hasSeconds                             bool
	fraction                               []byte // the digits after the dot, as written (a slice of the input)
	wall                                   int    // the length of the date and time, before any offset
	offset                                 offsetForm
	offsetSecs                             int
}

// offsetForm is how a date-time wrote its offset.
type offsetForm int

const (
	noOffset  offsetForm = iota
	zulu                 // Z
	withColon            // ±hh:mm
	colonless            // ±hhmm
)

// parseDateTime reads s if its whole text is a date-time of the contract's
// form, with every field in range.
func parseDateTime(s []byte) (dateTime, bool) {
	var d dateTime
	if len(s) < 16 || len(s) > 35 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' {
		return d, false
	}
	var ok [6]bool
	century, ok0 := twoDigits(s[0], s[1])
	yy, ok1 := twoDigits(s[2], s[3])
	d.year = century*100 + yy
	d.month, ok[2] = twoDigits(s[5], s[6])
	d.day, ok[3] = twoDigits(s[8], s[9])
	d.hour, ok[4] = twoDigits(s[11], s[12])
	d.minute, ok[5] = twoDigits(s[14], s[15])
	ok[0], ok[1] = ok0, ok1
	if ok != [6]bool{true, true, true, true, true, true} || d.month < 1 || d.month > 12 || d.day < 1 ||
		d.day > daysIn(d.year, d.month) || d.hour > 23 || d.minute > 59 {
		return d, false
	}
	i := 16
	if i < len(s) && s[i] == ':' {
		var okSec bool
		if i+3 > len(s) {
			return d, false
		}
		if d.second, okSec = twoDigits(s[i+1], s[i+2]); !okSec || d.second > 59 {
			return d, false
		}
		d.hasSeconds = true
		i += 3
		if i < len(s) && s[i] == '.' {
			j := i + 1
			for j < len(s) && j-i-1 < 8 && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			if n := j - i - 1; n < 1 || n > 7 {
				return d, false
			}
			d.fraction = s[i+1 : j]
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

// notation says how convertDateTime writes offsets.
type notation struct {
	include bool // offset-less values gain the target's offset (includeTZOffset)
	utc     bool // the target is UTC: its offset is Z
	compact bool // offsets added to offset-less values are ±hhmm (offset_format compact)
	bare    bool // no offset at all: local time of the target (a request's dates for the backend)
}

// convertDateTime appends s converted for the reader. A date-time with an
// offset is shown at the same instant with target's offset: ±hhmm if it
// came so, else ±hh:mm, or Z when the target is UTC. One without is
// base-zone local time, shown as target local time, gaining the target's
// offset if n.include (±hhmm if n.compact). A value whose conversion would
// leave the years 0001-9999 (the 0001-01-01 and 9999-12-31 sentinels) keeps
// its wall time as written and takes target's offset at that wall time. ok
// is false if s is not a date-time. spans remembers zone offsets from one
// call to the next (nil: none).
func convertDateTime(dst, s []byte, base, target *time.Location, n notation, spans *zoneSpans) ([]byte, bool) {
	d, ok := parseDateTime(s)
	if !ok {
		return dst, false
	}
	if spans == nil {
		spans = new(zoneSpans)
	}
	wall := daysFromCivil(d.year, d.month, d.day)*secondsPerDay + int64(d.hour*3600+d.minute*60+d.second)
	var instant int64
	if d.offset == noOffset {
		instant = spans.instant(base, wall)
	} else { // the wall time at the written offset
		instant = wall - int64(d.offsetSecs)
	}
	offset := spans.at(target, instant).offset
	local := instant + offset
	// Most conversions move the clock within the day: the date stays.
	year, month, day := d.year, d.month, d.day
	clock := int64(d.hour*3600+d.minute*60+d.second) + local - wall
	if clock < 0 || clock >= secondsPerDay {
		days := floorDiv(local, secondsPerDay)
		year, month, day = civilFromDays(days)
		clock = local - days*secondsPerDay
	}
	if year < 1 || year > 9999 {
		// A sentinel: the wall time stays, with the target's offset there.
		offset = spans.at(target, spans.instant(target, wall)).offset
		dst = append(dst, s[:d.wall]...)
	} else {
		dst = appendWallTime(dst, year, month, day, int(clock), d.hasSeconds)
		if len(d.fraction) > 0 {
			dst = append(dst, '.')
			dst = append(dst, d.fraction...)
		}
	}
	offsetSecs := int(offset)
	switch {
	case n.bare:
	case d.offset == colonless: // the reference pages' notation stays
		dst = appendOffset(dst, offsetSecs, false)
	case d.offset == noOffset && !n.include:
	case d.offset == noOffset && n.compact:
		dst = appendOffset(dst, offsetSecs, false)
	case n.utc:
		dst = append(dst, 'Z')
	default: // RFC 3339, as SuperOffice servers write it
		dst = appendOffset(dst, offsetSecs, true)
	}
	return dst, true
}

// tagUTC appends s, an offset-less date-time that is a UTC time, tagged as
// such: Z, or +0000 if compact. ok is false if s is not an offset-less
// date-time.
func tagUTC(dst, s []byte, compact bool) ([]byte, bool) {
	if d, ok := parseDateTime(s); !ok || d.offset != noOffset {
		return dst, false
	}
	dst = append(dst, s...)
	if compact {
		return append(dst, "+0000"...), true
	}
	return append(dst, 'Z'), true
}

// appendWallTime appends YYYY-MM-DDThh:mm, and :ss if seconds, for a year
// of four digits and clock seconds into the day.
func appendWallTime(dst []byte, year, month, day, clock int, seconds bool) []byte {
	b := [19]byte{4: '-', 7: '-', 10: 'T', 13: ':', 16: ':'}
	put2(b[0:], year/100)
	put2(b[2:], year%100)
	put2(b[5:], month)
	put2(b[8:], day)
	put2(b[11:], clock/3600)
	put2(b[14:], clock/60%60)
	if !seconds {
		return append(dst, b[:16]...)
	}
	put2(b[17:], clock%60)
	return append(dst, b[:]...)
}

// put2 writes n, 0 to 99, in two digits.
func put2(b []byte, n int) {
	b[0], b[1] = byte('0'+n/10), byte('0'+n%10)
}

// appendOffset writes ±hh:mm or ±hhmm, to the minute.
func appendOffset(dst []byte, seconds int, colon bool) []byte {
	sign := byte('+')
	if seconds < 0 {
		sign, seconds = '-', -seconds
	}
	dst = append(dst, sign)
	dst = appendDigits(dst, seconds/3600, 2)
	if colon {
		dst = append(dst, ':')
	}
	return appendDigits(dst, seconds/60%60, 2)
}

// appendDigits appends n in at least width decimal digits, zero-padded.
func appendDigits(dst []byte, n, width int) []byte {
	switch { // the date's fields, without strconv
	case width == 2 && 0 <= n && n < 100:
		return append(dst, byte('0'+n/10), byte('0'+n%10))
	case width == 4 && 0 <= n && n < 10000:
		return append(dst, byte('0'+n/1000), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
	}
	var buf [8]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// twoDigits reads two decimal digits.
func twoDigits(tens, ones byte) (int, bool) {
	t, o := tens-'0', ones-'0'
	return int(t)*10 + int(o), t <= 9 && o <= 9
}
