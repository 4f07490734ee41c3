package agent

import (
	"testing"

	"github.com/chatgate/chatgate/internal/jsonpass"
	selection "github.com/chatgate/chatgate/select"
)

func TestShapes(t *testing.T) {
	shapes := NewShapes(Chat())
	for _, tc := range []struct {
		name, method, answer, want string
	}{
		{"a legacy session: keys, enums, flags, nested, metadata; unknown kept", "GetChatSessionEntity",
			`{"chatSessionId":157,"status":4,"flags":0,"user":{"associateId":13,"type":1,"extraFields":{"x":"y"}},"transferTo":null,"tableRight":{"mask":15},"legacyOnly":{"status":4}}`,
			`{"ChatSessionId":157,"Status":"InQueue","Flags":"CustomerIsTyping","User":{"AssociateId":13,"Type":"InternalAssociate","ExtraFields":{"x":"y"}},"TransferTo":null,"TableRight":{"Mask":"FULL"},"legacyOnly":{"status":4}}`},
		{"metadata: its flags as names (the client fails on a number), FieldProperties' keys spelled as the carrier's, others kept", "GetChatSessionEntity",
			`{"tableRight":{"mask":3,"reason":""},"fieldProperties":{"chatSessionId":{"fieldRight":{"mask":65,"reason":"x"},"fieldType":"System.Int32","fieldLength":"4"},"CustomFields.SuperOffice:4":{"FieldRight":{"Mask":0}}},"user":{"TableRight":{"Mask":"select"},"fieldProperties":{"fullName":{}}}}`,
			`{"TableRight":{"Mask":"UR","Reason":""},"FieldProperties":{"ChatSessionId":{"FieldRight":{"Mask":"Read, UIHintMandatory","Reason":"x"},"FieldType":"System.Int32","FieldLength":4},"CustomFields.SuperOffice:4":{"FieldRight":{"Mask":"None"}}},"User":{"TableRight":{"Mask":"Select"},"FieldProperties":{"FullName":{}}}}`},
		{"names in another case are spelled as the catalogue does", "GetChatSessionEntity",
			`{"STATUS":"inqueue","Flags":"UserIsTyping"}`, `{"Status":"InQueue","Flags":"UserIsTyping"}`},
		{"a list", "GetChatMessages",
			`[{"chatMessageId":1,"type":2,"specialType":0},{"chatMessageId":2,"type":"ToCustomer","specialType":18}]`,
			`[{"ChatMessageId":1,"Type":"ToUser","SpecialType":"None"},{"ChatMessageId":2,"Type":"ToCustomer","SpecialType":"IllegalFileType"}]`},
		{"recursive items", "GetUserAgentList",
			`[{"id":1,"childItems":[{"id":2,"childItems":[]}]}]`, `[{"Id":1,"ChildItems":[{"Id":2,"ChildItems":[]}]}]`},
		{"flags of several members", "GetChatTopicEntity",
			`{"widget":{"requiredFields":3,"offlineFields":0,"size":1,"theme":0}}`,
			`{"Widget":{"RequiredFields":"Email, Name","OfflineFields":"None","Size":"Large","Theme":"Classic"}}`},
		{"a number no member names is its number as a string, as .NET writes it (a flags number made the client throw)", "GetChatSessionEntity",
			`{"status":99,"flags":2,"tableRight":{"mask":256},"user":{"tableRight":{"mask":-1}}}`,
			`{"Status":"99","Flags":"2","TableRight":{"Mask":"256"},"User":{"TableRight":{"Mask":"-1"}}}`},
		{"legacy booleans, numbers as strings, flags in another case", "GetChatSessionEntity",
			`{"chatSessionId":"157","customerConsented":1,"chatbotIsActive":"FALSE","rating":"07","alertLevel":"-3","flags":"useristyping","customerName":"12"}`,
			`{"ChatSessionId":157,"CustomerConsented":true,"ChatbotIsActive":false,"Rating":"07","AlertLevel":-3,"Flags":"UserIsTyping","CustomerName":"12"}`},
		{"an enum's number as a string or in another JSON form; an Int32 string out of range or with a fraction stays", "GetChatSessionEntity",
			`{"status":"4","flags":1e0,"rank":"99999999999","rating":"157.5","alertLevel":"-2147483648","initialQueuePos":1.5}`,
			`{"Status":"InQueue","Flags":"UserIsTyping","Rank":"99999999999","Rating":"157.5","AlertLevel":-2147483648,"InitialQueuePos":1.5}`},
		{"flags as 1.0 and 10E-1; an enum number with a fraction, or too large, is its text in a string (a flags number made the client throw)", "GetChatTopicEntity",
			`{"widget":{"requiredFields":3.0,"offlineFields":10E-1,"size":1.5,"theme":1e400}}`,
			`{"Widget":{"RequiredFields":"Email, Name","OfflineFields":"Email","Size":"1.5","Theme":"1e400"}}`},
		{"an empty enum string stays", "GetChatSessionEntity", `{"status":"","flags":""}`, `{"Status":"","Flags":""}`},
		{"a boolean that is no boolean stays", "GetChatPresence", `[{"present":2,"userId":"x"}]`, `[{"Present":2,"UserId":"x"}]`},
		{"null", "GetChatSessionEntity", `null`, `null`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := selection.Rewrite(nil, []byte(tc.answer), nil, nil, shapes.Of(Chat().Method(tc.method).Returns))
			if err != nil || string(got) != tc.want {
				t.Fatalf("shaped = %s, %v\nwant     %s", got, err, tc.want)
			}
		})
	}
	for _, m := range []string{"GetChatTranscript", "DeleteChatSessionEntity"} {
		if shapes.Of(Chat().Method(m).Returns) != nil {
			t.Errorf("%s: a string or void answer has a shape", m)
		}
	}
	// A boolean answer a legacy backend writes as 1 is true.
	if got, err := selection.Rewrite(nil, []byte(`1`), nil, nil, shapes.Of(Chat().Method("IsWithinOpeningHours").Returns)); err != nil || string(got) != "true" {
		t.Errorf("IsWithinOpeningHours of 1 = %s, %v", got, err)
	}
}

// Shaping an answer allocates nothing: it runs over every agent answer. The
// engine's pass is held here, as its pool holds it outside -race (whose
// sync.Pool drops items on purpose).
func TestShapeAllocatesNothing(t *testing.T) {
	shape := NewShapes(Chat()).Of(Chat().Method("GetChatMessages").Returns)
	doc := []byte(`[{"chatMessageId":1,"type":2,"specialType":0,"whenPosted":"2021-06-18T11:10:41","flags":"x"},{"chatMessageId":2,"type":"touser","message":"x"}]`)
	dst := make([]byte, 0, 4*len(doc))
	var p jsonpass.Pass
	if n := testing.AllocsPerRun(100, func() {
		if _, err := p.Append(dst[:0], doc, jsonpass.Options{Shape: shape}); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per answer", n)
	}
}
