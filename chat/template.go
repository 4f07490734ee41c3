package chat

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Template is a backend route such as
// "/legacy/sessions/{ChatSessionId}/transfer?to={ToAssociate}". Values are
// path-escaped in the path and query-escaped in the query, so no value can
// add a path segment or a query parameter, and a value that would make a
// "." or ".." segment is refused, so no value can climb the backend's paths.
type Template struct {
	path, query []part
	decoded     []part // path with its literals percent-decoded, for matching request paths
}

type part struct {
	literal string
	field   string // FieldChatSessionID or FieldToAssociate; "" for a literal
}

// ParseTemplate checks a route template. It must be an absolute path, with
// an optional query, holding only the placeholders in allowed.
func ParseTemplate(tmpl string, allowed ...string) (*Template, error) {
	if !strings.HasPrefix(tmpl, "/") {
		return nil, fmt.Errorf("route %q must start with /", tmpl)
	}
	if strings.HasPrefix(tmpl, "//") {
		return nil, fmt.Errorf("route %q is not a valid URL path: it must not start with //", tmpl)
	}
	if strings.Contains(tmpl, "#") {
		return nil, fmt.Errorf("route %q must not have a fragment", tmpl)
	}
	p, q, _ := strings.Cut(tmpl, "?")
	var t Template
	var err error
	if t.path, err = parseParts(p, allowed); err != nil {
		return nil, fmt.Errorf("route %q: %v", tmpl, err)
	}
	if t.query, err = parseParts(q, allowed); err != nil {
		return nil, fmt.Errorf("route %q: %v", tmpl, err)
	}
	for _, p := range t.path {
		if p.field == "" {
			lit, err := url.PathUnescape(p.literal)
			if err != nil {
				return nil, fmt.Errorf("route %q is not a valid URL path", tmpl)
			}
			p.literal = lit
		}
		t.decoded = append(t.decoded, p)
	}
	// The literal text must already be a valid URL path and query.
	samplePath, sampleQuery, err := t.Expand(Request{ChatSessionID: 1, ToAssociate: "x"})
	if err != nil {
		return nil, fmt.Errorf("route %q must not have . or .. segments", tmpl)
	}
	if u, err := url.ParseRequestURI(samplePath + "?" + sampleQuery); err != nil || u.Host != "" {
		return nil, fmt.Errorf("route %q is not a valid URL path", tmpl)
	}
	return &t, nil
}

func parseParts(s string, allowed []string) ([]part, error) {
	var parts []part
	for s != "" {
		open := strings.IndexByte(s, '{')
		if closeAt := strings.IndexByte(s, '}'); closeAt >= 0 && (open < 0 || closeAt < open) {
			return nil, fmt.Errorf("unmatched }")
		}
		if open < 0 {
			parts = append(parts, part{literal: s})
			break
		}
		if open > 0 {
			parts = append(parts, part{literal: s[:open]})
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("unmatched {")
		}
		name := s[open+1 : open+end]
		if !slices.Contains(allowed, name) {
			return nil, fmt.Errorf("unknown placeholder {%s}; this route may use %s", name, placeholderList(allowed))
		}
		parts = append(parts, part{field: name})
		s = s[open+end+1:]
	}
	return parts, nil
}

// Expand fills the template with a request's values. It returns the escaped
// path and the raw query (empty when the template has none).
func (t *Template) Expand(r Request) (escapedPath, rawQuery string, err error) {
	escapedPath = expand(t.path, r, url.PathEscape)
	// PathEscape leaves dots alone and escapes every "/", so a dot segment
	// here is either the operator's literal or a whole value.
	for _, seg := range strings.Split(escapedPath, "/") {
		if seg == "." || seg == ".." {
			return "", "", badRequest("%s makes a %q path segment in the backend route", FieldToAssociate, seg)
		}
	}
	return escapedPath, expand(t.query, r, url.QueryEscape), nil
}

func expand(parts []part, r Request, escape func(string) string) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.field {
		case "":
			b.WriteString(p.literal)
		case FieldChatSessionID:
			b.WriteString(strconv.FormatInt(int64(r.ChatSessionID), 10))
		case FieldToAssociate:
			b.WriteString(escape(r.ToAssociate))
		}
	}
	return b.String()
}

func placeholderList(names []string) string {
	if len(names) == 0 {
		return "no placeholders"
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "{" + n + "}"
	}
	return strings.Join(quoted, " and ")
}
