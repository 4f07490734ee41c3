package agent

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// goodValue and badValue are a JSON value of t that its check accepts, and
// one it refuses.
func goodValue(t *TypeRef) string {
	switch {
	case t.Array:
		return "[" + goodValue(t.Elem()) + "]"
	case t.Enum != nil:
		return `"` + strings.ToLower(t.Enum.Members[len(t.Enum.Members)-1].Name) + `"`
	case t.Type != nil:
		return `{"unknownProperty":1}`
	}
	switch t.Scalar {
	case ScalarId:
		return `"157"`
	case ScalarInt32:
		return `-5`
	case ScalarNumber:
		return `1.5`
	case ScalarBoolean:
		return `"TRUE"`
	case ScalarUserName:
		return `"ann"`
	case ScalarDateTime:
		return `"2024-01-02T03:04:05.006Z"`
	case ScalarMap:
		return `{"a":"b"}`
	case ScalarObject:
		return `{"x":[1]}`
	}
	return `"text"`
}

func badValue(t *TypeRef) string {
	switch {
	case t.Array:
		return `{}`
	case t.Enum != nil:
		return `"NoSuchMember"`
	case t.Type != nil:
		return `"x"`
	}
	switch t.Scalar {
	case ScalarId:
		return `0`
	case ScalarInt32:
		return `"12x"`
	case ScalarNumber:
		return `"many"`
	case ScalarBoolean:
		return `"maybe"`
	case ScalarUserName:
		return `"a\u0000b"`
	case ScalarDateTime:
		return `"yesterday"`
	case ScalarMap:
		return `{"a":1}`
	case ScalarObject:
		return `[]`
	}
	return `5`
}

// body is the JSON body of m with the given raw values, keyed in camelCase
// as the official clients send them (the entity itself for a Save method).
func body(m *Method, values map[*Param]string) string {
	if p := m.EntityParam(); p != nil {
		return values[p]
	}
	var pairs []string
	for _, p := range m.Params {
		if v, ok := values[p]; ok && p.In == "body" {
			pairs = append(pairs, `"`+strings.ToLower(p.Name[:1])+p.Name[1:]+`":`+v)
		}
	}
	return "{" + strings.Join(pairs, ",") + "}"
}

func query(m *Method, values map[*Param]string) url.Values {
	q := url.Values{}
	for _, p := range m.Params {
		if v, ok := values[p]; ok && p.In == "query" {
			q.Set(p.Name, gjson.Parse(v).String())
		}
	}
	return q
}

// Every method of the catalogue, every parameter: a good value of its type
// passes and comes out canonical; a bad one is refused naming it; a missing
// required one is refused naming it.
func TestDecodeEveryMethod(t *testing.T) {
	for _, m := range Chat().Methods {
		t.Run(m.Name, func(t *testing.T) {
			good := make(map[*Param]string)
			for _, p := range m.Params {
				good[p] = goodValue(p.Type)
			}
			call, err := Decode(m, "application/json", []byte(body(m, good)), query(m, good), nil)
			if err != nil {
				t.Fatalf("good values refused: %v", err)
			}
			for _, p := range m.Params {
				raw, ok := call.Value(p)
				if !ok || !gjson.ValidBytes(raw) {
					t.Fatalf("%s: canonical %q, %v", p.Name, raw, ok)
				}
			}
			if out, ok := call.AppendBody(nil, func(*Param) bool { return true }); len(m.Params) > 0 && (!ok || !gjson.ValidBytes(out)) {
				t.Fatalf("canonical body %s is not JSON", out)
			}
			for _, p := range m.Params {
				bad := make(map[*Param]string, len(good))
				for q, v := range good {
					bad[q] = v
				}
				bad[p] = badValue(p.Type)
				_, err := Decode(m, "application/json", []byte(body(m, bad)), query(m, bad), nil)
				var e *Error
				if !errors.As(err, &e) || e.StatusCode() != 400 || !strings.HasPrefix(e.Message, p.Name) {
					t.Errorf("%s = %s: error %v; want a 400 naming it", p.Name, bad[p], err)
				}
				if !p.Required {
					continue
				}
				delete(bad, p)
				_, err = Decode(m, "application/json", []byte(body(m, bad)), query(m, bad), nil)
				if !errors.As(err, &e) || e.Message != p.Name+" is required" {
					t.Errorf("%s missing: error %v", p.Name, err)
				}
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	c := Chat()
	dates := func(dst, s []byte) ([]byte, bool) { // a stand-in zone conversion: drop a Z
		if !looksLikeDateTime(string(s)) {
			return dst, false
		}
		return append(dst, strings.TrimSuffix(string(s), "Z")...), true
	}
	for _, tc := range []struct {
		name, method, contentType, body, query string
		want                                   string // the canonical body of every parameter
		wantErr                                string
	}{
		{name: "digit string and any key case", method: "TransferChatSession", contentType: "application/json",
			body: `{"CHATSESSIONID":"0157","toassociate":"ann"}`, want: `{"ChatSessionId":157,"ToAssociate":"ann"}`},
		{name: "literal null body, query", method: "TransferChatSession", contentType: "application/json", body: `null`,
			query: "chatSessionId=12&toAssociate=bob", want: `{"ChatSessionId":12,"ToAssociate":"bob"}`},
		{name: "no body for a method without parameters", method: "GetChatPresence", contentType: "application/json", want: ""},
		{name: "html escaped, surrogate pair decoded", method: "TransferChatSession", contentType: "application/json",
			body: `{"chatSessionId":1,"toAssociate":"<b>\ud83d\ude00"}`, want: `{"ChatSessionId":1,"ToAssociate":"\u003cb\u003e😀"}`},
		{name: "lone surrogate", method: "TransferChatSession", contentType: "application/json",
			body: `{"chatSessionId":1,"toAssociate":"\ud800"}`, wantErr: "ToAssociate must be a non-empty string"},
		{name: "256 characters", method: "TransferChatSession", contentType: "application/json",
			body: `{"chatSessionId":1,"toAssociate":"` + strings.Repeat("ø", 256) + `"}`, wantErr: "ToAssociate must be"},
		{name: "conflicting duplicates", method: "TransferChatSession", contentType: "application/json",
			body: `{"chatSessionId":1,"toAssociate":"a"}`, query: "ToAssociate=b", wantErr: "ToAssociate is given more than once"},
		{name: "AddChatMessage as the client sends it", method: "AddChatMessage", contentType: "application/json",
			body: `{"chatSessionId":5,"message":{"chatSessionId":5,"type":"ToCustomer","message":"hi","specialType":"None","whenPosted":"2024-01-02T00:00:00.000Z","extra":[1]}}`,
			want: `{"ChatSessionId":5,"Message":{"ChatSessionId":5,"Type":"ToCustomer","Message":"hi","SpecialType":"None","WhenPosted":"2024-01-02T00:00:00.000","extra":[1]}}`},
		{name: "enum by number", method: "AddChatMessage", contentType: "application/json",
			body: `{"chatSessionId":5,"message":{"type":2,"specialType":"7"}}`, want: `{"ChatSessionId":5,"Message":{"Type":"ToUser","SpecialType":"Error"}}`},
		{name: "a re-saved entity: metadata dropped, numeric flags, Z dates, nulls", method: "SaveChatSessionEntity", contentType: "application/json",
			body: `{"tableRight":{"mask":15,"reason":""},"fieldProperties":{"ChatSessionId":{"fieldRight":{"mask":1}}},"chatSessionId":12,"status":"CustomerLast","flags":1,"whenRequested":"2024-03-05T09:11:12.000Z","whenEnded":null,"user":{"tableRight":{"mask":3},"associateId":7,"type":"InternalAssociate","extraFields":{}},"person":null}`,
			want: `{"ChatSessionId":12,"Status":"CustomerLast","Flags":"UserIsTyping","WhenRequested":"2024-03-05T09:11:12.000","WhenEnded":null,"User":{"AssociateId":7,"Type":"InternalAssociate","ExtraFields":{}},"Person":null}`},
		{name: "property path in an error", method: "SaveChatSessionEntity", contentType: "application/json",
			body: `{"user":{"type":"Boss"}}`, wantErr: "ChatSessionEntity.User.Type must be a UserType member name or number"},
		{name: "a new entity's id is 0", method: "SaveChatSessionEntity", contentType: "application/json",
			body: `{"chatSessionId":0,"topicId":"0"}`, want: `{"ChatSessionId":0,"TopicId":0}`},
		{name: "no record has a negative id", method: "SaveChatSessionEntity", contentType: "application/json",
			body: `{"chatSessionId":-1}`, wantErr: "ChatSessionEntity.ChatSessionId must be an integer from 0 to 2147483647"},
		{name: "nor a message's session", method: "AddChatMessage", contentType: "application/json",
			body: `{"chatSessionId":5,"message":{"chatSessionId":"-5"}}`, wantErr: "Message.ChatSessionId must be an integer from 0 to 2147483647"},
		{name: "nor an agent's topic, in XML", method: "UpdateChatTopicUserAgents", contentType: "text/xml",
			body:    `<r><ChatTopicId>1</ChatTopicId><Useragents><ChatTopicAgent><TopicId>-2</TopicId></ChatTopicAgent></Useragents></r>`,
			wantErr: "Useragents[0].TopicId must be an integer from 0 to 2147483647"},
		{name: "other integers may be negative", method: "SaveChatSessionEntity", contentType: "application/json",
			body: `{"chatSessionId":3,"rank":-1,"user":{"associateId":-1}}`, want: `{"ChatSessionId":3,"Rank":-1,"User":{"AssociateId":-1}}`},
		{name: "array element path in an error", method: "UpdateChatTopicUserAgents", contentType: "application/json",
			body: `{"chatTopicId":1,"useragents":[{"canListen":true},{"canListen":"often"}]}`, wantErr: "Useragents[1].CanListen must be true or false"},
		{name: "flags by names", method: "SaveChatTopicEntity", contentType: "application/json",
			body: `{"widget":{"requiredFields":"name,email"}}`, want: `{"Widget":{"RequiredFields":"Email, Name"}}`},
		{name: "required id never null", method: "GetChatMessages", contentType: "application/json",
			body: `{"chatSessionId":null}`, wantErr: "ChatSessionId is required"},
		{name: "xml with nested entity", method: "AddChatMessage", contentType: "text/xml",
			body: `<r><ChatSessionId> 5 </ChatSessionId><Message><Type>ToUser</Type><Message>a &amp; b</Message><WhenPosted i:nil="true" xmlns:i="x"/></Message></r>`,
			want: `{"ChatSessionId":5,"Message":{"Type":"ToUser","Message":"a \u0026 b","WhenPosted":null}}`},
		{name: "xml entity as the root of a Save", method: "SaveChatPresence", contentType: "application/xml",
			body: `<x><ChatPresence><ChatPresence><UserId>13</UserId><Present>false</Present><ChatTopics><int>1</int><int>2</int></ChatTopics></ChatPresence></ChatPresence></x>`,
			want: `{"ChatPresence":[{"UserId":13,"Present":false,"ChatTopics":[1,2]}]}`},
		{name: "form scalars", method: "GetUserAgentList", contentType: "application/x-www-form-urlencoded",
			body: "flat=true&OnlyPresent=False", want: `{"Flat":true,"OnlyPresent":false}`},
		{name: "form cannot carry an entity", method: "AddChatMessage", contentType: "application/x-www-form-urlencoded",
			body: "chatSessionId=1&message=hi", wantErr: "Message is a ChatMessage: send it in a JSON or XML body"},
		{name: "another type", method: "GetChatPresence", contentType: "text/plain", body: "x", wantErr: "unsupported Content-Type"},
		{name: "a document type declaration", method: "GetChatMessages", contentType: "text/xml",
			body: `<!DOCTYPE r [<!ENTITY x "y">]><r/>`, wantErr: "document type declarations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := c.Method(tc.method)
			q, _ := url.ParseQuery(tc.query)
			call, err := Decode(m, tc.contentType, []byte(tc.body), q, dates)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := call.AppendBody(nil, func(*Param) bool { return true })
			if string(got) != tc.want {
				t.Fatalf("canonical = %s\nwant        %s", got, tc.want)
			}
		})
	}
}

func TestTemplate(t *testing.T) {
	names := map[string]string{"chatsessionid": "ChatSessionId", "toassociate": "ToAssociate", "caller": Caller}
	name := func(n string) (string, bool) { v, ok := names[strings.ToLower(n)]; return v, ok }
	for _, tc := range []struct {
		name, tmpl          string
		values              map[string]string
		wantPath, wantQuery string
		wantErr             string
		wantExpandErr       string
	}{
		{name: "id", tmpl: "/legacy/sessions/{ChatSessionId}", values: map[string]string{"ChatSessionId": "157"}, wantPath: "/legacy/sessions/157"},
		{name: "escaped as one segment", tmpl: "/s/{chatsessionid}/to/{ToAssociate}", values: map[string]string{"ChatSessionId": "1", "ToAssociate": "a/b c?d%e"},
			wantPath: "/s/1/to/a%2Fb%20c%3Fd%25e"},
		{name: "query", tmpl: "/s/{ChatSessionId}/transfer?to={ToAssociate}&x=1&by={caller}", values: map[string]string{"ChatSessionId": "2", "ToAssociate": "a&b=c d", Caller: "ann"},
			wantPath: "/s/2/transfer", wantQuery: "to=a%26b%3Dc+d&x=1&by=ann"},
		{name: "missing in the query: empty", tmpl: "/s?to={ToAssociate}", values: map[string]string{}, wantPath: "/s", wantQuery: "to="},
		{name: "missing in the path", tmpl: "/s/{ToAssociate}", values: map[string]string{}, wantExpandErr: "needs ToAssociate"},
		{name: "missing caller in the query", tmpl: "/s?by={caller}", values: map[string]string{}, wantExpandErr: "needs caller"},
		{name: "dot value", tmpl: "/s/{ToAssociate}/x", values: map[string]string{"ToAssociate": ".."}, wantExpandErr: `".." path segment`},
		{name: "dots inside a value", tmpl: "/s/{ToAssociate}/x", values: map[string]string{"ToAssociate": "a..b"}, wantPath: "/s/a..b/x"},
		{name: "relative", tmpl: "legacy/{ChatSessionId}", wantErr: "must start with /"},
		{name: "absolute url", tmpl: "//host/x", wantErr: "not a valid URL path"},
		{name: "fragment", tmpl: "/x#y", wantErr: "fragment"},
		{name: "unknown placeholder", tmpl: "/x/{Id}", wantErr: "unknown placeholder {Id}"},
		{name: "unclosed", tmpl: "/x/{ChatSessionId", wantErr: "unmatched {"},
		{name: "stray close", tmpl: "/x/}", wantErr: "unmatched }"},
		{name: "literal dot segment", tmpl: "/x/../{ChatSessionId}", wantErr: ". or .. segments"},
		{name: "bad escape", tmpl: "/x/%zz", wantErr: "not a valid URL path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tc.tmpl, name)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseTemplate(%q) error = %v; want %q", tc.tmpl, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, q, err := tmpl.Expand(func(n string) (string, bool) { v, ok := tc.values[n]; return v, ok })
			if tc.wantExpandErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantExpandErr) {
					t.Fatalf("Expand error = %v; want %q", err, tc.wantExpandErr)
				}
				return
			}
			if err != nil || p != tc.wantPath || q != tc.wantQuery {
				t.Fatalf("Expand = %q, %q, %v; want %q, %q", p, q, err, tc.wantPath, tc.wantQuery)
			}
		})
	}
}

// ToAssociate and Username: 1 to 255 characters, no control character, no
// unpaired surrogate, in every body type.
func TestDecodeUserNames(t *testing.T) {
	m := Chat().Method("TransferChatSession")
	for _, tc := range []struct {
		name, contentType, body string
		ok                      bool
	}{
		{"plain", "application/json", `{"chatSessionId":1,"toAssociate":"Bjørn"}`, true},
		{"a surrogate pair", "application/json", `{"chatSessionId":1,"toAssociate":"\ud83d\ude00"}`, true},
		{"255 characters", "application/json", `{"chatSessionId":1,"toAssociate":"` + strings.Repeat("ø", 255) + `"}`, true},
		{"256 characters", "application/json", `{"chatSessionId":1,"toAssociate":"` + strings.Repeat("ø", 256) + `"}`, false},
		{"empty", "application/json", `{"chatSessionId":1,"toAssociate":""}`, false},
		{"NUL", "application/json", `{"chatSessionId":1,"toAssociate":"a\u0000"}`, false},
		{"CR LF", "application/json", `{"chatSessionId":1,"toAssociate":"a\r\nX-Evil: 1"}`, false},
		{"tab", "application/json", `{"chatSessionId":1,"toAssociate":"a\tb"}`, false},
		{"DEL", "application/json", `{"chatSessionId":1,"toAssociate":"a\u007f"}`, false},
		{"C1", "application/json", `{"chatSessionId":1,"toAssociate":"a\u0085"}`, false},
		{"lone high surrogate", "application/json", `{"chatSessionId":1,"toAssociate":"\ud800"}`, false},
		{"lone low surrogate", "application/json", `{"chatSessionId":1,"toAssociate":"\udc00x"}`, false},
		{"reversed pair", "application/json", `{"chatSessionId":1,"toAssociate":"\ude00\ud83d"}`, false},
		{"invalid UTF-8 in a form", "application/x-www-form-urlencoded", "chatSessionId=1&toAssociate=%ff", false},
		{"control character in a form", "application/x-www-form-urlencoded", "chatSessionId=1&toAssociate=a%0d%0a", false},
		{"surrogate reference in XML", "text/xml", `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#xD800;</ToAssociate></r>`, false},
		{"NUL reference in XML", "text/xml", `<r><ChatSessionId>1</ChatSessionId><ToAssociate>a&#0;</ToAssociate></r>`, false},
		{"emoji reference in XML", "text/xml", `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#x1F600;</ToAssociate></r>`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(m, tc.contentType, []byte(tc.body), nil, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("error = %v; want ok %v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "ToAssociate") && !strings.Contains(err.Error(), "not valid XML") {
				t.Fatalf("error %q does not name ToAssociate", err)
			}
		})
	}
	query, _ := url.ParseQuery("chatSessionId=1&toAssociate=%c3%28")
	if _, err := Decode(m, "", nil, query, nil); err == nil || !strings.Contains(err.Error(), "ToAssociate") {
		t.Fatalf("invalid UTF-8 in the query: %v", err)
	}
}
