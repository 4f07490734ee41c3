package agent

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/chatgate/chatgate/internal/benchratio"
	"github.com/chatgate/chatgate/internal/jsonpass"
	"github.com/tidwall/gjson"
)

// resultCases are answers and what their result at a path is: the value's
// bytes, or an error ("missing", "twice", "invalid").
var resultCases = []struct {
	doc, path, want string
}{
	{`{"total":2,"data":[1,2]}`, "data", `[1,2]`},
	{`{"data":[1,2],"total":2}`, "data", `[1,2]`},
	{` { "Data" : {"a":"}","b":[{"data":1}]} , "x":null } `, "data", `{"a":"}","b":[{"data":1}]} `},
	{`{"a":{"b":{"c":"x,}y"}}}`, "a.b.c", `"x,}y"`},
	{`{"A":{"x":[{"b":1}],"B":7}}`, "a.b", `7`},
	{`{"d\u0061ta":true}`, "data", `true`},
	{`{"data\"":1,"data":2}`, "data", `2`},
	{`{"x":{"data":1},"data":-0.5e3}`, "data", `-0.5e3`},
	{`{"data":null}`, "data", `null`},
	{`{"data":""}`, "data", `""`},
	{`{"data":"\\\"}"}`, "data", `"\\\"}"`},
	{`{"` + strings.Repeat("k", 300) + `":1,"data":2}`, "data", `2`},
	{"\uFEFF" + ` {"data":1}`, "data", `1`},
	{`{"x":"\\\"\\","data":["\\\\\"",1],"y":"\\"}`, "data", `["\\\\\"",1]`},
	{`{"total":2}`, "data", "missing"},
	{`{}`, "data", "missing"},
	{`[{"data":1}]`, "data", "missing"},
	{`"data"`, "data", "missing"},
	{`{"a":1}`, "a.b", "missing"},
	{`{"a":{"c":1},"b":2}`, "a.b", "missing"},
	{`{"data":1,"DATA":2}`, "data", "twice"},
	{`{"data":1,"d\u0061ta":2}`, "data", "twice"},
	{`{"a":{"b":1},"a":{"b":2}}`, "a.b", "twice"},
	{`{"a":{"b":1,"B":2}}`, "a.b", "twice"},
	{`{"data":[1,2]`, "data", "invalid"},
	{`{"data":[1,2]}x`, "data", "invalid"},
	{`{"data":[1,2,]}`, "data", "invalid"},
	{``, "data", "invalid"},
}

// resultOf runs a ResultWriter over doc in pieces of at most n bytes and
// says what it made of it, as resultCases do.
func resultOf(doc string, path []string, n int) string {
	var out bytes.Buffer
	r := NewResultWriter(&out, path)
	var err error
	for p := []byte(doc); len(p) > 0 && err == nil; {
		k := min(n, len(p))
		_, err = r.Write(p[:k])
		p = p[k:]
	}
	if err == nil {
		err = r.Close()
	}
	return describe(out.String(), err)
}

func describe(out string, err error) string {
	var re *ResultError
	switch {
	case err == nil:
		return out
	case errors.As(err, &re) && re.Twice:
		return "twice"
	case errors.As(err, &re):
		return "missing"
	case errors.Is(err, jsonpass.ErrInvalidJSON):
		return "invalid"
	}
	return "error: " + err.Error()
}

// TestResultWriter: the result at a path, whole and in every split into
// pieces, and the errors: a missing member, one there twice, invalid JSON.
func TestResultWriter(t *testing.T) {
	for _, tc := range resultCases {
		path := strings.Split(tc.path, ".")
		for n := 1; n <= len(tc.doc)+1; n++ {
			got := resultOf(tc.doc, path, n)
			if tc.want == "invalid" || tc.want == "missing" {
				// a missing or repeated member can be certain before the
				// JSON turns out invalid; each refuses the answer
				if got != tc.want && !(tc.want == "invalid" && refused(got)) {
					t.Errorf("%s at %s, pieces of %d: %q, want %s", tc.doc, tc.path, n, got, tc.want)
				}
				continue
			}
			if got != tc.want {
				t.Errorf("%s at %s, pieces of %d: %q, want %q", tc.doc, tc.path, n, got, tc.want)
				break
			}
		}
	}
}

// TestResultWriterHoldsNoBody: a result of many megabytes goes on as it
// comes, in the writes it came in, not gathered.
func TestResultWriterHoldsNoBody(t *testing.T) {
	var largest, total int
	w := writerFunc(func(p []byte) (int, error) {
		largest, total = max(largest, len(p)), total+len(p)
		return len(p), nil
	})
	r := NewResultWriter(w, []string{"data"})
	item := []byte(`{"chatMessageId":1,"message":"` + strings.Repeat("x", 1000) + `"},`)
	if _, err := r.Write([]byte(`{"total":1,"data":[`)); err != nil {
		t.Fatal(err)
	}
	for range 8 << 10 {
		if _, err := r.Write(item); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Write([]byte(`{}],"more":true}`)); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if want := 1 + 8<<10*len(item) + 3; total != want || largest > len(item) {
		t.Fatalf("%d bytes written on (want %d), the largest write %d bytes", total, want, largest)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// referenceResult is what a ResultWriter must make of doc, by another
// reading: jsonpass's validation, then gjson's members at each level,
// counted by case-insensitive name.
func referenceResult(doc []byte, path []string) string {
	if _, err := jsonpass.Append(nil, doc, jsonpass.Options{}); err != nil {
		return "invalid"
	}
	v := gjson.ParseBytes(bytes.TrimPrefix(doc, []byte("\uFEFF"))) // a byte order mark, which jsonpass drops
	for _, name := range path {
		if !v.IsObject() {
			return "missing"
		}
		var match gjson.Result
		n := 0
		v.ForEach(func(key, value gjson.Result) bool {
			if EqualFold(key.Str, name) {
				match = value
				n++
			}
			return true
		})
		switch {
		case n == 0:
			return "missing"
		case n > 1:
			return "twice"
		}
		v = match
	}
	return v.Raw
}

// FuzzResultWriter: for any answer, path and split, the ResultWriter
// writes on what the whole answer gives, and agrees with another reading
// of the answer (jsonpass's validation and gjson's members).
func FuzzResultWriter(f *testing.F) {
	for _, tc := range resultCases {
		f.Add([]byte(tc.doc), tc.path, uint16(3))
	}
	f.Fuzz(func(t *testing.T, doc []byte, pathText string, split uint16) {
		path := strings.Split(pathText, ".")
		if len(path) > 4 || slicesContainEmpty(path) {
			return
		}
		whole := resultOf(string(doc), path, len(doc)+1)
		pieces := resultOf(string(doc), path, int(split%64)+1)
		want := referenceResult(doc, path)
		switch want {
		case "invalid":
			if !refused(whole) || !refused(pieces) {
				t.Fatalf("%q at %q: %q whole, %q in pieces, want an error", doc, pathText, whole, pieces)
			}
		case "missing", "twice":
			// which of the two is certain first depends on where it lies
			// ({"a":{},"a":{}} at a.b: b missing before a twice)
			if whole != "missing" && whole != "twice" || pieces != "missing" && pieces != "twice" {
				t.Fatalf("%q at %q: %q whole, %q in pieces, want %s", doc, pathText, whole, pieces, want)
			}
		default:
			trimmed := func(s string) string { return strings.TrimRight(s, " \t\r\n") }
			if trimmed(whole) != want || trimmed(pieces) != want {
				t.Fatalf("%q at %q: %q whole, %q in pieces, want %q", doc, pathText, whole, pieces, want)
			}
		}
	})
}

// refused reports a result that refuses the answer.
func refused(result string) bool {
	return result == "invalid" || result == "missing" || result == "twice"
}

func slicesContainEmpty(s []string) bool {
	for _, x := range s {
		if x == "" {
			return true
		}
	}
	return false
}

// BenchmarkResultWriter reads the result of a 1.4 MB answer of 10,000
// messages in its data field, and reports, from interleaved rounds in the
// same run, its time over one gjson.ValidBytes pass over the same bytes.
func BenchmarkResultWriter(b *testing.B) {
	item := `{"chatMessageId":1,"message":"` + strings.Repeat("x", 100) + `","type":1},`
	doc := []byte(`{"total":10001,"data":[` + strings.Repeat(item, 10000) + `{}]}`)
	read := func() {
		r := NewResultWriter(io.Discard, []string{"data"})
		if _, err := r.Write(doc); err != nil {
			b.Fatal(err)
		}
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		read()
	}
	b.StopTimer()
	b.ReportMetric(benchratio.Median(read, benchratio.ValidBytes(b, doc)), "x-time-of-ValidBytes")
}
