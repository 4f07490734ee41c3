package agent

import (
	"fmt"
	"strings"
	"testing"
)

// chatMethods is agents-chat.md A.2 (order, return types) with the
// parameters of A.2 and B.1 (names as F.5 spells them), written out by hand:
// chat.json must agree with it. A parameter is "Name in Type" plus
// " required" where the method needs it.
var chatMethods = []struct {
	name, returns, xmlRoot string
	params                 []string
}{
	{"CreateDefaultChatSessionEntity", "ChatSessionEntity", "ChatSessionEntity", nil},
	{"SaveChatSessionEntity", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionEntity body ChatSessionEntity required entity"}},
	{"DeleteChatSessionEntity", "void", "", []string{"ChatSessionEntityId query Id required"}},
	{"CreateDefaultChatTopicAgent", "ChatTopicAgent", "ChatTopicAgent", nil},
	{"CreateDefaultChatTopicEntity", "ChatTopicEntity", "ChatTopicEntity", nil},
	{"SaveChatTopicEntity", "ChatTopicEntity", "ChatTopicEntity", []string{"ChatTopicEntity body ChatTopicEntity required entity"}},
	{"DeleteChatTopicEntity", "void", "", []string{"ChatTopicEntityId query Id required"}},
	{"GetChatPresence", "ChatPresence[]", "ArrayOfChatPresence", nil},
	{"SaveChatPresence", "void", "", []string{"ChatPresence body ChatPresence[] required"}},
	{"GetChatSessionEntity", "ChatSessionEntity", "ChatSessionEntity", []string{"chatSessionEntityId query Id required"}},
	{"ChatSessionsForUser", "ChatSessionEntity[]", "ArrayOfChatSessionEntity", nil},
	{"TransferChatSession", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionId body Id required", "ToAssociate body UserName required"}},
	{"AcceptChatSessionTransfer", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionId body Id required"}},
	{"RejectChatSessionTransfer", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionId body Id required"}},
	{"PickUpChatSession", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionId body Id required"}},
	{"PickUpFirstChatSession", "ChatSessionEntity", "ChatSessionEntity", nil},
	{"ResetChatSession", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatSessionId body Id required"}},
	{"GetChatTranscript", "String", "string", []string{"ChatSessionId body Id required", "Html body Boolean"}},
	{"GetChatMessages", "ChatMessage[]", "ArrayOfChatMessage", []string{"ChatSessionId body Id required", "After body Int32"}},
	{"AddChatMessage", "ChatMessage", "ChatMessage", []string{"ChatSessionId body Id required", "Message body ChatMessage required"}},
	{"GetChatTopicEntity", "ChatTopicEntity", "ChatTopicEntity", []string{"chatTopicEntityId query Id required"}},
	{"IsWithinOpeningHours", "Boolean", "boolean", []string{"ChatTopicId body Id required"}},
	{"ChatTopicsForUser", "ChatTopicEntity[]", "ArrayOfChatTopicEntity", nil},
	{"GetUserAgentList", "MDOListItem[]", "ArrayOfMDOListItem", []string{"Flat body Boolean", "OnlyPresent body Boolean"}},
	{"GetChatTopicUserAgentList", "ChatTopicAgent[]", "ArrayOfChatTopicAgent", []string{"ChatTopicId body Id required"}},
	{"GetChatTopicUserAgent", "ChatTopicAgent", "ChatTopicAgent", []string{"ChatTopicId body Id required", "Username body UserName required"}},
	{"AddChatTopicUserAgent", "ChatTopicAgent", "ChatTopicAgent", []string{"ChatTopicId body Id required", "Useragent body ChatTopicAgent required"}},
	{"UpdateChatTopicUserAgent", "ChatTopicAgent", "ChatTopicAgent", []string{"ChatTopicId body Id required", "Username body UserName required", "Useragent body ChatTopicAgent required"}},
	{"UpdateChatTopicUserAgents", "ChatTopicAgent[]", "ArrayOfChatTopicAgent", []string{"ChatTopicId body Id required", "Useragents body ChatTopicAgent[] required"}},
	{"DeleteChatTopicUserAgent", "void", "", []string{"ChatTopicId body Id required", "Username body UserName required"}},
	{"CreateChatSessionForTopic", "ChatSessionEntity", "ChatSessionEntity", []string{"ChatTopicId body Id required"}},
}

func paramString(p *Param) string {
	s := p.Name + " " + p.In + " " + p.Type.Name
	if p.Required {
		s += " required"
	}
	if p.Entity {
		s += " entity"
	}
	return s
}

func TestChatMethods(t *testing.T) {
	c := Chat()
	if c.Agent != "Chat" {
		t.Errorf("Agent = %q", c.Agent)
	}
	if len(c.Methods) != 31 || len(chatMethods) != 31 {
		t.Fatalf("%d methods in chat.json, %d in the test: want 31", len(c.Methods), len(chatMethods))
	}
	for i, want := range chatMethods {
		m := c.Methods[i]
		t.Run(want.name, func(t *testing.T) {
			if m.Name != want.name {
				t.Fatalf("method #%d is %s, want %s", i+1, m.Name, want.name)
			}
			if m.Returns.Name != want.returns {
				t.Errorf("returns %s, want %s", m.Returns.Name, want.returns)
			}
			if got := m.Returns.XMLRoot(); got != want.xmlRoot {
				t.Errorf("XMLRoot %q, want %q", got, want.xmlRoot)
			}
			var got []string
			for _, p := range m.Params {
				got = append(got, paramString(p))
			}
			if strings.Join(got, "; ") != strings.Join(want.params, "; ") {
				t.Errorf("params\n got %q\nwant %q", got, want.params)
			}
			if e := m.EntityParam(); (e != nil) != (strings.HasPrefix(m.Name, "Save") && strings.HasSuffix(m.Name, "Entity")) || e != nil && (e.Type.Type == nil || e.Name != e.Type.Type.Name) {
				t.Errorf("EntityParam = %v", e)
			}
			for _, p := range m.Params {
				for _, name := range []string{p.Name, strings.ToLower(p.Name), strings.ToUpper(p.Name)} {
					if m.Param(name) != p {
						t.Errorf("Param(%q) is not %s", name, p.Name)
					}
				}
			}
			if m.Param("nope") != nil {
				t.Error(`Param("nope") != nil`)
			}
			for _, name := range []string{m.Name, strings.ToLower(m.Name), strings.ToUpper(m.Name)} {
				if c.Method(name) != m {
					t.Errorf("Method(%q) is not %s", name, m.Name)
				}
			}
		})
	}
	if c.Method("GetChatSummary") != nil || c.Method("") != nil || c.Method(strings.Repeat("a", 300)) != nil {
		t.Error("Method finds a method that does not exist")
	}
	if Lookup("chat") != c || Lookup("CHAT") != c || Lookup("Contact") != nil {
		t.Error("Lookup does not find the Chat agent by its name in any case, or finds another")
	}
}

// chatTypes is agents-chat.md B.2 and B.3 written out by hand: each
// carrier's properties in order as "Name:Type"; "*" marks a carrier
// (inherits Carrier). Fields of carriers the document does not list are
// Object.
var chatTypes = map[string]string{
	"ChatSessionEntity*": "ChatSessionId:RecordId TopicId:RecordId User:Associate Person:Object CustomerAlias:String CustomerHost:String " +
		"CustomerName:String CustomerEmail:String CustomerPhone:String CustomerConsented:Boolean CustomerCompanyName:String " +
		"Status:ChatSessionStatus FirstMessage:String LastMessage:String WhenRequested:DateTime WhenStarted:DateTime " +
		"WhenEnded:DateTime WhenIdle:DateTime WhenFetched:DateTime SessionKey:String InitialQueuePos:Int32 AlertLevel:Int32 " +
		"Rank:Int32 Flags:ChatSessionFlags Contact:Object Project:Object Sale:Object Ticket:Object TransferTo:Associate " +
		"ChatbotIsActive:Boolean Rating:Int32",
	"ChatTopicEntity*": "ChatTopicId:RecordId Name:String Description:String WelcomeMessage:String Language:Object " +
		"LastAccept:DateTime SecondsPrAccept:Int32 AlertRecipient:String AlertTemplate:Object CollectConsent:Boolean " +
		"BadgeHeader:String CustomQueueTextEnabled:Boolean CustomQueueText:String WarnNewChatMinutes:Int32 " +
		"WarnManagerNewChatMinutes:Int32 TicketEnabled:Boolean TicketCategory:Object TicketPriority:Object " +
		"OpeningHoursEnabled:Boolean OpeningHours:ChatOpeningHours Widget:ChatWidgetSettings BotEnabled:Boolean " +
		"BotSettings:ChatBotSettings OfflineCollectConsent:Boolean WarnChatMessageMinutes:Int32 " +
		"WarnManagerChatMessageMinutes:Int32 UseQueueOfflineForm:Boolean OfflineFormTimeLimit:Int32 " +
		"OfflineFormQueueLength:Int32 WidgetEnableRating:Boolean WidgetRatingText:String",
	"ChatMessage": "ChatMessageId:RecordId ChatSessionId:RecordId Type:ChatMessageType Message:String Author:String " +
		"ReadByCustomer:Int32 SpecialType:ChatMessageSpecialType SpecialParam:String WhenPosted:DateTime",
	"ChatTopicAgent":  "TopicId:RecordId User:Associate CanListen:Boolean CanRespond:Boolean CanManage:Boolean CanNotify:Boolean",
	"ChatPresence*":   "UserId:Int32 DisplayName:String OngoingChats:Int32 Present:Boolean ChatTopics:Int32[]",
	"MDOListItem*":    "Id:Int32 Name:String ToolTip:String Deleted:Boolean Rank:Int32 Type:String ChildItems:MDOListItem[] IconHint:String ColorBlock:Int32 ExtraInfo:String StyleHint:String FullName:String",
	"ChatBotSettings": "BotName:String BotRegisterScriptId:Number BotSessionCreatedScriptId:Number BotSessionChangedScriptId:Number BotMessageReceivedScriptId:Number",
	"ChatOpeningHours": "TzLocation:Object MonEnabled:Boolean MonStart:Duration MonStop:Duration TueEnabled:Boolean " +
		"TueStart:Duration TueStop:Duration WedEnabled:Boolean WedStart:Duration WedStop:Duration ThuEnabled:Boolean " +
		"ThuStart:Duration ThuStop:Duration FriEnabled:Boolean FriStart:Duration FriStop:Duration SatEnabled:Boolean " +
		"SatStart:Duration SatStop:Duration SunEnabled:Boolean SunStart:Duration SunStop:Duration UseLunchHours:Boolean " +
		"LunchStart:Duration LunchStop:Duration",
	"ChatWidgetSettings": "AutoFaqEnabled:Boolean AutoFaqCategory:Object PreFormEnabled:Boolean PreFormMessage:String " +
		"RequiredFields:WidgetRequiredFields PostFormEnabled:Boolean PostFormHeader:String PostFormMessage:String " +
		"PostTranscriptEnabled:Boolean LanguageIsoCode:String Size:ChatWidgetSize Theme:WidgetTheme Color:String " +
		"BadgeColor:String BadgeTextColor:String CustMsgColor:String CustMsgTextColor:String AgentMsgColor:String " +
		"AgentMsgTextColor:String ButtonColor:String ButtonTextColor:String Font:String FontSize:String LogoEnabled:Boolean " +
		"LogoBlobId:Number LogoName:String ShowAgentPhoto:Boolean WelcomeTitle:String WelcomeMessage:String " +
		"OfflineHeader:String OfflineMessage:String OfflineFields:WidgetRequiredFields UseAgentFirstname:Boolean",
	"TableRight":    "Mask:ETableRight Reason:String",
	"FieldRight":    "Mask:EFieldRight Reason:String",
	"FieldProperty": "FieldRight:FieldRight FieldType:String FieldLength:Int32",
	"Associate*": "AssociateId:Number Name:String PersonId:Number Rank:Number Tooltip:String Type:UserType GroupIdx:Number " +
		"FullName:String FormalName:String Deleted:Boolean EjUserId:Number UserName:String ExtraFields:Map CustomFields:Map",
}

func TestChatTypes(t *testing.T) {
	c := Chat()
	if len(c.types) != len(chatTypes) {
		t.Errorf("%d types in chat.json, want %d", len(c.types), len(chatTypes))
	}
	for key, want := range chatTypes {
		name, carrier := strings.CutSuffix(key, "*")
		t.Run(name, func(t *testing.T) {
			typ := c.Type(name)
			if typ == nil {
				t.Fatal("missing")
			}
			if typ.Carrier != carrier {
				t.Errorf("Carrier = %v, want %v", typ.Carrier, carrier)
			}
			var got []string
			for _, p := range typ.Properties {
				got = append(got, p.Name+":"+p.Type.Name)
			}
			if strings.Join(got, " ") != want {
				t.Errorf("properties\n got %s\nwant %s", strings.Join(got, " "), want)
			}
		})
	}
	if c.Type("chatsessionentity") != nil || c.Type("Person") != nil {
		t.Error("Type matches a name that is not exactly a type's")
	}
}

// chatEnums is agents-chat.md B.4: each enum's members in order as
// "Name=Value"; "*" marks a flags enum.
var chatEnums = map[string]string{
	"ChatSessionStatus":      "Invalid=0 PreChatForm=1 Faq=2 OfflineForm=3 InQueue=4 CustomerLast=5 UserLast=6 Finished=7 Deleted=8 Closed=9 RequestPosted=10 ClosedFromQueue=11",
	"ChatSessionFlags*":      "CustomerIsTyping=0 UserIsTyping=1",
	"ChatMessageType":        "Invalid=0 ToCustomer=1 ToUser=2 Special=3",
	"ChatMessageSpecialType": "None=0 Welcome=1 Url=2 Block=3 NewSession=5 TransferedSession=6 Error=7 SessionDeleted=8 FaqSuccessQuestion=9 ClosedByUser=10 ClosedByCustomer=11 ClosedByIdle=12 TransferRejected=13 ReopenedByCustomer=14 ClickedOption=15 BotMessage=16 Options=17 IllegalFileType=18",
	"WidgetRequiredFields*":  "None=0 Email=1 Name=2 Company=4 Phone=8 Country=16",
	"WidgetTheme":            "Classic=0 Modern=1",
	"ChatWidgetSize":         "Normal=0 Large=1",
	"UserType":               "Unknown=0 InternalAssociate=1 ResourceAssociate=2 ExternalAssociate=3 AnonymousAssociate=4 SystemAssociate=5",
	"ETableRight*":           "None=0 Select=1 Update=2 UR=3 Insert=4 RI=5 URI=7 Delete=8 UDR=11 FULL=15 Filtering=16 RF=17 FI=20 RestrictedUpdate=32 URU=34 WRITE=38 Unused1=64 Uninitialized=128 R=1 F=16",
	"EFieldRight*":           "None=0 Read=1 Write=2 Update=3 Unused1=4 Unused2=8 Unused3=16 Unused4=32 UIHintMandatory=64 UIHintReadOnly=128 UIHints=192 UndefinedValue256=256 Nullable=32",
	"AddressType":            "Unknown=0 ContactPostalAddress=1 ContactStreetAddress=2 PersonPrivateAddress=16387 QuoteBillingAddress=8196 QuoteShippingAddress=8197",
	"SaleStatus":             "Unknown=0 Open=1 Sold=2 Lost=3 Stalled=4 SaintAll=1000",
	"ActivityStatus":         "Unknown=0 NotStarted=1 Started=2 Completed=3",
	"TicketSecurityLevel":    "Unknown=0 Internal=1 External=2",
	"TicketBaseStatus":       "Unknown=0 Active=1 Closed=2 Postponed=3 Deleted=4 Merged=5 Spam=6 PostponedSpecific=1001 Postponed1Hour=1002 Postponed2Hours=1003 Postponed3Hours=1004 Postponed4Hours=1005 PostponedDay=1006 PostponedWeek=1007 PostponedMonth=1008",
	"TicketOrigin":           "Unknown=0 Email=1 SMS=2 Fax=3 Phone=4 Facebook=5 Twitter=6 Internal=7 CustomerCentre=8 EMarketing=9 AutoGenerated=10 Chat=11 Form=12 API=13 Flow=14",
	"TicketReadStatus":       "Unknown=0 Green=1 Yellow=2 Red=3",
}

func TestChatEnums(t *testing.T) {
	c := Chat()
	if len(c.enums) != len(chatEnums) {
		t.Errorf("%d enums in chat.json, want %d", len(c.enums), len(chatEnums))
	}
	for key, want := range chatEnums {
		name, flags := strings.CutSuffix(key, "*")
		t.Run(name, func(t *testing.T) {
			e := c.Enum(name)
			if e == nil {
				t.Fatal("missing")
			}
			if e.Flags != flags {
				t.Errorf("Flags = %v, want %v", e.Flags, flags)
			}
			var got []string
			for _, m := range e.Members {
				got = append(got, fmt.Sprintf("%s=%d", m.Name, m.Value))
			}
			if strings.Join(got, " ") != want {
				t.Errorf("members\n got %s\nwant %s", strings.Join(got, " "), want)
			}
			// Every member resolves both ways; the first of a value wins.
			for i, m := range e.Members {
				for _, n := range []string{m.Name, strings.ToLower(m.Name), strings.ToUpper(m.Name)} {
					if v, ok := e.Value(n); !ok || v != m.Value {
						t.Errorf("Value(%q) = %d, %v; want %d", n, v, ok, m.Value)
					}
				}
				first := i
				for j := range i {
					if e.Members[j].Value == m.Value {
						first = j
						break
					}
				}
				if n, ok := e.NameOf(m.Value); !ok || n != e.Members[first].Name {
					t.Errorf("NameOf(%d) = %q, %v; want %q", m.Value, n, ok, e.Members[first].Name)
				}
				if v, ok := e.ParseFlags(m.Name); !ok || v != m.Value {
					t.Errorf("ParseFlags(%q) = %d, %v", m.Name, v, ok)
				}
			}
		})
	}
}

// TestChatReferences walks every TypeRef of the Chat catalogue: each
// resolves to exactly one kind, to the catalogue's own types and enums, and
// every type is reached from some method.
func TestChatReferences(t *testing.T) {
	c := Chat()
	reached := map[*Type]bool{}
	var check func(where string, r *TypeRef, ret bool)
	check = func(where string, r *TypeRef, ret bool) {
		kinds := 0
		if r.Scalar != ScalarNone {
			kinds++
		}
		if r.Enum != nil {
			kinds++
			if c.Enum(r.Enum.Name) != r.Enum {
				t.Errorf("%s: enum %s is not the catalogue's", where, r.Enum.Name)
			}
		}
		if r.Type != nil {
			kinds++
			if c.Type(r.Type.Name) != r.Type {
				t.Errorf("%s: type %s is not the catalogue's", where, r.Type.Name)
			}
			if !reached[r.Type] {
				reached[r.Type] = true
				for _, p := range r.Type.Properties {
					check(r.Type.Name+"."+p.Name, p.Type, false)
				}
			}
		}
		if kinds != 1 {
			t.Errorf("%s: %s resolves to %d kinds", where, r.Name, kinds)
		}
		if r.Scalar == ScalarVoid && !ret {
			t.Errorf("%s: void", where)
		}
		if e := r.Elem(); r.Array != (e != nil) || e != nil && (e.Array || e.Scalar != r.Scalar || e.Enum != r.Enum || e.Type != r.Type || r.Name != e.Name+"[]") {
			t.Errorf("%s: %s: Elem() = %+v", where, r.Name, e)
		}
		name := strings.TrimSuffix(r.Name, "[]")
		if r.Scalar != ScalarNone && scalars[r.Scalar].name != name || r.Enum != nil && r.Enum.Name != name || r.Type != nil && r.Type.Name != name {
			t.Errorf("%s: %s resolved to another type", where, r.Name)
		}
	}
	for _, m := range c.Methods {
		check(m.Name+" returns", m.Returns, true)
		for _, p := range m.Params {
			check(m.Name+"("+p.Name+")", p.Type, false)
		}
	}
	for _, m := range c.Metadata() { // every carrier's, in answers
		if m.Type == nil {
			t.Errorf("carrier metadata %s: no type", m.Name)
			continue
		}
		check("Carrier."+m.Name, m.Type, false)
	}
	for _, typ := range c.types {
		if !reached[typ] {
			t.Errorf("type %s is not reached from any method", typ.Name)
		}
		seen := map[string]bool{}
		for _, p := range typ.Properties {
			if k := strings.ToLower(p.Name); seen[k] {
				t.Errorf("%s.%s: defined twice", typ.Name, p.Name)
			} else {
				seen[k] = true
			}
		}
	}
}

func TestPropertyLookup(t *testing.T) {
	c := Chat()
	for _, typ := range c.types {
		for _, p := range typ.Properties {
			for _, n := range []string{p.Name, strings.ToLower(p.Name), strings.ToUpper(p.Name)} {
				if got := typ.Property([]byte(n)); got != p {
					t.Errorf("%s.Property(%q) = %v, want %s", typ.Name, n, got, p.Name)
				}
			}
		}
	}
	s := c.Type("ChatSessionEntity")
	for _, n := range []string{"", "TableRight", "FieldProperties", "ChatSessionIdx", "ChatSession", "chatſessionid", strings.Repeat("A", 200)} {
		if got := s.Property([]byte(n)); got != nil {
			t.Errorf("Property(%q) = %s, want nil", n, got.Name)
		}
	}
	var nilType *Type
	if nilType.Property([]byte("x")) != nil {
		t.Error("nil Type finds a property")
	}

	keys := [][]byte{[]byte("chatSessionId"), []byte("WHENREQUESTED"), []byte("Flags"), []byte("unknownKey"), []byte(strings.Repeat("z", 300))}
	if n := testing.AllocsPerRun(100, func() {
		for _, k := range keys {
			s.Property(k)
		}
	}); n != 0 {
		t.Errorf("Property allocates %v times per run", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		c.Method("transferchatsession").Param("toassociate")
		c.Method("GETCHATSESSIONENTITY")
	}); n != 0 {
		t.Errorf("Method/Param allocate %v times per run", n)
	}
}

func TestEnumFormat(t *testing.T) {
	c := Chat()
	for _, tc := range []struct {
		enum string
		v    int64
		want string // "" for false
	}{
		{"ChatSessionFlags", 0, "CustomerIsTyping"},
		{"ChatSessionFlags", 1, "UserIsTyping"},
		{"ChatSessionFlags", 2, ""},
		{"ChatSessionFlags", -1, ""},
		{"WidgetRequiredFields", 0, "None"},
		{"WidgetRequiredFields", 3, "Email, Name"},
		{"WidgetRequiredFields", 31, "Email, Name, Company, Phone, Country"},
		{"WidgetRequiredFields", 32, ""},
		{"WidgetRequiredFields", 33, ""},
		{"ETableRight", 0, "None"},
		{"ETableRight", 1, "Select"},                // not its alias R
		{"ETableRight", 15, "FULL"},                 // .NET takes the largest member first
		{"ETableRight", 37, "RI, RestrictedUpdate"}, // agents-chat.md E.4
		{"ETableRight", 16, "Filtering"},            // not its alias F
		{"ETableRight", 255, "Delete, RF, WRITE, Unused1, Uninitialized"},
		{"ETableRight", 256, ""},
		{"EFieldRight", 67, "Update, UIHintMandatory"},  // E.4
		{"EFieldRight", 160, "Unused4, UIHintReadOnly"}, // E.4: Unused4 before its alias Nullable
		{"EFieldRight", 192, "UIHints"},
		{"ChatSessionStatus", 4, "InQueue"}, // not flags: the member's name
		{"ChatSessionStatus", 12, ""},
		{"ChatMessageSpecialType", 4, ""},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.enum, tc.v), func(t *testing.T) {
			e := c.Enum(tc.enum)
			got, ok := e.AppendFlags([]byte("x:"), tc.v)
			if tc.want == "" {
				if ok || string(got) != "x:" {
					t.Fatalf("AppendFlags = %q, %v; want x:, false", got, ok)
				}
				return
			}
			if !ok || string(got) != "x:"+tc.want {
				t.Fatalf("AppendFlags = %q, %v; want x:%s", got, ok, tc.want)
			}
			if v, ok := e.ParseFlags(tc.want); !ok || v != tc.v {
				t.Errorf("ParseFlags(%q) = %d, %v; want %d", tc.want, v, ok, tc.v)
			}
		})
	}

	e := c.Enum("WidgetRequiredFields")
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() {
		e.AppendFlags(buf[:0], 27)
		e.NameOf(8)
		e.Value("COMPANY")
		e.ParseFlags("email, Name,4")
	}); n != 0 {
		t.Errorf("AppendFlags/NameOf/Value/ParseFlags allocate %v times per run", n)
	}
}

func TestEnumParse(t *testing.T) {
	c := Chat()
	for _, tc := range []struct {
		enum, s string
		want    int64
		ok      bool
	}{
		{"WidgetRequiredFields", "Email, Name", 3, true},
		{"WidgetRequiredFields", "email,NAME", 3, true},
		{"WidgetRequiredFields", " Email ,\tPhone ", 9, true},
		{"WidgetRequiredFields", "3", 3, true},
		{"WidgetRequiredFields", "Email, 16", 17, true},
		{"WidgetRequiredFields", "None", 0, true},
		{"WidgetRequiredFields", "0", 0, true},
		{"WidgetRequiredFields", "32", 0, false},
		{"WidgetRequiredFields", "-1", 0, false},
		{"WidgetRequiredFields", "", 0, false},
		{"WidgetRequiredFields", "Email,", 0, false},
		{"WidgetRequiredFields", ",Email", 0, false},
		{"WidgetRequiredFields", "Email,,Name", 0, false},
		{"WidgetRequiredFields", "Email, Bogus", 0, false},
		{"WidgetRequiredFields", "Email Name", 0, false},
		{"WidgetRequiredFields", "99999999999999999999", 0, false},
		{"ChatSessionFlags", "CustomerIsTyping", 0, true},
		{"ChatSessionFlags", "CustomerIsTyping, UserIsTyping", 1, true},
		{"ChatSessionFlags", "UserIsTyping,CustomerIsTyping", 1, true},
		{"ETableRight", "Select, Update, Delete", 11, true},
		{"ETableRight", "r, f", 17, true},
		{"ChatSessionStatus", "inqueue", 4, true},
		{"ChatSessionStatus", "4", 4, true},
		{"ChatSessionStatus", "12", 0, false},
		{"ChatSessionStatus", "InQueue, Closed", 0, false},
	} {
		t.Run(tc.enum+"/"+tc.s, func(t *testing.T) {
			v, ok := c.Enum(tc.enum).ParseFlags(tc.s)
			if ok != tc.ok || ok && v != tc.want {
				t.Errorf("ParseFlags(%q) = %d, %v; want %d, %v", tc.s, v, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestXMLRoots(t *testing.T) {
	c, err := Parse([]byte(`{"agent": "X", "methods": [
		{"name": "A", "returns": "Id[]"}, {"name": "B", "returns": "Number"},
		{"name": "C", "returns": "DateTime"}, {"name": "D", "returns": "Duration"},
		{"name": "E", "returns": "Map"}, {"name": "F", "returns": "Object[]"},
		{"name": "G", "returns": "E"}, {"name": "H", "returns": "E[]"},
		{"name": "I", "returns": "UserName"}, {"name": "J", "returns": "Boolean[]"}],
		"enums": {"E": {"members": [["A", 1]]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "ArrayOfint double dateTime duration ArrayOfKeyValueOfstringstring ArrayOfanyType E ArrayOfE string ArrayOfboolean"
	var got []string
	for _, m := range c.Methods {
		got = append(got, m.Returns.XMLRoot())
	}
	if strings.Join(got, " ") != want {
		t.Errorf("XML roots\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestParseErrors(t *testing.T) {
	// method and types build a data file around a broken part.
	file := func(methods, types, enums string) string {
		return `{"agent": "X", "methods": [` + methods + `], "types": {` + types + `}, "enums": {` + enums + `}}`
	}
	const (
		m  = `{"name": "M", "returns": "void"}`
		ty = `"T": {"properties": [["P", "Int32"]]}`
		en = `"E": {"flags": true, "members": [["A", 1]]}`
	)
	param := func(p string) string { return file(`{"name": "M", "returns": "void", "params": [`+p+`]}`, ty, en) }
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", ``, `catalog: not a valid data file: EOF`},
		{"not JSON", `{"agent": "X",}`, `catalog: not a valid data file: invalid character '}' looking for beginning of object key string`},
		{"trailing data", file(m, ty, en) + `{}`, `catalog: not a valid data file: data after the JSON value`},
		{"unknown top-level key", `{"agent": "X", "method": []}`, `catalog: not a valid data file: json: unknown field "method"`},
		{"no agent", `{"methods": [` + m + `]}`, `catalog: no "agent" name`},
		{"bad agent name", `{"agent": "Chat/X", "methods": [` + m + `]}`, `catalog: agent "Chat/X": a name must be an ASCII letter or '_', then letters, digits and '_'`},
		{"no methods", `{"agent": "X", "methods": []}`, `catalog: agent "X": no methods`},
		{"method without name", file(m+`, {"returns": "void"}`, ty, en), `catalog: method #2: no "name"`},
		{"unknown method key", file(`{"name": "M", "return": "void"}`, ty, en), `catalog: method #1: json: unknown field "return"`},
		{"method without return type", file(`{"name": "M"}`, ty, en), `catalog: method "M": no "returns" type`},
		{"unknown return type", file(`{"name": "M", "returns": "ChatMesage"}`, ty, en), `catalog: method "M": return type: unknown type "ChatMesage"`},
		{"void array", file(`{"name": "M", "returns": "void[]"}`, ty, en), `catalog: method "M": return type: type "void[]": void is only a method's return type`},
		{"array of arrays", file(`{"name": "M", "returns": "T[][]"}`, ty, en), `catalog: method "M": return type: type "T[][]": arrays of arrays are not supported`},
		{"duplicate method", file(m+`, `+m, ty, en), `catalog: method "M": defined twice (method names match in any case)`},
		{"duplicate method in another case", file(m+`, {"name": "m", "returns": "T"}`, ty, en), `catalog: method "m": defined twice (method names match in any case)`},
		{"param without name", param(`{"in": "body", "type": "Id"}`), `catalog: method "M": parameter #1: no "name"`},
		{"unknown param key", param(`{"name": "P", "in": "body", "type": "Id", "requried": true}`), `catalog: method "M": parameter #1: json: unknown field "requried"`},
		{"param in path", param(`{"name": "P", "in": "path", "type": "Id"}`), `catalog: method "M": parameter "P": "in" is "path": want "query" or "body"`},
		{"param without type", param(`{"name": "P", "in": "body"}`), `catalog: method "M": parameter "P": no "type"`},
		{"unknown param type", param(`{"name": "P", "in": "body", "type": "UserNam"}`), `catalog: method "M": parameter "P": unknown type "UserNam"`},
		{"void param", param(`{"name": "P", "in": "body", "type": "void"}`), `catalog: method "M": parameter "P": type "void": void is only a method's return type`},
		{"duplicate param", param(`{"name": "P", "in": "body", "type": "Id"}, {"name": "p", "in": "query", "type": "Id"}`), `catalog: method "M": parameter "p": defined twice (parameter names match in any case)`},
		{"carrier in query", param(`{"name": "P", "in": "query", "type": "T"}`), `catalog: method "M": parameter "P": a query parameter must have a scalar or enum type, not "T"`},
		{"array in query", param(`{"name": "P", "in": "query", "type": "Int32[]"}`), `catalog: method "M": parameter "P": a query parameter must have a scalar or enum type, not "Int32[]"`},
		{"scalar entity", param(`{"name": "P", "in": "body", "type": "Id", "entity": true}`), `catalog: method "M": parameter "P": an entity parameter must have a type from "types", not "Id"`},
		{"entity in query", param(`{"name": "T", "in": "query", "type": "T", "entity": true}`), `catalog: method "M": parameter "T": an entity parameter must be "in": "body"`},
		{"entity after a body param", param(`{"name": "P", "in": "body", "type": "Id"}, {"name": "T", "in": "body", "type": "T", "entity": true}`), `catalog: method "M": parameter "T": an entity parameter must be the method's only body parameter`},
		{"body param after entity", param(`{"name": "T", "in": "body", "type": "T", "entity": true}, {"name": "P", "in": "body", "type": "Id"}`), `catalog: method "M": parameter "T": an entity parameter must be the method's only body parameter`},
		{"types not an object", `{"agent": "X", "methods": [` + m + `], "types": []}`, `catalog: "types": want an object`},
		{"duplicate type", file(m, ty+`, `+ty, en), `catalog: type "T": defined twice`},
		{"type named like a scalar", file(m, `"String": {"properties": [["P", "Int32"]]}`, en), `catalog: type "String": the name of a built-in type`},
		{"enum named like a type", file(m, ty, `"T": {"members": [["A", 1]]}`), `catalog: enum "T": a type and an enum have this name`},
		{"bad type name", file(m, `"T[]": {"properties": [["P", "Int32"]]}`, en), `catalog: type "T[]": a name must be an ASCII letter or '_', then letters, digits and '_'`},
		{"unknown type key", file(m, `"T": {"carier": true, "properties": [["P", "Int32"]]}`, en), `catalog: type "T": json: unknown field "carier"`},
		{"type without properties", file(m, `"T": {"carrier": true, "properties": []}`, en), `catalog: type "T": no properties (type a carrier whose fields are not known as Object where it is used)`},
		{"property not a pair", file(m, `"T": {"properties": [["P", "Int32", "x"]]}`, en), `catalog: type "T": property #1: want a ["Name", "Type"] pair, got ["P", "Int32", "x"]`},
		{"property not strings", file(m, `"T": {"properties": [["P", 1]]}`, en), `catalog: type "T": property #1: want a ["Name", "Type"] pair, got ["P", 1]`},
		{"bad property name", file(m, `"T": {"properties": [["a b", "Int32"]]}`, en), `catalog: type "T": property #1 "a b": a name must be an ASCII letter or '_', then letters, digits and '_'`},
		{"duplicate property", file(m, `"T": {"properties": [["P", "Int32"], ["p", "String"]]}`, en), `catalog: type "T": property "p": defined twice (property names match in any case)`},
		{"unknown property type", file(m, `"T": {"properties": [["P", "Person"]]}`, en), `catalog: type "T": property "P": unknown type "Person"`},
		{"void property", file(m, `"T": {"properties": [["P", "void"]]}`, en), `catalog: type "T": property "P": type "void": void is only a method's return type`},
		{"enum without members", file(m, ty, `"E": {"flags": false, "members": []}`), `catalog: enum "E": no members`},
		{"member not a pair", file(m, ty, `"E": {"members": [["A"]]}`), `catalog: enum "E": member #1: want a ["Name", number] pair, got ["A"]`},
		{"member value a string", file(m, ty, `"E": {"members": [["A", "1"]]}`), `catalog: enum "E": member #1: want a ["Name", number] pair, got ["A", "1"]`},
		{"member value not an integer", file(m, ty, `"E": {"members": [["A", 1.5]]}`), `catalog: enum "E": member "A": the value 1.5 is not a 64-bit integer`},
		{"member name a number", file(m, ty, `"E": {"members": [["1", 1]]}`), `catalog: enum "E": member #1 "1": a name must be an ASCII letter or '_', then letters, digits and '_'`},
		{"duplicate member", file(m, ty, `"E": {"members": [["A", 1], ["a", 2]]}`), `catalog: enum "E": member "a": defined twice (member names match in any case)`},
		{"negative flag", file(m, ty, `"E": {"flags": true, "members": [["A", -1]]}`), `catalog: enum "E": member "A": the value -1 of a flags member is negative`},
		{"long name", file(`{"name": "`+strings.Repeat("M", 129)+`", "returns": "void"}`, ty, en), `catalog: method "` + strings.Repeat("M", 129) + `": the name is longer than 128 bytes`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.data))
			if err == nil {
				t.Fatalf("no error; catalogue %+v", c)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
	// The parts the broken files are built from are valid.
	if _, err := Parse([]byte(file(m, ty, en))); err != nil {
		t.Fatalf("the valid base file: %v", err)
	}
}

// TestEmbedded checks every embedded data file: Chat and Lookup would
// panic on a broken one.
func TestEmbedded(t *testing.T) {
	if len(embedded()) == 0 {
		t.Fatal("no embedded data file")
	}
	for key, c := range embedded() {
		if Lookup(key) != c {
			t.Errorf("Lookup(%q) is not the agent %s", key, c.Agent)
		}
	}
}

// FuzzFlags reads any text as each flags enum of the Chat catalogue: what
// ParseFlags accepts, AppendFlags writes back and ParseFlags reads again as
// the same value (every bit of these enums has a one-bit member).
func FuzzFlags(f *testing.F) {
	for _, s := range []string{"Email, Name", "email,NAME", "3", "CustomerIsTyping, UserIsTyping", "Select, Update, Delete", "r,f,FULL", " , ", "Email,,", "255", "-0"} {
		f.Add(s)
	}
	c := Chat()
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range []string{"ChatSessionFlags", "WidgetRequiredFields", "ETableRight", "EFieldRight"} {
			e := c.Enum(name)
			v, ok := e.ParseFlags(s)
			if !ok {
				continue
			}
			b, ok := e.AppendFlags(nil, v)
			if !ok {
				t.Fatalf("%s: ParseFlags(%q) = %d, which AppendFlags cannot write", name, s, v)
			}
			if w, ok := e.ParseFlags(string(b)); !ok || w != v {
				t.Fatalf("%s: %q → %d → %q → %d, %v", name, s, v, b, w, ok)
			}
		}
	})
}
