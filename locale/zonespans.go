package locale

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// zoneSpans finds, for the zones an answer's dates are converted between,
// spans of time over which a zone keeps one offset (its standard time or
// its daylight saving time of one year): in the zone's table (zoneTable)
// from 1900 to 2100, and else among the spans met before in the answer,
// where an answer's dates mostly fall, or from the time package. It is a
// request's: not safe for concurrent use.
type zoneSpans struct {
	spans [8]zoneSpan
	next  int // the slot the next new span takes
	// the tables of the last two zones looked up (nil: none)
	tableLocs [2]*time.Location
	tables    [2]*zoneTable
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

// at returns loc's span holding the instant unix. It is only read, and
// may be replaced by the next call.
func (z *zoneSpans) at(loc *time.Location, unix int64) *zoneSpan {
	if s := z.table(loc).find(unix); s != nil {
		return s
	}
	for i := range z.spans {
		if s := &z.spans[i]; s.loc == loc && s.start <= unix && unix < s.end {
			return s
		}
	}
	slot := &z.spans[z.next]
	z.next = (z.next + 1) % len(z.spans)
	*slot = spanAt(loc, unix)
	return slot
}

// table is loc's zone table, or nil.
func (z *zoneSpans) table(loc *time.Location) *zoneTable {
	if z.tableLocs[0] == loc {
		return z.tables[0]
	}
	if z.tableLocs[1] != loc {
		z.tableLocs[1], z.tables[1] = loc, zoneTableOf(loc)
	}
	// the zone looked up last first
	z.tableLocs[0], z.tableLocs[1] = z.tableLocs[1], z.tableLocs[0]
	z.tables[0], z.tables[1] = z.tables[1], z.tables[0]
	return z.tables[0]
}

// spanAt is loc's span holding the instant unix, from the time package.
func spanAt(loc *time.Location, unix int64) zoneSpan {
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
	return s
}

// zoneTable is a zone's spans from tableFrom up to to, in order, each
// starting where the one before ends, and for each bucket of 2^bucketShift
// seconds from tableFrom the span its start is in: a date's span is a
// bucket's first or a few after it. It is made once for each zone met
// (zoneTableOf), then only read.
type zoneTable struct {
	spans []zoneSpan
	first []uint16
	// the instant the table covers up to: tableTo, or where the time
	// package's bounds stop holding the instants they are asked for (past
	// a zone's data, in a leap year, they end the year a day early, as
	// December 31 begins: 2040-12-31 for the zones with daylight saving
	// time)
	to int64
}

// The instants a zone table covers, 1900-01-01 and 2100-01-01 UTC; its
// buckets, 2^24 s (194 days) each; at most how many spans it holds (a zone
// with daylight saving time every year of those two centuries has 400).
const (
	tableFrom     = -2208988800
	tableTo       = 4102444800
	bucketShift   = 24
	maxTableSpans = 1024
)

// makeZoneTable is loc's zone table.
func makeZoneTable(loc *time.Location) *zoneTable {
	t := &zoneTable{to: tableFrom}
	for t.to < tableTo && len(t.spans) < maxTableSpans {
		s := spanAt(loc, t.to)
		if s.end <= t.to { // the time package's bounds do not hold t.to
			break
		}
		s.start = max(s.start, t.to) // (the bounds of Lord Howe's last data overlap the rule's)
		t.spans = append(t.spans, s)
		t.to = min(s.end, tableTo)
	}
	t.spans = slices.Clip(t.spans)
	t.first = make([]uint16, (t.to-tableFrom+1<<bucketShift-1)>>bucketShift)
	i := 0
	for b := range t.first {
		for start := tableFrom + int64(b)<<bucketShift; t.spans[i].end <= start; {
			i++
		}
		t.first[b] = uint16(i)
	}
	return t
}

// find is t's span holding the instant unix, or nil (t nil, or unix out
// of its range).
func (t *zoneTable) find(unix int64) *zoneSpan {
	if t == nil || unix < tableFrom || unix >= t.to {
		return nil
	}
	i := int(t.first[(unix-tableFrom)>>bucketShift])
	for t.spans[i].end <= unix { // the last span ends at t.to or later
		i++
	}
	return &t.spans[i]
}

// zoneTables are the zone tables made, by *time.Location: at most
// maxZoneTables, for the zones the answers' dates are converted between
// (the base zone, and the zones SO-TimeZone names, each loaded once per
// process: builtinZones, ianaZones). A zone past them goes without one.
var (
	zoneTables     sync.Map
	zoneTablesMade atomic.Int32
)

// maxZoneTables bounds the zone tables a process makes (each at most
// 400 spans of 48 bytes, about 19 KB: about 1.2 MB in all).
const maxZoneTables = 64

// zoneTableOf is loc's zone table, made the first time; nil past
// maxZoneTables.
func zoneTableOf(loc *time.Location) *zoneTable {
	if t, ok := zoneTables.Load(loc); ok {
		return t.(*zoneTable)
	}
	if zoneTablesMade.Add(1) > maxZoneTables {
		zoneTablesMade.Add(-1)
		return nil
	}
	t, loaded := zoneTables.LoadOrStore(loc, makeZoneTable(loc))
	if loaded {
		zoneTablesMade.Add(-1)
	}
	return t.(*zoneTable)
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
