package locale

import (
	"math"
	"testing"
	"time"
)

// convertWithTime is convertDateTime done with the time package's own
// calendar and zone lookups: the reference the calendar arithmetic and the
// remembered zone spans must agree with.
func convertWithTime(dst, s []byte, base, target *time.Location, n notation) ([]byte, bool) {
	d, ok := parseDateTime(s)
	if !ok {
		return dst, false
	}
	var instant time.Time
	if d.offset == noOffset {
		instant = time.Date(d.year, time.Month(d.month), d.day, d.clock/3600, d.clock/60%60, d.clock%60, 0, base)
	} else {
		instant = time.Date(d.year, time.Month(d.month), d.day, d.clock/3600, d.clock/60%60, d.clock%60, 0, time.UTC).
			Add(-time.Duration(d.offsetSecs) * time.Second)
	}
	local := instant.In(target)
	_, offset := local.Zone()
	if offset%60 != 0 { // written to the minute, and the wall time with it (the time package keeps the seconds)
		local = instant.In(time.FixedZone("", offset/60*60))
	}
	if local.Year() < 1 || local.Year() > 9999 {
		_, offset = time.Date(d.year, time.Month(d.month), d.day, d.clock/3600, d.clock/60%60, d.clock%60, 0, target).Zone()
		dst = append(dst, s[:d.wall]...)
	} else {
		layout := "2006-01-02T15:04"
		if d.hasSeconds {
			layout += ":05"
		}
		dst = local.AppendFormat(dst, layout)
		dst = append(dst, s[min(d.wall, len(wallWithSeconds)):d.wall]...)
	}
	return n.appendOffset(dst, d.offset, offset), true
}

// spanZones are zones with the awkward cases: daylight saving time both
// ways of the equator, a 30-minute shift (Lord Howe), a skipped day (Apia),
// offsets in seconds before 1900, and none at all.
var spanZones = []string{"Europe/Oslo", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia",
	"Asia/Kolkata", "America/Sao_Paulo", "Africa/Casablanca", "UTC"}

// TestZoneSpansAgreeWithTime converts wall times on both sides of every
// offset change from 1890 to 2045, and a spread of times from year 1 to
// 9999, between pairs of zones, through one set of remembered spans, and
// compares each with the time package's answer.
func TestZoneSpansAgreeWithTime(t *testing.T) {
	var walls []time.Time
	for y := 1; y <= 9999; y += 97 {
		walls = append(walls, time.Date(y, time.Month(y%12+1), y%28+1, y%24, y%60, y%60, 0, time.UTC))
	}
	walls = append(walls, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC))
	for _, name := range spanZones {
		loc := mustLoad(name)
		t0 := time.Date(1890, 1, 1, 0, 0, 0, 0, loc)
		for t0.Year() < 2045 {
			_, end := t0.ZoneBounds()
			if end.IsZero() {
				break
			}
			if !end.After(t0) { // the time package ends a rule's span at the year's end, at times where it starts
				t0 = t0.Add(time.Hour)
				continue
			}
			// The wall times around the change, on both clocks.
			for _, edge := range []time.Time{end.Add(-time.Second).In(loc), end.In(loc)} {
				wall := time.Date(edge.Year(), edge.Month(), edge.Day(), edge.Hour(), edge.Minute(), edge.Second(), 0, time.UTC)
				for m := -90; m <= 90; m += 15 {
					walls = append(walls, wall.Add(time.Duration(m)*time.Minute))
				}
			}
			t0 = end
		}
	}
	forms := []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05.999Z", "2006-01-02T15:04:05+01:00",
		"2006-01-02T15:04:05-0930", "2006-01-02T15:04:05-14:00", "2006-01-02T15:04:05+14:00"}
	locs := make(map[string]*time.Location)
	for _, name := range spanZones {
		locs[name] = mustLoad(name)
	}
	for _, from := range spanZones {
		for _, to := range spanZones {
			base, target := locs[from], locs[to]
			// with the zones' tables, and without (the spans met before,
			// and the time package's lookups)
			for _, tables := range []bool{true, false} {
				var spans zoneSpans
				if !tables {
					spans.tableLocs = [2]*time.Location{base, target}
				}
				for i, w := range walls {
					s := []byte(w.Format(forms[i%len(forms)]))
					n := notation{include: i%3 > 0, compact: i%3 == 2, utc: isUTC(target), bare: i%7 == 0}
					want, wantOK := convertWithTime(nil, s, base, target, n)
					got, ok := convertDateTime(nil, s, base, target, n, &spans)
					if ok != wantOK || string(got) != string(want) {
						t.Fatalf("%s from %s to %s (%+v, tables %v): got %q %v, the time package says %q %v", s, from, to, n, tables, got, ok, want, wantOK)
					}
				}
			}
		}
	}
}

// TestZoneTable: a zone's table runs from 1900 to at least 2040-12-31 (to
// 2100 for a zone whose spans the time package bounds right) in spans that
// follow one another, and finds for every instant in it, at and around
// every change and in between, the span the time package gives; none
// outside it.
func TestZoneTable(t *testing.T) {
	for _, name := range spanZones {
		loc := mustLoad(name)
		tab := makeZoneTable(loc)
		if tab.spans[0].start > tableFrom || tab.to < 2240524800 || tab.spans[len(tab.spans)-1].end < tab.to {
			t.Fatalf("%s: the table covers %d to %d (its spans to %d)", name, tab.spans[0].start, tab.to, tab.spans[len(tab.spans)-1].end)
		}
		for b, i := range tab.first { // each bucket's first span holds its start
			if start, s := tableFrom+int64(b)<<bucketShift, tab.spans[i]; s.start > start || start >= s.end {
				t.Fatalf("%s: bucket %d (from %d) starts in span %d, %d to %d", name, b, start, i, s.start, s.end)
			}
		}
		var instants []int64
		for i, s := range tab.spans {
			if i > 0 && s.start != tab.spans[i-1].end {
				t.Fatalf("%s: span %d starts at %d, the one before ends at %d", name, i, s.start, tab.spans[i-1].end)
			}
			from, to := max(s.start, tableFrom), min(s.end, tab.to)
			instants = append(instants, from, from+1, to-1, from/2+to/2)
		}
		for u := int64(tableFrom); u < tab.to; u += 86400*7 + 3607 {
			instants = append(instants, u)
		}
		for _, u := range instants {
			got, want := tab.find(u), spanAt(loc, u)
			if got == nil || got.offset != want.offset || got.withColon != want.withColon || got.colonless != want.colonless ||
				got.start > u || u >= got.end {
				t.Fatalf("%s at %d: found %+v, the time package says %+v", name, u, got, want)
			}
			// the time package's bounds (a span may start later, where
			// the one before it ends)
			if got.start < want.start || got.end != want.end {
				t.Fatalf("%s at %d: found %+v, the time package says %+v", name, u, got, want)
			}
		}
		for _, u := range []int64{tableFrom - 1, tab.to, tableTo, math.MinInt64, math.MaxInt64} {
			if got := tab.find(u); got != nil {
				t.Fatalf("%s at %d, outside the table: found %+v", name, u, got)
			}
		}
	}
	if (*zoneTable)(nil).find(0) != nil {
		t.Fatal("no table found a span")
	}
}

// TestZoneTablesBounded: a process makes at most maxZoneTables zone
// tables; the zones past them go without one.
func TestZoneTablesBounded(t *testing.T) {
	made := zoneTablesMade.Load()
	var locs []*time.Location
	t.Cleanup(func() {
		for _, loc := range locs {
			zoneTables.Delete(loc)
		}
		zoneTablesMade.Store(made)
	})
	for i := range maxZoneTables + 2 {
		loc := time.FixedZone("test", i*60)
		locs = append(locs, loc)
		if got, want := zoneTableOf(loc) != nil, int(made)+i < maxZoneTables; got != want {
			t.Fatalf("zone %d, %d tables made before: a table %v", i, made, got)
		}
		if again := zoneTableOf(loc); again != zoneTableOf(loc) {
			t.Fatalf("zone %d: two tables", i)
		}
	}
	if n := zoneTablesMade.Load(); n > maxZoneTables {
		t.Fatalf("%d tables made", n)
	}
}

// TestCivilDays: the day numbers of the calendar arithmetic are the time
// package's, every day from year 0 to 10000.
func TestCivilDays(t *testing.T) {
	day := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	days := floorDiv(day.Unix(), secondsPerDay)
	for day.Year() <= 10000 {
		y, m, d := day.Date()
		if got := daysFromCivil(y, int(m), d); got != days {
			t.Fatalf("daysFromCivil(%d, %d, %d) = %d; want %d", y, m, d, got, days)
		}
		if gy, gm, gd := civilFromDays(days); gy != y || gm != int(m) || gd != d {
			t.Fatalf("civilFromDays(%d) = %d-%d-%d; want %s", days, gy, gm, gd, day.Format(time.DateOnly))
		}
		if d == 1 {
			if got, want := daysIn(y, int(m)), time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %d) = %d; want %d", y, m, got, want)
			}
		}
		day = day.AddDate(0, 0, 1)
		days++
	}
}
