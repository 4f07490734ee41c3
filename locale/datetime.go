package locale

import (
	"encoding/binary"
	"math/bits"
	"slices"
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

// wallSeconds is d's date and clock in seconds from 1970-01-01T00:00 on
// the same clock.
func (d *dateTime) wallSeconds() int64 {
	return daysFromCivil(d.year, d.month, d.day)*secondsPerDay + int64(d.clock)
}

// parseDateTime reads s if its whole text is a date-time of the contract's
// form, with every field in range.
func parseDateTime(s []byte) (dateTime, bool) {
	var d dateTime
	ok := d.parse(s)
	return d, ok
}

// parse is parseDateTime into d, which starts zero.
func (d *dateTime) parse(s []byte) bool {
	if len(s) < 16 || len(s) > 35 {
		return false
	}
	// YYYY-MM-DDThh:mm in two words; byte k+1 of a pairs word is the
	// two-digit number at bytes k and k+1.
	date, okDate := fixedForm(binary.LittleEndian.Uint64(s), dateDigits, dateForm)
	dayTime, okDayTime := fixedForm(binary.LittleEndian.Uint64(s[8:]), dayTimeDigits, dayTimeForm)
	if !okDate || !okDayTime {
		return false
	}
	date, dayTime = pairs(date), pairs(dayTime)
	year := int(date>>8&0xff)*100 + int(date>>24&0xff)
	month, day := int(date>>48&0xff), int(dayTime>>8&0xff)
	hour, minute := int(dayTime>>32&0xff), int(dayTime>>56)
	if uint(month-1) >= 12 || uint(day-1) >= uint(daysIn(year, month)) || hour > 23 || minute > 59 {
		return false
	}
	d.year, d.month, d.day = year, month, day
	d.clock = hour*3600 + minute*60
	i := 16
	if len(s) >= len("YYYY-MM-DDThh:mm:ss") && s[i] == ':' {
		second, okSec := twoDigits(s[i+1], s[i+2])
		if !okSec || second > 59 {
			return false
		}
		d.clock += second
		d.hasSeconds = true
		i += 3
		if i < len(s) && s[i] == '.' {
			n := leadingDigits(s[i+1:])
			if n < 1 || n > 7 {
				return false
			}
			i += 1 + n
		}
	}
	d.wall = i
	switch {
	case i == len(s):
		return true
	case s[i] == 'Z' && i+1 == len(s):
		d.offset = zulu
		return true
	case s[i] == '+' || s[i] == '-':
		// The offset's digits, read in the last word of s.
		last := binary.LittleEndian.Uint64(s[len(s)-8:])
		var digits uint64
		var ok bool
		var hh, mm int
		switch len(s) - i {
		case len("+hh:mm"):
			digits, ok = fixedForm(last&^0xff_ff_ff, withColonDigits, withColonForm)
			digits = pairs(digits)
			hh, mm = int(digits>>32&0xff), int(digits>>56)
			d.offset = withColon
		case len("+hhmm"):
			digits, ok = fixedForm(last&^0xff_ff_ff_ff, colonlessDigits, colonlessForm)
			digits = pairs(digits)
			hh, mm = int(digits>>40&0xff), int(digits>>56)
			d.offset = colonless
		}
		if !ok || hh > 23 || mm > 59 {
			return false
		}
		d.offsetSecs = (hh*60 + mm) * 60
		if s[i] == '-' {
			d.offsetSecs = -d.offsetSecs
		}
		return true
	}
	return false
}

// leadingDigits counts the digits s starts with, up to 8.
func leadingDigits(s []byte) int {
	if len(s) < 8 {
		n := 0
		for n < len(s) && s[n]-'0' <= 9 {
			n++
		}
		return n
	}
	v := binary.LittleEndian.Uint64(s) ^ 0x30303030_30303030
	// The top bit of each byte that is not a digit (value 10 or more).
	// Adding may carry into the byte above one that is not, but no
	// further down, and only the lowest counts.
	notDigits := (v | (v + 0x76767676_76767676)) & 0x80808080_80808080
	return bits.TrailingZeros64(notDigits) / 8
}

// The fixed start of a date-time, YYYY-MM-DDThh:mm, as two little-endian
// words: the bytes each must have, '0' for a digit, and which are digits.
const (
	dateForm      = 0x2d_30_30_2d_30_30_30_30 // "0000-00-"
	dateDigits    = 0x00_ff_ff_00_ff_ff_ff_ff
	dayTimeForm   = 0x30_30_3a_30_30_54_30_30 // "00T00:00"
	dayTimeDigits = 0xff_ff_00_ff_ff_00_ff_ff
)

// The last word of a date-time with an offset, ±hh:mm or ±hhmm: the bytes
// each must have and which are digits, the bytes before the offset's
// digits cleared.
const (
	withColonForm   = 0x30_30_3a_30_30_00_00_00 // "...00:00"
	withColonDigits = 0xff_ff_00_ff_ff_00_00_00
	colonlessForm   = 0x30_30_30_30_00_00_00_00 // "....0000"
	colonlessDigits = 0xff_ff_ff_ff_00_00_00_00
)

// fixedForm reports whether the eight bytes of w are as form says, a digit
// where digits has 0xff, and returns w with each digit replaced by its
// value and the other bytes by zero.
func fixedForm(w, digits, form uint64) (uint64, bool) {
	v := w ^ form
	// a digit's value is below 10: adding 0x76 leaves its top bit clear
	tooBig := (v | (v + 0x76767676_76767676&digits)) & 0x80808080_80808080 & digits
	return v, v&^digits|tooBig == 0
}

// pairs turns a word of digit values into two-digit numbers: byte k+1
// becomes ten times byte k plus byte k+1.
func pairs(v uint64) uint64 {
	return v * (10<<8 + 1)
}

// notation says how convertDateTime writes offsets.
type notation struct {
	include bool // offset-less values gain the target's offset (includeTZOffset)
	utc     bool // the target is UTC: its offset is Z
	compact bool // offsets added to offset-less values are ±hhmm (offset_format compact)
	bare    bool // no offset at all: local time of the target (a request's dates for the backend)
}

// offsetFor is the form of the offset the notation writes for a date-time
// that came with written (noOffset: none): the reference pages' ±hhmm
// stays; an offset-less value gains one only if n.include (±hhmm if
// n.compact); else Z for UTC or RFC 3339's ±hh:mm, as SuperOffice servers
// write it.
func (n notation) offsetFor(written offsetForm) offsetForm {
	switch {
	case n.bare, written == noOffset && !n.include:
		return noOffset
	case written == colonless, written == noOffset && n.compact:
		return colonless
	case n.utc:
		return zulu
	}
	return withColon
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
	var d dateTime
	if !d.parse(s) {
		return dst, false
	}
	if spans == nil {
		spans = new(zoneSpans)
	}
	wall := d.wallSeconds()
	var instant int64
	if d.offset == noOffset {
		instant = spans.instant(base, wall)
	} else { // the wall time at the written offset
		instant = wall - int64(d.offsetSecs)
	}
	span := spans.at(target, instant)
	// The wall time at the offset as written, to the minute: at an offset
	// with seconds (local mean time, before about 1900) the written value
	// still names the instant.
	local := instant + span.offset/60*60
	// The wall time as written, its date and clock then written over where
	// they change, and the offset: the window has room for the eight bytes
	// each is written in.
	start := len(dst)
	dst = slices.Grow(dst, len(window{}))
	out := (*window)(dst[start : start+len(window{})])
	// the wall time is 16 to 27 bytes: its first 16 and its last 16
	*(*[16]byte)(out[:]) = [16]byte(s)
	*(*[16]byte)(out[d.wall-16:]) = [16]byte(s[d.wall-16 : d.wall])
	// Most conversions move the clock within the day: the date stays as
	// written.
	if clock := int64(d.clock) + local - wall; 0 <= clock && clock < secondsPerDay && d.year >= 1 {
		putClock(out[len("YYYY-MM-DDT"):], int(clock))
	} else {
		span = spans.putOtherDay(out, local, wall, span, target)
	}
	return dst[:start+d.wall+span.put(out[d.wall:], n.offsetFor(d.offset))], true
}

// keptByAnswers reports whether an answer keeps the base-zone wall time
// wall (seconds from 1970-01-01T00:00 on that clock), which is within the
// years 0001-9999, as written when it shows it in zone: there it would
// leave those years (a sentinel). A request's value with that wall time in
// zone goes to the backend as written, so that the sentinels a reader was
// given come back as the backend wrote them.
func (z *zoneSpans) keptByAnswers(wall int64, base, zone *time.Location) bool {
	if !inYears(wall) {
		return false
	}
	instant := z.instant(base, wall)
	return !inYears(instant + z.at(zone, instant).offset/60*60)
}

// inYears reports whether the wall time wall is within the years
// 0001-9999.
func inYears(wall int64) bool {
	year, _, _ := civilFromDays(floorDiv(wall, secondsPerDay))
	return 1 <= year && year <= 9999
}

// putOtherDay writes into out the date and clock of local, and returns
// span, target's span there; or, where that would leave the years
// 0001-9999 (a sentinel), keeps the wall time as written and returns
// target's span at that wall time.
func (z *zoneSpans) putOtherDay(out *window, local, wall int64, span *zoneSpan, target *time.Location) *zoneSpan {
	days := floorDiv(local, secondsPerDay)
	year, month, day := civilFromDays(days)
	if year < 1 || year > 9999 {
		return z.at(target, z.instant(target, wall))
	}
	putDate(out[:], year, month, day)
	putClock(out[len("YYYY-MM-DDT"):], int(local-days*secondsPerDay))
	return span
}

// window is where convertDateTime writes a date-time: room for the
// longest wall time and an offset written in eight bytes.
type window [len(wallWithSeconds) + len(".fffffff") + 8]byte

// tagUTC appends s, an offset-less date-time that is a UTC time, tagged as
// such: Z, or +0000 if compact. ok is false if s is not an offset-less
// date-time.
func tagUTC(dst, s []byte, compact bool) ([]byte, bool) {
	var d dateTime
	if !d.parse(s) || d.offset != noOffset {
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

// putDate writes YYYY-MM-DD, for a year of four digits.
func putDate(b []byte, year, month, day int) {
	w := asciiPairs(uint64(year/100)|uint64(year%100)<<16|uint64(month)<<40, 1|1<<16|1<<40, '-'<<32|'-'<<56)
	binary.LittleEndian.PutUint64(b, w)
	binary.LittleEndian.PutUint16(b[8:], uint16(asciiPairs(uint64(day), 1, 0)))
}

// putClock writes hh:mm:ss for clock seconds into the day; a clock
// without seconds has what follows it written over :ss.
func putClock(b []byte, clock int) {
	minutes := uint64(clock) / 60 // unsigned: cheaper to divide
	hour, minute, second := minutes/60, minutes%60, uint64(clock)%60
	w := asciiPairs(hour|minute<<24|second<<48, 1|1<<24|1<<48, ':'<<16|':'<<40)
	binary.LittleEndian.PutUint64(b, w)
}

// putOffset writes offset (seconds east of UTC) as ±hh:mm, or ±hhmm if
// not colon, to the minute, in eight bytes of b.
func putOffset(b []byte, offset int, colon bool) {
	sign := uint64('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	minutes := uint64(offset) / 60
	hour, minute := minutes/60, minutes%60
	if colon {
		binary.LittleEndian.PutUint64(b, asciiPairs(hour<<8|minute<<32, 1<<8|1<<32, sign|':'<<24))
		return
	}
	binary.LittleEndian.PutUint64(b, asciiPairs(hour<<8|minute<<24, 1<<8|1<<24, sign))
}

// asciiPairs writes each number below 100 in w, at a byte where at has a
// 1, in two ASCII digits: that byte and the next; the other bytes are
// others'. The numbers are at least two bytes apart.
func asciiPairs(w, at, others uint64) uint64 {
	// n*103>>10 is n/10 for n below 179. A number's product takes 14 bits,
	// clear of the next number; the shift puts the quotient where the
	// number was and its fraction in the 10 bits below.
	tens := w * 103 >> 10 & (at * 0x0f)
	return tens | (w-tens*10)<<8 | at*0x30_30 | others
}

// twoDigits reads two decimal digits.
func twoDigits(tens, ones byte) (int, bool) {
	t, o := tens-'0', ones-'0'
	return int(t)*10 + int(o), t <= 9 && o <= 9
}
