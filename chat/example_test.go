package chat_test

import (
	"fmt"

	"github.com/chatgate/chatgate/chat"
)

func ExampleRule_Holds() {
	session := []byte(`{"chatSessionId":157,"user":{"name":"TJE0","userName":"tje0"},"transferTo":null}`)
	rule := chat.RuleOf("TransferChatSession")
	mine, _ := rule.Holds(session, "tje0", nil)
	theirs, _ := rule.Holds(session, "bob", nil)
	fmt.Println(mine, theirs)
	// Output: true false
}

func ExampleBackendMessage() {
	fmt.Println(chat.BackendMessage("application/json", []byte(`{"error":"db down","trace":"..."}`)))
	fmt.Println(chat.BackendMessage("text/html", []byte(`<html><body>502 Bad Gateway</body></html>`)) == "")
	// Output:
	// db down
	// true
}
