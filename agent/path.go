package agent

import "path"

// Endpoint reports whether the decoded request path names an endpoint of
// the agent below prefix: {prefix}/Agents/{Agent}/{name}. The comparison
// ignores ASCII case, allows one trailing slash, and runs on the cleaned
// path (repeated slashes collapsed, dot segments resolved), so a spelling
// the backend would route the same way cannot step around the endpoint's
// checks. name is the last segment as written, which need not be a method
// of the catalogue.
func (c *Catalog) Endpoint(prefix, requestPath string) (name string, ok bool) {
	base := c.base
	if len(requestPath) < len(prefix)+len(base) {
		return "", false // most requests end here, before any cleaning
	}
	cleaned := path.Clean(requestPath) // no allocation when already clean
	if len(cleaned) <= len(prefix)+len(base) || !EqualFold(cleaned[:len(prefix)], prefix) ||
		!EqualFold(cleaned[len(prefix):len(prefix)+len(base)], base) {
		return "", false
	}
	name = cleaned[len(prefix)+len(base):]
	for i := 0; i < len(name); i++ {
		if name[i] == '/' {
			return "", false
		}
	}
	return name, true
}
