package selection

import (
	"bytes"
	"strings"
	"testing"
)

// fakeShape is a type with PascalCase properties: Status (an enum written
// as a name), Items (an array of fakeShape), Child (a fakeShape).
type fakeShape struct{ name string }

func (s fakeShape) Field(key []byte) ([]byte, Shape, bool) {
	for _, known := range []string{"Id", "Status", "Items", "Child", "Text"} {
		if strings.EqualFold(string(key), known) {
			switch known {
			case "Status":
				return []byte(known), statusShape{}, true
			case "Items", "Child":
				return []byte(known), fakeShape{known}, true
			}
			return []byte(known), nil, true
		}
	}
	return nil, nil, false
}

func (s fakeShape) Elem() Shape { return s }

func (fakeShape) Scalar([]byte, []byte) ([]byte, bool) { return nil, false }

type statusShape struct{}

func (statusShape) Field([]byte) ([]byte, Shape, bool) { return nil, nil, false }
func (statusShape) Elem() Shape                        { return statusShape{} }
func (statusShape) Scalar(dst, raw []byte) ([]byte, bool) {
	if bytes.Equal(raw, []byte("4")) {
		return append(dst, `"InQueue"`...), true
	}
	return dst, false
}

// upper rewrites every string to upper case, recording the keys it saw.
type upper struct{ keys []string }

func (u *upper) Rewrite(dst, key, raw []byte) ([]byte, bool) {
	u.keys = append(u.keys, string(key))
	return append(dst, bytes.ToUpper(raw)...), true
}

func TestShape(t *testing.T) {
	for _, tc := range []struct {
		name, doc, sel, want string
		strs                 bool
		wantKeys             string
	}{
		{name: "keys spelled by the shape, unknown kept", doc: `{"id":1,"STATUS":4,"other":2,"te\u0078t":"a"}`,
			want: `{"Id":1,"Status":"InQueue","other":2,"Text":"a"}`},
		{name: "nested and arrays", doc: `{"child":{"status":4,"items":[{"id":2,"status":5}]},"items":[]}`,
			want: `{"Child":{"Status":"InQueue","Items":[{"Id":2,"Status":5}]},"Items":[]}`},
		{name: "top-level array", doc: `[{"status":4},{"status":1}]`, want: `[{"Status":"InQueue"},{"Status":1}]`},
		{name: "then $select on the shaped names", doc: `{"id":1,"status":4,"child":{"id":3,"text":"x"}}`, sel: "Status,Child/Text",
			want: `{"Id":null,"Status":"InQueue","Child":{"Id":null,"Text":"x"}}`},
		{name: "then strings, with the shaped keys", doc: `{"text":"a","status":4,"child":{"text":"b"}}`, strs: true,
			want: `{"Text":"A","Status":"INQUEUE","Child":{"Text":"B"}}`, wantKeys: "Text,Status,Text"},
		{name: "unshaped values inside unknown keys", doc: `{"x":{"status":4}}`, want: `{"x":{"status":4}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sel *Selection
			if tc.sel != "" {
				var err error
				if sel, err = Parse([]string{tc.sel}, 10); err != nil {
					t.Fatal(err)
				}
			}
			var u *upper
			var strs StringRewriter
			if tc.strs {
				u = &upper{}
				strs = u
			}
			got, err := Rewrite(nil, []byte(tc.doc), sel, strs, fakeShape{})
			if err != nil || string(got) != tc.want {
				t.Fatalf("Rewrite = %s, %v; want %s", got, err, tc.want)
			}
			if u != nil && strings.Join(u.keys, ",") != tc.wantKeys {
				t.Fatalf("strings saw keys %v; want %s", u.keys, tc.wantKeys)
			}
		})
	}
}
