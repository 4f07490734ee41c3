package caddymodule

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/chatgate/chatgate/format"
	"github.com/chatgate/chatgate/locale"
	selection "github.com/chatgate/chatgate/select"
)

// Defaults of the exempt fields.
var (
	DefaultUTCFields  = []string{"CreatedDate", "UpdatedDate", "Registered", "Updated"}
	DefaultTextFields = []string{"FirstMessage", "LastMessage", "Message", "Text"}
)

// The values of offset_format.
const (
	offsetRFC3339 = "rfc3339" // ±hh:mm, Z for UTC
	offsetCompact = "compact" // ±hhmm, +0000 for UTC
)

// Request headers of the locale transforms.
const (
	headerTimeZone = "SO-TimeZone"
	headerLanguage = "SO-Language"
)

// Their keys in an http.Header, canonicalized once rather than per request.
var (
	keyTimeZone       = http.CanonicalHeaderKey(headerTimeZone)
	keyLanguage       = http.CanonicalHeaderKey(headerLanguage)
	keyAcceptLanguage = http.CanonicalHeaderKey("Accept-Language")
)

// provisionLocale loads the zones, the base zone and the languages once.
func (h *Handler) provisionLocale() error {
	zones, err := locale.NewZones(h.TimezoneCodes)
	if err != nil {
		return err
	}
	h.zones = zones
	if h.BaseTimezone == "" {
		h.BaseTimezone = "UTC"
	}
	if h.base, err = zones.Resolve(h.BaseTimezone); err != nil {
		return fmt.Errorf("base_timezone: %v", err)
	}
	switch h.OffsetFormat {
	case "", offsetRFC3339:
	case offsetCompact:
		h.compactOffset = true
	default:
		return fmt.Errorf("offset_format %q: must be %s or %s", h.OffsetFormat, offsetRFC3339, offsetCompact)
	}
	if h.UTCFields == nil {
		h.UTCFields = DefaultUTCFields
	}
	if h.TextFields == nil {
		h.TextFields = DefaultTextFields
	}
	h.utcFields, h.textFields = asBytes(h.UTCFields), asBytes(h.TextFields)
	if h.languages, err = locale.NewLanguages(h.DefaultLanguage, h.LanguageCodes, h.Strings); err != nil {
		return err
	}
	return nil
}

// readerLocale reads SO-TimeZone, SO-Language and Accept-Language: the
// rewriter of the answer's strings (nil when neither a zone nor a language
// is asked for) and the client's zone (nil when none: no SO-TimeZone, or an
// empty one). "includeTZOffset" alone asks for base_timezone. An
// SO-TimeZone given twice, naming two zones, or holding an unknown item is
// an error naming it. A request that asks for neither costs no allocation
// here.
func (h *Handler) readerLocale(r *http.Request) (*locale.Rewriter, *locale.TimeZone, error) {
	var zone *locale.TimeZone
	switch values := r.Header[keyTimeZone]; len(values) {
	case 0:
	case 1:
		tz, err := h.zones.ParseTimeZone(values[0], h.base)
		if err != nil {
			return nil, nil, err
		}
		if tz.Location != nil {
			zone = &tz
		}
	default:
		return nil, nil, fmt.Errorf("SO-TimeZone is sent more than once")
	}
	accept := r.Header[keyAcceptLanguage]
	acceptLanguage := ""
	switch len(accept) {
	case 0:
	case 1:
		acceptLanguage = accept[0]
	default:
		acceptLanguage = strings.Join(accept, ",")
	}
	soLanguage := ""
	if values := r.Header[keyLanguage]; len(values) > 0 {
		soLanguage = values[0]
	}
	language := h.languages.Pick(soLanguage, acceptLanguage)
	if zone == nil && language == "" {
		return nil, nil, nil
	}
	return &locale.Rewriter{Base: h.base, Zone: zone, Language: language, Languages: h.languages,
		UTCFields: h.utcFields, TextFields: h.textFields, CompactOffsets: h.compactOffset}, zone, nil
}

func asBytes(names []string) [][]byte {
	out := make([][]byte, len(names))
	for i, n := range names {
		out[i] = []byte(n)
	}
	return out
}

// convertRequestDates rewrites the offset-less date-times of a JSON request
// body, which the client wrote in its SO-TimeZone, into base_timezone.
// Other bodies pass as they are; the Agents endpoints read their dates
// themselves, by their parameters' types. A body to convert is read whole, up to max_request_body; on failure
// it returns the status and the error to answer with.
func (h *Handler) convertRequestDates(r *http.Request, zone *locale.TimeZone) (*http.Request, int, error) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 || !format.IsJSON(r.Header.Get("Content-Type")) {
		return r, 0, nil
	}
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, http.StatusUnsupportedMediaType, errors.New("a Content-Encoding on a request body with dates to convert is not supported")
	}
	body, status, msg := h.readRequestBody(r)
	if status != 0 {
		return nil, status, errors.New(msg)
	}
	dates := &locale.RequestDates{From: zone.Location, To: h.base, UTCFields: h.utcFields, TextFields: h.textFields}
	converted, err := selection.Rewrite(make([]byte, 0, len(body)), body, nil, dates, nil)
	if err != nil {
		return nil, http.StatusBadRequest, errors.New("the request body is not valid JSON")
	}
	passed := r.WithContext(r.Context())
	passed.Body = io.NopCloser(bytes.NewReader(converted))
	passed.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(converted)), nil }
	passed.ContentLength = int64(len(converted))
	passed.TransferEncoding = nil
	passed.Header = r.Header.Clone()
	passed.Header.Set("Content-Length", strconv.Itoa(len(converted)))
	return passed, 0, nil
}
