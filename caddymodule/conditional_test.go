package caddymodule

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// request is a GET or HEAD of target with headers, given as name, value.
func request(method, target string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// A range of the backend's bytes is no range of the transformed answer:
// a transformed request asks the backend for the whole, and the client gets
// it; an untransformed one passes its range, and the 206, untouched.
func TestRangeRequests(t *testing.T) {
	h := provisioned(t, Handler{})
	ranged := func() *fakeNext {
		var next *fakeNext
		next = &fakeNext{respond: func(w http.ResponseWriter, r *http.Request) error {
			next.lastHeader = r.Header.Clone()
			w.Header().Set("Content-Type", "application/json")
			if r.Header.Get("Range") != "" {
				w.Header().Set("Content-Range", "bytes 0-4/13")
				w.WriteHeader(http.StatusPartialContent)
				_, _ = w.Write([]byte(`{"a":`))
				return nil
			}
			_, _ = w.Write([]byte(`{"a":1,"b":2}`))
			return nil
		}}
		return next
	}
	for _, tc := range []struct {
		name, target, accept string
		wantStatus           int
		wantBody             string
		wantRange            bool // the backend got Range and If-Range
	}{
		{"$select", "/x?$select=a", "", 200, `{"a":1,"b":null}`, false},
		{"XML", "/x", "application/xml", 200, `<a>1</a><b>2</b>`, false},
		{"nothing to transform", "/x", "", 206, `{"a":`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := ranged()
			req := request("GET", tc.target, "Range", "bytes=0-4", "If-Range", `"v1"`)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			rec := serve(h, next, req)
			if rec.Code != tc.wantStatus || !strings.Contains(rec.Body.String(), tc.wantBody) {
				t.Fatalf("answer %d %s; want %d %s", rec.Code, rec.Body, tc.wantStatus, tc.wantBody)
			}
			if got := next.lastHeader.Get("Range") != "" && next.lastHeader.Get("If-Range") != ""; got != tc.wantRange {
				t.Fatalf("the backend got Range %q, If-Range %q", next.lastHeader.Get("Range"), next.lastHeader.Get("If-Range"))
			}
			if (rec.Header().Get("Content-Range") != "") != tc.wantRange {
				t.Fatalf("Content-Range %q", rec.Header().Get("Content-Range"))
			}
			if req.Header.Get("Range") == "" {
				t.Fatal("the client's own request was changed")
			}
		})
	}
}
