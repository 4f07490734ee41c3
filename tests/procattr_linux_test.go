package tests

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel stop the gateway if the test process dies
// without its cleanups (a go test timeout exits at once), so no gateway
// outlives its test run.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
