package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// writeText writes body through a TextWriter in pieces cut at cuts (each
// an index into body, in order) and returns the output.
func writeText(t *testing.T, body, contentType string, cuts ...int) (string, error) {
	t.Helper()
	var out bytes.Buffer
	w := NewTextWriter(&out, contentType)
	last := 0
	for _, cut := range append(cuts, len(body)) {
		if _, err := w.Write([]byte(body[last:cut])); err != nil {
			return "", err
		}
		last = cut
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return out.String(), nil
}

// decodedText is what a TextWriter's string says: the text read as the
// WHATWG Encoding Standard reads UTF-8, its byte order mark dropped. Each
// maximal part of a sequence that is not UTF-8 (the longest start of one
// some bytes could still make valid) is one U+FFFD: found here by trying
// the continuations, not by the decoder's byte ranges.
func decodedText(body string) string {
	body = strings.TrimPrefix(body, bom)
	var b strings.Builder
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRuneInString(body[i:])
		if r != utf8.RuneError || size != 1 {
			b.WriteRune(r)
			i += size
			continue
		}
		part := 1
		for k := 2; k <= 3 && i+k <= len(body); k++ {
			if validPrefix(body[i : i+k]) {
				part = k
			}
		}
		b.WriteRune(utf8.RuneError)
		i += part
	}
	return b.String()
}

// validPrefix reports whether some continuation bytes make s valid UTF-8
// of one character.
func validPrefix(s string) bool {
	for _, last := range []string{"\x80", "\x8f", "\x90", "\x9f", "\xa0", "\xbf"} {
		for _, mid := range []string{"", "\x80", "\xbf", "\x80\x80", "\xbf\xbf"} {
			if full := s + mid + last; utf8.ValidString(full) && utf8.RuneCountInString(full) == 1 {
				return true
			}
		}
	}
	return false
}

func TestTextWriter(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body, want string
	}{
		{"plain", "text/plain", "hello transcript", `"hello transcript"`},
		{"escaped", "text/plain; charset=utf-8", "a \"quote\", a \\ and\n\ta \x01 line", `"a \"quote\", a \\ and\u000a\u0009a \u0001 line"`},
		{"utf-8 kept", "text/plain", "Blåbærsyltetøy 😀", `"Blåbærsyltetøy 😀"`},
		{"empty", "text/plain", "", `""`},
		{"byte order mark dropped", "text/plain", bom + "hei", `"hei"`},
		{"byte order mark alone", "text/plain", bom, `""`},
		{"only the mark's start", "text/plain", "\xef\xbbx", "\"\uFFFDx\""},
		{"a mark later is text", "text/plain", "x" + bom, "\"x\uFEFF\""},
		{"invalid bytes", "text/plain", "caf\xe9 \xff", "\"caf\uFFFD \uFFFD\""},
		{"cut at the end", "text/plain", "ok\xe2\x82", "\"ok\uFFFD\""},
		{"cut by a letter: one U+FFFD, as a browser reads it", "text/plain", "a\xe2\x82x\xf0\x9f\x98", "\"a\uFFFDx\uFFFD\""},
		{"overlong and past U+10FFFF", "text/plain", "\xe0\x80\xaf\xf4\x90\x80\x80", "\"\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\""},
		{"a mark after text is text", "text/plain", "\xff" + bom, "\"\uFFFD\uFEFF\""},
		{"one mark is dropped, not two", "text/plain", bom + bom + "x", "\"\uFEFFx\""},
		{"a mark makes the text UTF-8 whatever its label", "text/plain; charset=windows-1252", bom + "café €", `"café €"`},
		{"even an unknown label's", "text/plain; charset=koi8-r", bom + "ok", `"ok"`},
		{"a charset inside another parameter's quotes is not it", "text/plain; x=\"a; charset=windows-1252;\"", "café", `"café"`},
		{"the first charset counts", "text/plain; x=\"a;charset=utf-8\"; charset=windows-1252; charset=utf-8", "\xe9", `"é"`},
		{"quoted pairs undone", "text/plain; charset=\"win\\dows-1252\"", "\xe9", `"é"`},
		{"an unended quote", "text/plain; charset=\"windows-1252", "\xe9", `"é"`},
		{"an empty charset is none: UTF-8", "text/plain; charset=", "é", `"é"`},
		{"an empty quoted charset too", "text/plain; charset=\"\"", "é", `"é"`},
		{"surrogate encoded", "text/plain", "\xed\xa0\x80", "\"\uFFFD\uFFFD\uFFFD\""},
		{"windows-1252", "text/plain; charset=windows-1252", "caf\xe9 \x80 \x9f \x81", "\"café € Ÿ \u0081\""},
		{"iso-8859-1 is windows-1252", "text/plain; charset=ISO-8859-1", "\xe6\xf8\xe5 \x93q\x94", `"æøå “q”"`},
		{"us-ascii too", `text/plain; charset="us-ascii"`, "\xe9", `"é"`},
		{"a mark alone in windows-1252: dropped, the text UTF-8", "text/plain; charset=latin1", bom, `""`},
		// a parameter that does not parse beside it does not lose the charset
		{"a label with a colon", "text/plain; charset=iso_8859-1:1987", "caf\xe9", `"café"`},
		{"a parameter with no value", "text/plain; charset=windows-1252; format", "\x80", `"€"`},
		{"a parameter with a blank", "text/plain; foo=a b; charset=\" cp1252 \"", "\x80", `"€"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for cut := 0; cut <= len(tc.body); cut++ {
				got, err := writeText(t, tc.body, tc.contentType, cut)
				if err != nil || got != tc.want {
					t.Fatalf("cut at %d: %s, %v; want %s", cut, got, err, tc.want)
				}
			}
			// and byte by byte
			var cuts []int
			for i := 1; i < len(tc.body); i++ {
				cuts = append(cuts, i)
			}
			if got, err := writeText(t, tc.body, tc.contentType, cuts...); err != nil || got != tc.want {
				t.Fatalf("byte by byte: %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}

// TestTextWriterRefusesUnknownCharset: a charset chatgate does not decode
// is a *TextError that names it (a long one cut short), from the first
// write on, and nothing is written.
func TestTextWriterRefusesUnknownCharset(t *testing.T) {
	long := &TextError{Charset: strings.Repeat("x", 1<<20)}
	if len(long.Error()) > 200 {
		t.Fatalf("an error of %d bytes names a 1 MB charset", len(long.Error()))
	}
	for _, contentType := range []string{"text/plain; charset=utf-16", "text/plain; charset=koi8-r",
		"text/plain; charset=koi8-r; x", "text/plain; charset=utf-16; a=b c"} {
		var out bytes.Buffer
		w := NewTextWriter(&out, contentType)
		_, err := w.Write([]byte("hi"))
		var te *TextError
		if !errors.As(err, &te) || out.Len() != 0 || w.Close() == nil {
			t.Fatalf("%s: %v, wrote %q", contentType, err, out.String())
		}
	}
}

// TestTextWriterHoldsNoText: what a TextWriter holds does not grow with
// the text: each write's output goes on before it returns.
func TestTextWriterHoldsNoText(t *testing.T) {
	var sizes []int
	w := NewTextWriter(writerFunc(func(p []byte) (int, error) {
		sizes = append(sizes, len(p))
		return len(p), nil
	}), "text/plain")
	line := []byte(strings.Repeat("a line of a transcript, ø\n", 4000))
	for range 10 {
		if _, err := w.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range sizes {
		total += n
		if n > 6*textPiece+1 {
			t.Fatalf("a write of %d bytes", n)
		}
	}
	if cap(w.out) > 6*textPiece+8 || total != 10*(len(line)+4000*5)+2 {
		t.Fatalf("scratch %d bytes, %d bytes written", cap(w.out), total)
	}
}

// FuzzTextWriter: for any text and any two cuts, the JSON string written
// is the same as for the whole text, valid JSON, and says what the WHATWG
// decoder reads in the text (decodedText); windows-1252 text is read byte
// for byte, unless a byte order mark makes it UTF-8.
func FuzzTextWriter(f *testing.F) {
	f.Add([]byte("hello \"transcript\"\n"), uint16(3), uint16(9))
	f.Add([]byte(bom+"ø😀\xe2\x82\xff"), uint16(1), uint16(6))
	f.Add([]byte("\xef\xbb"), uint16(1), uint16(1))
	f.Fuzz(func(t *testing.T, body []byte, a, b uint16) {
		cuts := []int{int(a) % (len(body) + 1), int(b) % (len(body) + 1)}
		if cuts[0] > cuts[1] {
			cuts[0], cuts[1] = cuts[1], cuts[0]
		}
		whole, err := writeText(t, string(body), "text/plain")
		if err != nil {
			t.Fatal(err)
		}
		split, err := writeText(t, string(body), "text/plain", cuts...)
		if err != nil || split != whole {
			t.Fatalf("cut at %v: %q, %v; whole %q", cuts, split, err, whole)
		}
		var got string
		if err := json.Unmarshal([]byte(whole), &got); err != nil || !utf8.ValidString(whole) {
			t.Fatalf("%q is not a JSON string: %v", whole, err)
		}
		if want := decodedText(string(body)); got != want {
			t.Fatalf("%q reads %q; want %q", body, got, want)
		}
		latin, err := writeText(t, string(body), "text/plain; charset=windows-1252", cuts...)
		if err != nil || json.Unmarshal([]byte(latin), &got) != nil {
			t.Fatalf("windows-1252 %q: %q, %v", body, latin, err)
		}
		if strings.HasPrefix(string(body), bom) { // the mark makes it UTF-8
			if latin != whole {
				t.Fatalf("windows-1252 %q with a mark: %q, as UTF-8 %q", body, latin, whole)
			}
		} else if utf8.RuneCountInString(got) != len(body) {
			t.Fatalf("windows-1252 %q: %q", body, latin)
		}
	})
}

// BenchmarkTextWriter: a transcript of Norwegian lines through a
// TextWriter.
func BenchmarkTextWriter(b *testing.B) {
	text := []byte(strings.Repeat("12:01 Kari: Blåbærsyltetøy er godt, sa hun. \"Ja\", sa han.\n", 20000))
	w := NewTextWriter(io.Discard, "text/plain")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := w.Write(text); err != nil {
			b.Fatal(err)
		}
	}
}
