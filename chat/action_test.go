package chat

import "testing"

func TestMatchPath(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, path string
		want               Action
		ok                 bool
	}{
		{"transfer", "/api/v1", "/api/v1/Agents/Chat/TransferChatSession", Transfer, true},
		{"accept", "/api/v1", "/api/v1/Agents/Chat/AcceptChatSessionTransfer", Accept, true},
		{"reject", "/api/v1", "/api/v1/Agents/Chat/RejectChatSessionTransfer", Reject, true},
		{"case", "/api/v1", "/API/V1/agents/CHAT/transferchatsession", Transfer, true},
		{"trailing slash", "/api/v1", "/api/v1/Agents/Chat/TransferChatSession/", Transfer, true},
		{"double slash", "/api/v1", "/api/v1//Agents//Chat/TransferChatSession", Transfer, true},
		{"dot segments", "/api/v1", "/api/v1/x/../Agents/./Chat/TransferChatSession", Transfer, true},
		{"root prefix", "", "/Agents/Chat/RejectChatSessionTransfer", Reject, true},
		{"other prefix", "/gw", "/gw/agents/chat/acceptchatsessiontransfer", Accept, true},
		{"wrong prefix", "/api/v1", "/api/v2/Agents/Chat/TransferChatSession", 0, false},
		{"prefix only", "/api/v1", "/api/v1", 0, false},
		{"longer path", "/api/v1", "/api/v1/Agents/Chat/TransferChatSession/x", 0, false},
		{"suffix", "/api/v1", "/api/v1/Agents/Chat/TransferChatSessions", 0, false},
		{"no prefix", "/api/v1", "/Agents/Chat/TransferChatSession", 0, false},
		{"prefix glued", "/api/v1", "/api/v1Agents/Chat/TransferChatSession", 0, false},
		{"short", "/api/v1", "/", 0, false},
		{"long s is not s", "/api/v1", "/api/v1/Agents/Chat/TransferChatSeſſion", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MatchPath(tc.prefix, tc.path)
			if got != tc.want || ok != tc.ok {
				t.Fatalf("MatchPath(%q, %q) = %v, %v; want %v, %v", tc.prefix, tc.path, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestParseAction(t *testing.T) {
	for _, a := range Actions {
		got, ok := ParseAction(a.Name())
		if !ok || got != a {
			t.Errorf("ParseAction(%q) = %v, %v", a.Name(), got, ok)
		}
	}
	if _, ok := ParseAction("close"); ok {
		t.Error(`ParseAction("close") succeeded`)
	}
}

func TestMatchPathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		MatchPath("/api/v1", "/api/v1/Agents/Chat/TransferChatSession/")
		MatchPath("/api/v1", "/api/v1/Chat/Sessions/12345678901234567890")
	})
	if allocs != 0 {
		t.Fatalf("MatchPath allocated %v times per run", allocs)
	}
}
