package chat

import (
	"errors"
	"testing"

	"github.com/tidwall/gjson"
)

func TestRuleHolds(t *testing.T) {
	const owned = `{"ChatSessionId":1,"User":{"AssociateId":13,"Name":"TJE0","UserName":"tje0@example.com"},"TransferTo":null}`
	const pending = `{"ChatSessionId":1,"User":{"Name":"ANN"},"TransferTo":{"Name":"Bob","UserName":"bob.smith"}}`
	for _, tc := range []struct {
		name    string
		rule    Rule
		session string
		caller  string
		want    bool
		wantErr error
	}{
		{"transfer by owner", CallerOwns, owned, "tje0", true, nil},
		{"transfer by owner's user name", CallerOwns, owned, "TJE0@EXAMPLE.COM", true, nil},
		{"transfer by other", CallerOwns, owned, "bob", false, nil},
		{"transfer with no caller", CallerOwns, owned, "", false, nil},
		{"transfer of unowned session", CallerOwns, `{"User":null}`, "tje0", false, nil},
		{"transfer with User not an object", CallerOwns, `{"User":"tje0"}`, "tje0", false, nil},
		{"accept by target", CallerIsTarget, pending, "bob", true, nil},
		{"accept by target user name", CallerIsTarget, pending, "Bob.Smith", true, nil},
		{"reject by target", CallerIsTarget, pending, "BOB", true, nil},
		{"accept by owner", CallerIsTarget, pending, "ann", false, nil},
		{"reject when not transferred", CallerIsTarget, owned, "tje0", false, nil},
		{"accept, names in camel case", CallerIsTarget, `{"transferTo":{"name":"bob"}}`, "bob", true, nil},
		{"unicode case", CallerOwns, `{"User":{"Name":"BJØRN"}}`, "bjørn", true, nil},
		{"name as number", CallerOwns, `{"User":{"Name":5}}`, "5", false, nil},
		{"array", CallerOwns, `[` + owned + `]`, "tje0", false, ErrSessionNotObject},
		{"invalid", CallerOwns, `{"User":`, "tje0", false, ErrSessionNotObject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.rule.Holds([]byte(tc.session), tc.caller, nil)
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Fatalf("Holds = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestRules(t *testing.T) {
	inQueue := func(v gjson.Result) bool { return v.Str == "InQueue" || v.Raw == "4" }
	for _, tc := range []struct {
		method  string
		rule    Rule
		session string
		holds   bool
	}{
		{"TransferChatSession", CallerOwns, `{"User":{"Name":"ANN"}}`, true},
		{"acceptchatsessiontransfer", CallerIsTarget, `{"TransferTo":{"Name":"ANN"}}`, true},
		{"RejectChatSessionTransfer", CallerIsTarget, `{"TransferTo":null}`, false},
		{"PickUpChatSession", Queued, `{"Status":"InQueue"}`, true},
		{"PickUpChatSession", Queued, `{"status":4}`, true},
		{"PickUpChatSession", Queued, `{"Status":"CustomerLast"}`, false},
		{"GetChatSessionEntity", NoRule, `{}`, true},
	} {
		if got := RuleOf(tc.method); got != tc.rule {
			t.Fatalf("RuleOf(%s) = %v; want %v", tc.method, got, tc.rule)
		}
		if got, err := tc.rule.Holds([]byte(tc.session), "ann", inQueue); got != tc.holds || err != nil {
			t.Fatalf("%s on %s = %v, %v; want %v", tc.method, tc.session, got, err, tc.holds)
		}
	}
	if !CallerOwns.NeedsCaller() || !CallerIsTarget.NeedsCaller() || Queued.NeedsCaller() {
		t.Fatal("NeedsCaller is wrong")
	}
}
