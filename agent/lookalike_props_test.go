package agent

import (
	"net/url"
	"strings"
	"testing"
)

// TestLookalikeNamesRefused: a property or query parameter spelled with a
// letter that Unicode case folding reads as ASCII ("ſtatus" for Status,
// U+212A, the Kelvin sign, for k) is refused where it names a known one: a
// backend that folds names so (Go's encoding/json) would read it as the
// property chatgate checked under its own spelling, and take its
// unchecked value (found by a probe). An unknown name of such letters
// stays, and two unknown names that fold to one are given twice.
func TestLookalikeNamesRefused(t *testing.T) {
	save := Chat().Method("SaveChatSessionEntity")
	for _, c := range []struct {
		body, refusal string
	}{
		{`{"chatSessionId":746,"status":"Closed","ſtatus":99}`, "look-alike of ChatSessionEntity.Status"},
		{`{"ChatSessionId":746,"ſtatus":99}`, "look-alike of ChatSessionEntity.Status"},
		{`{"ChatSessionId":746,"User":{"AssociateId":1,"Name":"x","ſ":1}}`, ""},
		{"{\"ChatSessionId\":746,\"ran\u212a\":1}", "look-alike of ChatSessionEntity.Rank"}, // the Kelvin sign
		{`{"ChatSessionId":746,"ſomething":1,"something":2}`, "given more than once"},
		{`{"ChatSessionId":746,"ſomething":1}`, ""},
	} {
		_, err := Decode(save, "application/json", []byte(c.body), nil, nil)
		switch {
		case c.refusal == "" && err != nil:
			t.Errorf("%s refused: %v", c.body, err)
		case c.refusal != "" && (err == nil || !strings.Contains(err.Error(), c.refusal)):
			t.Errorf("%s: %v; want a refusal saying %q", c.body, err, c.refusal)
		}
	}
	reset := Chat().Method("ResetChatSession")
	if reset == nil {
		t.Fatal("no ResetChatSession in the catalogue")
	}
	_, err := Decode(reset, "", nil, url.Values{"ChatSessionId": {"157"}, "chatſessionId": {"158"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "look-alike of ChatSessionId") || strings.Contains(err.Error(), "158") {
		t.Errorf("a look-alike query parameter: %v", err)
	}
	if _, err := Decode(reset, "", nil, url.Values{"ChatSessionId": {"157"}, "ſelect": {"x"}}, nil); err != nil {
		t.Errorf("an unknown look-alike query parameter refused: %v", err)
	}
}
