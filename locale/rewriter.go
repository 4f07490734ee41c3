package locale

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"time"
	"unicode/utf8"
)

// Rewriter rewrites the string values of a JSON answer for one reader:
// date-times into the reader's time zone, texts into the reader's language.
// Its Rewrite method is a selection.StringRewriter, run in the same single pass as
// the $select projection. A Rewriter is one answer's: it remembers the zone
// offsets its dates met, and is not for concurrent use.
type Rewriter struct {
	Base       *time.Location // the backend's zone: offset-less values are its local time
	Zone       *TimeZone      // the reader's; nil leaves dates alone
	Language   string         // the reader's iso2; "" leaves texts alone
	Languages  *Languages
	UTCFields  [][]byte // properties whose date-times are never converted; tagged Z with IncludeOffset
	TextFields [][]byte // properties whose strings stay as they are

	// CompactOffsets writes the offsets added to offset-less values as
	// ±hhmm (+0000 for UTC), as the reference pages do, instead of ±hh:mm
	// or Z (offset_format compact).
	CompactOffsets bool

	spans zoneSpans // the zone offsets met so far in the answer's dates
	zone  TimeZone  // Zone's, when Locale.RewriterFor made it
}

// Rewrite appends the rewritten JSON string raw (quotes included) of the
// property key, or reports false to keep it. It may write past the length
// it returns, within dst's capacity (a date-time is written in fixed
// windows).
func (r *Rewriter) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	// Each case ends in its own call, which leaves this one nothing to
	// keep across calls.
	switch content := raw[1 : len(raw)-1]; {
	case r.Zone != nil && looksLikeDateTime(content):
		if out, ok := r.rewriteDateTime(dst, key, content); ok {
			return out, true
		}
		return r.rewriteEscaped(dst, key, raw) // (2020-07-02T03:04:05\u002B02:00 looks like one)
	case r.Zone != nil && mayBeEscapedDateTime(content):
		return r.rewriteEscaped(dst, key, raw)
	case r.mayTranslateAtFirstLook(content):
		return r.translate(dst, key, raw)
	}
	return dst, false
}

// mayTranslateAtFirstLook is mayTranslate's first look, short of a search.
func (r *Rewriter) mayTranslateAtFirstLook(content []byte) bool {
	return r.Language != "" && (startsMultiLanguage(content) || len(r.Languages.strings) > 0 || hasUnicodeEscape(content))
}

// rewriteEscaped is Rewrite for a string that is not a plain date-time
// but may be one written with escaped characters (.NET's JSON writes + as
// \u002B): converted as its text reads; else a text to translate.
func (r *Rewriter) rewriteEscaped(dst, key, raw []byte) ([]byte, bool) {
	content := raw[1 : len(raw)-1]
	var buf [longestDateTime]byte
	if mayBeEscapedDateTime(content) {
		if text, ok := escapedDateTime(content, &buf); ok {
			return r.rewriteDateTime(dst, key, text)
		}
	}
	if r.mayTranslateAtFirstLook(content) {
		return r.translate(dst, key, raw)
	}
	return dst, false
}

// mayBeEscapedDateTime is a cheap first look at raw string content with
// an escape: a date-time's text, at most longestDateTime bytes, written
// with \u00XX escapes (6 bytes each) for some of its characters.
func mayBeEscapedDateTime(content []byte) bool {
	return len(content) > shortestDateTime && len(content) <= 6*longestDateTime && bytes.IndexByte(content, '\\') >= 0
}

// escapedDateTime decodes into buf the raw content of a JSON string with
// escapes, and reports whether its text looks like a date-time
// (looksLikeDateTime). Only \u00XX escapes of ASCII characters can stand
// for a date-time's; any other escape, or a text too long, is none.
func escapedDateTime(content []byte, buf *[longestDateTime]byte) ([]byte, bool) {
	n := 0
	for i := 0; i < len(content); n++ {
		c := content[i]
		if c == '\\' {
			if i+6 > len(content) || string(content[i+1:i+4]) != "u00" {
				return nil, false
			}
			var ascii [1]byte
			if _, err := hex.Decode(ascii[:], content[i+4:i+6]); err != nil || ascii[0] >= utf8.RuneSelf {
				return nil, false
			}
			c, i = ascii[0], i+6
		} else {
			i++
		}
		if n == len(buf) {
			return nil, false
		}
		buf[n] = c
	}
	return buf[:n], looksLikeDateTime(buf[:n])
}

// The shortest and longest texts Rewrite reads as date-times
// (looksLikeDateTime; the parser's limits, past the longest form,
// YYYY-MM-DDThh:mm:ss.fffffff+hh:mm).
const (
	shortestDateTime = len("YYYY-MM-DDThh:mm")
	longestDateTime  = 35
)

// RewriteBounds says which plain strings (no escape) Rewrite may
// rewrite: only date-times, unless a strings file's references ([SR_...])
// may stand in any text (a multi-language value always has an escape:
// its quotes). The JSON engine keeps the others without a call.
func (r *Rewriter) RewriteBounds() (min, max int) {
	switch {
	case r.Language != "" && r.Languages != nil && len(r.Languages.strings) > 0:
		return 0, math.MaxInt
	case r.Zone == nil:
		return 1, 0 // none
	}
	return shortestDateTime, longestDateTime
}

// rewriteDateTime is Rewrite for content that looks like a date-time.
func (r *Rewriter) rewriteDateTime(dst, key, content []byte) ([]byte, bool) {
	if in(key, r.TextFields) {
		return dst, false
	}
	var out []byte
	var ok bool
	if in(key, r.UTCFields) { // never converted; with offsets, tagged as UTC
		if !r.Zone.IncludeOffset {
			return dst, false
		}
		out, ok = tagUTC(append(dst, '"'), content, r.CompactOffsets)
	} else {
		out, ok = convertDateTime(append(dst, '"'), content, r.Base, r.Zone.Location,
			notation{include: r.Zone.IncludeOffset, utc: r.Zone.UTC, compact: r.CompactOffsets}, &r.spans)
	}
	if ok {
		return append(out, '"'), true
	}
	return dst, false
}

// translate is Rewrite for a text that may be in several languages or
// hold a reference.
func (r *Rewriter) translate(dst, key, raw []byte) ([]byte, bool) {
	if !r.mayTranslate(raw[1:len(raw)-1]) || in(key, r.TextFields) {
		return dst, false
	}
	var text string
	if json.Unmarshal(raw, &text) != nil {
		return dst, false
	}
	if translated, changed := r.Languages.Translate(text, r.Language); changed {
		encoded, _ := json.Marshal(translated)
		return append(dst, encoded...), true
	}
	return dst, false
}

// mayTranslate is a cheap first look at raw string content: a
// multi-language value starts CODE:\" (its quotes escaped in JSON), and a
// reference holds [SR_.
func (r *Rewriter) mayTranslate(content []byte) bool {
	if startsMultiLanguage(content) || hasUnicodeEscape(content) {
		return true // (an escaped letter may spell either: the text decides)
	}
	if len(r.Languages.strings) == 0 {
		return false
	}
	i := bytes.IndexByte(content, '[') // cheaper than a search for the whole marker
	return i >= 0 && bytes.Contains(content[i:], []byte("[SR_"))
}

// hasUnicodeEscape reports a \u escape of an ASCII character in raw
// string content: a string a backend wrote with such letters escaped is
// read by its text. (Escapes of other characters, as .NET writes every
// letter that is not ASCII, cannot spell a reference or a language code.)
func hasUnicodeEscape(content []byte) bool {
	for i := 0; ; {
		j := bytes.Index(content[i:], []byte(`\u00`))
		if j < 0 || i+j+4 >= len(content) {
			return false
		}
		if c := content[i+j+4]; '0' <= c && c <= '7' {
			return true
		}
		i += j + 4
	}
}

// startsMultiLanguage reports whether content starts CODE:\" as a
// multi-language value does.
func startsMultiLanguage(content []byte) bool {
	return len(content) >= 5 && isUpper(content[0]) && isUpper(content[1]) && content[2] == ':' && content[3] == '\\' && content[4] == '"'
}

// looksLikeDateTime is a cheap first look before parsing.
func looksLikeDateTime(s []byte) bool {
	return len(s) >= shortestDateTime && len(s) <= longestDateTime && s[10] == 'T' && s[4] == '-'
}

// RequestDates rewrites a JSON request body's offset-less date-times, which
// the client wrote in its own zone, into the backend's zone. Values with an
// offset say their instant already and stay. Like a Rewriter, it is one
// body's.
type RequestDates struct {
	From, To   *time.Location
	UTCFields  [][]byte
	TextFields [][]byte

	spans zoneSpans // the zone offsets met so far in the body's dates
}

// Rewrite is a selection.StringRewriter.
func (q *RequestDates) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	content := raw[1 : len(raw)-1]
	var buf [longestDateTime]byte
	if mayBeEscapedDateTime(content) { // read as its text, wherever its escapes are
		text, ok := escapedDateTime(content, &buf)
		if !ok {
			return dst, false
		}
		content = text
	} else if !looksLikeDateTime(content) {
		return dst, false
	}
	if in(key, q.TextFields) || in(key, q.UTCFields) {
		return dst, false
	}
	if d, ok := parseDateTime(content); !ok || d.offset != noOffset {
		return dst, false
	}
	var out []byte
	var ok bool
	if nearCalendarEnds(content) {
		out, ok = q.spans.appendAtCalendarEnds(append(dst, '"'), content, q.From, q.To, notation{})
	} else {
		out, ok = convertDateTime(append(dst, '"'), content, q.From, q.To, notation{}, &q.spans)
	}
	if !ok {
		return dst, false
	}
	return append(out, '"'), true
}

// AppendBaseTime appends the ISO 8601 date-time s as the backend keeps
// date-times: base-zone local time without an offset. An offset-less s is
// read in from (the reader's SO-TimeZone zone, or base), one with an offset
// or Z at that offset. Fractional digits stay as written. At the
// calendar's ends, sentinels come back as the backend wrote them, and a
// value the year 0000 would keep is the backend's "no date", its fraction
// as zeros (appendAtCalendarEnds). ok is false if s is not a date-time. Like
// Rewrite, it may write past the length it returns, within dst's capacity.
func AppendBaseTime(dst, s []byte, from, base *time.Location) ([]byte, bool) {
	var spans zoneSpans
	if nearCalendarEnds(s) {
		return spans.appendAtCalendarEnds(dst, s, from, base, notation{bare: true})
	}
	return convertDateTime(dst, s, from, base, notation{bare: true}, &spans)
}

// appendAtCalendarEnds appends for the backend the request's date-time s,
// written in the year 0000, 0001 or 9999 (nearCalendarEnds) and read in
// from:
//   - as its wall time in from, when that is one the answers keep as
//     written (keptByAnswers), in whichever form the reader sends it:
//     offset-less, with the offset the answer gave it, or as the same
//     instant at another offset (a JavaScript Date's Z);
//   - as the backend's "no date", 0001-01-01T00:00:00 in s's shape, where
//     it would stay in the year 0000, which no backend keeps: the official
//     client sends the sentinel back so from a runtime whose zone is not
//     UTC (0000-12-31T23:06:32.000Z, from V8's local mean time for Oslo);
//   - else converted as any other.
//
// ok is false if s is not a date-time.
func (z *zoneSpans) appendAtCalendarEnds(dst, s []byte, from, base *time.Location, n notation) ([]byte, bool) {
	d, ok := parseDateTime(s)
	if !ok {
		return dst, false
	}
	wall := d.wallSeconds()
	if d.offset != noOffset {
		// the instant's wall time in from, to the minute as answers write
		// offsets: a sentinel's, its wall time without the offset
		instant := wall - int64(d.offsetSecs)
		wall = instant + z.at(from, instant).offset/60*60
	}
	if z.keptByAnswers(wall, base, from) {
		if d.offset == noOffset {
			return append(dst, s...), true
		}
		return convertDateTime(dst, s, from, from, n, z)
	}
	out, ok := convertDateTime(dst, s, from, base, n, z)
	if ok && string(out[len(dst):len(dst)+4]) == "0000" {
		return appendNoDate(dst, d), true
	}
	return out, ok
}

// appendNoDate appends the backend's "no date", 0001-01-01T00:00:00, with
// d's seconds and fractional digits, as zeros, or none where d has none.
func appendNoDate(dst []byte, d dateTime) []byte {
	dst = append(dst, "0001-01-01T00:00"...)
	if d.hasSeconds {
		dst = append(dst, ":00"...)
	}
	if d.wall > len(wallWithSeconds) { // a dot and digits
		dst = append(dst, '.')
		for range d.wall - len(wallWithSeconds) - 1 {
			dst = append(dst, '0')
		}
	}
	return dst
}

// nearCalendarEnds reports whether the date-time s is written in the year
// 0000, 0001 or 9999: only there can a request's value be one the answers
// keep as written (keptByAnswers), whatever its offset (offsets move a
// value by less than two days), so other values pay one look at their
// first bytes for the rule.
func nearCalendarEnds(s []byte) bool {
	return len(s) >= 4 && (string(s[:3]) == "000" && (s[3] == '0' || s[3] == '1') || string(s[:4]) == "9999")
}

// in reports whether key is one of names (ASCII), ignoring ASCII case:
// of equal length, EqualFold folds nothing else.
func in(key []byte, names [][]byte) bool {
	for _, n := range names {
		if len(key) != len(n) {
			continue
		}
		if bytes.EqualFold(key, n) {
			return true
		}
	}
	return false
}
