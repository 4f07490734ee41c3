package caddymodule

import (
	"reflect"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

func TestUnmarshalCaddyfile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		input   string
		want    Handler
		wantErr string
		at      string // the file and line the error must name; "": any
	}{
		{name: "empty", input: `chatgate`, want: Handler{}},
		{name: "empty block", input: "chatgate {\n}", want: Handler{}},
		{name: "every option", input: `chatgate {
			auth_schemes basic SOTicket
			auth_schemes bearer
			xsrf_cookie off
			app_tokens t1 t2
			basic_account ann ` + bcrypt4 + `
			basic_account bob ` + bcrypt4 + `
			cors_origins https://app.example.com http://localhost:3000
			cors_origins https://[::1]:8443
			identity_header X-User
			base_timezone Europe/Oslo
			timezone_code HQ NO
			timezone_code 900 US-NY
			utc_fields Created
			offset_format compact
			text_fields Body Note
			default_language nb
			language_code de GE
			strings testdata/strings.json
			api_prefix /gw/api
			max_request_body 1KiB
			max_response_body 2MB
			max_select 10
			chat_route transfer put /s/{ChatSessionId}/to/{ToAssociate}
			chat_route Accept POST /s/{ChatSessionId}/accept
			chat_route reject POST /s/{ChatSessionId}/reject?x=1
			session_route GET /s/{ChatSessionId}
			xml_root /chat/users* UserEntity
			xml_root * Entity
		}`, want: Handler{
			AuthSchemes: []string{"basic", "SOTicket", "bearer"}, XSRFCookie: "off", AppTokens: []string{"t1", "t2"},
			BasicAccounts:  []BasicAccount{{"ann", bcrypt4}, {"bob", bcrypt4}},
			CORSOrigins:    []string{"https://app.example.com", "http://localhost:3000", "https://[::1]:8443"},
			IdentityHeader: "X-User",
			BaseTimezone:   "Europe/Oslo", TimezoneCodes: map[string]string{"HQ": "NO", "900": "US-NY"},
			UTCFields: []string{"Created"}, OffsetFormat: "compact", TextFields: []string{"Body", "Note"},
			DefaultLanguage: "nb", LanguageCodes: map[string]string{"de": "GE"}, StringsFile: "testdata/strings.json",
			APIPrefix: "/gw/api", MaxRequestBody: 1024, MaxResponseBody: 2000000, MaxSelect: 10,
			ChatRoutes: map[string]*Route{
				"transfer": {Method: "put", Path: "/s/{ChatSessionId}/to/{ToAssociate}"},
				"accept":   {Method: "POST", Path: "/s/{ChatSessionId}/accept"},
				"reject":   {Method: "POST", Path: "/s/{ChatSessionId}/reject?x=1"},
			},
			SessionRoute: &Route{Method: "GET", Path: "/s/{ChatSessionId}"},
			XMLRoots:     []XMLRoot{{Path: "/chat/users*", Name: "UserEntity"}, {Path: "*", Name: "Entity"}},
		}},
		{name: "plain byte count", input: "chatgate {\nmax_request_body 100\n}", want: Handler{MaxRequestBody: 100}},
		{name: "cors_origins any", input: "chatgate {\ncors_origins *\n}", want: Handler{CORSOrigins: []string{"*"}}},
		{name: "cors_origins other schemes", input: "chatgate {\ncors_origins capacitor://localhost HTTPS://App.Example.com:443\n}",
			want: Handler{CORSOrigins: []string{"capacitor://localhost", "HTTPS://App.Example.com:443"}}},
		{name: "argument on directive", input: `chatgate extra`, wantErr: "wrong argument count"},
		{name: "unknown subdirective", input: "chatgate {\nauth_schemez basic\n}", wantErr: `unknown subdirective "auth_schemez"`},
		{name: "api_prefix without argument", input: "chatgate {\napi_prefix\n}", wantErr: "wrong argument count"},
		{name: "api_prefix two arguments", input: "chatgate {\napi_prefix /a /b\n}", wantErr: "wrong argument count"},
		{name: "api_prefix relative", input: "chatgate {\napi_prefix api\n}", wantErr: "must start with /"},
		{name: "size not a size", input: "chatgate {\nmax_request_body lots\n}", wantErr: "must be a size"},
		{name: "size zero", input: "chatgate {\nmax_response_body 0\n}", wantErr: "must be a size"},
		{name: "size missing", input: "chatgate {\nmax_response_body\n}", wantErr: "wrong argument count"},
		{name: "max_select zero", input: "chatgate {\nmax_select 0\n}", wantErr: "at least 1"},
		{name: "max_select word", input: "chatgate {\nmax_select many\n}", wantErr: "whole number"},
		{name: "max_select missing", input: "chatgate {\nmax_select\n}", wantErr: "wrong argument count"},
		{name: "auth_schemes empty", input: "chatgate {\nauth_schemes\n}", wantErr: "wrong argument count"},
		{name: "auth_schemes unknown", input: "chatgate {\nauth_schemes basic digest\n}", wantErr: `"digest" is not basic, soticket or bearer`},
		{name: "xsrf_cookie two names", input: "chatgate {\nxsrf_cookie a b\n}", wantErr: "wrong argument count"},
		{name: "app_tokens empty", input: "chatgate {\napp_tokens\n}", wantErr: "wrong argument count"},
		{name: "basic_account no hash", input: "chatgate {\nbasic_account ann\n}", wantErr: "wrong argument count"},
		{name: "basic_account extra", input: "chatgate {\nbasic_account ann h x\n}", wantErr: "wrong argument count"},
		{name: "cors_origins empty", input: "chatgate {\ncors_origins\n}", wantErr: "wrong argument count"},
		{name: "cors_origins no scheme", input: "chatgate {\ncors_origins app.example.com\n}", wantErr: `cors_origins: "app.example.com" is not an origin: scheme://host[:port]`},
		{name: "cors_origins trailing slash", input: "chatgate {\ncors_origins https://app.example.com/\n}", wantErr: "no path (not even /)"},
		{name: "cors_origins path", input: "chatgate {\ncors_origins https://app.example.com/ui\n}", wantErr: "no path"},
		{name: "cors_origins query", input: "chatgate {\ncors_origins https://a.example?x\n}", wantErr: "no path (not even /), query"},
		{name: "cors_origins user", input: "chatgate {\ncors_origins https://ann@a.example\n}", wantErr: "no user name"},
		{name: "cors_origins wildcard host", input: "chatgate {\ncors_origins https://*.example.com\n}", wantErr: "wildcards in a host are not supported"},
		{name: "cors_origins port", input: "chatgate {\ncors_origins http://a.example:99999\n}", wantErr: "the port must be 1 to 65535"},
		{name: "cors_origins empty port", input: "chatgate {\ncors_origins http://a.example:\n}", wantErr: "is not an origin"},
		{name: "cors_origins bad host", input: "chatgate {\ncors_origins http://a_b.example\n}", wantErr: "the host must be"},
		{name: "cors_origins null", input: "chatgate {\ncors_origins null\n}", wantErr: "is not an origin"},
		{name: "cors_origins star and list", input: "chatgate {\ncors_origins https://a.example\ncors_origins *\n}", wantErr: "* allows every origin and stands alone"},
		{name: "basic_account not a hash", input: "chatgate {\nbasic_account ann plain-secret\n}", wantErr: `basic_account "ann": the hash is neither bcrypt nor argon2id`},
		{name: "basic_account mixed costs", input: "chatgate {\nbasic_account ann " + bcrypt4 + "\nbasic_account bob " + bcrypt4 + "\nbasic_account cy " + bcrypt5 + "\n}",
			wantErr: `basic_account "cy": its hash is bcrypt cost 5, but "ann"'s is bcrypt cost 4`},
		{name: "basic_account mixed algorithms", input: "chatgate {\nbasic_account ann " + argonLow + "\nbasic_account bob " + bcrypt4 + "\n}",
			wantErr: `basic_account "bob": its hash is bcrypt cost 4, but "ann"'s is argon2id`},
		{name: "identity_header missing", input: "chatgate {\nidentity_header\n}", wantErr: "wrong argument count"},
		{name: "timezone_code short", input: "chatgate {\ntimezone_code HQ\n}", wantErr: "wrong argument count"},
		{name: "base_timezone missing", input: "chatgate {\nbase_timezone\n}", wantErr: "wrong argument count"},
		{name: "utc_fields empty", input: "chatgate {\nutc_fields\n}", wantErr: "wrong argument count"},
		{name: "offset_format rfc3339", input: "chatgate {\noffset_format rfc3339\n}", want: Handler{OffsetFormat: "rfc3339"}},
		{name: "offset_format compact", input: "chatgate {\n\toffset_format compact\n}", want: Handler{OffsetFormat: "compact"}},
		{name: "offset_format missing", input: "chatgate {\noffset_format\n}", wantErr: "wrong argument count"},
		{name: "offset_format two values", input: "chatgate {\noffset_format rfc3339 compact\n}", wantErr: "wrong argument count"},
		{name: "offset_format unknown", input: "chatgate {\noffset_format iso8601\n}", wantErr: `offset_format "iso8601" must be rfc3339 or compact`},
		{name: "offset_format in another case", input: "chatgate {\noffset_format Compact\n}", wantErr: `offset_format "Compact" must be rfc3339 or compact`},
		{name: "language_code long", input: "chatgate {\nlanguage_code de GE x\n}", wantErr: "wrong argument count"},
		{name: "strings missing", input: "chatgate {\nstrings\n}", wantErr: "wrong argument count"},
		{name: "chat_route short", input: "chatgate {\nchat_route transfer POST\n}", wantErr: "wrong argument count"},
		{name: "chat_route long", input: "chatgate {\nchat_route transfer POST /a /b\n}", wantErr: "wrong argument count"},
		{name: "chat_route action", input: "chatgate {\nchat_route close POST /a\n}", wantErr: `action "close" must be transfer, accept or reject`},
		{name: "chat_route twice", input: "chatgate {\nchat_route accept POST /a\nchat_route accept POST /b\n}", wantErr: "chat_route accept is set twice"},
		{name: "chat_route bad method", input: "chatgate {\nchat_route accept PO/ST /a\n}", wantErr: `"PO/ST" is not one of GET HEAD POST PUT PATCH DELETE`},
		{name: "chat_route placeholder", input: "chatgate {\nchat_route accept POST /a/{ToAssociate}\n}", wantErr: "unknown placeholder {ToAssociate}"},
		{name: "chat_route relative", input: "chatgate {\nchat_route reject POST a\n}", wantErr: "must start with /"},
		{name: "session_route short", input: "chatgate {\nsession_route GET\n}", wantErr: "wrong argument count"},
		{name: "session_route twice", input: "chatgate {\nsession_route GET /a\nsession_route GET /b\n}", wantErr: "session_route is set twice"},
		{name: "xml_root short", input: "chatgate {\nxml_root Entity\n}", wantErr: "wrong argument count"},
		{name: "xml_root long", input: "chatgate {\nxml_root /a Entity x\n}", wantErr: "wrong argument count"},
		{name: "xml_root name", input: "chatgate {\nxml_root /a 1Entity\n}", wantErr: `xml_root "1Entity": the name must be`},
		{name: "xml_root path", input: "chatgate {\nxml_root a Entity\n}", wantErr: `xml_root "a": the path must start with / or *`},
		{name: "base_timezone unknown", input: "chatgate {\nbase_timezone Mars/Olympus\n}", at: "Testfile:2", wantErr: `base_timezone: unknown time zone "Mars/Olympus"`},
		{name: "base_timezone a later timezone_code", input: "chatgate {\nbase_timezone HQ\ntimezone_code HQ Europe/Oslo\n}",
			want: Handler{BaseTimezone: "HQ", TimezoneCodes: map[string]string{"HQ": "Europe/Oslo"}}},
		{name: "base_timezone unknown after other lines", input: "chatgate {\nbase_timezone HQ\ntimezone_code HR Europe/Oslo\n}", at: "Testfile:2", wantErr: `base_timezone: unknown time zone "HQ"`},
		{name: "timezone_code unknown zone", input: "chatgate {\n\ntimezone_code HQ Nowhere\n}", at: "Testfile:3", wantErr: `timezone_code HQ: unknown time zone "Nowhere"`},
		{name: "basic_account twice", input: "chatgate {\nbasic_account ann " + bcrypt4 + "\nbasic_account ann " + bcrypt4 + "\n}", at: "Testfile:3", wantErr: `basic_account "ann" is given twice`},
		{name: "basic_account colon", input: "chatgate {\nbasic_account a:b " + bcrypt4 + "\n}", at: "Testfile:2", wantErr: "basic_account: a user name must be non-empty and hold no colon"},
		{name: "basic_account bad hash", input: "chatgate {\nbasic_account ann $2a$04$short\n}", at: "Testfile:2", wantErr: `basic_account "ann": the bcrypt hash is malformed`},
		{name: "strings missing file", input: "chatgate {\nstrings testdata/nonexistent.json\n}", at: "Testfile:2", wantErr: "strings file: open testdata/nonexistent.json"},
		{name: "strings malformed file", input: "chatgate {\nstrings testdata/strings_malformed.json\n}", at: "Testfile:2", wantErr: `strings file testdata/strings_malformed.json: want {"SR_NAME": {"en": "text"}}`},
		{name: "default_language english", input: "chatgate {\ndefault_language english\n}", at: "Testfile:2", wantErr: `default_language "english" is not an iso2 language code`},
		{name: "default_language iso2", input: "chatgate {\ndefault_language NB\n}", want: Handler{DefaultLanguage: "NB"}},
		{name: "language_code long", input: "chatgate {\nlanguage_code german GE\n}", at: "Testfile:2", wantErr: "language_code german GE: want an iso2 language"},
		{name: "utc_fields plus alone", input: "chatgate {\nutc_fields + Created\n}", at: "Testfile:2", wantErr: "utc_fields: + needs a name"},
		{name: "utc_fields add", input: "chatgate {\nutc_fields +Created\ntext_fields +Note\n}", want: Handler{UTCFields: []string{"+Created"}, TextFields: []string{"+Note"}}},
		{name: "session_route FETCH", input: "chatgate {\nsession_route FETCH /s/{ChatSessionId}\n}", at: "Testfile:2", wantErr: `session_route: method "FETCH" is not one of GET HEAD POST PUT PATCH DELETE`},
		{name: "identity_route OPTIONS", input: "chatgate {\nidentity_route options /me\n}", at: "Testfile:2", wantErr: `identity_route: method "options" is not one of GET HEAD POST PUT PATCH DELETE`},
		{name: "chat_route TRACE", input: "chatgate {\nchat_route accept TRACE /a/{ChatSessionId}\n}", at: "Testfile:2", wantErr: `chat_route accept: agent AcceptChatSessionTransfer: "TRACE" is not one of GET HEAD POST PUT PATCH DELETE`},
		{name: "agent PROPFIND", input: "chatgate {\nagent GetChatPresence PROPFIND /p\n}", at: "Testfile:2", wantErr: `agent GetChatPresence: "PROPFIND" is not one of GET HEAD POST PUT PATCH DELETE`},
		{name: "route methods in any case", input: "chatgate {\nsession_route get /s/{ChatSessionId}\nidentity_route Post /me\n}",
			want: Handler{SessionRoute: &Route{Method: "get", Path: "/s/{ChatSessionId}"}, IdentityRoute: &Route{Method: "Post", Path: "/me"}}},
		{name: "session_route placeholder", input: "chatgate {\nsession_route GET /a/{Id}\n}", wantErr: "unknown placeholder {Id}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Handler
			err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tc.input))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v; want %q", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), "Testfile:") {
					t.Fatalf("error %q does not name the file and line", err)
				}
				if tc.at != "" && !strings.HasSuffix(err.Error(), ", at "+tc.at) {
					t.Fatalf("error %q is not at %s", err, tc.at)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(h, tc.want) {
				t.Fatalf("got %+v\nwant %+v", h, tc.want)
			}
		})
	}
}
