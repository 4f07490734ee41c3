package caddymodule

import (
	"net/http"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/chatgate/chatgate/agent"
	"github.com/chatgate/chatgate/auth"
	"github.com/chatgate/chatgate/locale"
)

// exchange is one request on its way through the pipeline's stages: what
// each stage learned, for the stages after it.
type exchange struct {
	w    *responseWriter
	r    *http.Request // as it goes on: stages may replace it
	next caddyhttp.Handler

	caller auth.Caller      // from authenticate, named by identify
	method *agent.Method    // an Agents endpoint's method (route); nil for other paths
	zone   *locale.TimeZone // the client's SO-TimeZone (plan); nil for none
}
