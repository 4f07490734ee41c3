package locale

//go:generate go run gen_zones.go

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the zone database is in the binary, for minimal images
)

// principalZones are the multi-zone countries where one zone holds nearly
// all of the country, by ISO 3166 code. The others (AQ, AU, BR, CA, CD, FM,
// GL, ID, KI, MH, MX, PF, PS, RU, UM, US) have no country-wide code: their
// subdivisions below, an IANA name or a timezone_code name a zone.
var principalZones = map[string]string{
	"AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago", "CN": "Asia/Shanghai",
	"CY": "Asia/Nicosia", "DE": "Europe/Berlin", "EC": "America/Guayaquil", "ES": "Europe/Madrid",
	"KZ": "Asia/Almaty", "MN": "Asia/Ulaanbaatar", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland",
	"PG": "Pacific/Port_Moresby", "PT": "Europe/Lisbon", "UA": "Europe/Kyiv", "UZ": "Asia/Tashkent",
}

// subdivisionZones are the state and province codes of the United States,
// Canada and Australia, as SuperOffice writes them (US-NY, CA-QC, AU-ACT).
var subdivisionZones = map[string]string{
	"US-AL": "America/Chicago", "US-AK": "America/Anchorage", "US-AZ": "America/Phoenix", "US-AR": "America/Chicago",
	"US-CA": "America/Los_Angeles", "US-CO": "America/Denver", "US-CT": "America/New_York", "US-DE": "America/New_York",
	"US-DC": "America/New_York", "US-FL": "America/New_York", "US-GA": "America/New_York", "US-HI": "Pacific/Honolulu",
	"US-ID": "America/Boise", "US-IL": "America/Chicago", "US-IN": "America/Indiana/Indianapolis", "US-IA": "America/Chicago",
	"US-KS": "America/Chicago", "US-KY": "America/Kentucky/Louisville", "US-LA": "America/Chicago", "US-ME": "America/New_York",
	"US-MD": "America/New_York", "US-MA": "America/New_York", "US-MI": "America/Detroit", "US-MN": "America/Chicago",
	"US-MS": "America/Chicago", "US-MO": "America/Chicago", "US-MT": "America/Denver", "US-NE": "America/Chicago",
	"US-NV": "America/Los_Angeles", "US-NH": "America/New_York", "US-NJ": "America/New_York", "US-NM": "America/Denver",
	"US-NY": "America/New_York", "US-NC": "America/New_York", "US-ND": "America/Chicago", "US-OH": "America/New_York",
	"US-OK": "America/Chicago", "US-OR": "America/Los_Angeles", "US-PA": "America/New_York", "US-RI": "America/New_York",
	"US-SC": "America/New_York", "US-SD": "America/Chicago", "US-TN": "America/Chicago", "US-TX": "America/Chicago",
	"US-UT": "America/Denver", "US-VT": "America/New_York", "US-VA": "America/New_York", "US-WA": "America/Los_Angeles",
	"US-WV": "America/New_York", "US-WI": "America/Chicago", "US-WY": "America/Denver",
	"CA-AB": "America/Edmonton", "CA-BC": "America/Vancouver", "CA-MB": "America/Winnipeg", "CA-NB": "America/Moncton",
	"CA-NL": "America/St_Johns", "CA-NS": "America/Halifax", "CA-NT": "America/Edmonton", "CA-NU": "America/Iqaluit",
	"CA-ON": "America/Toronto", "CA-PE": "America/Halifax", "CA-QC": "America/Toronto", "CA-SK": "America/Regina",
	"CA-YT":  "America/Whitehorse",
	"AU-ACT": "Australia/Sydney", "AU-NSW": "Australia/Sydney", "AU-NT": "Australia/Darwin", "AU-QLD": "Australia/Brisbane",
	"AU-SA": "Australia/Adelaide", "AU-TAS": "Australia/Hobart", "AU-VIC": "Australia/Melbourne", "AU-WA": "Australia/Perth",
}

// numericZones are the built-in numeric zone ids, by the codes they stand for.
var numericZones = map[int]string{
	1: "UTC", 36: "AU-ACT", 50: "BD", 114: "CA-QC", 140: "DK", 156: "FR", 261: "NO", 425: "US-CA", 433: "US-HI", 460: "US-NY",
}

// Zones resolves SO-TimeZone values: location codes, numeric ids and IANA
// names. It is built once and read concurrently.
type Zones struct {
	byCode map[string]*time.Location // upper-cased code or numeric id
}

// ianaZones are the IANA zones asked for, by their tz spelling
// (*time.Location), loaded once per process like the built-in ones: at
// most len(ianaNames), and the same Location from one config to the next,
// which the zone tables (zoneTableOf) are kept by.
var ianaZones sync.Map

// ianaByUpper finds an IANA name's tz spelling from its upper-cased form:
// time.LoadLocation is case-sensitive, SO-TimeZone is not (europe/oslo).
// The names are those of the zone database compiled in (zones_iana.go), so
// what resolves does not depend on the host's /usr/share/zoneinfo.
var ianaByUpper = sync.OnceValue(func() map[string]string {
	m := make(map[string]string, len(ianaNames))
	for _, name := range ianaNames {
		m[strings.ToUpper(name)] = name
	}
	return m
})

// builtinZones are the built-in codes and numeric ids, loaded once per
// process: a config reload, or a Caddyfile checked line by line, costs a
// copy of the table, not hundreds of zone loads.
var builtinZones = sync.OnceValues(func() (map[string]*time.Location, error) {
	byCode := map[string]*time.Location{"UTC": time.UTC}
	for _, table := range []map[string]string{countryZones, principalZones, subdivisionZones} {
		for code, name := range table {
			loc, err := time.LoadLocation(name)
			if err != nil {
				return nil, fmt.Errorf("built-in zone %s (%s): %v", code, name, err)
			}
			byCode[code] = loc
		}
	}
	for id, code := range numericZones {
		byCode[strconv.Itoa(id)] = byCode[code]
	}
	return byCode, nil
})

// NewZones loads every built-in code, plus extra (code or numeric id to a
// code or IANA name), which may override built-in ones. An extra code may
// name a built-in code or an IANA zone, not another extra code.
func NewZones(extra map[string]string) (*Zones, error) {
	builtin, err := builtinZones()
	if err != nil {
		return nil, err
	}
	z := &Zones{byCode: maps.Clone(builtin)}
	resolved := make(map[string]*time.Location, len(extra))
	for code, name := range extra {
		loc, err := z.Resolve(name)
		if err != nil {
			return nil, fmt.Errorf("timezone_code %s: %v", code, err)
		}
		resolved[strings.ToUpper(strings.TrimSpace(code))] = loc
	}
	maps.Copy(z.byCode, resolved)
	return z, nil
}

// Resolve finds a zone by location code or numeric id, or by IANA name
// ("Europe/Oslo"), all in any case. The error names the value.
func (z *Zones) Resolve(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	upper := strings.ToUpper(name)
	if loc, ok := z.byCode[upper]; ok {
		return loc, nil
	}
	canonical, ok := ianaByUpper()[upper]
	if !ok {
		return nil, unknownZone(name)
	}
	if loc, ok := ianaZones.Load(canonical); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(canonical)
	if err != nil {
		return nil, unknownZone(name)
	}
	stored, _ := ianaZones.LoadOrStore(canonical, loc)
	return stored.(*time.Location), nil
}

// unknownZone names the value, cut short: it comes from a request header.
func unknownZone(name string) error {
	return fmt.Errorf("unknown time zone %q", clip(name))
}

// clip cuts a header value short for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// TimeZone is a parsed SO-TimeZone header.
type TimeZone struct {
	// Location is the zone dates are shown in; nil when the header names
	// none and asks for nothing (an empty value, as if it were absent).
	Location *time.Location
	// IncludeOffset is "includeTZOffset": offset-less values gain the
	// zone's offset, and offset-less utc_fields are tagged as UTC.
	IncludeOffset bool
	// UTC is true when Location is UTC (its offset is zero at all times):
	// offsets are then written Z.
	UTC bool
}

// includeTZOffset is the option of SO-TimeZone, matched in any case.
const includeTZOffset = "includeTZOffset"

// ParseTimeZone reads an SO-TimeZone value: items separated by ',' or ';',
// blanks around them ignored, each matched in any case: at most one zone
// (code, numeric id or IANA name) and the option includeTZOffset, in any
// order. These are the forms SuperOffice's clients send: "US-NY",
// "US-NY,includeTZOffset", "NO, includeTZOffset", "includeTZOffset" alone
// (the base zone, with offsets) and "" (the same as no header: the zero
// TimeZone). Two zones, or an item that is neither, is an error naming it.
func (z *Zones) ParseTimeZone(header string, base *time.Location) (TimeZone, error) {
	var tz TimeZone
	var zone string // the item that named tz.Location
	for rest, more := header, true; more; {
		var item string
		if i := strings.IndexAny(rest, ",;"); i >= 0 {
			item, rest = rest[:i], rest[i+1:]
		} else {
			item, more = rest, false
		}
		item = strings.TrimSpace(item)
		switch {
		case item == "": // "NO," and ",," name nothing more
		case strings.EqualFold(item, includeTZOffset):
			tz.IncludeOffset = true
		default:
			loc, err := z.Resolve(item)
			if err != nil && tz.Location != nil {
				return TimeZone{}, fmt.Errorf("unknown SO-TimeZone option %q", clip(item))
			}
			if err != nil {
				return TimeZone{}, err
			}
			if tz.Location != nil {
				return TimeZone{}, fmt.Errorf("SO-TimeZone names two zones, %q and %q", clip(zone), clip(item))
			}
			tz.Location, zone = loc, item
		}
	}
	if tz.Location == nil && tz.IncludeOffset {
		tz.Location = base
	}
	if tz.Location != nil {
		tz.UTC = isUTC(tz.Location)
	}
	return tz, nil
}

// isUTC reports whether loc is UTC: an offset of zero at all times, with no
// transition ever (UTC, Etc/UTC, GMT, id 1). A zone that is at UTC+0 only
// part of the time or since some date (Europe/London in winter,
// Atlantic/Reykjavik) is not: its offset is written +00:00.
func isUTC(loc *time.Location) bool {
	if loc == time.UTC {
		return true
	}
	t := time.Date(2000, 1, 1, 0, 0, 0, 0, loc)
	_, offset := t.Zone()
	start, end := t.ZoneBounds()
	return offset == 0 && start.IsZero() && end.IsZero()
}
