package samplebackend

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (b *Backend) topic(r *http.Request) (*Topic, error) {
	t, ok := b.topics[idOf(r)]
	if !ok {
		return nil, notFound("chat topic")
	}
	return t, nil
}

func (b *Backend) getTopic(r *http.Request) (any, error) { return b.topic(r) }

func (b *Backend) defaultTopic(*http.Request) (any, error) {
	return Topic{Name: "", SecondsPrAccept: 60, WarnNewChatMinutes: 5, WarnManagerNewChatMinutes: 10,
		Widget: &Widget{LanguageIsoCode: "en"}}, nil
}

// saveTopic creates a topic (chatTopicId 0: it gets the next id) or
// replaces a known one.
func (b *Backend) saveTopic(r *http.Request) (any, error) {
	var t Topic
	if err := decode(r, &t); err != nil {
		return nil, err
	}
	if t.ChatTopicId == 0 {
		t.ChatTopicId = b.nextTopic
		b.nextTopic++
	} else if _, ok := b.topics[t.ChatTopicId]; !ok {
		return nil, notFound("chat topic")
	}
	b.topics[t.ChatTopicId] = &t
	return &t, nil
}

func (b *Backend) deleteTopic(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	delete(b.topics, t.ChatTopicId)
	b.agents = slices.DeleteFunc(b.agents, func(a TopicAgent) bool { return a.TopicId == t.ChatTopicId })
	return nil, errNoContent
}

// isOpen answers {"open": true} when the topic takes chats now: always
// without opening hours, else within the day's hours in Oslo and outside
// lunch.
func (b *Backend) isOpen(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	return map[string]bool{"open": open(t, b.Now().In(Oslo))}, nil
}

func open(t *Topic, now time.Time) bool {
	h := t.OpeningHours
	if !t.OpeningHoursEnabled || h == nil {
		return true
	}
	days := [7]struct {
		on          bool
		start, stop string
	}{{h.SunEnabled, h.SunStart, h.SunStop}, {h.MonEnabled, h.MonStart, h.MonStop}, {h.TueEnabled, h.TueStart, h.TueStop},
		{h.WedEnabled, h.WedStart, h.WedStop}, {h.ThuEnabled, h.ThuStart, h.ThuStop}, {h.FriEnabled, h.FriStart, h.FriStop},
		{h.SatEnabled, h.SatStart, h.SatStop}}
	day := days[now.Weekday()]
	at := time.Duration(now.Hour())*time.Hour + time.Duration(now.Minute())*time.Minute + time.Duration(now.Second())*time.Second
	within := func(start, stop string) bool { return clock(start) <= at && at < clock(stop) }
	return day.on && within(day.start, day.stop) && !(h.UseLunchHours && within(h.LunchStart, h.LunchStop))
}

// clock reads a time of day, "08:30:00" or an ISO 8601 duration "PT8H30M";
// anything else is midnight.
func clock(s string) time.Duration {
	if rest, ok := strings.CutPrefix(strings.ToUpper(s), "PT"); ok {
		var d time.Duration
		for _, unit := range []struct {
			suffix string
			d      time.Duration
		}{{"H", time.Hour}, {"M", time.Minute}, {"S", time.Second}} {
			if n, tail, ok := strings.Cut(rest, unit.suffix); ok {
				v, _ := strconv.ParseFloat(n, 64)
				d += time.Duration(v * float64(unit.d))
				rest = tail
			}
		}
		return d
	}
	var d time.Duration
	for i, part := range strings.SplitN(s, ":", 3) {
		v, _ := strconv.ParseFloat(part, 64)
		d += time.Duration(v * float64([]time.Duration{time.Hour, time.Minute, time.Second}[i]))
	}
	return d
}

func (b *Backend) createSessionForTopic(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	s := b.newSession(t.ChatTopicId)
	s.ChatSessionId = b.nextSession
	b.nextSession++
	b.sessions[s.ChatSessionId] = &s
	return &s, nil
}

func defaultAgent(*http.Request) (any, error) {
	return TopicAgent{CanListen: true, CanRespond: true}, nil
}

func (b *Backend) topicAgents(id int32) []TopicAgent {
	out := []TopicAgent{}
	for _, a := range b.agents {
		if a.TopicId == id {
			out = append(out, a)
		}
	}
	return out
}

func (b *Backend) listAgents(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	return b.topicAgents(t.ChatTopicId), nil
}

// agentIndex finds the agent of the path's {user} in the path's topic.
func (b *Backend) agentIndex(r *http.Request) (int, error) {
	t, err := b.topic(r)
	if err != nil {
		return 0, err
	}
	u, ok := b.associate(r.PathValue("user"))
	if !ok {
		return 0, notFound("user")
	}
	for i, a := range b.agents {
		if a.TopicId == t.ChatTopicId && a.User.AssociateId == u.AssociateId {
			return i, nil
		}
	}
	return 0, notFound("agent of the chat topic")
}

func (b *Backend) getAgent(r *http.Request) (any, error) {
	i, err := b.agentIndex(r)
	if err != nil {
		return nil, err
	}
	return b.agents[i], nil
}

// readAgent reads a topic agent from the body: its user must be known.
func (b *Backend) readAgent(a *TopicAgent, topic int32) error {
	u, ok := b.known(a.User)
	if !ok {
		return notFound("user")
	}
	a.User, a.TopicId = u, topic
	return nil
}

func (b *Backend) addAgent(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	var a TopicAgent
	if err := decode(r, &a); err != nil {
		return nil, err
	}
	if err := b.readAgent(&a, t.ChatTopicId); err != nil {
		return nil, err
	}
	for _, other := range b.topicAgents(t.ChatTopicId) {
		if other.User.AssociateId == a.User.AssociateId {
			return nil, conflict("the user is an agent of the chat topic already")
		}
	}
	b.agents = append(b.agents, a)
	return a, nil
}

// updateAgent changes the rights of the path's user; the body's user is
// not read.
func (b *Backend) updateAgent(r *http.Request) (any, error) {
	i, err := b.agentIndex(r)
	if err != nil {
		return nil, err
	}
	var a TopicAgent
	if err := decode(r, &a); err != nil {
		return nil, err
	}
	a.TopicId, a.User = b.agents[i].TopicId, b.agents[i].User
	b.agents[i] = a
	return a, nil
}

// replaceAgents makes the body's array the topic's whole list of agents.
func (b *Backend) replaceAgents(r *http.Request) (any, error) {
	t, err := b.topic(r)
	if err != nil {
		return nil, err
	}
	var list []TopicAgent
	if err := decode(r, &list); err != nil {
		return nil, err
	}
	seen := map[int32]bool{}
	for i := range list {
		if err := b.readAgent(&list[i], t.ChatTopicId); err != nil {
			return nil, err
		}
		if seen[list[i].User.AssociateId] {
			return nil, badRequest("a user is listed twice")
		}
		seen[list[i].User.AssociateId] = true
	}
	b.agents = append(slices.DeleteFunc(b.agents, func(a TopicAgent) bool { return a.TopicId == t.ChatTopicId }), list...)
	return b.topicAgents(t.ChatTopicId), nil
}

func (b *Backend) deleteAgent(r *http.Request) (any, error) {
	i, err := b.agentIndex(r)
	if err != nil {
		return nil, err
	}
	b.agents = slices.Delete(b.agents, i, i+1)
	return nil, errNoContent
}
