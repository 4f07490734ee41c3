package chat

import (
	"errors"
	"testing"
)

func TestMayChange(t *testing.T) {
	const owned = `{"ChatSessionId":1,"User":{"AssociateId":13,"Name":"TJE0","UserName":"tje0@example.com"},"TransferTo":null}`
	const pending = `{"ChatSessionId":1,"User":{"Name":"ANN"},"TransferTo":{"Name":"Bob","UserName":"bob.smith"}}`
	for _, tc := range []struct {
		name    string
		action  Action
		session string
		caller  string
		want    bool
		wantErr error
	}{
		{"transfer by owner", Transfer, owned, "tje0", true, nil},
		{"transfer by owner's user name", Transfer, owned, "TJE0@EXAMPLE.COM", true, nil},
		{"transfer by other", Transfer, owned, "bob", false, nil},
		{"transfer with no caller", Transfer, owned, "", false, nil},
		{"transfer of unowned session", Transfer, `{"User":null}`, "tje0", false, nil},
		{"transfer with User not an object", Transfer, `{"User":"tje0"}`, "tje0", false, nil},
		{"accept by target", Accept, pending, "bob", true, nil},
		{"accept by target user name", Accept, pending, "Bob.Smith", true, nil},
		{"reject by target", Reject, pending, "BOB", true, nil},
		{"accept by owner", Accept, pending, "ann", false, nil},
		{"reject when not transferred", Reject, owned, "tje0", false, nil},
		{"accept, names in camel case", Accept, `{"transferTo":{"name":"bob"}}`, "bob", true, nil},
		{"unicode case", Transfer, `{"User":{"Name":"BJØRN"}}`, "bjørn", true, nil},
		{"name as number", Transfer, `{"User":{"Name":5}}`, "5", false, nil},
		{"array", Transfer, `[` + owned + `]`, "tje0", false, ErrSessionNotObject},
		{"invalid", Transfer, `{"User":`, "tje0", false, ErrSessionNotObject},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MayChange(tc.action, []byte(tc.session), tc.caller)
			if got != tc.want || !errors.Is(err, tc.wantErr) {
				t.Fatalf("MayChange = %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
