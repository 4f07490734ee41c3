package agent

import "testing"

func TestLenientReadsEverySpellingAsTheRoute(t *testing.T) {
	const want = "/api/v1/Agents/Chat/TransferChatSession"
	for _, escaped := range []string{
		"/api/v1/Agents/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSession;x=1",
		"/api/v1;jsessionid=1/Agents/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSession.",
		"/api/v1/Agents/Chat/TransferChatSession...",
		"/api/v1/Agents/Chat/TransferChatSession%20",
		"/api/v1/Agents/Chat/TransferChatSession%20.%20",
		"/api/v1/Agents/Chat/TransferChatSession%3Bx",
		"/api/v1/Agents/Chat/TransferChatSession%00.json",
		`/api/v1/Agents\Chat\TransferChatSession`,
		"/api/v1/Agents%5CChat%5CTransferChatSession",
		"/api/v1/Agents%2FChat%2FTransferChatSession",
		"/api/v1/Agents%252FChat%252FTransferChatSession",
		"/api//v1/./Agents/x/../Chat/TransferChatSession/",
		"/api/v1/x/..;/Agents/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSession%2e",
		"/api/v1/Agents%c0%afChat%c0%afTransferChatSession",
		"/api/v1/Agents%C1%9CChat/TransferChatSession%c0%ae",
		"/api/v1/Agents/Chat/x/%2e%2e/TransferChatSession",
		// blanks a Trim or a regex's "$" ignores, at either end of a segment
		"/api/v1/Agents/Chat/TransferChatSession%0a",
		"/api/v1/Agents/Chat/TransferChatSession%0D%0A",
		"/api/v1/Agents/Chat/TransferChatSession%0b%0c%1f",
		"/api/v1/Agents/Chat/TransferChatSession%C2%A0",
		"/api/v1/Agents/Chat/TransferChatSession%E3%80%80",
		"/api/v1/%20Agents/Chat/%0aTransferChatSession",
		// letters Unicode case folding reads as ASCII
		"/api/v1/Agent%C5%BF/Chat/TransferChatSession",
		"/api/v1/Agents/Chat/TransferChatSess%C4%B1on",
		// a server that decodes the path and parses it again as a URL
		"/api/v1/Agents/Chat/TransferChatSession%3Fx=1",
		"/api/v1/Agents/Chat/TransferChatSession%23x",
		"/api/v1/Agents/Chat/TransferChatSession%253Fx",
	} {
		if got := Lenient(escaped); got != want {
			t.Errorf("Lenient(%q) = %q; want %q", escaped, got, want)
		}
	}
}

func TestIsPlainPath(t *testing.T) {
	for _, tc := range []struct {
		path  string
		plain bool
	}{
		{"/api/v1/Agents/Chat/TransferChatSession", true},
		{"/api/v1/Agents/Chat/TransferChatSession/", true},
		{"/files/report.v2.json", true},
		{"/a/./b/../c", true},
		{"/caf%C3%A9/x", true},
		{"/a;b", false},
		{"/a%3bb", false},
		{"/a%2fb", false},
		{"/a%3Fb", false},
		{"/a%23b", false},
		{"/a%2Fb", false},
		{`/a\b`, false},
		{"/a%5Cb", false},
		{"/a.", false},
		{"/a./b", false},
		{"/a%20", false},
		{"/a%00", false},
		{"/a%252Fb", false},
		{"/a%2e", false},
		{"/a%c0%afb", false},
		{"/a%E0%80%AFb", false},
		{"/a/%2E%2E/b", false},
		{"/a%0a", false},
		{"/a%0d/b", false},
		{"/a%0Bb", false}, // a control character anywhere
		{"/a%7f", false},
		{"/a%C2%A0", false},
		{"/a%e3%80%80/b", false},
		{"/%20a", false},
		{"/x/%C2%A0a", false},
		{"/a%C3%A9", true},
		{"/%C3%A9a", true},
		{"/a%20b", true},
		{"/chat/%C5%BFessions", false},
		{"/pic%E2%84%AAup", false},
		{"/a%C4%B1b", false},
		{"/a%C4%B0b", false},
		{"/a%C4%87b", true},
		{"/a%E2%82%ACb", true},
	} {
		if got := IsPlainPath(tc.path); got != tc.plain {
			t.Errorf("IsPlainPath(%q) = %v; want %v", tc.path, got, tc.plain)
		}
	}
}

func TestTemplateMatchesPath(t *testing.T) {
	any := func(name string) (string, bool) { return name, true }
	tmpl, err := ParseTemplate("/chat/sessions/{ChatSessionId}/transfer/{ToAssociate}?x=1", any)
	if err != nil {
		t.Fatal(err)
	}
	prefixed, err := ParseTemplate("/legacy/s-{ChatSessionId}/a%20b/", any)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		tmpl  *Template
		path  string
		match bool
	}{
		{tmpl, "/chat/sessions/157/transfer/bob", true},
		{tmpl, "/CHAT/Sessions/157/TRANSFER/bob/", true},
		{tmpl, "/chat//sessions/157/./transfer/bob", true},
		{tmpl, "/chat/sessions/x/transfer/anything at all", true},
		{tmpl, "/chat/sessions/157/transfer", false},
		{tmpl, "/chat/sessions/157/transfer/", false},
		{tmpl, "/chat/sessions//transfer/bob", false},
		{tmpl, "/chat/sessions/1/2/transfer/bob", false},
		{tmpl, "/chat/sessions/157/transfer/bob/more", false},
		{tmpl, "/chat/sessions", false},
		{prefixed, "/legacy/s-9/a b", true},
		{prefixed, "/legacy/s-9/a b/", true},
		{prefixed, "/legacy/s-/a b", false},
		{prefixed, "/legacy/9/a b", false},
	} {
		if got := tc.tmpl.MatchesPath(tc.path); got != tc.match {
			t.Errorf("MatchesPath(%q) = %v; want %v", tc.path, got, tc.match)
		}
	}
}

func TestEndpoint(t *testing.T) {
	c := Chat()
	for _, tc := range []struct {
		path, name string
		ok         bool
	}{
		{"/api/v1/Agents/Chat/GetChatMessages", "GetChatMessages", true},
		{"/API/V1/agents/chat/getchatmessages/", "getchatmessages", true},
		{"/api/v1//Agents/./Chat/X", "X", true},
		{"/api/v1/Agents/Chat/", "", false},
		{"/api/v1/Agents/Chat/a/b", "", false},
		{"/api/v1/Agents/Other/X", "", false},
		{"/chat/sessions", "", false},
	} {
		if name, ok := c.Endpoint("/api/v1", tc.path); name != tc.name || ok != tc.ok {
			t.Errorf("Endpoint(%q) = %q, %v; want %q, %v", tc.path, name, ok, tc.name, tc.ok)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.Endpoint("/api/v1", "/api/v1/Agents/Chat/GetChatMessages") }); n != 0 {
		t.Errorf("Endpoint allocates %v times", n)
	}
}

// IsPlainPath runs on every request: it allocates nothing, whatever the
// path's escapes.
func TestIsPlainPathAllocatesNothing(t *testing.T) {
	for _, p := range []string{"/api/v1/Agents/Chat/TransferChatSession", "/caf%C3%A9/x%20y/%C5%BFz%0a", "/a%E3%80%80/b"} {
		if allocs := testing.AllocsPerRun(100, func() { IsPlainPath(p) }); allocs != 0 {
			t.Errorf("IsPlainPath(%q): %v allocations", p, allocs)
		}
	}
}
