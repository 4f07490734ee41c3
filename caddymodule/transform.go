package caddymodule

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"

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
	// rangePassed: the request's one range went to the backend (passConditions),
	// since the answer may be of another type, passed untouched; a 206 of
	// JSON is asked for again without it (askAgain)
	rangePassed bool
	client      syscall.RawConn // the client's TCP socket, corked around the answer's large writes (clientSocket); nil: none
}

// transformKinds names the kinds of transform, as chatgate_transforms_total
// counts them; the kind* constants index it.
var transformKinds = [...]string{kindSelect: "select", kindTimeZone: "timezone", kindLanguage: "language", kindXML: "xml"}

// Kinds of transform (transformKinds).
const (
	kindSelect = iota
	kindTimeZone
	kindLanguage
	kindXML
)

// does reports whether t does the kind of transform kind to an answer.
func (t *transform) does(kind int) bool {
	switch kind {
	case kindSelect:
		return t.selection != nil
	case kindTimeZone:
		return t.strings != nil && t.strings.Zone != nil
	case kindLanguage:
		return t.strings != nil && t.strings.Language != ""
	case kindXML:
		return t.xmlRoot != ""
	}
	return false
}

// kinds lists what t does to an answer, by name.
func (t *transform) kinds() []string {
	var kinds []string
	for kind, name := range transformKinds {
		if t.does(kind) {
			kinds = append(kinds, name)
		}
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
	passed, cloned := r, false
	edit := func() http.Header { // the passed request's own headers, copied once
		if !cloned {
			if passed == r {
				passed = r.WithContext(r.Context()) // a shallow copy
			}
			passed.Header, cloned = r.Header.Clone(), true
		}
		return passed.Header
	}
	if !hasSelect && !hasTZ && !hasLang && strs == nil && !answer.XML && m == nil {
		passConditions(r, nil, edit) // changes r only if they hold chatgate's tags
		return nil, nil, passed, nil
	}
	passed = r.WithContext(r.Context()) // a shallow copy, as edit makes
	if hasSelect {
		u := *r.URL
		u.RawQuery = rest
		passed.URL = &u
	}
	if hasTZ || hasLang {
		edit().Del(keyTimeZone) // (canonical keys: no key made per request)
		edit().Del(keyLanguage)
	}
	if answer.XML { // the backend speaks JSON; chatgate writes the XML
		edit().Set("Accept", format.ApplicationJSON)
	}
	if sel == nil && strs == nil && !answer.XML && m == nil {
		passConditions(r, nil, edit)
		return nil, zone, passed, nil
	}
	// The answer may have to be decoded to be transformed: the backend may
	// only use codings chatgate reads. Other answers still come compressed.
	// The header is always sent: without one, Go's transport would ask for
	// gzip itself and hand over the answer decoded, its Content-Length and
	// Content-Encoding gone, past chatgate's checks of both.
	readable := readableCodings(strings.Join(r.Header.Values("Accept-Encoding"), ","))
	if readable == "" {
		readable = "identity"
	}
	edit().Set("Accept-Encoding", readable)
	t := &transform{selection: sel, strings: strs, headOnly: r.Method == http.MethodHead}
	if strs != nil || answer.XML {
		// The zone, the language and XML shape the answer's bytes, through
		// headers a cache keys by Vary alone: its tag is marked with them
		// (answerTag), so no variant is revalidated as another.
		t.variant = variantMark(r.Header)
	}
	passConditions(r, t, edit)
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
// reads, with their q-values; "*", unknown codings and refusals (q=0) go.
// A refusal is the client's of its own answer, which chatgate makes: the
// backend may always answer in a coding chatgate reads, identity too
// (identity;q=0 alone left it none).
func readableCodings(acceptEncoding string) string {
	var kept []string
	for entry := range strings.SplitSeq(acceptEncoding, ",") {
		coding, params, _ := strings.Cut(entry, ";")
		if strings.TrimSpace(coding) != "" && readsContent(coding) && !refused(params) {
			kept = append(kept, strings.TrimSpace(entry))
		}
	}
	return strings.Join(kept, ", ")
}

// refused reports the parameters of an Accept-Encoding entry whose q-value
// is 0 (RFC 9110 12.4.2: "not acceptable"), in any of its spellings.
func refused(params string) bool {
	for param := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(name), "q") {
			value = strings.TrimSpace(value)
			return value != "" && strings.Trim(value, "0.") == ""
		}
	}
	return false
}

// passConditions makes the range and conditions of a request ones the
// backend can answer; t is the request's transform, nil for none. No
// backend gets a tag chatgate marked (answerTag), which it never issued:
//
//   - A range of the backend's bytes is no range of a transformed answer,
//     but the answer may be of a type no transform reads (an image, a
//     video), whose 206 passes untouched: one range goes to the backend
//     (t.rangePassed), and a 206 of JSON is asked for again without it
//     (Handler.forward), so the client gets the whole answer, 200 (RFC
//     9110 14.2 lets a server ignore Range). Several ranges of an answer
//     to transform go (a multipart answer does not say its parts' type),
//     and so does the range of another method than GET and HEAD (which
//     has none, RFC 9110 14.2, and whose body is read once).
//     An If-Range with chatgate's (weak) tag is false (RFC 9110 13.1.5):
//     both go, and the backend sends the whole answer, as it would have.
//   - If-Match compares strongly (RFC 9110 13.1.1), and a tag chatgate gave
//     is weak: it never matches. It reaches the backend as the backend's
//     tag made weak (W/"v1"), which cannot match either; a write so stays
//     conditional, and fails as it would at chatgate.
//   - A GET or HEAD's If-None-Match keeps the tags chatgate gave this
//     request's variant (backendTags), so that the backend's 304 stands for
//     the answer this request would get; without a transform, chatgate's
//     tags name none of its answers and go. When none is left,
//     If-Modified-Since goes too: beside an If-None-Match the backend was to
//     ignore it (RFC 9110 13.1.3), and it must not become the condition.
//   - Another method's If-None-Match gets the tags the backend issued for
//     chatgate's, of any variant: the condition holds only while the
//     backend's answer is not the one the client saw, never more often.
func passConditions(r *http.Request, t *transform, edit func() http.Header) {
	ranges, hasRange := r.Header["Range"]
	if _, marked := retag(strings.Join(r.Header["If-Range"], ","), keepSent); marked ||
		t != nil && hasRange && (len(ranges) != 1 || strings.Contains(ranges[0], ",") ||
			r.Method != http.MethodGet && r.Method != http.MethodHead) {
		for _, name := range []string{"Range", "If-Range"} {
			if _, ok := r.Header[name]; ok {
				edit().Del(name)
			}
		}
	} else if t != nil && hasRange {
		t.rangePassed = true
	}
	if list, ok := r.Header["If-Match"]; ok {
		if tags, marked := retag(strings.Join(list, ","), weakIssued); marked {
			edit().Set("If-Match", tags)
		}
	}
	list, ok := r.Header["If-None-Match"]
	if !ok {
		return
	}
	tags, marked := "", false
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		if tags, marked = retag(strings.Join(list, ","), issuedAny); marked {
			edit().Set("If-None-Match", tags)
		}
		return
	case t != nil:
		tags = backendTags(strings.Join(list, ","), t.variant)
	default:
		if tags, marked = retag(strings.Join(list, ","), unmarked); !marked {
			return // as sent
		}
	}
	if tags != "" {
		edit().Set("If-None-Match", tags)
		return
	}
	edit().Del("If-None-Match")
	edit().Del("If-Modified-Since")
}

// backendTags is the If-None-Match list of a request whose answer is
// transformed as the backend gets it: "*" as it is; of the entity tags,
// those chatgate gave this request's variant, each as the backend issued
// it (answerTag made it weak and marked it, and marked a weak one as weak),
// so that a backend comparing text matches the tag it sent too.
// The tags of other variants go, and for a variant that headers shaped so
// do unmarked ones: they name an answer of the same URL shaped otherwise,
// or one chatgate passed untouched, and cannot be told apart. An unmarked
// tag in a variant no header shaped ($select alone) was the backend's
// strong tag.
func backendTags(list, variant string) string {
	if strings.TrimSpace(list) == "*" {
		return "*"
	}
	tags, _ := retag(list, func(_, issued entityTag, mark string) (entityTag, bool) {
		return issued, mark == variant
	})
	return tags
}

// entityTag is one entity tag of a condition (RFC 9110 8.8.3).
type entityTag struct {
	weak   bool
	opaque string // without its quotes
}

func (e entityTag) String() string {
	if e.weak {
		return `W/"` + e.opaque + `"`
	}
	return `"` + e.opaque + `"`
}

// retag is a condition's list of entity tags as the backend gets it: each
// tag the client sent, with the tag the backend issued for it and
// chatgate's variant mark (splitMark), becomes the tag keep returns, or
// none when keep says false. It reports whether any tag carried a mark of
// chatgate's. The list ends at anything that is not a tag ("*", a date).
func retag(list string, keep func(sent, issued entityTag, variant string) (entityTag, bool)) (tags string, marked bool) {
	var kept []string
	for _, sent := range entityTags(list) {
		opaque, variant, weak := splitMark(sent.opaque)
		marked = marked || variant != "" || weak
		if tag, ok := keep(sent, entityTag{weak: weak, opaque: opaque}, variant); ok {
			kept = append(kept, tag.String())
		}
	}
	return strings.Join(kept, ", "), marked
}

// isMarked tells whether chatgate gave a tag: a mark names its variant, or
// that the backend's tag was weak.
func isMarked(sent, issued entityTag) bool { return sent.opaque != issued.opaque }

// keepSent keeps every tag as the client sent it.
func keepSent(sent, _ entityTag, _ string) (entityTag, bool) { return sent, true }

// unmarked keeps the tags chatgate did not give, as sent.
func unmarked(sent, issued entityTag, _ string) (entityTag, bool) {
	return sent, !isMarked(sent, issued)
}

// issuedAny turns each tag chatgate gave into the one the backend issued.
func issuedAny(sent, issued entityTag, _ string) (entityTag, bool) {
	if isMarked(sent, issued) {
		return issued, true
	}
	return sent, true
}

// weakIssued turns each tag chatgate gave into the one the backend issued,
// made weak: weak, as chatgate's was, it matches no strong comparison.
func weakIssued(sent, issued entityTag, _ string) (entityTag, bool) {
	if isMarked(sent, issued) {
		issued.weak = true
		return issued, true
	}
	return sent, true
}

// entityTags reads the entity tags of a list (RFC 9110 8.8.3), up to
// anything that is not one.
func entityTags(list string) []entityTag {
	var tags []entityTag
	for {
		list = strings.TrimLeft(list, " \t,")
		weak := strings.HasPrefix(list, "W/")
		list = strings.TrimPrefix(list, "W/")
		if !strings.HasPrefix(list, `"`) {
			return tags
		}
		end := strings.IndexByte(list[1:], '"')
		if end < 0 {
			return tags
		}
		tags = append(tags, entityTag{weak: weak, opaque: list[1 : 1+end]})
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
// A weak etag is marked as weak too ("-cgw", before the variant's digits),
// so that the backend gets back the very tag it issued (splitMark).
func answerTag(etag, variant string) string {
	weak := strings.HasPrefix(etag, "W/")
	opaque := strings.TrimPrefix(etag, "W/")
	if len(opaque) < 2 || opaque[0] != '"' || strings.IndexByte(opaque[1:], '"') != len(opaque)-2 {
		return ""
	}
	mark := variant
	if weak {
		mark = variantPrefix + weakOrigin + strings.TrimPrefix(variant, variantPrefix)
	}
	return `W/"` + opaque[1:len(opaque)-1] + mark + `"`
}

// variantPrefix begins the mark of a variant ("cg" for chatgate), which
// ends with 16 hex digits. weakOrigin follows it when the backend's tag was
// weak, alone when no header shaped the answer: "-cgw", "-cgw<16 hex>".
// Tags issued before weakOrigin was marked read as the backend's strong
// tags, as they were then.
const (
	variantPrefix = "-cg"
	weakOrigin    = "w"
	markDigits    = 16
)

// variantMark is the mark of the answer the request headers named by Vary
// ask for: a hash of their values (64-bit FNV-1a), so that two requests get
// one mark only when a cache would take their answers for one.
func variantMark(h http.Header) string {
	const offset, prime = 14695981039346656037, 1099511628211
	sum := uint64(offset)
	for _, key := range varyKeys {
		for _, value := range h[key] {
			for i := range len(value) {
				sum = (sum ^ uint64(value[i])) * prime
			}
			sum = (sum ^ '\n') * prime // never in a header value
		}
		sum *= prime // a zero byte after each header's values
	}
	var mark [len(variantPrefix) + markDigits]byte
	copy(mark[:], variantPrefix)
	for i := len(mark) - 1; i >= len(variantPrefix); i-- {
		mark[i] = "0123456789abcdef"[sum&0xf]
		sum >>= 4
	}
	return string(mark[:])
}

// splitMark splits an opaque tag of chatgate's (answerTag) into the
// backend's, chatgate's variant mark ("" when it has none) and whether the
// backend's tag was weak. A tag without a mark is returned as it is.
func splitMark(opaque string) (tag, variant string, weak bool) {
	if i := len(opaque) - markDigits; i >= 0 && strings.TrimLeft(opaque[i:], "0123456789abcdef") == "" {
		switch rest := opaque[:i]; {
		case strings.HasSuffix(rest, variantPrefix):
			return rest[:len(rest)-len(variantPrefix)], variantPrefix + opaque[i:], false
		case strings.HasSuffix(rest, variantPrefix+weakOrigin):
			return rest[:len(rest)-len(variantPrefix+weakOrigin)], variantPrefix + opaque[i:], true
		}
	}
	if rest, ok := strings.CutSuffix(opaque, variantPrefix+weakOrigin); ok {
		return rest, "", true
	}
	return opaque, "", false
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
