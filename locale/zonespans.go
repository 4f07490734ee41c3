package locale

import (
	"math"
	"time"
)

// zoneSpans remembers, for the zones an answer's dates are converted
// between, spans of time over which a zone keeps one offset (its standard
// time or its daylight saving time of one year), so that a date in a span
// met before costs no zone lookup. An answer's dates mostly fall in a few
// such spans. It is a request's: not safe for concurrent use.
type zoneSpans struct {
	spans [8]zoneSpan
	next  int // the slot the next new span takes
}

// zoneSpan is one offset of one zone: loc's offset over [start, end), in
// Unix seconds.
type zoneSpan struct {
	loc        *time.Location
	start, end int64
	offset     int64 // seconds east of UTC
	// the offset written ±hh:mm and ±hhmm, in putOffset's eight bytes
	withColon, colonless [8]byte
}

// at returns loc's span holding the instant unix, which the next call
// may replace.
func (z *zoneSpans) at(loc *time.Location, unix int64) *zoneSpan {
	for i := range z.spans {
		if s := &z.spans[i]; s.loc == loc && s.start <= unix && unix < s.end {
			return s
		}
	}
	t := time.Unix(unix, 0).In(loc)
	_, offset := t.Zone()
	start, end := t.ZoneBounds()
	s := zoneSpan{loc: loc, start: math.MinInt64, end: math.MaxInt64, offset: int64(offset)}
	if !start.IsZero() {
		s.start = start.Unix()
	}
	if !end.IsZero() {
		s.end = end.Unix()
	}
	putOffset(s.withColon[:], offset, true)
	putOffset(s.colonless[:], offset, false)
	slot := &z.spans[z.next]
	*slot = s
	z.next = (z.next + 1) % len(z.spans)
	return slot
}

// put writes the offset in form into b, which has room for eight bytes;
// it returns the offset's length.
func (s *zoneSpan) put(b []byte, form offsetForm) int {
	switch form {
	case withColon:
		*(*[8]byte)(b) = s.withColon
		return len("+hh:mm")
	case colonless:
		*(*[8]byte)(b) = s.colonless
		return len("+hhmm")
	case zulu:
		b[0] = 'Z'
		return len("Z")
	}
	return 0
}

// instant is the Unix time of the wall clock time wall (seconds since
// 1970-01-01T00:00 on that clock) in loc, chosen as time.Date chooses it
// where the wall time occurs twice or not at all.
func (z *zoneSpans) instant(loc *time.Location, wall int64) int64 {
	s := z.at(loc, wall)
	if s.offset == 0 {
		return wall
	}
	utc := wall - s.offset
	if utc >= s.start && utc < s.end {
		return utc
	}
	return wall - z.at(loc, utc).offset
}

// The proleptic Gregorian calendar in whole days, after Howard Hinnant's
// days_from_civil and civil_from_days: day 0 is 1970-01-01.
const (
	secondsPerDay   = 86400
	daysPer400Years = 146097
	daysBefore1970  = 719468 // from 0000-03-01
)

// daysFromCivil is the day number of year-month-day, for years from -399.
// It counts in unsigned numbers from 400 years before the year 0, where
// dividing by a constant is cheapest.
func daysFromCivil(year, month, day int) int64 {
	y := uint64(year + 400)
	if month <= 2 {
		y--
	}
	days := y*365 + y/4 - y/100 + y/400 + uint64(daysFromMarch[month-1]) + uint64(day) - 1
	return int64(days) - daysBefore1970 - daysPer400Years
}

// daysFromMarch is the day of the year, counted from March, on which each
// month starts.
var daysFromMarch = [12]uint16{306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275}

// civilFromDays is the year, month and day of day number days.
func civilFromDays(days int64) (year, month, day int) {
	days += daysBefore1970
	era := floorDiv(days, daysPer400Years)
	dayOfEra := days - era*daysPer400Years
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36524 - dayOfEra/146096) / 365
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)
	monthFromMarch := (5*dayOfYear + 2) / 153
	day = int(dayOfYear - (153*monthFromMarch+2)/5 + 1)
	month = int(monthFromMarch + 3)
	if month > 12 {
		month -= 12
	}
	year = int(yearOfEra + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// daysIn is the length of month in year.
func daysIn(year, month int) int {
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return int(monthDays[month-1])
}

var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
