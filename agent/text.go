package agent

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TextError is a String method's text answer that cannot be read as text:
// its charset is not one chatgate decodes.
type TextError struct{ Charset string }

func (e *TextError) Error() string {
	return "the backend's text answer is in charset " + strconv.Quote(e.Charset) + ", which chatgate does not read (it reads UTF-8 and windows-1252)"
}

// charset is how a text answer's bytes are read.
type charset uint8

const (
	charsetUTF8 charset = iota
	charsetWindows1252
)

// charsetLabels are the charset names a text answer may give, as the WHATWG
// Encoding Standard maps them (what browsers and axios decode by): the
// labels of UTF-8 and of windows-1252, which is also what ISO-8859-1 and
// US-ASCII labels mean there. No charset is UTF-8.
var charsetLabels = map[string]charset{
	"unicode-1-1-utf-8": charsetUTF8, "unicode11utf8": charsetUTF8, "unicode20utf8": charsetUTF8,
	"utf-8": charsetUTF8, "utf8": charsetUTF8, "x-unicode20utf8": charsetUTF8,
	"ansi_x3.4-1968": charsetWindows1252, "ascii": charsetWindows1252, "cp1252": charsetWindows1252,
	"cp819": charsetWindows1252, "csisolatin1": charsetWindows1252, "ibm819": charsetWindows1252,
	"iso-8859-1": charsetWindows1252, "iso-ir-100": charsetWindows1252, "iso8859-1": charsetWindows1252,
	"iso88591": charsetWindows1252, "iso_8859-1": charsetWindows1252, "iso_8859-1:1987": charsetWindows1252,
	"l1": charsetWindows1252, "latin1": charsetWindows1252, "us-ascii": charsetWindows1252,
	"windows-1252": charsetWindows1252, "x-cp1252": charsetWindows1252,
}

// windows1252High are the characters of windows-1252's bytes 0x80 to
// 0x9F (WHATWG's index; its other bytes are U+0000 to U+00FF).
var windows1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// textPiece bounds the input TextWriter escapes at a time, and so its
// scratch output (at most six bytes for each byte: \u00XX).
const textPiece = 4 << 10

// TextWriter writes a String method's text answer (a transcript) on to w
// as one JSON string, as it arrives, holding no more than a piece of it:
// its opening quote with the first bytes, its closing one at Close. The
// text is decoded by the charset of its Content-Type (UTF-8, or
// windows-1252 and the labels that mean it), as a browser decodes text: a
// UTF-8 byte order mark at its start is dropped, and each byte that is not
// part of a valid UTF-8 sequence reads as U+FFFD. A quote, a backslash and
// the control characters below U+0020 are escaped; the rest is written as
// UTF-8.
type TextWriter struct {
	w       io.Writer
	charset charset
	err     error // an unknown charset: every Write and Close fails with it
	started bool  // the opening quote went out
	head    int   // bytes of the text read so far, up to 3: where a byte order mark can be
	pending [utf8.UTFMax]byte
	npend   int // the start of a UTF-8 sequence the last write cut
	out     []byte
}

// NewTextWriter returns a TextWriter that writes the text answer of the
// given Content-Type on to w.
func NewTextWriter(w io.Writer, contentType string) *TextWriter {
	t := &TextWriter{w: w}
	if label, ok := charsetParam(contentType); ok {
		cs, known := charsetLabels[strings.ToLower(label)]
		if !known {
			t.err = &TextError{Charset: label}
		}
		t.charset = cs
	}
	return t
}

// charsetParam is the charset parameter of a Content-Type, unquoted and
// trimmed, read leniently: a parameter that does not parse beside it (an
// unquoted ':' in "iso_8859-1:1987", a "format" with no value) does not
// lose it, as it did through mime.ParseMediaType, which refuses the whole
// header then.
func charsetParam(contentType string) (string, bool) {
	_, params, _ := strings.Cut(contentType, ";")
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(name), "charset") {
			value = strings.TrimSpace(value)
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = strings.TrimSpace(value[1 : len(value)-1])
			}
			return value, true
		}
	}
	return "", false
}

// Write decodes and escapes the text's next bytes.
func (t *TextWriter) Write(p []byte) (int, error) {
	if t.err != nil {
		return 0, t.err
	}
	n := len(p)
	if !t.started {
		t.started = true
		t.out = append(t.out[:0], '"')
	}
	for len(p) > 0 {
		piece := p[:min(len(p), textPiece)]
		p = p[len(piece):]
		t.decode(piece)
		if err := t.flush(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Close ends the string: bytes the text ended within (a UTF-8 sequence
// or a byte order mark cut short) read as U+FFFD each.
func (t *TextWriter) Close() error {
	if t.err != nil {
		return t.err
	}
	if !t.started {
		t.started = true
		t.out = append(t.out[:0], '"')
	}
	if t.charset == charsetUTF8 && t.head > 0 && t.head < len(bom) {
		t.npend = copy(t.pending[:], bom[:t.head])
	}
	for range t.npend {
		t.out = utf8.AppendRune(t.out, utf8.RuneError)
	}
	t.npend = 0
	t.out = append(t.out, '"')
	return t.flush()
}

// flush writes the escaped output on.
func (t *TextWriter) flush() error {
	if len(t.out) == 0 {
		return nil
	}
	_, err := t.w.Write(t.out)
	t.out = t.out[:0]
	if err != nil {
		t.err = err
	}
	return err
}

// decode appends the JSON string text of p to t.out.
func (t *TextWriter) decode(p []byte) {
	if t.charset == charsetWindows1252 {
		for _, c := range p {
			switch {
			case c < utf8.RuneSelf:
				t.appendASCII(c)
			case c < 0xA0:
				t.out = utf8.AppendRune(t.out, windows1252High[c-0x80])
			default:
				t.out = utf8.AppendRune(t.out, rune(c))
			}
		}
		return
	}
	if t.head < len(bom) {
		p = t.dropBOM(p)
	}
	i := 0
	if t.npend > 0 {
		i = t.finishPending(p)
	}
	for i < len(p) {
		run := i
		for run < len(p) && plainText[p[run]] {
			run++
		}
		t.out = append(t.out, p[i:run]...)
		if i = run; i == len(p) {
			return
		}
		c := p[i]
		if c < utf8.RuneSelf {
			t.appendASCII(c)
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			t.npend = copy(t.pending[:], p[i:])
			return
		}
		i += t.appendRune(p[i:])
	}
}

// appendRune appends the UTF-8 sequence that begins b, not ASCII (U+FFFD
// for a byte that begins none), and returns its length.
func (t *TextWriter) appendRune(b []byte) int {
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size == 1 {
		t.out = utf8.AppendRune(t.out, utf8.RuneError)
	} else {
		t.out = append(t.out, b[:size]...)
	}
	return size
}

// bom is UTF-8's byte order mark.
const bom = "\xef\xbb\xbf"

// dropBOM drops what of a byte order mark begins the text. Bytes that
// began like one and then did not go on as one are text, not ASCII: they
// wait in pending, as a cut UTF-8 sequence would.
func (t *TextWriter) dropBOM(p []byte) []byte {
	for len(p) > 0 && t.head < len(bom) {
		if p[0] != bom[t.head] {
			t.npend = copy(t.pending[:], bom[:t.head])
			t.head = len(bom)
			return p
		}
		t.head++
		p = p[1:]
	}
	return p
}

// finishPending decodes the bytes the last write cut (the start of a
// UTF-8 sequence, never ASCII) with what follows them in p, and returns
// where in p decoding goes on: every sequence that began in them is
// written, or, p too short to end one, they wait on with p's bytes.
func (t *TextWriter) finishPending(p []byte) int {
	var joined [2 * utf8.UTFMax]byte
	npend := t.npend
	n := copy(joined[:], t.pending[:npend])
	n += copy(joined[n:], p[:min(len(p), utf8.UTFMax)])
	t.npend = 0
	i := 0
	for i < npend {
		if !utf8.FullRune(joined[i:n]) { // p ended first: all of it is in joined
			t.npend = copy(t.pending[:], joined[i:n])
			return len(p)
		}
		i += t.appendRune(joined[i:n])
	}
	return i - npend
}

// appendASCII appends the ASCII byte c, escaped as JSON must.
func (t *TextWriter) appendASCII(c byte) {
	switch {
	case c == '"' || c == '\\':
		t.out = append(t.out, '\\', c)
	case c < 0x20:
		t.out = append(t.out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	default:
		t.out = append(t.out, c)
	}
}

const hexDigits = "0123456789abcdef"

// plainText are the bytes a JSON string takes as they are: ASCII but a
// quote, a backslash and the control characters.
var plainText = func() (plain [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		plain[c] = c != '"' && c != '\\'
	}
	return plain
}()
