package caddymodule

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/format"
)

// DefaultXMLRoot names the root of XML answers of the backend's own routes
// unless xml_root says otherwise: a session. The Agents endpoints name
// theirs after the method's return type.
const DefaultXMLRoot = "ChatSessionEntity"

// errorXMLRoot names the root of an error body in XML.
const errorXMLRoot = "ErrorInfo"

// xmlRootMatcher is a provisioned XMLRoot.
type xmlRootMatcher struct {
	match caddyhttp.MatchPath
	name  string
}

func (h *Handler) provisionXMLRoots(ctx caddy.Context) error {
	h.xmlRoots = nil
	for _, root := range h.XMLRoots {
		if err := root.check(); err != nil {
			return err
		}
		m := caddyhttp.MatchPath{root.Path}
		if err := m.Provision(ctx); err != nil {
			return fmt.Errorf("xml_root %s: %v", root.Path, err)
		}
		h.xmlRoots = append(h.xmlRoots, xmlRootMatcher{match: m, name: root.Name})
	}
	return nil
}

// check reports a path or name xml_root cannot use.
func (root XMLRoot) check() error {
	if !format.ValidName(root.Name) {
		return fmt.Errorf("xml_root %q: the name must be ASCII or Latin-1 letters or '_', then also digits, '-' or '.'", root.Name)
	}
	if !strings.HasPrefix(root.Path, "/") && !strings.HasPrefix(root.Path, "*") {
		return fmt.Errorf("xml_root %q: the path must start with / or *", root.Path)
	}
	return nil
}

// xmlRoot names the root element of the XML answer to r: for an agent
// call, after the method's return type.
func (h *Handler) xmlRoot(r *http.Request, m *agent.Method) string {
	if m != nil {
		return m.Returns.XMLName()
	}
	for _, root := range h.xmlRoots {
		if ok, err := root.match.MatchWithError(r); ok && err == nil {
			return root.name
		}
	}
	return DefaultXMLRoot
}
