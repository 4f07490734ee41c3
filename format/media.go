package format

import (
	"mime"
	"strings"
)

// RequestTypes are the request body types the Agents endpoints read, as the
// reference pages list them: the JSON ones (an object of parameters), the
// XML ones (one element per parameter) and form data.
func RequestTypes() []string {
	return []string{ApplicationJSON, TextJSON, JSONPatch, MergePatch, ApplicationXML, TextXML, FormData}
}

// FormData is the form body type of the reference pages.
const FormData = "application/x-www-form-urlencoded"

// EventStream is the type of server-sent events, which pass untouched.
const EventStream = "text/event-stream"

// IsEventStream reports server-sent events, with or without parameters, in
// any case.
func IsEventStream(contentType string) bool {
	return baseType(contentType) == EventStream
}

// IsJSON reports a JSON media type: application/json, text/json or any
// +json type (RFC 6839), with or without parameters, in any case.
func IsJSON(contentType string) bool {
	mediaType := baseType(contentType)
	return mediaType == ApplicationJSON || mediaType == TextJSON ||
		strings.HasSuffix(mediaType, "+json") && strings.Contains(mediaType, "/")
}

// IsXML reports application/xml or text/xml, with or without parameters.
func IsXML(contentType string) bool {
	mediaType := baseType(contentType)
	return mediaType == ApplicationXML || mediaType == TextXML
}

// baseType is a Content-Type's type/subtype, lower-cased.
func baseType(contentType string) string {
	mediaType, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mediaType))
}

// InUTF8 returns contentType labelled for a body in UTF-8, which every
// answer chatgate transforms is: a charset parameter naming another
// (iso-8859-1, utf-16...) becomes charset=utf-8. A type without one, or
// that cannot be read, is returned as it is.
func InUTF8(contentType string) string {
	if !strings.Contains(contentType, ";") || strings.HasSuffix(contentType, "charset=utf-8") {
		return contentType // the usual labels, read without allocating
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	charset, ok := params["charset"]
	if err != nil || !ok || strings.EqualFold(charset, "utf-8") {
		return contentType
	}
	params["charset"] = "utf-8"
	if labelled := mime.FormatMediaType(mediaType, params); labelled != "" {
		return labelled
	}
	return contentType
}
