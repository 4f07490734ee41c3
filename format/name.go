package format

import "github.com/chatgate/chatgate/internal/jsonpass"

// emptyName stands for the empty JSON key, which no XML name can spell.
const emptyName = jsonpass.EmptyName

// appendName appends key, a JSON object key, as an XML element name: see
// jsonpass.AppendName.
func appendName(dst, key []byte) []byte { return jsonpass.AppendName(dst, key) }

// ValidName reports whether name can be used as it is for a root element:
// an XML name that every parser reads alike, without a colon.
func ValidName(name string) bool { return jsonpass.ValidName(name) }
