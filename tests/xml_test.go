package tests

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

const xmlSite = `
	chatgate {
		chat_route transfer POST /chat/sessions/{ChatSessionId}/transfer/{ToAssociate}
		chat_route accept POST /chat/sessions/{ChatSessionId}/accept
		chat_route reject POST /chat/sessions/{ChatSessionId}/reject
		session_route GET /chat/sessions/{ChatSessionId}
		xml_root /names* NameTest
	}
	reverse_proxy {backend}
`

// element is an XML element read back generically.
type element struct {
	Name     string
	Nil      bool
	Text     string
	Children []*element
}

// readXML parses a whole document with encoding/xml, failing the test if it
// is not one well-formed element after the XML declaration.
func readXML(t *testing.T, doc string) *element {
	t.Helper()
	if !strings.HasPrefix(doc, `<?xml version="1.0" encoding="utf-8"?>`) {
		t.Fatalf("no XML declaration: %.200s", doc)
	}
	dec := xml.NewDecoder(strings.NewReader(doc))
	var stack []*element
	var root *element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%.300s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{Name: tok.Name.Local}
			for _, a := range tok.Attr {
				e.Nil = e.Nil || a.Name.Space == xsiNamespace && a.Name.Local == "nil" && a.Value == "true"
			}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.Children = append(top.Children, e)
			} else if root != nil {
				t.Fatalf("a second root element %s", e.Name)
			} else {
				root = e
			}
			stack = append(stack, e)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		t.Fatalf("no root element: %q", doc)
	}
	return root
}

func (e *element) child(name string) *element {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// jsonKeys lists the keys of a JSON object in order.
func jsonKeys(t *testing.T, object string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(object))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %.200s", object)
	}
	var keys []string
	for dec.More() {
		key, _ := dec.Token()
		keys = append(keys, key.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func names(elements []*element) []string {
	out := make([]string, len(elements))
	for i, e := range elements {
		out[i] = e.Name
	}
	return out
}

// A session asked for in XML is the same session, property by property and
// in the same order, under ChatSessionEntity; the backend is asked for JSON.
func TestXMLEntityAndArray(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, xmlSite, be.addr())

	asJSON := do(t, "GET", gw.URL+"/chat/sessions/157", "")
	asXML := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Accept", "application/xml")
	if asXML.Status != 200 || asXML.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("XML answer %d %q: %.300s", asXML.Status, asXML.Header.Get("Content-Type"), asXML.Body)
	}
	if got := be.take(); got[1].Header.Get("Accept") != "application/json" {
		t.Fatalf("the backend was asked for %q", got[1].Header.Get("Accept"))
	}
	root := readXML(t, asXML.Body)
	if root.Name != "ChatSessionEntity" {
		t.Fatalf("root %s", root.Name)
	}
	if got, want := strings.Join(names(root.Children), ","), strings.Join(jsonKeys(t, asJSON.Body), ","); got != want {
		t.Fatalf("properties\n%s\nwant\n%s", got, want)
	}
	var session map[string]any
	_ = json.Unmarshal([]byte(asJSON.Body), &session)
	for key, value := range session {
		e := root.child(key)
		switch v := value.(type) {
		case nil:
			if !e.Nil || e.Text != "" || len(e.Children) != 0 {
				t.Errorf("%s: null became %+v", key, e)
			}
		case string:
			if e.Text != v {
				t.Errorf("%s: %q became %q", key, v, e.Text)
			}
		case map[string]any:
			if len(e.Children) != len(v) {
				t.Errorf("%s: %d properties became %d elements", key, len(v), len(e.Children))
			}
		}
	}
	// The backend's own keys, camelCase: only the Agents endpoints are
	// spelled as the catalogue.
	if root.child("chatSessionId").Text != "157" {
		t.Fatalf("chatSessionId = %q", root.child("chatSessionId").Text)
	}

	list := do(t, "GET", gw.URL+"/chat/sessions", "", "Accept", "text/xml")
	if list.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("Content-Type %q", list.Header.Get("Content-Type"))
	}
	array := readXML(t, list.Body)
	var sessions []json.RawMessage
	_ = json.Unmarshal([]byte(do(t, "GET", gw.URL+"/chat/sessions", "").Body), &sessions)
	if array.Name != "ArrayOfChatSessionEntity" || len(array.Children) != len(sessions) || len(sessions) < 2 {
		t.Fatalf("array root %s with %d children for %d sessions", array.Name, len(array.Children), len(sessions))
	}
	for _, item := range array.Children {
		if item.Name != "ChatSessionEntity" || item.child("chatSessionId") == nil {
			t.Fatalf("array item %s %v", item.Name, names(item.Children))
		}
	}
}

// The chat endpoints answer in XML too, after every other transform.
func TestXMLChatEndpointAfterOtherTransforms(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, xmlSite, be.addr())
	r := do(t, "POST", gw.URL+"/api/v1/Agents/Chat/TransferChatSession?$select=ChatSessionId,TransferTo/Name,WhenRequested",
		"ChatSessionId=157&ToAssociate=ann", "Content-Type", "application/x-www-form-urlencoded",
		"Accept", "application/json;q=0.5, application/xml", "SO-TimeZone", "US-NY, includeTZOffset",
		"Authorization", "Basic "+b64("tje0:pw"))
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("answer %d %q: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	root := readXML(t, r.Body)
	if root.Name != "ChatSessionEntity" || root.child("ChatSessionId").Text != "157" ||
		root.child("TransferTo").child("Name").Text == "" || root.child("TransferTo").child("UserName") == nil ||
		!root.child("TransferTo").child("UserName").Nil || !root.child("Status").Nil {
		t.Fatalf("answer %s", r.Body)
	}
	if when := root.child("WhenRequested").Text; !strings.HasSuffix(when, "-05:00") && !strings.HasSuffix(when, "-04:00") {
		t.Fatalf("WhenRequested %q is not in New York time", when)
	}
}

// Keys that are not XML names are encoded reversibly; texts are escaped;
// what XML 1.0 cannot carry becomes U+FFFD.
func TestXMLNamesAndTexts(t *testing.T) {
	be := newBackend(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"a b":1,"":2,"1x":"<&>]]>","_x0041_":"\u0000\r\n","k:v":[true,null,{"Ø":"ø"}],"_x0000 ":3}`)
	}))
	gw := startGateway(t, xmlSite, be.addr())
	r := do(t, "GET", gw.URL+"/names", "", "Accept", "application/xml")
	root := readXML(t, r.Body)
	if root.Name != "NameTest" {
		t.Fatalf("root %s: xml_root not applied", root.Name)
	}
	if got := strings.Join(names(root.Children), " "); got != "a_x0020_b _x_ _x0031_x _x005F_x0041_ k_x003A_v _x005F_x0000_x0020_" {
		t.Fatalf("names %q", got)
	}
	if got := root.Children[2].Text; got != "<&>]]>" {
		t.Fatalf("text %q", got)
	}
	if got := root.Children[3].Text; got != "\uFFFD\r\n" {
		t.Fatalf("text %q", got)
	}
	list := root.Children[4]
	if len(list.Children) != 3 || list.Children[0].Name != "Item" || list.Children[0].Text != "true" || !list.Children[1].Nil ||
		list.Children[2].child("Ø").Text != "ø" {
		t.Fatalf("array %s", r.Body)
	}
}

// Errors the gateway makes are XML when XML was asked for, with the
// contract's fields under ErrorInfo.
func TestXMLErrors(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, xmlSite, be.addr())
	down := startGateway(t, "chatgate\nreverse_proxy 127.0.0.1:1", "")
	for _, tc := range []struct {
		name        string
		method, url string
		body        string
		headers     []string
		status      int
		errorType   string
		message     string
	}{
		{"401", "GET", gw.URL + "/chat/sessions/157", "", []string{"Authorization", "SoTicket nope"}, 401, "Unauthorized", "SoTicket credential is malformed"},
		{"400", "GET", gw.URL + "/chat/sessions/157?$select=a//b", "", nil, 400, "BadRequest", "empty name"},
		{"405", "GET", gw.URL + "/api/v1/Agents/Chat/AcceptChatSessionTransfer", "", nil, 405, "MethodNotAllowed", "POST"},
		{"415", "POST", gw.URL + "/api/v1/Agents/Chat/AcceptChatSessionTransfer", "x", []string{"Content-Type", "text/plain"}, 415, "UnsupportedMediaType", ""},
		{"400 field", "POST", gw.URL + "/api/v1/Agents/Chat/AcceptChatSessionTransfer", "<r><ChatSessionId>0</ChatSessionId></r>", []string{"Content-Type", "application/xml"}, 400, "BadRequest", "ChatSessionId"},
		{"502", "GET", down.URL + "/chat/sessions", "", nil, 502, "BadGateway", "backend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, tc.url, tc.body, append(tc.headers, "Accept", "text/xml")...)
			wantXMLError(t, r, tc.status, tc.errorType, tc.message)
			if tc.status == 401 && !strings.Contains(r.Header.Get("WWW-Authenticate"), "SoTicket") {
				t.Fatalf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

// wantXMLError checks the status and the contract's error body in XML.
func wantXMLError(t *testing.T, r response, status int, errorType, messagePart string) {
	t.Helper()
	if r.Status != status || r.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("%d %q; want %d in XML: %s", r.Status, r.Header.Get("Content-Type"), status, r.Body)
	}
	root := readXML(t, r.Body)
	if root.Name != "ErrorInfo" || strings.Join(names(root.Children), ",") != "Error,ErrorType,ErrorMessage,ErrorSource" ||
		root.child("Error").Text != "true" || root.child("ErrorType").Text != errorType ||
		root.child("ErrorSource").Text != "chatgate" || !strings.Contains(root.child("ErrorMessage").Text, messagePart) {
		t.Fatalf("error body %s; want %s with %q", r.Body, errorType, messagePart)
	}
}

// The JSON variants of the reference pages come back as JSON with the
// asked type; without a preference the backend's type stands.
func TestJSONVariantsThroughTheGateway(t *testing.T) {
	be := newBackend(t, sampleBackend())
	gw := startGateway(t, xmlSite, be.addr())
	for accept, want := range map[string]string{
		"text/json":                    "text/json; charset=utf-8",
		"application/json-patch+json":  "application/json-patch+json; charset=utf-8",
		"application/merge-patch+json": "application/merge-patch+json; charset=utf-8",
		"application/json":             "application/json; charset=utf-8",
		"":                             "application/json; charset=utf-8",
		"text/html":                    "application/json; charset=utf-8",
	} {
		var headers []string
		if accept != "" {
			headers = []string{"Accept", accept}
		}
		r := do(t, "GET", gw.URL+"/chat/sessions/157", "", headers...)
		if r.Status != 200 || r.Header.Get("Content-Type") != want || !json.Valid([]byte(r.Body)) {
			t.Errorf("Accept %q: %d %q", accept, r.Status, r.Header.Get("Content-Type"))
		}
		if vary := r.Header.Get("Vary"); !strings.Contains(vary, "Accept") {
			t.Errorf("Accept %q: Vary %q", accept, vary)
		}
	}
	if r := do(t, "GET", gw.URL+"/chat/sessions/157", "", "Accept", "text/json"); !bytes.HasPrefix([]byte(r.Body), []byte(`{"chatSessionId":157`)) {
		t.Fatalf("body %.100s", r.Body)
	}
}
