package auth

import (
	"encoding/base64"
	"testing"
)

func TestBasicUser(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name, header, want string
		ok                 bool
	}{
		{"reference sample", "Basic dGplMDpUamUw", "tje0", true},
		{"scheme case", "bAsIc " + b64("ann:pw"), "ann", true},
		{"extra spaces", "Basic   " + b64("ann:pw"), "ann", true},
		{"empty password", "Basic " + b64("ann:"), "ann", true},
		{"colon in password", "Basic " + b64("ann:a:b"), "ann", true},
		{"no colon", "Basic " + b64("ann"), "", false},
		{"empty user", "Basic " + b64(":pw"), "", false},
		{"not base64", "Basic ann:pw", "", false},
		{"no credential", "Basic", "", false},
		{"other scheme", "Bearer " + b64("ann:pw"), "", false},
		{"empty", "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := BasicUser(tc.header)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("BasicUser(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
			}
		})
	}
}
