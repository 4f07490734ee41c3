package caddymodule

import (
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/format"
	"github.com/chatgate/chatgate/internal/jsonpass"
	"github.com/chatgate/chatgate/locale"
	selection "github.com/chatgate/chatgate/select"
)

// transform is what a request asked chatgate to do to its answer: project
// it, and rewrite its dates and texts for the reader. The transforms run
// together in a single pass over the body.
type transform struct {
	shape     selection.Shape      // nil: the answer is not shaped to a type
	selection *selection.Selection // nil: every property
	strings   *locale.Rewriter     // nil: no dates or texts to rewrite
	xmlRoot   string               // "": the answer stays JSON
	result    []string             // an agent route's result field: the answer is in it
	headOnly  bool                 // a HEAD: no body, only the headers its GET's answer would have
	variant   string               // the mark of the zone and language that shaped the answer (variantMark); "" for none
}

// Kinds of transform, as chatgate_transforms_total counts them.
const (
	kindSelect   = "select"
	kindTimeZone = "timezone"
	kindLanguage = "language"
	kindXML      = "xml"
)

// kinds lists what t does to an answer.
func (t *transform) kinds() []string {
	kinds := make([]string, 0, 4)
	if t.selection != nil {
		kinds = append(kinds, kindSelect)
	}
	if t.strings != nil && t.strings.Zone != nil {
		kinds = append(kinds, kindTimeZone)
	}
	if t.strings != nil && t.strings.Language != "" {
		kinds = append(kinds, kindLanguage)
	}
	if t.xmlRoot != "" {
		kinds = append(kinds, kindXML)
	}
	return kinds
}

// apply appends the transformed body to dst: $select, dates, texts,
// shaping and XML in one pass of the JSON engine.
func (t *transform) apply(dst, body []byte) ([]byte, error) {
	p := passes.Get().(*jsonpass.Pass)
	defer passes.Put(p)
	return p.Append(dst, body, t.options())
}

// options are t as the JSON engine's plugs.
func (t *transform) options() jsonpass.Options {
	opt := jsonpass.Options{Select: t.selection.Node(), Shape: t.shape, XMLRoot: t.xmlRoot}
	if t.strings != nil { // a nil *Rewriter must not become a non-nil interface
		opt.Rewriter = t.strings
	}
	return opt
}

// passes keeps the JSON engine's scratch buffers between answers.
var passes = sync.Pool{New: func() any { return new(jsonpass.Pass) }}

// selectParam is the query parameter of the reference pages' projection.
const selectParam = "$select"

// maxSelectBytes bounds a request's $select text (as sent, all parameters
// together): room for max_select's default 256 paths of 256 bytes.
const maxSelectBytes = 64 << 10

// planTransform reads what the request asks of its answer: $select,
// SO-TimeZone, a language and XML. It returns the transform (nil when
// nothing is asked; a HEAD's gets only the headers), the client's time zone
// (for the request's own dates), and the request to pass on without what
// chatgate has handled ($select, SO-TimeZone, SO-Language; an Accept for XML
// becomes one for JSON), so that the backend does not apply it a second
// time, and with a range and conditions the backend can answer (see
// passConditions). A malformed $select is a *selection.Error; an unknown
// zone another error naming it.
//
// An agent call (m not nil) always gets a transform: its answer is shaped to
// the method's return type, XML is named after that type, and an agent
// route's result field is taken out.
func (h *Handler) planTransform(r *http.Request, answer format.Choice, m *agent.Method, p *placeholders) (*transform, *locale.TimeZone, *http.Request, error) {
	sel, selectText, rest, hasSelect, err := h.readSelect(r.URL.RawQuery)
	if err != nil {
		return nil, nil, nil, err
	}
	strs, zone, err := h.requestLocale(r)
	if err != nil {
		return nil, nil, nil, err
	}
	p.setTransform(selectText, zone, strs)
	_, hasTZ := r.Header[keyTimeZone]
	_, hasLang := r.Header[keyLanguage]
	if !hasSelect && !hasTZ && !hasLang && strs == nil && !answer.XML && m == nil {
		return nil, nil, r, nil
	}
	passed := r.WithContext(r.Context()) // a shallow copy
	if hasSelect {
		u := *r.URL
		u.RawQuery = rest
		passed.URL = &u
	}
	cloned := false
	edit := func() http.Header { // the passed request's own headers, copied once
		if !cloned {
			passed.Header, cloned = r.Header.Clone(), true
		}
		return passed.Header
	}
	if hasTZ || hasLang {
		edit().Del(headerTimeZone)
		edit().Del(headerLanguage)
	}
	if answer.XML { // the backend speaks JSON; chatgate writes the XML
		edit().Set("Accept", format.ApplicationJSON)
	}
	if sel == nil && strs == nil && !answer.XML && m == nil {
		return nil, zone, passed, nil
	}
	// The answer may have to be decoded to be transformed: the backend may
	// only use codings chatgate reads. Other answers still come compressed.
	if ae := r.Header.Get("Accept-Encoding"); ae != "" {
		if readable := readableCodings(ae); readable != "" {
			edit().Set("Accept-Encoding", readable)
		} else {
			edit().Del("Accept-Encoding")
		}
	}
	t := &transform{selection: sel, strings: strs, headOnly: r.Method == http.MethodHead}
	if strs != nil || answer.XML {
		// The zone, the language and XML shape the answer's bytes, through
		// headers a cache keys by Vary alone: its tag is marked with them
		// (answerTag), so no variant is revalidated as another.
		t.variant = variantMark(r.Header)
	}
	passConditions(r, t.variant, edit)
	if m != nil {
		t.shape = h.shapes.Of(m.Returns)
		if route := h.agentRoutes[m]; route != nil {
			t.result = route.result
		}
	}
	if answer.XML {
		t.xmlRoot = h.xmlRoot(r, m)
	}
	return t, zone, passed, nil
}

// readSelect reads every $select parameter of a raw query. It returns the
// selection (nil: everything), its decoded text, the query without them,
// and whether there were any. Repeated parameters merge as one list.
func (h *Handler) readSelect(rawQuery string) (sel *selection.Selection, text, rest string, found bool, err error) {
	if rawQuery == "" {
		return nil, "", "", false, nil
	}
	rawValues, rest := splitQuery(rawQuery, isSelectParam)
	if rawValues == nil {
		return nil, "", rawQuery, false, nil
	}
	text = rawValues[0]
	if len(rawValues) > 1 {
		text = strings.Join(rawValues, ",")
	}
	if len(text) > maxSelectBytes {
		return nil, "", "", false, &selection.Error{Message: fmt.Sprintf("$select is longer than %d bytes", maxSelectBytes)}
	}
	if text, err = url.QueryUnescape(text); err != nil {
		return nil, "", "", false, &selection.Error{Message: "$select is not valid percent-encoding"}
	}
	sel, err = h.selections.Parse(text)
	return sel, text, rest, true, err
}

// readableCodings keeps the entries of an Accept-Encoding that decodeContent
// reads, with their q-values; "*" and unknown codings go.
func readableCodings(acceptEncoding string) string {
	var kept []string
	for entry := range strings.SplitSeq(acceptEncoding, ",") {
		if coding, _, _ := strings.Cut(entry, ";"); strings.TrimSpace(coding) != "" && readsContent(coding) {
			kept = append(kept, strings.TrimSpace(entry))
		}
	}
	return strings.Join(kept, ", ")
}

// passConditions makes the range and conditions of a request whose answer
// is transformed ones the backend can answer. A range of the backend's
// bytes is no range of the transformed answer: Range and If-Range go, and
// the client gets the whole answer, 200 (RFC 9110 14.2 lets a server
// ignore Range). A GET or HEAD's If-None-Match keeps only the entity tags
// chatgate gave this request's variant (backendTags), so that the backend's
// 304 stands for the answer this request would get; when none is left,
// If-Modified-Since goes too: beside an If-None-Match the backend was to
// ignore it (RFC 9110 13.1.3), and it must not become the condition.
func passConditions(r *http.Request, variant string, edit func() http.Header) {
	for _, name := range []string{"Range", "If-Range"} {
		if _, ok := r.Header[name]; ok {
			edit().Del(name)
		}
	}
	list, ok := r.Header["If-None-Match"]
	if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
		return
	}
	if tags := backendTags(strings.Join(list, ","), variant); tags != "" {
		edit().Set("If-None-Match", tags)
		return
	}
	edit().Del("If-None-Match")
	edit().Del("If-Modified-Since")
}

// backendTags is the If-None-Match list of a request whose answer is
// transformed as the backend gets it: "*" as it is; of the entity tags,
// those chatgate gave this request's variant, each as the strong tag the
// backend sent (answerTag made it weak and marked it). If-None-Match
// compares weakly (RFC 9110 13.1.2), so a backend that follows the RFC
// matches either form, and one that compares text matches the tag it sent.
// The tags of other variants go, and for a variant that headers shaped so
// do unmarked ones: they name an answer of the same URL shaped otherwise,
// or one chatgate passed untouched, and cannot be told apart.
func backendTags(list, variant string) string {
	if strings.TrimSpace(list) == "*" {
		return "*"
	}
	var kept []string
	for _, opaque := range opaqueTags(list) {
		if tag, mark := splitMark(opaque); mark == variant {
			kept = append(kept, `"`+tag+`"`)
		}
	}
	return strings.Join(kept, ", ")
}

// opaqueTags reads the entity tags of an If-None-Match list (RFC 9110
// 8.8.3), each without its weakness and quotes, up to anything that is not
// one.
func opaqueTags(list string) []string {
	var tags []string
	for {
		list = strings.TrimPrefix(strings.TrimLeft(list, " \t,"), "W/")
		if !strings.HasPrefix(list, `"`) {
			return tags
		}
		end := strings.IndexByte(list[1:], '"')
		if end < 0 {
			return tags
		}
		tags = append(tags, list[1:1+end])
		list = list[2+end:]
	}
}

// answerTag is the entity tag of a transformed answer made from the
// backend's etag, "" for a malformed one (dropped). It is weak, as the
// answer's bytes are not the backend's (RFC 9110 8.8.1), and carries the
// variant's mark: each answer that request headers shape needs a tag of its
// own at its URL (RFC 9110 8.8.3.3), as a cache revalidates a stored answer
// whose Vary does not match a request with that answer's tag (Chromium
// does), and must then get a 304 only if it holds this request's answer.
func answerTag(etag, variant string) string {
	opaque := strings.TrimPrefix(etag, "W/")
	if len(opaque) < 2 || opaque[0] != '"' || strings.IndexByte(opaque[1:], '"') != len(opaque)-2 {
		return ""
	}
	return `W/"` + opaque[1:len(opaque)-1] + variant + `"`
}

// variantPrefix begins the mark of a variant ("cg" for chatgate), which
// ends with 16 hex digits.
const variantPrefix = "-cg"

// variantMark is the mark of the answer the request headers named by Vary
// ask for: a hash of their values, so that two requests get one mark only
// when a cache would take their answers for one.
func variantMark(h http.Header) string {
	sum := fnv.New64a()
	for _, name := range varyHeaders {
		for _, value := range h.Values(name) {
			_, _ = io.WriteString(sum, value)
			_, _ = sum.Write([]byte{'\n'}) // never in a header value
		}
		_, _ = sum.Write([]byte{0})
	}
	return fmt.Sprintf("%s%016x", variantPrefix, sum.Sum64())
}

// splitMark splits an opaque tag into the backend's tag and chatgate's
// variant mark, "" when it has none.
func splitMark(opaque string) (tag, mark string) {
	i := len(opaque) - len(variantPrefix) - 16
	if i < 0 || !strings.HasPrefix(opaque[i:], variantPrefix) ||
		strings.TrimLeft(opaque[i+len(variantPrefix):], "0123456789abcdef") != "" {
		return opaque, ""
	}
	return opaque[:i], opaque[i:]
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
