package agent

import (
	"bytes"
	"errors"
	"testing"

	"github.com/chatgate/chatgate/internal/jsonpass"
)

// TestKindWriter: an answer's value must be of the kind its method
// returns, checked at its first byte (past white space and a leading byte
// order mark), whatever write it comes in; a list's null goes on as [],
// and one that is cut or goes on otherwise is invalid JSON.
func TestKindWriter(t *testing.T) {
	for _, tc := range []struct {
		method, answer, want string // want "": the answer as it came
		ok                   bool
	}{
		{"GetChatMessages", `[{"chatMessageId":1}]`, "", true},
		{"GetChatMessages", ` null `, ` [] `, true},
		{"GetChatMessages", bom + `null`, bom + `[]`, true},
		{"GetChatMessages", ` nul`, ` `, true}, // cut: the pass, which got no value, refuses it at its end
		{"GetChatMessages", `nulL`, "", false},
		{"GetChatMessages", `{"chatMessageId":1}`, "", false},
		{"GetChatMessages", bom + ` {"chatMessageId":1}`, "", false},
		{"GetChatMessages", `"x"`, "", false},
		{"GetChatMessages", `5`, "", false},
		{"GetChatSessionEntity", `{"chatSessionId":1}`, "", true},
		{"GetChatSessionEntity", `null`, "", true},
		{"GetChatSessionEntity", "\r\n\t [{}]", "", false},
		{"GetChatSessionEntity", bom + `[{}]`, "", false},
		{"GetChatSessionEntity", `true`, "", false},
		{"GetChatTranscript", `"text"`, "", true},
		{"GetChatTranscript", `null`, "", true},
		{"GetChatTranscript", `{"text":"x"}`, "", false},
		{"IsWithinOpeningHours", `1`, "", true},
		{"IsWithinOpeningHours", `["true"]`, "", false},
		{"GetChatMessages", `xyz`, "", true},            // no JSON value: the pass refuses it, not this
		{"GetChatMessages", "\xef\xbb{}", "", true},     // no byte order mark: the pass refuses it
		{"GetChatMessages", " " + bom + "{}", "", true}, // not at the start: the pass refuses it
	} {
		want := tc.want
		if want == "" && tc.ok {
			want = tc.answer
		}
		for cut := 0; cut <= len(tc.answer); cut++ {
			var out bytes.Buffer
			k := NewKindWriter(&out, Chat().Method(tc.method).Returns)
			_, err := k.Write([]byte(tc.answer[:cut]))
			if err == nil {
				_, err = k.Write([]byte(tc.answer[cut:]))
			}
			var ke *KindError
			switch {
			case tc.ok && (err != nil || out.String() != want):
				t.Fatalf("%s %q cut at %d: %v, wrote %q, want %q", tc.method, tc.answer, cut, err, out.String(), want)
			case !tc.ok && err == nil:
				t.Fatalf("%s %q cut at %d: wrote %q, want an error", tc.method, tc.answer, cut, out.String())
			case !tc.ok && !errors.As(err, &ke) && !errors.Is(err, jsonpass.ErrInvalidJSON):
				t.Fatalf("%s %q cut at %d: %v", tc.method, tc.answer, cut, err)
			}
		}
	}
	err := &KindError{Got: "an object", Returns: Chat().Method("GetChatMessages").Returns}
	if err.Error() != "the backend's answer is an object, where the method returns ChatMessage[]" {
		t.Fatal(err)
	}
}
