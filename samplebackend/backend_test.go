package samplebackend

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// tuesday is the clock of the tests: Tuesday 5 March 2024, 10:30 in Oslo,
// within Support's opening hours.
var tuesday = time.Date(2024, 3, 5, 10, 30, 0, 0, Oslo)

func newTestBackend(at time.Time) *Backend {
	b := New()
	b.Now = func() time.Time { return at }
	return b
}

// call sends one request and answers its status, raw body and the body
// decoded (nil if empty).
func call(t *testing.T, b *Backend, method, path, body string) (int, string, any) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	b.ServeHTTP(rec, req)
	var v any
	if rec.Body.Len() > 0 {
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Fatalf("%s %s: Content-Type %q", method, path, ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, rec.Body)
		}
	}
	return rec.Code, rec.Body.String(), v
}

// at follows a dotted path into decoded JSON: object keys, array indexes,
// and "#" for an array's length.
func at(v any, path string) any {
	if path == "" {
		return v
	}
	for _, step := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[step]
		case []any:
			if step == "#" {
				return float64(len(x))
			}
			i, err := strconv.Atoi(step)
			if err != nil || i >= len(x) {
				return "<no " + step + ">"
			}
			v = x[i]
		default:
			return "<no " + step + ">"
		}
	}
	return v
}

// numericEnums are the keys whose values the backend writes as numbers.
var numericEnums = map[string]bool{"status": true, "flags": true, "type": true, "specialType": true,
	"size": true, "theme": true, "requiredFields": true, "offlineFields": true}

// checkDialect fails unless every key in v is camelCase and every enum a
// number (a user list item's type is text: "user" or "group").
func checkDialect(t *testing.T, v any, where string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		_, listItem := x["childItems"]
		for k, e := range x {
			if r := []rune(k)[0]; !unicode.IsLower(r) {
				t.Errorf("%s: key %q is not camelCase", where, k)
			}
			if _, isNumber := e.(float64); numericEnums[k] && !isNumber && !(k == "type" && listItem) {
				t.Errorf("%s.%s = %v, not a number", where, k, e)
			}
			checkDialect(t, e, where+"."+k)
		}
	case []any:
		for i, e := range x {
			checkDialect(t, e, where+"."+strconv.Itoa(i))
		}
	}
}

// TestRoutes calls every route on a fresh backend and checks the status,
// the dialect of the answer and some of its values.
func TestRoutes(t *testing.T) {
	const oslo = "2024-03-05T10:30:00" // the clock, as the backend writes it
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		want                     map[string]any // path (see at) -> value
	}{
		// Sessions.
		{"list sessions", "GET", "/chat/sessions", "", 200,
			map[string]any{"#": 6.0, "0.chatSessionId": 157.0, "4.chatSessionId": 901.0, "5.status": 4.0}},
		{"157 is TJE0's", "GET", "/chat/sessions/157", "", 200, map[string]any{"chatSessionId": 157.0, "user.name": "TJE0",
			"user.type": 1.0, "transferTo": nil, "status": 5.0, "flags": 0.0, "topicId": 225.0,
			"whenRequested": "2000-12-04T11:10:26.1095254", "whenStarted": "2021-06-18T11:10:26.1095254",
			"whenEnded": "1995-07-25T11:10:26.1095254", "fieldProperties": nil}},
		{"184 is ANN's, to TJE0", "GET", "/chat/sessions/184", "", 200,
			map[string]any{"user.name": "ANN", "transferTo.name": "TJE0", "whenRequested": "2017-09-17T11:10:26.1285249"}},
		{"746 is closed", "GET", "/chat/sessions/746", "", 200, map[string]any{"user": nil, "transferTo": nil, "status": 9.0}},
		{"798 is BOB's, to ANN", "GET", "/chat/sessions/798", "", 200, map[string]any{"user.userName": "bob.smith", "transferTo.name": "ANN"}},
		{"901 waits", "GET", "/chat/sessions/901", "", 200, map[string]any{"user": nil, "status": 4.0, "whenStarted": nil}},
		{"unknown session", "GET", "/chat/sessions/1", "", 404, map[string]any{"error": "no such chat session"}},
		{"default session", "GET", "/chat/sessions/defaults", "", 200,
			map[string]any{"chatSessionId": 0.0, "status": 4.0, "whenRequested": oslo, "whenEnded": nil}},
		{"save creates, PascalCase and names", "PUT", "/chat/sessions",
			`{"ChatSessionId":0,"TopicId":226,"Status":"InQueue","Flags":"UserIsTyping, CustomerIsTyping","CustomerName":"Ola",` +
				`"WhenRequested":"2024-01-02T03:04:05","WhenStarted":"2024-01-02T03:04:05.006Z","WhenEnded":null,` +
				`"User":{"AssociateId":14,"Type":"InternalAssociate"},"Unknown":{"kept":false}}`, 200,
			map[string]any{"chatSessionId": 1000.0, "topicId": 226.0, "status": 4.0, "flags": 1.0, "customerName": "Ola",
				"whenRequested": "2024-01-02T03:04:05", "whenStarted": "2024-01-02T04:04:05.006", "whenEnded": nil,
				"user.name": "ANN", "user.type": 1.0, "unknown": nil}},
		{"save creates, numbers", "PUT", "/chat/sessions", `{"chatSessionId":0,"status":6,"flags":1,"user":{"name":"bob"}}`, 200,
			map[string]any{"chatSessionId": 1000.0, "status": 6.0, "flags": 1.0, "user.associateId": 15.0}},
		{"save updates", "PUT", "/chat/sessions", `{"ChatSessionId":157,"TopicId":226,"Status":"closed","User":null}`, 200,
			map[string]any{"chatSessionId": 157.0, "topicId": 226.0, "status": 9.0, "user": nil}},
		{"save of an unknown session", "PUT", "/chat/sessions", `{"ChatSessionId":5}`, 404, map[string]any{"error": "no such chat session"}},
		{"save with an unknown user", "PUT", "/chat/sessions", `{"ChatSessionId":0,"User":{"AssociateId":99}}`, 404,
			map[string]any{"error": "no such associate"}},
		{"save with an unknown status", "PUT", "/chat/sessions", `{"ChatSessionId":0,"Status":"Bogus"}`, 400, nil},
		{"save with a bad date", "PUT", "/chat/sessions", `{"ChatSessionId":0,"WhenRequested":"yesterday"}`, 400, nil},
		{"save of no JSON", "PUT", "/chat/sessions", `{"ChatSessionId":`, 400, nil},
		{"delete", "DELETE", "/chat/sessions/746", "", 204, nil},
		{"delete an unknown session", "DELETE", "/chat/sessions/1", "", 404, map[string]any{"error": "no such chat session"}},
		{"transfer", "POST", "/chat/sessions/157/transfer/ann", "", 200, map[string]any{"user.name": "TJE0", "transferTo.name": "ANN"}},
		{"transfer to an associate id", "POST", "/chat/sessions/157/transfer/15", "", 200, map[string]any{"transferTo.name": "BOB"}},
		{"transfer to nobody", "POST", "/chat/sessions/157/transfer/nobody", "", 404, map[string]any{"error": "no such associate"}},
		{"transfer of an unknown session", "POST", "/chat/sessions/1/transfer/ann", "", 404, nil},
		{"accept", "POST", "/chat/sessions/184/accept", "", 200, map[string]any{"user.name": "TJE0", "transferTo": nil, "status": 5.0}},
		{"accept with no transfer", "POST", "/chat/sessions/157/accept", "", 200, map[string]any{"user.name": "TJE0", "transferTo": nil}},
		{"reject", "POST", "/chat/sessions/798/reject", "", 200, map[string]any{"user.name": "BOB", "transferTo": nil}},
		{"pick up", "POST", "/chat/sessions/902/pickup/tje0", "", 200,
			map[string]any{"chatSessionId": 902.0, "user.name": "TJE0", "status": 5.0, "whenStarted": oslo}},
		{"pick up an active session", "POST", "/chat/sessions/157/pickup/ann", "", 409,
			map[string]any{"error": "the chat session is not in the queue"}},
		{"pick up for nobody", "POST", "/chat/sessions/901/pickup/nobody", "", 404, map[string]any{"error": "no such user"}},
		{"pick up the first", "POST", "/chat/queue/pickup?user=ANN", "", 200,
			map[string]any{"chatSessionId": 901.0, "user.name": "ANN", "status": 5.0}},
		{"pick up the first for nobody", "POST", "/chat/queue/pickup?user=nobody", "", 404, nil},
		{"reset", "POST", "/chat/sessions/157/reset", "", 200, map[string]any{"status": 4.0, "user": nil, "transferTo": nil}},
		{"reset a transfer", "POST", "/chat/sessions/184/reset", "", 200, map[string]any{"status": 4.0, "user": nil, "transferTo": nil}},

		// Messages and transcripts.
		{"messages", "GET", "/chat/sessions/157/messages", "", 200,
			map[string]any{"total": 4.0, "data.#": 4.0, "data.0.type": 3.0, "data.0.specialType": 1.0, "data.0.message": "[SR_CHAT_WELCOME]"}},
		{"messages after 2", "GET", "/chat/sessions/157/messages?after=2", "", 200,
			map[string]any{"total": 2.0, "data.0.chatMessageId": 3.0, "data.0.type": 1.0, "data.0.specialType": 0.0,
				"data.0.whenPosted": "2021-06-18T11:11:05", "data.1.type": 2.0}},
		{"messages after an empty after", "GET", "/chat/sessions/184/messages?after=", "", 200, map[string]any{"total": 3.0}},
		{"messages after the last", "GET", "/chat/sessions/157/messages?after=99", "", 200, map[string]any{"total": 0.0, "data.#": 0.0}},
		{"messages of a session with none", "GET", "/chat/sessions/746/messages", "", 200, map[string]any{"total": 0.0, "data.#": 0.0}},
		{"messages after a word", "GET", "/chat/sessions/157/messages?after=x", "", 400, map[string]any{"error": "after must be a whole number"}},
		{"messages of an unknown session", "GET", "/chat/sessions/1/messages", "", 404, nil},
		{"add a message, PascalCase and names", "POST", "/chat/sessions/157/messages",
			`{"ChatSessionId":157,"Type":"ToCustomer","Message":"Refunded.","Author":"TJE0","SpecialType":"None","WhenPosted":"2024-01-02T00:00:00"}`, 200,
			map[string]any{"chatMessageId": 8.0, "chatSessionId": 157.0, "type": 1.0, "specialType": 0.0, "message": "Refunded.",
				"whenPosted": oslo}},
		{"add a message, numbers", "POST", "/chat/sessions/184/messages", `{"type":2,"message":"ok","specialType":0}`, 200,
			map[string]any{"chatMessageId": 8.0, "chatSessionId": 184.0, "type": 2.0}},
		{"add a message of an unknown type", "POST", "/chat/sessions/157/messages", `{"Type":"Shout"}`, 400, nil},
		{"add a message to an unknown session", "POST", "/chat/sessions/1/messages", `{"Type":"ToCustomer"}`, 404, nil},
		{"transcript", "GET", "/chat/sessions/157/transcript?html=false", "", 200,
			map[string]any{"": "[2021-06-18 11:10:41] illum: Hi, order 10148 was charged twice.\n" +
				"[2021-06-18 11:11:05] TJE0: Sorry about that! Let me have a look.\n[2021-06-18 11:11:30] illum: Thanks, I'll wait.\n"}},
		{"transcript as HTML", "GET", "/chat/sessions/184/transcript?html=true", "", 200,
			map[string]any{"": "<p><time>2012-03-01 11:10:30</time> <b>illum</b>: Can I change my delivery address?</p>\n" +
				"<p><time>2012-03-01 11:11:02</time> <b>ANN</b>: Yes &lt;b&gt;of course&lt;/b&gt;: which address?</p>\n"}},
		{"transcript of a session with none", "GET", "/chat/sessions/746/transcript", "", 200, map[string]any{"": ""}},
		{"transcript, html a word", "GET", "/chat/sessions/157/transcript?html=yes", "", 400, nil},
		{"transcript of an unknown session", "GET", "/chat/sessions/1/transcript", "", 404, nil},

		// Topics.
		{"topic", "GET", "/chat/topics/225", "", 200, map[string]any{"chatTopicId": 225.0, "name": `US:"Support";NO:"Kundestøtte"`,
			"welcomeMessage": `[SR_CHAT_WELCOME] US:"How can we help?";NO:"Hva kan vi hjelpe med?"`, "openingHoursEnabled": true,
			"openingHours.monStart": "08:00:00", "widget.theme": 1.0, "widget.requiredFields": 3.0, "lastAccept": "2024-03-05T09:40:00"}},
		{"unknown topic", "GET", "/chat/topics/9", "", 404, map[string]any{"error": "no such chat topic"}},
		{"default topic", "GET", "/chat/topics/defaults", "", 200, map[string]any{"chatTopicId": 0.0, "openingHours": nil}},
		{"save creates a topic", "PUT", "/chat/topics",
			`{"ChatTopicId":0,"Name":"US:\"Billing\";NO:\"Faktura\"","OpeningHoursEnabled":true,` +
				`"OpeningHours":{"MonEnabled":true,"MonStart":"PT8H30M","MonStop":"PT16H"},` +
				`"Widget":{"Size":"Large","Theme":"modern","RequiredFields":"Email, Name","OfflineFields":4}}`, 200,
			map[string]any{"chatTopicId": 300.0, "name": `US:"Billing";NO:"Faktura"`, "openingHours.monStart": "PT8H30M",
				"widget.size": 1.0, "widget.theme": 1.0, "widget.requiredFields": 3.0, "widget.offlineFields": 4.0}},
		{"save updates a topic", "PUT", "/chat/topics", `{"chatTopicId":226,"name":"Sales"}`, 200,
			map[string]any{"chatTopicId": 226.0, "name": "Sales", "widget": nil}},
		{"save of an unknown topic", "PUT", "/chat/topics", `{"ChatTopicId":9}`, 404, nil},
		{"save with a bad widget size", "PUT", "/chat/topics", `{"ChatTopicId":0,"Widget":{"Size":"Huge"}}`, 400, nil},
		{"delete a topic", "DELETE", "/chat/topics/226", "", 204, nil},
		{"delete an unknown topic", "DELETE", "/chat/topics/9", "", 404, nil},
		{"support is open on Tuesday at 10:30", "GET", "/chat/topics/225/open", "", 200, map[string]any{"open": true}},
		{"sales has no opening hours", "GET", "/chat/topics/226/open", "", 200, map[string]any{"open": true}},
		{"opening hours of an unknown topic", "GET", "/chat/topics/9/open", "", 404, nil},
		{"a session for a topic", "POST", "/chat/topics/226/sessions", "", 200,
			map[string]any{"chatSessionId": 1000.0, "topicId": 226.0, "status": 4.0, "user": nil, "whenRequested": oslo}},
		{"a session for an unknown topic", "POST", "/chat/topics/9/sessions", "", 404, nil},

		// Topic agents.
		{"default agent", "GET", "/chat/topics/agents/defaults", "", 200, map[string]any{"topicId": 0.0, "user": nil, "canListen": true}},
		{"agents", "GET", "/chat/topics/225/agents", "", 200,
			map[string]any{"#": 2.0, "0.user.name": "TJE0", "0.canManage": true, "1.user.name": "ANN", "1.topicId": 225.0}},
		{"agents of an unknown topic", "GET", "/chat/topics/9/agents", "", 404, nil},
		{"agent", "GET", "/chat/topics/225/agents/ann", "", 200, map[string]any{"user.name": "ANN", "canManage": false, "canNotify": true}},
		{"agent by associate id", "GET", "/chat/topics/226/agents/15", "", 200, map[string]any{"user.name": "BOB"}},
		{"a user who is no agent", "GET", "/chat/topics/225/agents/bob", "", 404, map[string]any{"error": "no such agent of the chat topic"}},
		{"agent nobody", "GET", "/chat/topics/225/agents/nobody", "", 404, map[string]any{"error": "no such user"}},
		{"add an agent", "POST", "/chat/topics/226/agents", `{"TopicId":0,"User":{"AssociateId":13,"Type":"InternalAssociate"},"CanListen":true}`, 200,
			map[string]any{"topicId": 226.0, "user.name": "TJE0", "canListen": true, "canRespond": false}},
		{"add an agent by user name", "POST", "/chat/topics/226/agents", `{"user":{"userName":"TJE0"}}`, 200, map[string]any{"user.associateId": 13.0}},
		{"add an agent twice", "POST", "/chat/topics/226/agents", `{"User":{"AssociateId":14}}`, 409, nil},
		{"add an unknown user", "POST", "/chat/topics/226/agents", `{"User":{"AssociateId":99}}`, 404, nil},
		{"add an agent with no user", "POST", "/chat/topics/226/agents", `{"CanListen":true}`, 404, nil},
		{"update an agent", "PUT", "/chat/topics/225/agents/ANN", `{"TopicId":225,"User":{"AssociateId":15},"CanManage":true}`, 200,
			map[string]any{"user.name": "ANN", "canManage": true, "canListen": false}},
		{"update a user who is no agent", "PUT", "/chat/topics/225/agents/bob", `{"CanManage":true}`, 404, nil},
		{"replace the agents", "PUT", "/chat/topics/225/agents",
			`[{"User":{"AssociateId":15},"CanListen":true},{"User":{"Name":"ann"},"CanRespond":true}]`, 200,
			map[string]any{"#": 2.0, "0.user.name": "BOB", "0.topicId": 225.0, "1.user.name": "ANN", "1.canRespond": true}},
		{"replace the agents with none", "PUT", "/chat/topics/225/agents", `[]`, 200, map[string]any{"#": 0.0}},
		{"replace the agents, a user twice", "PUT", "/chat/topics/225/agents", `[{"User":{"AssociateId":15}},{"User":{"AssociateId":15}}]`, 400, nil},
		{"replace the agents with an object", "PUT", "/chat/topics/225/agents", `{"User":{"AssociateId":15}}`, 400, nil},
		{"delete an agent", "DELETE", "/chat/topics/225/agents/ann", "", 204, nil},
		{"delete a user who is no agent", "DELETE", "/chat/topics/225/agents/bob", "", 404, nil},

		// Presence and users.
		{"presence", "GET", "/chat/presence", "", 200, map[string]any{"#": 3.0, "0.userId": 13.0, "0.ongoingChats": 1.0,
			"0.present": true, "1.chatTopics.#": 2.0, "2.displayName": "Bob Smith", "2.present": false, "2.ongoingChats": 1.0}},
		{"save presence", "PUT", "/chat/presence", `[{"UserId":15,"Present":true,"DisplayName":"ignored"}]`, 204, nil},
		{"save presence of nobody", "PUT", "/chat/presence", `[{"UserId":99,"Present":true}]`, 404, nil},
		{"users, flat", "GET", "/chat/users?flat=true&onlyPresent=false", "", 200,
			map[string]any{"total": 3.0, "data.0.id": 13.0, "data.0.name": "TJE0", "data.0.type": "user", "data.2.present": false}},
		{"users, flat, present", "GET", "/chat/users?flat=true&onlyPresent=true", "", 200, map[string]any{"total": 2.0, "data.1.name": "ANN"}},
		{"users in groups", "GET", "/chat/users?flat=false&onlyPresent=false", "", 200, map[string]any{"total": 2.0,
			"data.0.name": "Support", "data.0.type": "group", "data.0.childItems.#": 2.0, "data.1.childItems.0.name": "BOB"}},
		{"users in groups, present", "GET", "/chat/users?onlyPresent=true", "", 200, map[string]any{"total": 1.0, "data.0.childItems.#": 2.0}},
		{"users, flat a word", "GET", "/chat/users?flat=maybe", "", 400, map[string]any{"error": "flat must be true or false"}},
		{"a user's sessions", "GET", "/chat/users/tje0/sessions", "", 200, map[string]any{"total": 1.0, "data.0.chatSessionId": 157.0}},
		{"a user's sessions by name", "GET", "/chat/users/BOB/sessions", "", 200, map[string]any{"total": 1.0, "data.0.chatSessionId": 798.0}},
		{"sessions of nobody", "GET", "/chat/users/nobody/sessions", "", 404, nil},
		{"a user's topics", "GET", "/chat/users/ann/topics", "", 200,
			map[string]any{"total": 2.0, "data.0.chatTopicId": 225.0, "data.1.chatTopicId": 226.0}},
		{"topics of bob.smith", "GET", "/chat/users/bob.smith/topics", "", 200, map[string]any{"total": 1.0, "data.0.name": `US:"Sales";NO:"Salg"`}},
		{"topics of nobody", "GET", "/chat/users/nobody/topics", "", 404, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTestBackend(tuesday)
			status, raw, v := call(t, b, tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Fatalf("%s %s = %d %s; want %d", tc.method, tc.path, status, raw, tc.status)
			}
			if status == 204 && raw != "" {
				t.Fatalf("204 with a body: %s", raw)
			}
			if status >= 400 {
				if e, ok := at(v, "error").(string); !ok || e == "" {
					t.Fatalf("error answer %s", raw)
				}
			}
			checkDialect(t, v, "answer")
			for path, want := range tc.want {
				if got := at(v, path); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v; want %#v (answer %s)", path, got, want, raw)
				}
			}
		})
	}
}

// Changes last: a second request sees what the first did.
func TestChangesLast(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps [][3]string // method, path, body
		path  string      // then GET (POST for the queue) path: at(answer, key) = value
		key   string
		value any
	}{
		{"a transfer", [][3]string{{"POST", "/chat/sessions/157/transfer/bob", ""}}, "/chat/sessions/157", "transferTo.name", "BOB"},
		{"an added message", [][3]string{{"POST", "/chat/sessions/157/messages", `{"Type":"ToCustomer","Message":"Done."}`}},
			"/chat/sessions/157/messages?after=4", "data.0.message", "Done."},
		{"the agent answered last", [][3]string{{"POST", "/chat/sessions/157/messages", `{"Type":"ToCustomer","Message":"Done."}`}},
			"/chat/sessions/157", "status", 6.0},
		{"a deleted session", [][3]string{{"DELETE", "/chat/sessions/157", ""}}, "/chat/sessions/157/messages", "error", "no such chat session"},
		{"a saved presence", [][3]string{{"PUT", "/chat/presence", `[{"UserId":15,"Present":true}]`}}, "/chat/presence", "2.present", true},
		{"picked up: no longer queued", [][3]string{{"POST", "/chat/queue/pickup?user=ann", ""}}, "/chat/queue/pickup?user=tje0", "chatSessionId", 902.0},
		{"the queue empties", [][3]string{{"POST", "/chat/queue/pickup?user=ann", ""}, {"POST", "/chat/queue/pickup?user=ann", ""}},
			"/chat/queue/pickup?user=tje0", "error", "no such chat session in the queue"},
		{"a reset session is queued first", [][3]string{{"POST", "/chat/sessions/184/reset", ""}}, "/chat/queue/pickup?user=tje0", "chatSessionId", 184.0},
		{"a saved session", [][3]string{{"PUT", "/chat/sessions", `{"ChatSessionId":0,"CustomerName":"Ola"}`}}, "/chat/sessions/1000", "customerName", "Ola"},
		{"a deleted topic's agents", [][3]string{{"DELETE", "/chat/topics/226", ""}}, "/chat/users/bob/topics", "total", 0.0},
		{"a deleted agent", [][3]string{{"DELETE", "/chat/topics/225/agents/ann", ""}}, "/chat/topics/225/agents", "#", 1.0},
		{"an added agent", [][3]string{{"POST", "/chat/topics/226/agents", `{"User":{"AssociateId":13}}`}}, "/chat/users/tje0/topics", "total", 2.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newTestBackend(tuesday)
			for _, s := range tc.steps {
				if status, raw, _ := call(t, b, s[0], s[1], s[2]); status >= 300 {
					t.Fatalf("%s %s = %d %s", s[0], s[1], status, raw)
				}
			}
			method := "GET"
			if strings.HasPrefix(tc.path, "/chat/queue/") {
				method = "POST"
			}
			_, raw, v := call(t, b, method, tc.path, "")
			if got := at(v, tc.key); !reflect.DeepEqual(got, tc.value) {
				t.Fatalf("%s = %#v; want %#v (answer %s)", tc.key, got, tc.value, raw)
			}
		})
	}
}

// Requests may name enums in any case or give their numbers, flags also
// as a list of names; the backend stores numbers.
func TestEnumDecoding(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       Session
		wantErr    bool
	}{
		{"names", `{"Status":"InQueue","Flags":"UserIsTyping"}`, Session{Status: 4, Flags: 1}, false},
		{"names in another case", `{"status":"customerlast","flags":"useristyping"}`, Session{Status: 5, Flags: 1}, false},
		{"numbers", `{"Status":9,"Flags":1}`, Session{Status: 9, Flags: 1}, false},
		{"digits", `{"Status":"10","Flags":"0"}`, Session{Status: 10}, false},
		{"flags as a list", `{"Flags":"CustomerIsTyping, UserIsTyping"}`, Session{Flags: 1}, false},
		{"flags as a list with no blank", `{"Flags":"UserIsTyping,CustomerIsTyping"}`, Session{Flags: 1}, false},
		{"null", `{"Status":null,"Flags":null}`, Session{}, false},
		{"user type", `{"User":{"Type":"SystemAssociate"}}`, Session{User: &Associate{Type: 5}}, false},
		{"unknown name", `{"Status":"Active"}`, Session{}, true},
		{"unknown flag", `{"Flags":"UserIsTyping, Bogus"}`, Session{}, true},
		{"a boolean", `{"Status":true}`, Session{}, true},
		{"a fraction", `{"Status":4.5}`, Session{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s Session
			err := json.Unmarshal([]byte(tc.body), &s)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if !tc.wantErr && !reflect.DeepEqual(s, tc.want) {
				t.Fatalf("got %+v; want %+v", s, tc.want)
			}
		})
	}
	var m Message
	if err := json.Unmarshal([]byte(`{"Type":"special","SpecialType":"TransferedSession"}`), &m); err != nil || m.Type != 3 || m.SpecialType != 6 {
		t.Fatalf("message %+v, %v", m, err)
	}
	var w Widget
	if err := json.Unmarshal([]byte(`{"Size":"large","Theme":0,"RequiredFields":"Email, Phone, Country"}`), &w); err != nil ||
		w.Size != 1 || w.Theme != 0 || w.RequiredFields != 25 {
		t.Fatalf("widget %+v, %v", w, err)
	}
}

// Dates are kept as Oslo local time: chatgate sends them so; one with an
// offset is moved into Oslo.
func TestLocalTime(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"2024-03-05T10:11:12"`, "2024-03-05T10:11:12"},
		{`"2000-12-04T11:10:26.1095254"`, "2000-12-04T11:10:26.1095254"},
		{`"2024-01-02T03:04:05.006Z"`, "2024-01-02T04:04:05.006"},
		{`"2021-06-18T11:10:26.1095254+02:00"`, "2021-06-18T11:10:26.1095254"},
		{`"2021-06-18T05:10:26-04:00"`, "2021-06-18T11:10:26"},
		{`"2024-03-05T10:11"`, "2024-03-05T10:11"},
		{`null`, ""},
		{`""`, ""},
	} {
		var lt LocalTime
		if err := json.Unmarshal([]byte(tc.in), &lt); err != nil || string(lt) != tc.want {
			t.Errorf("%s = %q, %v; want %q", tc.in, lt, err, tc.want)
		}
	}
	for _, bad := range []string{`"2024-13-45T00:00:00"`, `"tomorrow"`, `12`} {
		var lt LocalTime
		if err := json.Unmarshal([]byte(bad), &lt); err == nil {
			t.Errorf("%s = %q; want an error", bad, lt)
		}
	}
	if b, _ := json.Marshal(struct{ T LocalTime }{}); string(b) != `{"T":null}` {
		t.Fatalf("no date = %s", b)
	}
}

// Support is open Monday to Friday, 08:00 to 16:00 Oslo time, not at lunch.
func TestOpeningHours(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		open bool
	}{
		{tuesday, true},
		{time.Date(2024, 3, 5, 7, 59, 59, 0, Oslo), false},
		{time.Date(2024, 3, 5, 8, 0, 0, 0, Oslo), true},
		{time.Date(2024, 3, 5, 11, 45, 0, 0, Oslo), false}, // lunch
		{time.Date(2024, 3, 5, 12, 0, 0, 0, Oslo), true},
		{time.Date(2024, 3, 5, 16, 0, 0, 0, Oslo), false},
		{time.Date(2024, 3, 9, 10, 30, 0, 0, Oslo), false},     // Saturday
		{time.Date(2024, 7, 5, 8, 30, 0, 0, time.UTC), true},   // 10:30 in Oslo (summer)
		{time.Date(2024, 1, 5, 7, 30, 0, 0, time.UTC), true},   // 08:30 in Oslo (winter)
		{time.Date(2024, 1, 5, 15, 30, 0, 0, time.UTC), false}, // 16:30 in Oslo
	} {
		_, raw, v := call(t, newTestBackend(tc.at), "GET", "/chat/topics/225/open", "")
		if at(v, "open") != tc.open {
			t.Errorf("%v: %s; want open %v", tc.at, raw, tc.open)
		}
	}
	if c := clock("PT8H30M"); c != 8*time.Hour+30*time.Minute {
		t.Fatalf("PT8H30M = %v", c)
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
