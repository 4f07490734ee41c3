package chat

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestBackendMessage(t *testing.T) {
	long := strings.Repeat("é", MaxErrorMessage+10)
	for _, tc := range []struct {
		name, contentType, body, want string
	}{
		{"error", "application/json", `{"error":"db down"}`, "db down"},
		{"message", "application/json; charset=utf-8", `{"code":7,"message":"no such session"}`, "no such session"},
		{"Message", "application/json", `{"Message":"An error has occurred.","MessageDetail":"x"}`, "An error has occurred."},
		{"SuperOffice error body", "application/json", `{"Error":true,"ErrorType":"SoNotFoundException","ErrorMessage":"Session 5 not found","ErrorSource":"SuperOffice"}`, "Session 5 not found"},
		{"ErrorMessage before message", "application/json", `{"message":"b","ErrorMessage":"a"}`, "a"},
		{"keys any case", "application/json", `{"ERROR":"x"}`, "x"},
		{"problem details", "application/problem+json", `{"type":"about:blank","title":"Conflict","detail":"already taken"}`, "already taken"},
		{"nested error object", "application/json", `{"error":{"code":"E1","message":"quota exceeded"}}`, "quota exceeded"},
		{"non-string skipped", "application/json", `{"error":true,"message":"real"}`, "real"},
		{"blank skipped", "application/json", `{"error":"  ","detail":"d"}`, "d"},
		{"JSON string", "application/json", `"plain json"`, "plain json"},
		{"JSON without message", "application/json", `{"status":500}`, ""},
		{"JSON array", "application/json", `["x"]`, ""},
		{"invalid JSON", "application/json", `{"error":"db do`, ""},
		{"multi-line message", "application/json", `{"error":"first\nsecond"}`, "first"},
		{"controls dropped", "application/json", `{"error":"a\u0007b\u0085c"}`, "abc"},
		{"long message cut", "application/json", `{"error":"` + long + `"}`, strings.Repeat("é", MaxErrorMessage) + "…"},
		{"plain text", "text/plain; charset=utf-8", "  upstream timeout \n", "upstream timeout"},
		{"plain text first line", "text/plain", "\n\nbad thing happened\n  at main.go:12\n", "bad thing happened"},
		{"no content type", "", "gone fishing", "gone fishing"},
		{"JSON as text", "text/plain", `{"message":"m"}`, "m"},
		{"html page", "text/html; charset=utf-8", "<html><body><h1>502 Bad Gateway</h1></body></html>", ""},
		{"html untyped", "", "<!DOCTYPE html><html><title>x</title></html>", ""},
		{"html as text/plain", "text/plain", "<html>oops</html>", ""},
		{"xml", "application/xml", "<Error><Message>x</Message></Error>", ""},
		{"binary", "application/octet-stream", "db down", ""},
		{"invalid UTF-8", "text/plain", "db \xff down", ""},
		{"malformed content type", "text/plain; charset", "x", ""},
		{"empty", "application/json", "", ""},
		{"blank", "text/plain", " \r\n\t", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BackendMessage(tc.contentType, []byte(tc.body))
			if got != tc.want {
				t.Fatalf("BackendMessage = %q; want %q", got, tc.want)
			}
			if utf8.RuneCountInString(got) > MaxErrorMessage+1 || strings.ContainsAny(got, "\r\n<") && tc.want == "" {
				t.Fatalf("BackendMessage = %q: not one bounded line", got)
			}
		})
	}
}

// FuzzBackendMessage: whatever a backend answers, the message is one line of
// at most MaxErrorMessage characters (and the ellipsis), with no control
// character, and nothing of an HTML page.
func FuzzBackendMessage(f *testing.F) {
	f.Add("application/json", `{"error":"db down"}`)
	f.Add("text/plain", "a\nb")
	f.Add("text/html", "<html>x</html>")
	f.Add("", `{"error":{"message":"m"}}`)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		got := BackendMessage(contentType, []byte(body))
		if utf8.RuneCountInString(got) > MaxErrorMessage+1 || !utf8.ValidString(got) ||
			strings.ContainsFunc(got, unicode.IsControl) || got != strings.TrimSpace(got) {
			t.Fatalf("BackendMessage(%q, %q) = %q", contentType, body, got)
		}
		if strings.HasPrefix(strings.TrimSpace(body), "<") && got != "" {
			t.Fatalf("BackendMessage(%q, %q) = %q: a page's text", contentType, body, got)
		}
	})
}
