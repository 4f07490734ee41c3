// Package locale converts date-times between time zones and texts between
// languages, as SuperOffice's SO-TimeZone, SO-Language and Accept-Language
// headers ask, in JSON bodies. It imports nothing from Caddy: headers and
// bytes in, bytes out.
//
// A Locale is made once from a Config by New (the backend's zone, extra
// zone codes, the exempt fields, the languages and the strings file), and
// makes a Rewriter for each request:
//
//	loc, err := locale.New(locale.Config{BaseTimezone: "Europe/Oslo", DefaultLanguage: "en"})
//	...
//	rw, zone, err := loc.RewriterFor(r.Header) // nil, nil, nil: nothing asked
//	out, err := selection.Rewrite(nil, body, nil, rw, nil)
//
// A Rewriter's Rewrite method is a selection.StringRewriter: the $select
// projection (package select) calls it for every string value, in the same
// single pass over the body.
//
// # Time zones
//
// SO-TimeZone names a zone by location code (NO, US-NY, AU-ACT), numeric id
// or IANA name, in any case, optionally with includeTZOffset; ZONES.md lists
// the built-in codes. Offset-less date-times are the backend's local time
// (Config.BaseTimezone) and are shown in the reader's zone; values with an
// offset keep their instant. UTC fields are never converted; text fields are
// left alone. RequestDates does the reverse for request bodies, and
// AppendBaseTime for one value.
//
// # Languages
//
// The reader's language is SO-Language, else the best Accept-Language, else
// Config.DefaultLanguage. Multi-language values (US:"Supplier";NO:"Leverandør")
// become the reader's text, and [SR_NAME] references found in the strings
// file become their text in the reader's language.
package locale
