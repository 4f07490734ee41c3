package format_test

import (
	"fmt"

	"github.com/chatgate/chatgate/format"
)

func ExampleNegotiate() {
	choice := format.Negotiate([]string{"application/json;q=0.5, text/xml"})
	fmt.Println(choice.XML, choice.ContentType())
	// Output: true text/xml; charset=utf-8
}

func ExampleAppendXML() {
	out, err := format.AppendXML(nil, []byte(`[{"ChatSessionId":157,"TransferTo":null}]`), "ChatSessionEntity")
	fmt.Println(string(out), err)
	// Output: <?xml version="1.0" encoding="utf-8"?><ArrayOfChatSessionEntity xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ChatSessionEntity><ChatSessionId>157</ChatSessionId><TransferTo i:nil="true"/></ChatSessionEntity></ArrayOfChatSessionEntity> <nil>
}

func ExampleIsJSON() {
	fmt.Println(format.IsJSON("application/problem+json; charset=utf-8"), format.IsJSON("text/plain"))
	// Output: true false
}
