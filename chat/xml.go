package chat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// xml reads a body of the reference pages' XML form: any root element with
// one child element per property, names matched ASCII case-insensitively and
// namespaces ignored. A child marked nil="true" (xsi:nil) is absent.
// Document type declarations are refused outright, so no entity is ever
// declared, expanded or fetched.
func (c *collector) xml(body []byte) error {
	if hasIllegalCharRef(body) {
		return badRequest("the request body is not valid XML: a character reference names a character XML does not allow")
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	seenRoot := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !seenRoot {
				return badRequest("the request body is not valid XML: no root element")
			}
			return nil
		}
		if err != nil {
			return badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.Directive:
			return badRequest("XML document type declarations are not allowed")
		case xml.StartElement:
			if seenRoot {
				return badRequest("the request body is not valid XML: more than one root element")
			}
			seenRoot = true
			if err := c.xmlProperties(dec); err != nil {
				return err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return badRequest("the request body is not valid XML: text outside the root element")
			}
		}
	}
}

// xmlProperties reads the root element's children up to its end tag.
func (c *collector) xmlProperties(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.Directive:
			return badRequest("XML document type declarations are not allowed")
		case xml.StartElement:
			i := paramIndex(c.params, t.Name.Local)
			if i < 0 {
				if err := dec.Skip(); err != nil {
					return badRequest("the request body is not valid XML")
				}
				continue
			}
			text, err := elementText(dec)
			if err != nil {
				return err
			}
			if text == nil {
				return c.invalid(i) // elements, not a value
			}
			if isNil(t) {
				continue
			}
			if c.params[i].Type.isInteger() {
				// xs:int collapses whitespace: XML layout may wrap a number.
				*text = strings.TrimSpace(*text)
			}
			if err := c.text(t.Name.Local, *text); err != nil {
				return err
			}
		}
	}
}

// elementText reads a parameter element's text up to its end tag. It
// returns nil for an element holding elements, which is not a value of the
// reference pages' scalar types.
func elementText(dec *xml.Decoder) (*string, error) {
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			s := text.String()
			return &s, nil
		case xml.StartElement:
			return nil, nil
		case xml.Directive:
			return nil, badRequest("XML document type declarations are not allowed")
		}
	}
}

// hasIllegalCharRef reports a character reference (&#...; or &#x...;) to a
// character outside XML 1.0's Char production (section 2.2): a surrogate,
// U+FFFE, U+FFFF, a C0 control other than tab, CR and LF, or past U+10FFFF.
// encoding/xml reads such a reference as U+FFFD instead of refusing it, so a
// "&#xD800;" would reach the backend as a character the client never sent.
func hasIllegalCharRef(body []byte) bool {
	for {
		i := bytes.Index(body, []byte("&#"))
		if i < 0 {
			return false
		}
		body = body[i+2:]
		end := bytes.IndexByte(body, ';')
		if end < 0 {
			return false // no reference; the decoder refuses a stray '&'
		}
		ref, base := string(body[:end]), 10
		if strings.HasPrefix(ref, "x") {
			ref, base = ref[1:], 16
		}
		n, err := strconv.ParseUint(ref, base, 32)
		if err != nil {
			if len(ref) > 0 && strings.Trim(ref, "0123456789abcdefABCDEF") == "" {
				return true // too large for any character
			}
			continue // not a reference; the decoder judges it
		}
		r := rune(n)
		legal := r == '\t' || r == '\n' || r == '\r' ||
			(r >= 0x20 && r <= 0xd7ff) || (r >= 0xe000 && r <= 0xfffd) || (r >= 0x10000 && r <= 0x10ffff)
		if !legal {
			return true
		}
		body = body[end:]
	}
}

func isNil(e xml.StartElement) bool {
	for _, a := range e.Attr {
		if a.Name.Local == "nil" && strings.EqualFold(strings.TrimSpace(a.Value), "true") {
			return true
		}
	}
	return false
}
