// Package samplebackend is a legacy chat backend for demos and tests: chat
// sessions, messages, topics, topic agents and presence in memory, on REST
// routes of its own, in a dialect of its own. It does not speak
// SuperOffice: its keys are camelCase, its enums numbers, its dates Oslo
// local time without an offset, and some lists come wrapped as
// {"data": [...], "total": n}. chatgate's agent lines map the 31 methods of
// the Agents/Chat agent onto these routes (Caddyfile.example).
//
// It has none of the API features chatgate adds: no auth checks, no
// $select, no time zones, no languages, no XML, and no transfer rules.
package samplebackend

// Associate is a user of the backend, embedded as a session's user,
// transferTo and a topic agent's user.
type Associate struct {
	AssociateId int32    `json:"associateId"`
	Name        string   `json:"name"`
	PersonId    int32    `json:"personId"`
	Rank        int32    `json:"rank"`
	Tooltip     string   `json:"tooltip"`
	Type        UserType `json:"type"`
	GroupIdx    int32    `json:"groupIdx"`
	FullName    string   `json:"fullName"`
	FormalName  string   `json:"formalName"`
	Deleted     bool     `json:"deleted"`
	EjUserId    int32    `json:"ejUserId"`
	UserName    string   `json:"userName"`
}

// Session is a chat session. Requests may spell its keys in any case
// (chatgate sends PascalCase); the backend ignores keys it does not know,
// such as tableRight and fieldProperties.
type Session struct {
	ChatSessionId       int32         `json:"chatSessionId"`
	TopicId             int32         `json:"topicId"`
	User                *Associate    `json:"user"`
	Person              any           `json:"person"`
	CustomerAlias       string        `json:"customerAlias"`
	CustomerHost        string        `json:"customerHost"`
	CustomerName        string        `json:"customerName"`
	CustomerEmail       string        `json:"customerEmail"`
	CustomerPhone       string        `json:"customerPhone"`
	CustomerConsented   bool          `json:"customerConsented"`
	CustomerCompanyName string        `json:"customerCompanyName"`
	Status              SessionStatus `json:"status"`
	FirstMessage        string        `json:"firstMessage"`
	LastMessage         string        `json:"lastMessage"`
	WhenRequested       LocalTime     `json:"whenRequested"`
	WhenStarted         LocalTime     `json:"whenStarted"`
	WhenEnded           LocalTime     `json:"whenEnded"`
	WhenIdle            LocalTime     `json:"whenIdle"`
	WhenFetched         LocalTime     `json:"whenFetched"`
	SessionKey          string        `json:"sessionKey"`
	InitialQueuePos     int32         `json:"initialQueuePos"`
	AlertLevel          int32         `json:"alertLevel"`
	Rank                int32         `json:"rank"`
	Flags               SessionFlags  `json:"flags"`
	Contact             any           `json:"contact"`
	Project             any           `json:"project"`
	Sale                any           `json:"sale"`
	Ticket              any           `json:"ticket"`
	TransferTo          *Associate    `json:"transferTo"`
	ChatbotIsActive     bool          `json:"chatbotIsActive"`
	Rating              int32         `json:"rating"`
}

// Message is one message of a chat session.
type Message struct {
	ChatMessageId  int32       `json:"chatMessageId"`
	ChatSessionId  int32       `json:"chatSessionId"`
	Type           MessageType `json:"type"`
	Message        string      `json:"message"`
	Author         string      `json:"author"`
	ReadByCustomer int32       `json:"readByCustomer"`
	SpecialType    SpecialType `json:"specialType"`
	SpecialParam   string      `json:"specialParam"`
	WhenPosted     LocalTime   `json:"whenPosted"`
}

// Topic is a chat topic: a queue customers chat with, its texts, opening
// hours and widget. Texts may be multi-language strings
// (US:"Support";NO:"Kundestøtte") or [SR_...] references, which the
// backend keeps as they are: chatgate translates them.
type Topic struct {
	ChatTopicId                   int32         `json:"chatTopicId"`
	Name                          string        `json:"name"`
	Description                   string        `json:"description"`
	WelcomeMessage                string        `json:"welcomeMessage"`
	Language                      any           `json:"language"`
	LastAccept                    LocalTime     `json:"lastAccept"`
	SecondsPrAccept               int32         `json:"secondsPrAccept"`
	AlertRecipient                string        `json:"alertRecipient"`
	AlertTemplate                 any           `json:"alertTemplate"`
	CollectConsent                bool          `json:"collectConsent"`
	BadgeHeader                   string        `json:"badgeHeader"`
	CustomQueueTextEnabled        bool          `json:"customQueueTextEnabled"`
	CustomQueueText               string        `json:"customQueueText"`
	WarnNewChatMinutes            int32         `json:"warnNewChatMinutes"`
	WarnManagerNewChatMinutes     int32         `json:"warnManagerNewChatMinutes"`
	TicketEnabled                 bool          `json:"ticketEnabled"`
	TicketCategory                any           `json:"ticketCategory"`
	TicketPriority                any           `json:"ticketPriority"`
	OpeningHoursEnabled           bool          `json:"openingHoursEnabled"`
	OpeningHours                  *OpeningHours `json:"openingHours"`
	Widget                        *Widget       `json:"widget"`
	BotEnabled                    bool          `json:"botEnabled"`
	BotSettings                   any           `json:"botSettings"`
	OfflineCollectConsent         bool          `json:"offlineCollectConsent"`
	WarnChatMessageMinutes        int32         `json:"warnChatMessageMinutes"`
	WarnManagerChatMessageMinutes int32         `json:"warnManagerChatMessageMinutes"`
	UseQueueOfflineForm           bool          `json:"useQueueOfflineForm"`
	OfflineFormTimeLimit          int32         `json:"offlineFormTimeLimit"`
	OfflineFormQueueLength        int32         `json:"offlineFormQueueLength"`
	WidgetEnableRating            bool          `json:"widgetEnableRating"`
	WidgetRatingText              string        `json:"widgetRatingText"`
}

// OpeningHours are a topic's hours, in Oslo time. Times of day are
// written "08:00:00" (hours, minutes, seconds); ISO 8601 durations such as
// "PT8H30M" are read too.
type OpeningHours struct {
	TzLocation    any    `json:"tzLocation"`
	MonEnabled    bool   `json:"monEnabled"`
	MonStart      string `json:"monStart"`
	MonStop       string `json:"monStop"`
	TueEnabled    bool   `json:"tueEnabled"`
	TueStart      string `json:"tueStart"`
	TueStop       string `json:"tueStop"`
	WedEnabled    bool   `json:"wedEnabled"`
	WedStart      string `json:"wedStart"`
	WedStop       string `json:"wedStop"`
	ThuEnabled    bool   `json:"thuEnabled"`
	ThuStart      string `json:"thuStart"`
	ThuStop       string `json:"thuStop"`
	FriEnabled    bool   `json:"friEnabled"`
	FriStart      string `json:"friStart"`
	FriStop       string `json:"friStop"`
	SatEnabled    bool   `json:"satEnabled"`
	SatStart      string `json:"satStart"`
	SatStop       string `json:"satStop"`
	SunEnabled    bool   `json:"sunEnabled"`
	SunStart      string `json:"sunStart"`
	SunStop       string `json:"sunStop"`
	UseLunchHours bool   `json:"useLunchHours"`
	LunchStart    string `json:"lunchStart"`
	LunchStop     string `json:"lunchStop"`
}

// Widget is the part of a topic's chat widget settings the backend keeps.
type Widget struct {
	PreFormEnabled  bool         `json:"preFormEnabled"`
	PreFormMessage  string       `json:"preFormMessage"`
	RequiredFields  WidgetFields `json:"requiredFields"`
	LanguageIsoCode string       `json:"languageIsoCode"`
	Size            WidgetSize   `json:"size"`
	Theme           WidgetTheme  `json:"theme"`
	Color           string       `json:"color"`
	WelcomeTitle    string       `json:"welcomeTitle"`
	WelcomeMessage  string       `json:"welcomeMessage"`
	OfflineHeader   string       `json:"offlineHeader"`
	OfflineMessage  string       `json:"offlineMessage"`
	OfflineFields   WidgetFields `json:"offlineFields"`
}

// TopicAgent is a user's role in a topic.
type TopicAgent struct {
	TopicId    int32      `json:"topicId"`
	User       *Associate `json:"user"`
	CanListen  bool       `json:"canListen"`
	CanRespond bool       `json:"canRespond"`
	CanManage  bool       `json:"canManage"`
	CanNotify  bool       `json:"canNotify"`
}

// Presence says whether a user takes chats, and in which topics.
// OngoingChats is counted from the sessions when it is answered.
type Presence struct {
	UserId       int32   `json:"userId"`
	DisplayName  string  `json:"displayName"`
	OngoingChats int32   `json:"ongoingChats"`
	Present      bool    `json:"present"`
	ChatTopics   []int32 `json:"chatTopics"`
}

// UserItem is an entry of the backend's user list: a user, or with
// GET /chat/users?flat=false a group of users in childItems.
type UserItem struct {
	Id         int32      `json:"id"`
	Name       string     `json:"name"`
	ToolTip    string     `json:"toolTip"`
	Deleted    bool       `json:"deleted"`
	Rank       int32      `json:"rank"`
	Type       string     `json:"type"`
	ChildItems []UserItem `json:"childItems"`
	FullName   string     `json:"fullName"`
	Present    bool       `json:"present"`
}

// list is the wrapper of the backend's longer lists.
type list[T any] struct {
	Data  []T `json:"data"`
	Total int `json:"total"`
}
