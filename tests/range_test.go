package tests

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRangesThroughTheGateway: a request that asks for a transform (a
// browser's Accept-Language is a language) still gets the 206 of an
// answer no transform reads, a video, through reverse_proxy over HTTP/1.1
// and HTTP/2; and the whole transformed answer, 200, when the range was
// of JSON: reverse_proxy is asked again, without the range.
func TestRangesThroughTheGateway(t *testing.T) {
	clip := bytes.Repeat([]byte("0123456789"), 100)
	session := `{"When":"2021-07-15T12:00:00","N":1}`
	modified := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/clip" {
			w.Header().Set("Content-Type", "video/mp4")
			http.ServeContent(w, r, "", modified, bytes.NewReader(clip))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		http.ServeContent(w, r, "", modified, strings.NewReader(session))
	}))
	gw := streamGatewayWith(t, be, "chatgate {\n\t\tbase_timezone Europe/Oslo\n\t}", "")
	for proto, client := range clients() {
		get := func(path string, headers ...string) (*http.Response, string) {
			req, _ := http.NewRequest("GET", gw.URL+path, nil)
			req.Header.Set("Authorization", "Bearer e2e-token")
			req.Header.Set("Accept-Language", "en-US,en;q=0.9")
			req.Header.Set("Range", "bytes=10-19")
			for i := 0; i+1 < len(headers); i += 2 {
				req.Header.Set(headers[i], headers[i+1])
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", proto, path, err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatalf("%s %s: %v", proto, path, err)
			}
			return res, string(body)
		}
		be.take()
		res, body := get("/clip")
		if asked := be.take(); res.StatusCode != 206 || body != "0123456789" || res.Header.Get("Content-Range") != "bytes 10-19/1000" ||
			len(asked) != 1 || asked[0].Header.Get("Range") != "bytes=10-19" {
			t.Errorf("%s video: %d %q %v; the backend was asked %d times", proto, res.StatusCode, body, res.Header, len(asked))
		}
		res, body = get("/session", "SO-TimeZone", "US-NY")
		asked := be.take()
		if res.StatusCode != 200 || body != `{"When":"2021-07-15T06:00:00","N":1}` || res.Header.Get("Content-Range") != "" ||
			len(asked) != 2 || asked[0].Header.Get("Range") != "bytes=10-19" || asked[1].Header.Get("Range") != "" {
			t.Errorf("%s JSON: %d %q %v; the backend was asked %d times", proto, res.StatusCode, body, res.Header, len(asked))
		}
	}
}
