package samplebackend

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// The backend stores and answers enums and flags as numbers (agents-chat.md
// B.4). Requests may name them instead, as chatgate's canonical JSON does
// ("InQueue", "UserIsTyping, CustomerIsTyping"): names match in any case,
// and a number, or a string of digits, is taken as it is.

// SessionStatus is a chat session's ChatSessionStatus.
type SessionStatus int32

// The statuses the backend sets itself.
const (
	StatusInvalid      SessionStatus = 0
	StatusInQueue      SessionStatus = 4
	StatusCustomerLast SessionStatus = 5 // active, the customer wrote last
	StatusUserLast     SessionStatus = 6 // active, the agent wrote last
	StatusClosed       SessionStatus = 9
)

// Active reports whether an agent is serving the session.
func (s SessionStatus) Active() bool { return s == StatusCustomerLast || s == StatusUserLast }

var sessionStatuses = []member{{"Invalid", 0}, {"PreChatForm", 1}, {"Faq", 2}, {"OfflineForm", 3},
	{"InQueue", 4}, {"CustomerLast", 5}, {"UserLast", 6}, {"Finished", 7}, {"Deleted", 8}, {"Closed", 9},
	{"RequestPosted", 10}, {"ClosedFromQueue", 11}}

func (s *SessionStatus) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, sessionStatuses, false, "status", (*int32)(s))
}

// SessionFlags are a session's ChatSessionFlags. CustomerIsTyping is 0.
type SessionFlags int32

var sessionFlags = []member{{"CustomerIsTyping", 0}, {"UserIsTyping", 1}}

func (f *SessionFlags) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, sessionFlags, true, "flags", (*int32)(f))
}

// MessageType is a chat message's ChatMessageType.
type MessageType int32

// The message types.
const (
	MessageToCustomer MessageType = 1 // from the agent to the customer
	MessageToUser     MessageType = 2 // from the customer to the agent
	MessageSpecial    MessageType = 3
)

var messageTypes = []member{{"Invalid", 0}, {"ToCustomer", 1}, {"ToUser", 2}, {"Special", 3}}

func (t *MessageType) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, messageTypes, false, "type", (*int32)(t))
}

// SpecialType is a chat message's ChatMessageSpecialType.
type SpecialType int32

var specialTypes = []member{{"None", 0}, {"Welcome", 1}, {"Url", 2}, {"Block", 3}, {"NewSession", 5},
	{"TransferedSession", 6}, {"Error", 7}, {"SessionDeleted", 8}, {"FaqSuccessQuestion", 9},
	{"ClosedByUser", 10}, {"ClosedByCustomer", 11}, {"ClosedByIdle", 12}, {"TransferRejected", 13},
	{"ReopenedByCustomer", 14}, {"ClickedOption", 15}, {"BotMessage", 16}, {"Options", 17},
	{"IllegalFileType", 18}}

func (t *SpecialType) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, specialTypes, false, "specialType", (*int32)(t))
}

// UserType is an associate's UserType.
type UserType int32

// InternalAssociate is the type of every user of the backend.
const InternalAssociate UserType = 1

var userTypes = []member{{"Unknown", 0}, {"InternalAssociate", 1}, {"ResourceAssociate", 2},
	{"ExternalAssociate", 3}, {"AnonymousAssociate", 4}, {"SystemAssociate", 5}}

func (t *UserType) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, userTypes, false, "type", (*int32)(t))
}

// WidgetSize is a chat widget's ChatWidgetSize.
type WidgetSize int32

var widgetSizes = []member{{"Normal", 0}, {"Large", 1}}

func (s *WidgetSize) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, widgetSizes, false, "size", (*int32)(s))
}

// WidgetTheme is a chat widget's WidgetTheme.
type WidgetTheme int32

var widgetThemes = []member{{"Classic", 0}, {"Modern", 1}}

func (t *WidgetTheme) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, widgetThemes, false, "theme", (*int32)(t))
}

// WidgetFields are a chat widget's WidgetRequiredFields flags.
type WidgetFields int32

var widgetFields = []member{{"None", 0}, {"Email", 1}, {"Name", 2}, {"Company", 4}, {"Phone", 8}, {"Country", 16}}

func (f *WidgetFields) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, widgetFields, true, "requiredFields", (*int32)(f))
}

type member struct {
	name  string
	value int32
}

// decodeEnum reads a JSON number, a member name (any case), a string of
// digits or, for flags, a list of names joined by commas, into v. JSON null
// leaves v as it is.
func decodeEnum(b []byte, members []member, flags bool, what string, v *int32) error {
	var n int32
	if err := json.Unmarshal(b, &n); err == nil {
		*v = n
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%s must be a number or a name, not %s", what, b)
	}
	parts := []string{s}
	if flags {
		parts = strings.Split(s, ",")
	}
	var sum int32
	for _, part := range parts {
		part = strings.TrimSpace(part)
		value, ok := lookup(members, part)
		if !ok {
			return fmt.Errorf("%s has no member %q", what, part)
		}
		sum |= value
	}
	*v = sum
	return nil
}

func lookup(members []member, name string) (int32, bool) {
	for _, m := range members {
		if strings.EqualFold(m.name, name) {
			return m.value, true
		}
	}
	n, err := strconv.ParseInt(name, 10, 32)
	return int32(n), err == nil
}
