package agent

import (
	"fmt"
	"net/url"
	"strings"
)

// Caller is the placeholder of a route template that stands for the
// caller's identity.
const Caller = "caller"

// Template is a backend route such as
// "/legacy/sessions/{ChatSessionId}/transfer?to={ToAssociate}". Values are
// escaped as one path segment in the path and query-escaped in the query,
// so no value can add a path segment or a query parameter, and a value that
// would make a "." or ".." segment is refused, so no value can climb the
// backend's paths.
type Template struct {
	path, query []part
	decoded     []part // path with its literals percent-decoded, for matching request paths
	names       []string
}

type part struct {
	literal string
	name    string // a placeholder's name; "" for a literal
}

// ParseTemplate checks a route template: an absolute path with an optional
// query, whose placeholders are names that name accepts (ASCII
// case-insensitively), each written as name returns it.
func ParseTemplate(tmpl string, name func(string) (string, bool)) (*Template, error) {
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
	if t.path, err = t.parseParts(p, name); err != nil {
		return nil, fmt.Errorf("route %q: %v", tmpl, err)
	}
	if t.query, err = t.parseParts(q, name); err != nil {
		return nil, fmt.Errorf("route %q: %v", tmpl, err)
	}
	for _, p := range t.path {
		if p.name == "" {
			lit, err := url.PathUnescape(p.literal)
			if err != nil {
				return nil, fmt.Errorf("route %q is not a valid URL path", tmpl)
			}
			p.literal = lit
		}
		t.decoded = append(t.decoded, p)
	}
	// The literal text must already be a valid URL path and query.
	samplePath, sampleQuery, err := t.Expand(func(string) (string, bool) { return "x", true })
	if err != nil {
		return nil, fmt.Errorf("route %q must not have . or .. segments", tmpl)
	}
	if u, err := url.ParseRequestURI(samplePath + "?" + sampleQuery); err != nil || u.Host != "" {
		return nil, fmt.Errorf("route %q is not a valid URL path", tmpl)
	}
	return &t, nil
}

func (t *Template) parseParts(s string, name func(string) (string, bool)) ([]part, error) {
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
		written := s[open+1 : open+end]
		canonical, ok := name(written)
		if !ok {
			return nil, fmt.Errorf("unknown placeholder {%s}", written)
		}
		parts = append(parts, part{name: canonical})
		t.names = append(t.names, canonical)
		s = s[open+end+1:]
	}
	return parts, nil
}

// Uses reports whether the template has the placeholder name.
func (t *Template) Uses(name string) bool {
	for _, n := range t.names {
		if n == name {
			return true
		}
	}
	return false
}

// MissingValueError is a placeholder Expand has no value for.
type MissingValueError struct{ Name string }

func (e *MissingValueError) Error() string {
	return fmt.Sprintf("the backend route needs %s, which the request does not give", e.Name)
}

// Expand fills the template with values. It returns the escaped path and
// the raw query (empty when the template has none). A placeholder without
// a value is a *MissingValueError in the path, or for {caller}; in the query
// it is written empty ("after="), as a client leaves out an optional
// parameter.
func (t *Template) Expand(value func(name string) (string, bool)) (escapedPath, rawQuery string, err error) {
	if escapedPath, err = expand(t.path, value, url.PathEscape, false); err != nil {
		return "", "", err
	}
	// PathEscape leaves dots alone and escapes every "/", so a dot segment
	// here is either the operator's literal or a whole value.
	for _, seg := range strings.Split(escapedPath, "/") {
		if seg == "." || seg == ".." {
			return "", "", &Error{Message: fmt.Sprintf("a value makes a %q path segment in the backend route", seg)}
		}
	}
	rawQuery, err = expand(t.query, value, url.QueryEscape, true)
	return escapedPath, rawQuery, err
}

func expand(parts []part, value func(string) (string, bool), escape func(string) string, inQuery bool) (string, error) {
	var b strings.Builder
	for _, p := range parts {
		if p.name == "" {
			b.WriteString(p.literal)
			continue
		}
		v, ok := value(p.name)
		if !ok && (!inQuery || p.name == Caller) {
			return "", &MissingValueError{Name: p.name}
		}
		b.WriteString(escape(v))
	}
	return b.String(), nil
}
