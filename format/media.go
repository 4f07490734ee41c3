package format

import "strings"

// RequestTypes are the request body types the Agents endpoints read, as the
// reference pages list them: the JSON ones (an object of parameters), the
// XML ones (one element per parameter) and form data.
func RequestTypes() []string {
	return []string{ApplicationJSON, TextJSON, JSONPatch, MergePatch, ApplicationXML, TextXML, FormData}
}

// FormData is the form body type of the reference pages.
const FormData = "application/x-www-form-urlencoded"

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
