package samplebackend

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Backend serves chat sessions, messages, topics, topic agents and
// presence on its own routes, in its own dialect (see the package comment):
//
//	GET    /chat/sessions                              every session (bare array)
//	GET    /chat/sessions/defaults                     a new session, not stored
//	PUT    /chat/sessions                              save: create if chatSessionId is 0, else update
//	GET    /chat/sessions/{id}                         one session
//	DELETE /chat/sessions/{id}                         204
//	POST   /chat/sessions/{id}/transfer/{associate}    transferTo := the associate
//	POST   /chat/sessions/{id}/accept                  user := transferTo; transferTo := null
//	POST   /chat/sessions/{id}/reject                  transferTo := null
//	POST   /chat/sessions/{id}/pickup/{user}           an InQueue session becomes the user's (409 if not queued)
//	POST   /chat/sessions/{id}/reset                   back InQueue, no user, no transfer
//	POST   /chat/queue/pickup?user=U                   picks up the oldest InQueue session (404 if none)
//	GET    /chat/sessions/{id}/messages?after=N        {"data": messages with id > N, "total": n}
//	POST   /chat/sessions/{id}/messages                adds a message: id and whenPosted assigned
//	GET    /chat/sessions/{id}/transcript?html=B       the transcript as a JSON string
//	GET    /chat/topics/defaults                       a new topic, not stored
//	PUT    /chat/topics                                save: create if chatTopicId is 0, else update
//	GET    /chat/topics/{id}                           one topic
//	DELETE /chat/topics/{id}                           204
//	GET    /chat/topics/{id}/open                      {"open": bool}: within the opening hours now
//	POST   /chat/topics/{id}/sessions                  a new InQueue session in the topic
//	GET    /chat/topics/agents/defaults                a new topic agent, not stored
//	GET    /chat/topics/{id}/agents                    the topic's agents (bare array)
//	PUT    /chat/topics/{id}/agents                    replaces the whole list
//	POST   /chat/topics/{id}/agents                    adds one (409 if the user is one already)
//	GET    /chat/topics/{id}/agents/{user}             one
//	PUT    /chat/topics/{id}/agents/{user}             changes one's rights
//	DELETE /chat/topics/{id}/agents/{user}             204
//	GET    /chat/presence                              every user's presence (bare array)
//	PUT    /chat/presence                              an array of presences: userId and present are kept; 204
//	GET    /chat/users?flat=B&onlyPresent=B            {"data": users, or groups of them, "total": n}
//	GET    /chat/users/{user}/sessions                 {"data": the user's sessions, "total": n}
//	GET    /chat/users/{user}/topics                   {"data": the topics the user is an agent of, "total": n}
//	GET    /whoami                                     the caller of a ticket, token or session cookie
//
// A user in a path or a query is a name, a user name (any case) or an
// associate id. Every change of a session answers the session as it is
// afterwards. Unknown sessions, topics, users and agents are 404
// {"error": "..."}; a body the backend cannot read is 400. Only /whoami
// reads credentials: its callers are named by Credentials; an unknown
// credential there is 401.
type Backend struct {
	mu          sync.Mutex
	sessions    map[int32]*Session
	messages    []Message
	topics      map[int32]*Topic
	agents      []TopicAgent
	presence    map[int32]*Presence
	associates  []Associate
	nextSession int32
	nextTopic   int32
	nextMessage int32
	mux         *http.ServeMux

	// Now is the backend's clock (time.Now unless a test sets it).
	Now func() time.Time
}

// New returns a backend holding Sessions, Messages, Topics, TopicAgents,
// Presences and Associates.
func New() *Backend {
	b := &Backend{sessions: make(map[int32]*Session), topics: make(map[int32]*Topic),
		presence: make(map[int32]*Presence), associates: Associates(), messages: Messages(),
		agents: TopicAgents(), nextSession: 1000, nextTopic: 300, mux: http.NewServeMux(), Now: time.Now}
	for _, s := range Sessions() {
		b.sessions[s.ChatSessionId] = &s
	}
	for _, t := range Topics() {
		b.topics[t.ChatTopicId] = &t
	}
	for _, p := range Presences() {
		b.presence[p.UserId] = &p
	}
	for _, m := range b.messages {
		b.nextMessage = max(b.nextMessage, m.ChatMessageId+1)
	}

	b.route("GET /chat/sessions", b.listSessions)
	b.route("GET /chat/sessions/defaults", b.defaultSession)
	b.route("PUT /chat/sessions", b.saveSession)
	b.route("GET /chat/sessions/{id}", b.withSession(func(*Session, *http.Request) error { return nil }))
	b.route("DELETE /chat/sessions/{id}", b.deleteSession)
	b.route("POST /chat/sessions/{id}/transfer/{associate}", b.withSession(b.transfer))
	b.route("POST /chat/sessions/{id}/accept", b.withSession(accept))
	b.route("POST /chat/sessions/{id}/reject", b.withSession(reject))
	b.route("POST /chat/sessions/{id}/pickup/{user}", b.withSession(b.pickUp))
	b.route("POST /chat/sessions/{id}/reset", b.withSession(reset))
	b.route("POST /chat/queue/pickup", b.pickUpFirst)
	b.route("GET /chat/sessions/{id}/messages", b.listMessages)
	b.route("POST /chat/sessions/{id}/messages", b.addMessage)
	b.route("GET /chat/sessions/{id}/transcript", b.transcript)

	b.route("GET /chat/topics/defaults", b.defaultTopic)
	b.route("PUT /chat/topics", b.saveTopic)
	b.route("GET /chat/topics/{id}", b.getTopic)
	b.route("DELETE /chat/topics/{id}", b.deleteTopic)
	b.route("GET /chat/topics/{id}/open", b.isOpen)
	b.route("POST /chat/topics/{id}/sessions", b.createSessionForTopic)
	b.route("GET /chat/topics/agents/defaults", defaultAgent)
	b.route("GET /chat/topics/{id}/agents", b.listAgents)
	b.route("PUT /chat/topics/{id}/agents", b.replaceAgents)
	b.route("POST /chat/topics/{id}/agents", b.addAgent)
	b.route("GET /chat/topics/{id}/agents/{user}", b.getAgent)
	b.route("PUT /chat/topics/{id}/agents/{user}", b.updateAgent)
	b.route("DELETE /chat/topics/{id}/agents/{user}", b.deleteAgent)

	b.route("GET /chat/presence", b.getPresence)
	b.route("PUT /chat/presence", b.savePresence)
	b.route("GET /chat/users", b.listUsers)
	b.route("GET /chat/users/{user}/sessions", b.userSessions)
	b.route("GET /chat/users/{user}/topics", b.userTopics)

	b.mux.HandleFunc("GET /whoami", b.whoami)
	return b
}

func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.mux.ServeHTTP(w, r) }

// whoami answers who the request's ticket, bearer token or session cookie
// belongs to, in the backend's own style: {"userName":"ann","associateId":14}.
func (b *Backend) whoami(w http.ResponseWriter, r *http.Request) {
	user, ok := callerOf(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unknown credential"})
		return
	}
	for _, a := range b.associates {
		if a.UserName == user {
			writeJSON(w, http.StatusOK, map[string]any{"userName": a.UserName, "associateId": a.AssociateId})
			return
		}
	}
	writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unknown credential"})
}

func callerOf(r *http.Request) (string, bool) {
	creds := Credentials()
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	switch {
	case strings.EqualFold(scheme, "SOTicket"):
		user, ok := creds.Tickets[value]
		return user, ok
	case strings.EqualFold(scheme, "Bearer"):
		user, ok := creds.Tokens[value]
		return user, ok
	case scheme == "":
		if c, err := r.Cookie(SessionCookie); err == nil {
			user, ok := creds.Sessions[c.Value]
			return user, ok
		}
	}
	return "", false
}

// statusError is an answer other than 200: {"error": msg}, or no body for
// 204.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

var errNoContent = &statusError{status: http.StatusNoContent}

func notFound(what string) error  { return &statusError{http.StatusNotFound, "no such " + what} }
func badRequest(msg string) error { return &statusError{http.StatusBadRequest, msg} }
func conflict(msg string) error   { return &statusError{http.StatusConflict, msg} }
func badQuery(name string) error  { return badRequest(name + " must be true or false") }
func badNumber(name string) error { return badRequest(name + " must be a whole number") }
func idOf(r *http.Request) int32 {
	n, _ := strconv.ParseInt(r.PathValue("id"), 10, 32)
	return int32(n)
}
func boolQuery(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, badQuery(name)
	}
	return on, nil
}

// route serves pattern with h, under the backend's lock. h answers a value
// (200, JSON) or an error (a *statusError, or 500).
func (b *Backend) route(pattern string, h func(*http.Request) (any, error)) {
	b.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		v, err := h(r)
		var body []byte
		if err == nil {
			body, err = marshal(v) // under the lock: v may be the backend's own data
		}
		b.mu.Unlock()
		var se *statusError
		switch {
		case errors.Is(err, errNoContent):
			w.WriteHeader(http.StatusNoContent)
		case errors.As(err, &se):
			writeJSON(w, se.status, map[string]string{"error": se.msg})
		case err != nil:
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
		default:
			writeBody(w, http.StatusOK, body)
		}
	})
}

// decode reads a JSON request body into v. encoding/json matches keys in
// any case, so chatgate's PascalCase keys fill the camelCase fields.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return badRequest("cannot read the body")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return badRequest(fmt.Sprintf("bad body: %v", err))
	}
	return nil
}

// associate finds a user by name, user name (any case) or associate id.
func (b *Backend) associate(name string) (*Associate, bool) {
	for i, a := range b.associates {
		if strings.EqualFold(a.Name, name) || strings.EqualFold(a.UserName, name) ||
			strconv.Itoa(int(a.AssociateId)) == name {
			return &b.associates[i], true
		}
	}
	return nil, false
}

// known returns the backend's own copy of a user a request names by id,
// name or user name, or false.
func (b *Backend) known(a *Associate) (*Associate, bool) {
	if a == nil {
		return nil, false
	}
	for i, k := range b.associates {
		if (a.AssociateId != 0 && a.AssociateId == k.AssociateId) ||
			(a.AssociateId == 0 && (strings.EqualFold(a.Name, k.Name) && a.Name != "" ||
				strings.EqualFold(a.UserName, k.UserName) && a.UserName != "")) {
			return &b.associates[i], true
		}
	}
	return nil, false
}

func (b *Backend) now() LocalTime { return localTime(b.Now()) }

// marshal writes v as JSON, with <, > and & as they are (a transcript is
// HTML).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeBody(w, status, body)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
