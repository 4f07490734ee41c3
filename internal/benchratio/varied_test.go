package benchratio

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"unicode/utf8"
)

// TestVariedChatSessions: the varied array is valid JSON of n entities,
// each with the reference entity's keys in its order, and the same each
// time; no text in it was cut inside a letter (which ToUpper would turn
// into U+FFFD).
func TestVariedChatSessions(t *testing.T) {
	entity := CompactChatSession(t, "../../select/testdata/chatsession.json")
	doc := VariedChatSessions(entity, 300)
	if !json.Valid(doc) || !utf8.Valid(doc) || !bytes.Equal(doc, VariedChatSessions(entity, 300)) {
		t.Fatal("not valid, or not the same twice")
	}
	if bytes.ContainsRune(doc, utf8.RuneError) {
		t.Fatal("a text cut inside a letter")
	}
	var entities []json.RawMessage
	if err := json.Unmarshal(doc, &entities); err != nil || len(entities) != 300 {
		t.Fatalf("%d entities, %v", len(entities), err)
	}
	keys := func(entity []byte) []string {
		dec := json.NewDecoder(bytes.NewReader(entity))
		var out []string
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			out = append(out, k.(string))
			var v json.RawMessage
			dec.Decode(&v)
		}
		return out
	}
	want := keys(entity)
	distinct := map[string]bool{}
	for _, e := range entities {
		if got := keys(e); !slices.Equal(got, want) {
			t.Fatalf("keys %v; want %v", got, want)
		}
		distinct[string(e)] = true
	}
	if len(distinct) != len(entities) || !bytes.Contains(doc, []byte("ø")) || !bytes.Contains(doc, []byte(`"User":{"AssociateId"`)) {
		t.Fatal("the entities are not varied")
	}
}
