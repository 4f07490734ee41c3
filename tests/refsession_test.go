package tests

// The reference pages' ChatSession entity, as the tests of the response
// pipeline feed it to the gateway: PascalCase keys in the pages' order,
// enums as names, dates with offsets and seven fractional digits, the
// Carrier's TableRight and FieldProperties. (The sample backend speaks its
// own camelCase dialect; these tests need the pages' shape.)

// refAssociate is the pages' Associate, as User and TransferTo.
type refAssociate struct {
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

// refFieldProperty describes one field's rights.
type refFieldProperty struct {
	FieldRight  any
	FieldType   string
	FieldLength int32
}

// refSession is the pages' ChatSession entity, fields in their order.
type refSession struct {
	ChatSessionId       int32
	TopicId             int32
	User                *refAssociate
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
	TransferTo          *refAssociate
	ChatbotIsActive     bool
	Rating              int32
	TableRight          any
	FieldProperties     map[string]refFieldProperty
}

// refSessions are 157 (TJE0's), 184 (ANN's, to TJE0), 746 (closed) and 798
// (BOB's, to ANN), in the pages' shape.
func refSessions() []refSession {
	tje0 := refAssociate{AssociateId: 13, Name: "TJE0", PersonId: 21, Rank: 1, Tooltip: "Tom Jensen", Type: "Employee",
		GroupIdx: 2, FullName: "Tom Jensen", FormalName: "Jensen, Tom", EjUserId: 3, UserName: "tje0"}
	ann := refAssociate{AssociateId: 14, Name: "ANN", PersonId: 22, Rank: 2, Tooltip: "Anna Nordmann", Type: "Employee",
		GroupIdx: 2, FullName: "Anna Nordmann", FormalName: "Nordmann, Anna", EjUserId: 4, UserName: "ann"}
	bob := refAssociate{AssociateId: 15, Name: "BOB", PersonId: 23, Rank: 3, Tooltip: "Bob Smith", Type: "Employee",
		GroupIdx: 3, FullName: "Bob Smith", FormalName: "Smith, Bob", EjUserId: 5, UserName: "bob.smith"}
	return []refSession{
		refSessionOf(157, &tje0, nil, "Active", "Streich, Renner and Bradtke", "2000-12-04T11:10:26.1095254+01:00", "2021-06-18T11:10:26.1095254+02:00"),
		refSessionOf(184, &ann, &tje0, "Active", "Russel LLC", "2017-09-17T11:10:26.1285249+02:00", "2012-03-01T11:10:26.1285249+01:00"),
		refSessionOf(746, nil, nil, "Closed", "Jaskolski-Considine", "2008-11-23T11:10:26.1095254+01:00", "2022-01-01T11:10:26.1095254+01:00"),
		refSessionOf(798, &bob, &ann, "Active", "Marquardt-Rolfson", "2014-02-03T11:10:26.1285249+01:00", "2013-03-11T11:10:26.1285249+01:00"),
	}
}

func refSessionOf(id int32, user, transferTo *refAssociate, status, customer, requested, started string) refSession {
	return refSession{
		ChatSessionId:       id,
		TopicId:             225,
		User:                user,
		CustomerAlias:       "illum",
		CustomerHost:        "voluptatem",
		CustomerName:        customer,
		CustomerEmail:       "elvie_west@zemlak.info",
		CustomerPhone:       "(007)289-6587 x8202",
		CustomerConsented:   true,
		CustomerCompanyName: customer,
		Status:              status,
		FirstMessage:        "aliquam",
		LastMessage:         "earum",
		WhenRequested:       requested,
		WhenStarted:         started,
		WhenEnded:           "1995-07-25T11:10:26.1095254+02:00",
		WhenIdle:            "2022-01-01T11:10:26.1095254+01:00",
		WhenFetched:         "2008-11-23T11:10:26.1095254+01:00",
		SessionKey:          "illum",
		InitialQueuePos:     143,
		AlertLevel:          44,
		Rank:                789,
		Flags:               "CustomerIsTyping",
		TransferTo:          transferTo,
		Rating:              33,
		FieldProperties: map[string]refFieldProperty{
			"fieldName": {FieldType: "System.Int32", FieldLength: 377},
		},
	}
}
