package format

import "strings"

// The media types of the reference pages, in the order chatgate prefers them
// when a client likes several equally: JSON first, as the backend speaks it.
const (
	ApplicationJSON  = "application/json"
	TextJSON         = "text/json"
	JSONPatch        = "application/json-patch+json"
	MergePatch       = "application/merge-patch+json"
	ApplicationXML   = "application/xml"
	TextXML          = "text/xml"
	fullQuality      = 1000 // q=1, in thousandths
	specificExact    = 3    // type/subtype
	specificType     = 2    // type/*
	specificAnything = 1    // */*
)

var offers = [...]string{ApplicationJSON, TextJSON, JSONPatch, MergePatch, ApplicationXML, TextXML}

// Choice is the format a request's Accept header asks for.
type Choice struct {
	// XML: the answer is to be XML, of type MediaType.
	XML bool
	// MediaType is the client's preferred type among the reference pages'
	// ones; "" when it has none (no Accept, or none of them acceptable), so
	// that the backend's own JSON type stands.
	MediaType string

	quality int      // MediaType's q, in thousandths
	accept  []string // the Accept header's values, read again by Relabel
}

// Negotiate reads the values of a request's Accept header as RFC 9110 12.5.1
// defines them: each offer gets the q of the most specific range that
// matches it; the highest q wins, then the most specific range, then the
// range the client listed first, then chatgate's order (JSON before XML).
// Parameters other than q are ignored: chatgate always answers in UTF-8.
// Malformed ranges are skipped, as if not sent. Nothing is allocated.
func Negotiate(accept []string) Choice {
	if len(accept) == 0 {
		return Choice{}
	}
	if len(accept) == 1 {
		if c, ok := negotiateOne(accept); ok {
			return c
		}
	}
	best, bestQ, bestSpec, bestPos := -1, 0, 0, 0
	for i, offer := range offers {
		q, spec, pos := match(accept, offer)
		if q == 0 {
			continue
		}
		if best < 0 || q > bestQ || q == bestQ && (spec > bestSpec || spec == bestSpec && pos < bestPos) {
			best, bestQ, bestSpec, bestPos = i, q, spec, pos
		}
	}
	if best < 0 {
		return Choice{accept: accept}
	}
	mediaType := offers[best]
	return Choice{
		XML:       mediaType == ApplicationXML || mediaType == TextXML,
		MediaType: mediaType,
		quality:   bestQ,
		accept:    accept,
	}
}

// negotiateOne is the short way for the commonest Accept: one of the six
// types alone, or */*, without parameters.
func negotiateOne(accept []string) (Choice, bool) {
	value := accept[0]
	if value == "*/*" {
		return Choice{MediaType: ApplicationJSON, quality: fullQuality, accept: accept}, true
	}
	for _, offer := range offers {
		if strings.EqualFold(value, offer) {
			return Choice{XML: offer == ApplicationXML || offer == TextXML, MediaType: offer, quality: fullQuality, accept: accept}, true
		}
	}
	return Choice{}, false
}

// ContentType is the Content-Type of an answer of the chosen type.
func (c Choice) ContentType() string {
	for i, offer := range offers {
		if offer == c.MediaType {
			return contentTypes[i]
		}
	}
	return contentTypes[0]
}

// contentTypes are the offers with their charset, made once.
var contentTypes = func() (t [len(offers)]string) {
	for i, offer := range offers {
		t[i] = offer + "; charset=utf-8"
	}
	return t
}()

// Relabel returns the Content-Type a JSON answer of contentType should carry
// instead, when the client prefers one of the reference pages' JSON types to
// it: a client that asked for text/json gets text/json, not the backend's
// application/json. It reports false when contentType stands.
func (c Choice) Relabel(contentType string) (string, bool) {
	if c.XML || c.MediaType == "" {
		return "", false
	}
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.TrimSpace(mediaType)
	if strings.EqualFold(mediaType, c.MediaType) {
		return "", false
	}
	if q, _, _ := match(c.accept, mediaType); q >= c.quality {
		return "", false
	}
	return c.ContentType(), true
}

// match returns the q the Accept values give mediaType (0 when no range
// matches it), the specificity of the range that gave it, and that range's
// position in the list.
func match(accept []string, mediaType string) (q, spec, pos int) {
	typ, sub, ok := strings.Cut(mediaType, "/")
	if !ok {
		return 0, 0, 0
	}
	s := rangeScanner{values: accept}
	for n := 0; ; n++ {
		r, more := s.next()
		if !more {
			return q, spec, pos
		}
		var sp int
		switch {
		case r.typ == "*" && r.sub == "*":
			sp = specificAnything
		case !strings.EqualFold(r.typ, typ):
			continue
		case r.sub == "*":
			sp = specificType
		case strings.EqualFold(r.sub, sub):
			sp = specificExact
		default:
			continue
		}
		if sp > spec { // the first of equally specific ranges decides
			q, spec, pos = r.q, sp, n
		}
	}
}

// mediaRange is one well-formed element of an Accept list.
type mediaRange struct {
	typ, sub string
	q        int // thousandths
}

// rangeScanner walks the elements of Accept header values, skipping the
// malformed ones.
type rangeScanner struct {
	values []string
	rest   string
}

func (s *rangeScanner) next() (mediaRange, bool) {
	for {
		for s.rest == "" {
			if len(s.values) == 0 {
				return mediaRange{}, false
			}
			s.rest, s.values = s.values[0], s.values[1:]
		}
		var element string
		element, s.rest = cutOutside(s.rest, ',')
		if r, ok := parseRange(element); ok {
			return r, true
		}
	}
}

// cutOutside splits s at its first sep outside a quoted string: the
// separator of Accept's elements (',') and of their parameters (';').
func cutOutside(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parseRange reads `type/subtype *( OWS ";" OWS parameter )`. A range whose
// q is not a valid qvalue is malformed.
func parseRange(element string) (mediaRange, bool) {
	element = strings.TrimSpace(element)
	mediaType, params, _ := strings.Cut(element, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(mediaType), "/")
	if !ok || !isToken(typ) || !isToken(sub) || typ == "*" && sub != "*" {
		return mediaRange{}, false
	}
	r := mediaRange{typ: typ, sub: sub, q: fullQuality}
	for params != "" {
		var param string
		param, params = cutOutside(params, ';')
		name, value, ok := strings.Cut(strings.TrimSpace(param), "=")
		if !ok {
			if strings.TrimSpace(param) == "" {
				continue // an empty parameter, as in "text/xml;"
			}
			return mediaRange{}, false
		}
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			if r.q, ok = parseQuality(strings.TrimSpace(value)); !ok {
				return mediaRange{}, false
			}
		}
	}
	return r, true
}

// parseQuality reads a qvalue: "0" or "1", with at most three decimals, at
// most 1.
func parseQuality(s string) (int, bool) {
	if s == "" || s[0] != '0' && s[0] != '1' {
		return 0, false
	}
	q := int(s[0]-'0') * fullQuality
	if len(s) == 1 {
		return q, true
	}
	if s[1] != '.' || len(s) > 5 {
		return 0, false
	}
	scale := 100
	for _, c := range []byte(s[2:]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		q += int(c-'0') * scale
		scale /= 10
	}
	if q > fullQuality {
		return 0, false
	}
	return q, true
}

// isToken reports an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}
