package tests

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// Caddyfile.example, unchanged, runs the gateway in front of the sample
// backend as the README's demo does.
func TestCaddyfileExample(t *testing.T) {
	caddyfile, err := os.ReadFile("../Caddyfile.example")
	if err != nil {
		t.Fatal(err)
	}
	be := newBackend(t, sampleBackend())
	port := freePort(t)
	gw := startWithCaddyfile(t, string(caddyfile), port, []string{
		fmt.Sprintf("CHATGATE_PORT=%d", port),
		fmt.Sprintf("CHATGATE_ADMIN_PORT=%d", freePort(t)),
		"CHATGATE_BACKEND=" + be.addr(),
	})

	res := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession", `{"ChatSessionId":157,"ToAssociate":"ann"}`,
		"Authorization", "Basic dGplMDpUamUw", "Content-Type", "application/json; charset=utf-8")
	if res.Status != 200 || !strings.Contains(res.Body, `"TransferTo":{"AssociateId":14,"Name":"ANN"`) {
		t.Fatalf("transfer by the owner = %d %s", res.Status, res.Body)
	}
	res = do(t, "POST", gw.URL+"/api/v1/Agents/Chat/RejectChatSessionTransfer", `ChatSessionId=157`,
		"Authorization", "Basic "+b64("bob:bob-pw"), "Content-Type", "application/x-www-form-urlencoded")
	if res.Status != 200 || !strings.Contains(res.Body, `"TransferTo":{"AssociateId":14,"Name":"ANN"`) {
		t.Fatalf("reject by someone else = %d %s", res.Status, res.Body)
	}
	wrongPassword := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Authorization", "Basic "+b64("bob:pw"))
	wantError(t, wrongPassword, 401, "Unauthorized", "the user name or password is wrong")
	var calls []string
	for _, r := range be.take() {
		calls = append(calls, r.Method+" "+r.RequestURI)
		if user := r.Header.Get("X-Chatgate-User"); user != "tje0" && user != "bob" {
			t.Errorf("%s %s: identity %q", r.Method, r.RequestURI, user)
		}
	}
	want := "GET /chat/sessions/157, POST /chat/sessions/157/transfer/ann, GET /chat/sessions/157"
	if strings.Join(calls, ", ") != want {
		t.Fatalf("backend got %v; want %s", calls, want)
	}
}
