package locale_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/chatgate/chatgate/locale"
	selection "github.com/chatgate/chatgate/select"
)

// A backend in Oslo, read by a client in New York that asks for offsets and
// Norwegian. CreatedDate is a UTC field: it is tagged Z, not converted.
func ExampleLocale_RewriterFor() {
	loc, err := locale.New(locale.Config{BaseTimezone: "Europe/Oslo"})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := http.Header{}
	h.Set("SO-TimeZone", "US-NY, includeTZOffset")
	h.Set("SO-Language", "nb")
	rw, zone, err := loc.RewriterFor(h)
	if err != nil {
		fmt.Println(err)
		return
	}
	body := []byte(`{"When":"2024-01-15T14:00:00","CreatedDate":"2024-01-15T13:00:00","Kind":"US:\"Supplier\";NO:\"Leverandør\"","Text":"US:\"as written\""}`)
	out, err := selection.Rewrite(nil, body, nil, rw, nil)
	fmt.Println(zone.Location, err)
	fmt.Println(string(out))
	// Output:
	// America/New_York <nil>
	// {"When":"2024-01-15T08:00:00-05:00","CreatedDate":"2024-01-15T13:00:00Z","Kind":"Leverandør","Text":"US:\"as written\""}
}

// A request that asks for no zone and no language gets no rewriter: its
// answer passes as it is.
func ExampleLocale_RewriterFor_nothingAsked() {
	loc, _ := locale.New(locale.Config{})
	rw, zone, err := loc.RewriterFor(http.Header{})
	fmt.Println(rw == nil, zone == nil, err)
	// Output: true true <nil>
}

// String references from the strings file, in the default language when the
// reader names none.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "locale")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "strings.json")
	_ = os.WriteFile(file, []byte(`{"SR_WELCOME": {"en": "Welcome", "nb": "Velkommen"}}`), 0o600)

	loc, err := locale.New(locale.Config{DefaultLanguage: "nb", StringsFile: file})
	if err != nil {
		fmt.Println(err)
		return
	}
	rw, _, _ := loc.RewriterFor(http.Header{})
	out, _ := selection.Rewrite(nil, []byte(`{"Title":"[SR_WELCOME]!"}`), nil, rw, nil)
	fmt.Println(string(out))

	_, err = locale.New(locale.Config{DefaultLanguage: "english"})
	fmt.Println(err)
	// Output:
	// {"Title":"Velkommen!"}
	// default_language "english" is not an iso2 language code, such as en or nb
}

// The exempt field lists: +Name adds to the defaults, plain names replace
// them.
func ExampleFields() {
	fmt.Println(locale.Fields(nil, locale.DefaultTextFields()))
	fmt.Println(locale.Fields([]string{"+Note"}, locale.DefaultTextFields()))
	fmt.Println(locale.Fields([]string{"Note"}, locale.DefaultTextFields()))
	// Output:
	// [FirstMessage LastMessage Message Text]
	// [FirstMessage LastMessage Message Text Note]
	// [Note]
}

// A request body's offset-less date-times, written in the reader's zone,
// go to the backend in its zone.
func ExampleLocale_RequestDates() {
	loc, _ := locale.New(locale.Config{BaseTimezone: "Europe/Oslo"})
	h := http.Header{"So-Timezone": {"US-NY"}}
	_, zone, _ := loc.RewriterFor(h)
	out, _ := selection.Rewrite(nil, []byte(`{"When":"2024-01-15T08:00:00","At":"2024-01-15T08:00:00Z"}`), nil, loc.RequestDates(zone), nil)
	fmt.Println(string(out))
	// Output: {"When":"2024-01-15T14:00:00","At":"2024-01-15T08:00:00Z"}
}
