package caddymodule

import "syscall"

// setCork sets or clears TCP_CORK on socket. A failure (the connection
// closed) leaves the writes as they are.
func setCork(socket syscall.RawConn, on bool) {
	if on {
		_ = socket.Control(corkOn)
	} else {
		_ = socket.Control(corkOff)
	}
}

// corkOn and corkOff are funcs of their own, so that a call allocates no
// closure.
func corkOn(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, 1) }
func corkOff(fd uintptr) {
	_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, 0)
}
