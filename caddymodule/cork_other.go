//go:build !linux

package caddymodule

import "syscall"

// setCork does nothing where TCP_CORK is not Linux's.
func setCork(syscall.RawConn, bool) {}
