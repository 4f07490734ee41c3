package format

import "testing"

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		accept    []string
		xml       bool
		mediaType string
	}{
		{nil, false, ""},
		{[]string{""}, false, ""},
		{[]string{"application/json"}, false, ApplicationJSON},
		{[]string{"application/json; charset=utf-8"}, false, ApplicationJSON}, // the reference pages' sample
		{[]string{"*/*"}, false, ApplicationJSON},
		{[]string{"application/*"}, false, ApplicationJSON},
		{[]string{"text/*"}, false, TextJSON},
		{[]string{"text/json"}, false, TextJSON},
		{[]string{"Application/JSON-Patch+JSON"}, false, JSONPatch},
		{[]string{"application/merge-patch+json"}, false, MergePatch},
		{[]string{"application/xml"}, true, ApplicationXML},
		{[]string{"text/xml"}, true, TextXML},
		{[]string{"TEXT/XML;q=1"}, true, TextXML},
		// q decides first.
		{[]string{"application/json;q=0.5, application/xml"}, true, ApplicationXML},
		{[]string{"application/xml;q=0.5, application/json"}, false, ApplicationJSON},
		{[]string{"application/xml;q=0.9, */*;q=0.8"}, true, ApplicationXML},
		{[]string{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, true, ApplicationXML}, // a browser
		{[]string{"application/xml;q=0.001, application/json;q=0"}, true, ApplicationXML},
		// The most specific range gives an offer its q.
		{[]string{"application/xml;q=0, */*"}, false, ApplicationJSON},
		{[]string{"application/*;q=0, text/xml"}, true, TextXML},
		{[]string{"*/*;q=0.1, application/xml"}, true, ApplicationXML},
		// Equal q: the more specific range, then the first listed.
		{[]string{"application/xml, */*"}, true, ApplicationXML},
		{[]string{"*/*, application/xml"}, true, ApplicationXML},
		{[]string{"text/*, text/xml"}, true, TextXML},
		{[]string{"application/json, application/xml"}, false, ApplicationJSON},
		{[]string{"application/xml, application/json"}, true, ApplicationXML},
		{[]string{"application/xml", "application/json"}, true, ApplicationXML}, // two header lines are one list
		// Nothing acceptable: no preference, the backend's JSON stands.
		{[]string{"text/html"}, false, ""},
		{[]string{"application/xml;q=0"}, false, ""},
		{[]string{"*/*;q=0"}, false, ""},
		// Malformed ranges are skipped, the rest still counts.
		{[]string{"application/xml;q=2, application/json"}, false, ApplicationJSON},
		{[]string{"application/xml;q=0.5000, text/json"}, false, TextJSON},
		{[]string{"application/xml;q=abc"}, false, ""},
		{[]string{"*/xml"}, false, ""},
		{[]string{"xml"}, false, ""},
		{[]string{"application/xml;foo"}, false, ""},
		{[]string{"garbage,,, ;;, application/xml"}, true, ApplicationXML},
		{[]string{`text/json;x="a,application/xml;q=1", application/json;q=0.5`}, false, TextJSON},
		{[]string{"application/xml; Q=0.3, text/json;q=0.2"}, true, ApplicationXML},
		{[]string{"application/xml;q=1.000;level=1"}, true, ApplicationXML},
	} {
		c := Negotiate(tc.accept)
		if c.XML != tc.xml || c.MediaType != tc.mediaType {
			t.Errorf("Negotiate(%q) = XML %v %q, want XML %v %q", tc.accept, c.XML, c.MediaType, tc.xml, tc.mediaType)
		}
	}
}

func TestParseQuality(t *testing.T) {
	for s, want := range map[string]int{"0": 0, "1": 1000, "0.5": 500, "0.25": 250, "0.125": 125, "1.0": 1000, "1.000": 1000, "0.": 0, "1.": 1000} {
		if q, ok := parseQuality(s); !ok || q != want {
			t.Errorf("parseQuality(%q) = %d, %v; want %d", s, q, ok, want)
		}
	}
	for _, s := range []string{"", "2", "1.001", "0.1234", "-0", ".5", "0,5", "1.5", "0.a"} {
		if q, ok := parseQuality(s); ok {
			t.Errorf("parseQuality(%q) = %d, want invalid", s, q)
		}
	}
}

func TestRelabel(t *testing.T) {
	for _, tc := range []struct {
		accept, backend, want string
	}{
		{"text/json", "application/json; charset=utf-8", "text/json; charset=utf-8"},
		{"application/json-patch+json", "application/json", "application/json-patch+json; charset=utf-8"},
		{"text/*", "application/json", "text/json; charset=utf-8"},
		{"text/json, */*;q=0.1", "application/json", "text/json; charset=utf-8"},
		{"text/json", "application/vnd.chat+json", "text/json; charset=utf-8"},
		// The backend's type is as welcome as the preferred one: it stands.
		{"text/json, application/json", "application/json", ""},
		{"*/*", "application/vnd.chat+json", ""},
		{"application/json", "application/json; charset=utf-8", ""},
		{"TEXT/JSON", "text/json", ""},
		{"", "application/json", ""},
		{"text/html", "application/json", ""},
		{"application/xml", "application/json", ""}, // XML is converted, not relabelled
	} {
		var accept []string
		if tc.accept != "" {
			accept = []string{tc.accept}
		}
		got, ok := Negotiate(accept).Relabel(tc.backend)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Accept %q, backend %q: Relabel = %q, %v; want %q", tc.accept, tc.backend, got, ok, tc.want)
		}
	}
}

func TestContentType(t *testing.T) {
	for accept, want := range map[string]string{
		"":          "application/json; charset=utf-8",
		"text/html": "application/json; charset=utf-8",
		"text/json": "text/json; charset=utf-8",
		"text/xml":  "text/xml; charset=utf-8",
		"*/*":       "application/json; charset=utf-8",
	} {
		if got := Negotiate([]string{accept}).ContentType(); got != want {
			t.Errorf("Accept %q: ContentType = %q, want %q", accept, got, want)
		}
	}
}

func TestNegotiateAllocatesNothing(t *testing.T) {
	accept := []string{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
	if n := testing.AllocsPerRun(100, func() { Negotiate(accept).Relabel("application/json") }); n != 0 {
		t.Errorf("Negotiate allocates %v times", n)
	}
}

// FuzzNegotiate: any Accept header gives one of the six types or none,
// never a panic; the chosen type has the highest q any type gets, and
// asking for it alone chooses it again.
func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"application/xml", "text/*;q=0.5, */*;q=0.1", `a/b;x="q=1,c/d", text/xml;q=0.9`, "*/*;q=0", ",;,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, accept string) {
		c := Negotiate([]string{accept})
		if c.MediaType == "" {
			for _, offer := range offers {
				if q, _, _ := match([]string{accept}, offer); q > 0 {
					t.Fatalf("Accept %q: nothing chosen, but %s has q %d", accept, offer, q)
				}
			}
			return
		}
		if c.XML != (c.MediaType == ApplicationXML || c.MediaType == TextXML) {
			t.Fatalf("Accept %q: XML %v for %s", accept, c.XML, c.MediaType)
		}
		for _, offer := range offers {
			if q, _, _ := match([]string{accept}, offer); q > c.quality {
				t.Fatalf("Accept %q: chose %s (q %d) over %s (q %d)", accept, c.MediaType, c.quality, offer, q)
			}
		}
		if again := Negotiate([]string{c.MediaType}); again.MediaType != c.MediaType {
			t.Fatalf("Accept %q chose %s; asking for it alone chose %s", accept, c.MediaType, again.MediaType)
		}
		_, _ = c.Relabel(accept)
	})
}

func TestInUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"application/json; charset=iso-8859-1":             "application/json; charset=utf-8",
		"application/json;charset=UTF-16":                  "application/json; charset=utf-8",
		`application/problem+json; charset="windows-1252"`: "application/problem+json; charset=utf-8",
		"application/json; charset=utf-8":                  "application/json; charset=utf-8",
		"Application/Json ; charset=UTF-8":                 "Application/Json ; charset=UTF-8",
		"application/json":                                 "application/json",
		"application/json; v=2":                            "application/json; v=2",
		"application/json; charset=iso-8859-1; v=2":        "application/json; charset=utf-8; v=2",
		"application/json; charset=":                       "application/json; charset=",
	} {
		if got := InUTF8(in); got != want {
			t.Errorf("InUTF8(%q) = %q; want %q", in, got, want)
		}
	}
}
