// Command chatgate is Caddy with its standard modules and chatgate: the
// binary that `xcaddy build --with github.com/chatgate/chatgate/caddymodule`
// produces.
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"

	_ "github.com/chatgate/chatgate/caddymodule"
)

func main() {
	caddycmd.Main()
}
