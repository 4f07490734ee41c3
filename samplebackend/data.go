package samplebackend

// Associates are the backend's users. Basic credentials are not checked by
// the backend; the demo uses tje0, ann and bob.
func Associates() []Associate {
	return []Associate{
		{AssociateId: 13, Name: "TJE0", PersonId: 21, Rank: 1, Tooltip: "Tom Jensen", Type: "Employee",
			GroupIdx: 2, FullName: "Tom Jensen", FormalName: "Jensen, Tom", EjUserId: 3, UserName: "tje0"},
		{AssociateId: 14, Name: "ANN", PersonId: 22, Rank: 2, Tooltip: "Anna Nordmann", Type: "Employee",
			GroupIdx: 2, FullName: "Anna Nordmann", FormalName: "Nordmann, Anna", EjUserId: 4, UserName: "ann"},
		{AssociateId: 15, Name: "BOB", PersonId: 23, Rank: 3, Tooltip: "Bob Smith", Type: "Employee",
			GroupIdx: 3, FullName: "Bob Smith", FormalName: "Smith, Bob", EjUserId: 5, UserName: "bob.smith"},
	}
}

// SessionCookie is the cookie of a browser session at the backend.
const SessionCookie = "chat_session"

// CredentialSet names the users of the backend's tickets, bearer tokens
// and browser sessions.
type CredentialSet struct {
	Tickets  map[string]string // SOTicket credential -> user name
	Tokens   map[string]string // Bearer token -> user name
	Sessions map[string]string // chat_session cookie -> user name
}

// Credentials are the tickets, tokens and session cookies of tje0, ann and
// bob.smith (BOB).
func Credentials() CredentialSet {
	return CredentialSet{
		Tickets:  map[string]string{"7T:tje0-ticket": "tje0", "7T:ann-ticket": "ann", "7T:bob-ticket": "bob.smith"},
		Tokens:   map[string]string{"tje0-token": "tje0", "ann-token": "ann", "bob-token": "bob.smith"},
		Sessions: map[string]string{"tje0-session": "tje0", "ann-session": "ann", "bob-session": "bob.smith"},
	}
}

// Sessions are the backend's chat sessions when it starts:
//   - 157 is TJE0's, with no transfer pending;
//   - 184 is ANN's, being transferred to TJE0;
//   - 746 is the reference pages' closed session, with no user;
//   - 798 is BOB's, being transferred to ANN.
func Sessions() []Session {
	a := Associates()
	tje0, ann, bob := a[0], a[1], a[2]
	return []Session{
		session(157, &tje0, nil, "Active", "Streich, Renner and Bradtke", "2000-12-04T11:10:26.1095254+01:00", "2021-06-18T11:10:26.1095254+02:00"),
		session(184, &ann, &tje0, "Active", "Russel LLC", "2017-09-17T11:10:26.1285249+02:00", "2012-03-01T11:10:26.1285249+01:00"),
		session(746, nil, nil, "Closed", "Jaskolski-Considine", "2008-11-23T11:10:26.1095254+01:00", "2022-01-01T11:10:26.1095254+01:00"),
		session(798, &bob, &ann, "Active", "Marquardt-Rolfson", "2014-02-03T11:10:26.1285249+01:00", "2013-03-11T11:10:26.1285249+01:00"),
	}
}

func session(id int32, user, transferTo *Associate, status, customer, requested, started string) Session {
	return Session{
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
		FieldProperties: map[string]FieldProperty{
			"fieldName": {FieldType: "System.Int32", FieldLength: 377},
		},
	}
}
