package agent

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// Properties the catalogue does not know (and the content of Object and Map
// properties) are kept as they came, but only once they meet the rules
// every value of a request meets: strings and property names of valid
// Unicode, no name twice in one object (in any ASCII case, as known names
// are matched), no nesting past maxDepth. JSON and XML alike; a refusal is
// a 400 naming the property path.
func TestDecodeUnknownProperties(t *testing.T) {
	// deep is a value of n nested arrays.
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	// xmlDeep is n nested elements.
	xmlDeep := func(n int) string { return strings.Repeat("<a>", n) + "x" + strings.Repeat("</a>", n) }
	const (
		add  = "AddChatMessage"
		save = "SaveChatSessionEntity"
		js   = "application/json"
		xml  = "application/xml"
		form = "application/x-www-form-urlencoded"
	)
	for _, tc := range []struct {
		name, method, contentType, body string
		want                            string // the canonical body, when accepted
		wantErr                         string // the whole message, when refused
	}{
		// Unicode in values and names.
		{name: "lone high surrogate escape in an unknown value", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"message":"hi","zz":"\ud800"}}`, wantErr: "Message.zz must be a string, of valid Unicode"},
		{name: "lone low surrogate escape as an unknown name", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"message":"hi","\udc00":1}}`, wantErr: "Message has a property name that is not valid Unicode"},
		{name: "invalid UTF-8 in an unknown value", method: add, contentType: js,
			body: "{\"chatSessionId\":5,\"message\":{\"message\":\"hi\",\"zz\":\"a\xffb\"}}", wantErr: "Message.zz must be a string, of valid Unicode"},
		{name: "invalid UTF-8 in an unknown name", method: add, contentType: js,
			body: "{\"chatSessionId\":5,\"message\":{\"z\xffz\":1}}", wantErr: "Message has a property name that is not valid Unicode"},
		{name: "overlong UTF-8 in a Save entity's unknown value", method: save, contentType: js,
			body: "{\"chatSessionId\":5,\"zz\":\"\xc0\xaf\"}", wantErr: "ChatSessionEntity.zz must be a string, of valid Unicode"},
		{name: "surrogate written in UTF-8", method: save, contentType: js,
			body: "{\"chatSessionId\":5,\"zz\":\"\xed\xa0\x80\"}", wantErr: "ChatSessionEntity.zz must be a string, of valid Unicode"},
		{name: "lone surrogate deep inside an unknown value", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"zz":[1,{"k":["ok","\udfff"]}]}}`, wantErr: "Message.zz[1].k[1] must be a string, of valid Unicode"},
		{name: "lone surrogate name deep inside an unknown value", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"zz":{"k":{"\ud800x":1}}}}`, wantErr: "Message.zz.k has a property name that is not valid Unicode"},
		{name: "lone surrogate in an Object property", method: save, contentType: js,
			body: `{"chatSessionId":5,"person":{"firstname":"\ud800"}}`, wantErr: "ChatSessionEntity.Person.firstname must be a string, of valid Unicode"},
		{name: "lone surrogate in a Map value", method: save, contentType: js,
			body: `{"chatSessionId":5,"user":{"extraFields":{"x_a":"\udbff"}}}`, wantErr: "ChatSessionEntity.User.ExtraFields.x_a must be a string, of valid Unicode"},
		{name: "lone surrogate as a Map key", method: save, contentType: js,
			body: `{"chatSessionId":5,"user":{"customFields":{"\ud800":"a"}}}`, wantErr: "ChatSessionEntity.User.CustomFields has a property name that is not valid Unicode"},
		{name: "an unprintable name is named by its position", method: save, contentType: js,
			body: `{"chatSessionId":5,"a\u0000":"\ud800"}`, wantErr: "ChatSessionEntity.(property 2) must be a string, of valid Unicode"},
		{name: "surrogate pairs and escapes pass, kept as written", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"message":"hi","zz":"\ud83d\ude00 <b>","\u00e6":{"a":[1,true,null,"\u0041"]}}}`,
			want: `{"ChatSessionId":5,"Message":{"Message":"hi","zz":"\ud83d\ude00 <b>","\u00e6":{"a":[1,true,null,"\u0041"]}}}`},

		// The same name twice.
		{name: "the same unknown name twice, and in another case", method: save, contentType: js,
			body: `{"chatSessionId":5,"Extra":"a","Extra":"b","extra":"c"}`, wantErr: "ChatSessionEntity.Extra is given more than once"},
		{name: "an unknown name in another case", method: save, contentType: js,
			body: `{"chatSessionId":5,"Extra":"a","eXTRA":"a"}`, wantErr: "ChatSessionEntity.eXTRA is given more than once"},
		{name: "an unknown name twice, once escaped", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"zz":1,"\u007a\u005A":2}}`, wantErr: "Message.zZ is given more than once"},
		{name: "the same name twice inside an unknown object", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"zz":[{"a":1,"A":1}]}}`, wantErr: "Message.zz[0].A is given more than once"},
		{name: "the same key twice in a Map", method: save, contentType: js,
			body: `{"chatSessionId":5,"user":{"extraFields":{"x_a":"1","X_A":"2"}}}`, wantErr: "ChatSessionEntity.User.ExtraFields.X_A is given more than once"},
		{name: "the same name twice in an Object property", method: save, contentType: js,
			body: `{"chatSessionId":5,"person":{"id":1,"id":2}}`, wantErr: "ChatSessionEntity.Person.id is given more than once"},
		{name: "a known name twice, as before", method: save, contentType: js,
			body: `{"chatSessionId":5,"ChatSessionId":5}`, wantErr: "ChatSessionEntity.ChatSessionId is given more than once"},
		{name: "different unknown names pass", method: save, contentType: js,
			body: `{"chatSessionId":5,"Extra":"a","Extra2":{"a":"1","b":"2"}}`, want: `{"ChatSessionId":5,"Extra":"a","Extra2":{"a":"1","b":"2"}}`},

		// Nesting.
		{name: "32,000 arrays under an unknown property", method: add, contentType: js,
			body:    `{"chatSessionId":5,"message":{"message":"hi","zz":` + deep(32000) + `}}`,
			wantErr: "Message.zz is nested too deeply: a request body may nest at most 64 arrays and objects"},
		{name: "one level past the bound", method: add, contentType: js, // the body, Message, then zz's arrays
			body:    `{"chatSessionId":5,"message":{"zz":` + deep(maxDepth-1) + `}}`,
			wantErr: "Message.zz is nested too deeply: a request body may nest at most 64 arrays and objects"},
		{name: "exactly at the bound", method: add, contentType: js,
			body: `{"chatSessionId":5,"message":{"zz":` + deep(maxDepth-2) + `}}`,
			want: `{"ChatSessionId":5,"Message":{"zz":` + deep(maxDepth-2) + `}}`},
		{name: "a Save entity's own object counts as the body's", method: save, contentType: js,
			body:    `{"chatSessionId":5,"zz":` + deep(maxDepth) + `}`,
			wantErr: "ChatSessionEntity.zz is nested too deeply: a request body may nest at most 64 arrays and objects"},
		{name: "a Save entity at the bound", method: save, contentType: js,
			body: `{"zz":` + deep(maxDepth-1) + `}`, want: `{"zz":` + deep(maxDepth-1) + `}`},
		{name: "deep in an Object property", method: save, contentType: js,
			body:    `{"person":{"a":` + deep(maxDepth) + `}}`,
			wantErr: "ChatSessionEntity.Person is nested too deeply: a request body may nest at most 64 arrays and objects"},

		// XML: the same checks, on the JSON the elements make.
		{name: "XML: chatgate's own duplicates from repeated elements", method: add, contentType: xml,
			body:    `<r><chatSessionId>5</chatSessionId><message><message>hi</message><zz>1</zz><zz>2</zz></message></r>`,
			wantErr: "Message.zz is given more than once"},
		{name: "XML: repeated elements in another case", method: save, contentType: "text/xml",
			body:    `<ChatSessionEntity><ChatSessionId>5</ChatSessionId><Extra>a</Extra><extra>b</extra></ChatSessionEntity>`,
			wantErr: "ChatSessionEntity.extra is given more than once"},
		{name: "XML: repeated elements inside an unknown one", method: add, contentType: xml,
			body:    `<r><chatSessionId>5</chatSessionId><message><zz><a>1</a><A>2</A></zz></message></r>`,
			wantErr: "Message.zz.A is given more than once"},
		{name: "XML: repeated elements in an Object property", method: save, contentType: xml,
			body:    `<e><Person><Phone>1</Phone><Phone>2</Phone></Person></e>`,
			wantErr: "ChatSessionEntity.Person.Phone is given more than once"},
		{name: "XML: a known element twice, as before", method: add, contentType: xml,
			body:    `<r><chatSessionId>5</chatSessionId><message><message>hi</message><Message>ho</Message></message></r>`,
			wantErr: "Message.Message is given more than once"},
		{name: "XML: invalid UTF-8 in an unknown element", method: add, contentType: xml,
			body:    "<r><chatSessionId>5</chatSessionId><message><zz>a\xffb</zz></message></r>",
			wantErr: "the request body is not valid XML"},
		{name: "XML: a surrogate reference in an unknown element", method: add, contentType: xml,
			body:    `<r><chatSessionId>5</chatSessionId><message><zz>&#xDC00;</zz></message></r>`,
			wantErr: "the request body is not valid XML: a character reference names a character XML does not allow"},
		{name: "XML: nesting past the bound under an unknown element", method: add, contentType: xml,
			body:    `<r><chatSessionId>5</chatSessionId><message><zz>` + xmlDeep(maxDepth) + `</zz></message></r>`,
			wantErr: "the request body's XML is nested too deeply"},
		{name: "XML: distinct unknown elements pass", method: add, contentType: xml,
			body: `<r><chatSessionId>5</chatSessionId><message><message>hi</message><zz>1</zz><yy><a>2</a><b>3</b></yy></message></r>`,
			want: `{"ChatSessionId":5,"Message":{"Message":"hi","zz":"1","yy":{"a":"2","b":"3"}}}`},

		// Forms carry scalar parameters only: a field the method does not
		// have is ignored and never reaches the backend.
		{name: "form: an unknown field is not forwarded", method: "TransferChatSession", contentType: form,
			body: "chatSessionId=1&toAssociate=ann&zz=%ff&zz=%ed%a0%80", want: `{"ChatSessionId":1,"ToAssociate":"ann"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			call, err := Decode(Chat().Method(tc.method), tc.contentType, []byte(tc.body), url.Values{}, nil)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.StatusCode() != 400 || e.Message != tc.wantErr {
					t.Fatalf("error = %v; want 400 %q", err, tc.wantErr)
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
