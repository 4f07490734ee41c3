package locale

import (
	"time"
)

// dateTime is an ISO 8601 date-time as written:
// YYYY-MM-DDThh:mm[:ss[.f{1,7}]][Z|±hh:mm|±hhmm].
type dateTime struct {
	year, month, day int
	clock            int // seconds into the day
	hasSeconds       bool
	wall             int // the length of the date and time, before any offset; past 19 a fraction of the second: its dot and digits
	offset           offsetForm
	offsetSecs       int
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

// notation says how convertDateTime writes offsets.
type notation struct {
	include bool // offset-less values gain the target's offset (includeTZOffset)
	utc     bool // the target is UTC: its offset is Z
	compact bool // offsets added to offset-less values are ±hhmm (offset_format compact)
	bare    bool // no offset at all: local time of the target (a request's dates for the backend)
}

// appendOffset appends offset (seconds east of UTC) as the notation writes
// it for a date-time that came with written: the reference pages' ±hhmm
// stays; an offset-less value gains one only if n.include (±hhmm if
// n.compact); else Z for UTC or RFC 3339's ±hh:mm, as SuperOffice servers
// write it.
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
	wall := daysFromCivil(d.year, d.month, d.day)*secondsPerDay + int64(d.clock)
	var instant int64
	if d.offset == noOffset {
		instant = spans.instant(base, wall)
	} else { // the wall time at the written offset
		instant = wall - int64(d.offsetSecs)
	}
	offset := spans.at(target, instant).offset
	local := instant + offset
	// Most conversions move the clock within the day: the date stays as
	// written.
	clock := int64(d.clock) + local - wall
	sameDay := 0 <= clock && clock < secondsPerDay
	year, month, day := d.year, d.month, d.day
	if !sameDay {
		days := floorDiv(local, secondsPerDay)
		year, month, day = civilFromDays(days)
		clock = local - days*secondsPerDay
	}
	switch {
	case year < 1 || year > 9999:
		// A sentinel: the wall time stays, with the target's offset there.
		offset = spans.at(target, spans.instant(target, wall)).offset
		dst = append(dst, s[:d.wall]...)
	case sameDay:
		dst = appendClock(append(dst, s[:len("YYYY-MM-DDT")]...), int(clock), d.hasSeconds)
		dst = append(dst, s[min(d.wall, len(wallWithSeconds)):d.wall]...) // the fraction as written
	default:
		dst = appendDate(dst, year, month, day)
		dst = appendClock(append(dst, 'T'), int(clock), d.hasSeconds)
		dst = append(dst, s[min(d.wall, len(wallWithSeconds)):d.wall]...)
	}
	dst = n.appendOffset(dst, d.offset, int(offset))
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

// wallWithSeconds is the length of a date-time with seconds, before any
// fraction.
const wallWithSeconds = "YYYY-MM-DDThh:mm:ss"

// appendDate appends YYYY-MM-DD, for a year of four digits.
func appendDate(dst []byte, year, month, day int) []byte {
	b := [10]byte{4: '-', 7: '-'}
	put2(b[0:], year/100)
	put2(b[2:], year%100)
	put2(b[5:], month)
	put2(b[8:], day)
	return append(dst, b[:]...)
}

// appendClock appends hh:mm, and :ss if seconds, for clock seconds into
// the day.
func appendClock(dst []byte, clock int, seconds bool) []byte {
	b := [8]byte{2: ':', 5: ':'}
	put2(b[0:], clock/3600)
	put2(b[3:], clock/60%60)
	if !seconds {
		return append(dst, b[:5]...)
	}
	put2(b[6:], clock%60)
	return append(dst, b[:]...)
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

// twoDigits reads two decimal digits.
func twoDigits(tens, ones byte) (int, bool) {
	t, o := tens-'0', ones-'0'
	return int(t)*10 + int(o), t <= 9 && o <= 9
}
