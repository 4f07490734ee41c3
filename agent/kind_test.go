package agent

import (
	"bytes"
	"errors"
	"testing"
)

// TestKindWriter: an answer's value must be of the kind its method
// returns, checked at its first byte, whatever write it comes in; a list
// method's null is NullList.
func TestKindWriter(t *testing.T) {
	for _, tc := range []struct {
		method, answer string
		ok, nullList   bool
	}{
		{"GetChatMessages", `[{"chatMessageId":1}]`, true, false},
		{"GetChatMessages", ` null`, true, true},
		{"GetChatMessages", `{"chatMessageId":1}`, false, false},
		{"GetChatMessages", `"x"`, false, false},
		{"GetChatMessages", `5`, false, false},
		{"GetChatSessionEntity", `{"chatSessionId":1}`, true, false},
		{"GetChatSessionEntity", `null`, true, false},
		{"GetChatSessionEntity", "\r\n\t [{}]", false, false},
		{"GetChatSessionEntity", `true`, false, false},
		{"GetChatTranscript", `"text"`, true, false},
		{"GetChatTranscript", `null`, true, false},
		{"GetChatTranscript", `{"text":"x"}`, false, false},
		{"IsWithinOpeningHours", `1`, true, false},
		{"IsWithinOpeningHours", `["true"]`, false, false},
		{"GetChatMessages", `xyz`, true, false}, // no JSON value: the pass refuses it, not this
	} {
		for cut := 0; cut <= len(tc.answer); cut++ {
			var out bytes.Buffer
			k := NewKindWriter(&out, Chat().Method(tc.method).Returns)
			_, err := k.Write([]byte(tc.answer[:cut]))
			if err == nil {
				_, err = k.Write([]byte(tc.answer[cut:]))
			}
			var ke *KindError
			if tc.ok != (err == nil) || !tc.ok && (!errors.As(err, &ke) || out.Len() > cut) || tc.ok && out.String() != tc.answer ||
				k.NullList() != tc.nullList {
				t.Fatalf("%s %q cut at %d: %v, wrote %q, null list %v", tc.method, tc.answer, cut, err, out.String(), k.NullList())
			}
		}
	}
	err := &KindError{Got: "an object", Returns: Chat().Method("GetChatMessages").Returns}
	if err.Error() != "the backend's answer is an object, where the method returns ChatMessage[]" {
		t.Fatal(err)
	}
}
