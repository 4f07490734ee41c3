package caddymodule

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/chatgate/chatgate/format"
	"github.com/chatgate/chatgate/locale"
	selection "github.com/chatgate/chatgate/select"
)

// Request headers of the locale transforms, which the gateway handles and
// does not pass on.
const (
	headerTimeZone = "SO-TimeZone"
	headerLanguage = "SO-Language"
)

// Their keys in an http.Header, canonicalized once rather than per request.
var (
	keyTimeZone = http.CanonicalHeaderKey(headerTimeZone)
	keyLanguage = http.CanonicalHeaderKey(headerLanguage)
)

// localeConfig is the locale package's view of the locale options.
func (h *Handler) localeConfig() locale.Config {
	return locale.Config{BaseTimezone: h.BaseTimezone, TimezoneCodes: h.TimezoneCodes,
		UTCFields: h.UTCFields, TextFields: h.TextFields, DefaultLanguage: h.DefaultLanguage,
		LanguageCodes: h.LanguageCodes, StringsFile: h.StringsFile, OffsetFormat: h.OffsetFormat}
}

// provisionLocale loads the zones, the base zone and the languages once.
func (h *Handler) provisionLocale() error {
	l, err := locale.New(h.localeConfig())
	if err != nil {
		return err
	}
	h.locale, h.base = l, l.Base()
	return nil
}

// requestLocale reads SO-TimeZone, SO-Language and Accept-Language: the
// rewriter of the answer's strings and the client's zone, as
// locale.Locale.RewriterFor says.
func (h *Handler) requestLocale(r *http.Request) (*locale.Rewriter, *locale.TimeZone, error) {
	return h.locale.RewriterFor(r.Header)
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
	if ce := contentCoding(r.Header); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, http.StatusUnsupportedMediaType, errors.New("a Content-Encoding on a request body with dates to convert is not supported")
	}
	body, status, msg := h.readRequestBody(r)
	if status != 0 {
		return nil, status, errors.New(msg)
	}
	dates := h.locale.RequestDates(zone)
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
