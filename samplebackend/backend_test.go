package samplebackend

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func call(t *testing.T, b *Backend, method, path string) (int, Session) {
	t.Helper()
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	var s Session
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return rec.Code, s
}

func TestBackendRoutes(t *testing.T) {
	b := New()
	if code, s := call(t, b, "GET", "/chat/sessions/157"); code != 200 || s.User.Name != "TJE0" || s.TransferTo != nil {
		t.Fatalf("GET 157 = %d %+v", code, s)
	}
	if code, s := call(t, b, "POST", "/chat/sessions/157/transfer/ann"); code != 200 || s.TransferTo == nil || s.TransferTo.Name != "ANN" {
		t.Fatalf("transfer = %d %+v", code, s)
	}
	if code, s := call(t, b, "POST", "/chat/sessions/157/accept"); code != 200 || s.User.Name != "ANN" || s.TransferTo != nil {
		t.Fatalf("accept = %d %+v", code, s)
	}
	if code, s := call(t, b, "POST", "/chat/sessions/798/reject"); code != 200 || s.User.Name != "BOB" || s.TransferTo != nil {
		t.Fatalf("reject = %d %+v", code, s)
	}
	if code, _ := call(t, b, "POST", "/chat/sessions/157/transfer/nobody"); code != 404 {
		t.Fatalf("transfer to an unknown associate = %d", code)
	}
	if code, _ := call(t, b, "GET", "/chat/sessions/1"); code != 404 {
		t.Fatalf("unknown session = %d", code)
	}
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest("GET", "/chat/sessions", nil))
	var all []Session
	if err := json.Unmarshal(rec.Body.Bytes(), &all); err != nil || len(all) != len(Sessions()) || all[0].ChatSessionId != 157 {
		t.Fatalf("list = %s, %v", rec.Body, err)
	}
}

// The entity keeps the reference pages' property order and date notation.
func TestSessionShape(t *testing.T) {
	body, err := json.Marshal(Sessions()[2])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ChatSessionId":746,"TopicId":225,"User":null,"Person":null,"CustomerAlias":"illum",`
	if string(body[:len(want)]) != want {
		t.Fatalf("session starts %s", body[:len(want)])
	}
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	if len(m) != 33 || m["WhenEnded"] != "1995-07-25T11:10:26.1095254+02:00" {
		t.Fatalf("session has %d properties: %s", len(m), body)
	}
}

func TestWhoAmI(t *testing.T) {
	b := New()
	for _, tc := range []struct {
		name, header, value string
		status              int
		body                string
	}{
		{"ticket", "Authorization", "SOTicket 7T:ann-ticket", 200, `{"associateId":14,"userName":"ann"}`},
		{"ticket in other case", "Authorization", "soticket 7T:bob-ticket", 200, `{"associateId":15,"userName":"bob.smith"}`},
		{"token", "Authorization", "Bearer tje0-token", 200, `{"associateId":13,"userName":"tje0"}`},
		{"session cookie", "Cookie", "chat_session=ann-session", 200, `{"associateId":14,"userName":"ann"}`},
		{"unknown ticket", "Authorization", "SOTicket 7T:nobody", 401, `{"error":"unknown credential"}`},
		{"basic is not read", "Authorization", "Basic YW5uOmFubi1wdw==", 401, `{"error":"unknown credential"}`},
		{"nothing", "X-None", "", 401, `{"error":"unknown credential"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/whoami", nil)
			req.Header.Set(tc.header, tc.value)
			rec := httptest.NewRecorder()
			b.ServeHTTP(rec, req)
			if rec.Code != tc.status || rec.Body.String() != tc.body {
				t.Fatalf("whoami = %d %s; want %d %s", rec.Code, rec.Body, tc.status, tc.body)
			}
		})
	}
}
