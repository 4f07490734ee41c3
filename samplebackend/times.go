package samplebackend

import (
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Oslo without a zone database on the machine
)

// Oslo is the backend's time zone: it writes and reads dates as local
// time there, without an offset (the Caddyfile's base_timezone).
var Oslo = mustZone("Europe/Oslo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// localLayout is how the backend writes a date: Oslo wall time, up to
// seven fractional digits, no offset.
const localLayout = "2006-01-02T15:04:05.9999999"

// LocalTime is a date as the backend keeps it: Oslo local time as text,
// "2000-12-04T11:10:26.1095254". The empty value is no date, JSON null.
type LocalTime string

// localTime returns t as the backend writes it.
func localTime(t time.Time) LocalTime { return LocalTime(t.In(Oslo).Format(localLayout)) }

func (t LocalTime) MarshalJSON() ([]byte, error) {
	if t == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(t))
}

// UnmarshalJSON takes an ISO 8601 date-time. One without an offset is Oslo
// time already (chatgate sends base-zone local time); one with an offset
// or Z is moved into Oslo time.
func (t *LocalTime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string: %s", b)
	}
	if s == nil || *s == "" {
		*t = ""
		return nil
	}
	if at, err := time.Parse(time.RFC3339Nano, *s); err == nil {
		*t = localTime(at)
		return nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.9999999", "2006-01-02T15:04"} {
		if _, err := time.ParseInLocation(layout, *s, Oslo); err == nil {
			*t = LocalTime(*s)
			return nil
		}
	}
	return fmt.Errorf("%q is not an ISO 8601 date-time", *s)
}
