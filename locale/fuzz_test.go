package locale

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/chatgate/chatgate/internal/jsonpass"
	selection "github.com/chatgate/chatgate/select"
)

// FuzzParseTimeZone: any header resolves, is empty (no zone, no option), or
// is refused with an error that names one of its items; never a panic.
func FuzzParseTimeZone(f *testing.F) {
	for _, s := range []string{"NO", "US-NY, includeTZOffset", "261", "Europe/Oslo", "../x", "a,b,c", "",
		"includeTZOffset", "utc,includeTZOffset", "NO;includeTZOffset", "europe/oslo", "NO,DK", " ; "} {
		f.Add(s)
	}
	zones, _ := NewZones(nil)
	base := mustLoad("Europe/Oslo")
	f.Fuzz(func(t *testing.T, header string) {
		tz, err := zones.ParseTimeZone(header, base)
		if err != nil {
			named := false
			for _, item := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ';' }) {
				named = named || strings.Contains(err.Error(), strconv.Quote(clip(strings.TrimSpace(item))))
			}
			if !named {
				t.Fatalf("%q: error %v names no item", header, err)
			}
			return
		}
		// blanks are what strings.TrimSpace trims around an item: Unicode's
		// white space (U+3000 too)
		blank := func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }
		if tz.Location == nil && (tz.IncludeOffset || strings.TrimFunc(header, blank) != "") {
			t.Fatalf("%q: no zone and no error", header)
		}
		if tz.UTC != (tz.Location != nil && isUTC(tz.Location)) {
			t.Fatalf("%q: UTC %v for %v", header, tz.UTC, tz.Location)
		}
	})
}

// FuzzConvertDateTime: a converted value is the time package's reading of
// it, is itself a date-time of the same shape, and converting to the zone
// it came from gives it back.
func FuzzConvertDateTime(f *testing.F) {
	for _, s := range []string{"2000-12-04T11:10:26.1095254+01:00", "2021-03-28T02:30:00", "2021-07-15T12:00", "2021-01-15T12:00:00Z",
		"2021-06-18T11:10:26+0200", "0001-01-01T00:00:00", "9999-12-31T23:59:59+01:00"} {
		f.Add(s, false)
	}
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	var spans zoneSpans // remembered from one input to the next, as within an answer
	f.Fuzz(func(t *testing.T, s string, include bool) {
		out, ok := convertDateTime(nil, []byte(s), oslo, ny, notation{include: include}, &spans)
		if want, wantOK := convertWithTime(nil, []byte(s), oslo, ny, notation{include: include}); ok != wantOK || string(out) != string(want) {
			t.Fatalf("%q became %q %v; the time package says %q %v", s, out, ok, want, wantOK)
		}
		if !ok {
			return
		}
		d1, _ := parseDateTime([]byte(s))
		d2, ok2 := parseDateTime(out)
		wantForm := d1.offset
		switch {
		case d1.offset == zulu: // New York is never UTC
			wantForm = withColon
		case d1.offset == noOffset && include:
			wantForm = withColon
		}
		if !ok2 || d2.hasSeconds != d1.hasSeconds || !bytes.Equal(out[min(d2.wall, len(wallWithSeconds)):d2.wall], []byte(s)[min(d1.wall, len(wallWithSeconds)):d1.wall]) || d2.offset != wantForm {
			t.Fatalf("%q became %q, another shape", s, out)
		}
		if d2.year < 1 && d1.year >= 1 || d2.year > 9999 {
			t.Fatalf("%q became %q, out of range", s, out)
		}
		// An instant converted back lands on Oslo's offset, which need not be
		// the one it was written with; where it is, the text must come back
		// exactly. Before 1900 offsets had seconds (local mean time) and are
		// written to the minute, and a sentinel keeps its wall time: neither
		// comes back.
		if (d1.offset == withColon || d1.offset == colonless) && d1.year >= 1900 && d1.year <= 9998 {
			if back, _ := convertDateTime(nil, out, ny, oslo, notation{}, &spans); offsetAt(back) == d1.offsetSecs && string(back) != s {
				t.Fatalf("%q -> %q -> %q", s, out, back)
			}
		}
	})
}

func offsetAt(b []byte) int {
	d, _ := parseDateTime(b)
	return d.offsetSecs
}

// FuzzRewriteStrings: any JSON document stays valid through the locale
// rewriter, and a string that is neither a date-time nor translatable stays
// byte for byte.
func FuzzRewriteStrings(f *testing.F) {
	f.Add(`{"a":"2021-01-15T12:00:00","b":"US:\"x\";NO:\"y\"","c":"[SR_X] z","d":["plain",1,null]}`)
	f.Add(`["\u00e5","2021-13-01T00:00:00",{"Text":"2021-01-15T12:00:00"}]`)
	f.Add(`{"Created":"2021-01-15T12:00:00","created":"0001-01-01T00:00:00Z","x":"9999-12-31T23:59:59"}`)
	f.Add(`"2020-07-02T03:04:05\u002B02:00"`)
	zones, _ := NewZones(nil)
	tz, _ := zones.ParseTimeZone("US-NY, includeTZOffset", nil)
	langs, _ := NewLanguages("", nil, "")
	langs.strings = map[string]map[string]string{"SR_X": {"nb": "ø"}}
	r := &Rewriter{Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: langs,
		UTCFields: [][]byte{[]byte("Created")}, TextFields: [][]byte{[]byte("Text")}}
	f.Fuzz(func(t *testing.T, doc string) {
		out, err := selection.Rewrite(nil, []byte(doc), nil, r, nil)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%q became invalid JSON %q", doc, out)
		}
		// The same engine, fed in pieces, writes the same bytes.
		var streamed bytes.Buffer
		p := jsonpass.New(&streamed, jsonpass.Options{Rewriter: r})
		for d := []byte(doc); len(d) > 0; {
			k := min(1+len(doc)%7, len(d))
			if _, err := p.Write(d[:k]); err != nil {
				t.Fatalf("streaming %q: %v", doc, err)
			}
			d = d[k:]
		}
		if err := p.Close(); err != nil || !bytes.Equal(streamed.Bytes(), out) {
			t.Fatalf("streamed %q (%v); whole %q", streamed.Bytes(), err, out)
		}
		var in, got any
		if json.Unmarshal([]byte(doc), &in) != nil || json.Unmarshal(out, &got) != nil {
			return
		}
		if s, ok := in.(string); ok {
			if _, isDate := parseDateTime([]byte(s)); !isDate && !strings.Contains(s, `:"`) && !strings.Contains(s, "[SR_") && got != s {
				t.Fatalf("%q changed to %q", s, got)
			}
			// A date-time is read by its text, however it was escaped.
			if _, isDate := parseDateTime([]byte(s)); isDate {
				plain, _ := json.Marshal(s)
				if want, _ := selection.Rewrite(nil, plain, nil, r, nil); !bytes.Equal(out, want) {
					t.Fatalf("%q became %q; written plain, %q", doc, out, want)
				}
			}
		}
	})
}

// FuzzMultiLanguage: any text parses or not, never panics, and a parsed
// value's pick is one of its texts.
func FuzzMultiLanguage(f *testing.F) {
	for _, s := range []string{`US:"Supplier";NO:"Leverandør"`, `US:"a\"b";`, `US:"x`, `;`} {
		f.Add(s)
	}
	l, _ := NewLanguages("", nil, "")
	f.Fuzz(func(t *testing.T, s string) {
		entries, ok := parseMultiLanguage(s)
		if !ok {
			return
		}
		text, changed := l.Translate(s, "nb")
		found := false
		for _, e := range entries {
			found = found || e.text == text
		}
		if !changed || !found {
			t.Fatalf("%q picked %q", s, text)
		}
	})
}
