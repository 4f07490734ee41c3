package caddymodule

import (
	"cmp"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// validating returns a backend whose answer has the entity tag "v1": 304
// to an If-None-Match that matches it by weak comparison (RFC 9110
// 13.1.2), else 200 with body.
func validating(header http.Header, body string) *fakeNext {
	return revalidated(`"v1"`, header, body, func(tag string) bool { return strings.TrimPrefix(tag, "W/") == `"v1"` })
}

// comparingText returns a backend whose answer has the entity tag etag,
// which compares an If-None-Match as text: 304 only to the very tag it
// issued.
func comparingText(etag string, header http.Header, body string) *fakeNext {
	return revalidated(etag, header, body, func(tag string) bool { return tag == etag })
}

// revalidated returns a backend whose answer has the entity tag etag: 304
// to an If-None-Match holding a tag that matches, else 200 with body.
func revalidated(etag string, header http.Header, body string, matches func(tag string) bool) *fakeNext {
	var next *fakeNext
	next = &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
		next.lastHeader = r.Header.Clone()
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("ETag", etag)
		for tag := range strings.SplitSeq(r.Header.Get("If-None-Match"), ",") {
			if matches(strings.TrimSpace(tag)) {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
		return nil
	}}
	return next
}

// request is a GET or HEAD of target with headers, given as name, value.
func request(method, target string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// A client that sends back the tag of the answer it holds gets a 304 with
// the headers of that answer: its tag, its Vary, its type.
func TestNotModifiedHasTheHeadersOfItsAnswer(t *testing.T) {
	h := provisioned(t, Handler{})
	jsonType := http.Header{"Content-Type": {"application/json"}}
	const body = `{"a":1,"b":"2021-07-15T12:00:00"}`
	for _, tc := range []struct {
		name, method, target string
		headers              []string
	}{
		{"$select", "GET", "/x?$select=a", nil},
		{"time zone", "GET", "/x", []string{"SO-TimeZone", "US-NY"}},
		{"everything", "GET", "/x?$select=a", []string{"SO-TimeZone", "utc", "SO-Language", "en", "Accept", "application/xml"}},
		{"XML", "GET", "/x", []string{"Accept", "text/xml"}},
		{"HEAD with a time zone", "HEAD", "/x?$select=b", []string{"SO-TimeZone", "US-NY"}},
		{"nothing to transform", "GET", "/x", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := serve(h, validating(jsonType, body), request(tc.method, tc.target, tc.headers...))
			if first.Code != 200 || first.Header().Get("ETag") == "" {
				t.Fatalf("first answer %d %v", first.Code, first.Header())
			}
			next := validating(jsonType, body)
			again := serve(h, next, request(tc.method, tc.target, append(tc.headers, "If-None-Match", first.Header().Get("ETag"))...))
			if again.Code != 304 || again.Body.Len() != 0 || next.lastHeader.Get("If-None-Match") != `"v1"` {
				t.Fatalf("answer %d %q; the backend got If-None-Match %q", again.Code, again.Body, next.lastHeader.Get("If-None-Match"))
			}
			for _, name := range []string{"ETag", "Vary"} {
				if got, want := again.Header().Values(name), first.Header().Values(name); strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("%s is %q on the 304, %q on the 200", name, got, want)
				}
			}
		})
	}
}

// A 304 of the backend's that says its type: made the transformed answer's
// when JSON, left as it is when not (its 200 would not be transformed).
func TestNotModifiedOfAType(t *testing.T) {
	h := provisioned(t, Handler{})
	for _, tc := range []struct {
		name, contentType, wantType, wantETag, wantVary string // wantETag: how the tag begins
	}{
		{"JSON for XML", "application/json", "application/xml; charset=utf-8", `W/"v1` + variantPrefix, varyValue}, // XML marks the tag
		{"another type", "text/plain", "text/plain", `"v1"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(304, http.Header{"Content-Type": {tc.contentType}, "Etag": {`"v1"`},
				"Content-Encoding": {"gzip"}, "Content-Length": {"20"}}, "")
			rec := serve(h, next, request("GET", "/x?$select=a", "Accept", "application/xml", "If-None-Match", `W/"v1"`))
			hdr := rec.Header()
			if rec.Code != 304 || hdr.Get("Content-Type") != tc.wantType || !strings.HasPrefix(hdr.Get("ETag"), tc.wantETag) ||
				hdr.Get("Vary") != tc.wantVary || hdr.Get("Content-Length") != "" {
				t.Fatalf("answer %d %v", rec.Code, hdr)
			}
			if tc.wantVary != "" && hdr.Get("Content-Encoding") != "" {
				t.Fatalf("the backend's coding stayed: %v", hdr)
			}
		})
	}
}

// What the backend gets of a client's conditions: for a transformed answer,
// only the tags of this request's variant, as the backend sent them.
func TestConditionsPassedOn(t *testing.T) {
	h := provisioned(t, Handler{})
	usNY := variantMark(http.Header{"So-Timezone": {"US-NY"}})
	utc := variantMark(http.Header{"So-Timezone": {"utc"}})
	for _, tc := range []struct {
		name, method, target string
		headers              []string
		wantTags, wantSince  string // If-None-Match, If-Modified-Since at the backend
	}{
		{"$select: the weakened tag", "GET", "/x?$select=a", []string{"If-None-Match", `W/"v1"`}, `"v1"`, ""},
		{"$select: a list", "GET", "/x?$select=a", []string{"If-None-Match", `W/"v1" ,"v2",W/"a,b"`}, `"v1", "v2", "a,b"`, ""},
		{"$select: *", "HEAD", "/x?$select=a", []string{"If-None-Match", "*"}, "*", ""},
		{"$select: another variant's tag", "GET", "/x?$select=a", []string{"If-None-Match", `W/"v1` + usNY + `"`, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, "", ""},
		{"zone: its own tag", "GET", "/x", []string{"SO-TimeZone", "US-NY", "If-None-Match", `W/"v1` + usNY + `"`}, `"v1"`, ""},
		{"zone: its own among others", "GET", "/x", []string{"SO-TimeZone", "US-NY", "If-None-Match", `"v1", W/"v1` + utc + `", W/"v1` + usNY + `"`}, `"v1"`, ""},
		{"zone: another zone's tag", "GET", "/x", []string{"SO-TimeZone", "US-NY", "If-None-Match", `W/"v1` + utc + `"`, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, "", ""},
		{"zone: the untransformed answer's tag", "GET", "/x", []string{"SO-TimeZone", "US-NY", "If-None-Match", `"v1"`}, "", ""},
		{"zone: a date alone", "GET", "/x", []string{"SO-TimeZone", "US-NY", "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, "", "Sat, 01 Jan 2000 00:00:00 GMT"},
		{"a malformed tag", "GET", "/x?$select=a", []string{"If-None-Match", `v1`}, "", ""},
		{"nothing to transform: as sent", "GET", "/x", []string{"If-None-Match", `W/"v1",  "v2"`, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, `W/"v1",  "v2"`, "Sat, 01 Jan 2000 00:00:00 GMT"},
		{"nothing to transform: a transformed answer's tag", "GET", "/x", []string{"If-None-Match", `W/"v1` + utc + `"`, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}, "", ""},
		{"a PUT's precondition: as sent", "PUT", "/x?$select=a", []string{"If-None-Match", `W/"v1"`}, `W/"v1"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
			req := request(tc.method, tc.target, tc.headers...)
			req.Header.Set("If-Match", `"v0"`)
			serve(h, next, req)
			got := next.lastHeader
			if got.Get("If-None-Match") != tc.wantTags || got.Get("If-Modified-Since") != tc.wantSince || got.Get("If-Match") != `"v0"` {
				t.Fatalf("the backend got If-None-Match %q, If-Modified-Since %q, If-Match %q; want %q, %q and as sent",
					got.Get("If-None-Match"), got.Get("If-Modified-Since"), got.Get("If-Match"), tc.wantTags, tc.wantSince)
			}
		})
	}
}

// A client whose request headers changed does not hold the answer its
// request now gets, whatever tag it sends: it gets the whole answer.
func TestAnotherVariantIsNotNotModified(t *testing.T) {
	h := provisioned(t, Handler{})
	jsonType := http.Header{"Content-Type": {"application/json"}}
	const body = `{"Id":1,"When":"2021-07-15T12:00:00"}`
	held := serve(h, validating(jsonType, body), request("GET", "/etag?$select=Id,When"))
	if held.Header().Get("ETag") != `W/"v1"` || held.Header().Get("Vary") != varyValue {
		t.Fatalf("the first answer's headers %v", held.Header())
	}
	for _, headers := range [][]string{
		{"SO-TimeZone", "UTC"},
		{"SO-TimeZone", "US-NY"},
		{"SO-Language", "en", "SO-TimeZone", "UTC"},
	} {
		rec := serve(h, validating(jsonType, body), request("GET", "/etag?$select=Id,When", append(headers, "If-None-Match", `W/"v1"`)...))
		tag := rec.Header().Get("ETag")
		if rec.Code != 200 || rec.Body.Len() == 0 || !strings.HasPrefix(tag, `W/"v1`+variantPrefix) || rec.Header().Get("Vary") != varyValue {
			t.Fatalf("%v: answer %d %q %v", headers, rec.Code, rec.Body, rec.Header())
		}
	}
}

func TestAnswerTag(t *testing.T) {
	mark := variantMark(http.Header{"So-Timezone": {"UTC"}})
	weakMark := variantPrefix + weakOrigin + strings.TrimPrefix(mark, variantPrefix)
	for _, tc := range []struct{ etag, variant, want string }{
		{`"v1"`, "", `W/"v1"`},
		{`W/"v1"`, "", `W/"v1` + variantPrefix + weakOrigin + `"`},
		{`"v1"`, mark, `W/"v1` + mark + `"`},
		{`W/"v1"`, mark, `W/"v1` + weakMark + `"`},
		{`W/""`, mark, `W/"` + weakMark + `"`},
		{`""`, mark, `W/"` + mark + `"`},
		{`"a-cg"`, "", `W/"a-cg"`},
		{`W/"a-cgw"`, "", `W/"a-cgw-cgw"`},
		{`W/"a` + mark + `"`, mark, `W/"a` + mark + weakMark + `"`},
		{`v1`, "", ""},
		{`"v1`, "", ""},
		{`"a"b"`, "", ""},
	} {
		if got := answerTag(tc.etag, tc.variant); got != tc.want {
			t.Errorf("answerTag(%s, %q) = %s; want %s", tc.etag, tc.variant, got, tc.want)
		}
		if tc.want == "" {
			continue
		}
		tag, variant, weak := splitMark(strings.Trim(strings.TrimPrefix(tc.want, "W/"), `"`))
		if issued := (entityTag{weak, tag}).String(); variant != tc.variant || issued != tc.etag {
			t.Errorf("splitMark of %s = %q, %q, %v", tc.want, tag, variant, weak)
		}
	}
	// Tags issued before a weak tag was marked as weak read as they were.
	for opaque, want := range map[string]entityTag{
		"v1" + mark: {false, "v1"}, "v1": {false, "v1"}, "v1-cg": {false, "v1-cg"}, "v1-cgx": {false, "v1-cgx"},
		"v1-cg0123456789ABCDEF": {false, "v1-cg0123456789ABCDEF"}, "v1-cg" + mark[4:]: {false, "v1-cg" + mark[4:]},
	} {
		if tag, _, weak := splitMark(opaque); (entityTag{weak, tag}) != want {
			t.Errorf("splitMark(%s) = %q, weak %v", opaque, tag, weak)
		}
	}
	if other := variantMark(http.Header{"So-Timezone": {"US-NY"}}); other == mark {
		t.Errorf("two zones, one mark %s", mark)
	}
}

// A range of the backend's bytes is no range of the transformed answer:
// a transformed request asks the backend for it (the answer may be of a
// type no transform reads, an image, whose 206 passes untouched), and
// for the whole when the 206 is of JSON, which the client gets whole;
// an untransformed one passes its range, and the 206, untouched. Several
// ranges of a transformed request never reach the backend: a multipart
// answer does not say its parts' type.
func TestRangeRequests(t *testing.T) {
	h := provisioned(t, Handler{})
	type seen struct{ rng, ifRange string }
	ranged := func(contentType string, asked *[]seen) *fakeNext {
		return &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
			*asked = append(*asked, seen{r.Header.Get("Range"), r.Header.Get("If-Range")})
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("X-Attempt", strconv.Itoa(len(*asked)))
			if r.Header.Get("Range") != "" {
				w.Header().Set("Content-Range", "bytes 0-4/13")
				w.Header().Set("X-Part", "1")
				w.WriteHeader(http.StatusPartialContent)
				_, _ = w.Write([]byte(`{"a":`))
				return nil
			}
			_, _ = w.Write([]byte(`{"a":1,"b":2}`))
			return nil
		}}
	}
	one, several := seen{"bytes=0-4", `"v1"`}, "bytes=0-1,3-4"
	for _, tc := range []struct {
		name, target, contentType, accept, rng string
		wantStatus                             int
		wantBody                               string
		wantAsked                              []seen
		method                                 string // "": GET
	}{
		{"$select", "/x?$select=a", "application/json", "", one.rng, 200, `{"a":1,"b":null}`, []seen{one, {}}, ""},
		{"XML", "/x", "application/json", "application/xml", one.rng, 200, `<a>1</a><b>2</b>`, []seen{one, {}}, ""},
		{"language, an image", "/x", "image/png", "", one.rng, 206, `{"a":`, []seen{one}, ""},
		{"$select, several ranges", "/x?$select=a", "application/json", "", several, 200, `{"a":1,"b":null}`, []seen{{}}, ""},
		{"nothing to transform", "/x", "application/json", "", one.rng, 206, `{"a":`, []seen{one}, ""},
		{"nothing to transform, several ranges", "/x", "application/json", "", several, 206, `{"a":`, []seen{{several, `"v1"`}}, ""},
		{"$select, a POST", "/x?$select=a", "application/json", "", one.rng, 200, `{"a":1,"b":null}`, []seen{{}}, "POST"},
		{"$select, a HEAD", "/x?$select=a", "application/json", "", one.rng, 200, ``, []seen{one, {}}, "HEAD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []seen
			req := request(cmp.Or(tc.method, "GET"), tc.target, "Range", tc.rng, "If-Range", `"v1"`)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			if strings.HasPrefix(tc.name, "language") {
				req.Header.Set("Accept-Language", "en-US,en;q=0.9")
			}
			rec := serve(h, ranged(tc.contentType, &asked), req)
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Fatalf("answer %d %s; want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if !slices.Equal(asked, tc.wantAsked) {
				t.Fatalf("the backend was asked %+v; want %+v", asked, tc.wantAsked)
			}
			partial := tc.wantStatus == 206
			if (rec.Header().Get("Content-Range") != "") != partial || (rec.Header().Get("X-Part") != "") != partial ||
				rec.Header().Get("X-Attempt") != strconv.Itoa(len(asked)) {
				t.Fatalf("header %v: not the last answer's", rec.Header())
			}
			if req.Header.Get("Range") == "" {
				t.Fatal("the client's own request was changed")
			}
		})
	}
}

// The backend gets back the tag it issued, weak or strong, whatever the
// transform: a backend comparing text answers 304 too.
func TestRevalidationSendsTheBackendItsOwnTag(t *testing.T) {
	h := provisioned(t, Handler{})
	jsonType := http.Header{"Content-Type": {"application/json"}}
	const body = `{"a":1,"b":"2021-07-15T12:00:00"}`
	for _, etag := range []string{`"v1"`, `W/"v1"`} {
		for _, tc := range []struct {
			name, method, target string
			headers              []string
		}{
			{"$select", "GET", "/x?$select=a", nil},
			{"time zone", "GET", "/x", []string{"SO-TimeZone", "US-NY"}},
			{"XML", "GET", "/x", []string{"Accept", "text/xml"}},
			{"HEAD with a language", "HEAD", "/x?$select=b", []string{"SO-Language", "en"}},
			{"nothing to transform", "GET", "/x", nil},
		} {
			t.Run(etag+" "+tc.name, func(t *testing.T) {
				first := serve(h, comparingText(etag, jsonType, body), request(tc.method, tc.target, tc.headers...))
				tag := first.Header().Get("ETag")
				if first.Code != 200 || tag == "" {
					t.Fatalf("first answer %d %v", first.Code, first.Header())
				}
				next := comparingText(etag, jsonType, body)
				again := serve(h, next, request(tc.method, tc.target, append(tc.headers, "If-None-Match", tag)...))
				if got := next.lastHeader.Get("If-None-Match"); again.Code != 304 || got != etag || again.Header().Get("ETag") != tag {
					t.Fatalf("answer %d, ETag %q (first %q); the backend got If-None-Match %q", again.Code, again.Header().Get("ETag"), tag, got)
				}
				// The tag is another variant's for any other zone.
				next = comparingText(etag, jsonType, body)
				other := serve(h, next, request(tc.method, tc.target, append(tc.headers, "SO-TimeZone", "Asia/Tokyo", "If-None-Match", tag)...))
				if other.Code != 200 || next.lastHeader.Get("If-None-Match") != "" {
					t.Fatalf("another zone: answer %d; the backend got If-None-Match %q", other.Code, next.lastHeader.Get("If-None-Match"))
				}
			})
		}
	}
}

// No backend gets a tag chatgate marked, which it never issued, whatever
// the request: without a transform chatgate's tags name none of the
// backend's answers; If-Match compares strongly and chatgate's weak tags
// never match, so they reach the backend as its own tags, weak, and still
// never match; another method's If-None-Match names the backend's tags.
func TestMarkedTagsDoNotReachTheBackend(t *testing.T) {
	h := provisioned(t, Handler{})
	nb := provisioned(t, Handler{DefaultLanguage: "nb"})
	utc := variantMark(http.Header{"So-Timezone": {"UTC"}})
	usNY := variantMark(http.Header{"So-Timezone": {"US-NY"}})
	weakUTC := variantPrefix + weakOrigin + strings.TrimPrefix(utc, variantPrefix)
	const since = "Sat, 01 Jan 2000 00:00:00 GMT"
	for _, tc := range []struct {
		name    string
		h       *Handler
		method  string
		target  string
		headers []string
		// at the backend: If-None-Match, If-Modified-Since, If-Match, Range
		wantNoneMatch, wantSince, wantMatch, wantRange string
	}{
		{"untransformed: marked and unmarked", h, "GET", "/x", []string{"If-None-Match", `W/"v1` + utc + `", W/"v1"`}, `W/"v1"`, "", "", ""},
		{"untransformed: a weak origin's mark", h, "GET", "/x", []string{"If-None-Match", `W/"v1-cgw", W/"v1` + weakUTC + `"`, "If-Modified-Since", since}, "", "", "", ""},
		{"untransformed: * as sent", h, "GET", "/x", []string{"If-None-Match", `*`, "If-Modified-Since", since}, "*", since, "", ""},
		{"no language, a default one", nb, "GET", "/x", []string{"SO-Language", "x", "If-None-Match", `W/"v1` + variantMark(http.Header{"So-Language": {"nb"}}) + `"`, "If-Modified-Since", since}, "", "", "", ""},
		{"no language, an unmarked tag", nb, "GET", "/x", []string{"SO-Language", "x", "If-None-Match", `"v1"`}, `"v1"`, "", "", ""},
		{"If-Match on a PUT with a zone", h, "PUT", "/x", []string{"SO-TimeZone", "UTC", "If-Match", `W/"v1` + utc + `"`}, "", "", `W/"v1"`, ""},
		{"If-Match: a list", h, "PUT", "/x", []string{"If-Match", `"v0", W/"v1` + usNY + `",W/"v2` + weakUTC + `", W/"v3-cgw"`}, "", "", `"v0", W/"v1", W/"v2", W/"v3"`, ""},
		{"If-Match: unmarked as sent", h, "PUT", "/x?$select=a", []string{"If-Match", `W/"v1" ,"v2"`}, "", "", `W/"v1" ,"v2"`, ""},
		{"If-Match: * as sent", h, "DELETE", "/x", []string{"If-Match", `*`}, "", "", "*", ""},
		{"If-Match on a transformed GET", h, "GET", "/x", []string{"SO-TimeZone", "UTC", "If-Match", `W/"v1` + utc + `"`}, "", "", `W/"v1"`, ""},
		{"If-Match on an untransformed GET", h, "GET", "/x", []string{"If-Match", `W/"v1` + utc + `"`}, "", "", `W/"v1"`, ""},
		{"a PUT's If-None-Match: the backend's tags", h, "PUT", "/x", []string{"SO-TimeZone", "US-NY", "If-None-Match", `W/"v1` + utc + `", W/"v2` + weakUTC + `", "v3"`, "If-Modified-Since", since}, `"v1", W/"v2", "v3"`, since, "", ""},
		{"a POST's If-None-Match: *", h, "POST", "/x", []string{"If-None-Match", `*`}, "*", "", "", ""},
		{"untransformed If-Range: marked", h, "GET", "/x", []string{"Range", "bytes=0-4", "If-Range", `W/"v1` + utc + `"`}, "", "", "", ""},
		{"untransformed If-Range: the backend's", h, "GET", "/x", []string{"Range", "bytes=0-4", "If-Range", `"v1"`}, "", "", "", "bytes=0-4"},
		{"untransformed If-Range: a date", h, "GET", "/x", []string{"Range", "bytes=0-4", "If-Range", since}, "", "", "", "bytes=0-4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := answering(200, http.Header{"Content-Type": {"application/json"}}, `{"a":1}`)
			req := request(tc.method, tc.target, tc.headers...)
			sent := req.Header.Clone()
			serve(tc.h, next, req)
			got := next.lastHeader
			if got.Get("If-None-Match") != tc.wantNoneMatch || got.Get("If-Modified-Since") != tc.wantSince ||
				got.Get("If-Match") != tc.wantMatch || got.Get("Range") != tc.wantRange {
				t.Fatalf("the backend got If-None-Match %q, If-Modified-Since %q, If-Match %q, Range %q; want %q, %q, %q, %q",
					got.Get("If-None-Match"), got.Get("If-Modified-Since"), got.Get("If-Match"), got.Get("Range"),
					tc.wantNoneMatch, tc.wantSince, tc.wantMatch, tc.wantRange)
			}
			for _, name := range []string{"If-None-Match", "If-Match", "If-Range"} {
				if strings.Contains(got.Get(name), variantPrefix) {
					t.Errorf("the backend got %s %q", name, got.Get(name))
				}
			}
			if strings.Join(req.Header.Values("If-None-Match"), "|") != strings.Join(sent.Values("If-None-Match"), "|") ||
				req.Header.Get("If-Match") != sent.Get("If-Match") {
				t.Error("the client's own request was changed")
			}
		})
	}
}

// TestVariantMarkIsStable: a variant's mark is the same from one release
// to the next (a cache revalidates the tags it holds with it), and
// canonical and sent spellings of a header's name are one header.
func TestVariantMarkIsStable(t *testing.T) {
	for _, c := range []struct {
		header http.Header
		mark   string
	}{
		{http.Header{}, "-cg4d25767f9dce13f5"},
		{http.Header{"So-Timezone": {"US-NY"}}, "-cg0832366e49458c41"},
		{http.Header{"So-Language": {"nb"}, "Accept": {"a", "b"}}, "-cg9779c9fe83cb4674"},
	} {
		if got := variantMark(c.header); got != c.mark {
			t.Errorf("%v: mark %s, was %s", c.header, got, c.mark)
		}
	}
	sent := http.Header{}
	sent.Add("SO-TimeZone", "US-NY")
	if got := variantMark(sent); got != "-cg0832366e49458c41" {
		t.Errorf("SO-TimeZone as sent: mark %s", got)
	}
	if n := testing.AllocsPerRun(10, func() { variantMark(sent) }); n > 1 {
		t.Errorf("%v allocations a mark", n)
	}
}
