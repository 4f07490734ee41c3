package agent

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxUnescapes bounds how often Lenient undoes percent-encoding: a backend
// behind a proxy that decodes once more than it should reads "%252F" as "/".
const maxUnescapes = 3

// Lenient is the path a lenient server could read escapedPath as: percent
// escapes undone (repeatedly, for double encoding) and the path cut at an
// encoded "?" or "#" (a server that decodes it and parses it again as a
// URL), "\" read as "/" (IIS),
// ";" parameters dropped from every segment (Tomcat, Spring, Jetty), each
// segment cut at a NUL, trimmed of blanks at both ends (Java's and .NET's
// Trim; a regex's "$" before a final newline) and of trailing dots (IIS,
// Windows file names), repeated slashes collapsed and dot segments
// resolved.
//
// A request path whose Lenient form names a guarded route, while its plain
// form does not, is a spelling of that route that chatgate would otherwise
// pass on unchecked.
func Lenient(escapedPath string) string {
	p := escapedPath
	for range maxUnescapes {
		if !strings.Contains(p, "%") {
			break
		}
		u, err := url.PathUnescape(p)
		if err != nil || u == p {
			break
		}
		p = u
	}
	p, _, _ = strings.Cut(p, "?") // a server that decodes the path and parses it again as a URL
	p, _, _ = strings.Cut(p, "#")
	p = overlong.Replace(p)
	p = asciiFolds.Replace(p)
	p = strings.ReplaceAll(p, `\`, "/")
	segments := strings.Split(p, "/")
	for i, seg := range segments {
		seg, _, _ = strings.Cut(seg, "\x00")
		seg, _, _ = strings.Cut(seg, ";")
		if seg != "." && seg != ".." {
			seg = strings.TrimLeftFunc(seg, isPathBlank)
			seg = strings.TrimRightFunc(seg, func(r rune) bool { return r == '.' || isPathBlank(r) })
		}
		segments[i] = seg
	}
	return path.Clean("/" + strings.Join(segments, "/"))
}

// asciiFolds reads the letters that Unicode case folding (Java's
// equalsIgnoreCase, Go's EqualFold, a JavaScript /iu regex) matches to an
// ASCII letter as that letter: "ſessions" is "sessions" to such a router.
var asciiFolds = strings.NewReplacer("\u017f", "s", "\u212a", "k", "\u0131", "i", "\u0130", "I")

// asciiLookalike is name with the letters asciiFolds reads as ASCII read
// so, and whether it had any: "ſtatus" is "status" to a backend that
// matches names by Unicode case folding (Go's encoding/json, .NET's
// case-insensitive binders), which would read it as the property that
// chatgate checked under its own spelling.
func asciiLookalike(name string) (string, bool) {
	if !strings.ContainsAny(name, "\u017f\u212a\u0131\u0130") {
		return name, false
	}
	return asciiFolds.Replace(name), true
}

// overlong reads the overlong UTF-8 forms of "/", "\\" and "." as old IIS
// and some Java servers did ("%c0%af").
var overlong = strings.NewReplacer("\xc0\xaf", "/", "\xe0\x80\xaf", "/", "\xc1\x9c", `\`, "\xc0\xae", ".", "\xe0\x80\xae", ".")

// IsPlainPath reports whether escapedPath is spelled plainly: no "\", ";"
// or NUL, no escaped "/", "\", ";", "%", ".", "?", "#" or control character, no
// escaped lead byte of an overlong UTF-8 form (%c0, %c1, %e0), and no
// segment that begins with a blank or ends in a dot or a blank (other than
// "." and "..", which the cleaning of a plain path resolves). A plain path means the same to every server. It runs on
// every request, so it scans once and allocates nothing.
func IsPlainPath(escapedPath string) bool {
	segStart := 0
	for i := 0; i <= len(escapedPath); i++ {
		if i == len(escapedPath) || escapedPath[i] == '/' {
			if seg := escapedPath[segStart:i]; seg != "." && seg != ".." && (endsInDotOrBlank(seg) || startsWithBlank(seg)) {
				return false
			}
			segStart = i + 1
			continue
		}
		switch escapedPath[i] {
		case '\\', ';', 0:
			return false
		case '%':
			if i+2 < len(escapedPath) {
				switch c := unhex(escapedPath[i+1])<<4 | unhex(escapedPath[i+2]); {
				case c == '/' || c == '\\' || c == ';' || c == '%' || c == '.' || c == '?' || c == '#' || c < 0x20 || c == 0x7f:
					return false
				case c == 0xc0 || c == 0xc1 || c == 0xe0: // lead bytes of overlong forms
					return false
				case (c == 0xc4 || c == 0xc5 || c == 0xe2) && foldsToASCII(escapedPath[i:]):
					return false
				}
			}
		}
	}
	return true
}

func endsInDotOrBlank(seg string) bool {
	n := len(seg)
	switch {
	case n == 0:
		return false
	case seg[n-1] == '.' || seg[n-1] == ' ' || seg[n-1] == '\t':
		return true
	}
	b, n := unescapeEdge(seg, false)
	r, _ := utf8.DecodeLastRune(b[:n])
	return isPathBlank(r)
}

func startsWithBlank(seg string) bool {
	if seg != "" && (seg[0] == ' ' || seg[0] == '\t') {
		return true
	}
	b, n := unescapeEdge(seg, true)
	r, _ := utf8.DecodeRune(b[:n])
	return isPathBlank(r)
}

// unescapeEdge decodes the percent escapes (at most 4, one UTF-8
// sequence) at the start or the end of an escaped segment: the first n
// bytes of b, an array returned by value so that nothing is allocated.
func unescapeEdge(seg string, start bool) (b [4]byte, n int) {
	if start {
		for i := 0; n < len(b) && i+2 < len(seg) && seg[i] == '%'; i += 3 {
			if unhex(seg[i+1]) == 0xff || unhex(seg[i+2]) == 0xff {
				break
			}
			b[n] = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			n++
		}
		return b, n
	}
	for i := len(seg) - 3; n < len(b) && i >= 0 && seg[i] == '%'; i -= 3 {
		if unhex(seg[i+1]) == 0xff || unhex(seg[i+2]) == 0xff {
			break
		}
		n++
	}
	for k := 0; k < n; k++ {
		i := len(seg) - 3*(n-k)
		b[k] = unhex(seg[i+1])<<4 | unhex(seg[i+2])
	}
	return b, n
}

// foldsToASCII reports an escaped path that begins with a letter of
// asciiFolds.
func foldsToASCII(escaped string) bool {
	b, n := unescapeEdge(escaped, true)
	r, _ := utf8.DecodeRune(b[:n])
	return r == '\u017f' || r == '\u212a' || r == '\u0131' || r == '\u0130'
}

// isPathBlank reports a character some server trims from a path segment:
// white space (Unicode's, NBSP included) and control characters.
func isPathBlank(r rune) bool {
	return r != utf8.RuneError && (unicode.IsSpace(r) || unicode.IsControl(r))
}

// unhex is the value of a hex digit; 0xff for any other byte, which makes
// no byte of interest when combined.
func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// MatchesPath reports whether the decoded request path p names this
// template's route: its literal text compared ASCII case-insensitively (as
// IIS and many routers do), each placeholder standing for one or more
// characters of a single segment, and one trailing slash allowed. The query
// part of the template plays no part.
func (t *Template) MatchesPath(p string) bool {
	return matchParts(t.decoded, path.Clean("/"+p))
}

// matchParts matches the cleaned path p against parts, a placeholder taking
// one or more characters other than "/". Backtracking is bounded by the
// number of placeholders, a handful in any route.
func matchParts(parts []part, p string) bool {
	if len(parts) == 0 {
		return p == ""
	}
	first := parts[0]
	if first.name == "" {
		lit := first.literal
		if len(parts) == 1 { // the cleaned path has no trailing slash
			lit = strings.TrimSuffix(lit, "/")
			return EqualFold(p, lit) || (lit == "" && p == "/")
		}
		if len(p) < len(lit) || !EqualFold(p[:len(lit)], lit) {
			return false
		}
		return matchParts(parts[1:], p[len(lit):])
	}
	for i := 1; i <= len(p) && p[i-1] != '/'; i++ {
		if matchParts(parts[1:], p[i:]) {
			return true
		}
	}
	return false
}
