package caddymodule

import (
	"net/http"
	"net/url"
	"strings"

	selection "github.com/chatgate/chatgate/select"
)

// transform is what a request asked chatgate to do to its answer. The
// transforms run together in a single pass over the body.
type transform struct {
	selection *selection.Selection
}

// apply appends the transformed body to dst.
func (t *transform) apply(dst, body []byte) ([]byte, error) {
	return t.selection.Project(dst, body)
}

// selectParam is the query parameter of the reference pages' projection.
const selectParam = "$select"

// planTransform reads what the request asks of its answer. It returns the
// transform (nil when nothing is asked, or for HEAD, whose answer has no
// body) and the request to pass on, without the parameters chatgate has
// handled, so that the backend does not apply them a second time. A
// malformed $select is a *selection.Error.
func (h *Handler) planTransform(r *http.Request) (*transform, *http.Request, error) {
	if r.URL.RawQuery == "" {
		return nil, r, nil
	}
	rawValues, rest := splitQuery(r.URL.RawQuery, isSelectParam)
	if rawValues == nil {
		return nil, r, nil
	}
	values := make([]string, len(rawValues))
	for i, raw := range rawValues {
		v, err := url.QueryUnescape(raw)
		if err != nil {
			return nil, nil, &selection.Error{Message: "$select is not valid percent-encoding"}
		}
		values[i] = v
	}
	sel, err := selection.Parse(values, h.MaxSelect)
	if err != nil {
		return nil, nil, err
	}
	passed := r.WithContext(r.Context()) // a shallow copy
	u := *r.URL
	u.RawQuery = rest
	passed.URL = &u
	if sel == nil || r.Method == http.MethodHead {
		return nil, passed, nil
	}
	// The answer may have to be decoded to be transformed: the backend may
	// only use codings chatgate reads. Other answers still come compressed.
	if ae := r.Header.Get("Accept-Encoding"); ae != "" {
		passed.Header = r.Header.Clone()
		if readable := readableCodings(ae); readable != "" {
			passed.Header.Set("Accept-Encoding", readable)
		} else {
			passed.Header.Del("Accept-Encoding")
		}
	}
	return &transform{selection: sel}, passed, nil
}

// readableCodings keeps the entries of an Accept-Encoding that decodeContent
// reads, with their q-values; "*" and unknown codings go.
func readableCodings(acceptEncoding string) string {
	var kept []string
	for entry := range strings.SplitSeq(acceptEncoding, ",") {
		coding, _, _ := strings.Cut(entry, ";")
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip", "deflate", "zstd", "identity":
			kept = append(kept, strings.TrimSpace(entry))
		}
	}
	return strings.Join(kept, ", ")
}

func isSelectParam(name string) bool { return strings.EqualFold(name, selectParam) }

// splitQuery takes the parameters whose (decoded) names take reports out of
// a raw query. It returns their raw values, nil if there were none, and the
// rest of the query with every other pair as it was written.
func splitQuery(rawQuery string, take func(name string) bool) (taken []string, rest string) {
	found := false
	for pair := range strings.SplitSeq(rawQuery, "&") {
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil && take(k) {
			found = true
			break
		}
	}
	if !found {
		return nil, rawQuery
	}
	var kept []string
	for pair := range strings.SplitSeq(rawQuery, "&") {
		key, value, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil && take(k) {
			taken = append(taken, value)
			continue
		}
		kept = append(kept, pair)
	}
	return taken, strings.Join(kept, "&")
}
