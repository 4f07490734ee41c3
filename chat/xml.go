package chat

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// xml reads a body of the reference pages' XML form: any root element with
// one child element per property, names matched ASCII case-insensitively and
// namespaces ignored. A child marked nil="true" (xsi:nil) is absent.
// Document type declarations are refused outright, so no entity is ever
// declared, expanded or fetched.
func (c *collector) xml(body []byte) error {
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
			name := t.Name.Local
			known := asciiEqualFold(name, FieldChatSessionID) ||
				(c.req.Action == Transfer && asciiEqualFold(name, FieldToAssociate))
			if !known {
				if err := dec.Skip(); err != nil {
					return badRequest("the request body is not valid XML")
				}
				continue
			}
			text, err := elementText(dec, name)
			if err != nil {
				return err
			}
			if isNil(t) {
				continue
			}
			if asciiEqualFold(name, FieldChatSessionID) {
				text = strings.TrimSpace(text) // XML layout may wrap a number
			}
			if err := c.text(name, text); err != nil {
				return err
			}
		}
	}
}

// elementText reads a property element's text up to its end tag. A property
// holding elements is not a value of the reference pages' types.
func elementText(dec *xml.Decoder, name string) (string, error) {
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", badRequest("the request body is not valid XML")
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			return text.String(), nil
		case xml.StartElement:
			if asciiEqualFold(name, FieldChatSessionID) {
				return "", invalidID()
			}
			return "", invalidTo()
		case xml.Directive:
			return "", badRequest("XML document type declarations are not allowed")
		}
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
