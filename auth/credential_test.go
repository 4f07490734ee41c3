package auth

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestParseAuthorization(t *testing.T) {
	for _, tc := range []struct {
		name, header string
		want         Credential
		wantErr      error // nil: accepted
	}{
		{"reference Basic sample", "Basic dGplMDpUamUw", Credential{Basic, "tje0", "Tje0"}, nil},
		{"Basic in any case", "bAsIc " + b64("ann:pw"), Credential{Basic, "ann", "pw"}, nil},
		{"Basic with spaces around", "  Basic   " + b64("ann:pw") + " ", Credential{Basic, "ann", "pw"}, nil},
		{"Basic empty password", "Basic " + b64("ann:"), Credential{Basic, "ann", ""}, nil},
		{"Basic colon in password", "Basic " + b64("ann:a:b"), Credential{Basic, "ann", "a:b"}, nil},
		{"Basic unicode user", "Basic " + b64("bjørn:pw"), Credential{Basic, "bjørn", "pw"}, nil},
		{"SOTicket", "SOTicket 7T:abc==", Credential{Scheme: SoTicket}, nil},
		{"SoTicket", "SoTicket 123T:x", Credential{Scheme: SoTicket}, nil},
		{"soticket lower", "soticket 7T:abc", Credential{Scheme: SoTicket}, nil},
		{"Bearer", "Bearer eyJhbGciOi.x-y_z~+/=", Credential{Scheme: Bearer}, nil},
		{"BEARER", "BEARER t", Credential{Scheme: Bearer}, nil},

		{"empty", "", Credential{}, errMalformedHeader},
		{"scheme only", "Basic", Credential{}, ErrNoCredential},
		{"scheme and spaces", "Bearer   ", Credential{}, ErrNoCredential},
		{"unknown scheme", "Digest username=x", Credential{}, ErrUnknownScheme},
		{"token without scheme", "abcdef", Credential{}, ErrUnknownScheme},
		{"Basic not base64", "Basic ann:pw", Credential{}, ErrMalformedBasic},
		{"Basic unpadded", "Basic " + strings.TrimRight(b64("ann:p"), "="), Credential{}, ErrMalformedBasic},
		{"Basic no colon", "Basic " + b64("ann"), Credential{}, ErrMalformedBasic},
		{"Basic empty user", "Basic " + b64(":pw"), Credential{}, ErrMalformedBasic},
		{"Basic control in user", "Basic " + b64("a\nb:pw"), Credential{}, ErrMalformedBasic},
		{"Basic control in password", "Basic " + b64("ann:p\x00w"), Credential{}, ErrMalformedBasic},
		{"Basic two parts", "Basic " + b64("a:b") + " " + b64("c:d"), Credential{}, ErrMalformedBasic},
		{"SoTicket no digits", "SoTicket T:abc", Credential{}, ErrMalformedTicket},
		{"SoTicket letters", "SoTicket 7x:abc", Credential{}, ErrMalformedTicket},
		{"SoTicket lower t", "SoTicket 7t:abc", Credential{}, ErrMalformedTicket},
		{"SoTicket nothing after", "SoTicket 7T:", Credential{}, ErrMalformedTicket},
		{"SoTicket space inside", "SoTicket 7T:ab c", Credential{}, ErrMalformedTicket},
		{"SoTicket tab inside", "SoTicket 7T:ab\tc", Credential{}, ErrMalformedTicket},
		{"Bearer space inside", "Bearer ab c", Credential{}, ErrMalformedBearer},
		{"Bearer control", "Bearer ab\x01c", Credential{}, ErrMalformedBearer},
		{"Bearer unicode space", "Bearer ab\u00a0c", Credential{}, ErrMalformedBearer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAuthorization(tc.header)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("ParseAuthorization(%q) = %+v, %v; want %+v, %v", tc.header, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// FuzzParseAuthorization: never a panic; an accepted Basic credential has a
// user; every error is one of the fixed ones, so none can carry the
// header's text. (Checking that the message does not contain the header
// fails on headers that happen to be part of a fixed message, such as
// "Bas ": the seed corpus keeps that one.)
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{"Basic dGplMDpUamUw", "SoTicket 7T:abc==", "Bearer x", "Basic", "basic Og=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		cred, err := ParseAuthorization(header)
		if err != nil {
			fixed := []error{ErrNoCredential, ErrUnknownScheme, ErrMalformedBasic, ErrMalformedTicket, ErrMalformedBearer, errMalformedHeader}
			if !slices.Contains(fixed, err) {
				t.Fatalf("error %q for %q is not one of the fixed errors", err, header)
			}
			return
		}
		if cred.Scheme == Basic && cred.User == "" {
			t.Fatalf("Basic with no user from %q", header)
		}
	})
}
