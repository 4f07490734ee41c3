package caddymodule

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// corsAny is the cors_origins value that allows every origin.
const corsAny = "*"

// corsMaxAge is how long, in seconds, a browser may keep a preflight's
// answer. Chromium keeps one at most 7200 s; ten minutes bounds how long a
// browser goes on using an answer after cors_origins changes.
const corsMaxAge = "600"

// The fixed preflight answers (Fetch standard, CORS protocol). Methods: the
// API's POST and GET (HEAD with it); another method is not listed, so the
// browser refuses it without asking.
const (
	corsAllowMethods  = "GET, HEAD, POST"
	corsPreflightVary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
	corsHeaderPrefix  = "Access-Control-"
)

// corsPolicy is what cors_origins allows: every origin, or the listed ones.
type corsPolicy struct {
	any     bool
	origins map[string]struct{} // canonical: lower case, no default port
}

// newCORSPolicy checks the cors_origins list: "*" alone, or origins of the
// form scheme://host[:port]. An empty list is no policy (nil).
func newCORSPolicy(list []string) (*corsPolicy, error) {
	if len(list) == 0 {
		return nil, nil
	}
	p := &corsPolicy{origins: make(map[string]struct{}, len(list))}
	for _, o := range list {
		if o == corsAny {
			p.any = true
			continue
		}
		canonical, err := canonicalOrigin(o)
		if err != nil {
			return nil, fmt.Errorf("cors_origins: %v", err)
		}
		p.origins[canonical] = struct{}{}
	}
	if p.any && len(p.origins) > 0 {
		return nil, fmt.Errorf("cors_origins: * allows every origin and stands alone, without a list of origins")
	}
	return p, nil
}

// canonicalOrigin checks that s is an origin as a browser serializes it in
// the Origin header (RFC 6454 6.1): scheme://host[:port], no user, path
// (not even "/"), query or fragment. It returns it in lower case without
// the scheme's default port, the form browsers send.
func canonicalOrigin(s string) (string, error) {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || !validScheme(scheme) || rest == "" {
		return "", fmt.Errorf("%q is not an origin: scheme://host[:port], such as https://app.example.com", s)
	}
	if strings.ContainsAny(rest, "/?#") {
		return "", fmt.Errorf("%q is not an origin: an origin has no path (not even /), query or fragment", s)
	}
	if strings.Contains(rest, "@") {
		return "", fmt.Errorf("%q is not an origin: an origin has no user name", s)
	}
	if strings.Contains(rest, "*") {
		return "", fmt.Errorf("%q is not an origin: wildcards in a host are not supported; list each origin, or * alone for every origin", s)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("%q is not an origin: scheme://host[:port], such as https://app.example.com", s)
	}
	host := strings.ToLower(u.Hostname())
	if !validOriginHost(host) {
		return "", fmt.Errorf("%q is not an origin: the host must be a DNS name (punycode for non-ASCII), an IPv4 or a bracketed IPv6 address", s)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	scheme = strings.ToLower(scheme)
	out := scheme + "://" + host
	if port := u.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q is not an origin: the port must be 1 to 65535", s)
		}
		if !(scheme == "http" && n == 80 || scheme == "https" && n == 443) {
			out += ":" + strconv.Itoa(n)
		}
	}
	return out, nil
}

// validScheme reports an RFC 3986 scheme: a letter, then letters, digits,
// "+", "-" and ".".
func validScheme(s string) bool {
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// validOriginHost reports an ASCII DNS name or an IP address (IPv6 without
// its brackets).
func validOriginHost(host string) bool {
	if strings.Contains(host, ":") {
		return net.ParseIP(host) != nil
	}
	if host == "" || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return false
	}
	for _, c := range host {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// allowed returns the value of Access-Control-Allow-Origin for a request
// that carries origins in its Origin header, or "" when it gets no CORS
// headers: no Origin, more than one, "null" (sandboxed frames, files: no
// page that can be named), or one not allowed.
func (p *corsPolicy) allowed(origins []string) string {
	if len(origins) != 1 || origins[0] == "" || origins[0] == "null" {
		return ""
	}
	origin := origins[0]
	if p.any {
		// Echoed, so it must be an origin and nothing else.
		if canonical, err := canonicalOrigin(origin); err != nil || canonical != origin {
			return ""
		}
		return origin
	}
	if _, ok := p.origins[origin]; ok {
		return origin
	}
	return ""
}

// cors is the pipeline's first stage. With cors_origins set, it makes the
// writer own the answer's CORS headers, and answers a preflight from an
// allowed origin: 204, before auth, as browsers send a preflight without
// credentials. It reports whether the request goes on.
func (h *Handler) cors(x *exchange) bool {
	if h.origins == nil {
		return true
	}
	rw, r := x.w, x.r
	rw.cors = true
	rw.corsOrigin = h.origins.allowed(r.Header["Origin"])
	if rw.corsOrigin == "" || r.Method != http.MethodOptions {
		return true
	}
	requested := r.Header["Access-Control-Request-Method"]
	if len(requested) == 0 {
		return true // an OPTIONS request of a page's own: the pipeline answers it
	}
	hdr := rw.Header()
	hdr["Access-Control-Allow-Origin"] = []string{rw.corsOrigin}
	hdr["Access-Control-Allow-Credentials"] = []string{"true"}
	hdr["Access-Control-Allow-Methods"] = []string{corsAllowMethods}
	if allowed := allowedRequestHeaders(r.Header["Access-Control-Request-Headers"]); allowed != "" {
		hdr["Access-Control-Allow-Headers"] = []string{allowed}
	}
	hdr["Access-Control-Max-Age"] = []string{corsMaxAge}
	hdr["Vary"] = append(hdr["Vary"], corsPreflightVary)
	rw.answered = true
	rw.ResponseWriterWrapper.WriteHeader(http.StatusNoContent)
	if c := h.logger.Check(zapcore.DebugLevel, "preflight answered"); c != nil {
		c.Write(zap.String("origin", rw.corsOrigin), zap.Strings("method", requested), zap.String("path", r.URL.Path))
	}
	return false
}

// allowedRequestHeaders lists, as the browser named them, the headers of
// Access-Control-Request-Headers that the clients send: Authorization,
// Content-Type, Accept, Accept-Language, X-XSRF-TOKEN and every SO- header.
// Echoing them, rather than a fixed list, is what lets SO-* stand for the
// whole family (with credentials, a browser reads "*" as a header named
// "*"). A header left out makes the browser refuse the request.
func allowedRequestHeaders(values []string) string {
	var b strings.Builder
	for _, v := range values {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if !corsRequestHeader(name) {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			b.WriteString(name)
		}
	}
	return b.String()
}

// corsRequestHeader reports a request header a page on an allowed origin
// may send.
func corsRequestHeader(name string) bool {
	for _, allowed := range []string{"Authorization", "Content-Type", "Accept", "Accept-Language", "X-XSRF-TOKEN"} {
		if strings.EqualFold(name, allowed) {
			return true
		}
	}
	return len(name) > len("SO-") && strings.EqualFold(name[:len("SO-")], "SO-") && validHeaderToken(name)
}

// ownCORS makes the CORS headers of an answer chatgate's own, just before
// they go out: the backend's Access-Control-* headers are removed, so its
// "*" cannot open the API to other origins, and an allowed origin gets
// Access-Control-Allow-Origin and Access-Control-Allow-Credentials. Every
// answer varies by Origin, so a shared cache keeps them apart.
func (rw *responseWriter) ownCORS(hdr http.Header) {
	for name := range hdr {
		if len(name) > len(corsHeaderPrefix) && strings.EqualFold(name[:len(corsHeaderPrefix)], corsHeaderPrefix) {
			delete(hdr, name)
		}
	}
	if !varies(hdr, "Origin") {
		hdr["Vary"] = append(hdr["Vary"], "Origin")
	}
	if rw.corsOrigin != "" {
		hdr["Access-Control-Allow-Origin"] = []string{rw.corsOrigin}
		hdr["Access-Control-Allow-Credentials"] = []string{"true"}
	}
}

// varies reports whether the Vary header names the request header name.
func varies(hdr http.Header, name string) bool {
	for _, v := range hdr.Values("Vary") {
		for field := range strings.SplitSeq(v, ",") {
			if f := strings.TrimSpace(field); f == "*" || strings.EqualFold(f, name) {
				return true
			}
		}
	}
	return false
}

// validHeaderToken reports an RFC 9110 token, the syntax of header and
// cookie names.
func validHeaderToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(c rune) bool { return !isTokenChar(c) }) < 0
}
