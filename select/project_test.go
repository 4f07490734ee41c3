package selection

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chatgate/chatgate/internal/benchratio"
)

func project(t *testing.T, selectParam, doc string) (string, error) {
	t.Helper()
	sel, err := Parse([]string{selectParam}, 256)
	if err != nil || sel == nil {
		t.Fatalf("Parse(%q) = %v, %v", selectParam, sel, err)
	}
	out, err := sel.Project(nil, []byte(doc))
	return string(out), err
}

func TestProject(t *testing.T) {
	for _, tc := range []struct {
		name, sel, doc, want string
	}{
		{"top-level names", "a,c", `{"a":1,"b":2,"c":"x"}`, `{"a":1,"b":null,"c":"x"}`},
		{"case-insensitive, spelling kept", "NAME,Department", `{"Name":"n","department":"d","Category":1}`, `{"Name":"n","department":"d","Category":null}`},
		{"order and duplicates kept", "b", `{"b":1,"a":2,"b":3}`, `{"b":1,"a":null,"b":3}`},
		{"nested", "category/id", `{"name":"n","category":{"id":1,"name":"c"}}`, `{"name":null,"category":{"id":1,"name":null}}`},
		{"whole wins over nested", "category/id,category", `{"category":{"id":1,"name":"c"}}`, `{"category":{"id":1,"name":"c"}}`},
		{"whole wins, other order", "category,category/id", `{"category":{"id":1,"name":"c"}}`, `{"category":{"id":1,"name":"c"}}`},
		{"path into an array", "items/id", `{"items":[{"id":1,"x":2},{"x":3},{"id":4}],"n":5}`, `{"items":[{"id":1,"x":null},{"x":null},{"id":4}],"n":null}`},
		{"nested arrays", "m/id", `{"m":[[{"id":1,"x":2}],[]]}`, `{"m":[[{"id":1,"x":null}],[]]}`},
		{"top-level array", "id", `[{"id":1,"x":2},{"id":3,"x":4}]`, `[{"id":1,"x":null},{"id":3,"x":null}]`},
		{"scalar below a path is null", "a/b", `{"a":"text"}`, `{"a":null}`},
		{"array of scalars below a path", "a/b", `{"a":[1,"x",null]}`, `{"a":[null,null,null]}`},
		{"null stays null", "a/b", `{"a":null}`, `{"a":null}`},
		{"unknown names select nothing", "zzz", `{"a":{"b":1},"c":[1]}`, `{"a":null,"c":null}`},
		{"kept whole as written", "a", "{\"a\" : { \"x\" : [1, 2] } , \"b\":1}", `{"a":{ "x" : [1, 2] },"b":null}`},
		{"empty object and array", "a", `{"a":{},"b":[]}`, `{"a":{},"b":null}`},
		{"literal dot", "a.b", `{"a.b":1,"a":{"b":2}}`, `{"a.b":1,"a":null}`},
		{"literal star", "a*", `{"a*":1,"ab":2}`, `{"a*":1,"ab":null}`},
		{"literal hash, pipe, at, question, backslash", `#,|,@reverse,?x,a\b`, `{"#":1,"|":2,"@reverse":3,"?x":4,"a\\b":5,"z":6}`, `{"#":1,"|":2,"@reverse":3,"?x":4,"a\\b":5,"z":null}`},
		{"star below the top is a name", "a/*", `{"a":{"*":1,"b":2}}`, `{"a":{"*":1,"b":null}}`},
		{"escaped key", "name", `{"n\u0061me":1,"x":2}`, `{"n\u0061me":1,"x":null}`},
		{"unicode name folds", "LEVERANDØR", `{"Leverandør":1,"x":2}`, `{"Leverandør":1,"x":null}`},
		{"surrogate pair key", "😀", `{"\ud83d\ude00":1,"x":2}`, `{"\ud83d\ude00":1,"x":null}`},
		{"segments trimmed", " a / b ", `{"a":{"b":1,"c":2}}`, `{"a":{"b":1,"c":null}}`},
		{"top-level scalar: left as it is", "a", `"text"`, `"text"`},
		{"byte order mark", "a", "\xef\xbb\xbf{\"a\":1}", `{"a":1}`},
		{"numbers", "a", `{"a":-0.5e+10,"b":0}`, `{"a":-0.5e+10,"b":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := project(t, tc.sel, tc.doc)
			if err != nil || got != tc.want {
				t.Fatalf("Project(%q, %s) = %s, %v; want %s", tc.sel, tc.doc, got, err, tc.want)
			}
		})
	}
}

// The reference pages' sample, with the reference pages' own $select
// example: every key stays, and only the selected ones keep their values.
func TestProjectReferenceSample(t *testing.T) {
	doc, err := os.ReadFile("testdata/chatsession.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := project(t, "chatsessionid,CustomerName,FieldProperties/fieldName/FieldType", string(doc))
	if err != nil {
		t.Fatal(err)
	}
	var in, out map[string]any
	_ = json.Unmarshal(doc, &in)
	if err := json.Unmarshal([]byte(got), &out); err != nil {
		t.Fatalf("output %s: %v", got, err)
	}
	if len(out) != len(in) {
		t.Fatalf("output has %d keys; input %d", len(out), len(in))
	}
	for k, v := range out {
		switch k {
		case "ChatSessionId", "CustomerName":
			if v != in[k] {
				t.Errorf("%s = %v; want %v", k, v, in[k])
			}
		case "FieldProperties":
			want := map[string]any{"fieldName": map[string]any{"FieldRight": nil, "FieldType": "System.Int32", "FieldLength": nil}}
			if b1, b2 := mustJSON(v), mustJSON(want); b1 != b2 {
				t.Errorf("FieldProperties = %s; want %s", b1, b2)
			}
		default:
			if v != nil {
				t.Errorf("%s = %v; want null", k, v)
			}
		}
	}
	if !strings.HasPrefix(got, `{"ChatSessionId":746,"TopicId":null,"User":null,`) {
		t.Errorf("key order changed: %.60s", got)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestProjectRefusesInvalidJSON(t *testing.T) {
	sel, _ := Parse([]string{"a"}, 256)
	for _, doc := range []string{
		``, ` `, `{`, `}`, `{"a":1,}`, `{"a":1}x`, `{"a":1}{}`, `{"a" 1}`, `{a:1}`, `[1,]`, `[1 2]`,
		`{"a":"x}`, "{\"a\":\"\x01\"}", `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`,
		`{"a":1e}`, `{"a":-}`, `{"a":+1}`, `{"a":tru}`, `{"a":nul}`, `{"a":True}`, `{"a":NaN}`,
		`{"b":[1,{"c":}]}`, `{"b":{"c":[}}`, `'a'`, "\xef\xbb\xbf", strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1),
	} {
		if json.Valid([]byte(doc)) && !strings.HasPrefix(doc, "[[[") {
			t.Fatalf("test case %q is valid JSON", doc)
		}
		out, err := sel.Project([]byte("kept"), []byte(doc))
		if !errors.Is(err, ErrInvalidJSON) || string(out) != "kept" {
			t.Errorf("Project(%q) = %q, %v; want ErrInvalidJSON and dst unchanged", doc, out, err)
		}
	}
	deep := strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting)
	if _, err := sel.Project(nil, []byte(deep)); err != nil {
		t.Errorf("nesting of exactly MaxNesting: %v", err)
	}
}

func TestProjectAllocationsDoNotGrow(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race the pools drop what a Pass borrows; .ci/run runs this test without -race")
	}
	sel, _ := Parse([]string{"ChatSessionId,User/Name,FieldProperties/fieldName"}, 256)
	one, _ := os.ReadFile("testdata/chatsession.json")
	many := benchratio.JSONArray(one, 1500)
	dst := make([]byte, 0, len(many))
	allocs := func(doc []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := sel.Project(dst[:0], doc); err != nil {
				t.Fatal(err)
			}
		})
	}
	if a1, a2 := allocs(one), allocs(many); a2 > a1 || a2 > 4 {
		t.Fatalf("allocations: %v for one entity, %v for 1500", a1, a2)
	}
}
