package locale

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// builtinCodes are SuperOffice's multi-language codes of the iso2 languages
// that differ from the upper-cased iso2; others are their upper iso2.
var builtinCodes = map[string]string{
	"en": "US", "nb": "NO", "nn": "NO", "no": "NO", "de": "GE", "sv": "SE", "da": "DA", "fr": "FR", "nl": "NL", "fi": "FI",
}

// Languages knows the language codes and the string references.
type Languages struct {
	Default string            // iso2, or "" for none
	codes   map[string]string // iso2 -> multi-language code
	strings map[string]map[string]string
}

// NewLanguages makes the language table: the built-in codes with overrides
// (iso2 to code, such as de GE), and the strings file's references
// ({"SR_X": {"en": "...", "nb": "..."}}); path "" for none.
func NewLanguages(defaultLanguage string, overrides map[string]string, path string) (*Languages, error) {
	l := &Languages{Default: primary(defaultLanguage), codes: make(map[string]string)}
	for iso, code := range builtinCodes {
		l.codes[iso] = code
	}
	for iso, code := range overrides {
		l.codes[strings.ToLower(iso)] = strings.ToUpper(code)
	}
	if path == "" {
		return l, nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("strings file: %v", err)
	}
	if err := json.Unmarshal(raw, &l.strings); err != nil {
		return nil, fmt.Errorf("strings file %s: want {\"SR_NAME\": {\"en\": \"text\"}}: %v", path, err)
	}
	return l, nil
}

// Pick chooses the language of a request: SO-Language, else the best
// Accept-Language by q-value, else the default. "*", "x" or "-" means none,
// as does an empty result; region parts are ignored (en-US is en). An
// SO-Language that is not a language tag (nb,en; n b) is an error naming
// it; such an Accept-Language entry is passed over.
func (l *Languages) Pick(soLanguage, acceptLanguage string) (string, error) {
	if v := strings.TrimSpace(soLanguage); v != "" {
		if !languageTag(v) && v != "-" { // "-": DoNotParse in the SuperOffice clients' documentation
			return "", fmt.Errorf("SO-Language %q is not a language tag (such as nb or en-US)", clip(v))
		}
		return primary(v), nil
	}
	if best := bestAccepted(acceptLanguage); best != "" {
		return primary(best), nil
	}
	return l.Default, nil
}

// languageTag reports whether tag is a language range (RFC 4647 2.1, as
// Accept-Language carries them, RFC 9110 12.5.4), '_' allowed between
// subtags: letters (at most 8), then subtags of letters and digits (at
// most 8 each) after '-' or '_' (nb, en-US, zh-Hant-TW, en_GB); or "*".
func languageTag(tag string) bool {
	if tag == "*" {
		return true
	}
	n, first := 0, true // the subtag's length so far; whether it is the first
	for i := 0; i < len(tag); i++ {
		switch c := tag[i]; {
		case c == '-' || c == '_':
			if n == 0 {
				return false
			}
			n, first = 0, false
		case isLetter(c) || !first && '0' <= c && c <= '9':
			if n++; n > 8 {
				return false
			}
		default:
			return false
		}
	}
	return n > 0
}

// primary is the lower-case primary subtag, or "" for "*", "x" and "".
func primary(tag string) string {
	tag, _, _ = strings.Cut(strings.TrimSpace(tag), "-")
	tag, _, _ = strings.Cut(tag, "_")
	tag = strings.ToLower(tag)
	if tag == "*" || tag == "x" {
		return ""
	}
	return tag
}

// bestAccepted is the Accept-Language entry with the highest q (RFC 9110
// 12.5.4), the first of equals; "" if none has q > 0.
func bestAccepted(header string) string {
	best, bestQ := "", 0.0
	for entry := range strings.SplitSeq(header, ",") {
		tag, params, _ := strings.Cut(entry, ";")
		tag = strings.TrimSpace(tag)
		q := 1.0
		if p := strings.TrimSpace(params); strings.HasPrefix(strings.ToLower(p), "q=") {
			v, err := strconv.ParseFloat(p[2:], 64)
			if err != nil || v < 0 || v > 1 {
				continue
			}
			q = v
		}
		if tag != "" && languageTag(tag) && q > bestQ {
			best, bestQ = tag, q
		}
	}
	return best
}

// Code is the multi-language code of an iso2 language: en is US, nb is NO.
func (l *Languages) Code(iso2 string) string {
	if c, ok := l.codes[iso2]; ok {
		return c
	}
	return strings.ToUpper(iso2)
}

// Translate returns s in language iso2: a multi-language value
// (US:"Supplier";NO:"Leverandør") becomes its text in that language, or its
// first text if it has none; [SR_NAME] references found in the strings file
// become their text. changed is false if s had nothing to translate.
func (l *Languages) Translate(s, iso2 string) (string, bool) {
	if text, ok := l.pickMultiLanguage(s, iso2); ok {
		return text, true
	}
	if len(l.strings) == 0 || !strings.Contains(s, "[SR_") {
		return s, false
	}
	return l.resolveReferences(s, iso2)
}

func (l *Languages) pickMultiLanguage(s, iso2 string) (string, bool) {
	entries, ok := parseMultiLanguage(s)
	if !ok {
		return "", false
	}
	want := l.Code(iso2)
	for _, e := range entries {
		if e.code == want {
			return e.text, true
		}
	}
	return entries[0].text, true
}

type mlEntry struct{ code, text string }

// parseMultiLanguage reads CODE:"text";CODE:"text"[;] where a text may hold
// \" for a quote (and \\ for a backslash). The whole string must be of
// that form.
func parseMultiLanguage(s string) ([]mlEntry, bool) {
	var entries []mlEntry
	for i := 0; i < len(s); {
		if i+4 > len(s) || !isUpper(s[i]) || !isUpper(s[i+1]) || s[i+2] != ':' || s[i+3] != '"' {
			return nil, false
		}
		code := s[i : i+2]
		var text strings.Builder
		j := i + 4
		for ; j < len(s) && s[j] != '"'; j++ {
			if s[j] == '\\' && j+1 < len(s) && (s[j+1] == '"' || s[j+1] == '\\') {
				j++
			}
			text.WriteByte(s[j])
		}
		if j >= len(s) {
			return nil, false
		}
		entries = append(entries, mlEntry{code, text.String()})
		i = j + 1
		if i < len(s) {
			if s[i] != ';' {
				return nil, false
			}
			i++
		}
	}
	return entries, len(entries) > 0
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// resolveReferences replaces each [SR_NAME] the strings file knows, in the
// language asked or, failing that, another language of the same code (nb
// for no), or English. Unknown references stay as they are.
func (l *Languages) resolveReferences(s, iso2 string) (string, bool) {
	var b strings.Builder
	changed := false
	for {
		start := strings.Index(s, "[SR_")
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start:], ']')
		if end < 0 {
			break
		}
		name := s[start+1 : start+end]
		text, ok := l.lookup(name, iso2)
		if !ok || !validReference(name) {
			b.WriteString(s[:start+end+1])
		} else {
			b.WriteString(s[:start])
			b.WriteString(text)
			changed = true
		}
		s = s[start+end+1:]
	}
	b.WriteString(s)
	return b.String(), changed
}

func (l *Languages) lookup(name, iso2 string) (string, bool) {
	texts, ok := l.strings[name]
	if !ok {
		return "", false
	}
	if t, ok := texts[iso2]; ok {
		return t, true
	}
	code := l.Code(iso2)
	for lang, t := range texts {
		if l.Code(lang) == code {
			return t, true
		}
	}
	t, ok := texts["en"]
	return t, ok
}

func validReference(name string) bool {
	return len(name) > 3 && bytes.IndexFunc([]byte(name), func(r rune) bool {
		return !(r == '_' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z')
	}) < 0
}
