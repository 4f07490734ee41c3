package agent_test

import (
	"fmt"

	"github.com/chatgate/chatgate/agent"
	selection "github.com/chatgate/chatgate/select"
)

func ExampleCatalog_Method() {
	m := agent.Chat().Method("transferchatsession") // any ASCII case
	fmt.Println(m.Name, "returns", m.Returns.Name, "as XML", m.Returns.XMLRoot())
	for _, p := range m.Params {
		fmt.Println(" ", p.Name, p.In, p.Type.Name, "required:", p.Required)
	}

	s := agent.Chat().Method("SaveChatSessionEntity")
	entity := s.EntityParam().Type.Type
	fmt.Println(s.Name, "takes", entity.Name, "as the body; its", entity.Property([]byte("flags")).Name, "are", entity.Property([]byte("flags")).Type.Enum.Name)
	// Output:
	// TransferChatSession returns ChatSessionEntity as XML ChatSessionEntity
	//   ChatSessionId body Id required: true
	//   ToAssociate body UserName required: true
	// SaveChatSessionEntity takes ChatSessionEntity as the body; its Flags are ChatSessionFlags
}

func ExampleEnum_AppendFlags() {
	fields := agent.Chat().Type("ChatWidgetSettings").Property([]byte("RequiredFields")).Type.Enum
	b, ok := fields.AppendFlags(nil, 3)
	fmt.Println(string(b), ok)
	v, ok := fields.ParseFlags("email,phone")
	fmt.Println(v, ok)
	// Output:
	// Email, Name true
	// 9 true
}

func ExampleDecode() {
	m := agent.Chat().Method("AddChatMessage")
	call, err := agent.Decode(m, "application/json",
		[]byte(`{"chatSessionId":"157","message":{"type":1,"message":"hi","tableRight":{"mask":15}}}`), nil, nil)
	if err != nil {
		panic(err)
	}
	body, _ := call.AppendBody(nil, func(*agent.Param) bool { return true })
	fmt.Println(string(body))
	_, err = agent.Decode(m, "application/json", []byte(`{"chatSessionId":157,"message":{"type":"Shouting"}}`), nil, nil)
	fmt.Println(err)
	// Output:
	// {"ChatSessionId":157,"Message":{"Type":"ToCustomer","Message":"hi"}}
	// Message.Type must be a ChatMessageType member name or number
}

func ExampleShapes_Of() {
	c := agent.Chat()
	shape := agent.NewShapes(c).Of(c.Method("GetChatSessionEntity").Returns)
	out, _ := selection.Rewrite(nil, []byte(`{"chatSessionId":157,"status":4,"flags":1,"legacy":true}`), nil, nil, shape)
	fmt.Println(string(out))
	// Output: {"ChatSessionId":157,"Status":"InQueue","Flags":"UserIsTyping","legacy":true}
}
