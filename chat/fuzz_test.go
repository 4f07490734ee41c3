package chat

import (
	"errors"
	"testing"

	"github.com/tidwall/gjson"
)

// FuzzRuleHolds: any backend body gives a decision or ErrSessionNotObject,
// and no caller is ever matched by the empty name.
func FuzzRuleHolds(f *testing.F) {
	f.Add(`{"User":{"Name":"TJE0"},"TransferTo":null}`, "tje0")
	f.Add(`{"transferto":{"username":"ann"}}`, "ANN")
	f.Add(`{"status":4}`, "")
	f.Add(`[{"User":{}}]`, "")
	inQueue := func(v gjson.Result) bool { return v.Str == "InQueue" }
	f.Fuzz(func(t *testing.T, session, caller string) {
		for _, r := range []Rule{CallerOwns, CallerIsTarget, Queued} {
			ok, err := r.Holds([]byte(session), caller, inQueue)
			if err != nil && !errors.Is(err, ErrSessionNotObject) {
				t.Fatalf("Holds error %v", err)
			}
			if ok && (err != nil || (r.NeedsCaller() && caller == "")) {
				t.Fatalf("%v.Holds(%s, %q) = %v, %v", r, session, caller, ok, err)
			}
		}
	})
}
