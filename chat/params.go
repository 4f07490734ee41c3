package chat

import "net/http"

// Param is one parameter of an Agents/Chat method: its name as the
// reference pages spell it (the canonical JSON's key; clients may use any
// ASCII case), its value type, and whether the method needs it.
type Param struct {
	Name     string
	Type     ValueType
	Required bool
}

// ReturnKind is the kind of a method's declared return type. It decides how
// the backend's "nothing there" (404) is answered.
type ReturnKind int

// The return kinds of the Agents/Chat methods.
const (
	ReturnEntity  ReturnKind = iota + 1 // a carrier such as ChatSessionEntity
	ReturnList                          // an array of carriers
	ReturnVoid                          // no result: 204
	ReturnString                        // a JSON string
	ReturnBoolean                       // a JSON boolean
)

// NotFound is the answer to a backend 404 for a method of kind k, as the
// Agents API answers "nothing to return" (agents-chat.md D.5, F.1): 200 []
// for a list, 204 with no body for void, 200 null for every other kind.
func (k ReturnKind) NotFound() (status int, body []byte) {
	switch k {
	case ReturnList:
		return http.StatusOK, []byte("[]")
	case ReturnVoid:
		return http.StatusNoContent, nil
	}
	return http.StatusOK, []byte("null")
}

var (
	transferParams = []Param{
		{Name: FieldChatSessionID, Type: TypeID, Required: true},
		{Name: FieldToAssociate, Type: TypeUserName, Required: true},
	}
	sessionParams = []Param{
		{Name: FieldChatSessionID, Type: TypeID, Required: true},
	}
)

// Params lists the action's parameters, in canonical order. The slice is
// shared: callers must not change it.
func (a Action) Params() []Param {
	if a == Transfer {
		return transferParams
	}
	return sessionParams
}

// Returns is the kind of the action's return type: the three transfer
// methods answer with the session (ChatSessionEntity).
func (a Action) Returns() ReturnKind { return ReturnEntity }

// paramIndex returns the index of the parameter named name (ASCII
// case-insensitively), or -1.
func paramIndex(params []Param, name string) int {
	for i, p := range params {
		if asciiEqualFold(name, p.Name) {
			return i
		}
	}
	return -1
}
