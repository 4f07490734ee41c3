package samplebackend

import (
	"net/http"
	"slices"
)

// presences answers every user's presence, with their ongoing chats
// counted.
func (b *Backend) presences() []Presence {
	out := make([]Presence, 0, len(b.associates))
	for _, a := range b.associates {
		p, ok := b.presence[a.AssociateId]
		if !ok {
			p = &Presence{UserId: a.AssociateId, DisplayName: a.FullName, ChatTopics: []int32{}}
		}
		v := *p
		v.OngoingChats = int32(len(b.sortedSessions(func(s *Session) bool {
			return s.User != nil && s.User.AssociateId == a.AssociateId && s.Status.Active()
		})))
		out = append(out, v)
	}
	return out
}

func (b *Backend) getPresence(*http.Request) (any, error) { return b.presences(), nil }

// savePresence reads an array of presences; of each, only userId and
// present are kept.
func (b *Backend) savePresence(r *http.Request) (any, error) {
	var list []Presence
	if err := decode(r, &list); err != nil {
		return nil, err
	}
	for _, p := range list {
		if _, ok := b.known(&Associate{AssociateId: p.UserId}); !ok || p.UserId == 0 {
			return nil, notFound("user")
		}
	}
	for _, p := range list {
		if cur, ok := b.presence[p.UserId]; ok {
			cur.Present = p.Present
			continue
		}
		b.presence[p.UserId] = &Presence{UserId: p.UserId, Present: p.Present, ChatTopics: []int32{}}
	}
	return nil, errNoContent
}

// listUsers answers the users, wrapped: with ?flat=true one item each,
// else one item per group with its users as childItems; with
// ?onlyPresent=true only present users (and groups that have any).
func (b *Backend) listUsers(r *http.Request) (any, error) {
	flat, err := boolQuery(r, "flat")
	if err != nil {
		return nil, err
	}
	onlyPresent, err := boolQuery(r, "onlyPresent")
	if err != nil {
		return nil, err
	}
	users := func(group int32) []UserItem {
		out := []UserItem{}
		for _, a := range b.associates {
			present := b.presence[a.AssociateId] != nil && b.presence[a.AssociateId].Present
			if (group != 0 && a.GroupIdx != group) || (onlyPresent && !present) {
				continue
			}
			out = append(out, UserItem{Id: a.AssociateId, Name: a.Name, ToolTip: a.Tooltip, Rank: a.Rank,
				Type: "user", ChildItems: []UserItem{}, FullName: a.FullName, Present: present})
		}
		return out
	}
	out := list[UserItem]{Data: users(0)}
	if !flat {
		out.Data = []UserItem{}
		for i, g := range groups {
			if members := users(g.idx); len(members) > 0 {
				out.Data = append(out.Data, UserItem{Id: g.idx, Name: g.name, ToolTip: g.name, Rank: int32(i + 1),
					Type: "group", ChildItems: members, FullName: g.name})
			}
		}
	}
	out.Total = len(out.Data)
	return out, nil
}

// userSessions answers the sessions the path's user serves, wrapped.
func (b *Backend) userSessions(r *http.Request) (any, error) {
	u, ok := b.associate(r.PathValue("user"))
	if !ok {
		return nil, notFound("user")
	}
	mine := b.sortedSessions(func(s *Session) bool { return s.User != nil && s.User.AssociateId == u.AssociateId })
	return list[*Session]{Data: mine, Total: len(mine)}, nil
}

// userTopics answers the topics the path's user is an agent of, wrapped.
func (b *Backend) userTopics(r *http.Request) (any, error) {
	u, ok := b.associate(r.PathValue("user"))
	if !ok {
		return nil, notFound("user")
	}
	out := list[*Topic]{Data: []*Topic{}}
	for _, a := range b.agents {
		if t, ok := b.topics[a.TopicId]; ok && a.User.AssociateId == u.AssociateId {
			out.Data = append(out.Data, t)
		}
	}
	slices.SortFunc(out.Data, func(x, y *Topic) int { return int(x.ChatTopicId) - int(y.ChatTopicId) })
	out.Total = len(out.Data)
	return out, nil
}
