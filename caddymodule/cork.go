package caddymodule

import (
	"context"
	"net"
	"net/http"
	"reflect"
	"syscall"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// Go's HTTP/1.1 server sends each write of a streamed answer of more
// than 4 KiB in two system calls (chunkDataAt), and with TCP_NODELAY each
// goes out as a segment of its own: the client wakes twice for every
// piece. chatgate corks the client's socket (TCP_CORK, on Linux) around
// such a write of its own, so the kernel sends the piece whole, as nginx's
// tcp_nopush does, and uncorks it before the write returns: nothing waits
// in the kernel after it. HTTP/2 shares its connection between streams,
// so only HTTP/1 answers are corked.

// clientSocketKey is the context key of a connection's TCP socket, kept
// by keepClientSocket.
type clientSocketKey struct{}

// registerClientSocket has the server that the handler is provisioned
// for keep each connection's TCP socket in its requests' context (each
// chatgate handler of a server registers the hook; the first to run keeps
// the socket, the others find it kept). Outside a server (tests), nothing
// is kept and nothing is corked.
func registerClientSocket(ctx context.Context) {
	if srv, ok := ctx.Value(caddyhttp.ServerCtxKey).(connContextRegistrar); ok {
		srv.RegisterConnContext(keepClientSocket)
	}
}

// connContextRegistrar is what registerClientSocket needs of Caddy's
// server.
type connContextRegistrar interface {
	RegisterConnContext(func(context.Context, net.Conn) context.Context)
}

// keepClientSocket is the connection hook: it keeps c's TCP socket in the
// connection's context, found under the connections around it.
func keepClientSocket(ctx context.Context, c net.Conn) context.Context {
	if ctx.Value(clientSocketKey{}) != nil {
		return ctx // another chatgate handler's hook kept it
	}
	for range 4 {
		if conn, ok := c.(*net.TCPConn); ok {
			if socket, err := conn.SyscallConn(); err == nil {
				return context.WithValue(ctx, clientSocketKey{}, socket)
			}
			return ctx
		}
		if c = inner(c); c == nil {
			return ctx
		}
	}
	return ctx
}

// inner is the connection c is around, or nil: a TLS connection's
// (NetConn), a PROXY protocol listener's (Raw), or one that a wrapper
// struct embeds, as Caddy's own listener for plain HTTP does when the
// server speaks HTTP/1 without h2c (its http2Conn, which says nothing of
// it but its field).
func inner(c net.Conn) net.Conn {
	switch conn := c.(type) {
	case interface{ NetConn() net.Conn }:
		return conn.NetConn()
	case interface{ Raw() net.Conn }:
		return conn.Raw()
	}
	v := reflect.ValueOf(c)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	field, ok := v.Elem().Type().FieldByName("Conn")
	if !ok || !field.Anonymous || field.Type != netConnType || len(field.Index) != 1 {
		return nil
	}
	conn, _ := v.Elem().Field(field.Index[0]).Interface().(net.Conn)
	return conn
}

// netConnType is the type of an embedded net.Conn.
var netConnType = reflect.TypeFor[net.Conn]()

// clientSocket is the TCP socket r came on when its answer may be corked:
// an HTTP/1 request on a connection keepClientSocket kept; else nil.
func clientSocket(r *http.Request) syscall.RawConn {
	if r.ProtoMajor != 1 {
		return nil
	}
	socket, _ := r.Context().Value(clientSocketKey{}).(syscall.RawConn)
	return socket
}

// writeCorked writes p to w, with socket corked around the write if
// net/http sends it in more than one system call (nil: as it is).
func writeCorked(w http.ResponseWriter, socket syscall.RawConn, p []byte) (int, error) {
	if socket == nil || len(p) < chunkDataAt {
		return w.Write(p)
	}
	setCork(socket, true)
	n, err := w.Write(p)
	setCork(socket, false)
	return n, err
}
