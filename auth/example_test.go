package auth_test

import (
	"encoding/base64"
	"fmt"
	"net/http"

	"github.com/chatgate/chatgate/auth"
)

// A gate for Bearer tokens and tickets, with the X-XSRF-TOKEN fallback and
// partner app tokens.
func ExampleNew() {
	gate, err := auth.New(auth.Config{
		Schemes:    []auth.Scheme{auth.SoTicket, auth.Bearer},
		XSRFCookie: auth.DefaultXSRFCookie,
		AppTokens:  []string{"app-1"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(gate.Challenges())
	// Output: [SoTicket realm="chatgate" Bearer realm="chatgate"]
}

// Check lets a request through or refuses it; Strip then removes the
// headers the gate owns before the request goes on.
func ExampleGate_Check() {
	gate, _ := auth.New(auth.Config{AppTokens: []string{"app-1"}})

	h := http.Header{}
	h.Set("Authorization", "SoTicket 7T:abc==")
	h.Set("SO-AppToken", "app-1")
	caller, refusal := gate.Check(h)
	gate.Strip(h)
	fmt.Println(caller.Scheme.Name(), refusal == nil, h.Get("SO-AppToken") == "")

	h = http.Header{}
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("ann:secret")))
	_, refusal = gate.Check(h)
	fmt.Println(refusal)
	// Output:
	// soticket true true
	// the SO-AppToken header is missing
}

// With accounts the gate verifies Basic passwords, and SetIdentity names the
// verified user upstream. (The hash is bcrypt of "pw" at the lowest cost, to
// keep the example fast; use chatgate hash-password for real ones.)
func ExampleGate_SetIdentity() {
	gate, err := auth.New(auth.Config{
		Accounts: []auth.Account{{User: "ann", Hash: "$2a$04$D5QySmU.hoJsbgoBT.P4s.QHEUncovEvcOxE9vum.0VZ7saUepZdK"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := http.Header{}
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("ann:pw")))
	h.Set("X-Chatgate-User", "mallory") // a client may not name itself
	caller, refusal := gate.Check(h)
	gate.Strip(h)
	gate.SetIdentity(h, caller)
	fmt.Println(caller.User, caller.Verified, refusal == nil, h.Get("X-Chatgate-User"))
	// Output: ann true true ann
}

// ParseAuthorization reads one Authorization header without a gate.
func ExampleParseAuthorization() {
	for _, header := range []string{"soticket 7T:abc==", "Bearer", "Digest x"} {
		c, err := auth.ParseAuthorization(header)
		fmt.Println(c.Scheme.Name(), err)
	}
	// Output:
	// soticket <nil>
	//  the Authorization header has no credential
	//  the Authorization scheme is not Basic, SoTicket or Bearer
}

// UserOfAnswer reads who the backend says a credential belongs to.
func ExampleUserOfAnswer() {
	for _, answer := range []string{`{"userName": "ann", "Name": "Ann A."}`, `"bob"`, `{}`} {
		fmt.Println(auth.UserOfAnswer([]byte(answer)))
	}
	// Output:
	// ann true
	// bob true
	//  false
}
