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
	label := e.Charset
	if len(label) > maxCharsetLabel { // the backend's words: bounded in the error body and the log
		label = label[:maxCharsetLabel] + "..."
	}
	return "the backend's text answer is in charset " + strconv.Quote(label) + ", which chatgate does not read (it reads UTF-8 and windows-1252)"
}

// maxCharsetLabel bounds the charset an error names: the longest label
// the WHATWG Encoding Standard knows is 19 bytes.
const maxCharsetLabel = 40

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
// UTF-8 byte order mark at its start is dropped, and each maximal part of
// a sequence that is not UTF-8 reads as one U+FFFD (decodeByte). A quote, a backslash and
// the control characters below U+0020 are escaped; the rest is written as
// UTF-8.
type TextWriter struct {
	w       io.Writer
	charset charset
	err     error // an unknown charset: every Write and Close fails with it
	started bool  // the opening quote went out
	// The UTF-8 decoder's state between bytes (and writes), as the WHATWG
	// Encoding Standard's: the bytes of the sequence read so far (seq[:n],
	// n of need+1), and the range its next byte must be in.
	seq          [utf8.UTFMax]byte
	n, need      int
	lower, upper byte
	// The first bytes, while they may be a byte order mark: one is dropped
	// and makes the text UTF-8 whatever its label says, as a browser reads
	// it; others are the text's.
	mark    [len(bom)]byte
	marked  int
	sniffed bool
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

// charsetParam is the charset parameter of a Content-Type, as a browser
// reads it: the first one, its quotes and quoted pairs undone (a ';'
// inside quotes is no end: another parameter's quoted value does not say
// the charset), trimmed; one that is empty is none. A parameter that does
// not parse beside it (an unquoted ':' in "iso_8859-1:1987", a "format"
// with no value) does not lose it, as it did through mime.ParseMediaType,
// which refuses the whole header then.
func charsetParam(contentType string) (string, bool) {
	_, rest, found := strings.Cut(contentType, ";")
	for found {
		var name, value string
		name, rest, _ = strings.Cut(rest, "=")
		if i := strings.IndexByte(name, ';'); i >= 0 { // a parameter with no value
			rest = name[i+1:] + "=" + rest
			continue
		}
		rest = strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(rest, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(rest) && rest[i] != '"'; i++ {
				if rest[i] == '\\' && i+1 < len(rest) {
					i++
				}
				b.WriteByte(rest[i])
			}
			value = b.String()
			_, rest, found = strings.Cut(rest[min(i+1, len(rest)):], ";")
		} else {
			value, rest, found = strings.Cut(rest, ";")
		}
		if strings.EqualFold(strings.TrimSpace(name), "charset") {
			value = strings.TrimSpace(value)
			return value, value != ""
		}
	}
	return "", false
}

// sniff takes the text's first bytes while they are a byte order mark's
// and returns the rest of p: a whole mark is dropped, and the text is
// UTF-8 (sniffed); bytes that begin like one and then differ are the
// text's, decoded when it starts (sniffed); with p ended first, it waits.
func (t *TextWriter) sniff(p []byte) []byte {
	for len(p) > 0 && t.marked < len(bom) && p[0] == bom[t.marked] {
		t.mark[t.marked] = p[0]
		t.marked++
		p = p[1:]
	}
	switch {
	case t.marked == len(bom):
		t.marked, t.sniffed = 0, true
		t.charset, t.err = charsetUTF8, nil // the mark says what the text is
	case len(p) > 0:
		t.sniffed = true
	}
	return p
}

// Write decodes and escapes the text's next bytes.
func (t *TextWriter) Write(p []byte) (int, error) {
	n := len(p)
	if !t.sniffed {
		if p = t.sniff(p); !t.sniffed {
			return n, nil // it may still be a byte order mark
		}
	}
	if t.err != nil {
		return 0, t.err
	}
	if !t.started {
		t.started = true
		t.out = append(t.out[:0], '"')
		t.decode(t.mark[:t.marked]) // the first bytes, when they were no mark
		t.marked = 0
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

// Close ends the string: a UTF-8 sequence the text ended within reads as
// one U+FFFD.
func (t *TextWriter) Close() error {
	t.sniffed = true // the first bytes, if they began like a mark, were no mark
	if _, err := t.Write(nil); err != nil {
		return err
	}
	if t.need > 0 { // a sequence cut short by the end
		t.out = utf8.AppendRune(t.out, utf8.RuneError)
		t.need = 0
	}
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
	for i := 0; i < len(p); {
		if t.need == 0 {
			run := i
			for run < len(p) && plainText[p[run]] {
				run++
			}
			if run > i {
				t.out = append(t.out, p[i:run]...)
			}
			if i = run; i == len(p) {
				return
			}
			if c := p[i]; c < utf8.RuneSelf {
				t.appendASCII(c)
				i++
				continue
			}
		}
		if t.decodeByte(p[i]) {
			i++
		}
	}
}

// decodeByte takes the byte c, not ASCII or within a sequence, as the
// WHATWG Encoding Standard's UTF-8 decoder does: a complete sequence is
// written as it came, and each
// maximal part of one that cannot go on reads as one U+FFFD (a ...\xe2\x82
// cut by an 'x' is one, where Go reads two). It reports false when c is to
// be read again, as the first byte after such a part.
func (t *TextWriter) decodeByte(c byte) bool {
	if t.need == 0 {
		t.lower, t.upper = 0x80, 0xBF
		switch {
		case 0xC2 <= c && c <= 0xDF:
			t.need = 1
		case 0xE0 <= c && c <= 0xEF:
			t.need = 2
			if c == 0xE0 {
				t.lower = 0xA0
			} else if c == 0xED {
				t.upper = 0x9F // no surrogates
			}
		case 0xF0 <= c && c <= 0xF4:
			t.need = 3
			if c == 0xF0 {
				t.lower = 0x90
			} else if c == 0xF4 {
				t.upper = 0x8F // nothing past U+10FFFF
			}
		default: // a continuation byte, or no UTF-8 at all
			t.out = utf8.AppendRune(t.out, utf8.RuneError)
			return true
		}
		t.seq[0], t.n = c, 1
		return true
	}
	if c < t.lower || c > t.upper {
		t.out = utf8.AppendRune(t.out, utf8.RuneError)
		t.need = 0
		return false
	}
	t.lower, t.upper = 0x80, 0xBF
	t.seq[t.n] = c
	if t.n++; t.n <= t.need {
		return true
	}
	t.need = 0
	t.out = append(t.out, t.seq[:t.n]...)
	return true
}

// bom is UTF-8's byte order mark.
const bom = "\xef\xbb\xbf"

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
