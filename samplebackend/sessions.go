package samplebackend

import (
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

func (b *Backend) sortedSessions(keep func(*Session) bool) []*Session {
	all := make([]*Session, 0, len(b.sessions))
	for _, s := range b.sessions {
		if keep(s) {
			all = append(all, s)
		}
	}
	slices.SortFunc(all, func(x, y *Session) int { return int(x.ChatSessionId) - int(y.ChatSessionId) })
	return all
}

func (b *Backend) listSessions(*http.Request) (any, error) {
	return b.sortedSessions(func(*Session) bool { return true }), nil
}

// withSession finds the session of the path's {id}, lets change act on it,
// and answers the session as it is afterwards.
func (b *Backend) withSession(change func(*Session, *http.Request) error) func(*http.Request) (any, error) {
	return func(r *http.Request) (any, error) {
		s, ok := b.sessions[idOf(r)]
		if !ok {
			return nil, notFound("chat session")
		}
		if err := change(s, r); err != nil {
			return nil, err
		}
		return s, nil
	}
}

// newSession is a session as the backend starts one: waiting in the queue
// since now.
func (b *Backend) newSession(topic int32) Session {
	return Session{TopicId: topic, Status: StatusInQueue, WhenRequested: b.now(), CustomerConsented: false}
}

func (b *Backend) defaultSession(*http.Request) (any, error) { return b.newSession(0), nil }

// saveSession creates a session (chatSessionId 0: it gets the next id) or
// replaces a known one.
func (b *Backend) saveSession(r *http.Request) (any, error) {
	var s Session
	if err := decode(r, &s); err != nil {
		return nil, err
	}
	if s.ChatSessionId == 0 {
		s.ChatSessionId = b.nextSession
		b.nextSession++
	} else if _, ok := b.sessions[s.ChatSessionId]; !ok {
		return nil, notFound("chat session")
	}
	for _, a := range []**Associate{&s.User, &s.TransferTo} {
		if *a == nil {
			continue
		}
		known, ok := b.known(*a)
		if !ok {
			return nil, notFound("associate")
		}
		*a = known
	}
	b.sessions[s.ChatSessionId] = &s
	return &s, nil
}

func (b *Backend) deleteSession(r *http.Request) (any, error) {
	id := idOf(r)
	if _, ok := b.sessions[id]; !ok {
		return nil, notFound("chat session")
	}
	delete(b.sessions, id)
	b.messages = slices.DeleteFunc(b.messages, func(m Message) bool { return m.ChatSessionId == id })
	return nil, errNoContent
}

func (b *Backend) transfer(s *Session, r *http.Request) error {
	a, ok := b.associate(r.PathValue("associate"))
	if !ok {
		return notFound("associate")
	}
	s.TransferTo = a
	return nil
}

func accept(s *Session, _ *http.Request) error {
	if s.TransferTo != nil {
		s.User, s.TransferTo = s.TransferTo, nil
		if !s.Status.Active() {
			s.Status = StatusCustomerLast
		}
	}
	return nil
}

func reject(s *Session, _ *http.Request) error {
	s.TransferTo = nil
	return nil
}

func (b *Backend) pickUp(s *Session, r *http.Request) error {
	a, ok := b.associate(r.PathValue("user"))
	if !ok {
		return notFound("user")
	}
	if s.Status != StatusInQueue {
		return conflict("the chat session is not in the queue")
	}
	b.take(s, a)
	return nil
}

// take gives a queued session to a user: the customer waits for an answer.
func (b *Backend) take(s *Session, a *Associate) {
	s.User, s.TransferTo, s.Status, s.WhenStarted = a, nil, StatusCustomerLast, b.now()
}

// pickUpFirst gives the user the session that has waited longest.
func (b *Backend) pickUpFirst(r *http.Request) (any, error) {
	a, ok := b.associate(r.URL.Query().Get("user"))
	if !ok {
		return nil, notFound("user")
	}
	var first *Session
	for _, s := range b.sortedSessions(func(s *Session) bool { return s.Status == StatusInQueue }) {
		if first == nil || s.WhenRequested < first.WhenRequested {
			first = s
		}
	}
	if first == nil {
		return nil, notFound("chat session in the queue")
	}
	b.take(first, a)
	return first, nil
}

func reset(s *Session, _ *http.Request) error {
	s.User, s.TransferTo, s.Status = nil, nil, StatusInQueue
	return nil
}

// listMessages answers the session's messages newer than ?after= (a
// message id; none or empty: all of them), wrapped.
func (b *Backend) listMessages(r *http.Request) (any, error) {
	id := idOf(r)
	if _, ok := b.sessions[id]; !ok {
		return nil, notFound("chat session")
	}
	var after int64
	if v := r.URL.Query().Get("after"); v != "" {
		var err error
		if after, err = strconv.ParseInt(v, 10, 32); err != nil {
			return nil, badNumber("after")
		}
	}
	out := list[Message]{Data: []Message{}}
	for _, m := range b.messages {
		if m.ChatSessionId == id && int64(m.ChatMessageId) > after {
			out.Data = append(out.Data, m)
		}
	}
	out.Total = len(out.Data)
	return out, nil
}

// addMessage stores the body's message in the session with the next id,
// posted now, and answers it.
func (b *Backend) addMessage(r *http.Request) (any, error) {
	s, ok := b.sessions[idOf(r)]
	if !ok {
		return nil, notFound("chat session")
	}
	var m Message
	if err := decode(r, &m); err != nil {
		return nil, err
	}
	m.ChatMessageId, m.ChatSessionId, m.WhenPosted = b.nextMessage, s.ChatSessionId, b.now()
	b.nextMessage++
	b.messages = append(b.messages, m)
	if m.Type == MessageToCustomer || m.Type == MessageToUser {
		if s.FirstMessage == "" {
			s.FirstMessage = m.Message
		}
		s.LastMessage = m.Message
		if s.Status.Active() {
			s.Status = map[MessageType]SessionStatus{MessageToCustomer: StatusUserLast, MessageToUser: StatusCustomerLast}[m.Type]
		}
	}
	return m, nil
}

// transcript answers the session's messages as one JSON string: lines of
// text, or with ?html=true an HTML fragment.
func (b *Backend) transcript(r *http.Request) (any, error) {
	id := idOf(r)
	if _, ok := b.sessions[id]; !ok {
		return nil, notFound("chat session")
	}
	asHTML, err := boolQuery(r, "html")
	if err != nil {
		return nil, err
	}
	var out strings.Builder
	for _, m := range b.messages {
		if m.ChatSessionId != id || m.Type == MessageSpecial {
			continue
		}
		at := strings.Replace(string(m.WhenPosted), "T", " ", 1)
		at, _, _ = strings.Cut(at, ".")
		if asHTML {
			fmt.Fprintf(&out, "<p><time>%s</time> <b>%s</b>: %s</p>\n", at, html.EscapeString(m.Author), html.EscapeString(m.Message))
		} else {
			fmt.Fprintf(&out, "[%s] %s: %s\n", at, m.Author, m.Message)
		}
	}
	return out.String(), nil
}
