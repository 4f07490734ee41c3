package locale

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	selection "github.com/chatgate/chatgate/select"
)

// FuzzParseTimeZone: any header resolves or is refused with an error that
// names it; never a panic.
func FuzzParseTimeZone(f *testing.F) {
	for _, s := range []string{"NO", "US-NY, includeTZOffset", "261", "Europe/Oslo", "../x", "a,b,c", ""} {
		f.Add(s)
	}
	zones, _ := NewZones(nil)
	f.Fuzz(func(t *testing.T, header string) {
		tz, err := zones.ParseTimeZone(header)
		if err == nil && tz.Location == nil {
			t.Fatalf("%q: no zone and no error", header)
		}
		if err != nil && !strings.Contains(err.Error(), "unknown") {
			t.Fatalf("%q: error %v", header, err)
		}
	})
}

// FuzzConvertDateTime: a converted value is itself a date-time of the same
// shape; converting to the zone it came from gives it back.
func FuzzConvertDateTime(f *testing.F) {
	for _, s := range []string{"2000-12-04T11:10:26.1095254+01:00", "2021-03-28T02:30:00", "2021-07-15T12:00", "2021-01-15T12:00:00Z", "2021-06-18T11:10:26+0200"} {
		f.Add(s)
	}
	oslo, ny := mustLoad("Europe/Oslo"), mustLoad("America/New_York")
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := convertDateTime(nil, []byte(s), oslo, ny, false)
		if !ok {
			return
		}
		d1, _ := parseDateTime([]byte(s))
		d2, ok2 := parseDateTime(out)
		if !ok2 || d2.hasSeconds != d1.hasSeconds || !bytes.Equal(d2.fraction, d1.fraction) || (d1.offset != zulu && d2.offset != d1.offset) {
			t.Fatalf("%q became %q, another shape", s, out)
		}
		// An instant converted back lands on Oslo's offset, which need not be
		// the one it was written with; where it is, the text must come back
		// exactly.
		if d1.offset == withColon || d1.offset == colonless {
			if back, _ := convertDateTime(nil, out, ny, oslo, false); offsetAt(back) == d1.offsetSecs && string(back) != s {
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
	zones, _ := NewZones(nil)
	tz, _ := zones.ParseTimeZone("US-NY, includeTZOffset")
	langs, _ := NewLanguages("", nil, "")
	langs.strings = map[string]map[string]string{"SR_X": {"nb": "ø"}}
	r := &Rewriter{Base: mustLoad("Europe/Oslo"), Zone: &tz, Language: "nb", Languages: langs, TextFields: [][]byte{[]byte("Text")}}
	f.Fuzz(func(t *testing.T, doc string) {
		out, err := selection.Rewrite(nil, []byte(doc), nil, r)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%q became invalid JSON %q", doc, out)
		}
		var in, got any
		if json.Unmarshal([]byte(doc), &in) != nil || json.Unmarshal(out, &got) != nil {
			return
		}
		if s, ok := in.(string); ok {
			if _, isDate := parseDateTime([]byte(s)); !isDate && !strings.Contains(s, `:"`) && !strings.Contains(s, "[SR_") && got != s {
				t.Fatalf("%q changed to %q", s, got)
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
