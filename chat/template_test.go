package chat

import (
	"strings"
	"testing"
)

func TestTemplate(t *testing.T) {
	both := []string{FieldChatSessionID, FieldToAssociate}
	for _, tc := range []struct {
		name, tmpl          string
		allowed             []string
		req                 Request
		wantPath, wantQuery string
		wantErr             string
		wantExpandErr       string
	}{
		{name: "id", tmpl: "/legacy/sessions/{ChatSessionId}", allowed: both[:1],
			req: Request{ChatSessionID: 157}, wantPath: "/legacy/sessions/157"},
		{name: "both", tmpl: "/s/{ChatSessionId}/to/{ToAssociate}", allowed: both,
			req: Request{ChatSessionID: 1, ToAssociate: "a/b c?d%e"}, wantPath: "/s/1/to/a%2Fb%20c%3Fd%25e"},
		{name: "query", tmpl: "/s/{ChatSessionId}/transfer?to={ToAssociate}&x=1", allowed: both,
			req: Request{ChatSessionID: 2, ToAssociate: "a&b=c d"}, wantPath: "/s/2/transfer", wantQuery: "to=a%26b%3Dc+d&x=1"},
		{name: "no placeholders", tmpl: "/legacy/transfer", allowed: both,
			req: Request{ChatSessionID: 2}, wantPath: "/legacy/transfer"},
		{name: "dot value", tmpl: "/s/{ToAssociate}/x", allowed: both,
			req: Request{ChatSessionID: 2, ToAssociate: ".."}, wantExpandErr: `ToAssociate makes a ".." path segment`},
		{name: "dots inside a value", tmpl: "/s/{ToAssociate}/x", allowed: both,
			req: Request{ChatSessionID: 2, ToAssociate: "a..b"}, wantPath: "/s/a..b/x"},
		{name: "relative", tmpl: "legacy/{ChatSessionId}", allowed: both, wantErr: "must start with /"},
		{name: "absolute url", tmpl: "//host/x", allowed: both, wantErr: "not a valid URL path"},
		{name: "fragment", tmpl: "/x#y", allowed: both, wantErr: "fragment"},
		{name: "unknown placeholder", tmpl: "/x/{Id}", allowed: both, wantErr: "unknown placeholder {Id}"},
		{name: "placeholder not allowed", tmpl: "/x/{ToAssociate}", allowed: both[:1], wantErr: "unknown placeholder {ToAssociate}"},
		{name: "unclosed", tmpl: "/x/{ChatSessionId", allowed: both, wantErr: "unmatched {"},
		{name: "stray close", tmpl: "/x/}", allowed: both, wantErr: "unmatched }"},
		{name: "literal dot segment", tmpl: "/x/../{ChatSessionId}", allowed: both, wantErr: ". or .. segments"},
		{name: "bad escape", tmpl: "/x/%zz", allowed: both, wantErr: "not a valid URL path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tc.tmpl, tc.allowed...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseTemplate(%q) error = %v; want %q", tc.tmpl, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTemplate(%q): %v", tc.tmpl, err)
			}
			p, q, err := tmpl.Expand(tc.req)
			if tc.wantExpandErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantExpandErr) {
					t.Fatalf("Expand error = %v; want %q", err, tc.wantExpandErr)
				}
				return
			}
			if err != nil || p != tc.wantPath || q != tc.wantQuery {
				t.Fatalf("Expand = %q, %q, %v; want %q, %q", p, q, err, tc.wantPath, tc.wantQuery)
			}
		})
	}
}
