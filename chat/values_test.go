package chat

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// ToAssociate (TypeUserName): 1..255 characters, no control characters, no
// unpaired surrogates, in every body type.
func TestDecodeToAssociate(t *testing.T) {
	const (
		js   = "application/json"
		xmlT = "application/xml"
		form = "application/x-www-form-urlencoded"
	)
	max := strings.Repeat("ø", MaxUserName) // 510 bytes, 255 characters
	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		query       string
		want        string // "": refused
	}{
		{"plain", js, `{"ChatSessionId":1,"ToAssociate":"bob"}`, "", "bob"},
		{"associate id as text", js, `{"ChatSessionId":1,"ToAssociate":"17"}`, "", "17"},
		{"surrogate pair escape", js, `{"ChatSessionId":1,"ToAssociate":"a\ud83d\ude00"}`, "", "a😀"},
		{"emoji as UTF-8", js, `{"ChatSessionId":1,"ToAssociate":"😀"}`, "", "😀"},
		{"escaped backslash then u", js, `{"ChatSessionId":1,"ToAssociate":"\\ud800"}`, "", `\ud800`},
		{"U+FFFD sent as itself", js, `{"ChatSessionId":1,"ToAssociate":"\ufffd"}`, "", "\ufffd"},
		{"255 characters", js, `{"ChatSessionId":1,"ToAssociate":"` + max + `"}`, "", max},
		{"255 characters in form", form, "ChatSessionId=1&ToAssociate=" + url.QueryEscape(max), "", max},
		{"space inside", form, "ChatSessionId=1&ToAssociate=Bob+Smith", "", "Bob Smith"},
		{"xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate> bob </ToAssociate></r>`, "", " bob "},

		{"emoji reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#x1F600;&#233;</ToAssociate></r>`, "", "😀é"},
		{"256 characters", js, `{"ChatSessionId":1,"ToAssociate":"` + max + `x"}`, "", ""},
		{"256 characters in query", "", "", "ChatSessionId=1&ToAssociate=" + url.QueryEscape(max+"x"), ""},
		{"NUL escape", js, `{"ChatSessionId":1,"ToAssociate":"a\u0000b"}`, "", ""},
		{"CR LF escapes", js, `{"ChatSessionId":1,"ToAssociate":"a\r\nb"}`, "", ""},
		{"tab escape", js, `{"ChatSessionId":1,"ToAssociate":"a\tb"}`, "", ""},
		{"DEL", js, "{\"ChatSessionId\":1,\"ToAssociate\":\"a\x7fb\"}", "", ""},
		{"C1 escape", js, `{"ChatSessionId":1,"ToAssociate":"a\u0085b"}`, "", ""},
		{"lone high surrogate", js, `{"ChatSessionId":1,"ToAssociate":"\ud800"}`, "", ""},
		{"lone high surrogate, upper case", js, `{"ChatSessionId":1,"ToAssociate":"x\uD800y"}`, "", ""},
		{"lone low surrogate", js, `{"ChatSessionId":1,"ToAssociate":"\udc00"}`, "", ""},
		{"reversed pair", js, `{"ChatSessionId":1,"ToAssociate":"\ude00\ud83d"}`, "", ""},
		{"high then other escape", js, `{"ChatSessionId":1,"ToAssociate":"\ud800\u0041"}`, "", ""},
		{"high surrogate at end", js, `{"ChatSessionId":1,"ToAssociate":"ab\udbff"}`, "", ""},
		{"invalid UTF-8 in JSON", js, "{\"ChatSessionId\":1,\"ToAssociate\":\"a\xffb\"}", "", ""},
		{"empty", js, `{"ChatSessionId":1,"ToAssociate":""}`, "", ""},
		{"NUL in form", form, "ChatSessionId=1&ToAssociate=a%00b", "", ""},
		{"CR LF in form", form, "ChatSessionId=1&ToAssociate=a%0D%0Ab", "", ""},
		{"tab in query", "", "", "ChatSessionId=1&ToAssociate=a%09b", ""},
		{"C1 in query", "", "", "ChatSessionId=1&ToAssociate=a%C2%85b", ""},
		{"invalid UTF-8 in form", form, "ChatSessionId=1&ToAssociate=a%FFb", "", ""},
		{"encoded surrogate in query", "", "", "ChatSessionId=1&ToAssociate=%ED%A0%80", ""},
		{"tab reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>a&#9;b</ToAssociate></r>`, "", ""},
		{"line break in xml", xmlT, "<r><ChatSessionId>1</ChatSessionId><ToAssociate>a\nb</ToAssociate></r>", "", ""},
		{"invalid UTF-8 in xml", xmlT, "<r><ChatSessionId>1</ChatSessionId><ToAssociate>a\xffb</ToAssociate></r>", "", ""},
		{"surrogate reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#xD800;</ToAssociate></r>`, "", ""},
		{"decimal surrogate reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#56320;</ToAssociate></r>`, "", ""},
		{"NUL reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>a&#0;</ToAssociate></r>`, "", ""},
		{"huge reference in xml", xmlT, `<r><ChatSessionId>1</ChatSessionId><ToAssociate>&#x110000;</ToAssociate></r>`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			query, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decode(Transfer, tc.contentType, []byte(tc.body), query)
			if tc.want != "" {
				if err != nil || got.ToAssociate != tc.want {
					t.Fatalf("Decode = %+q, %v; want ToAssociate %+q", got.ToAssociate, err, tc.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest {
				t.Fatalf("Decode = %+q, %v; want a 400", got.ToAssociate, err)
			}
			// XML syntax errors (invalid UTF-8, a surrogate reference) are
			// refused by the XML reader before the value is seen.
			if tc.contentType != xmlT || strings.Contains(tc.name, "tab") || strings.Contains(tc.name, "line") {
				if !strings.Contains(e.Message, "ToAssociate must be a non-empty string of at most 255 characters") {
					t.Fatalf("message = %q; want one naming ToAssociate", e.Message)
				}
			}
		})
	}
}

func TestValueTypeFromText(t *testing.T) {
	for _, tc := range []struct {
		typ  ValueType
		in   string
		want Value // zero: refused
	}{
		{TypeInt32, "0", Value{Type: TypeInt32}},
		{TypeInt32, "-5", Value{Type: TypeInt32, Int: -5}},
		{TypeInt32, "-2147483648", Value{Type: TypeInt32, Int: -2147483648}},
		{TypeInt32, "2147483647", Value{Type: TypeInt32, Int: 2147483647}},
		{TypeInt32, "0000000000000000000012", Value{Type: TypeInt32, Int: 12}},
		{TypeInt32, "-2147483649", Value{}},
		{TypeInt32, "-", Value{}},
		{TypeInt32, "--1", Value{}},
		{TypeInt32, "+1", Value{}},
		{TypeInt32, " 1", Value{}},
		{TypeInt32, "1_000", Value{}},
		{TypeInt32, "1e3", Value{}},
		{TypeID, "1", Value{Type: TypeID, Int: 1}},
		{TypeID, "0", Value{}},
		{TypeID, "-1", Value{}},
		{TypeID, "2147483648", Value{}},
		{TypeUserName, "x", Value{Type: TypeUserName, Str: "x"}},
		{TypeUserName, "a\u00a0b", Value{Type: TypeUserName, Str: "a\u00a0b"}}, // no-break space is not a control
		{TypeUserName, "a\u009fb", Value{}},
		{TypeString, "", Value{Type: TypeString}},
		{TypeString, "a\tb", Value{Type: TypeString, Str: "a\tb"}},
		{TypeString, "\xff", Value{}},
	} {
		got, err := tc.typ.FromText(tc.in)
		if (err == nil) != tc.want.Present() || got != tc.want {
			t.Errorf("%d.FromText(%q) = %+v, %v; want %+v", tc.typ, tc.in, got, err, tc.want)
		}
	}
}

func TestValueTypeFromJSON(t *testing.T) {
	for _, tc := range []struct {
		typ     ValueType
		in      string
		want    Value
		wantErr bool
	}{
		{TypeID, `157`, Value{Type: TypeID, Int: 157}, false},
		{TypeID, `"157"`, Value{Type: TypeID, Int: 157}, false},
		{TypeID, `null`, Value{}, false},
		{TypeInt32, `-3`, Value{Type: TypeInt32, Int: -3}, false},
		{TypeInt32, `"-3"`, Value{Type: TypeInt32, Int: -3}, false},
		{TypeID, `1.0`, Value{}, true},
		{TypeID, `1e2`, Value{}, true},
		{TypeID, `true`, Value{}, true},
		{TypeID, `[1]`, Value{}, true},
		{TypeUserName, `17`, Value{}, true},
		{TypeUserName, `"\u00f8"`, Value{Type: TypeUserName, Str: "ø"}, false},
		{TypeString, `"\ud800"`, Value{}, true},
	} {
		got, err := tc.typ.FromJSON(gjson.Parse(tc.in))
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%d.FromJSON(%s) = %+v, %v; want %+v, error %v", tc.typ, tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestAppendCanonicalJSON(t *testing.T) {
	params := []Param{{Name: "ChatTopicId", Type: TypeID}, {Name: "Username", Type: TypeUserName}, {Name: "After", Type: TypeInt32}}
	for _, tc := range []struct {
		values []Value
		want   string
	}{
		{[]Value{{Type: TypeID, Int: 3}, {Type: TypeUserName, Str: "a\"b<"}, {Type: TypeInt32, Int: -1}},
			`{"ChatTopicId":3,"Username":"a\"b\u003c","After":-1}`},
		{[]Value{{}, {Type: TypeUserName, Str: "x"}, {}}, `{"Username":"x"}`},
		{[]Value{{}, {}, {}}, `{}`},
	} {
		if got := string(AppendCanonicalJSON(nil, params, tc.values)); got != tc.want {
			t.Errorf("AppendCanonicalJSON(%+v) = %s; want %s", tc.values, got, tc.want)
		}
	}
}

func TestReturnKindNotFound(t *testing.T) {
	for _, tc := range []struct {
		kind       ReturnKind
		wantStatus int
		wantBody   string
	}{
		{ReturnEntity, 200, "null"},
		{ReturnList, 200, "[]"},
		{ReturnVoid, 204, ""},
		{ReturnString, 200, "null"},
		{ReturnBoolean, 200, "null"},
	} {
		status, body := tc.kind.NotFound()
		if status != tc.wantStatus || string(body) != tc.wantBody {
			t.Errorf("%d.NotFound() = %d %q; want %d %q", tc.kind, status, body, tc.wantStatus, tc.wantBody)
		}
	}
	for _, a := range Actions {
		if a.Returns() != ReturnEntity {
			t.Errorf("%s returns %d; want ReturnEntity", a.Name(), a.Returns())
		}
	}
}

func TestHasLoneSurrogate(t *testing.T) {
	for raw, want := range map[string]bool{
		`"abc"`:                 false,
		`"\ud83d\ude00"`:        false,
		`"\\ud800"`:             false,
		`"\\\ud800"`:            true,
		`"\"\udfff"`:            true,
		`"\ud83d\ude00\ud800"`:  true,
		`"\ud83d\\ude00"`:       true,
		`"\u12"`:                true,
		`"\ud800\ud800\udc00"`:  true,
		`"\udbff\udfff\u0041"`:  false,
		`"\u00e9\u0000\ud7ff"`:  false,
		`"\ue000\uffff\uDBFF"`:  true,
		`"x\uDBFF\uDFFFy\\\\u"`: false,
	} {
		if got := hasLoneSurrogate(raw); got != want {
			t.Errorf("hasLoneSurrogate(%s) = %v; want %v", raw, got, want)
		}
	}
}
