package locale

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Config is what a Locale converts and translates. The zero Config
// converts between UTC and the reader's zone, translates multi-language
// values into the reader's language, and has no default language and no
// string references.
type Config struct {
	// BaseTimezone is the backend's zone: a location code, numeric id or
	// IANA name. Default: UTC.
	BaseTimezone string

	// TimezoneCodes add SO-TimeZone codes or numeric ids, or override
	// built-in ones, each naming a built-in code or an IANA zone.
	TimezoneCodes map[string]string

	// UTCFields are properties whose date-times are never converted.
	// A list of plain names replaces DefaultUTCFields(); names written
	// +Name add to them. Default (nil): DefaultUTCFields().
	UTCFields []string

	// TextFields are properties whose strings are neither converted nor
	// translated, with +Name as for UTCFields. Default (nil):
	// DefaultTextFields().
	TextFields []string

	// DefaultLanguage is the iso2 language (two letters, such as en or nb)
	// of a reader who names none. Default: none (no translation).
	DefaultLanguage string

	// LanguageCodes map iso2 languages to multi-language codes (de GE),
	// overriding the built-in ones.
	LanguageCodes map[string]string

	// StringsFile is a JSON file of string references,
	// {"SR_NAME": {"en": "text", "nb": "tekst"}}, read once by New.
	// Default: none ([SR_...] references stay).
	StringsFile string

	// OffsetFormat is how added offsets are written: "rfc3339" (±hh:mm, Z
	// for UTC) or "compact" (±hhmm, +0000 for UTC). Default: rfc3339.
	OffsetFormat string
}

// The values of Config.OffsetFormat.
const (
	OffsetRFC3339 = "rfc3339"
	OffsetCompact = "compact"
)

// DefaultUTCFields returns the properties whose date-times are UTC times in
// SuperOffice's answers: CreatedDate UpdatedDate Registered Updated.
func DefaultUTCFields() []string {
	return []string{"CreatedDate", "UpdatedDate", "Registered", "Updated"}
}

// DefaultTextFields returns the properties that hold free text: FirstMessage
// LastMessage Message Text.
func DefaultTextFields() []string {
	return []string{"FirstMessage", "LastMessage", "Message", "Text"}
}

// Fields resolves a field list against its defaults: nil is the defaults;
// names written +Name add to the defaults; a list with any plain name
// replaces them (its +Names are then added to that list).
func Fields(list, defaults []string) []string {
	if list == nil {
		return defaults
	}
	var out []string
	replaces := false
	for _, name := range list {
		if n, add := strings.CutPrefix(name, "+"); add {
			out = append(out, n)
		} else {
			out, replaces = append(out, name), true
		}
	}
	if !replaces {
		out = slices.Concat(defaults, out)
	}
	return out
}

// Locale converts the dates and translates the texts of JSON bodies for
// one reader at a time, as the reader's SO-TimeZone, SO-Language and
// Accept-Language ask. It is made once by New and safe for concurrent use.
type Locale struct {
	zones          *Zones
	base           *time.Location
	languages      *Languages
	utcFields      [][]byte
	textFields     [][]byte
	compactOffsets bool

	lastZone atomic.Pointer[readZone] // the SO-TimeZone read last (timeZone)
}

// readZone is an SO-TimeZone value and the zone it names.
type readZone struct {
	header string
	zone   TimeZone
}

// rememberedZoneLen is the longest SO-TimeZone value timeZone remembers.
const rememberedZoneLen = 64

// timeZone reads an SO-TimeZone value in the base zone, or gives the last
// one read again: clients send the same value with every request.
func (l *Locale) timeZone(header string) (TimeZone, error) {
	if last := l.lastZone.Load(); last != nil && last.header == header {
		return last.zone, nil
	}
	zone, err := l.zones.ParseTimeZone(header, l.base)
	if err == nil && len(header) <= rememberedZoneLen {
		l.lastZone.Store(&readZone{header: header, zone: zone})
	}
	return zone, err
}

// New checks cfg, reads its strings file and loads its zones. Its errors
// name the option at fault: base_timezone, timezone_code, default_language,
// language_code, strings, offset_format.
func New(cfg Config) (*Locale, error) {
	zones, err := NewZones(cfg.TimezoneCodes)
	if err != nil {
		return nil, err
	}
	l := &Locale{zones: zones, base: time.UTC}
	if cfg.BaseTimezone != "" {
		if l.base, err = zones.Resolve(cfg.BaseTimezone); err != nil {
			return nil, fmt.Errorf("base_timezone: %v", err)
		}
	}
	switch cfg.OffsetFormat {
	case "", OffsetRFC3339:
	case OffsetCompact:
		l.compactOffsets = true
	default:
		return nil, fmt.Errorf("offset_format %q must be %s or %s", cfg.OffsetFormat, OffsetRFC3339, OffsetCompact)
	}
	if cfg.DefaultLanguage != "" && !IsISO2(cfg.DefaultLanguage) {
		return nil, fmt.Errorf("default_language %q is not an iso2 language code, such as en or nb", cfg.DefaultLanguage)
	}
	for iso, code := range cfg.LanguageCodes {
		if !IsISO2(iso) || !IsISO2(code) {
			return nil, fmt.Errorf("language_code %s %s: want an iso2 language and a two-letter code, such as de GE", iso, code)
		}
	}
	if l.languages, err = NewLanguages(cfg.DefaultLanguage, cfg.LanguageCodes, cfg.StringsFile); err != nil {
		return nil, err
	}
	l.utcFields = asBytes(Fields(cfg.UTCFields, DefaultUTCFields()))
	l.textFields = asBytes(Fields(cfg.TextFields, DefaultTextFields()))
	return l, nil
}

// IsISO2 reports two ASCII letters, in any case: the form of an iso2
// language (ISO 639-1) and of a multi-language code.
func IsISO2(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// Base is the backend's zone.
func (l *Locale) Base() *time.Location { return l.base }

// Header keys the rewriter reads, canonical once rather than per request.
var (
	keyTimeZone       = http.CanonicalHeaderKey("SO-TimeZone")
	keyLanguage       = http.CanonicalHeaderKey("SO-Language")
	keyAcceptLanguage = http.CanonicalHeaderKey("Accept-Language")
)

// RewriterFor reads a request's SO-TimeZone, SO-Language and
// Accept-Language: the rewriter of its answer's strings (nil when neither a
// zone nor a language is asked for) and the reader's zone (nil when none:
// no SO-TimeZone, or an empty one). "includeTZOffset" alone asks for the
// base zone. An SO-TimeZone given twice, naming two zones, or holding an
// unknown item is an error naming it, as is an SO-Language given twice or
// that is not a language tag. A request that asks for neither costs
// no allocation.
func (l *Locale) RewriterFor(h http.Header) (*Rewriter, *TimeZone, error) {
	var zone TimeZone // none while its Location is nil
	switch values := h[keyTimeZone]; len(values) {
	case 0:
	case 1:
		var err error
		if zone, err = l.timeZone(values[0]); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("SO-TimeZone is sent more than once")
	}
	accept := h[keyAcceptLanguage]
	acceptLanguage := ""
	switch len(accept) {
	case 0:
	case 1:
		acceptLanguage = accept[0]
	default:
		acceptLanguage = strings.Join(accept, ",")
	}
	soLanguage := ""
	switch values := h[keyLanguage]; len(values) {
	case 0:
	case 1:
		soLanguage = values[0]
	default: // which one the client meant cannot be told, as for SO-TimeZone
		return nil, nil, fmt.Errorf("SO-Language is sent more than once")
	}
	language, err := l.languages.Pick(soLanguage, acceptLanguage)
	if err != nil {
		return nil, nil, err
	}
	if zone.Location == nil && language == "" {
		return nil, nil, nil
	}
	r := &Rewriter{Base: l.base, Language: language, Languages: l.languages,
		UTCFields: l.utcFields, TextFields: l.textFields, CompactOffsets: l.compactOffsets}
	if zone.Location != nil { // the zone in the same allocation
		r.zone = zone
		r.Zone = &r.zone
	}
	return r, r.Zone, nil
}

// RequestDates is the rewriter of a request body's offset-less date-times,
// written in the reader's zone from, into the base zone.
func (l *Locale) RequestDates(from *TimeZone) *RequestDates {
	return &RequestDates{From: from.Location, To: l.base, UTCFields: l.utcFields, TextFields: l.textFields}
}

func asBytes(names []string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = []byte(n)
	}
	return out
}
