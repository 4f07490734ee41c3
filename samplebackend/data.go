package samplebackend

// Associates are the backend's users. Basic credentials are not checked by
// the backend; the demo uses tje0, ann and bob.
func Associates() []Associate {
	return []Associate{
		{AssociateId: 13, Name: "TJE0", PersonId: 21, Rank: 1, Tooltip: "Tom Jensen", Type: InternalAssociate,
			GroupIdx: 2, FullName: "Tom Jensen", FormalName: "Jensen, Tom", EjUserId: 3, UserName: "tje0"},
		{AssociateId: 14, Name: "ANN", PersonId: 22, Rank: 2, Tooltip: "Anna Nordmann", Type: InternalAssociate,
			GroupIdx: 2, FullName: "Anna Nordmann", FormalName: "Nordmann, Anna", EjUserId: 4, UserName: "ann"},
		{AssociateId: 15, Name: "BOB", PersonId: 23, Rank: 3, Tooltip: "Bob Smith", Type: InternalAssociate,
			GroupIdx: 3, FullName: "Bob Smith", FormalName: "Smith, Bob", EjUserId: 5, UserName: "bob.smith"},
	}
}

// groups name the associates' GroupIdx in the user list.
var groups = []struct {
	idx  int32
	name string
}{{2, "Support"}, {3, "Sales"}}

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
//   - 798 is BOB's, being transferred to ANN;
//   - 901 and 902 wait in the queue (InQueue, no user), 901 the longer.
//
// 157, 184 and 798 are active with the customer waiting (CustomerLast).
// Dates are Oslo local time.
func Sessions() []Session {
	a := Associates()
	tje0, ann, bob := a[0], a[1], a[2]
	queued := func(id, topic int32, customer, email, first string, requested LocalTime, pos int32) Session {
		s := session(id, nil, nil, StatusInQueue, customer, requested, "")
		s.TopicId, s.CustomerEmail, s.CustomerAlias, s.FirstMessage, s.LastMessage = topic, email, customer, first, first
		s.WhenEnded, s.WhenIdle, s.WhenFetched, s.InitialQueuePos, s.Rating = "", "", "", pos, 0
		s.SessionKey = "q" + customer
		return s
	}
	return []Session{
		session(157, &tje0, nil, StatusCustomerLast, "Streich, Renner and Bradtke", "2000-12-04T11:10:26.1095254", "2021-06-18T11:10:26.1095254"),
		session(184, &ann, &tje0, StatusCustomerLast, "Russel LLC", "2017-09-17T11:10:26.1285249", "2012-03-01T11:10:26.1285249"),
		session(746, nil, nil, StatusClosed, "Jaskolski-Considine", "2008-11-23T11:10:26.1095254", "2022-01-01T11:10:26.1095254"),
		session(798, &bob, &ann, StatusCustomerLast, "Marquardt-Rolfson", "2014-02-03T11:10:26.1285249", "2013-03-11T11:10:26.1285249"),
		queued(901, 225, "Kari Nordmann", "kari@example.no", "Hvor er pakken min?", "2024-03-05T09:58:12", 1),
		queued(902, 226, "John Doe", "john@example.com", "Do you ship to Sweden?", "2024-03-05T10:02:40", 2),
	}
}

func session(id int32, user, transferTo *Associate, status SessionStatus, customer string, requested, started LocalTime) Session {
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
		WhenEnded:           "1995-07-25T11:10:26.1095254",
		WhenIdle:            "2022-01-01T11:10:26.1095254",
		WhenFetched:         "2008-11-23T11:10:26.1095254",
		SessionKey:          "illum",
		InitialQueuePos:     143,
		AlertLevel:          44,
		Rank:                789,
		Flags:               0, // CustomerIsTyping
		TransferTo:          transferTo,
		Rating:              33,
	}
}

// Messages are the messages of sessions 157 and 184, ids 1 to 7.
func Messages() []Message {
	return []Message{
		{ChatMessageId: 1, ChatSessionId: 157, Type: MessageSpecial, SpecialType: 1, Message: "[SR_CHAT_WELCOME]",
			Author: "TJE0", WhenPosted: "2021-06-18T11:10:26.1095254"},
		{ChatMessageId: 2, ChatSessionId: 157, Type: MessageToUser, Message: "Hi, order 10148 was charged twice.",
			Author: "illum", ReadByCustomer: 1, WhenPosted: "2021-06-18T11:10:41"},
		{ChatMessageId: 3, ChatSessionId: 157, Type: MessageToCustomer, Message: "Sorry about that! Let me have a look.",
			Author: "TJE0", ReadByCustomer: 1, WhenPosted: "2021-06-18T11:11:05"},
		{ChatMessageId: 4, ChatSessionId: 157, Type: MessageToUser, Message: "Thanks, I'll wait.",
			Author: "illum", ReadByCustomer: 1, WhenPosted: "2021-06-18T11:11:30"},
		{ChatMessageId: 5, ChatSessionId: 184, Type: MessageToUser, Message: "Can I change my delivery address?",
			Author: "illum", ReadByCustomer: 1, WhenPosted: "2012-03-01T11:10:30"},
		{ChatMessageId: 6, ChatSessionId: 184, Type: MessageToCustomer, Message: "Yes <b>of course</b>: which address?",
			Author: "ANN", ReadByCustomer: 1, WhenPosted: "2012-03-01T11:11:02"},
		{ChatMessageId: 7, ChatSessionId: 184, Type: MessageSpecial, SpecialType: 6, Message: "Transferred to TJE0",
			SpecialParam: "TJE0", Author: "ANN", WhenPosted: "2012-03-01T11:12:00"},
	}
}

// Topics are 225 Support (open Monday to Friday, 08:00 to 16:00 Oslo
// time, lunch 11:30 to 12:00) and 226 Sales (no opening hours: always
// open). Names and texts are multi-language strings and [SR_...]
// references, as SuperOffice keeps them.
func Topics() []Topic {
	day := "08:00:00"
	return []Topic{
		{ChatTopicId: 225, Name: `US:"Support";NO:"Kundestøtte"`,
			Description:    `US:"Orders, invoices and deliveries";NO:"Ordre, fakturaer og leveranser"`,
			WelcomeMessage: "[SR_CHAT_WELCOME] " + `US:"How can we help?";NO:"Hva kan vi hjelpe med?"`,
			LastAccept:     "2024-03-05T09:40:00", SecondsPrAccept: 120, AlertRecipient: "support@example.com",
			CollectConsent: true, BadgeHeader: `US:"Chat with us";NO:"Chat med oss"`,
			WarnNewChatMinutes: 2, WarnManagerNewChatMinutes: 5, TicketEnabled: true,
			OpeningHoursEnabled: true,
			OpeningHours: &OpeningHours{
				MonEnabled: true, MonStart: day, MonStop: "16:00:00",
				TueEnabled: true, TueStart: day, TueStop: "16:00:00",
				WedEnabled: true, WedStart: day, WedStop: "16:00:00",
				ThuEnabled: true, ThuStart: day, ThuStop: "16:00:00",
				FriEnabled: true, FriStart: day, FriStop: "16:00:00",
				SatStart: "00:00:00", SatStop: "00:00:00", SunStart: "00:00:00", SunStop: "00:00:00",
				UseLunchHours: true, LunchStart: "11:30:00", LunchStop: "12:00:00",
			},
			Widget: &Widget{PreFormEnabled: true, PreFormMessage: "[SR_CHAT_PREFORM]", RequiredFields: 3,
				LanguageIsoCode: "nb", Size: 0, Theme: 1, Color: "#0a5e58",
				WelcomeTitle: `US:"Support";NO:"Kundestøtte"`, WelcomeMessage: "[SR_CHAT_WELCOME]",
				OfflineHeader: `US:"We are closed";NO:"Vi har stengt"`, OfflineMessage: "[SR_CHAT_OFFLINE]", OfflineFields: 1},
			WarnChatMessageMinutes: 3, WarnManagerChatMessageMinutes: 10, UseQueueOfflineForm: true,
			OfflineFormTimeLimit: 300, OfflineFormQueueLength: 5, WidgetEnableRating: true,
			WidgetRatingText: `US:"How did we do?";NO:"Hvordan var samtalen?"`},
		{ChatTopicId: 226, Name: `US:"Sales";NO:"Salg"`,
			Description:    `US:"Prices and offers";NO:"Priser og tilbud"`,
			WelcomeMessage: `US:"Welcome to sales!";NO:"Velkommen til salg!"`,
			LastAccept:     "2024-03-04T15:12:00", SecondsPrAccept: 60, AlertRecipient: "sales@example.com",
			BadgeHeader: `US:"Sales";NO:"Salg"`, WarnNewChatMinutes: 5, WarnManagerNewChatMinutes: 15,
			Widget: &Widget{RequiredFields: 7, LanguageIsoCode: "en", Size: 1, Theme: 0, Color: "#1f3a93",
				WelcomeTitle: `US:"Sales";NO:"Salg"`, WelcomeMessage: `US:"Ask us for an offer";NO:"Be om et tilbud"`},
			WarnChatMessageMinutes: 5, WarnManagerChatMessageMinutes: 20},
	}
}

// TopicAgents are the users' roles: TJE0 manages Support, where ANN
// answers too; BOB and ANN answer Sales.
func TopicAgents() []TopicAgent {
	a := Associates()
	tje0, ann, bob := a[0], a[1], a[2]
	return []TopicAgent{
		{TopicId: 225, User: &tje0, CanListen: true, CanRespond: true, CanManage: true, CanNotify: true},
		{TopicId: 225, User: &ann, CanListen: true, CanRespond: true, CanNotify: true},
		{TopicId: 226, User: &bob, CanListen: true, CanRespond: true, CanNotify: true},
		{TopicId: 226, User: &ann, CanListen: true, CanRespond: true},
	}
}

// Presences are TJE0 and ANN present, BOB away.
func Presences() []Presence {
	return []Presence{
		{UserId: 13, DisplayName: "Tom Jensen", Present: true, ChatTopics: []int32{225}},
		{UserId: 14, DisplayName: "Anna Nordmann", Present: true, ChatTopics: []int32{225, 226}},
		{UserId: 15, DisplayName: "Bob Smith", Present: false, ChatTopics: []int32{226}},
	}
}
