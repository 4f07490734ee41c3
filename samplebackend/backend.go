package samplebackend

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Backend serves the chat sessions on its legacy routes:
//
//	GET  /chat/sessions                              every session, as an array
//	GET  /chat/sessions/{id}                         one session
//	POST /chat/sessions/{id}/transfer/{associate}    TransferTo := the associate
//	POST /chat/sessions/{id}/accept                  User := TransferTo; TransferTo := null
//	POST /chat/sessions/{id}/reject                  TransferTo := null
//	GET  /whoami                                     the caller of a ticket, token or session cookie
//
// Every change answers the session as it is afterwards. Unknown sessions
// and associates are 404. Only /whoami reads credentials: its callers are
// named by Credentials; an unknown credential there is 401.
type Backend struct {
	mu         sync.Mutex
	sessions   map[int32]*Session
	associates []Associate
	mux        *http.ServeMux
}

// New returns a backend holding Sessions and Associates.
func New() *Backend {
	b := &Backend{sessions: make(map[int32]*Session), associates: Associates(), mux: http.NewServeMux()}
	for _, s := range Sessions() {
		b.sessions[s.ChatSessionId] = &s
	}
	b.mux.HandleFunc("GET /chat/sessions", b.list)
	b.mux.HandleFunc("GET /chat/sessions/{id}", b.withSession(func(s *Session, _ *http.Request) int { return http.StatusOK }))
	b.mux.HandleFunc("POST /chat/sessions/{id}/transfer/{associate}", b.withSession(b.transfer))
	b.mux.HandleFunc("POST /chat/sessions/{id}/accept", b.withSession(accept))
	b.mux.HandleFunc("POST /chat/sessions/{id}/reject", b.withSession(reject))
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

func (b *Backend) list(w http.ResponseWriter, _ *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	all := make([]*Session, 0, len(b.sessions))
	for _, s := range b.sessions {
		all = append(all, s)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ChatSessionId < all[j].ChatSessionId })
	writeJSON(w, http.StatusOK, all)
}

// withSession finds the session of the path's {id}, lets change act on it
// under the lock, and answers the session with change's status.
func (b *Backend) withSession(change func(*Session, *http.Request) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 32)
		b.mu.Lock()
		defer b.mu.Unlock()
		s, ok := b.sessions[int32(id)]
		if err != nil || !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such chat session"})
			return
		}
		if status := change(s, r); status != http.StatusOK {
			writeJSON(w, status, map[string]string{"error": "no such associate"})
			return
		}
		writeJSON(w, http.StatusOK, s)
	}
}

func (b *Backend) transfer(s *Session, r *http.Request) int {
	name := r.PathValue("associate")
	for _, a := range b.associates {
		if strings.EqualFold(a.Name, name) || strings.EqualFold(a.UserName, name) {
			s.TransferTo = &a
			return http.StatusOK
		}
	}
	return http.StatusNotFound
}

func accept(s *Session, _ *http.Request) int {
	if s.TransferTo != nil {
		s.User, s.TransferTo, s.Status = s.TransferTo, nil, "Active"
	}
	return http.StatusOK
}

func reject(s *Session, _ *http.Request) int {
	s.TransferTo = nil
	return http.StatusOK
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
