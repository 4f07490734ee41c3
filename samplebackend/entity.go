// Package samplebackend is a legacy chat backend for demos and tests: chat
// sessions in memory, shaped as the reference pages' ChatSession entity, on
// legacy routes of its own. It has none of the API features chatgate adds:
// no auth checks, no $select, no time zones, no languages, no XML, and no
// transfer rules.
package samplebackend

// Associate is a user agent, as the reference pages' User and TransferTo.
type Associate struct {
	AssociateId int32
	Name        string
	PersonId    int32
	Rank        int32
	Tooltip     string
	Type        string
	GroupIdx    int32
	FullName    string
	FormalName  string
	Deleted     bool
	EjUserId    int32
	UserName    string
}

// FieldProperty describes one field's rights, as in the reference pages.
type FieldProperty struct {
	FieldRight  any
	FieldType   string
	FieldLength int32
}

// Session is the reference pages' ChatSession entity, fields in their order.
// Dates are kept as text, with the offset and the seven fractional digits
// the reference samples show.
type Session struct {
	ChatSessionId       int32
	TopicId             int32
	User                *Associate
	Person              any
	CustomerAlias       string
	CustomerHost        string
	CustomerName        string
	CustomerEmail       string
	CustomerPhone       string
	CustomerConsented   bool
	CustomerCompanyName string
	Status              string
	FirstMessage        string
	LastMessage         string
	WhenRequested       string
	WhenStarted         string
	WhenEnded           string
	WhenIdle            string
	WhenFetched         string
	SessionKey          string
	InitialQueuePos     int32
	AlertLevel          int32
	Rank                int32
	Flags               string
	Contact             any
	Project             any
	Sale                any
	Ticket              any
	TransferTo          *Associate
	ChatbotIsActive     bool
	Rating              int32
	TableRight          any
	FieldProperties     map[string]FieldProperty
}
